"""Reworded copy: sentences an outlet rewrote from another article, found by the content
words they share. Pure, no Beam.

    sentence_set(doc, covered) -> SentenceSet     a document's sentences, with their content terms
    reworded(source, later, idf) -> [Rewording]   the later article's sentences that reword the
                                                  source's (transforms.reword_match)

A sentence's content terms are its words of three letters or more (two outside the
Latin, Greek and Cyrillic scripts), not digits, lowercased, each cut to its first
PREFIX letters in those scripts (a cheap stem that works in any of them: "attacks",
"attacked" -> "attack"); in Arabic script, without the conjunction and article written
as part of the word (و، ف، ال); and hashed (xxh32) to integers. Two sentences are alike by the
cosine of their terms weighted by IDF, the corpus's own (idf). Common words weigh little
wherever they come from, so no stop-word list of any language is needed.

Within a candidate pair of articles, each sentence of the later one that is neither copy
(it lies in a passage already) nor quoted speech is matched to its most alike sentence of
the source; a match counts when it is mutual (each the other's best), its similarity at
least MIN_SIMILARITY, and it is not alone: a rewrite keeps the story's order, so a match
needs another match in order beside it (within NEIGHBOURHOOD sentences on both sides),
unless it is very alike (SURE). Independent reports of one event share facts (a name, a
number) in sentences of their own, one here and one there, not a run of them in order.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import xxhash

from transforms.boilerplate import boilerplate_reason
from transforms.furniture import furniture_shaped, paragraph_is_furniture
from transforms.metadata import published_key
from transforms.quotes import has_quotes, quote_marks, quoted_share
from transforms.text import split_paragraphs, words

PREFIX = 6  # letters a term keeps, in scripts whose words inflect at their end
MIN_TERMS = 4  # content terms a sentence needs to be matched
MIN_SIMILARITY = 0.35  # a reworded sentence's cosine with its source, at least
MAX_SIMILARITY = 0.95  # and at most: the same sentence, not found as copy, is boilerplate or too short
SURE = 0.6  # a match this alike needs no neighbour
NEIGHBOURHOOD = 3  # how far (in sentences, on both sides) a match looks for another in order
COVERED = 0.5  # a sentence this much inside copy is copy, not a rewrite
QUOTED = 0.5  # a sentence this much inside quotation marks is quoted speech
SEED = 11  # of the term hashes

# A sentence ends at . ! ? (or the Arabic, Urdu, Devanagari and CJK stops), with closing
# quotes or brackets, before white space; not after an initial or an abbreviation
# ("U.S.", "Mr.", "Oct."), nor before a lower-case letter.
_END = re.compile(r"[.!?\u3002\uff01\uff1f\u061f\u06d4\u0964\u0965]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]\.(?:[A-Za-z]\.)*|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Sen|Rep|Gov|Pres|Prof|St|Jr|Sr|No|Vol|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Ltd|Co|vs|etc)\.)$"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """text -> (start, end) of each sentence, paragraph by paragraph (a paragraph break
    ends a sentence), without the white space around it."""
    out = []
    for p_start, p_end in split_paragraphs(text):
        para = text[p_start:p_end]
        at = 0
        for m in _END.finditer(para):
            before = para[max(0, m.start() - 12) : m.end()]
            after = para[m.end() : m.end() + 2].lstrip()
            if _ABBREVIATION.search(before.rstrip("\"'\u201d\u2019\u00bb)]")) or (after[:1].islower()):
                continue
            out.append(_trimmed(para, at, m.end(), p_start))
            at = m.end()
        if para[at:].strip():
            out.append(_trimmed(para, at, len(para), p_start))
    return [span for span in out if span[1] > span[0]]


def _trimmed(para: str, start: int, end: int, offset: int) -> tuple[int, int]:
    chunk = para[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    return offset + start + lead, offset + start + len(chunk.rstrip())


def _inflects(ch: str) -> bool:
    """a letter of a script whose words take endings (Latin, Greek, Cyrillic)."""
    return ch < "\u0530"


# What Arabic script writes as part of a word: "and" (wa-, fa-), the article (al-), and
# "with"/"like"/"for" the (bil-, kal-, lil-). Cut off, the word left being 3 letters or more.
_CLITICS = (
    "\u0648\u0627\u0644",
    "\u0628\u0627\u0644",
    "\u0641\u0627\u0644",
    "\u0643\u0627\u0644",
    "\u0644\u0644",
    "\u0627\u0644",
    "\u0648",
    "\u0641",
)


def _without_clitics(norm: str) -> str:
    for clitic in _CLITICS:
        if norm.startswith(clitic) and len(norm) - len(clitic) >= 3:
            return norm[len(clitic) :]
    return norm


@lru_cache(maxsize=1 << 18)
def term_of(norm: str) -> int:
    """a normalised word -> its content term, hashed (see the module); 0 for a word that
    is no content term (a number, a word too short)."""
    if norm.isdigit():
        return 0
    if "\u0600" <= norm[0] <= "\u06ff":
        norm = _without_clitics(norm)
    inflects = _inflects(norm[0])
    if len(norm) < (3 if inflects else 2):
        return 0
    term = norm[:PREFIX] if inflects else norm
    return xxhash.xxh32_intdigest(term.encode("utf-8"), SEED) or 1


def content_terms(text: str) -> list[int]:
    """a sentence -> its content terms (see the module), hashed."""
    return [t for t in map(term_of, words(text).norms) if t]


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: where it is, its text, its content terms, whether it is
    quoted speech, and the passage its copy is part of (None if it is no copy)."""

    start: int
    end: int
    text: str
    terms: int  # how many content terms it has (they are in its SentenceSet's arrays)
    quoted: bool
    passage: str | None  # the passage whose copy overlaps it most
    after: str = ""  # the text between it and the next sentence
    paragraph: int = 0  # the index of the paragraph it is in
    copied: bool = False  # it is mostly copy (COVERED of it is in a passage)
    furniture: bool = False  # its paragraph is boilerplate (site furniture, a credit line, a caption)


