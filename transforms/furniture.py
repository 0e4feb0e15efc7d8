"""Page furniture recognised from the corpus itself: lines that recur across many
documents with small variations (menus naming the outlet, numbered edition lines,
bylines with times, "Updated at" stamps, share and comment bars, "Read more" and
"Most read" lists). Pure, no Beam.

    line_keys(text, outlet) -> [(key, named)]     what a paragraph is tallied under
    document_shapes(docs) -> ShapeCounts           a batch's tallies
    merge_counts(parts) -> ShapeCounts             the corpus's tallies
    furniture_keys(counts) -> [key]                the keys that are furniture

A paragraph's shape is its text lowercased, white space collapsed, every run of digits
as one "0" and the outlet's own name as "@": an outlet's menu in each of its articles,
and every outlet's menu, give one shape whatever the number or the name. A line that
ends no sentence and is a list, opens with a label ("Read more:") or gives a time of
day also has a frame: its first FRAME_WORDS words, so masked, and how many separators
it has ("Read more: <a headline>", "More from <outlet> | <headlines>" are frames an
outlet fills in differently in each article).

A shape or a frame is furniture when at least MIN_DOCUMENTS documents carry it and
either it names the outlet that carries it (wire copy does not name the outlet that
republishes it), or some outlet carries it in MIN_SHARE of its articles or more
(MIN_COPIES at least): an outlet's menu is in all of its articles, a wire headline in
each outlet's copy of one story (and its update). Only shapes that look like furniture
(items between separators such as "|" or "·", or capitalised words, numbers and times
that end no sentence) or name their outlet are tallied, and the frames above.
Such paragraphs are never signed, so they are never paired, aligned or made passages
(transforms.work.sign_documents), nor matched as rewordings.

Prose that many documents carry is never furniture by its frequency alone: that is
what wire copy is. Nor are numbers that change (a death toll updated between copies)
enough: they make one shape, but prose is neither furniture-shaped nor a frame.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import xxhash

from transforms.text import split_paragraphs

MIN_DOCUMENTS = 4  # documents that carry a shape, at least, for it to be furniture
MIN_SHARE = 0.2  # and the share of some outlet's documents that carry it,
MIN_COPIES = 3  # in this many of them at least
MAX_WORDS = 80  # a paragraph longer than this is not furniture, whatever its shape
FRAME_WORDS = 2  # the words that open a line, its frame's name
LABEL_WORDS = 3  # a line whose first colon comes after at most this many words opens with a label
MIN_SEPARATORS = 2  # items between this many separators make a furniture-shaped line
MAX_LOWER = 0.3  # a line with a smaller share of lower-case words that ends no sentence is furniture-shaped
SEED = 23
BUCKETS = 16  # parts of the shapes' keys the corpus's tallies are summed in

# A separator between items: "|" anywhere; • · › ▸ ► ‣ ▪ with white space on both sides
# (· joins letters in Catalan); a numbered item (" 2. ") of a list. Not » and «, which
# French prose sets between spaces as quotation marks.
# Counted as the "|"s, then the others, each with the white space before it (one regex
# that looked behind at every position cost a tenth of a run's CPU).
_SEPARATOR = re.compile(r"\s(?:[\u2022\u00b7\u203a\u25b8\u25ba\u2023\u25aa]|\d{1,2}\.)(?=\s)")
_BULLET = re.compile(r"^[\s\u2022\u25aa\u25b8\u25ba\u2023*\-\u2013\u2014]+")
_DIGITS = re.compile(r"\d+")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?!\d)")  # a time of day: 12:41, 1.38am
_LETTERS = re.compile(r"[^\W\d_]+")
# What ends a sentence, in any script: transforms.text's sentence ends, and the closing
# quotes and brackets that may follow them.
_SENTENCE_END = ".!?\u2026\u3002\uff01\uff1f\u061f\u06d4\u0964\u0965\"'\u201d\u2019\u00bb)]"


class Tally(NamedTuple):
    """What the corpus says of one key: how many documents carry it, whether one of them
    names its own outlet in it, and how many documents of each outlet carry it."""

    documents: int
    named: bool
    outlets: dict[str, int]


class LineShape(NamedTuple):
    """A paragraph's shape: its key, whether it looks like furniture, whether it names its outlet."""

    key: int
    shaped: bool
    named: bool


