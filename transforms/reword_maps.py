"""Rewordings: Passages + documents -> the same passages with the sentences outlets
rewrote as members of kind `rewritten`, and passages of rewritten sentences no one
copied. The matching is transforms.reword (pure) and transforms.reword_work (batches);
this is their Beam wiring.

    sentences       each document's sentences, their content terms, what of them is copy
    weights         the corpus's document frequencies (slot counts), one element
    candidates      article pairs: the members of a passage (they share copy), and
                    articles whose rare content words share an LSH band
    reword          each pair's later sentences matched to the source's (in the workers)
    into the map    rewrites of copied text join its passage; the others make their own
"""

from __future__ import annotations

import apache_beam as beam
import numpy as np
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from transforms.maps import passage_spans
from transforms.model import Passage
from transforms.offload import Offloaded, OffloadedWith
from transforms.packed import PackedCoGroupByKey
from transforms.reword import TERM_SLOTS, source_first, source_order
from transforms.reword_work import attach_sources_batch, band_pairs, bands_batch, reword_batch, sentence_sets_batch
from transforms.rewritten import Rewritten, attach, reworded_passage
from transforms.shards import by_shard
from transforms.sketch import lsh_bands

BATCH = 512  # passages a batch, for their copy spans and their pairs
NUM_PERM = 32  # permutations of an article's rare-words signature
# The Jaccard similarity of rare-word sets the banding is tuned for, and the bucket size
# beyond which a bucket pairs each of its articles with two anchors only: on the quality
# benchmark, 0.25 and 50 made 20 times the candidate pairs of 0.7 and 8 and found 1% more
# of the reworded sentences (most rewrites are of copy their articles share).
THRESHOLD = 0.7
MAX_BUCKET = 8
RARE = 24  # an article's rarest words its signature is made of


def _covered_by_shard(passages: list[Passage]):
    """a batch of passages -> (shard, [(doc_id, (start, end, passage_id))]): their copy."""
    items = ((s.doc_id, (s.start, s.end, s.passage_id)) for p in passages for s in passage_spans(p))
    return by_shard(items)


# A passage of this many members or fewer pairs every two of them; a larger one pairs
# each with its origin and its first publication only (linear in its size).
ALL_PAIRS = 8


def _copy_pairs(passages: list[Passage]):
    """a batch of passages -> (source shard, [(source doc, later doc)]): articles that
    share copy (quotes left out), each pair in the direction reword.source_first gives."""
    pairs = set()
    for p in passages:
        if p.quote:
            continue
        members = sorted({source_order(m.published, m.credits, m.doc_id) for m in p.members if not m.history})
        if len(members) <= ALL_PAIRS:
            pairs.update(source_first(a, b) for i, a in enumerate(members) for b in members[i + 1 :])
        else:
            # the origin may be an earlier day's member (--history): then the first is the anchor
            origin = [m for m in members if m[3] == p.origin.doc_id]
            for anchor in {members[0], *origin}:
                pairs.update(source_first(anchor, m) for m in members if m != anchor)
    return by_shard(sorted(pairs))


class _SumSlots(beam.CombineFn):
    """ShardSentences -> (how many documents carry a term of each slot, documents): the
    corpus's document frequencies, one dense array of TERM_SLOTS counts."""

    def create_accumulator(self):
        return np.zeros(TERM_SLOTS, dtype=np.uint32), 0

    def add_input(self, acc, element):
        counts, docs = acc
        counts += np.bincount(element.slots, minlength=TERM_SLOTS).astype(np.uint32)
        return counts, docs + element.documents

    def merge_accumulators(self, accs):
        counts, docs = self.create_accumulator()
        for c, d in accs:
            counts += c
            docs += d
        return counts, docs

    def extract_output(self, acc):
        return acc


def _keyed(shard_sentences):
    return shard_sentences.shard, shard_sentences


def _span(member) -> str:
    return f"{member.doc_id}\x1f{member.start}\x1f{member.end}"


def _by_later(r):
    return _span(r.copy), r


def _best(element):
    """(a rewrite's span, [Rewritten]) -> the one of its most alike source (then the
    smallest source id and place): a sentence rewrites one text."""
    _, found = element
    return min(found, key=lambda r: (-r.copy.similarity, r.source.doc_id, r.source.start))


def _span_keys(r):
    """a Rewritten -> its rewrite's span, and its source's if that is no copy: where a
    rewrite of one sentence is the source of another's, the two meet."""
    yield _span(r.copy), ("later", r)
    if r.passage is None:
        yield _span(r.source), ("source", r)


_CHAINS_CUT = Metrics.counter("reword", "chains_cut")


def _unchained(element, cut: bool):
    """(span, [(role, Rewritten)]) -> the Rewritten whose source is this span, each
    pointed at the source of the rewrite this span is (a rewrite of a rewrite belongs to
    the first text: one span is never the source of one passage and a member of
    another), or, with `cut`, dropped; and this span's own rewrite, if its source is copy
    (it has no other key)."""
    _, tagged = element
    laters = [r for role, r in tagged if role == "later"]
    for role, r in sorted(tagged, key=lambda t: (t[0], t[1].copy.doc_id, t[1].copy.start)):
        if role == "later":
            if r.passage is not None:
                yield r
        elif not laters:
            yield r
        elif cut:
            _CHAINS_CUT.inc()
        else:
            first = laters[0]
            yield Rewritten(first.passage, first.source, r.copy)


def _copied_or_not(item, partitions: int) -> int:
    """a Rewritten -> 0 if its source sentence is copy in a passage, else 1."""
    return 0 if item.passage is not None else 1


def _flag(item) -> tuple[str, bool]:
    return item[0], True


def _by_passage(item):
    return item.passage, item


