"""Candidate pairs from LSH buckets.

Pure functions, no Beam.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np

from transforms.model import BandEntries, SignedWindows
from transforms.sketch import band_key_matrix

Ref = TypeVar("Ref", bound=tuple)


# A hot bucket pairs every member with this many anchors (its first members in sorted
# order): enough to connect the bucket through one alignment each, linear in its size.
HOT_ANCHORS = 2


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


def earlier_bands(keys: Sequence[int]) -> list[bytes]:
    """a signature's band keys -> for each band, the low 32 bits of the keys before it, packed.

    A bucket member carries them so that the bucket can tell whether two members
    already share an earlier band (and so were paired there): each pair of signatures
    is then emitted once, by the first band they share, not once per shared band.
    """
    packed = np.asarray(keys, dtype=np.uint64).astype(np.uint32).tobytes()
    return [packed[: 4 * band] for band in range(len(keys))]


def first_band_pairs(
    members: Sequence[tuple[Sequence[Ref], bytes]], max_bucket_size: int, hot: frozenset[int] = frozenset()
) -> list[tuple[Ref, Ref]]:
    """(refs, earlier_bands) of one bucket, one per distinct signature (`refs`: the
    paragraphs with a window of that signature) -> cross-document pairs (a, b), a < b,
    between members, less those whose signatures also share an earlier band (paired in
    that bucket). Pairs of refs within one member (identical signatures) are not made
    here but once, by identical_pairs.

    A ref may come more than once (several sentence windows of one paragraph); the
    pair stays if any two of their windows meet here first. A hot bucket (more than
    `max_bucket_size` refs) is paired by bucket_pairs' anchors and not filtered.
    The 32-bit keys may, rarely (about band / 2**32), see an earlier band shared that
    was not. An earlier band whose bucket was hot (its key's low 32 bits are in `hot`)
    does not count: that bucket paired its members with anchors only.
    """
    if sum(len(m[0]) for m in members) > max_bucket_size:
        return bucket_pairs([r for m in members for r in m[0]], max_bucket_size)
    n = len(members)
    docs = [frozenset(r[0] for r in m[0]) for m in members]
    if len(frozenset().union(*docs)) < 2:
        return []  # one document's windows (a long article repeating itself) pair nothing
    views = [memoryview(m[1]).cast("I") for m in members]
    pairs = set()
    for i in range(n):
        refs_a, earlier_a = members[i][0], views[i]
        for j in range(i + 1, n):
            if len(docs[i]) == 1 and docs[i] == docs[j]:
                continue
            if members[i][1] and any(x == y and x not in hot for x, y in zip(earlier_a, views[j], strict=False)):
                continue
            for a in refs_a:
                for b in members[j][0]:
                    if a[0] != b[0]:
                        pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs)


def identical_pairs(refs: Sequence[Ref], max_bucket_size: int) -> list[tuple[Ref, Ref]]:
    """refs whose windows have one identical signature -> their cross-document pairs
    (they share every band: made once here, not in any bucket); anchors past
    `max_bucket_size`, as in a hot bucket."""
    return bucket_pairs(refs, max_bucket_size)


def band_entries(
    same: Sequence[tuple[np.ndarray, Sequence[Ref]]], bands: int, rows: int, partitions: int
) -> dict[int, BandEntries]:
    """distinct signatures with their paragraphs -> {partition: BandEntries}.

    Every band key of every signature (computed for the whole batch at once), spread
    over `partitions` by the key, so that a batch of signatures crosses the shuffle as a
    few arrays, not one element per band. Each entry's paragraphs and earlier bands
    (earlier_bands) travel pickled beside the keys.
    """
    if not same:
        return {}
    keys = band_key_matrix(np.stack([signature for signature, _ in same]), bands, rows)
    earlier = [earlier_bands(row) for row in keys]
    counts = np.fromiter((len(refs) for _, refs in same), dtype=np.uint32, count=len(same))
    flat = keys.ravel()
    where = flat % np.uint64(partitions)
    order = np.argsort(where, kind="stable")
    bounds = np.flatnonzero(np.diff(where[order])) + 1
    out = {}
    for idx in np.split(order, bounds):
        signature, band = np.divmod(idx, bands)
        payload = (
            [same[s][1] for s in signature.tolist()],
            [earlier[s][b] for s, b in zip(signature.tolist(), band.tolist(), strict=True)],
        )
        out[int(where[idx[0]])] = BandEntries(flat[idx], counts[signature], pickle.dumps(payload, protocol=5))
    return out


def _shared_runs(keys: np.ndarray):
    """keys -> (order, starts, ends): the runs of equal keys in sorted order that hold two or more entries."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    ends = np.append(starts[1:], len(ordered))
    shared = ends - starts > 1
    return order, ordered, starts[shared], ends[shared]


def buckets_of(parts: Iterable[BandEntries]) -> dict[int, list[tuple[Sequence[Ref], bytes]]]:
    """the BandEntries of one partition -> {band key: [(refs, earlier bands)]} for every
    key that two or more distinct signatures share (one alone pairs nothing). Only the
    payloads of parts holding such a key are unpickled."""
    parts = list(parts)
    if not parts:
        return {}
    keys = np.concatenate([part.keys for part in parts])
    part_of = np.repeat(np.arange(len(parts)), [len(part.keys) for part in parts])
    offset = np.concatenate(([0], np.cumsum([len(part.keys) for part in parts])[:-1]))
    order, ordered, starts, ends = _shared_runs(keys)
    payloads: dict[int, tuple[list, list]] = {}
    buckets = {}
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        members = []
        for m in order[s:e].tolist():
            p = int(part_of[m])
            if p not in payloads:
                payloads[p] = pickle.loads(parts[p].payload)
            refs, earlier = payloads[p]
            i = m - int(offset[p])
            members.append((refs[i], earlier[i]))
        buckets[int(ordered[s])] = members
    return buckets


def hot_keys(parts: Iterable[BandEntries], max_bucket_size: int) -> list[int]:
    """the BandEntries of one partition -> the keys of its hot buckets: shared by two or
    more signatures that hold more than `max_bucket_size` paragraphs in all. Reads the
    arrays only, never the payloads."""
    parts = list(parts)
    if not parts:
        return []
    keys = np.concatenate([part.keys for part in parts])
    counts = np.concatenate([part.ref_counts for part in parts]).astype(np.int64)
    order, ordered, starts, ends = _shared_runs(keys)
    cumulative = np.concatenate(([0], np.cumsum(counts[order])))
    totals = cumulative[ends] - cumulative[starts]
    sums = zip(starts.tolist(), totals.tolist(), strict=True)
    return [int(ordered[s]) for s, total in sums if total > max_bucket_size]


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
