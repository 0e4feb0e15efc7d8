"""transforms.readers: text and JSON Lines files -> Documents or RecordErrors."""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.model import Document, RecordError
from transforms.readers import input_format, jsonl_parts, parse_file, parse_jsonl, parse_part, pick_survivor


def parse_text_file(path, data):
    (record,) = parse_file(path, data)
    return record


def parse_jsonl_file(path, data):
    return list(parse_file(path, data))


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("a.txt", "text"),
        ("A.TEXT", "text"),
        ("x/b.jsonl", "jsonl"),
        ("c.NDJSON", "jsonl"),
        ("d.json", None),
        ("d.csv", "csv"),
        ("d.TSV", "csv"),
        ("p.htm", "html"),
        ("cc.warc.gz", "warc"),
        ("e.jsonl.gz", "jsonl"),
        ("f.TXT.GZ", "text"),
        ("g.gz", None),
    ],
)
def test_input_format(path, fmt):
    assert input_format(path) == fmt


def test_text_file_doc_id_is_the_stem_and_text_is_exact(tmp_path):
    path = tmp_path / "sub" / "000_abc.txt"
    path.parent.mkdir()
    text = "2023-11-05 - Source: Wire\r\n\r\n  Headline \r\nBody text.\n"
    path.write_bytes(text.encode())
    doc = parse_text_file(str(path), path.read_bytes())
    assert doc == Document("000_abc", text, str(path), "Wire", "2023-11-05", "Headline")


def test_text_file_stem_from_a_windows_path():
    assert parse_text_file("C:\\in\\story.v2.txt", b"text").doc_id == "story.v2"


def test_text_file_byte_order_mark_is_not_text():
    doc = parse_text_file("a.txt", "\ufeffHello".encode())
    assert doc.text == "Hello"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe", "empty_text"),
        (b"\xef\xbb\xbf \n", "empty_text"),
        (b" \r\n\t\n", "empty_text"),
        (b"", "empty_text"),
    ],
)
def test_unusable_text_file(data, reason):
    error = parse_text_file("in/bad.txt", data)
    assert isinstance(error, RecordError)
    assert (error.source, error.reason) == ("in/bad.txt", reason)


def test_jsonl_document_fields_and_metadata_fallback():
    lines = [
        {"id": "a", "text": "Body.", "outlet": "Wire", "published": "2023-11-05", "title": "T", "url": "https://u"},
        {"id": 7, "text": "2023-12-06 - Source: Shafaq News\n\nBody.", "outlet": None},
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    first, second = parse_jsonl_file("in/x.jsonl", data)
    assert first == Document("a", "Body.", "in/x.jsonl:1", "Wire", "2023-11-05", "T", "https://u")
    assert (second.doc_id, second.source, second.outlet, second.published) == (
        "7",
        "in/x.jsonl:2",
        "Shafaq News",
        "2023-12-06",
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "a", "text": ', "invalid_json"),
        ("[1, 2]", "not_an_object"),
        ('"just a string"', "not_an_object"),
        ('{"text": "body"}', "missing_id"),
        ('{"id": "  ", "text": "body"}', "missing_id"),
        ('{"id": true, "text": "body"}', "missing_id"),
        ('{"id": 1.5, "text": "body"}', "missing_id"),
        ('{"id": "a"}', "missing_text"),
        ('{"id": "a", "text": null}', "missing_text"),
        ('{"id": "a", "text": 5}', "wrong_type"),
        ('{"id": "a", "text": "body", "outlet": ["x"]}', "wrong_type"),
        ('{"id": "a", "text": "body", "title": 2023}', "wrong_type"),
        ('{"id": "a", "text": " \\n "}', "empty_text"),
        ('{"id": "a", "text": "bad \\ud800 text"}', "invalid_text"),
        ('{"id": "\\ud800", "text": "body"}', "invalid_text"),
        ('{"id": "a", "text": "body", "title": "\\udfff"}', "invalid_text"),
    ],
)
def test_bad_jsonl_line_reason(line, reason):
    data = b'{"id": "ok", "text": "fine"}\n' + line.encode()
    ok, error = parse_jsonl_file("in/x.jsonl", data)
    assert isinstance(ok, Document)
    assert isinstance(error, RecordError)
    assert (error.source, error.reason, error.record) == ("in/x.jsonl:2", reason, line)


def test_jsonl_in_latin1_is_decoded_not_rejected():
    (doc,) = parse_jsonl_file("x.jsonl", b'{"id": "a", "text": "caf\xe9 cr\xe8me"}')
    assert doc.text == "caf\u00e9 cr\u00e8me"


