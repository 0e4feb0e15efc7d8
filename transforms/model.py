"""The elements that flow through the job.

Every PCollection carries one of these frozen dataclasses, never a positional tuple.
Keys used for grouping are plain str/int tuples so that Beam's key coders stay
deterministic on every runner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Where a paragraph lives: (doc_id, paragraph index). A plain tuple, because it is a
# grouping key and Beam encodes plain tuples of str and int deterministically.
ParagraphRef = tuple[str, int]


@dataclass(frozen=True)
class Document:
    """One accepted input record: the text exactly as read, plus its metadata."""

    doc_id: str
    text: str
    source: str
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    url: str | None = None
    credits: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what reading it noticed, counted as `read:<note>` (not written)


@dataclass(frozen=True)
class RecordError:
    """An input record that could not be used; becomes one row of errors.jsonl."""

    source: str
    record: str
    reason: str
    detail: str

    def to_row(self) -> dict:
        return {"source": self.source, "record": self.record, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a document: `text == doc.text[start:end]`.

    Carries the document's outlet and publication time so that later stages
    need no join back to the document.
    """

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    outlet: str | None = None
    published: str | None = None
    gap_after: str = ""  # the exact text between this paragraph and the next one

    @property
    def ref(self) -> ParagraphRef:
        return (self.doc_id, self.index)


@dataclass(frozen=True)
class SignedWindows:
    """The signatures of a batch of sentence windows that hash to one partition: window
    i of paragraph `refs[i]` has the MinHash signature `signatures[i]` (its uint32
    values, packed), so a batch crosses a shuffle as one element, not one per window."""

    refs: tuple[ParagraphRef, ...]
    signatures: tuple[bytes, ...]


@dataclass(frozen=True, eq=False)
class BandKeys:
    """The band keys of a batch of distinct signatures that fall in one band partition,
    as three arrays: entry i is band key `keys[i]` (uint64) of the signature whose id is
    `ids[i]` (uint32, see transforms.match.signature_ids), which `ref_counts[i]`
    paragraphs carry. Nothing else crosses the band shuffle."""

    keys: Any
    ids: Any
    ref_counts: Any


@dataclass(frozen=True)
class SignatureRefs:
    """The paragraphs of every distinct signature of one signature partition: the
    signature of rank k there (id `partition << SIGNATURE_BITS | k`) is carried by the
    paragraphs `refs[k]`, sorted, each once."""

    refs: tuple[tuple[ParagraphRef, ...], ...]


@dataclass(frozen=True, eq=False)
class SignaturePairs:
    """Candidate pairs of signatures, packed: pair i is (codes[i] >> 32, codes[i] & 0xFFFFFFFF),
    ids, the first the smaller (uint64 array); `hot[i]` (bool array) when they met only in
    hot buckets, where their paragraphs are paired through anchors only."""

    codes: Any
    hot: Any


@dataclass(frozen=True)
class HalfPairs:
    """Candidate pairs of signatures halfway to paragraph pairs: for pair i, the rank
    `targets[i]` (in the partition this element goes to) of the second signature, and
    `refs[i]`, the paragraphs of the first to pair with every one of the second's (only
    the first's anchors for a hot pair)."""

    targets: tuple[int, ...]
    refs: tuple[tuple[ParagraphRef, ...], ...]


@dataclass(frozen=True)
class CandidatePairs:
    """The candidate pairs (a, b), a < b, whose paragraph a is in document `doc_id`:
    (a's paragraph index, b) for each, sorted and distinct."""

    doc_id: str
    pairs: tuple[tuple[int, ParagraphRef], ...]


@dataclass(frozen=True)
class SpanPairBatch:
    """A batch of shared-span pairs, compact: pair i is the span (docs[a], start, end) of
    one document and the span (docs[b], start, end) of another, where row i of `rows`
    (int64, packed, n x 6) is (a, a_start, a_end, b, b_start, b_end). All the job's span
    pairs meet in one place to be clustered: packed, they cost 48 bytes each, not a
    Python tuple of tuples."""

    docs: tuple[str, ...]
    rows: bytes

    def __len__(self) -> int:
        """-> how many span pairs (rows of six int64s)."""
        return len(self.rows) // 48


@dataclass(frozen=True)
class DocumentLines:
    """The documents.jsonl lines of one shard of documents, as sorted runs for the writer
    (`runs`: (file shard, run), transforms.lines.sorted_runs), and what those
    documents add to each outlet's view (`tallies`: (outlet, Tally), by outlet,
    transforms.outlet_views). Made where the rows are, so that a row crosses to the
    writer as one string, not as a dict of spans."""

    runs: tuple[tuple[int, bytes], ...]
    tallies: tuple[tuple[str, list], ...]


@dataclass(frozen=True)
class FilePart:
    """Lines of a JSON Lines file, to be parsed where the heavy steps run: `text` holds
    the file's lines from line `first_line` on; `whole` when they are the whole file
    (then a file without a record is one RecordError, transforms.readers.parse_jsonl)."""

    path: str
    text: str
    first_line: int = 1
    whole: bool = True