@dataclass(frozen=True)
class SentenceSet:
    """A document's sentences, for rewording."""

    doc_id: str
    outlet: str | None
    published: str | None
    sentences: tuple[Sentence, ...]
    credits: tuple[str, ...] = ()
    term_array: np.ndarray = None  # every sentence's content terms, in order (uint32)
    term_owner: np.ndarray = None  # the sentence each of them is in (int32)

    def terms(self) -> set[int]:
        return set(np.unique(self.term_array).tolist()) if self.term_array is not None else set()


# Document frequencies are counted in TERM_SLOTS slots, a term in the slot of its hash:
# a fixed-size array every worker can be handed (terms that share a slot add up, which
# makes a rare term look a little commoner, now and then).
TERM_SLOTS = 1 << 20


def document_slots(sets) -> np.ndarray:
    """SentenceSets -> the slots of the terms each carries, each once per document,
    concatenated (uint32): what term_slots counts (small to send on)."""
    parts = [np.unique(s.term_array % TERM_SLOTS) for s in sets if s.term_array is not None and len(s.term_array)]
    return np.concatenate(parts).astype(np.uint32) if parts else np.zeros(0, dtype=np.uint32)


def term_slots(sets) -> np.ndarray:
    """SentenceSets -> how many of them carry a term of each slot (uint32, TERM_SLOTS)."""
    return np.bincount(document_slots(sets), minlength=TERM_SLOTS).astype(np.uint32)


class Weights:
    """term -> its IDF weight in a corpus of `documents`, from the slot counts of their
    document frequencies (term_slots, summed)."""

    def __init__(self, slots: np.ndarray, documents: int):
        self.slots, self.documents = slots, max(1, documents)
        self.by_slot = np.log1p(self.documents / np.maximum(1, slots.astype(np.float64)))

    def frequency(self, term: int) -> int:
        return int(self.slots[term % TERM_SLOTS])

    def __call__(self, term: int) -> float:
        return idf(self.frequency(term), self.documents)

    def of(self, terms: np.ndarray) -> np.ndarray:
        """terms (uint32 array) -> their weights."""
        return self.by_slot[terms % TERM_SLOTS]

    def rare(self, terms: np.ndarray, most: int) -> list[int]:
        """a document's terms -> its `most` rarest that another document carries too
        (the fewest documents, then the smallest hash): what its signature is made of,
        whatever the corpus's vocabulary."""
        distinct = np.unique(terms)
        frequency = self.slots[distinct % TERM_SLOTS]
        shared = frequency >= 2
        distinct, frequency = distinct[shared], frequency[shared]
        order = np.lexsort((distinct, frequency))[:most]
        return sorted(distinct[order].tolist())


