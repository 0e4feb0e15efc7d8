"""History across runs: the passage index a run writes, and earlier indexes read back.

In: Passages of this run (to index), rows of earlier runs' indexes (Parquet, one row
per member of a passage: passage_id, doc_id, outlet, published, start, end, paragraphs,
text, run). Out: index rows; and, from earlier rows, stand-in Documents whose text is a
member's text, so that today's articles are matched against earlier days' shared copy
without re-reading any old article.

A stand-in's doc_id encodes where its text lies in the old article (`history_id`), so
that a passage found with it is written back with the old article's doc_id, offsets,
paragraphs and passage id (`restore`). The stand-ins are signed again from their text,
under this run's configuration; the index keeps the texts, not signatures that a change
of shingle_size, num_perm or seed would make stale.
"""

from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
import pyarrow as pa
from apache_beam.io.filesystems import FileSystems
from apache_beam.io.parquetio import ReadAllFromParquet, WriteToParquetBatched

from transforms.model import Document, Edge, Member, Origin, Passage

INDEX_NAME = "members-{run}.parquet"
INDEX_SCHEMA = pa.schema(
    [
        ("passage_id", pa.string()),
        ("doc_id", pa.string()),
        ("outlet", pa.string()),
        ("published", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("paragraphs", pa.list_(pa.int64())),
        ("text", pa.string()),
        ("run", pa.string()),
    ]
)
_MARK = "\x1ehistory\x1e"  # no input id holds a record separator: a stand-in's doc_id starts with it


def history_id(row: dict) -> str:
    """an index row -> the doc_id of its stand-in Document."""
    first = row["paragraphs"][0] if row["paragraphs"] else 0
    return f"{_MARK}{row['passage_id']}\x1e{row['start']}\x1e{first}\x1e{row['doc_id']}"


def parse_history_id(doc_id: str) -> tuple[str, int, int, str] | None:
    """a stand-in's doc_id -> (passage_id, start, first paragraph, old doc_id); None for today's documents."""
    if not doc_id.startswith(_MARK):
        return None
    passage_id, start, first, old = doc_id[len(_MARK) :].split("\x1e", 3)
    return passage_id, int(start), int(first), old


def history_document(row: dict) -> Document:
    """an index row -> a stand-in Document holding the member's text."""
    return Document(
        doc_id=history_id(row),
        text=row["text"],
        source=f"history:{row['run']}",
        outlet=row["outlet"],
        published=row["published"],
    )


def index_rows(passage: Passage, run: str) -> list[dict]:
    """a passage (restored) -> one index row per member found in this run."""
    return [
        {
            "passage_id": passage.passage_id,
            "doc_id": m.doc_id,
            "outlet": m.outlet,
            "published": m.published,
            "start": m.start,
            "end": m.end,
            "paragraphs": list(m.paragraphs),
            "text": m.text,
            "run": run,
        }
        for m in passage.members
        if not m.history
    ]


def _restored_member(member: Member) -> Member:
    found = parse_history_id(member.doc_id)
    if found is None:
        return member
    _, base, first, old = found
    paragraphs = tuple(first + p for p in member.paragraphs)
    return replace(
        member, doc_id=old, start=base + member.start, end=base + member.end, paragraphs=paragraphs, history=True
    )


def _old_id(doc_id: str) -> str:
    found = parse_history_id(doc_id)
    return found[3] if found else doc_id


def restore(passage: Passage) -> Passage | None:
    """a passage that may hold stand-ins -> the same passage with their old doc_ids,
    offsets and paragraphs, marked `history`, and with the earliest old passage id it
    continues (ids are stable across runs); None if it holds no member of this run (it
    was reported when it was found)."""
    found = [parse_history_id(m.doc_id) for m in passage.members]
    if all(f is not None for f in found):
        return None
    if not any(found):
        return passage
    today = {m.doc_id for m, f in zip(passage.members, found, strict=True) if f is None}
    kept = [
        _restored_member(m)
        for m, f in zip(passage.members, found, strict=True)
        if f is None or f[3] not in today  # an old article read again today stands for itself
    ]
    members = tuple(sorted(kept, key=lambda m: (m.doc_id, m.start, m.end)))
    origin = Origin(_old_id(passage.origin.doc_id), passage.origin.confidence, passage.origin.evidence)
    edges = tuple(Edge(_old_id(e.source), _old_id(e.target), e.similarity) for e in passage.edges)
    passage_id = min(f[0] for f in found if f is not None)
    return replace(passage, passage_id=passage_id, members=members, origin=origin, edges=edges)


def _index_table(rows: list[dict]) -> pa.Table:
    rows = sorted(rows, key=lambda r: (r["passage_id"], r["doc_id"], r["start"], r["end"]))
    return pa.Table.from_pylist(rows, schema=INDEX_SCHEMA)


def _dedupe_key(row: dict):
    return (row["doc_id"], row["start"], row["end"]), row


def _earliest(element) -> dict:
    """((doc, start, end), [rows]) -> the row of the earliest run (a member indexed twice)."""
    _, rows = element
    return min(rows, key=lambda r: (r["run"], r["passage_id"]))


class ReadHistory(beam.PTransform):
    """paths of earlier index files -> stand-in Documents, one per member indexed
    (a member indexed by two runs counts once, with the earlier run's passage id)."""

    def __init__(self, files: list[str]):
        super().__init__()
        self.files = sorted(files)

    def expand(self, pbegin):
        return (
            pbegin
            | "ListIndexFiles" >> beam.Create(self.files)
            | "ReadIndex" >> ReadAllFromParquet()
            | "KeyByPlace" >> beam.Map(_dedupe_key)
            | "GroupByPlace" >> beam.GroupByKey()
            | "Earliest" >> beam.Map(_earliest)
            | "StandIns" >> beam.Map(history_document)
        )


class WriteIndex(beam.PTransform):
    """restored Passages -> `directory`/members-RUN.parquet, one file, rows sorted: the
    same passages give the same bytes on any runner."""

    def __init__(self, directory: str, run: str):
        super().__init__()
        self.directory, self.run = directory, run

    def expand(self, passages):
        name = INDEX_NAME.format(run=self.run)
        return (
            passages
            | "IndexRows" >> beam.FlatMap(index_rows, self.run)
            | "AllRows" >> beam.combiners.ToList()
            | "Table" >> beam.Map(_index_table)
            | "WriteParquet"
            >> WriteToParquetBatched(
                FileSystems.join(self.directory, name),
                INDEX_SCHEMA,
                num_shards=1,
                shard_name_template="",
            )
        )
