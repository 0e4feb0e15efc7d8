"""WriteOutputs: rows -> sorted, deterministic JSON Lines and CSV files via Beam FileSystems.

Rows are spread over `shards` files by a hash of their sort key and sorted within
each file, so the bytes depend only on the rows, never on the runner or the number
of workers. Every shard file is written, even an empty one.
"""

from __future__ import annotations

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from transforms.lines import document_key, keyed_line, outlet_key, passage_key
from transforms.readers import source_order

WRITE_LINES = 1024  # lines encoded and written at a time
CSV_FIELDS = {"outlets.csv": ["source_outlet", "target_outlet", "passages", "shared_chars"]}


def shard_names(name: str, shards: int) -> list[str]:
    """passages.jsonl, 3 -> [passages-00000-of-00003.jsonl, ...]; one shard keeps the name."""
    if shards == 1:
        return [name]
    stem, dot, ext = name.rpartition(".")
    return [f"{stem}-{i:05d}-of-{shards:05d}{dot}{ext}" for i in range(shards)]


def write_lines(path: str, lines: list[str]) -> str:
    """-> path, written with `lines`, each ended by a newline."""
    with FileSystems.create(path, mime_type="text/plain", compression_type="uncompressed") as f:
        for i in range(0, len(lines), WRITE_LINES):  # not the whole file as one string: at
            # 100,000 documents documents.jsonl is 390 MB, twice over as text and bytes
            f.write("".join(line + "\n" for line in lines[i : i + WRITE_LINES]).encode("utf-8"))
    return path


class WriteShardFn(beam.DoFn):
    """(shard, [(sort key, line)]) -> writes one file, its lines sorted; yields its path."""

    def __init__(self, directory: str, names: list[str], header: str | None):
        self.directory, self.names, self.header = directory, names, header

    def process(self, element):
        shard, items = element
        lines = [line for _, line in sorted(items)]
        if self.header is not None:
            lines.insert(0, self.header)
        yield write_lines(FileSystems.join(self.directory, self.names[shard]), lines)


class WriteEmptyShardsFn(WriteShardFn):
    """[paths of the shards written] -> writes every other shard, empty (its header
    alone, if it has one); yields their paths."""

    def process(self, written: list[str]):
        lines = [] if self.header is None else [self.header]
        for name in self.names:
            path = FileSystems.join(self.directory, name)
            if path not in written:
                yield write_lines(path, lines)


class WriteSorted(beam.PTransform):
    """dict rows -> `name` (or its shards) in `directory`, sorted by `sort_key(row)`.
    With `keyed`, the rows come as keyed_line made them (with this sort key and shards).
    Every shard is written, an empty one too: the shards that hold lines first, then,
    once their paths are known, the others. (Not by flattening an empty element per
    shard into the lines: a Flatten is a stage of its own on the local runner, which
    would move every line once more.)"""

    def __init__(self, directory: str, name: str, sort_key, shards: int = 1, keyed: bool = False):
        super().__init__()
        self.directory, self.name, self.sort_key, self.shards = directory, name, sort_key, shards
        self.fields, self.keyed = CSV_FIELDS.get(name), keyed

    def _keyed(self, row: dict):
        return keyed_line(row, self.sort_key, self.shards, self.fields)

    def expand(self, rows):
        keyed = rows if self.keyed else rows | "KeyByShard" >> beam.Map(self._keyed)
        names, header = shard_names(self.name, self.shards), ",".join(self.fields) if self.fields else None
        written = (
            keyed
            | "GroupByShard" >> beam.GroupByKey()
            | "WriteShard" >> beam.ParDo(WriteShardFn(self.directory, names, header))
        )
        empty = (
            written
            | "ShardsWritten" >> beam.combiners.ToList()
            | "WriteEmptyShards" >> beam.ParDo(WriteEmptyShardsFn(self.directory, names, header))
        )
        return (written, empty) | "AllShards" >> beam.Flatten()


def error_key(row: dict):
    return [*source_order(row["source"]), row["reason"], row["record"]]


def _error_row(error) -> dict:
    return error.to_row()


class WriteOutputs(beam.PTransform):
    """{"passages", "templates", "documents", "outlets", "errors"} rows -> the provenance map's files.

    `errors` holds RecordErrors; `documents` holds lines keyed for documents.jsonl
    (keyed_line with document_key and `shards`: transforms.provenance_maps makes them);
    the others hold dict rows. Writes into `directory`.
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
            | "WriteDocuments" >> WriteSorted(self.directory, "documents.jsonl", document_key, self.shards, keyed=True),
            tables["templates"]
            | "WriteTemplates" >> WriteSorted(self.directory, "templates.jsonl", passage_key, self.shards),
            tables["outlets"] | "WriteOutlets" >> WriteSorted(self.directory, "outlets.csv", outlet_key),
            errors | "WriteErrors" >> WriteSorted(self.directory, "errors.jsonl", error_key, self.shards),
        ]
        return written | "AllFiles" >> beam.Flatten()
