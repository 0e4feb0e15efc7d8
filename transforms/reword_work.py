"""Rewording's heavy steps on a batch, pure and Beam-free (as transforms.work): each
(batch, parameters) -> (outputs, counts), run in the worker processes by
transforms.offload.Offloaded (transforms.reword_maps.Rewordings wires them)."""

from __future__ import annotations

import pickle
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from transforms.reword import Weights, document_slots, sentence_set, source_first, source_order
from transforms.reword_match import Vectors, copy_share, reworded
from transforms.rewritten import rewritten_members
from transforms.shards import Shelf, by_shard, merged, opened, pack, pack_compressed, unpack_compressed
from transforms.sketch import Signer, band_key_matrix

Counts = dict[tuple[str, str], int]


@dataclass(frozen=True, eq=False)
class ShardSentences:
    """The SentenceSets of one shard's documents, each pickled on its own, as (doc_id,
    pickle) items, compressed together: a source's pickle travels as it is to each later
    article paired with it, never pickled again; the slots of the terms each carries
    (transforms.reword.document_slots), and how many documents they are."""

    shard: int
    sets: bytes
    slots: np.ndarray
    documents: int


def sentence_sets_batch(groups: list, furniture: list[int] = ()) -> tuple[list[list], Counts]:
    """(shard, {doc: [sealed documents], spans: [packed [(doc_id, (start, end, passage_id))]]})
    groups, the keys of the corpus's page furniture -> for each, [ShardSentences] of its
    documents (their copy spans marked)."""
    outputs = []
    sentences = 0
    keys = frozenset(furniture)
    for shard, grouped in groups:
        covered = merged(opened(grouped, "spans")) if "spans" in grouped else {}
        sets = [
            sentence_set(
                doc.doc_id, doc.text, doc.outlet, doc.published, covered.get(doc.doc_id, []), doc.credits, keys
            )
            for doc in Shelf(grouped["doc"])
        ]
        sentences += sum(len(s.sentences) for s in sets)
        packed = pack_compressed(tuple((s.doc_id, pack(s)) for s in sets))
        outputs.append([ShardSentences(shard, packed, document_slots(sets), len(sets))] if sets else [])
    return outputs, {("reword", "sentences"): sentences} if sentences else {}


@lru_cache(maxsize=4)
def _signer(num_perm: int, seed: int) -> Signer:
    return Signer(num_perm, seed)


def doc_bands(shard_sentences: ShardSentences, weights: Weights, bands: int, rows: int, rare: int):
    """a shard's SentenceSets, the corpus's weights -> (band, [(band key, source_order, doc_id)])
    per band: each document's signature over its `rare` rarest terms (Weights.rare), banded."""
    sets = [pickle.loads(data) for _, data in unpack_compressed(shard_sentences.sets)]
    terms = [weights.rare(s.term_array, rare) for s in sets]
    kept = [(s, t) for s, t in zip(sets, terms, strict=True) if t]
    if not kept:
        return []
    signatures = _signer(bands * rows, 5).sign_batch([t for _, t in kept])
    keys = band_key_matrix(signatures, bands, rows)
    return [
        (
            band,
            [
                (int(keys[i, band]), source_order(s.published, s.credits, s.doc_id), s.doc_id)
                for i, (s, _) in enumerate(kept)
            ],
        )
        for band in range(bands)
    ]


def bands_batch(
    items: list[ShardSentences], bands: int, rows: int, rare: int, slots: tuple
) -> tuple[list[list], Counts]:
    """shards' SentenceSets, the banding, the corpus's (slot counts, documents) -> for
    each, its documents' rare-words bands (doc_bands)."""
    weights = Weights(*slots)
    return [doc_bands(item, weights, bands, rows, rare) for item in items], {}


