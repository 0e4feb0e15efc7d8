"""One connected component of paragraphs -> one Passage. Pure, no Beam.

Paragraphs of one document that sit next to each other in the same component are
one member whose span covers them all: that is how a split (or a merge elsewhere)
shows up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import xxhash

from transforms.match import similarity
from transforms.metadata import published_key
from transforms.model import Member, Paragraph, Passage
from transforms.provenance import choose_origin, star_edges
from transforms.sketch import shingle_hashes
from transforms.text import normalise, tokenize


def group_members(paragraphs: Sequence[Paragraph]) -> list[Member]:
    """paragraphs of one component -> members: runs of adjacent paragraphs of a
    document joined into one span. The span's text is read from the paragraphs."""
    ordered = sorted(paragraphs, key=lambda p: (p.doc_id, p.index))
    runs: list[list[Paragraph]] = []
    for p in ordered:
        last = runs[-1][-1] if runs else None
        if last is not None and last.doc_id == p.doc_id and last.index + 1 == p.index:
            runs[-1].append(p)
        else:
            runs.append([p])
    return [_member(run) for run in runs]


def _member(run: list[Paragraph]) -> Member:
    first, last = run[0], run[-1]
    # The paragraphs and the exact white space between them: doc_text[start:end] == text.
    text = "".join(p.text + p.gap_after for p in run[:-1]) + last.text
    return Member(
        doc_id=first.doc_id,
        outlet=first.outlet,
        published=first.published,
        start=first.start,
        end=last.end,
        paragraphs=tuple(p.index for p in run),
        text=text,
    )


def passage_id(members: Sequence[Member]) -> str:
    """members -> a stable id: xxh64 of their sorted (doc_id, start, end)."""
    keys = sorted(f"{m.doc_id}\x1f{m.start}\x1f{m.end}" for m in members)
    return "p" + xxhash.xxh64("\x1e".join(keys).encode("utf-8")).hexdigest()


def member_kind(member: Member, origin: Member, containment_in_origin: float) -> str:
    """How a copy differs from the origin: verbatim, merged, split, trimmed or edited."""
    if normalise(member.text) == normalise(origin.text):
        return "verbatim"
    if len(member.paragraphs) < len(origin.paragraphs):
        return "merged"
    if len(member.paragraphs) > len(origin.paragraphs):
        return "split"
    if containment_in_origin >= 0.9 and len(member.text) < len(origin.text):
        return "trimmed"
    return "edited"


def _member_sort_key(m: Member):
    return (published_key(m.published), m.doc_id, m.start)


def build_passage(paragraphs: Sequence[Paragraph], shingle_size: int, seed: int) -> Passage:
    """paragraphs of one connected component -> the Passage they form."""
    members = sorted(group_members(paragraphs), key=_member_sort_key)
    shingles = [shingle_hashes([t.norm for t in tokenize(m.text)], shingle_size, seed) for m in members]
    origin_index, origin = choose_origin(members, [len(s) for s in shingles])
    source, source_shingles = members[origin_index], set(shingles[origin_index])

    scored = []
    for i, (m, sh) in enumerate(zip(members, shingles, strict=True)):
        if i == origin_index:
            scored.append(m)
            continue
        jaccard, _ = similarity(sh, shingles[origin_index])
        inside = len(source_shingles.intersection(sh)) / len(sh) if sh else 0.0
        scored.append(replace(m, similarity=round(jaccard, 4), kind=member_kind(m, source, inside)))
    return Passage(
        passage_id=passage_id(scored),
        text=source.text,
        agency=None,
        origin=origin,
        members=tuple(scored),
        edges=star_edges(scored, origin_index),
    )
