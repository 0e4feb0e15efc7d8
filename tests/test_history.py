"""History across runs: day 1 writes a passage index, day 2 finds day 1's wire copy in a
new article through it, without the day-1 articles (their folder is deleted first)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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


@pytest.fixture(scope="module")
def two_days(tmp_path_factory):
    root = tmp_path_factory.mktemp("history")
    _write(root / "crawl" / "2024-03-05", DAY1)
    _write(root / "crawl" / "2024-03-06", DAY2)
    common = ["--input", str(root / "crawl" / "{date}"), "--output", str(root / "maps" / "{date}")]
    common += ["--index", str(root / "index"), "--history", str(root / "index"), "--direct_num_workers", "1"]
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


def test_a_missing_history_folder_exits_2(tmp_path, capsys):
    _write(tmp_path / "in", DAY2)
    args = ["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "o"), "--history", str(tmp_path / "no")]
    assert run(args) == 2
    assert "--history" in capsys.readouterr().err


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