def test_empty_jsonl_file_is_one_error():
    for data in (b"", b" \n\r\n\t"):
        (error,) = parse_jsonl_file("x.jsonl", data)
        assert (error.source, error.reason) == ("x.jsonl", "empty_file")


def test_jsonl_bom_on_first_line_and_crlf_endings():
    data = '\ufeff{"id": "a", "text": "one"}\r\n\r\n{"id": "b", "text": "two"}\r\n'.encode()
    assert [d.doc_id for d in parse_jsonl_file("x.jsonl", data)] == ["a", "b"]


_line = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}), st.text(max_size=5), st.text(max_size=20)),
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}, ensure_ascii=False), st.integers(), st.text(max_size=20)),
    st.text(st.characters(blacklist_characters="\x00"), max_size=20),  # NULs: tests/test_decode.py
    st.sampled_from(["", "   ", "\r", "null", "{}", '{"id": "a", "text": "\\ud800"}']),
)


@given(st.lists(_line, max_size=8))
def test_every_non_blank_line_yields_exactly_one_record(lines):
    text = "\n".join(lines)
    data = text.encode("utf-8", errors="surrogatepass")
    text_lines = re.split(r"\r\n|\r|\n", text)  # CR, LF and CRLF all end a line
    # A line of white space (as str.isspace has it: \x1c-\x1f too) is blank, not a record.
    expected = [f"f.jsonl:{n}" for n, line in enumerate(text_lines, start=1) if line.strip()] or ["f.jsonl"]
    records = list(parse_jsonl_file("f.jsonl", data))
    assert [r.source for r in records] == expected
    assert all(isinstance(r, (Document, RecordError)) for r in records)


def test_parse_file_dispatches_on_extension():
    assert [r.doc_id for r in parse_file("a/b.txt", b"text")] == ["b"]
    assert [r.doc_id for r in parse_file("a/b.ndjson", b'{"id": "x", "text": "t"}\n\n')] == ["x"]
    (error,) = parse_file("a/b.doc", b"id,text")
    assert (error.source, error.reason) == ("a/b.doc", "unsupported_format")


def test_pick_survivor_keeps_the_smallest_source():
    docs = [Document("id1", "same", "c.txt"), Document("id1", "same", "a.jsonl:3"), Document("id1", "other", "b.txt")]
    kept, errors = pick_survivor("id1", docs)
    assert kept.source == "a.jsonl:3"
    assert [(e.source, e.reason) for e in errors] == [("b.txt", "duplicate_id"), ("c.txt", "duplicate_id")]
    assert "a different text" in errors[0].detail and "the same text" in errors[1].detail
    assert all("a.jsonl:3" in e.detail for e in errors)


def test_pick_survivor_of_a_single_record():
    doc = Document("id1", "t", "a.txt")
    assert pick_survivor("id1", [doc]) == (doc, [])


def test_published_is_normalised_or_kept_unknown_with_a_note():
    good = list(parse_jsonl_file("f.jsonl", b'{"id": "a", "text": "t", "published": "2024-01-02 03:04"}\n'))
    assert good[0].published == "2024-01-02T03:04:00" and good[0].notes == ()
    (kept,) = parse_jsonl_file("f.jsonl", b'{"id": "a", "text": "t", "published": "yesterday"}\n')
    assert (kept.doc_id, kept.published, kept.notes) == ("a", None, ("unparsed_published",))
    (unix,) = parse_jsonl_file("f.jsonl", b'{"id": "a", "text": "t", "published": 1709892000}\n')
    assert unix.published == "2024-03-08T10:00:00+00:00"
    (odd,) = parse_jsonl_file("f.jsonl", b'{"id": "a", "text": "t", "published": {"at": 1}}\n')
    assert (odd.published, odd.notes) == (None, ("unparsed_published",))


_jsonl_lines = st.lists(
    st.one_of(
        st.builds(lambda i, t: json.dumps({"id": f"d{i}", "text": t}), st.integers(0, 9), st.text(min_size=1)),
        st.sampled_from(["", "   ", "{not json", "[1, 2]", '{"id": "x"}']),
    ),
    max_size=30,
)


@given(_jsonl_lines, st.sampled_from(["\n", "\r\n", "\r"]), st.integers(1, 7))
def test_jsonl_parts_parse_to_the_records_of_the_whole_file(lines, end, size):
    """However a JSON Lines file is cut into parts, their records, in order, are the
    whole file's: the same Documents and RecordErrors, numbered by their lines in the
    file, and one empty_file error for a file without a record."""
    text = end.join(lines)
    parts = jsonl_parts("f.jsonl", text, lines=size)
    assert [r for part in parts for r in parse_part(part)] == list(parse_jsonl("f.jsonl", text))
    assert len(parts) == 1 or all(not part.whole for part in parts)
