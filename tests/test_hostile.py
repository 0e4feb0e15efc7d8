"""Hostile input: every broken file the web produces, through the whole job.

All the cases are written into one folder and run as one job (one process), which must
finish. Then, for each case: each of its records is in exactly one of documents.jsonl
and errors.jsonl (with the reason expected), and the counts of summary.json add up.
Cases whose text is shared (other encodings, other scripts, zero-width characters and
HTML character references) must also be found as passages, with offsets into the text
as decoded.
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.cli import run
from transforms.text import MAX_PARAGRAPH_CHARS

_SYLLABLES = "ka lo mi ne ru sa te vo zi pa do fe gu hi ja".split()


def _own_text(seed: str, sentences: int = 3) -> str:
    """Sentences of made-up words no other document shares."""
    rng = random.Random(seed)
    out = []
    for _ in range(sentences):
        words = ["".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(12)]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def _article(seed: str, shared: str) -> str:
    return f"{_own_text(seed + 'a')}\n\n{shared}\n\n{_own_text(seed + 'b')}\n"


def _jsonl(*records: dict) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


FRENCH = (
    "Le président a déclaré mercredi que la réforme des retraites serait adoptée avant l'été, "
    "malgré les grèves qui paralysent les transports publics depuis trois semaines."
)
ENGLISH = (
    "\u201cWe are ready to talk,\u201d the minister said on Tuesday \u2014 a day after the talks "
    "collapsed over the \u20ac2 billion aid package the rebels had demanded as a first step."
)
SCRIPTS = {
    "arabic": (
        "قال المتحدث باسم الحكومة إن المفاوضات مع الفصائل المسلحة ستستأنف الأسبوع المقبل في العاصمة بحضور وسطاء دوليين."
    ),
    "urdu": (
        "حکومت کے ترجمان نے کہا کہ مسلح گروہوں کے ساتھ مذاکرات اگلے ہفتے "
        "دارالحکومت میں بین الاقوامی ثالثوں کی موجودگی میں دوبارہ شروع ہوں گے۔"
    ),
    "chinese": "政府发言人表示，与武装派别的谈判将于下周在首都恢复，国际调解人将出席会议并监督停火协议的执行情况。",
    "russian": (
        "Представитель правительства заявил, что переговоры с вооруженными группировками "
        "возобновятся на следующей неделе в столице при участии международных посредников."
    ),
}
WIRE = (
    "Rescue workers pulled at least a dozen survivors from the rubble of the collapsed hospital "
    "overnight, the regional governor told reporters on Wednesday morning."
)
SENTENCE = "The ceasefire collapsed within hours as both sides traded artillery fire across the river."
# The wire paragraph as scraped: zero-width characters inside words, HTML character references.
WIRE_SCRAPED = (
    "Rescue wor\u200bkers pulled at least a dozen survi\u200dvors from the rubble of the collapsed&nbsp;hospital "
    "overnight, the regional governor told reporters on Wednesday&#8217;s morning &amp; n\u00adight."
)


@dataclass
class Case:
    """Files to write (name -> bytes) and what each record must become: ("doc", doc_id)
    or ("error", source relative to the folder, reason)."""

    name: str
    files: dict[str, bytes]
    expect: list[tuple[str, ...]]
    shared: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, doc_id) that must share a passage


def _cases() -> list[Case]:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(200)
    huge = " ".join(["lorem", "ipsum", "dolor", "sit", "amet", "consectetur"] * 600_000)[: 20 * 1024 * 1024]
    cases = [
        Case(
            "empty files",
            {"empty.txt": b"", "empty.jsonl": b""},
            [("error", "empty.txt", "empty_text"), ("error", "empty.jsonl", "empty_file")],
        ),
        Case(
            "whitespace-only files",
            {"blank.txt": b" \r\n\t\n ", "blank.jsonl": b"\n  \n\r\n"},
            [("error", "blank.txt", "empty_text"), ("error", "blank.jsonl", "empty_file")],
        ),
        Case(
            "a PNG named .txt and .jsonl",
            {"photo.txt": png, "photo.jsonl": png},
            [("error", "photo.txt", "binary_file"), ("error", "photo.jsonl", "binary_file")],
        ),
        Case(
            "gzip data without a .gz name, and broken gzip",
            {
                "packed.jsonl": gzip.compress(
                    _jsonl({"id": "packed-1", "text": _own_text("p1")}, {"id": "packed-2", "text": _own_text("p2")})
                ),
                "packed-story.txt": gzip.compress(_own_text("p3").encode()),
                "broken.txt": b"\x1f\x8b\x08\x00 not really gzip",
            },
            [("doc", "packed-1"), ("doc", "packed-2"), ("doc", "packed-story"), ("error", "broken.txt", "bad_gzip")],
        ),
        Case(
            "invalid UTF-8 that no encoding reads",
            {"noise.txt": bytes(range(128, 256)) * 40},
            [("error", "noise.txt", "decode_error")],
        ),
        Case(
            "Latin-1 and Windows-1252 text, shared with UTF-8 copies",
            {
                "latin1-story.txt": _article("l1", FRENCH).encode("latin-1"),
                "cp1252-story.txt": _article("w1", ENGLISH).encode("cp1252"),
                "utf8-copies.jsonl": _jsonl(
                    {"id": "fr-copy", "text": _article("l2", FRENCH)},
                    {"id": "en-copy", "text": _article("w2", ENGLISH)},
                ),
            },
            [("doc", "latin1-story"), ("doc", "cp1252-story"), ("doc", "fr-copy"), ("doc", "en-copy")],
            shared=[("latin1-story", "fr-copy"), ("cp1252-story", "en-copy")],
        ),
        Case(
            "UTF-16 with a byte-order mark, UTF-8 with one",
            {
                "utf16-story.txt": codecs.BOM_UTF16_LE + _article("u16", WIRE).encode("utf-16-le"),
                "utf16-records.jsonl": codecs.BOM_UTF16_BE
                + _jsonl({"id": "u16-rec", "text": _own_text("u")}).decode().encode("utf-16-be"),
                "utf8bom-story.txt": codecs.BOM_UTF8 + _article("u8", WIRE).encode(),
            },
            [("doc", "utf16-story"), ("doc", "u16-rec"), ("doc", "utf8bom-story")],
            shared=[("utf16-story", "utf8bom-story")],
        ),
        Case(
            "CRLF and lone-CR line ends",
            {
                "crlf-story.txt": _article("crlf", SENTENCE + " " + WIRE).replace("\n", "\r\n").encode(),
                "cr-story.txt": _article("cr", SENTENCE + " " + WIRE).replace("\n", "\r").encode(),
                "cr-records.jsonl": b'{"id": "cr-1", "text": "one"}\r{"id": "cr-2", "text": "two"}\r',
            },
            [("doc", "crlf-story"), ("doc", "cr-story"), ("doc", "cr-1"), ("doc", "cr-2")],
            shared=[("crlf-story", "cr-story")],
        ),
        Case(
            "a 20 MB single-line document, a 200,000-character word, one sentence 10,000 times",
            {
                "huge-line.txt": huge.encode(),
                "long-word.txt": f"Title\n\n{'x' * 200_000} {SENTENCE}\n\n{_own_text('lw')}\n".encode(),
                "repeats.txt": " ".join([SENTENCE] * 10_000).encode(),
                "repeats-lines.txt": "\n".join([SENTENCE] * 10_000).encode(),
                "quotes-once.txt": _article("once", SENTENCE).encode(),
            },
            [
                ("doc", "huge-line"),
                ("doc", "long-word"),
                ("doc", "repeats"),
                ("doc", "repeats-lines"),
                ("doc", "quotes-once"),
            ],
            shared=[("repeats", "quotes-once"), ("repeats-lines", "quotes-once"), ("long-word", "quotes-once")],
        ),
        Case(
            "malformed JSON Lines and values of the wrong type",
            {
                "bad.jsonl": "\n".join(
                    [
                        '{"id": "fine-1", "text": "A fine record among broken ones."}',
                        '{"id": "cut", "text": "no end',
                        "[1, 2, 3]",
                        "42",
                        '{"id": "no-text"}',
                        '{"id": "null-text", "text": null}',
                        '{"id": "number-text", "text": 12}',
                        '{"id": ["list"], "text": "x"}',
                        '{"id": "bad-outlet", "text": "x", "outlet": {"name": "x"}}',
                        '{"id": "surrogate", "text": "broken \\ud83d escape"}',
                        "\x00\x01 garbage",
                    ]
                ).encode()
            },
            [
                ("doc", "fine-1"),
                ("error", "bad.jsonl:2", "invalid_json"),
                ("error", "bad.jsonl:3", "not_an_object"),
                ("error", "bad.jsonl:4", "not_an_object"),
                ("error", "bad.jsonl:5", "missing_text"),
                ("error", "bad.jsonl:6", "missing_text"),
                ("error", "bad.jsonl:7", "wrong_type"),
                ("error", "bad.jsonl:8", "missing_id"),
                ("error", "bad.jsonl:9", "wrong_type"),
                ("error", "bad.jsonl:10", "invalid_text"),
                ("error", "bad.jsonl:11", "invalid_json"),
            ],
        ),
        Case(
            "duplicate ids, same and different content",
            {
                "dups-a.jsonl": _jsonl({"id": "dup", "text": _own_text("d")}, {"id": "dup", "text": _own_text("d")}),
                "dups-b.jsonl": _jsonl({"id": "dup", "text": _own_text("other")}),
            },
            [("doc", "dup"), ("error", "dups-a.jsonl:2", "duplicate_id"), ("error", "dups-b.jsonl:1", "duplicate_id")],
        ),
        Case(
            "absurd dates",
            {
                "dates.jsonl": _jsonl(
                    {"id": "date-ok", "text": _own_text("da"), "published": "2024-02-29T23:59:59+14:00"},
                    {"id": "date-y10k", "text": "x", "published": "10000-01-01"},
                    {"id": "date-zero", "text": "x", "published": "0000-00-00"},
                    {"id": "date-feb30", "text": "x", "published": "2023-02-30"},
                    {"id": "date-offset", "text": "x", "published": "2023-11-05T22:15:05+99:00"},
                    {"id": "date-edge", "text": "x", "published": "9999-12-31T23:59:59-14:00"},
                    {"id": "date-word", "text": "x", "published": "yesterday"},
                )
            },
            [("doc", "date-ok")]
            + [("doc", d) for d in ("date-y10k", "date-zero", "date-feb30", "date-offset", "date-edge", "date-word")],
        ),
        Case(
            "Arabic, Urdu, Chinese and Russian copies",
            {
                "scripts.jsonl": _jsonl(
                    *[
                        {
                            "id": f"{lang}-{k}",
                            "text": f"{_own_text(lang + str(k))}\n\n{text}\n\n{_own_text(lang + 'z' + str(k))}",
                            "outlet": f"{lang} outlet {k}",
                        }
                        for lang, text in SCRIPTS.items()
                        for k in (1, 2)
                    ]
                )
            },
            [("doc", f"{lang}-{k}") for lang in SCRIPTS for k in (1, 2)],
            shared=[(f"{lang}-1", f"{lang}-2") for lang in SCRIPTS],
        ),
        Case(
            "zero-width characters and HTML character references",
            {
                "scraped.jsonl": _jsonl(
                    {"id": "scraped", "text": _article("sc", WIRE_SCRAPED)},
                    {"id": "clean", "text": _article("cl", WIRE)},
                )
            },
            [("doc", "scraped"), ("doc", "clean")],
            shared=[("scraped", "clean")],
        ),
        Case(
            "file names with spaces and non-ASCII letters",
            {
                "Le Monde – été 2024.txt": _article("lm", FRENCH).encode(),
                "новости дня.jsonl": _jsonl({"id": "новость-1", "text": _own_text("n")}),
                "東京 ニュース.txt": _own_text("tokyo").encode(),
            },
            [("doc", "Le Monde – été 2024"), ("doc", "новость-1"), ("doc", "東京 ニュース")],
            shared=[("Le Monde – été 2024", "fr-copy")],
        ),
    ]
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "in put ü"
    folder.mkdir()
    for case in CASES:
        for name, data in case.files.items():
            (folder / name).write_bytes(data)
    out = folder.parent / "out"
    assert run(["run", "--input", str(folder), "--output", str(out), "--direct_num_workers", "1"]) == 0
    return folder, out


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_case_is_in_the_suite():
    names = {c.name for c in CASES}
    assert len(names) == len(CASES) == 15
    files = [n for c in CASES for n in c.files]
    assert len(files) == len(set(files))


def test_every_record_is_accounted_for_exactly_once(hostile_run):
    folder, out = hostile_run
    documents = [d["doc_id"] for d in _rows(out / "documents.jsonl")]
    errors = [(e["source"], e["reason"]) for e in _rows(out / "errors.jsonl")]
    expected_docs = [e[1] for c in CASES for e in c.expect if e[0] == "doc"]
    expected_errors = [(str(folder / e[1]), e[2]) for c in CASES for e in c.expect if e[0] == "error"]
    assert Counter(documents) == Counter(expected_docs)
    assert Counter(errors) == Counter(expected_errors)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["records_read"] == len(expected_docs) + len(expected_errors)
    assert summary["records_read"] == summary["documents"] + summary["records_rejected"]
    assert (summary["documents"], summary["records_rejected"]) == (len(documents), len(errors))
    assert (out / "_SUCCESS").exists()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_case(case, hostile_run):
    folder, out = hostile_run
    documents = {d["doc_id"]: d for d in _rows(out / "documents.jsonl")}
    errors = {e["source"]: e for e in _rows(out / "errors.jsonl")}
    for kind, *what in case.expect:
        if kind == "doc":
            assert what[0] in documents, f"{what[0]} is not in documents.jsonl"
        else:
            source, reason = str(folder / what[0]), what[1]
            assert source in errors, f"{what[0]} is not in errors.jsonl"
            assert errors[source]["reason"] == reason and errors[source]["detail"], errors[source]
    passages = _rows(out / "passages.jsonl")
    for a, b in case.shared:
        assert any({a, b} <= {m["doc_id"] for m in p["members"]} for p in passages), f"{a} and {b} share no passage"
    for p in passages:
        for m in p["members"]:
            if m["doc_id"] in documents:
                assert documents[m["doc_id"]]["text"][m["start"] : m["end"]] == m["text"]


def test_other_encodings_are_decoded_and_offsets_refer_to_the_decoded_text(hostile_run):
    _, out = hostile_run
    documents = {d["doc_id"]: d for d in _rows(out / "documents.jsonl")}
    assert documents["latin1-story"]["text"] == _article("l1", FRENCH)
    assert documents["cp1252-story"]["text"] == _article("w1", ENGLISH)
    assert documents["utf16-story"]["text"] == _article("u16", WIRE)
    assert documents["utf8bom-story"]["text"] == _article("u8", WIRE)  # the mark is not text
    spans = [s for s in documents["latin1-story"]["spans"]]
    assert any(documents["latin1-story"]["text"][s["start"] : s["end"]] == FRENCH for s in spans)
    counters = json.loads((out / "summary.json").read_text())["counters"]
    assert counters["read:encoding:cp1252"] == 2 and counters["read:encoding:utf-16"] == 2


def test_non_latin_copies_share_the_whole_paragraph(hostile_run):
    _, out = hostile_run
    passages = _rows(out / "passages.jsonl")
    for lang, text in SCRIPTS.items():
        found = [p for p in passages if {m["doc_id"] for m in p["members"]} == {f"{lang}-1", f"{lang}-2"}]
        assert len(found) == 1, lang
        assert [m["text"] for m in found[0]["members"]] == [text, text], lang


def test_scraped_copy_is_matched_through_zero_width_characters_and_references(hostile_run):
    _, out = hostile_run
    passages = _rows(out / "passages.jsonl")
    passage = next(p for p in passages if {"scraped", "clean"} <= {m["doc_id"] for m in p["members"]})
    scraped = next(m for m in passage["members"] if m["doc_id"] == "scraped")
    assert scraped["text"].startswith("Rescue wor\u200bkers") and "&nbsp;hospital" in scraped["text"]
    assert scraped["text"].endswith("Wednesday&#8217;s morning")


def test_absurd_dates_are_kept_unknown_and_counted(hostile_run):
    _, out = hostile_run
    documents = {d["doc_id"]: d for d in _rows(out / "documents.jsonl")}
    assert documents["date-ok"]["published"] == "2024-02-29T23:59:59+14:00"
    absurd = ("date-y10k", "date-zero", "date-feb30", "date-offset", "date-edge", "date-word")
    assert [documents[d]["published"] for d in absurd] == [None] * 6
    counters = json.loads((out / "summary.json").read_text())["counters"]
    assert counters["read:unparsed_published"] == 6


def test_giant_lines_are_cut_into_bounded_paragraphs(hostile_run):
    _, out = hostile_run
    documents = {d["doc_id"]: d for d in _rows(out / "documents.jsonl")}
    assert documents["huge-line"]["chars"] == 20 * 1024 * 1024
    summary = json.loads((out / "summary.json").read_text())
    assert summary["paragraphs"] > 20 * 1024 * 1024 // MAX_PARAGRAPH_CHARS
