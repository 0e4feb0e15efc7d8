"""The detection stages: SplitParagraphs, Signatures, GroupByBand, Verify.

Each is a thin Beam wrapper around a pure function of transforms.text,
transforms.sketch or transforms.match.
"""

from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.boilerplate import BOILERPLATE_REASONS, boilerplate_reason
from transforms.match import bucket_pairs, is_match, similarity
from transforms.model import Document, Match, Paragraph, Signed
from transforms.sketch import Signer, band_keys, shingle_hashes
from transforms.text import document_paragraphs, tokenize


def _paragraphs(doc: Document) -> list[Paragraph]:
    return document_paragraphs(doc.doc_id, doc.text, doc.outlet, doc.published)


class SplitParagraphs(beam.PTransform):
    """Document -> Paragraph, one per non-blank line, offsets into the text as read."""

    def expand(self, docs):
        return docs | "Split" >> beam.FlatMap(_paragraphs)


class SignFn(beam.DoFn):
    """Paragraph -> Signed (shingle hashes and MinHash signature); boilerplate and short paragraphs are skipped."""

    def __init__(self, shingle_size: int, min_words: int, num_perm: int, seed: int):
        self.shingle_size = shingle_size
        self.min_words = min_words
        self.num_perm = num_perm
        self.seed = seed
        self.signed = Metrics.counter("signatures", "signed")
        self.too_short = Metrics.counter("signatures", "too_short")
        self.filtered = {reason: Metrics.counter("filtered", reason) for reason in BOILERPLATE_REASONS}

    def setup(self):
        self.signer = Signer(self.num_perm, self.seed)

    def process(self, paragraph: Paragraph):
        reason = boilerplate_reason(paragraph.text)
        if reason:
            self.filtered[reason].inc()
            return
        words = [t.norm for t in tokenize(paragraph.text)]
        if len(words) < self.min_words:
            self.too_short.inc()
            return
        shingles = shingle_hashes(words, self.shingle_size, self.seed)
        self.signed.inc()
        yield Signed(paragraph.ref, shingles, self.signer.sign(shingles))


class Signatures(beam.PTransform):
    """Paragraph -> Signed, for paragraphs of at least `min_paragraph_words` words."""

    def __init__(self, shingle_size: int, min_words: int, num_perm: int, seed: int):
        super().__init__()
        self.fn = SignFn(shingle_size, min_words, num_perm, seed)

    def expand(self, paragraphs):
        return paragraphs | "Sign" >> beam.ParDo(self.fn)


class BucketPairsFn(beam.DoFn):
    """(band key, [ref]) -> candidate pairs (a, b) across documents."""

    def __init__(self, max_bucket_size: int):
        self.max_bucket_size = max_bucket_size
        self.hot = Metrics.counter("lsh", "hot_buckets")

    def process(self, element):
        _, refs = element
        refs = list(refs)
        if len(refs) > self.max_bucket_size:
            self.hot.inc()
        yield from bucket_pairs(refs, self.max_bucket_size)


class GroupByBand(beam.PTransform):
    """Signed -> distinct candidate pairs ((doc_id, i), (doc_id, j)) sharing an LSH band."""

    def __init__(self, bands: int, rows: int, max_bucket_size: int):
        super().__init__()
        self.bands, self.rows, self.max_bucket_size = bands, rows, max_bucket_size

    def _keyed(self, signed: Signed):
        return [(key, signed.ref) for key in band_keys(signed.signature, self.bands, self.rows)]

    def expand(self, signed):
        return (
            signed
            | "BandKeys" >> beam.FlatMap(self._keyed)
            | "GroupByBandKey" >> beam.GroupByKey()
            | "PairsInBucket" >> beam.ParDo(BucketPairsFn(self.max_bucket_size))
            | "DistinctPairs" >> beam.Distinct()
        )


def _shingles_by_ref(signed: Signed):
    return signed.ref, signed.shingles


def _key_by_first(pair):
    return pair[0], pair[1]


def _attach_first(element):
    """(a, {shingles: [sa], pairs: [b...]}) -> (b, (a, sa)) for each pair."""
    a, grouped = element
    for shingles in grouped["shingles"]:
        for b in grouped["pairs"]:
            yield b, (a, shingles)


class VerifyFn(beam.DoFn):
    """(b, {shingles: [sb], left: [(a, sa)]}) -> Match for each pair that passes."""

    def __init__(self, min_jaccard: float, min_containment: float):
        self.min_jaccard = min_jaccard
        self.min_containment = min_containment
        self.verified = Metrics.counter("verify", "verified")
        self.rejected = Metrics.counter("verify", "rejected")

    def process(self, element):
        b, grouped = element
        for shingles_b in grouped["shingles"]:
            for a, shingles_a in grouped["left"]:
                jaccard, containment = similarity(shingles_a, shingles_b)
                if is_match(jaccard, containment, self.min_jaccard, self.min_containment):
                    self.verified.inc()
                    yield Match(a, b, round(jaccard, 4), round(containment, 4))
                else:
                    self.rejected.inc()


class Verify(beam.PTransform):
    """candidate pairs + Signed -> Match, checked on the exact shingle sets."""

    def __init__(self, signed, min_jaccard: float, min_containment: float):
        super().__init__()
        self.signed = signed
        self.min_jaccard, self.min_containment = min_jaccard, min_containment

    def expand(self, pairs):
        shingles = self.signed | "ShinglesByRef" >> beam.Map(_shingles_by_ref)
        first = (
            {"shingles": shingles, "pairs": pairs | "KeyByFirst" >> beam.Map(_key_by_first)}
            | "JoinFirst" >> beam.CoGroupByKey()
            | "AttachFirst" >> beam.FlatMap(_attach_first)
        )
        return (
            {"shingles": shingles, "left": first}
            | "JoinSecond" >> beam.CoGroupByKey()
            | "Check" >> beam.ParDo(VerifyFn(self.min_jaccard, self.min_containment))
        )
