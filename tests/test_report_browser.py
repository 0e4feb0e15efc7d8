"""report.html in a real browser (Debian's chromium via playwright): the seeds' report,
its passage list, filters, article view and side-by-side copies; and hostile text
that must stay text."""

import json

import pytest
from playwright.sync_api import expect

from pipeline.cli import run
from tests.report_rows import A, B, member_row, passage_row, sample_rows, write_folder

TITLE = "wiretrace report"


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class Watched:
    """A page that records what it should never do: dialogs, errors, requests elsewhere."""

    def __init__(self, browser, path):
        self.page = browser.new_page(viewport={"width": 1300, "height": 900})
        self.dialogs, self.errors, self.requests = [], [], []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("html[data-ready=true]")

    def tab(self, name):
        self.page.click(f"nav.tabs button[data-tab={name}]")

    def assert_quiet(self):
        assert self.dialogs == [] and self.errors == []
        assert self.requests == [self.url]  # nothing fetched: the file is self-contained
        assert self.page.title() == TITLE


def test_seeds_report_lists_passages_and_shows_copies_side_by_side(browser, seeds_run, tmp_path):
    passages = _rows(seeds_run / "passages.jsonl")
    summary = json.loads((seeds_run / "summary.json").read_text())
    w = Watched(browser, seeds_run / "report.html")
    page = w.page

    assert page.inner_text("#count-passages b") == str(summary["passages"])
    assert page.locator("#outlet-shares g").count() == len(summary["outlets"])
    assert (
        page.locator("#outlet-matrix rect.cell").count()
        == len((seeds_run / "outlets.csv").read_text().splitlines()) - 1
    )

    w.tab("passages")
    listed = page.locator("#passage-list > li").evaluate_all("items => items.map(li => li.dataset.id)")
    assert sorted(listed) == sorted(p["passage_id"] for p in passages)
    afp = [p for p in passages if p["agency"] == "AFP"]
    page.select_option("#filter-agency", label="AFP")
    expect(page.locator("#passage-list > li")).to_have_count(len(afp))
    page.select_option("#filter-agency", label="all agencies")
    page.fill("#filter-text", "Hezbollah")
    hezbollah = [p for p in passages if "hezbollah" in p["text"].lower()]
    expect(page.locator("#passage-list > li")).to_have_count(len(hezbollah))
    assert 0 < len(hezbollah) < len(passages)
    page.fill("#filter-text", "")
    # The list is drawn again after the filter's debounce: wait for it before opening a row.
    expect(page.locator("#passage-list > li")).to_have_count(len(passages))

    # One passage: its origin, evidence, timeline and members.
    widest = max(passages, key=lambda p: (p["size"], p["passage_id"]))
    item = page.locator(f"#passage-list > li[data-id={widest['passage_id']}]")
    item.locator("button.row").click()
    detail = item.locator(".detail")
    assert widest["origin"]["doc_id"] in detail.inner_text()
    expect(detail.locator("svg.timeline circle")).to_have_count(sum(1 for m in widest["members"] if m["published"]))
    assert detail.locator("table.members tr").count() == len(widest["members"]) + 1

    # The article view: click a highlighted span of an edited copy, see every copy side by side.
    edited = next(p for p in passages if any(m["kind"] == "edited" for m in p["members"]) and p["size"] >= 3)
    copy = next(m for m in edited["members"] if m["kind"] == "edited")
    w.tab("articles")
    page.fill("#article-text", copy["doc_id"])
    expect(page.locator("#article-list > li")).to_have_count(1)
    page.click("#article-list > li button.row")
    marks = page.locator("#article-view mark")
    doc = next(d for d in _rows(seeds_run / "documents.jsonl") if d["doc_id"] == copy["doc_id"])
    assert {m.get_attribute("data-passage") for m in marks.all()} == {s["passage_id"] for s in doc["spans"]}
    mark = page.locator(f"#article-view mark[data-passage={edited['passage_id']}]").first
    assert mark.inner_text() in copy["text"]
    mark.click()
    compare = page.locator(f"#article-view .compare[data-passage={edited['passage_id']}]")
    compare.wait_for()
    columns = compare.locator(".column")
    assert columns.evaluate_all("cs => cs.map(c => c.dataset.doc)")[0] == edited["origin"]["doc_id"]
    assert sorted(columns.evaluate_all("cs => cs.map(c => c.dataset.doc)")) == sorted(
        m["doc_id"] for m in edited["members"] if m["kind"] != "rewritten"
    )  # copies side by side; rewordings have a table of their own
    here = compare.locator(".column.here")
    assert here.get_attribute("data-doc") == copy["doc_id"] and here.get_attribute("data-kind") == "edited"
    assert here.locator("ins, del").count() > 0  # the word-level edits, marked
    assert compare.locator(".column[data-kind=origin] ins, .column[data-kind=origin] del").count() == 0
    kept = here.locator(".body").evaluate(
        "b => Array.from(b.childNodes).filter(n => n.nodeName !== 'DEL').map(n => n.textContent).join('')"
    )  # the copy's own words: those of the origin it leaves out are struck through beside them
    assert kept.split()[:2] == copy["text"].split()[:2]

    shot = tmp_path / "report-article.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    w.assert_quiet()


