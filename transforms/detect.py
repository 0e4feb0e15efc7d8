"""The detection stages: SplitParagraphs, Signatures, GroupByBand, Verify.

Each is a thin Beam wrapper around a pure function of transforms.text,
transforms.sketch, transforms.match or transforms.align.
"""

from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.align import align_paragraphs
from transforms.boilerplate import BOILERPLATE_REASONS, boilerplate_reason
from transforms.match import band_entries, buckets_of, first_band_pairs, identical_pairs
from transforms.model import Document, Paragraph, Signed
from transforms.sketch import Signer, shingle_hashes
from transforms.text import document_paragraphs, sentence_windows, tokenize


def _paragraphs(doc: Document) -> list[Paragraph]:
    return document_paragraphs(doc.doc_id, doc.text, doc.outlet, doc.published)


class SplitParagraphs(beam.PTransform):
    """Document -> Paragraph, one per non-blank line, offsets into the text as read."""

    def expand(self, docs):
        return docs | "Split" >> beam.FlatMap(_paragraphs)


class SignFn(beam.DoFn):
    """[Paragraph] -> Signed, one per sentence window (MinHash of its shingles), so that a
    sentence another outlet moved into a merged or split paragraph still collides.
    Boilerplate and short paragraphs are skipped. A batch of paragraphs is signed in one
    numpy pass (Signer.sign_batch)."""

    def __init__(self, shingle_size: int, min_words: int, num_perm: int, seed: int):
        self.shingle_size = shingle_size
        self.min_words = min_words
        self.num_perm = num_perm
        self.seed = seed
        self.signed = Metrics.counter("signatures", "signed")
        self.too_short = Metrics.counter("signatures", "too_short")
        self.windows = Metrics.counter("signatures", "windows")
        self.filtered = {reason: Metrics.counter("filtered", reason) for reason in BOILERPLATE_REASONS}

    def setup(self):
        self.signer = Signer(self.num_perm, self.seed)

    def _windows(self, paragraph: Paragraph):
        """paragraph -> the shingle hashes of each of its sentence windows (none if skipped)."""
        reason = boilerplate_reason(paragraph.text)
        if reason:
            self.filtered[reason].inc()
            return []
        tokens = tokenize(paragraph.text)
        if len(tokens) < self.min_words:
            self.too_short.inc()
            return []
        self.signed.inc()
        return [
            shingle_hashes([t.norm for t in window], self.shingle_size, self.seed)
            for window in sentence_windows(tokens, paragraph.text, self.min_words)
        ]

    def process(self, paragraphs: list[Paragraph]):
        refs, sets = [], []
        for paragraph in paragraphs:
            for shingles in self._windows(paragraph):
                refs.append(paragraph.ref)
                sets.append(shingles)
        self.windows.inc(len(sets))
        for ref, signature in zip(refs, self.signer.sign_batch(sets).tolist(), strict=True):
            yield Signed(ref, tuple(signature))


class Signatures(beam.PTransform):
    """Paragraph -> Signed, for paragraphs of at least `min_paragraph_words` words,
    signed `batch_size` paragraphs at a time."""

    def __init__(self, shingle_size: int, min_words: int, num_perm: int, seed: int, batch_size: int = 512):
        super().__init__()
        self.fn = SignFn(shingle_size, min_words, num_perm, seed)
        self.batch_size = batch_size

    def expand(self, paragraphs):
        return (
            paragraphs
            | "Batch" >> beam.BatchElements(min_batch_size=self.batch_size, max_batch_size=self.batch_size)
            | "Sign" >> beam.ParDo(self.fn)
        )


class PartitionPairsFn(beam.DoFn):
    """(partition, [[(band key, refs, earlier bands)]]) -> candidate pairs (a, b) across
    documents, each pair of signatures from the first band they share only."""

    def __init__(self, max_bucket_size: int):
        self.max_bucket_size = max_bucket_size
        self.hot = Metrics.counter("lsh", "hot_buckets")

    def process(self, element, hot_keys):
        _, entries = element
        if self._hot is None:
            self._hot = frozenset(hot_keys)
        for members in buckets_of(entries).values():
            if _refs(members) > self.max_bucket_size:
                self.hot.inc()
            yield from first_band_pairs(members, self.max_bucket_size, self._hot)

    def start_bundle(self):
        self._hot = None


def _refs(members) -> int:
    return sum(len(refs) for refs, _ in members)


def _by_signature(signed: Signed):
    return signed.signature, signed.ref


def _distinct_refs(signature, refs):
    """-> (signature, its paragraphs sorted, each once: a paragraph may repeat a sentence)."""
    return signature, tuple(sorted(set(refs)))


