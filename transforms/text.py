"""Paragraph splitting, normalisation and tokenisation. Pure functions, no Beam.

Offsets always refer to the text exactly as read: nothing is stripped or normalised
before an offset is taken. Normalisation happens only to the token strings that are
compared.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from transforms.model import Paragraph

# A paragraph is one non-blank line; any common line break ends it.
_LINE = re.compile(r"[^\r\n\u2028\u2029\x85]+")

# Scripts written without spaces: each character is a token of its own.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# Zero-width characters do not break a word.
_ZERO_WIDTH = "\u00ad\u200b-\u200d\u2060\ufeff"


def _mark_ranges() -> str:
    """A regex class body of the combining marks (Mn, Mc, Me) of the Basic Multilingual
    Plane: `re`'s \\w leaves them out, which would cut "café" (decomposed) or Hindi words."""
    ranges, start, prev = [], None, None
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp)).startswith("M"):
            if start is None:
                start = cp
            elif cp != prev + 1:
                ranges.append((start, prev))
                start = cp
            prev = cp
    ranges.append((start, prev))
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)


_MARKS = _mark_ranges()
_TOKEN = re.compile(rf"[{_CJK}]|(?:[^\W{_CJK}]|[{_ZERO_WIDTH}{_MARKS}])+")
_ZERO_WIDTH_RE = re.compile(rf"[{_ZERO_WIDTH}]")

_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_SPACES = re.compile(r"\s+")


class Token(NamedTuple):
    """A word (or a CJK character) at text[start:end], and its normalised form."""

    start: int
    end: int
    norm: str


# A longer line is not one paragraph but text without line breaks (a scraped article on
# one line, a dump): it is cut into paragraphs of at most this many characters.
MAX_PARAGRAPH_CHARS = 20_000
_SPACE = re.compile(r"\s")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """text -> [(start, end)] of its paragraphs: non-blank lines, outer blanks trimmed;
    a line longer than MAX_PARAGRAPH_CHARS is cut (`_cut_line`)."""
    spans = []
    for line in _LINE.finditer(text):
        start, end = line.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start > MAX_PARAGRAPH_CHARS:
            spans.extend(_cut_line(text, start, end))
        elif start < end:
            spans.append((start, end))
    return spans