def test_a_reworded_sentence_is_shown_apart_beside_the_wire_sentence_it_rewords(browser, seeds_run):
    passages = _rows(seeds_run / "passages.jsonl")
    reworded = [(p, m) for p in passages for m in p["members"] if m["kind"] == "rewritten"]
    assert reworded, "the seeds rewrite wire copy: some members must be of kind rewritten"
    passage, member = next((p, m) for p, m in reworded if m["doc_id"].startswith("001"))
    w = Watched(browser, seeds_run / "report.html")
    page = w.page
    w.tab("articles")
    page.fill("#article-text", member["doc_id"])
    expect(page.locator("#article-list > li")).to_have_count(1)
    page.click("#article-list > li button.row")
    page.locator(f"#article-view mark[data-passage={passage['passage_id']}]").first.click()
    compare = page.locator(f"#article-view .compare[data-passage={passage['passage_id']}]")
    compare.wait_for()
    # the rewrite is not a column of copies: it has its own table, one row per rewritten member
    assert compare.locator(".column[data-kind=rewritten]").count() == 0
    rows = compare.locator(".rewordings tr[data-doc]")
    expect(rows).to_have_count(sum(1 for m in passage["members"] if m["kind"] == "rewritten"))
    here = compare.locator(".rewordings tr.here")
    assert here.locator("td.reworded").inner_text() == member["text"]
    assert here.locator("td.source").inner_text() == member["rewrites"]["text"]
    assert member["text"] != member["rewrites"]["text"]
    w.assert_quiet()


HOSTILE = [
    "<script>alert('body')</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "</script><script>document.title='pwned'</script>",
    "</textarea><svg onload=alert(1)>",
    '{{ 7*7 }} &lt;b&gt; &amp; "quoted"',
]
WIRE = (
    "The ministers \U0001f4f0 agreed on Tuesday to extend the ceasefire for another ninety days "
    + " ".join(HOSTILE)
    + " while negotiators in the capital prepared a broader agreement on prisoners and aid."
)


def _hostile_inputs(tmp_path):
    records = []
    for i in range(3):
        evil = f"{HOSTILE[i % len(HOSTILE)]}{i}"
        records.append(
            {
                "id": f"<b id=x{i}>{evil}",
                "outlet": f"</textarea><script>alert('outlet{i}')</script>",
                "title": f"<script>document.title='pwned{i}'</script> Title {i}",
                "url": "javascript:alert('url')",
                "published": f"2024-05-0{i + 1}T10:00:00Z",
                "text": f"Own lead {i} <img src=x onerror=alert({i})> says something else entirely here.\n\n{WIRE}\n\n"
                f"Closing {i} </script><script>alert('tail')</script> with words of its own only.",
            }
        )
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return records, path


def test_hostile_text_titles_outlets_and_ids_are_shown_as_text_never_run(browser, tmp_path):
    records, path = _hostile_inputs(tmp_path)
    out = tmp_path / "out"
    assert run(["run", "--input", str(path), "--output", str(out)]) == 0
    assert any(HOSTILE[0] in p["text"] for p in _rows(out / "passages.jsonl"))
    w = Watched(browser, out / "report.html")
    page = w.page
    injected = "document.querySelectorAll('img, iframe, object, embed, textarea, #x0, #x1, #x2').length"

    assert records[0]["outlet"] in page.inner_text("#outlets")  # the overview, rendered by Jinja2
    w.tab("passages")
    page.fill("#filter-text", "ceasefire")
    expect(page.locator("#passage-list > li")).to_have_count(1)
    page.click("#passage-list > li button.row")
    page.click("text=Compare the copies side by side")
    detail = page.inner_text("#passage-list .detail")
    assert all(r["id"] in detail for r in records)
    assert HOSTILE[1] in page.inner_text("#passage-list .snippet")

    w.tab("articles")
    page.fill("#article-text", "x1")
    expect(page.locator("#article-list > li")).to_have_count(1)
    page.click("#article-list > li button.row")
    view = page.inner_text("#article-view")
    assert records[1]["title"] in view and records[1]["text"].split("\n")[0] in view
    assert "{{ 7*7 }}" in view and "&lt;b&gt;" in view and "49" not in view
    assert page.locator("#article-view a").count() == 0  # a javascript: url is not a link
    wire = next(p for p in _rows(out / "passages.jsonl") if "ceasefire" in p["text"])
    member = next(m for m in wire["members"] if m["doc_id"] == records[1]["id"])
    mark = page.locator(f"#article-view mark[data-passage={wire['passage_id']}]")
    assert "".join(mark.all_inner_texts()) == member["text"]  # offsets past an emoji (2 UTF-16 units) hold
    mark.first.click()
    page.locator("#article-view .compare").wait_for()
    assert HOSTILE[3] in page.inner_text("#article-view .compare")
    assert member["text"] in page.inner_text("#article-view .column.here .body")

    assert page.evaluate(injected) == 0
    assert page.evaluate("document.scripts.length") == 2  # the data block and the page's own script
    assert (
        page.evaluate(
            "Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes)"
            ".some(a => a.name.startsWith('on'))).length"
        )
        == 0
    )
    w.assert_quiet()