class GroupByBand(beam.PTransform):
    """Signed -> distinct candidate pairs ((doc_id, i), (doc_id, j)) sharing an LSH band.

    Identical signatures (a sentence every verbatim copy carries) are grouped first:
    their paragraphs are paired once, and the signature goes through the band shuffle
    once, not once per copy. The band shuffle moves batches: `batch_size` signatures'
    band keys cross it as one list per partition (by key), not one element per band.
    """

    def __init__(self, bands: int, rows: int, max_bucket_size: int, batch_size: int = 1024, partitions: int = 64):
        super().__init__()
        self.bands, self.rows, self.max_bucket_size = bands, rows, max_bucket_size
        self.batch_size, self.partitions = batch_size, partitions

    def _partitioned(self, batch):
        return sorted(band_entries(batch, self.bands, self.rows, self.partitions).items())

    def _identical(self, same):
        _, refs = same
        return identical_pairs(refs, self.max_bucket_size)

    def expand(self, signed):
        same = (
            signed
            | "BySignature" >> beam.Map(_by_signature)
            | "SameSignature" >> beam.GroupByKey()
            | "DistinctRefs" >> beam.MapTuple(_distinct_refs)
        )
        identical = same | "IdenticalPairs" >> beam.FlatMap(self._identical)
        partitions = (
            same
            | "Batch" >> beam.BatchElements(min_batch_size=self.batch_size, max_batch_size=self.batch_size)
            | "BandKeys" >> beam.FlatMap(self._partitioned)
            | "GroupByPartition" >> beam.GroupByKey()
        )
        hot = partitions | "HotBuckets" >> beam.FlatMap(_hot_low_bits, self.max_bucket_size)
        banded = partitions | "PairsInBuckets" >> beam.ParDo(
            PartitionPairsFn(self.max_bucket_size), beam.pvalue.AsList(hot)
        )
        return (identical, banded) | "AllPairs" >> beam.Flatten() | "DistinctPairs" >> beam.Distinct()


def _hot_low_bits(partition, max_bucket_size: int):
    """(partition, entries) -> the low 32 bits of each hot bucket's key (as earlier_bands packs them)."""
    _, entries = partition
    for key, members in buckets_of(entries).items():
        if _refs(members) > max_bucket_size:
            yield key & 0xFFFFFFFF


def _paragraph_by_ref(paragraph: Paragraph):
    return paragraph.ref, paragraph


def _key_by_first(pair):
    return pair[0], pair[1]


def _attach_first(element):
    """(a, {paragraph: [pa], pairs: [b...]}) -> (b, pa) for each pair."""
    _, grouped = element
    for paragraph in grouped["paragraph"]:
        for b in grouped["pairs"]:
            yield b, paragraph


class AlignFn(beam.DoFn):
    """(b, {paragraph: [pb], left: [pa...]}) -> SpanMatch for each stretch of text a and b share."""

    def __init__(self, max_gap: int, min_words: int):
        self.max_gap, self.min_words = max_gap, min_words
        self.verified = Metrics.counter("verify", "verified")
        self.rejected = Metrics.counter("verify", "rejected")
        self.spans = Metrics.counter("verify", "spans")

    def process(self, element):
        _, grouped = element
        for b in grouped["paragraph"]:
            for a in grouped["left"]:
                matches = align_paragraphs(a, b, self.max_gap, self.min_words)
                (self.verified if matches else self.rejected).inc()
                self.spans.inc(len(matches))
                yield from matches


class Verify(beam.PTransform):
    """candidate pairs (a, b) + Paragraphs -> SpanMatch: each pair aligned word by word,
    reporting the exact stretches of text the two paragraphs share."""

    def __init__(self, paragraphs, max_gap: int, min_words: int):
        super().__init__()
        self.paragraphs = paragraphs
        self.max_gap, self.min_words = max_gap, min_words

    def expand(self, pairs):
        paragraphs = self.paragraphs | "ParagraphByRef" >> beam.Map(_paragraph_by_ref)
        first = (
            {"paragraph": paragraphs, "pairs": pairs | "KeyByFirst" >> beam.Map(_key_by_first)}
            | "JoinFirst" >> beam.CoGroupByKey()
            | "AttachFirst" >> beam.FlatMap(_attach_first)
        )
        return (
            {"paragraph": paragraphs, "left": first}
            | "JoinSecond" >> beam.CoGroupByKey()
            | "Align" >> beam.ParDo(AlignFn(self.max_gap, self.min_words))
        )
