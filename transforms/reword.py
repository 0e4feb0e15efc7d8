"""Reworded copy: sentences an outlet rewrote from another article, found by the content
words they share. Pure, no Beam.

    sentence_set(doc, covered) -> SentenceSet     a document's sentences, with their content terms
    reworded(source, later, idf) -> [Rewording]   the later article's sentences that reword the source's

A sentence's content terms are its words of three letters or more (two outside the
Latin, Greek and Cyrillic scripts), not digits, lowercased, each cut to its first
PREFIX letters in those scripts (a cheap stem that works in any of them: "attacks",
"attacked" -> "attack"), and hashed (xxh32) to integers. Two sentences are alike by the
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
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
import xxhash

from transforms.quotes import quoted_share
from transforms.text import split_paragraphs, words

PREFIX = 6  # letters a term keeps, in scripts whose words inflect at their end
MIN_TERMS = 4  # content terms a sentence needs to be matched
MIN_SIMILARITY = 0.35  # a reworded sentence's cosine with its source, at least
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


def content_terms(text: str) -> list[int]:
    """a sentence -> its content terms (see the module), hashed."""
    out = []
    for norm in words(text).norms:
        if norm.isdigit():
            continue
        inflects = _inflects(norm[0])
        if len(norm) < (3 if inflects else 2):
            continue
        term = norm[:PREFIX] if inflects else norm
        out.append(xxhash.xxh32_intdigest(term.encode("utf-8"), SEED))
    return out


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: where it is, its text, its content terms, whether it is
    quoted speech, and the passage its copy is part of (None if it is no copy)."""

    start: int
    end: int
    text: str
    terms: tuple[int, ...]
    quoted: bool
    passage: str | None
    after: str = ""  # the text between it and the next sentence
    paragraph: int = 0  # the index of the paragraph it is in
    copied: bool = False  # some of it is copy (a member of a passage): it is no rewrite


@dataclass(frozen=True)
class SentenceSet:
    """A document's sentences, for rewording."""

    doc_id: str
    outlet: str | None
    published: str | None
    sentences: tuple[Sentence, ...]
    credits: tuple[str, ...] = ()

    def terms(self) -> set[int]:
        return {t for s in self.sentences for t in s.terms}


# Document frequencies are counted in TERM_SLOTS slots, a term in the slot of its hash:
# a fixed-size array every worker can be handed (terms that share a slot add up, which
# makes a rare term look a little commoner, now and then).
TERM_SLOTS = 1 << 20


def term_slots(sets) -> np.ndarray:
    """SentenceSets -> how many of them carry a term of each slot (uint32, TERM_SLOTS)."""
    counts = np.zeros(TERM_SLOTS, dtype=np.uint32)
    for s in sets:
        terms = np.fromiter(s.terms(), dtype=np.uint32)
        np.add.at(counts, np.unique(terms % TERM_SLOTS), 1)
    return counts


class Weights:
    """term -> its IDF weight in a corpus of `documents`, from the slot counts of their
    document frequencies (term_slots, summed)."""

    def __init__(self, slots: np.ndarray, documents: int):
        self.slots, self.documents = slots, max(1, documents)

    def frequency(self, term: int) -> int:
        return int(self.slots[term % TERM_SLOTS])

    def __call__(self, term: int) -> float:
        return idf(self.frequency(term), self.documents)

    def rare(self, terms, most: float) -> list[int]:
        """terms -> those carried by two documents or more, and by no more than `most`
        of them (a share): what a document-level signature is made of."""
        cap = max(2, int(most * self.documents))
        return sorted(t for t in set(terms) if 2 <= self.frequency(t) <= cap)


def _covering(spans: list[tuple[int, int, str]], start: int, end: int) -> tuple[str | None, bool]:
    """copy spans (start, end, passage) sorted by start, a sentence -> (the passage whose
    span covers COVERED of it or more, else None; whether any copy span touches it)."""
    k = bisect_right([s for s, _, _ in spans], end)
    touched = False
    for s, e, passage in spans[:k]:
        overlap = min(e, end) - max(s, start)
        if overlap >= COVERED * (end - start):
            return passage, True
        touched = touched or overlap > 0
    return None, touched


def sentence_set(
    doc_id: str, text: str, outlet, published, covered: list[tuple[int, int, str]], credits: tuple = ()
) -> SentenceSet:
    """a document and the spans of it that are copy ((start, end, passage_id)) -> its
    SentenceSet."""
    covered = sorted(covered)
    paragraphs = split_paragraphs(text)
    starts = [s for s, _ in paragraphs]
    out = []
    spans = sentence_spans(text)
    for k, (start, end) in enumerate(spans):
        p_start, p_end = paragraphs[bisect_right(starts, start) - 1]
        quoted = quoted_share(text[p_start:p_end], start - p_start, end - p_start) >= QUOTED
        terms = tuple(content_terms(text[start:end]))
        after = text[end : spans[k + 1][0]] if k + 1 < len(spans) else ""
        paragraph = bisect_right(starts, start) - 1
        copy, copied = _covering(covered, start, end)
        out.append(Sentence(start, end, text[start:end], terms, quoted, copy, after, paragraph, copied))
    return SentenceSet(doc_id, outlet, published, tuple(out), tuple(credits))


def idf(document_frequency: int, documents: int) -> float:
    """how many documents carry a term, of how many -> its weight."""
    return math.log(1 + documents / max(1, document_frequency))


@dataclass(frozen=True)
class Rewording:
    """A sentence of the later article (b) that rewords one of the source (a) (or two
    consecutive ones of either, where the rewrite split or merged sentences)."""

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


