"""WriteOutputs: rows -> sorted, deterministic JSON Lines and CSV files via Beam FileSystems.

Rows are spread over `shards` files by a hash of their sort key and sorted within
each file, so the bytes depend only on the rows, never on the runner or the number
of workers. Every shard file is written, even an empty one.
"""

from __future__ import annotations

import csv
import io
import json

import apache_beam as beam
import xxhash
from apache_beam.io.filesystems import FileSystems

from transforms.readers import source_order

WRITE_LINES = 1024  # lines encoded and written at a time
CSV_FIELDS = {"outlets.csv": ["source_outlet", "target_outlet", "passages", "shared_chars"]}


def json_line(row: dict) -> str:
    """row -> one JSON Lines line: UTF-8 text, keys sorted, no trailing newline."""
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def csv_line(row: dict, fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row[f] for f in fields])
    return out.getvalue()[:-1]


def shard_names(name: str, shards: int) -> list[str]:
    """passages.jsonl, 3 -> [passages-00000-of-00003.jsonl, ...]; one shard keeps the name."""
    if shards == 1:
        return [name]
    stem, dot, ext = name.rpartition(".")
    return [f"{stem}-{i:05d}-of-{shards:05d}{dot}{ext}" for i in range(shards)]


class WriteShardFn(beam.DoFn):
    """(shard, [(sort key, line) or None]) -> writes one file; yields its path."""

    def __init__(self, directory: str, names: list[str], header: str | None):
        self.directory, self.names, self.header = directory, names, header

    def process(self, element):
        shard, items = element
        lines = [line for _, line in sorted(item for item in items if item is not None)]
        if self.header is not None:
            lines.insert(0, self.header)
        path = FileSystems.join(self.directory, self.names[shard])
        with FileSystems.create(path, mime_type="text/plain", compression_type="uncompressed") as f:
            for i in range(0, len(lines), WRITE_LINES):  # not the whole file as one string: at
                # 100,000 documents documents.jsonl is 390 MB, twice over as text and bytes
                f.write("".join(line + "\n" for line in lines[i : i + WRITE_LINES]).encode("utf-8"))
        yield path


class WriteSorted(beam.PTransform):
    """dict rows -> `name` (or its shards) in `directory`, sorted by `sort_key(row)`."""

    def __init__(self, directory: str, name: str, sort_key, shards: int = 1):
        super().__init__()
        self.directory, self.name, self.sort_key, self.shards = directory, name, sort_key, shards
        self.fields = CSV_FIELDS.get(name)

    def _keyed(self, row: dict):
        key = self.sort_key(row)
        line = csv_line(row, self.fields) if self.fields else json_line(row)
        shard = xxhash.xxh64_intdigest(json.dumps(key).encode("utf-8")) % self.shards
        return shard, (key, line)

    def _empty_shard(self, shard: int):
        return shard, None

    def expand(self, rows):
        keyed = rows | "KeyByShard" >> beam.Map(self._keyed)
        every_shard = (
            rows.pipeline | "ShardIds" >> beam.Create(range(self.shards)) | "EmptyShards" >> beam.Map(self._empty_shard)
        )
        header = ",".join(self.fields) if self.fields else None
        return (
            (keyed, every_shard)
            | "WithEveryShard" >> beam.Flatten()
            | "GroupByShard" >> beam.GroupByKey()
            | "WriteShard" >> beam.ParDo(WriteShardFn(self.directory, shard_names(self.name, self.shards), header))
        )


def passage_key(row: dict):
    return row["passage_id"]


def document_key(row: dict):
    return row["doc_id"]


def outlet_key(row: dict):
    return [row["source_outlet"], row["target_outlet"]]


def error_key(row: dict):
    return [*source_order(row["source"]), row["reason"], row["record"]]


def _error_row(error) -> dict:
    return error.to_row()


class WriteOutputs(beam.PTransform):
    """{"passages", "templates", "documents", "outlets", "errors"} rows -> the provenance map's files.

    `errors` holds RecordErrors; the others hold dict rows. Writes into `directory`.
    """

    def __init__(self, directory: str, shards: int):
        super().__init__()
        self.directory, self.shards = directory, shards

    def expand(self, tables):
        errors = tables["errors"] | "ErrorRows" >> beam.Map(_error_row)
        written = [
            tables["passages"]
            | "WritePassages" >> WriteSorted(self.directory, "passages.jsonl", passage_key, self.shards),
            tables["documents"]
            | "WriteDocuments" >> WriteSorted(self.directory, "documents.jsonl", document_key, self.shards),
            tables["templates"]
            | "WriteTemplates" >> WriteSorted(self.directory, "templates.jsonl", passage_key, self.shards),
            tables["outlets"] | "WriteOutlets" >> WriteSorted(self.directory, "outlets.csv", outlet_key),
            errors | "WriteErrors" >> WriteSorted(self.directory, "errors.jsonl", error_key, self.shards),
        ]
        return written | "AllFiles" >> beam.Flatten()
