"""The detection stages: PageFurniture, Signatures, GroupByBand, Verify.

Each is a thin Beam wrapper around a pure function of transforms.text,
transforms.sketch, transforms.match or transforms.align.
"""

from __future__ import annotations

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics
from apache_beam.pvalue import TaggedOutput

from transforms.band_work import (
    BANDS,
    IDENTICAL,
    REFS,
    bucket_pairs_batch,
    distinct_pairs_batch,
    half_pairs_batch,
    paragraph_pairs_batch,
    same_signature_batch,
)
from transforms.furniture import furniture_keys, merge_counts
from transforms.heap import release_free_memory
from transforms.match import packed_partitions
from transforms.model import Document, ParagraphRef
from transforms.offload import Offloaded, OffloadedWith
from transforms.packed import PackedCoGroupByKey, split_by_key
from transforms.text import split_paragraphs
from transforms.work import WITHOUT_DOCUMENT as _WITHOUT_DOCUMENT
from transforms.work import align_batch, attach_batch, shapes_batch, sign_batch


def paragraph_count(doc: Document) -> int:
    """Document -> how many paragraphs it has (non-blank lines)."""
    return len(split_paragraphs(doc.text))


PARTITIONS = 64  # signature partitions: every copy of one signature lands in one


def presigned_partitions(windows: list[tuple[ParagraphRef, bytes]], partitions: int = PARTITIONS):
    """a batch of (paragraph, signature) signed earlier (an index's stand-ins) -> (partition,
    packed SignedWindows), spread and packed exactly as Signatures gives what it signs."""
    if not windows:
        return []
    signatures = np.stack([np.frombuffer(signature, dtype=np.uint32) for _, signature in windows])
    return packed_partitions(signatures, [ref for ref, _ in windows], partitions)


_FURNITURE_KEYS = Metrics.counter("furniture", "keys")


def _furniture_in(element, min_documents: int) -> list[int]:
    """(bucket, [ShapeCounts]) -> the keys of that bucket's shapes that are furniture."""
    _, parts = element
    keys = furniture_keys(merge_counts(parts), min_documents)
    _FURNITURE_KEYS.inc(len(keys))
    return keys


class PageFurniture(beam.PTransform):
    """Document -> the keys of the corpus's page-furniture shapes (transforms.furniture):
    lines that recur in at least `min_documents` documents with small variations. The
    shapes are tallied a batch of `batch_size` documents at a time, in the worker
    processes (transforms.offload), and summed in BUCKETS parts."""

    def __init__(self, min_documents: int, batch_size: int = 256):
        super().__init__()
        self.min_documents, self.batch_size = min_documents, batch_size

    def expand(self, documents):
        return (
            documents
            | "Batch" >> beam.BatchElements(min_batch_size=self.batch_size, max_batch_size=self.batch_size)
            | "Shapes" >> beam.ParDo(Offloaded(shapes_batch, (), batch_size=1))
            | "ByBucket" >> beam.GroupByKey()
            | "Furniture" >> beam.FlatMap(_furniture_in, self.min_documents)
        )


class Signatures(beam.PTransform):
    """Document -> (partition, packed SignedWindows): every paragraph's sentence windows, signed
    (MinHash of their shingles) so that a sentence another outlet moved into a merged or
    split paragraph still collides; boilerplate and paragraphs under `min_words` words
    are skipped, and so are paragraphs under `min_shared` words and the page furniture
    whose shapes' keys `furniture` gives (a PCollection of keys, PageFurniture; None:
    none) (transforms.work.sign_documents). `batch_size` documents are signed at a
    time, in one numpy pass, in the worker processes (transforms.offload), and leave as
    one element per signature partition, not one per window."""

    def __init__(
        self,
        shingle_size: int,
        min_words: int,
        num_perm: int,
        seed: int,
        batch_size: int = 256,
        partitions: int = PARTITIONS,
        min_shared: int = 0,
        furniture=None,
    ):
        super().__init__()
        self.args = (shingle_size, min_words, num_perm, seed, partitions, min_shared)
        self.batch_size, self.furniture = batch_size, furniture

    def expand(self, documents):
        batches = documents | "Batch" >> beam.BatchElements(
            min_batch_size=self.batch_size, max_batch_size=self.batch_size
        )
        if self.furniture is None:
            return batches | "Sign" >> beam.ParDo(Offloaded(sign_batch, self.args, batch_size=1))
        keys = beam.pvalue.AsList(self.furniture)
        return batches | "Sign" >> beam.ParDo(OffloadedWith(sign_batch, self.args, batch_size=1), keys)


class SameSignatureFn(Offloaded):
    """(signature partition, [packed SignedWindows]) -> (tag, value) outputs of
    transforms.band_work.same_signature_batch, worked in the worker processes (transforms.offload)."""

    def start_bundle(self):
        # The local runner's peak of memory, in its own process: free pages of the steps
        # before (the reading, the documents' packing) go back before the grouping is read.
        release_free_memory()
        super().start_bundle()


def _tagged(item):
    """(tag, value) -> the value, on the output its tag names (the main one: identical pairs)."""
    tag, value = item
    yield value if tag == IDENTICAL else TaggedOutput(tag, value)


