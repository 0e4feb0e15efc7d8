"""An output folder -> the rows the report needs. Reads through Beam FileSystems, so a
folder on gs:// or s3:// works as a local one does.

    load_run(folder, max_passages, pool, parts) -> Run(folder, summary, outlet_pairs, passages, agencies, stories)
    line_ranges(folder, name, parts) -> each part's byte ranges of name*.jsonl
    range_rows(ranges) -> the rows in them

Passages are streamed: the report keeps the `max_passages` most widely carried in full
and only the agency of the others. Documents are streamed from the folder on demand
(`Run.documents()`), never all held at once.

A file can be read in `parts` at once: its bytes are cut into about equal ranges, each
holding the lines that start in it, and `in_parts` works the first part here and the
others in a pool of processes (at 100,000 documents, passages.jsonl and documents.jsonl
are some 350 MB each, seconds of JSON parsing apiece). Parts are taken in file order and
combined in that order: the same rows, the same report.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass

import orjson
from apache_beam.io.filesystems import FileSystems

from pipeline.config import Config
from report.story_data import story_reach


def row_of(line: str) -> dict:
    """a JSON Lines line of an output file -> its row, as json.loads reads it. orjson
    parses some 2.5 times as fast (seconds at 100,000 documents, where the report reads
    700 MB of rows); what it refuses and json reads (NaN, infinities, lone surrogates),
    json reads. (An integer outside 64 bits orjson would read as a float: the files hold
    offsets and counts.)"""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)


class ReportError(ValueError):
    """An output folder the report cannot be built from."""


@dataclass(frozen=True)
class Run:
    """One finished run's output, as the report reads it."""

    folder: str
    summary: dict
    outlet_pairs: list[dict]
    passages: list[dict]  # the most widely carried, at most max_passages, widest first (see reach)
    agencies: dict  # passage_id -> agency (or None), for every passage of the run
    stories: list = ()  # the most widely carried stories, at most max_passages, widest first

    def documents(self) -> Iterator[dict]:
        """-> the rows of documents.jsonl, read afresh on each call."""
        return read_rows(self.folder, "documents")


def _paths(folder: str, pattern: str) -> list[str]:
    return [path for path, _ in _sized(folder, pattern)]


def _sized(folder: str, pattern: str) -> list[tuple[str, int]]:
    """-> (path, size in bytes) of the files matching `pattern` in `folder`, by path."""
    matched = FileSystems.match([FileSystems.join(folder, pattern)])[0].metadata_list
    return sorted((m.path, m.size_in_bytes) for m in matched)


def size_to_read(folder: str) -> int:
    """-> the bytes of the files the report parses: passages.jsonl and documents.jsonl."""
    return sum(size for name in ("passages", "documents") for _, size in _sized(folder, f"{name}*.jsonl"))


# Bytes [start, end) of one file: the lines whose first byte is in them.
Range = tuple[str, int, int]


