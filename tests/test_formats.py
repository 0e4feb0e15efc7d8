"""The inputs real users have: HTML pages, WARC files (as CC-NEWS), CSV exports.

Each test writes its own realistic sample: a page with site furniture around the
article, a WARC written with warcio (warcinfo, request, HTML and non-HTML responses),
a CSV with its own column names.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.cli import run
from transforms.model import Document, RecordError
from transforms.pages import WarcCounts, page_document, warc_records
from transforms.readers import ReadOptions, parse_file

WIRE = (
    "Rescue workers pulled at least a dozen survivors from the rubble of the collapsed hospital "
    "overnight, the regional governor told reporters on Wednesday morning."
)
SECOND = "The earthquake, of magnitude 6.8, struck shortly after three in the morning local time, the agency said."


def _page(site: str, title: str, published: str, own: str, url: str) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}">
</head><body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>{title}</h1>
<p>{own}</p>
<p>{WIRE}</p>
<p>{SECOND}</p>
</article></main>
<aside>Most read: Ten things you did not know about tea</aside>
<footer>&copy; 2024 {site}. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


PAGE = _page(
    "Daily Planet",
    "Hospital collapses in quake",
    "2024-03-06T07:15:00+01:00",
    "Our correspondent in the region spoke to families waiting outside the ruins all night long.",
    "https://planet.example/world/quake",
)


def _warc(path: Path, pages: list[tuple[str, str, str]]) -> None:
    """pages (url, content type, body) -> a gzipped WARC as CC-NEWS writes them."""
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warcinfo_record("news.warc.gz", {"software": "test"}))
        for url, content_type, body in pages:
            request = writer.create_warc_record(
                url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"), warc_headers_dict={}
            )
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            payload = io.BytesIO(body.encode("utf-8") if "utf" in content_type or "html" in content_type else body)
            writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))


def test_page_text_and_metadata_are_extracted_without_the_furniture():
    doc = page_document("quake", PAGE, "in/quake.html")
    assert WIRE in doc.text and SECOND in doc.text
    assert "Home" not in doc.text and "Subscribe" not in doc.text and "tea" not in doc.text
    assert (doc.outlet, doc.title, doc.url) == (
        "Daily Planet",
        "Hospital collapses in quake",
        "https://planet.example/world/quake",
    )
    assert doc.published == "2024-03-06T07:15:00+01:00"


def test_a_page_without_article_text_is_an_error():
    error = page_document("x", "<html><body><script>var a = 1;</script></body></html>", "in/x.html")
    assert error.reason == "no_text"


def test_warc_responses_are_articles_and_the_rest_is_counted(tmp_path):
    path = tmp_path / "cc-news.warc.gz"
    _warc(
        path,
        [
            ("https://planet.example/world/quake", "text/html; charset=utf-8", PAGE),
            ("https://planet.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
            ("https://empty.example/", "text/html", "<html><body></body></html>"),
        ],
    )
    counts = WarcCounts()
    with open(path, "rb") as f:
        records = list(warc_records(str(path), f, counts))
    assert counts.skipped == 4  # warcinfo and three requests
    page, image, empty = records
    assert page.doc_id.startswith("urn:uuid:") and page.url == "https://planet.example/world/quake"
    assert page.source == f"{path}:3" and WIRE in page.text
    assert (image.reason, image.source) == ("not_html", f"{path}:5")
    assert empty.reason == "no_text"


@pytest.mark.parametrize("cut", [200, 600, 2000])
def test_a_truncated_warc_keeps_what_it_read_and_reports_the_rest(tmp_path, cut):
    path = tmp_path / "cut.warc.gz"
    _warc(path, [("https://planet.example/a", "text/html", PAGE), ("https://planet.example/b", "text/html", PAGE)])
    data = path.read_bytes()
    with open(path, "rb") as f:
        whole = list(warc_records(str(path), f, WarcCounts()))
    records = list(warc_records(str(path), io.BytesIO(data[: len(data) - cut]), WarcCounts()))
    assert len(whole) == 2 and all(isinstance(r, Document) for r in whole)
    assert records[0] == whole[0] or cut == 2000
    assert isinstance(records[-1], RecordError) and records[-1].reason in ("truncated_record", "bad_warc")


def test_csv_rows_with_configured_columns():
    data = (
        b"article_id,body,source_name,date,headline\n"
        b'1,"First article, with a comma",Planet,2024-03-06,One\n'
        b'2,"Second article\nover two lines",Gazette,,Two\n'
        b"3,,Planet,2024-03-06,Three\n"
        b"4,Fourth,Planet,yesterday,Four\n"
        b",No id,Planet,,Five\n"
    )
    columns = {"id": "article_id", "text": "body", "outlet": "source_name", "published": "date", "title": "headline"}
    records = list(parse_file("in/export.csv", data, ReadOptions(fields=columns)))
    one, two, three, four, five = records
    assert (one.doc_id, one.text, one.outlet, one.published, one.title) == (
        "1",
        "First article, with a comma",
        "Planet",
        "2024-03-06",
        "One",
    )
    assert (two.text, two.source, two.published) == ("Second article\nover two lines", "in/export.csv:3", None)
    assert (three.reason, three.source) == ("empty_text", "in/export.csv:5")
    assert (four.doc_id, four.published, four.notes, five.reason) == ("4", None, ("unparsed_published",), "missing_id")


def test_csv_header_without_the_text_column_is_one_error():
    (error,) = parse_file("in/x.csv", b"id,content\n1,hello\n")
    assert error.reason == "missing_column" and "'text'" in error.detail


def test_tsv_and_a_forced_format():
    (doc,) = parse_file("in/x.tsv", b"id\ttext\n7\tA tab, separated\n")
    assert (doc.doc_id, doc.text) == ("7", "A tab, separated")
    (doc,) = parse_file("in/x.data", b"id;text\n8;semi\n", ReadOptions(format="csv", csv_delimiter=";"))
    assert (doc.doc_id, doc.text) == ("8", "semi")


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """One page, one WARC, one CSV (gzipped, own column names), each carrying the wire copy."""
    folder = tmp_path_factory.mktemp("formats") / "in"
    folder.mkdir()
    (folder / "planet-quake.html").write_text(PAGE, encoding="utf-8")
    other = _page(
        "Evening Gazette",
        "Survivors found",
        "2024-03-06T09:40:00+00:00",
        "Families gathered at the gates of the ruined building as cranes arrived from the capital.",
        "https://gazette.example/quake",
    )
    _warc(folder / "cc-news.warc.gz", [("https://gazette.example/quake", "text/html; charset=utf-8", other)])
    rows = "uid;content;site\nw-1;" + f'"Local desk. {WIRE}\n\n{SECOND}"' + ";Morning Post\n"
    (folder / "export.csv.gz").write_bytes(gzip.compress(rows.encode()))
    config = folder.parent / "csv.yaml"
    config.write_text("csv_columns: {id: uid, text: content, outlet: site}\ncsv_delimiter: ';'\n")
    out = folder.parent / "out"
    args = ["run", "--input", str(folder), "--output", str(out), "--config", str(config), "--direct_num_workers", "1"]
    assert run(args) == 0
    return out


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_format_is_read_and_the_wire_copy_is_found_in_each(mixed_run):
    docs = {d["doc_id"]: d for d in _rows(mixed_run / "documents.jsonl")}
    assert "planet-quake" in docs and "w-1" in docs and len(docs) == 3
    warc_id = next(d for d in docs if d.startswith("urn:uuid:"))
    assert docs["planet-quake"]["outlet"] == "Daily Planet" and docs[warc_id]["outlet"] == "Evening Gazette"
    assert docs[warc_id]["url"] == "https://gazette.example/quake" and docs["w-1"]["outlet"] == "Morning Post"
    passages = _rows(mixed_run / "passages.jsonl")
    wire = [p for p in passages if any(WIRE in m["text"] for m in p["members"])]
    assert len(wire) == 1 and {m["doc_id"] for m in wire[0]["members"]} == set(docs)
    for p in passages:
        for m in p["members"]:
            assert docs[m["doc_id"]]["text"][m["start"] : m["end"]] == m["text"]  # offsets into the extracted text
    summary = json.loads((mixed_run / "summary.json").read_text())
    assert summary["records_read"] == 3 == summary["documents"]
    assert summary["counters"]["read:warc_records_not_responses"] == 2  # warcinfo, request


def test_one_failing_warc_record_costs_that_record_only(tmp_path, monkeypatch):
    import transforms.pages as pages

    path = tmp_path / "three.warc.gz"
    urls = [f"https://planet.example/{k}" for k in ("a", "b", "c")]
    _warc(path, [(url, "text/html", PAGE) for url in urls])
    real = pages.page_document

    def breaks_on_b(doc_id, html, source, url=None):
        if url.endswith("/b"):
            raise RuntimeError("a decoder failed")
        return real(doc_id, html, source, url)

    monkeypatch.setattr(pages, "page_document", breaks_on_b)
    with open(path, "rb") as f:
        a, b, c = warc_records(str(path), f, WarcCounts())
    assert (a.url, c.url) == (urls[0], urls[2])
    assert (b.reason, b.source) == ("bad_record", f"{path}:5")


def test_a_warc_without_responses_is_one_error(tmp_path):
    path = tmp_path / "info.warc.gz"
    _warc(path, [])
    with open(path, "rb") as f:
        (error,) = warc_records(str(path), f, WarcCounts())
    assert error.reason == "empty_file"


def test_csv_quotes_left_open_are_an_error_and_tsv_quotes_are_text():
    records = list(parse_file("in/x.csv", b'id,text\n1,fine\n2,"never closed\n3,swallowed\n'))
    assert [getattr(r, "reason", None) for r in records] == [None, "bad_csv"]
    (doc,) = parse_file("in/x.tsv", b'id\ttext\n1\t"We will win," he said\n')
    assert doc.text == '"We will win," he said'


def test_an_undated_page_has_no_date_not_its_copyright_year():
    page = PAGE.replace('<meta property="article:published_time" content="2024-03-06T07:15:00+01:00">', "")
    page = page.replace("&copy; 2024", "&copy; 2019")
    assert page_document("x", page, "in/x.html").published is None


def _export(folder: Path) -> Path:
    """An ordinary JSON Lines export: its own field names, the outlet inside an object,
    dates as RSS and Unix time and once as nothing readable."""
    stated = [
        (101, f"Desk note.\n\n{WIRE}", "Morning Post", "Wed, 06 Mar 2024 08:00:00 +0100"),
        (102, f"{WIRE}\n\nOwn closing words here.", "Daily Planet", 1709712000),
        (103, WIRE, "Evening Gazette", "last Tuesday"),
    ]
    rows = [{"uid": u, "body": b, "source": {"name": o}, "pubDate": p} for u, b, o, p in stated]
    path = folder / "export.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_json_lines_export_with_its_own_field_names_is_read_through_fields(tmp_path, capsys):
    export = _export(tmp_path)
    config = tmp_path / "mine.yaml"
    config.write_text("fields: {id: uid, text: body, outlet: source.name, published: pubDate}\n")
    out = tmp_path / "out"
    assert run(["run", "--input", str(export), "--output", str(out), "--config", str(config), "--quiet"]) == 0
    docs = {d["doc_id"]: d for d in _rows(out / "documents.jsonl")}
    assert [(d, docs[d]["outlet"], docs[d]["published"]) for d in sorted(docs)] == [
        ("101", "Morning Post", "2024-03-06T08:00:00+01:00"),
        ("102", "Daily Planet", "2024-03-06T08:00:00+00:00"),
        ("103", "Evening Gazette", None),
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counters"]["read:unparsed_published"] == 1 and summary["records_rejected"] == 0
    assert "1 record has a `published` value that is not a time" in capsys.readouterr().out


def test_without_fields_an_export_with_other_names_is_rejected_saying_which_field(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["run", "--input", str(_export(tmp_path)), "--output", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "no record became a document (3 read, 3 rejected)" in err and "3 x missing_id" in err


def test_csv_columns_is_read_as_fields_and_both_disagreeing_is_an_error(tmp_path, capsys):
    from pipeline.config import ConfigError, load_config

    assert load_config(overrides=["csv_columns={id: uid}"]).fields == {"id": "uid"}
    assert load_config(overrides=["csv_columns={id: uid}", "fields={id: uid}"]).fields == {"id": "uid"}
    with pytest.raises(ConfigError, match="'csv_columns' is the older name of 'fields'"):
        load_config(overrides=["csv_columns={id: uid}", "fields={id: other}"])


def test_a_key_that_applies_to_no_input_format_is_a_warning_naming_it(seeds_dir, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["run", "--input", str(seeds_dir), "--output", str(out), "--quiet"]
    assert run([*args, "--set", "csv_delimiter=;", "--set", "fields={id: uid}"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    both = "JSON Lines or CSV"
    assert warnings == [
        f"wiretrace: warning: config key 'fields' applies to {both} input only, and no input file is {both}",
        "wiretrace: warning: config key 'csv_delimiter' applies to CSV input only, and no input file is CSV",
    ]
