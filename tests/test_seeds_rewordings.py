"""The seeds' rewordings: 001 rewrites Reuters copy that 000 and 003 carry, 002 rewrites
AFP copy that 004 carries; 003 (Reuters) and 004 (AFP) report the same visit
independently and must not be joined except for text both really carry."""

import json

from pipeline.cli import run
from tests.conftest import SEEDS
from transforms.reword import sentence_spans

# (the rewriting article, the article it rewrites): the pairs the seeds were marked for
TARGETS = {("001", "000"), ("001", "003"), ("002", "004")}


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _short(doc_id: str) -> str:
    return doc_id.split("_")[0]


def _pairs(passages) -> set[tuple[str, str]]:
    pairs = set()
    for p in passages:
        docs = sorted({_short(m["doc_id"]) for m in p["members"]})
        pairs.update((a, b) for i, a in enumerate(docs) for b in docs[i + 1 :])
    return pairs


def test_at_least_twelve_reworded_sentence_pairs_and_none_between_the_independent_reports(seeds_run):
    passages = _rows(seeds_run / "passages.jsonl")
    rewritten = [m for p in passages for m in p["members"] if m["kind"] == "rewritten"]
    target_sentences = sum(
        len(sentence_spans(m["text"]))
        for m in rewritten
        if (_short(m["doc_id"]), _short(m["rewrites"]["doc_id"])) in TARGETS
    )
    assert target_sentences >= 12
    for m in rewritten:
        assert {_short(m["doc_id"]), _short(m["rewrites"]["doc_id"])} != {"003", "004"}, m["text"]
        assert m["text"] != m["rewrites"]["text"] and 0 < m["similarity"] <= 1
    # 003 and 004 share only quoted speech both agencies report
    shared = [p for p in passages if {"003", "004"} <= {_short(m["doc_id"]) for m in p["members"]}]
    assert shared and all(p["quote"] for p in shared)


def test_rewordings_keep_every_pair_the_seeds_share_as_copy(seeds_run, tmp_path):
    config = tmp_path / "norw.yaml"
    config.write_text("rewordings: false\n", encoding="utf-8")

    out = tmp_path / "out"
    assert run(["run", "--input", str(SEEDS), "--output", str(out), "--config", str(config)]) == 0
    without = _rows(out / "passages.jsonl")
    with_rewordings = _rows(seeds_run / "passages.jsonl")
    assert _pairs(without) <= _pairs(with_rewordings)
    # the step adds what copy alignment cannot see: 001 rewrites 003 in words of its own
    copied = sum(len(p["members"]) for p in without)
    assert sum(len(p["members"]) for p in with_rewordings) > copied
