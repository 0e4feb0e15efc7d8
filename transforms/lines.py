"""Rows -> the lines of the output files, each keyed for the writer (transforms.write).
Pure and Beam-free: worker processes (transforms.work) make lines too.

    keyed_line(row, sort_key, shards, fields) -> (file shard, (sort key, line))
"""

from __future__ import annotations

import csv
import io
import json

import xxhash


def json_line(row: dict) -> str:
    """row -> one JSON Lines line: UTF-8 text, keys sorted, no trailing newline."""
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


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


def passage_key(row: dict):
    return row["passage_id"]


def document_key(row: dict):
    return row["doc_id"]


def outlet_key(row: dict):
    return [row["source_outlet"], row["target_outlet"]]
