"""Hot keys and skew, by counts (the times are benchmarks/hot_keys.py's): N articles from
many outlets that all carry the same three boilerplate paragraphs and one wire paragraph,
run through the whole job at N and 2N.

Each shared paragraph is one hot key: all N copies of each of its sentence windows have
one signature. A hot key pairs every copy with two anchors (transforms.match,
HOT_ANCHORS), so the candidate pairs are about 2 per shared paragraph per article,
8 per article here, and the passages still hold every article. Pairing every copy with
every other would make N^2 / 2 pairs per paragraph; pairing it with the first
`max_bucket_size` (100) copies, about 100 N.
"""

import json

import pytest

from benchmarks.hot_keys import CREDIT_LINE, SHARED, WIRE, generate, write_corpus
from pipeline.cli import run

N = 600
# Two anchors per copy of each shared paragraph (the anchors' own pair is made once);
# 5% more for the odd chance pair of two articles' own random sentences.
PAIRS_PER_ARTICLE = 2 * len(SHARED) * 1.05


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _run(tmp_path_factory, n: int) -> dict:
    folder = tmp_path_factory.mktemp(f"hot{n}")
    rows = generate(n)
    corpus = write_corpus(rows, folder / "hot.jsonl")
    out = folder / "out"
    assert run(["run", "--input", str(corpus), "--output", str(out), "--direct_num_workers", "1"]) == 0
    return {
        "rows": rows,
        "summary": json.loads((out / "summary.json").read_text(encoding="utf-8")),
        "passages": _rows(out / "passages.jsonl"),
        "templates": _rows(out / "templates.jsonl"),
        "documents": _rows(out / "documents.jsonl"),
        "errors": _rows(out / "errors.jsonl"),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """The job on the hot-key corpus of N and of 2N articles (the first a prefix of the second)."""
    return {n: _run(tmp_path_factory, n) for n in (N, 2 * N)}


@pytest.mark.parametrize("n", [N, 2 * N])
def test_every_shared_paragraph_is_one_passage_of_every_article_at_exact_offsets(runs, n):
    result = runs[n]
    texts = {r["id"]: r["text"] for r in result["rows"]}
    outlets = sorted({r["outlet"] for r in result["rows"]})
    assert len(outlets) > 100  # many outlets: the shared text is cross-outlet reuse, not a template
    passages = result["passages"]
    assert len(passages) == len(SHARED) and result["templates"] == []
    for shared in SHARED:
        found = [p for p in passages if any(m["text"] == shared for m in p["members"])]
        assert len(found) == 1, shared
        passage = found[0]
        assert passage["size"] == len(passage["members"]) == n
        assert sorted(m["doc_id"] for m in passage["members"]) == sorted(texts)  # each article once
        assert passage["outlets"] == outlets
        for m in passage["members"]:
            assert m["text"] == shared and texts[m["doc_id"]][m["start"] : m["end"]] == shared
            assert m["start"] == texts[m["doc_id"]].index(shared)
        assert len(passage["edges"]) == n - 1
    wire = next(p for p in passages if p["text"] == WIRE)
    assert wire["agency"] == "AFP" and wire["origin"]["evidence"][0] == "credits:AFP"
    ids = {p["passage_id"] for p in passages}
    for doc in result["documents"]:
        assert sorted(s["passage_id"] for s in doc["spans"]) == sorted(ids)
        assert sum(e - s for s, e in {(s["start"], s["end"]) for s in doc["spans"]}) == doc["shared_chars"]


@pytest.mark.parametrize("n", [N, 2 * N])
def test_the_run_accounts_for_every_record(runs, n):
    result = runs[n]
    summary = result["summary"]
    assert summary["records_read"] == n == summary["documents"] + summary["records_rejected"]
    assert summary["documents"] == len(result["documents"]) and summary["records_rejected"] == len(result["errors"])
    assert summary["passages"] == len(result["passages"]) and summary["templates"] == len(result["templates"])
    assert summary["paragraphs"] == sum(len(r["text"].split("\n\n")) for r in result["rows"])
    # The credit line is filtered (and credits AFP); the shared paragraphs are not.
    credited = sum(CREDIT_LINE in r["text"] for r in result["rows"])
    assert summary["counters"]["filtered:credit_line"] == credited > 0
    assert summary["counters"]["credits:documents_crediting"] == credited
    assert summary["report"] == {"written": True}


def test_pairs_grow_linearly_with_the_articles(runs):
    small, large = runs[N]["summary"], runs[2 * N]["summary"]
    for n, summary in ((N, small), (2 * N, large)):
        # A spanning tree of each shared paragraph's copies needs n - 1 pairs at least.
        assert len(SHARED) * (n - 1) <= summary["verified_pairs"] <= summary["candidate_pairs"]
        assert summary["candidate_pairs"] <= PAIRS_PER_ARTICLE * n
    assert large["candidate_pairs"] <= 2.2 * small["candidate_pairs"]
    assert large["verified_pairs"] <= 2.2 * small["verified_pairs"]
