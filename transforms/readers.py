"""Input files -> Documents or RecordErrors. Pure, no Beam.

Formats, chosen by file extension or by `ReadOptions.format` (a further `.gz` is
allowed, and gzip data is unpacked whatever the file is called):
- text (.txt, .text): one article per file; doc_id is the file stem;
- JSON Lines (.jsonl, .ndjson): one article per non-blank line, with fields `id`
  and `text` and optional `outlet`, `published`, `title`, `url`; which key holds which
  field is configurable (`ReadOptions.fields`; a dotted name reaches into an object);
- CSV (.csv, .tsv): one article per row, a header row naming the columns; which column
  holds which field is configurable (`ReadOptions.fields`);
- HTML (.html, .htm): one article per page, its text and metadata extracted by
  trafilatura (transforms.pages); doc_id is the file stem;
- WARC (.warc, .warc.gz): one article per HTML `response` record (transforms.pages),
  read as a stream, never whole.

A file's bytes are decoded by `transforms.decode` (UTF-8, a byte-order mark's
encoding, or what charset-normalizer finds); binary data and undecodable bytes are
one RecordError for the file. Every record read comes out exactly once, as a
Document or as a RecordError; a file with no record at all is one RecordError. A
`published` value that is not a time (transforms.dates) does not cost the record: it
is kept with `published` None and the note "unparsed_published".
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from transforms.dates import parse_published
from transforms.decode import Decoded, Undecodable, binary_kind, decode, unpack
from transforms.metadata import extract_metadata
from transforms.model import Document, FilePart, RecordError
from transforms.pages import page_document

EXTENSIONS = {
    "text": (".txt", ".text"),
    "jsonl": (".jsonl", ".ndjson"),
    "csv": (".csv", ".tsv"),
    "html": (".html", ".htm"),
    "warc": (".warc",),
}
FORMATS = tuple(EXTENSIONS)
SUPPORTED_EXTENSIONS = tuple(e for exts in EXTENSIONS.values() for e in exts)
FIELDS = ("id", "text", "outlet", "published", "title", "url")
_OPTIONAL_FIELDS = FIELDS[2:]
_LINE_ENDS = re.compile(r"\r\n|\r|\n")
_RECORD_EXCERPT = 1000  # characters of a bad record kept in errors.jsonl
PART_LINES = 256  # lines of a JSON Lines file parsed at a time


UNPARSED_PUBLISHED = "unparsed_published"  # a Document's note: its `published` was not a time


@dataclass(frozen=True)
class ReadOptions:
    """How input files are read: a format for every file (None: by extension); which
    JSON key or CSV column holds which field ({field: name}; a field not named is read
    from the key or column of its own name); the CSV delimiter; and whether a numeric
    date with slashes or dashes is day first (transforms.dates)."""

    format: str | None = None
    fields: dict = field(default_factory=dict)
    csv_delimiter: str | None = None  # None: "," for .csv, tab for .tsv
    day_first: bool = False

    def column(self, name: str) -> str:
        return self.fields.get(name, name)


DEFAULT_OPTIONS = ReadOptions()


def input_format(path: str, forced: str | None = None) -> str | None:
    """path -> "text", "jsonl", "csv", "html", "warc" (or `forced`), None when not supported."""
    if forced:
        return forced
    lower = path.lower().removesuffix(".gz")
    for fmt, extensions in EXTENSIONS.items():
        if lower.endswith(extensions):
            return fmt
    return None


def _excerpt(data: bytes | str) -> str:
    if isinstance(data, bytes):
        data = data[: _RECORD_EXCERPT * 4].decode("utf-8", errors="backslashreplace")
    return data[:_RECORD_EXCERPT]


def _document(doc_id: str, text: str, source: str, fields: dict, notes: tuple[str, ...] = ()) -> Document:
    """Metadata stated in the text fills what the record's own fields leave empty."""
    found = extract_metadata(text)
    return Document(
        doc_id=doc_id,
        text=text,
        source=source,
        outlet=fields.get("outlet") or found.outlet,
        published=fields.get("published") or found.published,
        title=fields.get("title") or found.title,
        url=fields.get("url"),
        notes=notes,
    )


def _stem(path: str) -> str:
    name = posixpath.basename(path.replace("\\", "/"))
    name = name[:-3] if name.lower().endswith(".gz") else name
    return posixpath.splitext(name)[0]


