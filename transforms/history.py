"""History across runs: the passage index a run writes, and earlier indexes read back.

In: Passages of this run (to index), rows of earlier runs' indexes (Parquet, one row
per member of a passage: passage_id, doc_id, outlet, published, start, end, paragraphs,
text, credits, run, sketch, windows). Out: index rows; and, from earlier rows, stand-in Documents whose text is a
member's text, so that today's articles are matched against earlier days' shared copy
without re-reading any old article.

A stand-in's doc_id encodes where its text lies in the old article (`history_id`), so
that a passage found with it is written back with the old article's doc_id, offsets,
paragraphs and passage id (`restore`). The index also keeps each member's window
signatures and the configuration they were made under (`sketch`): a later run with the
same configuration uses them, any other signs the stand-in's text again.
"""

from __future__ import annotations

from dataclasses import replace

import apache_beam as beam
import pyarrow as pa
from apache_beam.io.filesystems import FileSystems
from apache_beam.io.parquetio import ReadAllFromParquet, WriteToParquetBatched
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.heap import relax_gc
from transforms.model import Document, Edge, Member, Origin, Passage
from transforms.offload import Counters
from transforms.work import sign_documents

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
        ("credits", pa.list_(pa.string())),
        ("run", pa.string()),
        # The member's sentence-window signatures, as its stand-in is signed, and the
        # configuration they were made under: a later run with the same one uses them.
        ("sketch", pa.string()),
        ("windows", pa.list_(pa.struct([("paragraph", pa.int64()), ("signature", pa.binary())]))),
    ]
)
_MARK = "\x1ehistory\x1e"  # no input id holds a record separator: a stand-in's doc_id starts with it


def sketch(shingle_size: int, min_words: int, num_perm: int, seed: int) -> str:
    """the configuration signatures depend on -> its name in the index."""
    return (
        f"shingle_size={shingle_size};min_paragraph_words={min_words};num_perm={num_perm};seed={seed};"
        f"shingles={SHINGLES}"
    )


# How shingles are hashed (transforms.sketch): index files signed another way are signed again.
SHINGLES = "xxh32-words-folded"


def history_id(row: dict) -> str:
    """an index row -> the doc_id of its stand-in Document: where the member lies in its
    old article, and the run and passage it was indexed under."""
    first = row["paragraphs"][0] if row["paragraphs"] else 0
    place = f"{row['run']}\x1e{row['passage_id']}\x1e{row['start']}\x1e{row['end']}\x1e{first}"
    return f"{_MARK}{place}\x1e{row['doc_id']}"


def parse_history_id(doc_id: str) -> tuple[str, str, int, int, str] | None:
    """a stand-in's doc_id -> (run, passage_id, start, first paragraph, old doc_id); None
    for today's documents (readers refuse ids holding \x1e, so none looks like one)."""
    if not doc_id.startswith(_MARK):
        return None
    run, passage_id, start, _, first, old = doc_id[len(_MARK) :].split("\x1e", 5)
    return run, passage_id, int(start), int(first), old


def history_document(row: dict) -> Document:
    """an index row -> a stand-in Document holding the member's text and its article's credits."""
    return Document(
        doc_id=history_id(row),
        text=row["text"],
        source=f"history:{row['run']}",
        outlet=row["outlet"],
        published=row["published"],
        credits=tuple(row.get("credits") or ()),
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
            "credits": list(m.credits),
            "run": run,
        }
        for m in passage.members
        if not m.history
    ]


def _restored_member(member: Member) -> Member:
    found = parse_history_id(member.doc_id)
    if found is None:
        return member
    _, _, base, first, old = found
    paragraphs = tuple(first + p for p in member.paragraphs)
    return replace(
        member, doc_id=old, start=base + member.start, end=base + member.end, paragraphs=paragraphs, history=True
    )


def restore(passage: Passage) -> tuple[tuple[str, str] | None, Passage] | None:
    """a passage that may hold stand-ins -> (the (run, passage id) it continues, the passage
    with the stand-ins' old doc_ids, offsets and paragraphs, marked `history`), or None if it
    holds fewer than two articles once restored, or no member of this run (it was reported
    when it was found). The earliest old passage it continues is the first element (None
    if it continues none): `keep_ids` gives that id to one passage only.

    An old member whose article is read again today (same doc_id, same text) is dropped:
    today's member stands for it, and becomes the origin if the old one was."""
    found = [parse_history_id(m.doc_id) for m in passage.members]
    if all(f is not None for f in found):
        return None
    if not any(found):
        return None, passage
    today = {(m.doc_id, m.text) for m, f in zip(passage.members, found, strict=True) if f is None}
    members, dropped = [], set()
    for m, f in zip(passage.members, found, strict=True):
        restored = _restored_member(m)
        if f is not None and (restored.doc_id, restored.text) in today:
            dropped.add(m.doc_id)
            continue
        members.append(restored)
    if passage.origin.doc_id in dropped:  # today's copy of the same article is the origin
        old = _old_id(passage.origin.doc_id)
        members = [
            replace(m, kind="origin", similarity=1.0) if m.doc_id == old and not m.history else m for m in members
        ]
    if len({(m.doc_id, m.history) for m in members}) < 2:
        return None
    origin = Origin(_old_id(passage.origin.doc_id), passage.origin.confidence, passage.origin.evidence)
    edges = []
    for e in passage.edges:
        edge = Edge(_old_id(e.source), _old_id(e.target), e.similarity)
        if edge.source != edge.target and edge not in edges:
            edges.append(edge)
    continued = min((f[0], f[1]) for f in found if f is not None)
    return continued, replace(passage, members=tuple(members), origin=origin, edges=tuple(edges))