class ParagraphText(NamedTuple):
    """What alignment needs of a paragraph of another document: where it is, and its
    text. A Paragraph without outlet, time and gap, and a tuple: a third smaller to ship."""

    doc_id: str
    index: int
    start: int
    text: str

    @property
    def ref(self) -> ParagraphRef:
        return (self.doc_id, self.index)


@dataclass(frozen=True)
class ToAlign:
    """Paragraphs of other documents to align with paragraphs of document `doc_id`:
    (paragraph a, index of this document's paragraph b) for each candidate pair."""

    doc_id: str
    pairs: tuple[tuple[ParagraphText, int], ...]


class SpanMatch(NamedTuple):
    """Text two paragraphs of different documents share, found by alignment; `a < b`.

    Offsets are into each document's text: only the shared part, not the whole paragraph.
    A tuple, not a dataclass: a job makes millions, and a tuple is built and unpickled
    in a third of the time (the local runner pickles them between Verify's parts).
    """

    a: ParagraphRef
    a_start: int
    a_end: int
    b: ParagraphRef
    b_start: int
    b_end: int
    words: int  # aligned (equal) tokens
    similarity: float  # 2 * words / (tokens of both spans)
    # Where each span's reach ends: the end of its paragraph. Spans of one document whose
    # reaches meet are one node of a cluster: every stretch one paragraph shares is in one
    # node, so that a copy's own words between two shared stretches (an inserted clause,
    # a changed phrase) never cut a copied paragraph into two clusters.
    a_reach: int = -1
    b_reach: int = -1


@dataclass(frozen=True)
class Piece:
    """One node of a cluster: a stretch of a document that overlapping shared spans
    cover, with the whole paragraph it lies in (for exact offsets and kinds)."""

    component: tuple[str, int, int]  # the cluster's smallest node (doc_id, start, end)
    start: int
    end: int
    paragraph: Paragraph
    credits: tuple[str, ...] = ()  # the agencies the document credits


@dataclass(frozen=True)
class Member:
    """One place where a passage appears (a row of `members` in passages.jsonl)."""

    doc_id: str
    outlet: str | None
    published: str | None
    start: int
    end: int
    paragraphs: tuple[int, ...]
    text: str
    similarity: float = 1.0
    kind: str = "origin"
    credits: tuple[str, ...] = ()  # the agencies its document credits (not written: documents.jsonl has them)
    history: bool = False  # found in an earlier run's index (--history), not in this run's input
    coverage: float = 1.0  # the share of the passage's words it carries, 0..1
    rewrites: tuple | None = None  # a rewritten member: (doc_id, start, end, text) of what it rewords

    def scored(self, similarity: float, kind: str) -> Member:
        """this member with its similarity and kind."""
        return self.but(similarity=similarity, kind=kind)

    def but(self, **changes) -> Member:
        """this member with some fields changed: dataclasses.replace, without the frozen
        __init__'s object.__setattr__ per field (a copy of the fields, some changed)."""
        member = object.__new__(Member)
        member.__dict__.update(self.__dict__, **changes)
        return member

    def to_row(self) -> dict:
        row = {
            "doc_id": self.doc_id,
            "outlet": self.outlet,
            "published": self.published,
            "start": self.start,
            "end": self.end,
            "paragraphs": list(self.paragraphs),
            "text": self.text,
            "similarity": self.similarity,
            "kind": self.kind,
            "coverage": self.coverage,
        }
        if self.rewrites:
            doc_id, start, end, text = self.rewrites
            row["rewrites"] = {"doc_id": doc_id, "start": start, "end": end, "text": text}
        if self.history:
            row["history"] = True
        return row


@dataclass(frozen=True)
class Origin:
    """The member judged to be the source of a passage, and why."""

    doc_id: str
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Edge:
    """One edge of a passage's provenance tree."""

    source: str
    target: str
    similarity: float


@dataclass(frozen=True)
class Passage:
    """A piece of text shared by two or more documents (a row of passages.jsonl)."""

    passage_id: str
    text: str
    agency: str | None
    origin: Origin
    members: tuple[Member, ...]
    edges: tuple[Edge, ...] = field(default=())
    quote: bool = False  # mostly quoted speech: shared, but it links no stories (transforms.quotes)

    @property
    def outlets(self) -> list[str]:
        return sorted({m.outlet for m in self.members if m.outlet})

    def to_row(self) -> dict:
        return {
            "passage_id": self.passage_id,
            "text": self.text,
            "size": len(self.members),
            "outlets": self.outlets,
            "agency": self.agency,
            "origin": {
                "doc_id": self.origin.doc_id,
                "confidence": self.origin.confidence,
                "evidence": list(self.origin.evidence),
            },
            "members": [m.to_row() for m in self.members],
            "edges": [{"source": e.source, "target": e.target, "similarity": e.similarity} for e in self.edges],
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Span:
    """A shared span inside one document (a row of `spans` in documents.jsonl)."""

    doc_id: str
    start: int
    end: int
    passage_id: str
    role: str
    shared_with: tuple[str, ...]

    def to_row(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "passage_id": self.passage_id,
            "role": self.role,
            "shared_with": list(self.shared_with),
        }
