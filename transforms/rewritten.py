"""Reworded sentences into the provenance map, as members of kind `rewritten`. Pure, no Beam.

    rewritten_members(source, later, rewordings) -> [Rewritten]     (transforms.reword's matches, as members)
    attach(passage, members) -> Passage                           a passage with the rewrites of its text
    reworded_passage(rewritten) -> Passage                        a source sentence nobody copied, and its rewrites

A rewrite of a sentence that is copy in a passage (the wire's, carried by others) is a
member of that passage; a rewrite of a sentence no one copied makes a passage of its
own: the source sentence (its origin) and each rewrite. A later sentence is a member
once, of its most alike source; its coverage is the share of the passage's words its
source sentence stands for. The passage keeps its id: it is named by its copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from transforms.metadata import published_key
from transforms.model import Edge, Member, Origin, Passage
from transforms.passages import passage_id
from transforms.provenance import passage_agency
from transforms.reword import Rewording, SentenceSet
from transforms.text import words
from transforms.wording import same_sentence

KIND = "rewritten"
COPIED = "edited"  # the kind of a match that turns out to be copy (transforms.wording)


@dataclass(frozen=True)
class Rewritten:
    """A later sentence that rewords a source sentence: the source as a member (of the
    passage `passage` when it is copy there, else the origin of a passage of its own),
    and the rewrite as a member of kind rewritten."""

    passage: str | None
    source: Member
    copy: Member


def _member(doc: SentenceSet, start: int, end: int, text: str, paragraphs, similarity: float, kind: str) -> Member:
    return Member(
        doc_id=doc.doc_id,
        outlet=doc.outlet,
        published=doc.published,
        start=start,
        end=end,
        paragraphs=tuple(paragraphs),
        text=text,
        similarity=similarity,
        kind=kind,
        credits=doc.credits,
    )


def rewritten_members(later: SentenceSet, found: Iterable[tuple[SentenceSet, Rewording]]) -> list[Rewritten]:
    """a later article, and each (source article, rewording) found for it -> its
    rewritten sentences as members, each sentence once: with its most alike source
    (ties: the source's id, then place)."""
    best: dict[int, tuple[SentenceSet, Rewording]] = {}
    for source, r in found:
        kept = best.get(r.b_start)
        if kept is None or (-r.similarity, r.a, r.a_start) < (-kept[1].similarity, kept[1].a, kept[1].a_start):
            best[r.b_start] = (source, r)
    out = []
    for b_start in sorted(best):
        source, r = best[b_start]
        source_member = _member(source, r.a_start, r.a_end, r.a_text, r.a_paragraphs, 1.0, "origin")
        if same_sentence(words(r.b_text).norms, words(r.a_text).norms):  # copy the copy step left out
            copy = _member(later, r.b_start, r.b_end, r.b_text, r.b_paragraphs, r.similarity, COPIED)
        else:
            copy = _member(later, r.b_start, r.b_end, r.b_text, r.b_paragraphs, r.similarity, KIND)
            copy = copy.but(rewrites=(r.a, r.a_start, r.a_end, r.a_text))
        out.append(Rewritten(r.a_passage, source_member, copy))
    return out


def _words(text: str) -> int:
    return max(1, len(text.split()))


def _sort_key(m: Member):
    return (published_key(m.published), m.doc_id, m.start)


def attach(passage: Passage, rewritten: Sequence[Rewritten]) -> Passage:
    """a passage, and the rewrites of sentences of it -> the passage with them as members
    (coverage: the share of the passage's words the source sentence stands for), each
    with an edge from the article it rewords. Its id and origin stay."""
    total = _words(passage.text)
    added = [r.copy.but(coverage=round(min(1.0, _words(r.source.text) / total), 4)) for r in rewritten]
    edges = [Edge(source=r.source.doc_id, target=r.copy.doc_id, similarity=r.copy.similarity) for r in rewritten]
    members = sorted([*passage.members, *added], key=_sort_key)
    all_edges = sorted([*passage.edges, *edges], key=lambda e: (e.target, e.source))
    return Passage(
        passage.passage_id,
        passage.text,
        passage.agency,
        passage.origin,
        tuple(members),
        tuple(all_edges),
        passage.quote,
    )


def reworded_passage(rewritten: Sequence[Rewritten]) -> Passage:
    """the rewrites of one source sentence no one copied -> their passage: the source
    sentence as its origin (evidence `reworded_source`, after `credits:AGENCY` when it
    credits the passage's agency), each rewrite a member."""
    source = rewritten[0].source
    members = sorted([source, *(r.copy for r in rewritten)], key=_sort_key)
    agency = passage_agency(members)
    credited = (f"credits:{agency}",) if agency and agency in source.credits else ()
    evidence = (*credited, "reworded_source")
    edges = tuple(
        sorted((Edge(source.doc_id, r.copy.doc_id, r.copy.similarity) for r in rewritten), key=lambda e: e.target)
    )
    return Passage(
        passage_id=passage_id(members),
        text=source.text,
        agency=agency,
        origin=Origin(doc_id=source.doc_id, confidence=0.6, evidence=evidence),
        members=tuple(members),
        edges=edges,
    )