def line_ranges(folder: str, name: str, parts: int) -> list[list[Range]]:
    """folder, "documents", n -> name.jsonl (or its shards) cut into n parts of about
    equal bytes, in file order: each part's byte ranges, every line in exactly one."""
    files = _sized(folder, f"{name}*.jsonl")
    total = sum(size for _, size in files)
    bounds = [total * k // parts for k in range(parts + 1)]
    cut: list[list[Range]] = [[] for _ in range(parts)]
    offset = 0
    for path, size in files:
        for k in range(parts):
            start, end = max(bounds[k], offset), min(bounds[k + 1], offset + size)
            if start < end:
                cut[k].append((path, start - offset, end - offset))
        offset += size
    return cut


def range_lines(ranges: list[Range]) -> Iterator[str]:
    """byte ranges of files -> the non-blank lines that start in them, decoded, in order.
    A line that starts before a range and runs into it is the range before's."""
    for path, start, end in ranges:
        with FileSystems.open(path, compression_type="uncompressed") as f:
            if start:
                f.seek(start - 1)
                f.readline()  # the rest of the line byte start - 1 is in (only its newline, if it ends one)
            at = f.tell()
            while at < end:
                raw = f.readline()
                if not raw:
                    break
                at += len(raw)
                line = raw.decode("utf-8")
                if line.strip():
                    yield line


def range_rows(ranges: list[Range]) -> Iterator[dict]:
    """byte ranges of JSON Lines files -> their rows, in order."""
    return map(row_of, range_lines(ranges))


def read_rows(folder: str, name: str) -> Iterator[dict]:
    """folder, "passages" -> every row of passages.jsonl or of its shards, shard by shard."""
    return range_rows(line_ranges(folder, name, 1)[0])


def in_parts(work: Callable, parts: list, pool: Executor | None, *args) -> list:
    """-> [work(part, *args) for part in parts]: the first part worked here, the others
    in `pool` meanwhile (here too, in order, without one)."""
    if pool is None:
        return [work(part, *args) for part in parts]
    others = [pool.submit(work, part, *args) for part in parts[1:]]
    return [work(parts[0], *args), *(future.result() for future in others)]


def _read_summary(folder: str) -> dict:
    path = FileSystems.join(folder, "summary.json")
    if not FileSystems.exists(path) or not FileSystems.exists(FileSystems.join(folder, "_SUCCESS")):
        raise ReportError(f"{folder}: not the output folder of a finished run (no summary.json and _SUCCESS)")
    with FileSystems.open(path, compression_type="uncompressed") as f:
        return json.loads(f.read().decode("utf-8"))


def _read_outlet_pairs(folder: str) -> list[dict]:
    rows = []
    for path in _paths(folder, "outlets.csv"):
        with FileSystems.open(path, compression_type="uncompressed") as f:
            for row in csv.DictReader(io.TextIOWrapper(f, encoding="utf-8", newline="")):
                rows.append({**row, "passages": int(row["passages"]), "shared_chars": int(row["shared_chars"])})
    return rows


def reach(passage: dict) -> tuple:
    """passage row -> its rank for the report, widest first: outlets, members, then id."""
    return (-len(passage["outlets"]), -passage["size"], passage["passage_id"])


def load_run(
    folder: str,
    max_passages: int | None = None,
    summary: dict | None = None,
    pool: Executor | None = None,
    parts: int = 1,
) -> Run:
    """output folder -> Run; ReportError if it is not a finished run's.

    `max_passages`: how many passages to keep in full (default: the run's report_max_passages).
    `summary`: the run's summary, for a folder whose summary.json is not written yet.
    `pool`, `parts`: passages.jsonl read in `parts`, all but the first in `pool` (in_parts).
    """
    summary = summary if summary is not None else _read_summary(folder)
    if max_passages is None:
        max_passages = summary.get("config", {}).get("report_max_passages", Config.report_max_passages)
    agencies: dict = {}
    widest: list = []
    for part_agencies, kept in in_parts(widest_passages, line_ranges(folder, "passages", parts), pool, max_passages):
        agencies.update(part_agencies)
        widest.extend(kept)
    widest.sort()  # by reach, which ends with the passage id: no two rows tie
    passages = [row_of(line) for _, line in widest[:max_passages]]  # the widest of each part's widest
    stories = heapq.nsmallest(max_passages, read_rows(folder, "stories"), key=story_reach)
    return Run(
        folder=folder,
        summary=summary,
        outlet_pairs=_read_outlet_pairs(folder),
        passages=passages,
        agencies=agencies,
        stories=stories,
    )


def widest_passages(ranges: list[Range], max_passages: int) -> tuple[dict, list[tuple[tuple, str]]]:
    """byte ranges of passages.jsonl -> ({passage_id: agency} of every row in them, the
    `max_passages` rows among them that reach widest, as (reach, line), in no order).
    Lines, not rows: a part read in another process sends them back as plain strings,
    which cost next to nothing to pickle (tens of MB of nested rows cost seconds)."""
    agencies: dict = {}
    kept: list = []  # a heap of (negated rank, rank, line): the narrowest kept passage on top
    for line in range_lines(ranges):
        row = row_of(line)
        agencies[row["passage_id"]] = row["agency"]
        rank = reach(row)
        item = (_Negated(rank), rank, line)
        if len(kept) < max_passages:
            heapq.heappush(kept, item)
        elif kept and item[0] > kept[0][0]:
            heapq.heapreplace(kept, item)
    return agencies, [(rank, line) for _, rank, line in kept]


class _Negated:
    """A rank that sorts backwards, so that a min-heap keeps the best `n` ranks."""

    __slots__ = ("rank",)

    def __init__(self, rank: tuple):
        self.rank = rank

    def __lt__(self, other: _Negated) -> bool:
        return self.rank > other.rank

    def __gt__(self, other: _Negated) -> bool:
        return self.rank < other.rank