def _by_source(item):
    m = item.source
    return f"{m.doc_id}\x1f{m.start}\x1f{m.end}", item


def _passage_key(passage: Passage):
    return passage.passage_id, passage


_MEMBERS = Metrics.counter("reword", "members")  # rewritten members the step adds to the map


def _attached(element):
    """(passage_id, {passage: [Passage], rewritten: [Rewritten]}) -> the passage with them."""
    _, grouped = element
    for passage in grouped["passage"]:
        rewritten = sorted(grouped["rewritten"], key=lambda r: (r.copy.doc_id, r.copy.start))
        _MEMBERS.inc(len(rewritten))
        yield attach(passage, rewritten) if rewritten else passage


def _new_passage(element):
    _, rewritten = element
    _MEMBERS.inc(len(rewritten))
    return reworded_passage(sorted(rewritten, key=lambda r: (r.copy.doc_id, r.copy.start)))


def _touched_or_not(passage: Passage, partitions: int, touched: dict) -> int:
    """a passage, the ids of those rewrites join -> 0 if one does, else 1."""
    return 0 if passage.passage_id in touched else 1


class Rewordings(beam.PTransform):
    """Passage -> Passage: the run's passages with the sentences outlets rewrote (see the
    module), given this run's documents packed by shard (transforms.read.PackDocuments).
    The heavy steps run in the worker processes (transforms.offload).
    `verify`: (model, min similarity) to keep only the rewordings a sentence-embedding
    model agrees with (transforms.embeddings), or None; `furniture`: the keys of the
    corpus's page furniture (transforms.detect.PageFurniture), never matched, or None."""

    def __init__(self, documents, verify: tuple[str, float] | None = None, furniture=None):
        super().__init__()
        self.documents, self.verify = documents, verify
        self.furniture = furniture  # the keys of the corpus's page furniture (PageFurniture), or None

    def _offloaded(self, work, *args) -> Offloaded:
        return Offloaded(work, args, batch_size=1)

    def _sentences(self):
        if self.furniture is None:
            return beam.ParDo(self._offloaded(sentence_sets_batch))
        work = OffloadedWith(sentence_sets_batch, (), batch_size=1)
        return beam.ParDo(work, pvalue.AsList(self.furniture))

    def expand(self, passages):
        batches = passages | "Batch" >> beam.BatchElements(min_batch_size=BATCH, max_batch_size=BATCH)
        covered = batches | "CopyByShard" >> beam.FlatMap(_covered_by_shard)
        sentences = (
            {"doc": self.documents, "spans": covered}
            | "JoinCopy" >> PackedCoGroupByKey(packed=("doc",), unpack=False)
            | "Sentences" >> self._sentences()
        )
        slots = sentences | "Weights" >> beam.CombineGlobally(_SumSlots()).without_defaults()
        weights = pvalue.AsSingleton(slots, default_value=None)
        bands, rows = lsh_bands(THRESHOLD, NUM_PERM, 0.5)
        by_band = (
            sentences
            | "Bands" >> beam.ParDo(OffloadedWith(bands_batch, (bands, rows, RARE), batch_size=1), weights)
            | "GroupByBand" >> beam.GroupByKey()
            | "BandPairs" >> beam.FlatMap(band_pairs, MAX_BUCKET)
        )
        shared = batches | "CopyPairs" >> beam.FlatMap(_copy_pairs)
        keyed = sentences | "KeyByShard" >> beam.Map(_keyed)
        pairs = (by_band, shared) | "AllPairs" >> beam.Flatten()
        sources = (
            {"sets": keyed, "pairs": pairs}
            | "JoinSources" >> PackedCoGroupByKey(unpack=False)
            | "AttachSources" >> beam.ParDo(self._offloaded(attach_sources_batch))
        )
        rewritten = (
            {"sets": keyed, "sources": sources}
            | "JoinLater" >> PackedCoGroupByKey(packed=("sources",), unpack=False)
            | "Reword" >> beam.ParDo(OffloadedWith(reword_batch, (), batch_size=1), weights)
        )
        if self.verify is not None:
            from transforms.embeddings import VerifyByEmbeddings

            rewritten = rewritten | "Embeddings" >> VerifyByEmbeddings(*self.verify)
        rewritten = rewritten | "ByRewrite" >> beam.Map(_by_later) | "OnePerRewrite" >> beam.GroupByKey()
        rewritten = rewritten | "MostAlike" >> beam.Map(_best)
        for n, cut in ((1, False), (2, True)):  # a chain of two rewrites joins the first text; a longer is cut
            rewritten = (
                rewritten
                | f"SpanKeys{n}" >> beam.FlatMap(_span_keys)
                | f"BySpan{n}" >> beam.GroupByKey()
                | f"Unchained{n}" >> beam.FlatMap(_unchained, cut)
            )
        into = rewritten | "IntoPassage" >> beam.Partition(_copied_or_not, 2)
        to_attach = into[0] | "ByPassage" >> beam.Map(_by_passage)
        touched = pvalue.AsDict(to_attach | "Touched" >> beam.Map(_flag) | "TouchedOnce" >> beam.CombinePerKey(max))
        split = passages | "Split" >> beam.Partition(_touched_or_not, 2, touched)
        attached = (
            {"passage": split[0] | "KeyPassages" >> beam.Map(_passage_key), "rewritten": to_attach}
            | "JoinRewrites" >> beam.CoGroupByKey()
            | "Attach" >> beam.FlatMap(_attached)
        )
        new = into[1] | "BySource" >> beam.Map(_by_source) | "GroupBySource" >> beam.GroupByKey()
        made = new | "NewPassages" >> beam.Map(_new_passage)
        return (split[1], attached, made) | "AllPassages" >> beam.Flatten()
