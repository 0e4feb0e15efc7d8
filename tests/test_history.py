"""History across runs: day 1 writes a passage index, day 2 finds day 1's wire copy in a
new article through it, without the day-1 articles (their folder is deleted first)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import run

WIRE = (
    "Rescue workers pulled at least a dozen survivors from the rubble of the collapsed hospital "
    "overnight, the regional governor told reporters on Wednesday morning."
)
SECOND = "The earthquake, of magnitude 6.8, struck shortly after three in the morning local time, officials said."


def _write(folder: Path, records: list[dict]) -> None:
    folder.mkdir(parents=True)
    (folder / "articles.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


DAY1 = [
    {
        "id": "afp-1",
        "outlet": "AFP",
        "published": "2024-03-05T08:00:00Z",
        "text": f"Hospital collapses\n\n{WIRE}\n\n{SECOND}\n\nMore to follow on the rescue effort in the city.",
    },
    {
        "id": "planet-1",
        "outlet": "Daily Planet",
        "published": "2024-03-05T10:00:00Z",
        "text": f"Our reporter spoke to families waiting outside all night.\n\n{WIRE}\n\n{SECOND}",
    },
]
DAY2 = [
    {
        "id": "gazette-2",
        "outlet": "Evening Gazette",
        "published": "2024-03-06T09:00:00Z",
        "text": f"A day after the disaster, cranes arrived from the capital to help.\n\n{WIRE}",
    },
    {
        "id": "other-2",
        "outlet": "Evening Gazette",
        "published": "2024-03-06T11:00:00Z",
        "text": "Local football club wins the derby after a late goal from its young striker on Sunday.",
    },
]


def _daily(root: Path, days: dict[str, list[dict]]) -> list[str]:
    """articles per day -> their crawl folders written; the arguments of a daily run
    (--input/--output/--index/--history with {date}) to which --date is added."""
    for day, records in days.items():
        _write(root / "crawl" / day, records)
    common = ["--input", str(root / "crawl" / "{date}"), "--output", str(root / "maps" / "{date}")]
    return common + ["--index", str(root / "index"), "--history", str(root / "index"), "--direct_num_workers", "1"]


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.suffix != ".json"}


@pytest.fixture(scope="module")
def two_days(tmp_path_factory):
    root = tmp_path_factory.mktemp("history")
    common = _daily(root, {"2024-03-05": DAY1, "2024-03-06": DAY2})
    # The index folder does not exist yet: as --history, it is the first day, not an error.
    assert run(["run", *common, "--date", "2024-03-05"]) == 0
    shutil.rmtree(root / "crawl" / "2024-03-05")  # day 2 must not need day 1's articles
    assert run(["run", *common, "--date", "2024-03-06"]) == 0
    return root, common


def _wire_passage(out: Path) -> dict:
    found = [p for p in _rows(out / "passages.jsonl") if any(WIRE in m["text"] for m in p["members"])]
    assert len(found) == 1
    return found[0]


def test_day_two_finds_day_one_wire_copy_with_the_same_passage_id(two_days):
    root, _ = two_days
    day1, day2 = _wire_passage(root / "maps" / "2024-03-05"), _wire_passage(root / "maps" / "2024-03-06")
    assert day2["passage_id"] == day1["passage_id"]
    members = {m["doc_id"]: m for m in day2["members"]}
    assert set(members) == {"afp-1", "planet-1", "gazette-2"}
    old = {m["doc_id"]: m for m in day1["members"]}
    for doc_id in ("afp-1", "planet-1"):
        assert members[doc_id]["history"] is True
        for key in ("outlet", "published", "start", "end", "text"):
            assert members[doc_id][key] == old[doc_id][key], (doc_id, key)
        assert WIRE in members[doc_id]["text"]
    assert "history" not in members["gazette-2"] and members["gazette-2"]["text"] == WIRE
    assert day2["origin"]["doc_id"] == day1["origin"]["doc_id"] == "afp-1" and day2["agency"] == day1["agency"]


def test_day_two_reports_only_its_own_articles_and_passages(two_days):
    root, _ = two_days
    out = root / "maps" / "2024-03-06"
    docs = {d["doc_id"]: d for d in _rows(out / "documents.jsonl")}
    assert set(docs) == {"gazette-2", "other-2"}
    gazette = docs["gazette-2"]
    (span,) = gazette["spans"]
    assert gazette["text"][span["start"] : span["end"]] == WIRE
    assert span["passage_id"] == _wire_passage(out)["passage_id"] and span["shared_with"] == ["AFP", "Daily Planet"]
    for p in _rows(out / "passages.jsonl"):  # day 1's own passages are not reported again
        assert any("history" not in m for m in p["members"])
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["documents"], summary["records_read"], summary["history"]["files"]) == (2, 2, 1)
    assert summary["history_members"] >= 2
    assert summary["report"] == {"written": True}  # the report shows earlier days' members too
    assert "afp-1" in (out / "report.html").read_text(encoding="utf-8")


def test_each_day_indexes_its_own_members(two_days):
    root, _ = two_days
    assert sorted(p.name for p in (root / "index").iterdir()) == [
        "members-2024-03-05.parquet",
        "members-2024-03-06.parquet",
    ]
    day1 = pq.read_table(root / "index" / "members-2024-03-05.parquet").to_pylist()
    day2 = pq.read_table(root / "index" / "members-2024-03-06.parquet").to_pylist()
    assert {r["doc_id"] for r in day1} >= {"afp-1", "planet-1"} and {r["doc_id"] for r in day2} == {"gazette-2"}
    assert all(r["run"] == "2024-03-06" for r in day2)
    wire_id = _wire_passage(root / "maps" / "2024-03-06")["passage_id"]
    assert [r["passage_id"] for r in day2] == [wire_id]


def test_a_rerun_of_a_day_is_idempotent(two_days, tmp_path):
    root, common = two_days
    out = root / "maps" / "2024-03-06"
    before = {name: (out / name).read_bytes() for name in ("passages.jsonl", "documents.jsonl", "outlets.csv")}
    index_before = (root / "index" / "members-2024-03-06.parquet").read_bytes()
    assert run(["run", *common, "--date", "2024-03-06"]) == 2  # a finished day is not overwritten unasked
    assert run(["run", *common, "--date", "2024-03-06", "--overwrite"]) == 0
    assert {name: (out / name).read_bytes() for name in before} == before
    assert (root / "index" / "members-2024-03-06.parquet").read_bytes() == index_before


def test_a_missing_history_folder_or_a_file_exits_2(tmp_path, capsys):
    _write(tmp_path / "in", DAY2)
    for history in (tmp_path / "no", tmp_path / "in" / "articles.jsonl"):
        args = ["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "o"), "--history", str(history)]
        assert run(args) == 2
        assert "--history" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_the_report_shows_earlier_members_in_a_real_browser(two_days, browser):
    from tests.test_report_browser import Watched

    root, _ = two_days
    out = root / "maps" / "2024-03-06"
    wire = _wire_passage(out)
    w = Watched(browser, out / "report.html")
    w.tab("passages")
    item = w.page.locator(f"#passage-list > li[data-id={wire['passage_id']}]")
    item.locator("button.row").click()
    members = item.locator(".detail table.members")
    assert members.locator("tr").count() == len(wire["members"]) + 1
    assert "afp-1" in members.inner_text() and "planet-1" in members.inner_text()
    w.tab("articles")
    w.page.fill("#article-text", "gazette-2")
    w.page.click("#article-list > li button.row")
    w.page.click("#article-view mark")  # the wire span: every copy side by side, earlier days' too
    assert w.page.locator(".compare .column").count() == 3
    w.assert_quiet()


TRICKY_DAY1 = [
    {
        "id": "afp-9",
        "outlet": "AFP",
        "published": "2024-04-01T08:00:00Z",
        "text": f"Hospital collapses (AFP)\n\n{WIRE}\n\n{SECOND}\n\nMore to follow.",
    },
    {  # merges the two wire paragraphs into one: day 1 has a passage for each, star-9 a member in both
        "id": "star-9",
        "outlet": "Morning Star",
        "published": "2024-04-01T10:00:00Z",
        "text": f"Families waited outside all night, our reporter says.\n\n{WIRE} {SECOND}",
    },
]
TRICKY_DAY2 = [
    TRICKY_DAY1[0],  # the same AFP article, read again from an overlapping feed
    {
        "id": "star-9",  # another article under a reused id
        "outlet": "Morning Star",
        "published": "2024-04-02T07:00:00Z",
        "text": "The local football club won the derby after a late goal from its young striker on Sunday night.",
    },
    {"id": "gazette-9", "outlet": "Gazette", "published": "2024-04-02T09:00:00Z", "text": f"Cranes came.\n\n{WIRE}"},
    {"id": "herald-9", "outlet": "Herald", "published": "2024-04-02T10:00:00Z", "text": f"Aftershocks.\n\n{SECOND}"},
]


@pytest.fixture(scope="module")
def tricky_days(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricky")
    common = _daily(root, {"2024-04-01": TRICKY_DAY1, "2024-04-02": TRICKY_DAY2})
    assert run(["run", *common, "--date", "2024-04-01"]) == 0
    day1 = _files(root / "maps" / "2024-04-01")
    assert run(["run", *common, "--date", "2024-04-02"]) == 0
    return root, common, day1


def test_reread_articles_reused_ids_and_split_passages_on_a_later_day(tricky_days):
    root, _, _ = tricky_days
    out = root / "maps" / "2024-04-02"
    passages = _rows(out / "passages.jsonl")
    ids = [p["passage_id"] for p in passages]
    assert len(ids) == len(set(ids))  # day 1's two passages go on today, each keeping its id
    day1_ids = {p["passage_id"] for p in _rows(root / "maps" / "2024-04-01" / "passages.jsonl")}
    assert len(day1_ids) == 2 and set(ids) & day1_ids == day1_ids
    wire = next(p for p in passages if any(m["doc_id"] == "gazette-9" for m in p["members"]))
    by_doc = {(m["doc_id"], m.get("history", False)): m for m in wire["members"]}
    # The AFP article read again stands for itself, once, as the origin; its earlier copy is not repeated.
    assert ("afp-9", False) in by_doc and ("afp-9", True) not in by_doc
    assert wire["origin"]["doc_id"] == "afp-9" and by_doc[("afp-9", False)]["kind"] == "origin"
    assert ("star-9", True) in by_doc  # yesterday's Morning Star copy, not today's football story
    for p in passages:
        assert all(e["source"] != e["target"] for e in p["edges"])
    docs = {d["doc_id"]: d for d in _rows(out / "documents.jsonl")}
    assert docs["star-9"]["spans"] == []  # the reused id carries none of the wire copy
    for p in passages:
        for m in p["members"]:
            if not m.get("history"):
                assert docs[m["doc_id"]]["text"][m["start"] : m["end"]] == m["text"]


def test_rerunning_a_day_after_later_days_gives_the_same_bytes(tricky_days):
    root, common, day1 = tricky_days
    assert run(["run", *common, "--date", "2024-04-01", "--overwrite"]) == 0
    assert _files(root / "maps" / "2024-04-01") == day1


def test_the_index_keeps_the_articles_credits(tricky_days):
    root, _, _ = tricky_days
    rows = pq.read_table(root / "index" / "members-2024-04-01.parquet").to_pylist()
    assert {r["doc_id"]: r["credits"] for r in rows}["afp-9"] == ["AFP"]


def test_stored_signatures_are_used_and_equal_signing_again(two_days):
    root, _ = two_days
    out = root / "maps" / "2024-03-06"
    counters = json.loads((out / "summary.json").read_text())["counters"]
    assert counters["history:presigned_windows"] > 0 and "history:signed_again" not in counters
    table = pq.read_table(root / "index" / "members-2024-03-05.parquet")
    assert all(r["windows"] and r["sketch"].startswith("shingle_size=3;") for r in table.to_pylist())
    # The same history without usable signatures (another configuration's): signed again, same result.
    other = root / "index-other"
    other.mkdir()
    rows = [{**r, "sketch": "another configuration"} for r in table.to_pylist()]
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), other / "members-2024-03-05.parquet")
    again = root / "again"
    args = ["run", "--input", str(root / "crawl" / "2024-03-06"), "--output", str(again), "--date", "2024-03-06"]
    assert run([*args, "--history", str(other), "--direct_num_workers", "1"]) == 0
    counters = json.loads((again / "summary.json").read_text())["counters"]
    assert counters["history:signed_again"] == len(rows) and "history:presigned_windows" not in counters
    for name in ("passages.jsonl", "documents.jsonl", "outlets.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes()