def _covering(spans: list[tuple[int, int, str]], start: int, end: int) -> tuple[str | None, bool]:
    """copy spans (start, end, passage) sorted by start, a sentence -> (the passage whose
    span overlaps it most, None if none does; whether one covers COVERED of it or more)."""
    k = bisect_right([s for s, _, _ in spans], end)
    best, most = None, 0
    for s, e, passage in spans[:k]:
        overlap = min(e, end) - max(s, start)
        if overlap > most:
            best, most = passage, overlap
    return best, most >= COVERED * (end - start)


def sentence_set(
    doc_id: str,
    text: str,
    outlet,
    published,
    covered: list[tuple[int, int, str]],
    credits: tuple = (),
    furniture: frozenset[int] = frozenset(),
) -> SentenceSet:
    """a document and the spans of it that are copy ((start, end, passage_id)), the keys
    of the corpus's page furniture (transforms.furniture) -> its SentenceSet: each
    paragraph tokenised and read for quotation marks once."""
    covered = sorted(covered)
    spans = sentence_spans(text)
    out, terms, owners = [], [], []
    k = 0
    for index, (p_start, p_end) in enumerate(split_paragraphs(text)):
        para = text[p_start:p_end]
        found = words(para)
        marks = quote_marks(para) if has_quotes(para) else None
        furnished = boilerplate_reason(para) is not None or paragraph_is_furniture(para, outlet, furniture)
        while k < len(spans) and spans[k][0] < p_end:
            start, end = spans[k]
            lo, hi = bisect_left(found.starts, start - p_start), bisect_left(found.starts, end - p_start)
            mine = [t for t in map(term_of, found.norms[lo:hi]) if t]
            terms.extend(mine)
            owners.extend([k] * len(mine))
            quoted = marks is not None and quoted_share(para, start - p_start, end - p_start, marks) >= QUOTED
            after = text[end : spans[k + 1][0]] if k + 1 < len(spans) else ""
            copy, copied = _covering(covered, start, end)
            line = furnished or furniture_shaped(text[start:end])  # a byline or a headline: no sentence
            out.append(Sentence(start, end, text[start:end], len(mine), quoted, copy, after, index, copied, line))
            k += 1
    return SentenceSet(
        doc_id,
        outlet,
        published,
        tuple(out),
        tuple(credits),
        np.array(terms, dtype=np.uint32),
        np.array(owners, dtype=np.int32),
    )


def idf(document_frequency: int, documents: int) -> float:
    """how many documents carry a term, of how many -> its weight."""
    return math.log(1 + documents / max(1, document_frequency))


@dataclass(frozen=True)
class Rewording:
    """A sentence of the later article (b) that rewords one of the source (a)."""

    a: str
    a_start: int
    a_end: int
    a_passage: str | None  # the passage the source sentence is copy in, if any
    b: str
    b_start: int
    b_end: int
    similarity: float
    a_text: str = ""
    b_text: str = ""
    a_paragraphs: tuple[int, ...] = ()
    b_paragraphs: tuple[int, ...] = ()


def source_order(published, credits, doc_id: str) -> tuple:
    """-> what says which of two articles that may reword each other is the source
    (source_first): whether it is dated, when, whether it credits an agency, its id."""
    key = published_key(published)
    return (key[0], key[1], 0 if credits else 1, doc_id)


def source_first(a: tuple, b: tuple) -> tuple[str, str]:
    """two source_orders -> (source doc_id, later doc_id): of two dated articles the
    earlier (then the one crediting an agency); else the one crediting an agency (then
    the dated one); then the smaller id. Every pair is taken in this one direction,
    whichever way it was found."""
    if a[0] == b[0] == 0:
        first = min(a, b)
    else:
        first = min(a, b, key=lambda k: (k[2], k[0], k[1], k[3]))
    return (a[3], b[3]) if first == a else (b[3], a[3])
