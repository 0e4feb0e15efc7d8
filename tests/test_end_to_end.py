"""The whole job on seeds/: the passages the seeds share, exact offsets, byte-identical reruns."""

import json

from pipeline.cli import run


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _doc_texts(seeds_dir):
    return {p.stem: p.read_bytes().decode("utf-8-sig") for p in seeds_dir.glob("*.txt")}


def _passage_with(passages, phrase):
    found = [p for p in passages if any(phrase in m["text"] for m in p["members"])]
    assert found, f"no passage carries {phrase!r}"
    return found[0]


def test_seeds_share_the_pledge_and_the_quote(seeds_run):
    passages = _rows(seeds_run / "passages.jsonl")
    pledge = _passage_with(passages, "has pledged to pursue the perpetrators of rocket attacks on three military bases")
    assert {"000_8644e06e06c1b68d", "003_297e5d2d1b9eebe5"} <= {m["doc_id"] for m in pledge["members"]}
    quote = _passage_with(passages, "I made very clear that attacks or threats coming from militias that are aligned")
    assert {"003_297e5d2d1b9eebe5", "004_c8e8ae74a8ac3cc9"} <= {m["doc_id"] for m in quote["members"]}


def test_every_span_is_exact_text_of_its_document(seeds_run, seeds_dir):
    texts = _doc_texts(seeds_dir)
    passages = _rows(seeds_run / "passages.jsonl")
    assert passages
    for p in passages:
        assert p["size"] == len(p["members"]) >= 2
        for m in p["members"]:
            assert texts[m["doc_id"]][m["start"] : m["end"]] == m["text"]
    for doc in _rows(seeds_run / "documents.jsonl"):
        assert doc["chars"] == len(texts[doc["doc_id"]])
        assert doc["text"] == texts[doc["doc_id"]]  # documents_text: true by default
        for span in doc["spans"]:
            assert 0 <= span["start"] < span["end"] <= doc["chars"]


def test_summary_counts_add_up(seeds_run):
    summary = json.loads((seeds_run / "summary.json").read_text())
    documents = _rows(seeds_run / "documents.jsonl")
    errors = (seeds_run / "errors.jsonl").read_text().splitlines()
    assert summary["records_read"] == 5 == summary["documents"] + summary["records_rejected"]
    assert summary["documents"] == len(documents) and summary["records_rejected"] == len(errors)
    assert summary["passages"] == len(_rows(seeds_run / "passages.jsonl"))
    assert summary["verified_pairs"] <= summary["candidate_pairs"]
    assert summary["format_version"] == "2.0" and summary["runner"] == "DirectRunner"
    assert (seeds_run / "_SUCCESS").exists() and not (seeds_run / "_staging").exists()


def test_rows_are_sorted_by_id_with_sorted_keys(seeds_run):
    for name, key in (("passages.jsonl", "passage_id"), ("documents.jsonl", "doc_id")):
        lines = (seeds_run / name).read_text(encoding="utf-8").splitlines()
        ids = [json.loads(line)[key] for line in lines]
        assert ids == sorted(ids)
        for line in lines:
            assert line == json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False)


def _data_files(out):
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "summary.json"}


def _summary_without_run_facts(out):
    summary = json.loads((out / "summary.json").read_text())
    for key in ("timings", "inputs", "runner"):
        summary.pop(key)
    return summary


def test_two_runs_are_byte_identical(seeds_run, seeds_dir, tmp_path):
    again = tmp_path / "again"
    assert run(["run", "--input", str(seeds_dir), "--output", str(again)]) == 0
    assert "report.html" in _data_files(again) and _data_files(again) == _data_files(seeds_run)
    assert _summary_without_run_facts(again) == _summary_without_run_facts(seeds_run)


def test_two_worker_processes_give_the_same_bytes(seeds_run, seeds_dir, tmp_path):
    out = tmp_path / "mp"
    argv = ["run", "--input", str(seeds_dir), "--output", str(out)]
    assert run(argv + ["--direct_num_workers", "2", "--direct_running_mode", "multi_processing"]) == 0
    assert _data_files(out) == _data_files(seeds_run)


