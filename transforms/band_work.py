"""GroupByBand's steps' work on a batch: pure and Beam-free, run by worker processes
(transforms.offload) as well as by the Beam worker itself, as transforms.work's are.

Every function: (batch, parameters) -> (outputs, counts), as in transforms.work. What
one step gives the next is arrays or bytes pickled where they are made (pack) and
unpickled where they are read, so that the Beam process between them moves bytes:

    same_signature_batch   signature partitions' windows -> identical pairs, each
                           distinct signature's paragraphs, its band keys
    bucket_pairs_batch     a band partition's keys -> signature pairs, by partition
    half_pairs_batch       signature pairs + their first signatures' paragraphs -> halves
    paragraph_pairs_batch  halves + their second signatures' paragraphs -> paragraph pairs
    distinct_pairs_batch   a shard's paragraph pairs -> each document's CandidatePairs
"""

from __future__ import annotations

import pickle
from collections import Counter

import numpy as np

from transforms.match import (
    band_keys_by_partition,
    bucket_signature_pairs,
    distinct_signatures,
    half_pairs,
    identical_pairs,
    pairs_by_doc,
    pairs_by_partition,
    paragraph_pairs,
    signature_ids,
    union_pairs,
)
from transforms.model import CandidatePairs, SignatureRefs
from transforms.shards import by_shard, merged, pack
from transforms.work import Counts

# The outputs of same_signature_batch, each (tag, value).
IDENTICAL, REFS, BANDS = "identical", "refs", "bands"


def same_signature_batch(
    groups: list, bands: int, rows: int, max_bucket_size: int, batch_size: int, partitions: int
) -> tuple[list[list], Counts]:
    """(signature partition, [packed SignedWindows]) groups -> for each, its outputs as
    (tag, value): (IDENTICAL, (shard, packed [(doc_id, [(index, b)])])): the pairs of
    paragraphs whose windows have one identical signature, by document, by shard; (REFS, (partition,
    packed SignatureRefs)): the paragraphs of each distinct signature, in signature order;
    (BANDS, (band partition, BandKeys)): their band keys, `batch_size` signatures at a time."""
    counts: Counter = Counter()
    outputs = []
    for partition, packed in groups:
        same = distinct_signatures(pickle.loads(data) for data in packed)
        counts[("lsh", "distinct_signatures")] += len(same)
        pairs = [pair for _, refs in same if len(refs) > 1 for pair in identical_pairs(refs, max_bucket_size)]
        out: list = [(IDENTICAL, (shard, pack(items))) for shard, items in by_shard(pairs_by_doc(pairs))]
        out.append((REFS, (partition, pack(SignatureRefs(tuple(refs for _, refs in same))))))
        ids = signature_ids(partition, len(same))
        sizes = np.fromiter((len(refs) for _, refs in same), dtype=np.uint32, count=len(same))
        for i in range(0, len(same), batch_size):
            signatures = np.stack([signature for signature, _ in same[i : i + batch_size]])
            batch = slice(i, i + batch_size)
            keys = band_keys_by_partition(signatures, ids[batch], sizes[batch], bands, rows, partitions)
            out.extend((BANDS, (band_partition, keys[band_partition])) for band_partition in sorted(keys))
        outputs.append(out)
    return outputs, dict(counts)


def _refs_of(grouped: dict) -> tuple:
    """a join's {refs: [packed SignatureRefs], ...} -> the paragraphs of each signature of
    the partition (none if the partition has no signature)."""
    return pickle.loads(grouped["refs"][0]).refs if grouped["refs"] else ()


def half_pairs_batch(groups: list) -> tuple[list[list], Counts]:
    """(signature partition, {refs: [packed SignatureRefs], pairs: [SignaturePairs]})
    groups -> for each, (the second signature's partition, packed HalfPairs): the pairs
    whose first signature is in the partition, its paragraphs sent to the second's."""
    outputs = []
    for _, grouped in groups:
        found = half_pairs(union_pairs(grouped["pairs"]), _refs_of(grouped)) if grouped["pairs"] else {}
        outputs.append([(partition, pack(halves)) for partition, halves in found.items()])
    return outputs, {}


def paragraph_pairs_batch(groups: list) -> tuple[list[list], Counts]:
    """(signature partition, {refs: [packed SignatureRefs], halves: [packed HalfPairs]})
    groups -> for each, (shard, packed [(doc_id, [(index, b)])]): the paragraph pairs the
    halves make with the partition's paragraphs, by document, by shard."""
    outputs = []
    for _, grouped in groups:
        halves = [pickle.loads(data) for data in grouped["halves"]]
        pairs = paragraph_pairs(halves, _refs_of(grouped)) if halves else []
        outputs.append([(shard, pack(items)) for shard, items in by_shard(pairs_by_doc(pairs))])
    return outputs, {}


def distinct_pairs_batch(groups: list) -> tuple[list[list], Counts]:
    """(shard, [packed [(doc_id, [(index, b)])]]) groups -> for each, (shard,
    (CandidatePairs, ...)): each document's pairs, sorted, each once; documents in doc_id
    order."""
    outputs = []
    pairs_found = 0
    for shard, packed in groups:
        by_doc = merged(pickle.loads(data) for data in packed)
        found = tuple(
            CandidatePairs(doc_id, tuple(sorted({pair for pairs in lists for pair in pairs})))
            for doc_id, lists in by_doc.items()
        )
        pairs_found += sum(len(candidates.pairs) for candidates in found)
        outputs.append([(shard, found)])
    return outputs, {("lsh", "candidate_pairs"): pairs_found} if pairs_found else {}


def bucket_pairs_batch(groups: list, max_bucket_size: int) -> tuple[list[list], Counts]:
    """(band partition, [BandKeys]) groups -> for each, (signature partition,
    SignaturePairs): the candidate pairs of signatures that share a bucket, by the
    first's partition."""
    counts: Counter = Counter()
    outputs = []
    for _, parts in groups:
        pairs, hot = bucket_signature_pairs(parts, max_bucket_size)
        counts[("lsh", "hot_buckets")] += hot
        outputs.append(sorted(pairs_by_partition(pairs).items()))
    return outputs, dict(counts)
