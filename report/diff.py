"""Word-level differences of a copy against its origin, for the report. Pure, no Beam.

A diff is a compact list the page walks along the copy's text:
  n > 0   the next n characters of the copy are the origin's words, unchanged;
  n < 0   the next -n characters of the copy are words the origin does not have;
  "text"  words of the origin the copy leaves out here.
Lengths count characters (code points), as the offsets of the provenance map do.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Indel

_WORD = re.compile(r"\S+\s*")
# Typographic variants that are not edits: curly quotes and apostrophes, dashes.
_SAME = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def _words(text: str) -> tuple[int, list[tuple[int, int]], list[str]]:
    """text -> (length of its leading space, [(start, end)] of each word with its trailing space, [word])."""
    spans = [m.span() for m in _WORD.finditer(text)]
    lead = spans[0][0] if spans else len(text)
    return lead, spans, [text[s:e].rstrip() for s, e in spans]


def _keys(words: list[str]) -> list[str]:
    return [w.translate(_SAME) for w in words]


def word_diff(origin: str, copy: str) -> list:
    """origin text, copy text -> the copy's diff against the origin (see the module doc).
    Worked out once per pair of texts: a passage's verbatim copies all have one diff.
    """
    return list(_word_diff(origin, copy))


def word_diffs(pairs: list[tuple[str, str]]) -> list[list]:
    """(origin text, copy text) pairs -> the word_diff of each: a share of a report's
    diffs, worked in another process."""
    return [word_diff(origin, copy) for origin, copy in pairs]


@lru_cache(maxsize=1 << 14)
def _word_diff(origin: str, copy: str) -> tuple:
    """origin text, copy text -> the copy's diff against the origin, as a tuple.

    Words are compared exactly (case and punctuation count; curly and straight quotes,
    and dashes, are the same); the alignment is rapidfuzz's Indel (longest common
    subsequence) over the two word lists. Within one change, the origin's left-out words
    come before the copy's new ones.
    """
    _, _, o_words = _words(origin)
    lead, c_spans, c_words = _words(copy)
    diff: list = [lead] if lead else []
    left_out: list[str] = []
    added = 0

    def close_change() -> None:
        nonlocal added
        if left_out:
            diff.append(" ".join(left_out))
            left_out.clear()
        if added:
            diff.append(-added)
            added = 0

    for op in Indel.opcodes(_keys(o_words), _keys(c_words)):
        chars = c_spans[op.dest_end - 1][1] - c_spans[op.dest_start][0] if op.dest_end > op.dest_start else 0
        if op.tag == "equal":
            close_change()
            diff.append(chars)
        else:
            left_out.extend(o_words[op.src_start : op.src_end])
            added += chars
    close_change()
    return tuple(diff)
