"""An output folder -> the rows the report needs. Reads through Beam FileSystems, so a
folder on gs:// or s3:// works as a local one does.

    load_run(folder, max_passages) -> Run(folder, summary, outlet_pairs, passages, agencies)

Passages are streamed: the report keeps the `max_passages` most widely carried in full
and only the agency of the others. Documents are streamed from the folder on demand
(`Run.documents()`), never all held at once.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems

from pipeline.config import Config


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

    def documents(self) -> Iterator[dict]:
        """-> the rows of documents.jsonl, read afresh on each call."""
        return read_rows(self.folder, "documents")


def _paths(folder: str, pattern: str) -> list[str]:
    matched = FileSystems.match([FileSystems.join(folder, pattern)])[0].metadata_list
    return sorted(m.path for m in matched)


def _lines(path: str) -> Iterator[str]:
    with FileSystems.open(path, compression_type="uncompressed") as f:
        for line in io.TextIOWrapper(f, encoding="utf-8"):
            if line.strip():
                yield line


def read_rows(folder: str, name: str) -> Iterator[dict]:
    """folder, "passages" -> every row of passages.jsonl or of its shards, shard by shard."""
    for path in _paths(folder, f"{name}*.jsonl"):
        for line in _lines(path):
            yield json.loads(line)


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


def load_run(folder: str, max_passages: int | None = None, summary: dict | None = None) -> Run:
    """output folder -> Run; ReportError if it is not a finished run's.

    `max_passages`: how many passages to keep in full (default: the run's report_max_passages).
    `summary`: the run's summary, for a folder whose summary.json is not written yet.
    """
    summary = summary if summary is not None else _read_summary(folder)
    if max_passages is None:
        max_passages = summary.get("config", {}).get("report_max_passages", Config.report_max_passages)
    agencies: dict = {}
    kept: list = []  # a heap of (negated rank, row): the narrowest kept passage on top
    for row in read_rows(folder, "passages"):
        agencies[row["passage_id"]] = row["agency"]
        item = (_Negated(reach(row)), row)
        if len(kept) < max_passages:
            heapq.heappush(kept, item)
        elif kept and item[0] > kept[0][0]:
            heapq.heapreplace(kept, item)
    passages = sorted((row for _, row in kept), key=reach)
    return Run(
        folder=folder,
        summary=summary,
        outlet_pairs=_read_outlet_pairs(folder),
        passages=passages,
        agencies=agencies,
    )


class _Negated:
    """A rank that sorts backwards, so that a min-heap keeps the best `n` ranks."""

    __slots__ = ("rank",)

    def __init__(self, rank: tuple):
        self.rank = rank

    def __lt__(self, other: _Negated) -> bool:
        return self.rank > other.rank

    def __gt__(self, other: _Negated) -> bool:
        return self.rank < other.rank
