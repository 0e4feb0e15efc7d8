"""Passages -> per-document spans and rows, and outlet-pair figures. Pure, no Beam."""

from __future__ import annotations

from collections.abc import Iterable

from transforms.model import Document, Passage, Span


def is_same_outlet(passage: Passage) -> bool:
    """passage -> True when every member comes from one known outlet: that outlet's own
    template, reported apart from cross-outlet reuse. A member of unknown outlet counts
    as an outlet of its own."""
    outlets = {m.outlet for m in passage.members}
    return len(outlets) == 1 and None not in outlets


def passage_spans(passage: Passage) -> list[Span]:
    """passage -> one Span per member, for the member's document."""
    spans = []
    for m in passage.members:
        others = {o.outlet for o in passage.members if o.doc_id != m.doc_id and o.outlet and o.outlet != m.outlet}
        spans.append(
            Span(
                doc_id=m.doc_id,
                start=m.start,
                end=m.end,
                passage_id=passage.passage_id,
                role="origin" if m.doc_id == passage.origin.doc_id and m.kind == "origin" else "copy",
                shared_with=tuple(sorted(others)),
            )
        )
    return spans


def covered_chars(spans: Iterable[Span]) -> int:
    """spans of one document -> number of characters inside at least one of them."""
    total, reach = 0, 0
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if s.end > reach:
            total += s.end - max(s.start, reach)
            reach = s.end
    return total


def document_row(doc: Document, spans: Iterable[Span], with_text: bool = False) -> dict:
    """document and its spans -> the documents.jsonl row; with its `text` if `with_text`."""
    spans = sorted(spans, key=lambda s: (s.start, s.end, s.passage_id))
    chars = len(doc.text)
    shared = covered_chars(spans)
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
        "spans": [s.to_row() for s in spans],
    } | ({"text": doc.text} if with_text else {})


def outlet_pairs(passage: Passage) -> list[tuple[tuple[str, str], tuple[int, int]]]:
    """passage -> ((source_outlet, target_outlet), (1, shared_chars)) per outlet pair.

    The source is the origin member's outlet, each target another outlet carrying
    the passage. Members of unknown outlet, and an outlet's copies of its own text,
    are left out of the matrix.
    """
    origin = next(m for m in passage.members if m.kind == "origin")
    if not origin.outlet:
        return []
    chars: dict[str, int] = {}
    for m in passage.members:
        if m is origin or not m.outlet or m.outlet == origin.outlet:
            continue
        chars[m.outlet] = chars.get(m.outlet, 0) + (m.end - m.start)
    return [((origin.outlet, target), (1, n)) for target, n in sorted(chars.items())]