@dataclass
class ShapeCounts:
    """Tallies of shapes (`shapes`) and how many documents each outlet has (`outlets`)."""

    shapes: dict[int, Tally] = field(default_factory=dict)
    outlets: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=4096)
def _name_patterns(outlet: str | None) -> tuple[tuple[str, re.Pattern], ...]:
    """an outlet -> the forms of its name a line may hold, each with its pattern as whole
    words ("the nation", not "the national"): as given, and without a leading "the"
    ("The Daily Times" -> "daily times"); names under 4 letters are not looked for.
    Made once an outlet."""
    if not outlet:
        return ()
    name = " ".join(outlet.lower().split())
    forms = [name, name[4:]] if name.startswith("the ") else [name]
    return tuple((f, re.compile(rf"(?<!\w){re.escape(f)}(?!\w)")) for f in forms if len(f) >= 4)


def _separators(text: str) -> int:
    return text.count("|") + len(_SEPARATOR.findall(text))


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in _SENTENCE_END


def furniture_shaped(text: str) -> bool:
    """a paragraph -> whether it looks like a line of a page's furniture: items between
    separators, or capitalised words, numbers and times that end no sentence."""
    if _separators(text) >= MIN_SEPARATORS:
        return True
    if _ends_sentence(text):  # then only a line without a letter is
        return _LETTERS.search(text) is None
    letters = _LETTERS.findall(text)
    if not letters:
        return True
    lower = sum(1 for w in letters if w[0] == w[0].lower()) / len(letters)  # caseless scripts count as lower
    return lower < MAX_LOWER and not _ends_sentence(text)


def _masked(text: str, outlet: str | None) -> tuple[str, bool] | None:
    """a paragraph, its outlet -> (its line lowercased, digits as "0", the outlet's name as
    "@"; whether it names the outlet), or None past MAX_WORDS words."""
    words = text.split()
    if len(words) > MAX_WORDS:
        return None
    line = " ".join(words).lower()
    named = False
    for form, pattern in _name_patterns(outlet):
        if form not in line:  # the pattern finds nothing: a cheaper test first
            continue
        named_line = pattern.sub("@", line)
        if named_line != line:
            line, named = named_line, True
            break
    return _DIGITS.sub("0", line), named


def _key(line: str) -> int:
    return xxhash.xxh64_intdigest(line.encode("utf-8"), SEED) >> 2  # fits a signed 64-bit integer


def line_shape(text: str, outlet: str | None) -> LineShape | None:
    """a paragraph, its document's outlet -> its LineShape, or None for a paragraph
    longer than MAX_WORDS words."""
    return _shape(text, _masked(text, outlet))


def _shape(text: str, masked: tuple[str, bool] | None) -> LineShape | None:
    if masked is None:
        return None
    return LineShape(_key(masked[0]), furniture_shaped(text), masked[1])


def line_frame(text: str, outlet: str | None, masked: tuple[str, bool] | None = None) -> int | None:
    """a paragraph that ends no sentence and is a list, opens with a label or gives a
    time of day -> the key of its frame: its first FRAME_WORDS words (masked as its
    shape, a leading bullet left out) and how many separators it has, up to 3 ("Read
    more: <a headline>", "More from <outlet> | <headlines>", "By <names>, <outlet> | 4
    min read", "Most read 1. <headline> 2. <headline>", "Posted on Tue 19 March 2024
    12:41" are frames an outlet fills in differently in each article); None for any
    other line (a sentence, a headline, a bullet of prose). `masked`: the paragraph's
    _masked, if made already."""
    bare = _BULLET.sub("", text)
    if not bare.strip() or _ends_sentence(bare):
        return None
    if masked is None or bare != text:
        masked = _masked(bare, outlet)
    if masked is None:
        return None
    separators = _separators(bare)
    head = masked[0].split(":", 1)[0] if ":" in masked[0] else ""
    if not separators and not 0 < len(head.split()) <= LABEL_WORDS and not _CLOCK.search(bare):
        return None
    return _key("frame\x1f" + " ".join(masked[0].split()[:FRAME_WORDS]) + "|" * min(3, separators))


