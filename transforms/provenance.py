"""Who a passage came from: origin scoring and the provenance tree. Pure, no Beam.

The rule, in order: the earliest known publication; among equals (or when no date is
known), the most complete version, the one the others are contained in; then the
smallest doc_id, so that the choice is always stable.
"""

from __future__ import annotations

from collections.abc import Sequence

from transforms.metadata import published_key
from transforms.model import Edge, Member, Origin


def choose_origin(members: Sequence[Member], sizes: Sequence[int]) -> tuple[int, Origin]:
    """members, and the number of shingles of each -> (index of the origin, Origin)."""
    keys = [published_key(m.published) for m in members]
    dated = [k for k in keys if k[0] == 0]
    earliest = min(dated) if dated else None

    def rank(i: int):
        m = members[i]
        return (keys[i] != earliest if earliest else False, -sizes[i], m.doc_id, m.start)

    best = min(range(len(members)), key=rank)
    chosen = members[best]
    evidence = []
    confidence = 0.2
    if earliest and keys[best] == earliest and dated.count(earliest) < len(members):
        evidence.append("earliest_published")
        confidence += 0.4
    if sizes[best] == max(sizes) and sizes.count(max(sizes)) < len(sizes):
        evidence.append("most_complete")
        confidence += 0.2
    if not evidence:
        evidence.append("smallest_doc_id")
    return best, Origin(doc_id=chosen.doc_id, confidence=round(confidence, 4), evidence=tuple(evidence))


def star_edges(members: Sequence[Member], origin_index: int) -> tuple[Edge, ...]:
    """members -> one edge from the origin's document to every other document (its most similar member)."""
    source = members[origin_index].doc_id
    best: dict[str, float] = {}
    for m in members:
        if m.doc_id != source:
            best[m.doc_id] = max(best.get(m.doc_id, 0.0), m.similarity)
    return tuple(Edge(source=source, target=doc, similarity=s) for doc, s in sorted(best.items()))