def test_seeds_share_ten_whole_passages_and_no_boilerplate(seeds_run, seeds_dir):
    passages = _rows(seeds_run / "passages.jsonl")
    assert len(passages) >= 10
    texts = _doc_texts(seeds_dir)
    furniture = ("newsletter", "Getty Images", "Advertisement", "Skip to main content", "contributed to this report")
    for p in passages:
        assert len({m["doc_id"] for m in p["members"]}) >= 2
        for m in p["members"]:
            assert not any(f.lower() in m["text"].lower() for f in furniture), m["text"]
            assert texts[m["doc_id"]][m["start"] : m["end"]] == m["text"]
    # The copies that 003 merged, 004 split and 001 reworded are each found with 000's origin text.
    for phrase, docs in [
        ("Rocket and drone attacks on U.S. and coalition troops", {"000", "001", "003"}),
        ("Kataib Hezbollah issued a warning", {"000", "003"}),
        ("every necessary step to protect our people", {"003", "004"}),
    ]:
        found = _passage_with(passages, phrase)
        assert docs <= {m["doc_id"][:3] for m in found["members"]}


def test_the_nasrallah_paragraph_is_one_passage_of_000_001_and_003(seeds_run):
    # 000 inserts "as Blinken arrived in the region," and edits; 001 rewords; 003 credits Reuters.
    passages = _rows(seeds_run / "passages.jsonl")
    found = [p for p in passages if any("Nasrallah" in m["text"] for m in p["members"])]
    assert len(found) == 1
    members = {m["doc_id"][:3]: m for m in found[0]["members"]}
    assert sorted(members) == ["000", "001", "003"] and members["003"]["kind"] == "origin"
    assert "as Blinken arrived in the region" in members["000"]["text"]
    assert all(0 < m["coverage"] <= 1 for m in members.values())


def test_the_quote_004_splits_is_a_passage_per_paragraph_with_003s_merged_members(seeds_run, seeds_dir):
    # 004 cuts Blinken's two-sentence quote into two paragraphs; 003 keeps it in one and
    # joins the halves with "And": a passage per 004 paragraph, 003's members merged.
    passages = _rows(seeds_run / "passages.jsonl")
    first = _passage_with(passages, "I made very clear that attacks or threats coming from militias")
    second = _passage_with(passages, "every necessary step to protect our people")
    assert first["passage_id"] != second["passage_id"]
    for quote in (first, second):
        members = {m["doc_id"][:3]: m for m in quote["members"]}
        assert sorted(members) == ["003", "004"] and members["003"]["kind"] == "merged"
        assert members["003"]["paragraphs"] == [8]
    texts = _doc_texts(seeds_dir)
    # And the text 002 carries twice is one passage with both of 002's places in it.
    repeated = _passage_with(passages, "anyone who might seek to take advantage of the conflict in Gaza")
    places = [m for m in repeated["members"] if m["doc_id"].startswith("002")]
    assert len(places) == 2
    assert all(texts[m["doc_id"]][m["start"] : m["end"]] == m["text"] for m in places)
    assert sum(m["doc_id"].startswith("000") for m in repeated["members"]) == 1


def test_no_span_of_a_document_is_a_member_of_two_passages(seeds_run):
    spans = {}
    for p in _rows(seeds_run / "passages.jsonl"):
        for m in p["members"]:
            spans.setdefault(m["doc_id"], []).append((m["start"], m["end"], p["passage_id"]))
    for doc_id, found in spans.items():
        found.sort()
        for (s1, e1, p1), (s2, e2, p2) in zip(found, found[1:], strict=False):
            assert e1 <= s2, f"{doc_id}: {p1} [{s1}, {e1}) overlaps {p2} [{s2}, {e2})"


def test_the_seeds_reuters_and_afp_stories_stay_apart_through_the_quote_both_report(seeds_run):
    stories = _rows(seeds_run / "stories.jsonl")
    members = {s["agency"]: sorted(m["doc_id"][:3] for m in s["members"]) for s in stories}
    assert members == {"Reuters": ["000", "001", "003"], "AFP": ["002", "004"]}
    passages = {p["passage_id"]: p for p in _rows(seeds_run / "passages.jsonl")}
    quoted = [p for p in passages.values() if p["quote"] and {"003", "004"} <= {m["doc_id"][:3] for m in p["members"]}]
    assert quoted  # Blinken's words, which both agencies report: shared, but no link
    assert sum(len(s["passages"]) for s in stories) == len(passages)
    reuters = next(s for s in stories if s["agency"] == "Reuters")
    assert reuters["first_published"]["doc_id"].startswith("000") and reuters["origin"]["doc_id"].startswith("003")
    assert "credits:Reuters" in reuters["origin"]["evidence"]
    documents = {d["doc_id"][:3]: d for d in _rows(seeds_run / "documents.jsonl")}
    assert [s["story_id"] for s in documents["004"]["stories"]] == [
        next(s for s in stories if s["agency"] == "AFP")["story_id"]
    ]