def line_keys(text: str, outlet: str | None) -> list[tuple[int, bool]]:
    """a paragraph, its outlet -> the keys it is tallied under, each with whether it
    counts as naming its outlet: its shape, if it is furniture-shaped or names its
    outlet, and its frame, if it ends no sentence (a frame is never taken as named)."""
    keys = []
    masked = _masked(text, outlet)
    shape = _shape(text, masked)
    if shape is not None and (shape.shaped or shape.named):
        keys.append((shape.key, shape.named))
    frame = line_frame(text, outlet, masked)
    if frame is not None:
        keys.append((frame, False))
    return keys


def _merged(a: Tally, b: Tally) -> Tally:
    """two tallies of one key -> one."""
    return Tally(a.documents + b.documents, a.named or b.named, dict(Counter(a.outlets) + Counter(b.outlets)))


def document_shapes(docs: Iterable) -> ShapeCounts:
    """Documents -> the tallies of their paragraphs' shapes and frames that may be
    furniture (line_keys), each counted once a document, and their outlets' documents
    (transforms.model.Document: its text and outlet)."""
    counts = ShapeCounts()
    for doc in docs:
        outlet = doc.outlet or ""
        counts.outlets[outlet] = counts.outlets.get(outlet, 0) + 1
        seen: dict[int, bool] = {}
        for start, end in split_paragraphs(doc.text):
            for key, named in line_keys(doc.text[start:end], doc.outlet):
                seen[key] = seen.get(key, False) or named
        for key, named in seen.items():
            mine = Tally(1, named, {outlet: 1})
            counts.shapes[key] = _merged(counts.shapes[key], mine) if key in counts.shapes else mine
    return counts


def merge_counts(parts: Iterable[ShapeCounts]) -> ShapeCounts:
    """batches' tallies -> their sum."""
    total = ShapeCounts()
    for part in parts:
        for key, value in part.shapes.items():
            total.shapes[key] = _merged(total.shapes[key], value) if key in total.shapes else value
        for outlet, n in part.outlets.items():
            total.outlets[outlet] = total.outlets.get(outlet, 0) + n
    return total


def bucketed(counts: ShapeCounts, buckets: int) -> list[tuple[int, ShapeCounts]]:
    """tallies -> (bucket, tallies) for every bucket of keys, each with all the outlets'
    documents, even a bucket without a key: a bucket decides alone, and its outlets'
    totals must not depend on how the documents were batched."""
    parts = [(bucket, ShapeCounts(outlets=dict(counts.outlets))) for bucket in range(buckets)]
    for key, value in counts.shapes.items():
        parts[key % buckets][1].shapes[key] = value
    return parts


def is_furniture(tally: Tally, outlets: dict[str, int], min_documents: int = MIN_DOCUMENTS) -> bool:
    """a shape's tally, each outlet's documents -> whether it is furniture (see the module)."""
    if tally.documents < min_documents:
        return False
    return tally.named or any(n >= MIN_COPIES and n >= MIN_SHARE * outlets.get(o, n) for o, n in tally.outlets.items())


def furniture_keys(counts: ShapeCounts, min_documents: int = MIN_DOCUMENTS) -> list[int]:
    """the corpus's tallies -> the keys of the shapes that are furniture, sorted."""
    return sorted(key for key, tally in counts.shapes.items() if is_furniture(tally, counts.outlets, min_documents))


def paragraph_is_furniture(text: str, outlet: str | None, keys: frozenset[int]) -> bool:
    """a paragraph, its outlet, the furniture keys -> whether it is furniture."""
    return bool(keys) and any(key in keys for key, _ in line_keys(text, outlet))
