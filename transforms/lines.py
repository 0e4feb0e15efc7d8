"""Rows -> the lines of the output files, each keyed for the writer (transforms.write),
and sorted runs of them. Pure and Beam-free: worker processes (transforms.work) make
lines too.

    keyed_line(row, sort_key, shards, fields) -> (file shard, (sort key, line))
    sorted_runs(keyed lines) -> [(file shard, run)]: each shard's lines, sorted, compressed
    merged_lines(runs of one file shard) -> its lines, in order

Why runs: the writer holds a whole file's lines at once, to sort them, and a local
runner holds them once more, grouped, before that (at 100,000 documents documents.jsonl
is 390 MB). A run is a batch of lines sorted where the batch is made and compressed:
the grouping holds a few hundred compressed runs, not a Python object per line, and
the writer merges them.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
from collections.abc import Iterable, Iterator

import xxhash

from transforms.shards import pack_compressed, unpack_compressed

# One encoder for every line: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def json_line(row: dict) -> str:
    """row -> one JSON Lines line: UTF-8 text, keys sorted, no trailing newline."""
    return _ENCODER.encode(row)


def csv_line(row: dict, fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row[f] for f in fields])
    return out.getvalue()[:-1]


def keyed_line(row: dict, sort_key, shards: int, fields: list[str] | None = None) -> tuple[int, tuple]:
    """row -> (its file shard, (its sort key, its line)): a CSV line of `fields` if given,
    else a JSON Lines line; the shard a hash of the sort key, so that the bytes of
    every file depend on the rows only."""
    key = sort_key(row)
    line = csv_line(row, fields) if fields else json_line(row)
    return xxhash.xxh64_intdigest(json.dumps(key).encode("utf-8")) % shards, (key, line)


def sorted_runs(keyed: Iterable[tuple[int, tuple]]) -> list[tuple[int, bytes]]:
    """keyed lines (keyed_line) -> [(file shard, run)], shards in order: each shard's
    (sort key, line) items sorted, pickled and compressed as one bytes object."""
    by_shard: dict[int, list[tuple]] = {}
    for shard, item in keyed:
        by_shard.setdefault(shard, []).append(item)
    return [(shard, pack_compressed(sorted(items))) for shard, items in sorted(by_shard.items())]


def run_items(run: bytes) -> list[tuple]:
    """a run -> its (sort key, line) items, sorted."""
    return unpack_compressed(run)


def merged_lines(runs: Iterable[bytes]) -> Iterator[str]:
    """the runs of one file shard -> its lines, sorted by (sort key, line): the order of
    all the runs' items sorted together, whatever runs they came in."""
    return (line for _, line in heapq.merge(*map(run_items, runs)))


def passage_key(row: dict):
    return row["passage_id"]


def story_key(row: dict):
    return row["story_id"]


def document_key(row: dict):
    return row["doc_id"]


def outlet_key(row: dict):
    return [row["source_outlet"], row["target_outlet"]]
