"""Candidate pairs from LSH buckets, and their verification on exact shingle sets.

Pure functions, no Beam.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

Ref = TypeVar("Ref", bound=tuple)


def bucket_pairs(refs: Sequence[Ref], max_bucket_size: int) -> list[tuple[Ref, Ref]]:
    """refs that share one LSH band -> candidate pairs (a, b), a < b, across documents.

    `refs` are (doc_id, paragraph_index) tuples. A bucket of at most
    `max_bucket_size` members gives all its cross-document pairs. A larger ("hot")
    bucket, boilerplate or one paragraph carried by thousands of articles, pairs every
    member only with a few anchors: its first `max_bucket_size` members in sorted
    order, plus the first member of another document if those all share one. The work
    is linear in the bucket's size, and the pairs still connect the whole bucket.
    """
    members = sorted(set(refs))
    if len(members) <= max_bucket_size:
        anchors = members
    else:
        anchors = members[:max_bucket_size]
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


def similarity(a: Sequence[int], b: Sequence[int]) -> tuple[float, float]:
    """two sorted shingle-hash sets -> (Jaccard, containment of the smaller in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    common = len(set(a).intersection(b))
    union = len(a) + len(b) - common
    return common / union, common / min(len(a), len(b))


def is_match(jaccard: float, containment: float, min_jaccard: float, min_containment: float) -> bool:
    """A pair is verified when either measure reaches its threshold."""
    return jaccard >= min_jaccard or containment >= min_containment
