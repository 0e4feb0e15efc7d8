"""Candidate pairs from LSH buckets.

Pure functions, no Beam.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np

from transforms.model import BandKeys, HalfPairs, SignaturePairs, SignedWindows
from transforms.shards import pack
from transforms.sketch import band_key_matrix

Ref = TypeVar("Ref", bound=tuple)


# A hot bucket pairs every member with this many anchors (its first members in sorted
# order), linear in its size. A paragraph left out of every pair where it is hot (its
# signature the first anchor and all its paragraphs in one document, or sharing that one
# document with the anchors) is paired only where another band puts it in a small bucket.
HOT_ANCHORS = 2

# A signature id: its signature partition in the high bits, its rank there in the low ones.
SIGNATURE_BITS = 26


def bucket_pairs(refs: Sequence[Ref], max_bucket_size: int) -> list[tuple[Ref, Ref]]:
    """refs that share one LSH band -> candidate pairs (a, b), a < b, across documents.

    `refs` are (doc_id, paragraph_index) tuples. A bucket of at most
    `max_bucket_size` members gives all its cross-document pairs. A larger ("hot")
    bucket, boilerplate or one paragraph carried by thousands of articles, pairs every
    member only with HOT_ANCHORS anchors: its first members in sorted order, plus the
    first member of another document if those all share one. The pairs are at most
    about 2 * HOT_ANCHORS per member, and they still connect the whole bucket.
    """
    members = sorted(set(refs))
    if len(members) <= max_bucket_size:
        anchors = members
    else:
        anchors = members[:HOT_ANCHORS]
        if len({a[0] for a in anchors}) == 1:
            other = next((m for m in members if m[0] != anchors[0][0]), None)
            anchors = anchors + [other] if other else anchors
    anchor_set = set(anchors)
    pairs = set()
    for b in members:
        for a in anchors:
            if a[0] != b[0] and (b not in anchor_set or a < b):
                pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def identical_pairs(refs: Sequence[Ref], max_bucket_size: int) -> list[tuple[Ref, Ref]]:
    """refs whose windows have one identical signature -> their cross-document pairs
    (they share every band: made once here, not in any bucket); anchors past
    `max_bucket_size`, as in a hot bucket."""
    return bucket_pairs(refs, max_bucket_size)


def signature_ids(partition: int, n: int) -> np.ndarray:
    """signature partition, number of distinct signatures there -> their ids (uint32):
    `partition << SIGNATURE_BITS | rank`, one integer naming a signature in the whole job."""
    if n >= 1 << SIGNATURE_BITS:
        raise ValueError(f"{n:,} distinct signatures in one partition: at most {(1 << SIGNATURE_BITS) - 1:,}")
    if not 0 <= partition < 1 << (32 - SIGNATURE_BITS):
        raise ValueError(f"signature partition {partition}: at most {(1 << (32 - SIGNATURE_BITS)) - 1}")
    return (np.uint32(partition) << np.uint32(SIGNATURE_BITS)) | np.arange(n, dtype=np.uint32)


def partition_of(ids: np.ndarray) -> np.ndarray:
    """signature ids -> the signature partition of each."""
    return ids >> np.uint32(SIGNATURE_BITS)


def rank_of(ids: np.ndarray) -> np.ndarray:
    """signature ids -> the rank of each in its signature partition."""
    return ids & np.uint32((1 << SIGNATURE_BITS) - 1)


def band_keys_by_partition(
    signatures: np.ndarray, ids: np.ndarray, ref_counts: np.ndarray, bands: int, rows: int, partitions: int
) -> dict[int, BandKeys]:
    """(n, num_perm) distinct signatures, their ids and how many paragraphs carry each ->
    {band partition: BandKeys}: every band key of every signature (computed for
    the batch at once), spread over `partitions` by the key, so that a bucket lands whole
    in one partition and a batch crosses the shuffle as a few arrays."""
    if not len(ids):
        return {}
    keys = band_key_matrix(signatures, bands, rows).ravel()
    owner = np.repeat(np.asarray(ids, dtype=np.uint32), bands)
    counts = np.repeat(np.asarray(ref_counts, dtype=np.uint32), bands)
    where = keys % np.uint64(partitions)
    order = np.argsort(where, kind="stable")
    bounds = np.flatnonzero(np.diff(where[order])) + 1
    return {int(where[idx[0]]): BandKeys(keys[idx], owner[idx], counts[idx]) for idx in np.split(order, bounds)}


def pack_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """two arrays of signature ids -> the pairs (smaller, larger) packed in uint64, less
    those of a signature with itself."""
    a, b = np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    return (low[keep] << np.uint64(32)) | high[keep]


def unpack_pairs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """packed pairs -> (first ids, second ids), uint32."""
    return (codes >> np.uint64(32)).astype(np.uint32), (codes & np.uint64(0xFFFFFFFF)).astype(np.uint32)


_NO_PAIRS = np.zeros(0, dtype=np.uint64)


def bucket_signature_pairs(parts: Iterable[BandKeys], max_bucket_size: int) -> tuple[SignaturePairs, int]:
    """the BandKeys of one band partition -> (the candidate signature pairs of its buckets,
    distinct, sorted; the number of hot buckets).

    A bucket is the signatures that share a band key. One that `max_bucket_size` or
    fewer paragraphs carry pairs every two of its signatures. A hot one (more) pairs
    every signature with HOT_ANCHORS anchors only, its smallest ids: linear in its size.
    A pair found in hot buckets only is marked hot; its first (smaller) id is an anchor
    of each of them, and every paragraph of the second is paired with the anchor
    paragraphs of the first (half_pairs, paragraph_pairs): linear too. All with numpy:
    one pass per bucket size, a Python step per hot bucket only."""
    parts = [part for part in parts if len(part.keys)]
    if not parts:
        return SignaturePairs(_NO_PAIRS, np.zeros(0, dtype=bool)), 0
    keys = np.concatenate([part.keys for part in parts])
    ids = np.concatenate([part.ids for part in parts])
    counts = np.concatenate([part.ref_counts for part in parts]).astype(np.int64)
    order = np.lexsort((ids, keys))
    keys, ids, counts = keys[order], ids[order], counts[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    totals = np.add.reduceat(counts, starts)
    shared = sizes > 1
    hot = shared & (totals > max_bucket_size)
    small = shared & ~hot
    found = [_NO_PAIRS]
    for size in np.unique(sizes[small]).tolist():
        first = starts[small & (sizes == size)]
        members = ids[first[:, None] + np.arange(size)]
        i, j = np.triu_indices(size, 1)
        found.append(pack_pairs(members[:, i].ravel(), members[:, j].ravel()))
    anchored = [_NO_PAIRS]
    for s, n in zip(starts[hot].tolist(), sizes[hot].tolist(), strict=True):
        members = np.unique(ids[s : s + n])
        anchors = members[:HOT_ANCHORS]
        anchored.append(pack_pairs(np.repeat(anchors, len(members)), np.tile(members, len(anchors))))
    return merge_signature_pairs(np.concatenate(found), np.concatenate(anchored)), int(hot.sum())


def merge_signature_pairs(full: np.ndarray, anchored: np.ndarray) -> SignaturePairs:
    """packed pairs found in small buckets (`full`) and in hot ones (`anchored`) -> the
    distinct pairs, sorted, each hot only if no small bucket has it."""
    full = np.unique(full)
    anchored = np.setdiff1d(anchored, full)
    codes = np.concatenate([full, anchored])
    hot = np.concatenate([np.zeros(len(full), dtype=bool), np.ones(len(anchored), dtype=bool)])
    order = np.argsort(codes, kind="stable")
    return SignaturePairs(codes[order], hot[order])


def pairs_by_partition(pairs: SignaturePairs) -> dict[int, SignaturePairs]:
    """signature pairs -> {signature partition of each pair's first id: its pairs}."""
    first, _ = unpack_pairs(pairs.codes)
    where = partition_of(first)
    order = np.argsort(where, kind="stable")
    bounds = np.flatnonzero(np.diff(where[order])) + 1
    return {
        int(where[idx[0]]): SignaturePairs(pairs.codes[idx], pairs.hot[idx])
        for idx in np.split(order, bounds)
        if len(idx)
    }


def union_pairs(parts: Iterable[SignaturePairs]) -> SignaturePairs:
    """the signature pairs of several band partitions -> each pair once, hot only if hot
    in every partition that found it."""
    parts = list(parts)
    if not parts:
        return SignaturePairs(_NO_PAIRS, np.zeros(0, dtype=bool))
    codes = np.concatenate([part.codes for part in parts])
    hot = np.concatenate([part.hot for part in parts])
    return merge_signature_pairs(codes[~hot], codes[hot])


def anchor_refs(refs: Sequence[Ref]) -> tuple[Ref, ...]:
    """a signature's paragraphs, sorted -> its anchors: the first, and the first of
    another document if there is one. In a hot pair, the first signature (an anchor of
    the hot bucket) joins the pair through these only."""
    if not refs:
        return ()
    other = next((r for r in refs if r[0] != refs[0][0]), None)
    return (refs[0], other) if other else (refs[0],)


def half_pairs(pairs: SignaturePairs, refs_of: Sequence[Sequence[Ref]]) -> dict[int, HalfPairs]:
    """the signature pairs whose first signature is in this partition, whose paragraphs
    are `refs_of[rank]` -> {signature partition of the second: HalfPairs}: the first's
    paragraphs (its anchor_refs only, for a hot pair), sent to where the second's are."""
    first, second = unpack_pairs(pairs.codes)
    out: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    hot = pairs.hot.tolist()
    for a, p, b, h in zip(
        rank_of(first).tolist(), partition_of(second).tolist(), rank_of(second).tolist(), hot, strict=True
    ):
        targets, refs = out[p]
        targets.append(b)
        refs.append(anchor_refs(refs_of[a]) if h else tuple(refs_of[a]))
    return {p: HalfPairs(tuple(t), tuple(r)) for p, (t, r) in sorted(out.items())}


def paragraph_pairs(halves: Iterable[HalfPairs], refs_of: Sequence[Sequence[Ref]]) -> list[tuple[Ref, Ref]]:
    """HalfPairs sent to this signature partition, whose signatures' paragraphs are
    `refs_of[rank]` -> the candidate pairs (a, b), a < b, across documents: every
    paragraph the first side sent (all, or its anchors for a hot pair) with every
    paragraph of the second. A pair may come more than once (pairs_by_doc's consumer
    keeps one)."""
    out = []
    for half in halves:
        for target, left in zip(half.targets, half.refs, strict=True):
            right = refs_of[target]
            for a in left:
                for b in right:
                    if a[0] != b[0]:
                        out.append((a, b) if a < b else (b, a))
    return out


def signature_partitions(signatures: np.ndarray, refs: Sequence[Ref], partitions: int) -> dict[int, SignedWindows]:
    """(n, num_perm) uint32 signatures of n windows and their paragraphs -> {partition:
    SignedWindows}, spread by the signature's first two values, so that every copy of one
    signature lands in one partition."""
    if not len(refs):
        return {}
    head = (signatures[:, 0].astype(np.uint64) << np.uint64(32)) | signatures[:, 1].astype(np.uint64)
    where = (head % np.uint64(partitions)).tolist()
    rows: dict[int, list[int]] = defaultdict(list)
    for i, partition in enumerate(where):
        rows[partition].append(i)
    return {
        partition: SignedWindows(tuple(refs[i] for i in members), tuple(signatures[i].tobytes() for i in members))
        for partition, members in sorted(rows.items())
    }


def packed_partitions(signatures: np.ndarray, refs: Sequence[Ref], partitions: int) -> list[tuple[int, bytes]]:
    """signature_partitions, each partition's SignedWindows pickled: [(partition, bytes)],
    partitions in order. Packed where they are signed, they cross Beam's process and its
    grouping as one bytes object each, not as a Python object per window."""
    found = signature_partitions(signatures, refs, partitions)
    return [(part, pack(found[part])) for part in sorted(found)]


def distinct_signatures(batches: Iterable[SignedWindows]) -> list[tuple[np.ndarray, tuple[Ref, ...]]]:
    """SignedWindows of one partition -> (signature, its paragraphs sorted, each once) for
    every distinct signature, in signature order: exact duplicates collapsed (a paragraph
    every verbatim copy carries, or one that repeats a sentence)."""
    refs_of: dict[bytes, set] = defaultdict(set)
    for batch in batches:
        for ref, signature in zip(batch.refs, batch.signatures, strict=True):
            refs_of[signature].add(ref)
    return [(np.frombuffer(sig, dtype=np.uint32), tuple(sorted(refs_of[sig]))) for sig in sorted(refs_of)]


def pairs_by_doc(pairs: Iterable[tuple[Ref, Ref]]) -> list[tuple[str, list[tuple[int, Ref]]]]:
    """pairs (a, b) -> [(a's doc_id, [(a's paragraph index, b), ...])], by doc_id."""
    out: dict[str, list] = defaultdict(list)
    for a, b in pairs:
        out[a[0]].append((a[1], b))
    return sorted(out.items())
