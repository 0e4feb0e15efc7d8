"""Page furniture recognised from the corpus itself: lines that recur across many
documents with small variations (menus naming the outlet, numbered edition lines,
bylines with times, "Updated at" stamps, share and comment bars). Pure, no Beam.

    line_shape(text, outlet) -> (key, shaped, named) | None   a paragraph's shape
    document_shapes(docs) -> ShapeCounts                       a batch's tallies by shape
    merge_counts(parts) -> ShapeCounts                         the corpus's tallies
    furniture_keys(counts) -> [key]                            the shapes that are furniture

A paragraph's shape is its text lowercased, white space collapsed, every run of digits
as one "0" and the outlet's own name as "@": an outlet's menu in each of its articles,
and every outlet's menu, give one shape whatever the number or the name. A shape is
furniture when at least MIN_DOCUMENTS documents carry it and either it names the
outlet that carries it (wire copy does not name the outlet that republishes it), or
it is shaped like furniture (items between separators such as "|" or "·", or a line
of capitalised words, numbers and times that is no sentence) and some outlet carries
it in two of its articles or more (an outlet's menu is in all of them; a wire
headline, capitalised too, is in each outlet's copy of one story, once). Such
paragraphs are never signed, so they are never paired, aligned or made passages
(transforms.work.sign_documents).

Prose that many documents carry is never furniture by its frequency alone: that is
what wire copy is. Nor are numbers that change (a death toll updated between copies)
enough: they make one shape, but prose is not furniture-shaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import xxhash

from transforms.text import split_paragraphs

MIN_DOCUMENTS = 4  # documents that carry a shape, at least, for it to be furniture
MAX_WORDS = 80  # a paragraph longer than this is not furniture, whatever its shape
MIN_SEPARATORS = 2  # items between this many separators make a furniture-shaped line
MAX_LOWER = 0.3  # a line with a smaller share of lower-case words that ends no sentence is furniture-shaped
SEED = 23
BUCKETS = 16  # parts of the shapes' keys the corpus's tallies are summed in

_SEPARATORS = "|\u2022\u00b7\u00bb\u203a\u25b8\u25ba\u2023\u25aa"  # | • · » › ▸ ► ‣ ▪
_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")
_SENTENCE_END = ".!?\"'\u201d\u2019)\u3002\u061f\u06d4"

# shape key -> (documents that carry it, whether it names its outlet, {outlet: documents}
# of the outlets that carry it, or None once one outlet carries it twice or more). Only
# shapes that may be furniture (furniture-shaped or named) are tallied.
Tally = tuple[int, bool, dict[str, int] | None]
ShapeCounts = dict[int, Tally]


def _name_forms(outlet: str | None) -> list[str]:
    """an outlet -> the forms of its name a line may hold: as given, and without a
    leading "the" ("The Daily Times" -> "daily times"); names under 4 letters are not
    looked for."""
    if not outlet:
        return []
    name = " ".join(outlet.lower().split())
    forms = [name]
    if name.startswith("the "):
        forms.append(name[4:])
    return [f for f in forms if len(f) >= 4]


def furniture_shaped(text: str) -> bool:
    """a paragraph -> whether it looks like a line of a page's furniture: items between
    separators, or capitalised words, numbers and times that end no sentence."""
    if sum(text.count(c) for c in _SEPARATORS) >= MIN_SEPARATORS:
        return True
    letters = _LETTERS.findall(text)
    if not letters:
        return True
    lower = sum(1 for w in letters if w[0] == w[0].lower()) / len(letters)  # caseless scripts count as lower
    return lower < MAX_LOWER and text.rstrip()[-1:] not in _SENTENCE_END


def line_shape(text: str, outlet: str | None) -> tuple[int, bool, bool] | None:
    """a paragraph, its document's outlet -> (its shape's key, whether it is
    furniture-shaped, whether it names the outlet), or None for a paragraph longer than
    MAX_WORDS words."""
    words = text.split()
    if len(words) > MAX_WORDS:
        return None
    line = " ".join(words).lower()
    named = False
    for form in _name_forms(outlet):
        if form in line:
            line, named = line.replace(form, "@"), True
            break
    line = _DIGITS.sub("0", line)
    key = xxhash.xxh64_intdigest(line.encode("utf-8"), SEED) >> 2  # fits a signed 64-bit integer
    return key, furniture_shaped(text), named


def _merged(a: Tally, b: Tally) -> Tally:
    """two tallies of one shape -> one."""
    outlets = None
    if a[2] is not None and b[2] is not None:
        outlets = dict(a[2])
        for outlet, n in b[2].items():
            outlets[outlet] = outlets.get(outlet, 0) + n
        if max(outlets.values()) >= 2:
            outlets = None
    return a[0] + b[0], a[1] or b[1], outlets


def document_shapes(docs: Iterable) -> ShapeCounts:
    """Documents -> the tallies of their paragraphs' shapes that may be furniture, each
    shape counted once a document (transforms.model.Document: its text and outlet)."""
    counts: ShapeCounts = {}
    for doc in docs:
        seen: dict[int, bool] = {}
        for start, end in split_paragraphs(doc.text):
            shape = line_shape(doc.text[start:end], doc.outlet)
            if shape is not None and (shape[1] or shape[2]):
                key, _, named = shape
                seen[key] = seen.get(key, False) or named
        for key, named in seen.items():
            mine = (1, named, {doc.outlet or "": 1})
            counts[key] = _merged(counts[key], mine) if key in counts else mine
    return counts


def merge_counts(parts: Iterable[ShapeCounts]) -> ShapeCounts:
    """batches' tallies -> their sum."""
    total: ShapeCounts = {}
    for part in parts:
        for key, value in part.items():
            total[key] = _merged(total[key], value) if key in total else value
    return total


def bucketed(counts: ShapeCounts, buckets: int) -> list[tuple[int, ShapeCounts]]:
    """tallies -> (bucket, tallies) for each bucket of keys that has some."""
    parts: dict[int, ShapeCounts] = {}
    for key, value in counts.items():
        parts.setdefault(key % buckets, {})[key] = value
    return sorted(parts.items())


def is_furniture(tally: Tally, min_documents: int = MIN_DOCUMENTS) -> bool:
    """a shape's tally -> whether it is furniture (see the module)."""
    documents, named, outlets = tally
    return documents >= min_documents and (named or outlets is None)


def furniture_keys(counts: ShapeCounts, min_documents: int = MIN_DOCUMENTS) -> list[int]:
    """the corpus's tallies -> the keys of the shapes that are furniture, sorted."""
    return sorted(key for key, value in counts.items() if is_furniture(value, min_documents))


def paragraph_is_furniture(text: str, outlet: str | None, keys: frozenset[int]) -> bool:
    """a paragraph, its outlet, the furniture keys -> whether it is furniture."""
    if not keys:
        return False
    shape = line_shape(text, outlet)
    return shape is not None and shape[0] in keys
