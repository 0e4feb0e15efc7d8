"""Web pages -> Documents: HTML files and the `response` records of WARC files. Pure, no Beam.

In: an HTML page (text), or a binary stream of a WARC file (plain or gzipped, as
Common Crawl's CC-NEWS). Out: Documents whose text is the article text trafilatura
extracts (its paragraphs one per line; offsets in the output refer to it), with the
title, publication time, site name (the outlet) and URL it finds; or RecordErrors.

A WARC file's records are numbered from 1 in file order; each `response` record holding
HTML is one record read (source `path:N`), a `response` of another type is an error row
(`not_html`), and the file's other records (warcinfo, request, metadata) are not
articles: they are counted, not read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import trafilatura
from warcio.archiveiterator import ArchiveIterator

from transforms.decode import Decoded, decode
from transforms.metadata import parse_published
from transforms.model import Document, RecordError

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# The publication time as the page states it, to the second where it says so.
# A fixed latest date (not today's) keeps the output the same whenever the job runs; no
# extensive search, which would take a footer's copyright year for a publication date.
_DATE_PARAMS = {
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "original_date": True,
    "extensive_search": False,
    "max_date": "2100-12-31",
}


def _published(stated: str | None) -> str | None:
    """trafilatura's date -> ISO 8601, a bare date where the page gave no time."""
    if not stated:
        return None
    if stated.endswith("T00:00:00"):  # a date alone, not a midnight
        stated = stated[: -len("T00:00:00")]
    return parse_published(stated)


def page_document(doc_id: str, html: str, source: str, url: str | None = None) -> Document | RecordError:
    """one HTML page -> a Document of its article text and metadata, or why there is none."""
    try:
        found = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as e:  # noqa: BLE001 - a page that breaks the extractor is that page's error
        return RecordError(source, html[:1000], "extract_error", f"trafilatura failed: {type(e).__name__}: {e}")
    text = (found.text if found else None) or ""
    if not text.strip():
        return RecordError(source, html[:1000], "no_text", "no article text found in the page")
    return Document(
        doc_id=doc_id,
        text=text,
        source=source,
        outlet=found.sitename or found.hostname or None,
        published=_published(found.date),
        title=found.title or None,
        url=url or found.url,
    )


@dataclass
class WarcCounts:
    """What a WARC file held besides its articles."""

    skipped: int = 0  # warcinfo, request, metadata, ... records


def _charset(content_type: str) -> str | None:
    m = _CHARSET.search(content_type or "")
    return m.group(1).lower() if m else None


def _page_text(payload: bytes, content_type: str) -> Decoded | None:
    """an HTTP body -> its text: the charset the headers name, else transforms.decode's reading."""
    charset = _charset(content_type)
    if charset:
        try:
            return Decoded(payload.decode(charset), charset)
        except (LookupError, UnicodeDecodeError):
            pass
    got = decode(payload)
    return got if isinstance(got, Decoded) else None


def _size(stream: BinaryIO) -> int | None:
    try:
        return stream.seek(0, io.SEEK_END)
    except (OSError, ValueError, AttributeError):
        return None


def warc_records(path: str, stream: BinaryIO, counts: WarcCounts) -> Iterator[Document | RecordError]:
    """a WARC file -> a Document or a RecordError per `response` record (see the module).
    A record that cannot be used is an error row of its own (`truncated_record`,
    `not_html`, `bad_record`, ...); what cannot be parsed after the last good record is
    one row (`bad_warc`); a file with no response record is one row (`empty_file`): a
    broken file loses nothing silently."""
    number = responses = 0
    archive = ArchiveIterator(stream)
    iterator = iter(archive)
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            break
        except Exception as e:  # noqa: BLE001 - any failure of the WARC parser is a broken file
            detail = f"cannot read the WARC file after record {number}: {e}"
            yield RecordError(f"{path}:{number + 1}", "", "bad_warc", detail)
            return
        number += 1
        if record.rec_type != "response":
            counts.skipped += 1
            continue
        responses += 1
        try:
            yield _response(record, f"{path}:{number}")
        except Exception as e:  # noqa: BLE001 - one record's failure is that record's error
            yield RecordError(f"{path}:{number}", "", "bad_record", f"{type(e).__name__}: {e}")
    total = _size(stream)
    if total is not None and archive.offset < total:
        detail = f"{total - archive.offset} bytes after record {number} are no WARC record (a file cut short?)"
        yield RecordError(f"{path}:{number + 1}", "", "bad_warc", detail)
    elif not responses:
        yield RecordError(path, "", "empty_file", f"no response record among its {number} records")


def _response(record, source: str) -> Document | RecordError:
    """one WARC response record -> its page's Document, or why there is none."""
    record_id = record.rec_headers.get_header("WARC-Record-ID") or source
    url = record.rec_headers.get_header("WARC-Target-URI")
    content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
    payload = record.content_stream().read()
    if getattr(record.raw_stream, "limit", 0):
        return RecordError(source, "", "truncated_record", f"the record of {url} is cut short")
    if not content_type.lower().startswith(_HTML_TYPES):
        return RecordError(source, "", "not_html", f"a {content_type or 'untyped'} response, not an HTML page ({url})")
    text = _page_text(payload, content_type)
    if text is None:
        return RecordError(source, "", "decode_error", f"the page at {url} is in no encoding that reads")
    return page_document(record_id.strip("<>"), text.text, source, url)