def _cut_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """a long line text[start:end] -> pieces of at most MAX_PARAGRAPH_CHARS characters,
    each cut after the last sentence end in its second half, else at the last white
    space, else (one enormous "word") at the limit. Alignment and segmentation then
    never meet a paragraph of more than a few thousand words."""
    pieces = []
    while end - start > MAX_PARAGRAPH_CHARS:
        limit = start + MAX_PARAGRAPH_CHARS
        ends = [m.end() for m in _SENTENCE_END.finditer(text, start + MAX_PARAGRAPH_CHARS // 2, limit)]
        spaces = [m.start() for m in _SPACE.finditer(text, max(start + 1, limit - 1000), limit)]
        cut = ends[-1] if ends else spaces[-1] if spaces else limit
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    pieces.append((start, end))
    return pieces


def normalise(text: str) -> str:
    """text -> its comparison form: NFKC, case-folded, quotes and dashes unified,
    zero-width characters removed, runs of white space folded to one space."""
    folded = unicodedata.normalize("NFKC", text).translate(_EQUIVALENTS).casefold()
    return _SPACES.sub(" ", _ZERO_WIDTH_RE.sub("", folded)).strip()


@lru_cache(maxsize=1 << 17)
def _word_norm(word: str) -> str:
    """one word -> normalise(word); most words repeat, so the result is cached."""
    return word.lower() if word.isascii() else normalise(word)


# Punctuation and spaces outside ASCII that news text is full of (curly quotes, dashes,
# the ellipsis, the no-break space). None is part of a word, so a text whose other
# characters are all ASCII has exactly the words of the ASCII regex once each of them is
# a space, and a word's norm is its lower case (_ascii_form).
_PUNCTUATION = "\u00a0\u00ab\u00bb\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u2032\u2033"
# One regex substitution, not str.translate: translating text outside ASCII looks every
# character up in the table, several times slower than a search for these few.
_TO_SPACE = re.compile(f"[{_PUNCTUATION}]")
_ASCII_WORD = re.compile(r"\w+", re.ASCII)


def _ascii_form(text: str) -> str | None:
    """text -> itself with _PUNCTUATION turned into spaces (same length, same offsets) if
    what is left is all ASCII, else None. _ASCII_WORD finds in it exactly the tokens
    _TOKEN finds in `text`, twice as fast."""
    if text.isascii():
        return text
    plain = _TO_SPACE.sub(" ", text)
    return plain if plain.isascii() else None


_new_tuple = tuple.__new__  # builds a Token without the Python-level NamedTuple.__new__

# An HTML character reference, as scraped text keeps them: "&amp;", "&#8217;", "&#x2019;".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


class Words(NamedTuple):
    """A text's word tokens as parallel tuples: where each starts and ends in the text,
    and its normalised form. The same tokens as tokenize(), without a Token per word."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    norms: tuple[str, ...]


# An ASCII word and the text around it: re.split with it alternates gaps and words.
_ASCII_SPLIT = re.compile(r"(\w+)", re.ASCII)


@lru_cache(maxsize=1 << 14)
def words(text: str) -> Words:
    """text -> its word tokens (see tokenize) as parallel tuples. Cached: one paragraph
    is read by the alignment, the segmentation and the member kinds. On ASCII text
    (after _ascii_form) the offsets come from the lengths of re.split's pieces, with no
    Python work per word."""
    if "&" in text and _ENTITY.search(text):
        return _as_words(_tokenize_unescaped(text))
    plain = _ascii_form(text)
    if plain is None:
        return _as_words(_tokenize_any(text))
    # Lower case keeps ASCII text's length: the pieces' offsets hold, and the words are the norms.
    pieces = _ASCII_SPLIT.split(plain.lower())
    offsets = list(accumulate(map(len, pieces), initial=0))
    return Words(tuple(offsets[1:-1:2]), tuple(offsets[2::2]), tuple(pieces[1::2]))


def _as_words(tokens: Sequence[Token]) -> Words:
    """Tokens -> the same as Words (parallel tuples)."""
    if not tokens:
        return Words((), (), ())
    starts, ends, norms = zip(*tokens, strict=True)
    return Words(starts, ends, norms)


def tokenize(text: str) -> tuple[Token, ...]:
    """text -> its word tokens with offsets into `text` and normalised forms (words(),
    one Token per word; the job's own steps read words() instead).
    HTML character references are read as the characters they stand for ("don&#8217;t"
    is "don't", "caf&eacute;" one word "café"), with offsets still into `text`."""
    return tuple(map(Token._make, zip(*words(text), strict=True)))


def _tokenize_any(text: str) -> tuple[Token, ...]:
    """tokenize() of text without character references, in any script."""
    tokens = []
    for m in _TOKEN.finditer(text):
        norm = _word_norm(m.group())
        if norm:
            tokens.append(_new_tuple(Token, (m.start(), m.end(), norm)))
    return tuple(tokens)


def _tokenize_unescaped(text: str) -> tuple[Token, ...]:
    """tokenize() of text holding character references: the tokens of the unescaped text,
    each offset mapped back to `text` (a reference maps to its whole span)."""
    pieces: list[str] = []
    plain: list[tuple[int, int, int]] = []  # (at in unescaped, at in text, length) of verbatim pieces
    refs: list[tuple[int, int, int]] = []  # (at in unescaped, start, end in text) of references
    at = done = 0
    for m in _ENTITY.finditer(text):
        char = html.unescape(m.group())
        if char == m.group():
            continue  # not a reference HTML knows: plain text
        pieces.append(text[done : m.start()])
        plain.append((at, done, m.start() - done))
        at += m.start() - done
        pieces.append(char)
        refs.extend((at + k, m.start(), m.end()) for k in range(len(char)))
        at += len(char)
        done = m.end()
    pieces.append(text[done:])
    plain.append((at, done, len(text) - done))
    unescaped = "".join(pieces)
    by_ref = {u: (start, end) for u, start, end in refs}
    starts = [p[0] for p in plain]

    def origin(u: int) -> tuple[int, int]:
        """a character of the unescaped text -> its span in `text`."""
        if u in by_ref:
            return by_ref[u]
        p_at, t_at, _ = plain[bisect_right(starts, u) - 1]
        return t_at + u - p_at, t_at + u - p_at + 1

    tokens = []
    for m in _TOKEN.finditer(unescaped):
        norm = _word_norm(m.group())
        if norm:
            tokens.append(_new_tuple(Token, (origin(m.start())[0], origin(m.end() - 1)[1], norm)))
    return tuple(tokens)


def placed_words(text: str, start: int, lo: int, hi: int) -> Words:
    """a paragraph's text, where it starts in its document, and a stretch [lo, hi) of the
    document -> the paragraph's words lying wholly inside the stretch (offsets still into
    `text`). Words are in order and never overlap, so both bounds are found by bisection."""
    found = words(text)
    first = bisect_left(found.starts, lo - start)
    last = bisect_right(found.ends, hi - start)
    return Words(found.starts[first:last], found.ends[first:last], found.norms[first:last])


# A sentence ends at . ! ? or their CJK forms (and any closing quotes or brackets),
# before white space or the end of the text.
# Arabic and Urdu end sentences with \u061f and \u06d4, Devanagari with \u0964 and \u0965.
_SENTENCE_END = re.compile(
    r"[.!?\u3002\uff01\uff1f\u2026\u061f\u06d4\u0964\u0965]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)|[\u3002\uff01\uff1f]"
)
# The same on ASCII text, where only its ASCII characters can match: half again as fast.
_ASCII_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")


def sentence_windows(tokens: Sequence[Token], text: str, min_words: int) -> list[list[Token]]:
    """a paragraph's tokens -> its sentences as token lists, a sentence of fewer than
    `min_words` words joined to the next (the last to the one before), so that a
    paragraph another outlet split or merged still shares whole windows with it."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    windows: list[list[Token]] = [[]]
    e = 0
    for t in tokens:
        while e < len(ends) and ends[e] <= t.start:
            e += 1
            if len(windows[-1]) >= min_words:
                windows.append([])
        windows[-1].append(t)
    if len(windows) > 1 and len(windows[-1]) < min_words:
        windows[-2].extend(windows.pop())
    return [w for w in windows if w]


def window_norms(text: str, min_words: int) -> list[list[str]]:
    """text -> the normalised words of each of its sentence windows: exactly
    `[[t.norm for t in w] for w in sentence_windows(tokenize(text), text, min_words)]`,
    without building a Token per word (the signing stage needs the words only). A
    sentence end is never inside a word, so each sentence's words are found apart."""
    if "&" in text and _ENTITY.search(text):
        return [[t.norm for t in w] for w in sentence_windows(tokenize(text), text, min_words)]
    windows: list[list[str]] = [[]]
    at = 0
    plain = _ascii_form(text)
    lower = plain.lower() if plain is not None else None  # ASCII: same length, same words
    sentence_end = _ASCII_SENTENCE_END if text.isascii() else _SENTENCE_END
    for end in [m.end() for m in sentence_end.finditer(text)] + [len(text)]:
        if lower is not None:
            sentence = _ASCII_WORD.findall(lower, at, end)
        else:
            sentence = [n for n in map(_word_norm, _TOKEN.findall(text, at, end)) if n]
        if sentence and len(windows[-1]) >= min_words:
            windows.append(sentence)
        else:
            windows[-1].extend(sentence)
        at = end
    if len(windows) > 1 and len(windows[-1]) < min_words:
        windows[-2].extend(windows.pop())
    return [w for w in windows if w]


# A dateline opening a paragraph: "BAGHDAD (AFP) -", "Gaza City, Nov 5 (Reuters) —".
_DATELINE = re.compile(r"^[\s\u2013\u2014-]*[A-Z][\w.,'\u2019 -]{0,40}\(\s*[^()\n]{1,40}\)\s*[-\u2013\u2014:]+\s*")


def dateline_end(text: str) -> int:
    """a paragraph -> where the dateline opening it ends (0 if there is none): a dateline
    credits the copy, it is not part of it."""
    m = _DATELINE.match(text)
    return m.end() if m else 0


def document_paragraphs(doc_id: str, text: str, outlet: str | None, published: str | None) -> list[Paragraph]:
    """a document's text -> its Paragraphs, with exact offsets and the gap after each."""
    spans = split_paragraphs(text)
    return [paragraph_at(doc_id, text, spans, i, outlet, published) for i in range(len(spans))]


def paragraph_at(
    doc_id: str, text: str, spans: list[tuple[int, int]], i: int, outlet: str | None, published: str | None
) -> Paragraph:
    """a document's text and its paragraphs' spans (split_paragraphs) -> its paragraph i
    as document_paragraphs gives it, for a step that needs a few paragraphs, not all."""
    start, end = spans[i]
    gap_end = spans[i + 1][0] if i + 1 < len(spans) else end
    return Paragraph(doc_id, i, start, end, text[start:end], outlet, published, text[end:gap_end])