def band_pairs(element, max_bucket: int) -> list[tuple[int, list[tuple[str, str]]]]:
    """(band, [lists of (key, source_order, doc_id)]) -> (source shard, [(source, later)])
    for the documents that share a bucket (reword.source_first; a bucket of more than
    `max_bucket` pairs each of its documents with its first two only)."""
    _, lists = element
    buckets: dict[int, list[tuple]] = {}
    for items in lists:
        for key, order, _ in items:
            buckets.setdefault(key, []).append(tuple(order))
    pairs = []
    for docs in buckets.values():
        if len(docs) < 2:
            continue
        docs.sort()
        anchors = docs[:2] if len(docs) > max_bucket else docs
        for i, doc in enumerate(docs):
            for anchor in anchors[: i if len(docs) <= max_bucket else 2]:
                if anchor[3] != doc[3]:
                    pairs.append(source_first(anchor, doc))
    return by_shard(pairs)


def attach_sources_batch(groups: list) -> tuple[list[list], Counts]:
    """(source shard, {sets: [packed ShardSentences], pairs: [packed [(source, later)]]})
    groups -> for each, (later shard, compressed [(later doc_id, the source's pickled
    SentenceSet)]): every pair's source sent to its later document's shard, as the
    pickle it came in."""
    outputs = []
    pairs_seen = 0
    for _, grouped in groups:
        sets = dict(item for part in opened(grouped, "sets") for item in unpack_compressed(part.sets))
        to = sorted({pair for pairs in opened(grouped, "pairs") for pair in pairs})
        pairs_seen += len(to)
        items = [(later, sets[source]) for source, later in to if source in sets]
        outputs.append([(shard, pack_compressed(found)) for shard, found in by_shard(items)])
    return outputs, {("reword", "candidate_pairs"): pairs_seen} if pairs_seen else {}


def reword_batch(groups: list, slots: tuple) -> tuple[list[list], Counts]:
    """(later shard, {sets: [packed ShardSentences], sources: [compressed [(later, the
    source's pickled SentenceSet)]]}) groups, the corpus's (slot counts, documents) ->
    for each, the Rewritten members of its documents (transforms.rewritten); where a later document rewords
    nothing of its source but has more copy than it (reword.copy_share), the source's
    sentences that reword it: of two copies of a wire story, the one that kept the
    wire's words is the source, whichever was published first. A sentence may come out
    twice (from two shards): Rewordings keeps one."""
    weights = Weights(*slots)
    outputs = []
    counts: Counter = Counter()
    for _, grouped in groups:
        sets = dict(item for part in opened(grouped, "sets") for item in unpack_compressed(part.sets))
        sources = merged(opened(grouped, "sources", compressed=True))
        vectors = Vectors(weights)
        opened_sets: dict[bytes, object] = {}  # each set opened once, however many pairs it is in
        found = []
        for later_id, source_data in sources.items():
            if later_id not in sets:
                continue
            later = _opened(sets[later_id], opened_sets)
            source_sets = [_opened(data, opened_sets) for data in source_data]
            counts[("reword", "pairs_done")] += len(source_sets)
            share = copy_share(later)
            pairs = []
            for source in source_sets:
                matches = reworded(source, later, weights, vectors)
                if not matches and share > copy_share(source):  # the later has more copy: the source rewrote it?
                    members = rewritten_members(source, [(later, r) for r in reworded(later, source, weights, vectors)])
                    vectors.done_with(source)
                    counts[("reword", "swapped")] += bool(members)
                    found.extend(members)
                pairs.extend((source, r) for r in matches)
            found.extend(rewritten_members(later, pairs))
            vectors.done_with(later)  # a later article's rows are needed for its own pairs only
        counts[("reword", "rewritten")] += len(found)
        outputs.append(found)
    return outputs, {key: n for key, n in counts.items() if n}


def _opened(data: bytes, cache: dict):
    """a pickled SentenceSet -> it, unpickled once a batch (`cache`: pickle -> set)."""
    found = cache.get(data)
    if found is None:
        found = cache[data] = pickle.loads(data)
    return found