def _old_id(doc_id: str) -> str:
    found = parse_history_id(doc_id)
    return found[4] if found else doc_id


def keep_ids(element) -> list[Passage]:
    """((run, old passage id), [passages of this run that continue it]) -> the passages,
    the one with the most earlier members keeping the old id (ties: the most members,
    then the smallest new id), the others their own id: an id names one passage."""
    (_, old_id), passages = element
    ranked = sorted(passages, key=lambda p: (-sum(m.history for m in p.members), -len(p.members), p.passage_id))
    return [replace(ranked[0], passage_id=old_id), *ranked[1:]]


def _index_table(rows: list[dict]) -> pa.Table:
    rows = sorted(rows, key=lambda r: (r["passage_id"], r["doc_id"], r["start"], r["end"]))
    return pa.Table.from_pylist(rows, schema=INDEX_SCHEMA)


def _dedupe_key(row: dict):
    return (row["doc_id"], row["start"], row["end"]), row


def _earliest(element) -> dict:
    """((doc, start, end), [rows]) -> the row of the earliest run (a member indexed twice)."""
    _, rows = element
    return min(rows, key=lambda r: (r["run"], r["passage_id"]))


CONTINUED = "continued"


def _restored(passage: Passage):
    """a passage -> the passage restored (see `restore`): a new one on the main output,
    one that continues an earlier passage as (its (run, id), passage) on CONTINUED."""
    restored = restore(passage)
    if restored is None:
        return
    continued, passage = restored
    yield passage if continued is None else TaggedOutput(CONTINUED, restored)


class RestoreHistory(beam.PTransform):
    """Passages that may hold stand-ins -> Passages as this run reports them (see
    `restore` and `keep_ids`): old members restored, old passage ids kept."""

    def expand(self, passages):
        restored = passages | "Restore" >> beam.FlatMap(_restored).with_outputs(CONTINUED, main="new")
        kept = restored[CONTINUED] | "ByOldId" >> beam.GroupByKey() | "KeepIds" >> beam.FlatMap(keep_ids)
        return (restored.new, kept) | "AllPassages" >> beam.Flatten()


PRESIGNED, TO_SIGN = "presigned", "to_sign"


def _stand_in(row: dict, current: str):
    """an index row -> its stand-in Document; and either its stored windows as
    (paragraph ref, signature) on PRESIGNED, if made under this run's configuration, or
    the stand-in again on TO_SIGN, to be signed afresh."""
    doc = history_document(row)
    yield doc
    if row.get("sketch") == current and row.get("windows") is not None:
        Metrics.counter("history", "presigned_windows").inc(len(row["windows"]))
        for window in row["windows"]:
            yield TaggedOutput(PRESIGNED, ((doc.doc_id, window["paragraph"]), window["signature"]))
    else:
        Metrics.counter("history", "signed_again").inc()
        yield TaggedOutput(TO_SIGN, doc)


class ReadHistory(beam.PTransform):
    """paths of earlier index files -> {"documents": a stand-in Document per member
    indexed (a member indexed by two runs counts once, with the earlier run's passage
    id), "presigned": (paragraph ref, signature) of the windows signed under the
    configuration `current` (see `sketch`), "to_sign": the stand-ins signed otherwise}."""

    def __init__(self, files: list[str], current: str):
        super().__init__()
        self.files = sorted(files)
        self.current = current

    def expand(self, pbegin):
        read = (
            pbegin
            | "ListIndexFiles" >> beam.Create(self.files)
            | "ReadIndex" >> ReadAllFromParquet()
            | "KeyByPlace" >> beam.Map(_dedupe_key)
            | "GroupByPlace" >> beam.GroupByKey()
            | "Earliest" >> beam.Map(_earliest)
            | "StandIns" >> beam.FlatMap(_stand_in, self.current).with_outputs(PRESIGNED, TO_SIGN, main="documents")
        )
        return {"documents": read.documents, PRESIGNED: read[PRESIGNED], TO_SIGN: read[TO_SIGN]}


class IndexRowsFn(beam.DoFn):
    """restored Passage -> its index rows (index_rows), each with the signatures of its
    stand-in's windows, signed as Signatures signs a document (counted under `index`)."""

    def __init__(self, run: str, shingle_size: int, min_words: int, num_perm: int, seed: int):
        self.run = run
        self.signing = (shingle_size, min_words, num_perm, seed)
        self.sketch = sketch(shingle_size, min_words, num_perm, seed)

    def setup(self):
        relax_gc()
        self.counters = Counters()

    def process(self, passage: Passage):
        for row in index_rows(passage, self.run):
            refs, signatures, counts = sign_documents([history_document(row)], *self.signing, "index")
            self.counters.inc(counts)
            pairs = zip(refs, signatures, strict=True)
            windows = [{"paragraph": ref[1], "signature": sig.tobytes()} for ref, sig in pairs]
            yield {**row, "sketch": self.sketch, "windows": windows}


class WriteIndex(beam.PTransform):
    """restored Passages -> `directory`/members-RUN.parquet, one file, rows sorted: the
    same passages give the same bytes on any runner."""

    def __init__(self, directory: str, run: str, shingle_size: int, min_words: int, num_perm: int, seed: int):
        super().__init__()
        self.directory, self.run = directory, run
        self.fn = IndexRowsFn(run, shingle_size, min_words, num_perm, seed)

    def expand(self, passages):
        name = INDEX_NAME.format(run=self.run)
        return (
            passages
            | "IndexRows" >> beam.ParDo(self.fn)
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