def _matrix(units: list[tuple[int, ...]], sentences: tuple[Sentence, ...], weight, vocabulary: dict) -> np.ndarray:
    """units (runs of sentence indices) -> their unit-length tf-idf rows over `vocabulary`
    (a term -> its column, grown as terms come)."""
    rows = []
    for unit in units:
        row: dict[int, float] = {}
        for k in unit:
            for t in sentences[k].terms:
                j = vocabulary.setdefault(t, len(vocabulary))
                row[j] = row.get(j, 0.0) + weight(t)
        rows.append(row)
    return rows


def _dense(rows: list[dict], width: int) -> np.ndarray:
    matrix = np.zeros((len(rows), max(1, width)))
    for i, row in enumerate(rows):
        for j, w in row.items():
            matrix[i, j] = w
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def _units(eligible: list[int]) -> list[tuple[int, ...]]:
    """eligible sentence indices -> each alone, and each with the next when that is the
    next sentence of the document too (a sentence a rewrite split in two, or two it merged)."""
    units = [(k,) for k in eligible]
    units += [(k, k2) for k, k2 in zip(eligible, eligible[1:], strict=False) if k2 == k + 1]
    return units


WINDOW_GAIN = 0.05  # a unit of two sentences beats each of them alone by this much, to be taken


def reworded(source: SentenceSet, later: SentenceSet, weight) -> list[Rewording]:
    """an article, a later one that may reword it, a term's weight (idf) -> the later
    article's sentences that reword the source's (see the module), in its order.

    Sentences and runs of two consecutive sentences are compared on both sides (a
    rewrite splits one sentence into two, or merges two into one); matches are taken
    most alike first, each sentence once, a run only where it beats its sentences alone."""
    a_ok = [k for k, s in enumerate(source.sentences) if not s.quoted and len(s.terms) >= MIN_TERMS]
    b_ok = [k for k, s in enumerate(later.sentences) if not s.quoted and not s.copied and len(s.terms) >= MIN_TERMS]
    if not a_ok or not b_ok:
        return []
    a_units, b_units = _units(a_ok), _units(b_ok)
    vocabulary: dict[int, int] = {}
    a_rows = _matrix(a_units, source.sentences, weight, vocabulary)
    b_rows = _matrix(b_units, later.sentences, weight, vocabulary)
    sims = _dense(b_rows, len(vocabulary)) @ _dense(a_rows, len(vocabulary)).T  # (b units, a units)
    single = {}  # (b sentence, a sentence) -> similarity of the two alone
    for x, bu in enumerate(b_units):
        for y, au in enumerate(a_units):
            if len(bu) == len(au) == 1:
                single[(bu[0], au[0])] = sims[x, y]
    best_single_b = {b: max((v for (bb, _), v in single.items() if bb == b), default=0.0) for b in b_ok}
    best_single_a = {a: max((v for (_, aa), v in single.items() if aa == a), default=0.0) for a in a_ok}
    candidates = []
    for x, bu in enumerate(b_units):
        for y, au in enumerate(a_units):
            sim = float(sims[x, y])
            if sim < MIN_SIMILARITY or (len(bu) == 2 and len(au) == 2):
                continue
            if len(bu) == 2 and sim < max(best_single_b[k] for k in bu) + WINDOW_GAIN:
                continue
            if len(au) == 2 and sim < max(best_single_a[k] for k in au) + WINDOW_GAIN:
                continue
            candidates.append((-sim, bu, au))
    candidates.sort()
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    matches = []
    for negative, bu, au in candidates:
        if taken_b.intersection(bu) or taken_a.intersection(au):
            continue
        taken_b.update(bu)
        taken_a.update(au)
        matches.append((bu, au, -negative))
    kept = []
    for bu, au, sim in matches:
        ordered = any(
            other is not bu
            and 0 < abs(bu[0] - ob[0]) <= NEIGHBOURHOOD
            and 0 < abs(au[0] - oa[0]) <= NEIGHBOURHOOD
            and (bu[0] - ob[0]) * (au[0] - oa[0]) > 0
            for other, (ob, oa, _) in ((m[0], m) for m in matches)
        )
        if sim >= SURE or ordered or _copy_beside(later, bu, source, au):
            a_first, a_last = source.sentences[au[0]], source.sentences[au[-1]]
            for k in bu:
                b = later.sentences[k]
                a_text = a_first.text if a_first is a_last else a_first.text + a_first.after + a_last.text
                kept.append(
                    Rewording(
                        source.doc_id,
                        a_first.start,
                        a_last.end,
                        a_first.passage,
                        later.doc_id,
                        b.start,
                        b.end,
                        round(sim, 4),
                        a_text,
                        b.text,
                        tuple(sorted({a_first.paragraph, a_last.paragraph})),
                        (b.paragraph,),
                    )
                )
    return sorted(kept, key=lambda r: r.b_start)


def _copy_beside(later: SentenceSet, bu: tuple[int, ...], source: SentenceSet, au: tuple[int, ...]) -> bool:
    """whether the later article's sentences beside the match are copy of a passage that
    the source's sentences beside it are in too: the match sits in a stretch the two
    share, in order (copy there is evidence as good as a second rewording)."""

    def beside(sentences: tuple[Sentence, ...], unit: tuple[int, ...]) -> set:
        lo, hi = unit[0], unit[-1]
        near = range(lo - NEIGHBOURHOOD, hi + NEIGHBOURHOOD + 1)
        return {sentences[k].passage for k in near if 0 <= k < len(sentences) and not lo <= k <= hi}

    return bool((beside(later.sentences, bu) & beside(source.sentences, au)) - {None})
