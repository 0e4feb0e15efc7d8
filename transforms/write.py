"""WriteOutputs: rows -> sorted, deterministic JSON Lines and CSV files via Beam FileSystems.

Rows are spread over `shards` files by a hash of their sort key and sorted within
each file, so the bytes depend only on the rows, never on the runner or the number
of workers. They travel to the writer as sorted runs (transforms.lines.sorted_runs),
which it merges. Every shard file is written, even an empty one.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, islice

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from transforms.heap import release_free_memory
from transforms.lines import document_key, keyed_line, merged_lines, outlet_key, passage_key, sorted_runs, story_key
from transforms.readers import source_order

WRITE_LINES = 1024  # lines encoded and written at a time
RUN_ROWS = 512  # rows per sorted run
CSV_FIELDS = {"outlets.csv": ["source_outlet", "target_outlet", "passages", "shared_chars"]}


def shard_names(name: str, shards: int) -> list[str]:
    """passages.jsonl, 3 -> [passages-00000-of-00003.jsonl, ...]; one shard keeps the name."""
    if shards == 1:
        return [name]
    stem, dot, ext = name.rpartition(".")
    return [f"{stem}-{i:05d}-of-{shards:05d}{dot}{ext}" for i in range(shards)]


def write_lines(path: str, lines: Iterable[str]) -> str:
    """-> path, written with `lines`, each ended by a newline."""
    lines = iter(lines)
    with FileSystems.create(path, mime_type="text/plain", compression_type="uncompressed") as f:
        # WRITE_LINES at a time, not the whole file as one string: at 100,000 documents
        # documents.jsonl is 390 MB, twice over as text and bytes.
        while chunk := list(islice(lines, WRITE_LINES)):
            f.write("".join(line + "\n" for line in chunk).encode("utf-8"))
    return path


class WriteShardFn(beam.DoFn):
    """(shard, [sorted run]) -> writes one file, the runs' lines merged in order; yields
    its path.

    A file's lines are all in memory at once, to merge them: the free pages of the C
    heap are handed back first (transforms.heap), where the local runner freed the
    stages before into it, so that they do not add up."""

    def __init__(self, directory: str, names: list[str], header: str | None):
        self.directory, self.names, self.header = directory, names, header

    def process(self, element):
        release_free_memory()
        shard, runs = element
        lines = merged_lines(runs)
        if self.header is not None:
            lines = chain([self.header], lines)
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
    """dict rows -> `name` (or its shards) in `directory`, sorted by `sort_key(row)`,
    RUN_ROWS rows a sorted run. With `runs`, the rows come as sorted runs already
    ((file shard, run): transforms.lines.sorted_runs of keyed_line, with this sort key
    and shards).
    Every shard is written, an empty one too: the shards that hold lines first, then,
    once their paths are known, the others. (Not by flattening an empty element per
    shard into the lines: a Flatten is a stage of its own on the local runner, which
    would move every line once more.)"""

    def __init__(self, directory: str, name: str, sort_key, shards: int = 1, runs: bool = False):
        super().__init__()
        self.directory, self.name, self.sort_key, self.shards = directory, name, sort_key, shards
        self.fields, self.runs = CSV_FIELDS.get(name), runs

    def _runs(self, rows: list[dict]) -> list[tuple[int, bytes]]:
        return sorted_runs(keyed_line(row, self.sort_key, self.shards, self.fields) for row in rows)

    def expand(self, rows):
        runs = (
            rows
            if self.runs
            else rows
            | "Batch" >> beam.BatchElements(min_batch_size=RUN_ROWS, max_batch_size=RUN_ROWS)
            | "SortedRuns" >> beam.FlatMap(self._runs)
        )
        names, header = shard_names(self.name, self.shards), ",".join(self.fields) if self.fields else None
        written = (
            runs
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
    """{"passages", "stories", "templates", "documents", "outlets", "errors"} rows -> the provenance map's files.

    `errors` holds RecordErrors; `documents` holds sorted runs of documents.jsonl
    lines (sorted_runs of keyed_line with document_key and `shards`:
    transforms.provenance_maps makes them);
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
            | "WriteDocuments" >> WriteSorted(self.directory, "documents.jsonl", document_key, self.shards, runs=True),
            tables["templates"]
            | "WriteTemplates" >> WriteSorted(self.directory, "templates.jsonl", passage_key, self.shards),
            tables["stories"] | "WriteStories" >> WriteSorted(self.directory, "stories.jsonl", story_key, self.shards),
            tables["outlets"] | "WriteOutlets" >> WriteSorted(self.directory, "outlets.csv", outlet_key),
            errors | "WriteErrors" >> WriteSorted(self.directory, "errors.jsonl", error_key, self.shards),
        ]
        return written | "AllFiles" >> beam.Flatten()