def parse_text(path: str, text: str) -> Document | RecordError:
    """the decoded text of one .txt file -> its Document, or why it cannot be used."""
    if not text.strip():
        return RecordError(path, _excerpt(text), "empty_text", "the file has no text")
    return _document(_stem(path), text, path, {})


def _parse_json_record(line: str, source: str, options: ReadOptions) -> Document | RecordError:
    try:
        record = json.loads(line)
    except ValueError as e:
        return RecordError(source, _excerpt(line), "invalid_json", str(e))
    if not isinstance(record, dict):
        return RecordError(source, _excerpt(line), "not_an_object", f"a JSON {type(record).__name__}, not an object")
    values = {name: _lookup(record, options.column(name)) for name in FIELDS}
    return _record_document(values, source, line, options)


def _lookup(record: dict, key: str):
    """a JSON object, a key -> its value: the key itself, else a dotted path into nested
    objects ("meta.published"); None where there is none."""
    if key in record or "." not in key:
        return record.get(key)
    value = record
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _record_document(record: dict, source: str, line: str, options: ReadOptions) -> Document | RecordError:
    """one record's fields ({"id", "text", ...}, by the job's names) -> its Document, or
    why it cannot be used."""
    name = options.column
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        detail = f"`{name('id')}` must be a non-empty string or an integer"
        return RecordError(source, _excerpt(line), "missing_id", detail)
    if "\x1e" in doc_id:
        return RecordError(source, _excerpt(line), "bad_id", f"`{name('id')}` holds a record separator (U+001E)")
    text = record.get("text")
    if text is None:
        return RecordError(source, _excerpt(line), "missing_text", f"`{name('text')}` is missing or null")
    if not isinstance(text, str):
        detail = f"`{name('text')}` is a {type(text).__name__}, not a string"
        return RecordError(source, _excerpt(line), "wrong_type", detail)
    if not text.strip():
        return RecordError(source, _excerpt(line), "empty_text", f"`{name('text')}` has no text")
    fields, notes = {}, ()
    for field_name in _OPTIONAL_FIELDS:
        value = record.get(field_name)
        if field_name == "published" and value is not None:
            value = parse_published(value, options.day_first) if isinstance(value, (str, int, float)) else None
            notes = () if value is not None else (UNPARSED_PUBLISHED,)
        elif value is not None and not isinstance(value, str):
            detail = f"`{name(field_name)}` is a {type(value).__name__}, not a string"
            return RecordError(source, _excerpt(line), "wrong_type", detail)
        fields[field_name] = value
    try:
        (doc_id + text + "".join(v for v in fields.values() if v)).encode("utf-8")
    except UnicodeEncodeError as e:
        return RecordError(source, _excerpt(line), "invalid_text", f"lone surrogate in the record: {e.reason}")
    return _document(doc_id, text, source, fields, notes)


def parse_jsonl(
    path: str, text: str, first_line: int = 1, whole: bool = True, options: ReadOptions | None = None
) -> Iterator[Document | RecordError]:
    """the decoded text of one JSON Lines file, or its lines from line `first_line` on
    (`whole` False) -> a Document or a RecordError per non-blank line; one RecordError
    if the whole file has no line at all."""
    options = options or DEFAULT_OPTIONS
    empty = True
    for number, line in enumerate(_LINE_ENDS.split(text), start=first_line):
        if not line.strip():
            continue
        empty = False
        yield _parse_json_record(line, f"{path}:{number}", options)
    if empty and whole:
        yield RecordError(path, _excerpt(text), "empty_file", "the file holds no records")


def jsonl_parts(path: str, text: str, lines: int = PART_LINES) -> list[FilePart]:
    """the decoded text of one JSON Lines file -> FileParts of `lines` lines each, to be
    parsed apart (parse_part); one FilePart, the whole file, if it has no more lines or
    not one non-blank line."""
    split = _LINE_ENDS.split(text)
    if len(split) <= lines or not any(line.strip() for line in split):
        return [FilePart(path, text)]
    return [
        FilePart(path, "\n".join(split[i : i + lines]), first_line=i + 1, whole=False)
        for i in range(0, len(split), lines)
    ]


def parse_part(part: FilePart, options: ReadOptions | None = None) -> Iterator[Document | RecordError]:
    """a FilePart -> its records, numbered by their lines in the whole file."""
    return parse_jsonl(part.path, part.text, part.first_line, part.whole, options)