@pytest.mark.parametrize("max_passages", [0, 1])
def test_report_command_rebuilds_the_same_page_and_caps_passages(seeds_run, tmp_path, max_passages, browser):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(seeds_run, folder)
    (folder / "report.html").unlink()
    assert run(["report", str(folder)]) == 0
    assert (folder / "report.html").read_bytes() == (seeds_run / "report.html").read_bytes()
    assert run(["report", str(folder), "--max-passages", str(max_passages)]) == 0
    w = Watched(browser, folder / "report.html")
    assert "most widely carried" in w.page.inner_text("#passages-capped")
    agencies = w.page.inner_text("#agencies")  # counted over every passage, not only those shown
    assert all(p["agency"] in agencies for p in _rows(folder / "passages.jsonl") if p["agency"])
    w.tab("passages")
    assert w.page.locator("#passage-list > li").count() == max_passages
    w.assert_quiet()


def test_spans_of_passages_not_in_the_report_never_cut_a_shown_one(browser, tmp_path):
    passages, docs = sample_rows()
    b_doc = docs[1]
    start = B.index("would")
    b_doc["spans"].append({"start": start, "end": start + 5, "passage_id": "p9", "role": "copy", "shared_with": []})
    folder = write_folder(tmp_path / "out", passages, docs)
    assert run(["report", str(folder)]) == 0
    w = Watched(browser, folder / "report.html")
    w.tab("articles")
    w.page.fill("#article-text", "Beta")
    expect(w.page.locator("#article-list > li")).to_have_count(1)
    w.page.click("#article-list > li button.row")
    shown = w.page.locator("#article-view mark[data-passage=p1]")
    member = next(m for m in passages[0]["members"] if m["doc_id"] == "b")
    assert shown.all_inner_texts() == [member["text"]]  # one mark, not cut by p9 inside it
    assert w.page.locator("#article-view mark.unshown").all_inner_texts() == ["Other"]
    w.assert_quiet()


def test_without_document_text_an_article_lists_its_spans_in_order_and_unknown_outlets_filter(browser, tmp_path):
    passages, docs = sample_rows()
    second = passage_row(
        "p2",
        [
            member_row("a", "Alpha", 0, 6, A[:6], "origin"),
            member_row("c", None, 0, 6, A[:6]),
        ],
    )
    for d in docs:
        d.pop("text")
    docs[0]["spans"].insert(0, {"start": 0, "end": 6, "passage_id": "p2", "role": "origin", "shared_with": []})
    folder = write_folder(tmp_path / "out", [passages[0], second], docs)
    assert run(["report", str(folder)]) == 0
    w = Watched(browser, folder / "report.html")
    w.tab("passages")
    w.page.select_option("#filter-outlet", label="(unknown outlet)")
    expect(w.page.locator("#passage-list > li")).to_have_count(2)  # c, of unknown outlet, carries both
    w.page.select_option("#filter-outlet", label="Beta")
    expect(w.page.locator("#passage-list > li")).to_have_count(1)
    w.tab("articles")
    w.page.fill("#article-text", "Alpha")
    expect(w.page.locator("#article-list > li")).to_have_count(1)
    w.page.click("#article-list > li button.row")
    assert "did not keep article text" in w.page.inner_text("#article-view")
    assert w.page.locator("#article-view mark").all_inner_texts() == [A[:6], A[A.index("The minister") :]]
    w.assert_quiet()