def candidate_count(element) -> int:
    """(shard, (CandidatePairs, ...)) -> how many pairs."""
    return sum(len(candidates.pairs) for candidates in element[1])


class GroupByBand(beam.PTransform):
    """(signature partition, packed SignedWindows) -> (shard, (CandidatePairs, ...)): the
    distinct candidate pairs ((doc_id, i), (doc_id, j)) sharing an LSH band, by the
    first document, the documents of one shard (transforms.shards) together.

    Identical signatures (a sentence every verbatim copy carries) are grouped first:
    their paragraphs are paired once, and the signature goes on as one integer id. The
    band shuffle moves only arrays of (band key, signature id, count), a batch per band
    partition; buckets become signature pairs there, with numpy. The pairs then meet the
    paragraphs of their first signature, then of their second (two small joins by
    signature partition), and become paragraph pairs, which travel as one list per
    document. Every step runs in the worker processes (transforms.offload), and what
    goes from one to the next is arrays or pickled bytes (packed where
    it is made, unpickled where it is read): the Beam process moves bytes, it never
    builds the Python objects of a grouping.
    """

    def __init__(
        self,
        bands: int,
        rows: int,
        max_bucket_size: int,
        batch_size: int = 4096,
        partitions: int = 64,
    ):
        super().__init__()
        self.bands, self.rows, self.max_bucket_size = bands, rows, max_bucket_size
        self.batch_size, self.partitions = batch_size, partitions

    def expand(self, signed):
        banding = (self.bands, self.rows, self.max_bucket_size, self.batch_size, self.partitions)
        same = (
            signed
            | "GroupBySignature" >> beam.GroupByKey()
            | "SameSignature" >> beam.ParDo(SameSignatureFn(same_signature_batch, banding, batch_size=1))
            | "SplitSame" >> beam.FlatMap(_tagged).with_outputs(BANDS, REFS, main=IDENTICAL)
        )
        pairs = (
            same[BANDS]
            | "GroupByPartition" >> beam.GroupByKey()
            | "PairsInBuckets" >> beam.ParDo(self._offloaded(bucket_pairs_batch, self.max_bucket_size))
        )
        halves = (
            {"refs": same[REFS], "pairs": pairs}
            | "JoinFirstSignature" >> beam.CoGroupByKey()
            | "HalfPairs" >> beam.ParDo(self._offloaded(half_pairs_batch))
        )
        banded = (
            {"refs": same[REFS], "halves": halves}
            | "JoinSecondSignature" >> beam.CoGroupByKey()
            | "ParagraphPairs" >> beam.ParDo(self._offloaded(paragraph_pairs_batch))
        )
        return (
            (same.identical, banded)
            | "AllPairs" >> beam.Flatten()
            | "PairsByShard" >> beam.GroupByKey()
            | "DistinctPairs" >> beam.ParDo(self._offloaded(distinct_pairs_batch))
        )

    def _offloaded(self, work, *args) -> Offloaded:
        return Offloaded(work, args, batch_size=1)


# Values a join finds without their document: none, unless a runner lost the document
# between stages. Counted so that such a run fails loudly (pipeline.job) and its pairs
# are never dropped in silence.
WITHOUT_DOCUMENT = Metrics.counter(*_WITHOUT_DOCUMENT)


class Verify(beam.PTransform):
    """(shard, (CandidatePairs, ...)) + documents (packed by shard: PackDocuments) ->
    SpanPairBatch: each pair aligned word by word (transforms.align: the exact
    stretches of text the two paragraphs share), and of each stretch the two spans that
    clustering needs (align_spans), packed where the pairs were aligned: 48 bytes a
    match, not a Python object for Beam to move. Paragraphs are cut
    from their documents where they are needed; pairs travel as one element per pair of
    shards, and one batch of span pairs comes out per shard.

    The alignment runs in `parts` joins, each over the documents of one share of the
    ids (split_by_key): the same matches, but a local runner holds one part's grouping
    at a time, where the whole one was the job's peak of memory. The pairs are aligned
    in the worker processes (transforms.offload)."""

    def __init__(self, documents, max_gap: int, min_words: int, parts: int = 1):
        super().__init__()
        self.documents = documents
        self.max_gap, self.min_words, self.parts = max_gap, min_words, parts

    def expand(self, candidates):
        first = (
            {"doc": self.documents, "pairs": candidates}
            | "JoinFirst" >> PackedCoGroupByKey(packed=("doc",), unpack=False)
            | "AttachFirst" >> beam.ParDo(Offloaded(attach_batch, (), batch_size=1))
        )
        parts = split_by_key({"doc": self.documents, "left": first}, self.parts, "SplitSecond")
        align = Offloaded(align_batch, (self.max_gap, self.min_words), batch_size=1)
        aligned = [
            part
            | f"JoinSecond{i}" >> PackedCoGroupByKey(packed=("doc", "left"), unpack=False)
            | f"Align{i}" >> beam.ParDo(align)
            for i, part in enumerate(parts)
        ]
        return aligned | "AllAligned" >> beam.Flatten()