def parse_csv(path: str, text: str, options: ReadOptions) -> Iterator[Document | RecordError]:
    """the decoded text of one CSV file -> a Document or a RecordError per row after the
    header (source `path:N`, N the row's first line); one RecordError if the header
    lacks the id or text column, or if there is no row."""
    tsv = path.lower().removesuffix(".gz").endswith(".tsv")
    delimiter = options.csv_delimiter or ("\t" if tsv else ",")
    csv.field_size_limit(sys.maxsize)  # an article is longer than csv's 128 KiB default
    # .tsv has no quoting: a quote is text. CSV quoting is strict: a quote left open is an error.
    quoting = csv.QUOTE_NONE if tsv and not options.csv_delimiter else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        yield RecordError(path, _excerpt(text), "bad_csv", f"cannot read the header row: {e}")
        return
    if header is None:
        yield RecordError(path, "", "empty_file", "the file holds no header row and no records")
        return
    columns = {name: i for i, name in reversed(list(enumerate(c.strip() for c in header or [])))}
    missing = [options.column(f) for f in ("id", "text") if options.column(f) not in columns]
    if missing:
        detail = f"no column {missing[0]!r} in the header row {header!r} (config key `fields` names the columns)"
        yield RecordError(path, _excerpt(text), "missing_column", detail)
        return
    rows = 0
    while True:
        first_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            rows += 1
            yield RecordError(f"{path}:{first_line}", "", "bad_csv", f"cannot read the row: {e}")
            continue
        if not row:  # a blank line
            continue
        rows += 1
        record = {}
        for name in FIELDS:
            at = columns.get(options.column(name))
            value = row[at] if at is not None and at < len(row) else None
            record[name] = value if value is None or value.strip() or name == "text" else None
        excerpt = delimiter.join(row)
        yield _record_document(record, f"{path}:{first_line}", excerpt, options)
    if not rows:
        yield RecordError(path, _excerpt(text), "empty_file", "the file holds a header row and no records")


def decode_file(path: str, data: bytes, forced: str | None = None) -> Decoded | RecordError:
    """bytes of one input file -> its text (gzip unpacked, encoding found), or one
    RecordError for the whole file: unsupported, binary, or undecodable."""
    if input_format(path, forced) is None:
        return RecordError(path, "", "unsupported_format", f"no reader for files named like {posixpath.basename(path)}")
    data = unpack(data)
    if isinstance(data, Undecodable):
        return RecordError(path, "", data.reason, data.detail)
    kind = binary_kind(data)
    if kind:
        return RecordError(path, _excerpt(data[:64]), "binary_file", f"{kind}, not text")
    decoded = decode(data)
    if isinstance(decoded, Undecodable):
        return RecordError(path, _excerpt(data), decoded.reason, decoded.detail)
    return decoded


def parse_decoded(path: str, text: str, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Document | RecordError]:
    """the decoded text of one input file (not WARC) -> its records, each a Document or a RecordError."""
    fmt = input_format(path, options.format)
    if fmt == "text":
        yield parse_text(path, text)
    elif fmt == "html":
        yield page_document(_stem(path), text, path) if text.strip() else parse_text(path, text)
    elif fmt == "csv":
        yield from parse_csv(path, text, options)
    else:
        yield from parse_jsonl(path, text, options=options)


def parse_file(path: str, data: bytes, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Document | RecordError]:
    """bytes of one input file (not WARC) -> its records, each a Document or a RecordError."""
    decoded = decode_file(path, data, options.format)
    if isinstance(decoded, RecordError):
        yield decoded
    else:
        yield from parse_decoded(path, decoded.text, options)


def source_order(source: str) -> tuple[str, int]:
    """ "path:12" -> ("path", 12); a whole-file source -> (path, 0): line 9 sorts before line 10."""
    path, sep, line = source.rpartition(":")
    return (path, int(line)) if sep and line.isdigit() else (source, 0)


def pick_survivor(doc_id: str, docs: list[Document]) -> tuple[Document, list[RecordError]]:
    """all records with one doc_id -> the one kept (first by file, then line) and errors for the rest."""
    ordered = sorted(docs, key=lambda d: source_order(d.source))
    kept = ordered[0]
    errors = []
    for d in ordered[1:]:
        same = "the same text as" if d.text == kept.text else "a different text from"
        detail = f"id {doc_id!r} was already read from {kept.source}, with {same} this record"
        errors.append(RecordError(d.source, _excerpt(d.text), "duplicate_id", detail))
    return kept, errors
