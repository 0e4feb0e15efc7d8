"""Quoted speech: how much of a stretch of text lies inside quotation marks. Pure, no Beam.

A passage that is mostly quoted speech (a statement, a press-conference line, a post)
is text several stories may carry because the speaker said it, not because one outlet
took it from another's copy: it is shared, but it links no stories (transforms.stories).

In: a paragraph's text and a stretch of it. Out: the share of the stretch's letters and
digits inside quotation marks, read from the paragraph's start: a straight double quote
opens or closes; « “ „ open; » ” close.
"""

from __future__ import annotations

_TOGGLE = '"'
_OPEN = "\u201c\u201e\u00ab"
_CLOSE = "\u201d\u00bb"
QUOTE_SHARE = 0.5  # a passage whose members are this much quoted speech, or more, is a quote


def quote_marks(paragraph: str) -> list[bool]:
    """a paragraph -> for each of its characters, whether it lies inside quotation marks."""
    inside, out = False, []
    for ch in paragraph:
        if ch == _TOGGLE:
            inside = not inside
        elif ch in _OPEN:
            inside = True
        elif ch in _CLOSE:
            inside = False
        out.append(inside)
    return out


def has_quotes(paragraph: str) -> bool:
    return any(mark in paragraph for mark in _TOGGLE + _OPEN)


def quoted_share(paragraph: str, start: int, end: int, marks: list[bool] | None = None) -> float:
    """a paragraph's text, a stretch [start, end) of it -> the share of the stretch's
    letters and digits that lie inside quotation marks (0.0 for a stretch without any).
    `marks`: quote_marks(paragraph), when worked out already."""
    if marks is None:
        marks = quote_marks(paragraph[:end])
    letters = [marks[i] for i in range(start, end) if paragraph[i].isalnum()]
    return sum(letters) / len(letters) if letters else 0.0
