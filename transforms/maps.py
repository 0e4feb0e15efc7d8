"""Passages -> per-document spans and rows, and outlet-pair figures. Pure, no Beam."""

from __future__ import annotations

from collections.abc import Iterable

from transforms.model import Document, Member, Passage, Span


def is_same_outlet(passage: Passage) -> bool:
    """passage -> True when every member comes from one known outlet: that outlet's own
    template, reported apart from cross-outlet reuse. A member of unknown outlet counts
    as an outlet of its own."""
    outlets = {m.outlet for m in passage.members}
    return len(outlets) == 1 and None not in outlets


def passage_spans(passage: Passage) -> list[Span]:
    """passage -> one Span per member of this run, for the member's document (members
    from an earlier run's index, --history, are in no document of this run)."""
    shared_with = _SharedWith(passage.members)
    return [
        Span(
            doc_id=m.doc_id,
            start=m.start,
            end=m.end,
            passage_id=passage.passage_id,
            role=_role(passage, m),
            shared_with=shared_with(m),
        )
        for m in passage.members
        if not m.history
    ]


def _role(passage: Passage, m: Member) -> str:
    if m.kind == "rewritten":
        return "rewritten"
    return "origin" if m.doc_id == passage.origin.doc_id and m.kind == "origin" else "copy"


class _SharedWith:
    """members of one passage -> for a member, the other outlets carrying the passage,
    sorted: the known outlets, not its own, of members of other documents.

    Worked out once per passage, not by scanning every member for every member (a
    passage 20,000 articles carry): an outlet is left out for a member only if it is
    the member's own or no document but the member's carries it, so members alike in
    those two share one answer."""

    def __init__(self, members: Iterable[Member]):
        docs_of: dict[str, set[str]] = {}  # outlet -> the documents of its members
        for m in members:
            if m.outlet:
                docs_of.setdefault(m.outlet, set()).add(m.doc_id)
        self.outlets = sorted(docs_of)
        self.only_in: dict[str, frozenset[str]] = {}  # doc_id -> outlets no other document carries
        for outlet, docs in docs_of.items():
            if len(docs) == 1:
                (doc_id,) = docs
                self.only_in[doc_id] = self.only_in.get(doc_id, frozenset()) | {outlet}
        self.memo: dict[tuple[str | None, frozenset[str]], tuple[str, ...]] = {}

    def __call__(self, m: Member) -> tuple[str, ...]:
        key = (m.outlet, self.only_in.get(m.doc_id, frozenset()))
        if key not in self.memo:
            self.memo[key] = tuple(o for o in self.outlets if o != key[0] and o not in key[1])
        return self.memo[key]


def covered_chars(spans: Iterable[Span]) -> int:
    """spans of one document -> number of characters inside at least one of them."""
    return covered_length((s.start, s.end) for s in spans)


def covered_length(ranges: Iterable[tuple[int, int]]) -> int:
    """(start, end) ranges -> number of positions inside at least one of them."""
    total, reach = 0, 0
    for start, end in sorted(ranges):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def document_row(doc: Document, spans: Iterable[Span], with_text: bool = False, stories: Iterable[dict] = ()) -> dict:
    """document, its spans and the stories it carries ({story_id, agency, coverage,
    shared_chars}) -> the documents.jsonl row, its stories the most carried first; with
    its `text` if `with_text`."""
    spans = sorted(spans, key=lambda s: (s.start, s.end, s.passage_id))
    chars = len(doc.text)
    shared = covered_chars(spans)
    copied = covered_chars(s for s in spans if s.role != "rewritten")
    return {
        "doc_id": doc.doc_id,
        "outlet": doc.outlet,
        "published": doc.published,
        "title": doc.title,
        "url": doc.url,
        "credits": list(doc.credits),
        "chars": chars,
        "shared_chars": shared,
        "shared_ratio": round(shared / chars, 4) if chars else 0.0,
        "copied_chars": copied,
        "rewritten_chars": shared - copied,
        "spans": [s.to_row() for s in spans],
        "stories": sorted(stories, key=lambda s: (-s["shared_chars"], s["story_id"])),
    } | ({"text": doc.text} if with_text else {})


def outlet_pairs(passage: Passage) -> list[tuple[tuple[str, str], tuple[int, int]]]:
    """passage -> ((source_outlet, target_outlet), (1, shared_chars)) per outlet pair.

    The source is the origin member's outlet, each target another outlet carrying
    the passage in this run. Members of unknown outlet, an outlet's copies of its own
    text, and members of earlier runs (counted on their own day) are left out.
    """
    origin = next(m for m in passage.members if m.kind == "origin")
    if not origin.outlet:
        return []
    chars: dict[str, int] = {}
    for m in passage.members:
        if m is origin or m.history or not m.outlet or m.outlet == origin.outlet:
            continue
        chars[m.outlet] = chars.get(m.outlet, 0) + (m.end - m.start)
    return [((origin.outlet, target), (1, n)) for target, n in sorted(chars.items())]
