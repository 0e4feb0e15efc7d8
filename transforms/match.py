"""Candidate pairs from LSH buckets, and their verification on exact shingle sets.

Pure functions, no Beam.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

Ref = TypeVar("Ref", bound=tuple)


def bucket_pairs(refs: Sequence[Ref], max_bucket_size: int) -> list[tuple[Ref, Ref]]:
    """refs that share one LSH band -> candidate pairs (a, b), a < b, across documents.

    `refs` are (doc_id, paragraph_index) tuples. A bucket larger than
    `max_bucket_size` (a "hot" bucket: boilerplate, or one paragraph carried by
    thousands of articles) pairs every member only with its first
    `max_bucket_size` members in sorted order, so the work stays linear in the
    bucket's size instead of quadratic; the pairs still connect the whole bucket.
    """
    members = sorted(set(refs))
    pairs = []
    for j, b in enumerate(members):
        for a in members[: min(j, max_bucket_size)]:
            if a[0] != b[0]:
                pairs.append((a, b))
    return pairs


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
