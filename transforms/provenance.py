"""Who a passage came from: its agency, its origin with evidence, and the provenance tree.
Pure, no Beam.

The rule, in order:
1. A member published by the agency itself (its outlet is the agency: its own wire)
   is the origin (`agency_wire:AGENCY`).
2. When members credit an agency (datelines, bylines, closing credits) and none is the
   agency's own wire, the passage's agency is the one most members credit
   (`credits:AGENCY`). The source is the unseen wire: the origin is the earliest member
   that credits it, then the most complete. The credit is the evidence that says why an
   origin may be published after a member that does not credit the agency.
3. Otherwise the earliest known publication (`earliest_published`); among equals, or
   when no date is known, the most complete version (`most_complete`), the one the
   others are contained in; then the smallest doc_id, so the choice is always stable.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from transforms.metadata import published_key
from transforms.model import Edge, Member, Origin


def passage_agency(members: Sequence[Member]) -> str | None:
    """members -> the agency most of their articles credit (ties: by name), None if none does."""
    counts = Counter(agency for m in members for agency in set(m.credits))
    return min(counts, key=lambda a: (-counts[a], a)) if counts else None


def choose_origin(
    members: Sequence[Member],
    sizes: Sequence[int],
    agency: str | None = None,
    wire_of: Callable[[str | None], str | None] = lambda outlet: None,
) -> tuple[int, Origin]:
    """members, the number of words of each, the passage's agency, and a function naming
    the agency an outlet is (if any) -> (index of the origin, Origin with its evidence)."""
    keys = [published_key(m.published) for m in members]
    dated = [k for k in keys if k[0] == 0]
    earliest = min(dated) if dated else None
    clear_earliest = earliest is not None and dated.count(earliest) < len(members)
    biggest = max(sizes)
    clear_biggest = sizes.count(biggest) < len(sizes)

    def by_time(i: int):
        return (keys[i], -sizes[i], members[i].doc_id, members[i].start)

    everyone = range(len(members))
    own = [i for i in everyone if agency and wire_of(members[i].outlet) == agency]
    crediting = [i for i in everyone if agency and agency in members[i].credits]
    evidence: list[str] = []
    if own:
        best = min(own, key=by_time)
        evidence.append(f"agency_wire:{agency}")
        confidence = 0.9
    elif crediting:
        best = min(crediting, key=by_time)
        evidence.append(f"credits:{agency}")
        confidence = min(0.9, 0.5 + 0.1 * len({members[i].doc_id for i in crediting}))
    else:
        best = min(everyone, key=by_time)
        confidence = 0.2
        if clear_earliest and keys[best] == earliest:
            evidence.append("earliest_published")
            confidence += 0.4
    if clear_biggest and sizes[best] == biggest:
        evidence.append("most_complete")
        confidence += 0.1 if own or crediting else 0.2
    if not evidence:
        evidence.append("smallest_doc_id")
    chosen = members[best]
    return best, Origin(doc_id=chosen.doc_id, confidence=round(min(confidence, 1.0), 4), evidence=tuple(evidence))


def _most_similar(candidates: Iterable[int], score: Callable[[int], float], default: int) -> int:
    """-> the first candidate with the highest score (what `max` returns), or `default`
    if there is none; it stops at the first perfect score (1.0), which none can beat, so
    a member with an identical earlier copy (a template in thousands of articles) costs
    one comparison, not one per earlier member."""
    found, top = default, None
    for j in candidates:
        value = score(j)
        if top is None or value > top:
            found, top = j, value
            if value >= 1.0:
                break
    return found


def provenance_edges(
    members: Sequence[Member],
    origin_index: int,
    similarity: Callable[[int, int], float],
    agency: str | None = None,
) -> tuple[Edge, ...]:
    """members -> one edge per other document: from the member it most likely came from.

    A copy that credits the passage's agency came from the wire, which the origin stands
    for. Any other copy came from the most similar member published before it (ties:
    the earlier); with no earlier member known, from the origin. `similarity(i, j)` is
    the similarity of members i and j, 0..1. Edges sorted by target.
    """
    keys = [published_key(m.published) for m in members]
    origin = members[origin_index]
    # Members by publication: those published before member i are a prefix of `order`.
    order = sorted(range(len(members)), key=lambda j: (keys[j], members[j].doc_id, members[j].start))
    ordered_keys = [keys[j] for j in order]
    best: dict[str, tuple[float, str]] = {}
    for i, m in enumerate(members):
        if m.doc_id == origin.doc_id:
            continue
        parent = origin_index
        if not (agency and agency in m.credits) and keys[i][0] == 0:
            before = islice(order, bisect_left(ordered_keys, keys[i]))  # not a copy of the prefix per member
            earlier = (j for j in before if members[j].doc_id != m.doc_id)
            parent = _most_similar(earlier, lambda j, i=i: similarity(i, j), parent)
        score = round(similarity(i, parent), 4)
        source = members[parent].doc_id
        if m.doc_id not in best or score > best[m.doc_id][0]:
            best[m.doc_id] = (score, source)
    return tuple(Edge(source=s, target=t, similarity=score) for t, (score, s) in sorted(best.items()))
