"""Which sentences of a later article reword a source's: the matching rule of
transforms.reword, on a candidate pair of articles. Pure, no Beam.

    Vectors(weights)                             each article's sentences as unit IDF rows, made once
    reworded(source, later, weights, vectors)    the later article's sentences that reword the source's
    copy_share(doc)                              how much of an article is copy

An article is in many candidate pairs: its sentences' rows are made once, as a source and
as the later article, and a pair costs one small product over the terms the two share.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from transforms.reword import (
    MAX_SIMILARITY,
    MIN_SIMILARITY,
    MIN_TERMS,
    NEIGHBOURHOOD,
    SURE,
    Rewording,
    Sentence,
    SentenceSet,
)

WINDOW_GAIN = 0.05  # two later sentences together beat each of them alone by this much, to be taken


def copy_share(doc: SentenceSet) -> float:
    """-> the share of a document's matchable sentences that are copy: of two articles
    that reword each other, the one with more copy is the source (the wire's words that
    others carry too), the other the rewrite."""
    matchable = [s for s in doc.sentences if _matchable(s)]
    return sum(s.copied for s in matchable) / len(matchable) if matchable else 0.0


def _matchable(s: Sentence) -> bool:
    """a sentence that may reword or be reworded: no quote, no boilerplate, enough terms."""
    return not s.quoted and not s.furniture and s.terms >= MIN_TERMS


# An article's rows are a dense array up to this many cells (32 MB), and sparse above
# it: a very long article (a 50 MB record: hundreds of thousands of sentences) would make an
# array of sentences x its whole vocabulary. A pair's similarities are computed this
# many cells at a time, a block of the later article's rows at once.
DENSE_CELLS = 1 << 22


def _unit(matrix):
    """rows (a dense array or a sparse matrix) -> each scaled to length 1 (an empty row stays empty)."""
    if sparse.issparse(matrix):
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        return sparse.csr_matrix(sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def _dense(block) -> np.ndarray:
    return block.toarray() if sparse.issparse(block) else np.asarray(block)


class Vectors:
    """the corpus's Weights -> each article's matchable sentences as unit rows of their
    terms' IDF weights, over the article's own terms (sorted); made once an article and
    role, kept while the batch lasts. A pair's similarities are then a product of the two
    articles' rows over the terms they share."""

    def __init__(self, weights):
        self.weights = weights
        self._as_source: dict = {}
        self._as_later: dict = {}

    def _raw(self, doc: SentenceSet, indices: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """-> (the terms of those sentences, sorted; their rows of weights, not normalised)."""
        chosen = np.isin(doc.term_owner, indices)
        owners, terms = doc.term_owner[chosen], doc.term_array[chosen]
        row_of = np.zeros(len(doc.sentences), dtype=np.int64)
        row_of[indices] = np.arange(len(indices))
        vocabulary, columns = np.unique(terms, return_inverse=True)
        shape = (len(indices), len(vocabulary))
        if shape[0] * shape[1] > DENSE_CELLS:  # repeats add up, as below
            return vocabulary, sparse.csr_matrix((self.weights.of(terms), (row_of[owners], columns)), shape=shape)
        matrix = np.zeros(shape)
        np.add.at(matrix, (row_of[owners], columns), self.weights.of(terms))  # repeats add up
        return vocabulary, matrix

    def as_source(self, doc: SentenceSet):
        """-> (indices of its matchable sentences, their terms, their unit rows), or None."""
        if doc.doc_id not in self._as_source:
            ok = [k for k, s in enumerate(doc.sentences) if _matchable(s)]
            self._as_source[doc.doc_id] = (ok, *self._unit_rows(doc, ok)) if ok else None
        return self._as_source[doc.doc_id]

    def _unit_rows(self, doc, ok):
        terms, raw = self._raw(doc, ok)
        return terms, _unit(raw)

    def as_later(self, doc: SentenceSet):
        """-> (its matchable sentences that are no copy, alone and then in runs of two
        consecutive ones (a rewrite that split a sentence in two); how many alone; their
        terms; their unit rows), or None."""
        if doc.doc_id not in self._as_later:
            ok = [k for k, s in enumerate(doc.sentences) if _matchable(s) and s.passage is None]
            if not ok:
                self._as_later[doc.doc_id] = None
                return None
            terms, raw = self._raw(doc, ok)
            runs = [x for x in range(len(ok) - 1) if ok[x + 1] == ok[x] + 1]
            units = [(k,) for k in ok] + [(ok[x], ok[x + 1]) for x in runs]
            if runs:
                stack = sparse.vstack if sparse.issparse(raw) else np.vstack
                raw = stack([raw, raw[runs] + raw[[x + 1 for x in runs]]])
                raw = raw.tocsr() if sparse.issparse(raw) else raw
            self._as_later[doc.doc_id] = (units, len(ok), terms, _unit(raw))
        return self._as_later[doc.doc_id]

    def done_with(self, doc: SentenceSet) -> None:
        """forget a later article's rows (each is the later article of one loop)."""
        self._as_later.pop(doc.doc_id, None)


def reworded(source: SentenceSet, later: SentenceSet, weights, vectors: Vectors | None = None) -> list[Rewording]:
    """an article, a later one that may reword it, the corpus's Weights (and the batch's
    Vectors, if made) -> the later article's sentences that reword the source's (the rule:
    transforms.reword), in its order.

    Each later sentence, and each run of two consecutive later sentences, is compared with
    each source sentence; matches are taken most alike first, each sentence once, a run
    only where it beats its sentences alone."""
    if source.outlet and source.outlet == later.outlet:
        return []  # an outlet's own lines again: its template, not a rewrite
    vectors = vectors or Vectors(weights)
    a, b = vectors.as_source(source), vectors.as_later(later)
    if a is None or b is None:
        return []
    (a_ok, a_terms, a_rows), (b_units, singles, b_terms, b_rows) = a, b
    _, ia, ib = np.intersect1d(a_terms, b_terms, assume_unique=True, return_indices=True)
    if not len(ia):
        return []
    best, found = _similar(b_rows[:, ib], a_rows[:, ia].T)
    if best.max() < MIN_SIMILARITY:
        return []
    best_single = dict(zip((u[0] for u in b_units[:singles]), best[:singles], strict=True))
    candidates = []
    for x, y, sim in found:
        bu = b_units[x]
        if len(bu) == 2 and sim < max(best_single[k] for k in bu) + WINDOW_GAIN:
            continue
        candidates.append((-sim, bu, a_ok[y]))
    candidates.sort()
    return _kept(source, later, _taken(candidates))


def _similar(later, source) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """the later article's unit rows and the source's, transposed, over the terms they
    share -> (each later row's best cosine with a source sentence; (later row, source
    sentence, cosine) of every pair alike enough to be a rewording, row by row). A block
    of at most DENSE_CELLS similarities at a time."""
    step = max(1, DENSE_CELLS // max(1, source.shape[1]))
    best, found = [], []
    for first in range(0, later.shape[0], step):
        sims = _dense(later[first : first + step] @ source)  # (later units, source sentences): cosines
        best.append(sims.max(axis=1))
        xs, ys = np.nonzero((sims >= MIN_SIMILARITY) & (sims < MAX_SIMILARITY))
        found.extend((first + x, y, float(sims[x, y])) for x, y in zip(xs.tolist(), ys.tolist(), strict=True))
    return np.concatenate(best), found


def _taken(candidates) -> list[tuple]:
    """(-similarity, later unit, source sentence), most alike first -> the matches taken,
    each sentence once."""
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    matches = []
    for negative, bu, a in candidates:
        if taken_b.intersection(bu) or a in taken_a:
            continue
        taken_b.update(bu)
        taken_a.add(a)
        matches.append((bu, a, -negative))
    return matches


def _kept(source: SentenceSet, later: SentenceSet, matches) -> list[Rewording]:
    """the matches taken -> those with another in order beside them, or SURE alike, as
    Rewordings in the later article's order."""
    kept = []
    for bu, a, sim in matches:
        ordered = any(
            0 < abs(bu[0] - ob[0]) <= NEIGHBOURHOOD
            and 0 < abs(a - oa) <= NEIGHBOURHOOD
            and (bu[0] - ob[0]) * (a - oa) > 0
            for ob, oa, _ in matches
        )
        if not (sim >= SURE or ordered):
            continue
        s = source.sentences[a]
        for k in bu:
            b = later.sentences[k]
            kept.append(
                Rewording(
                    source.doc_id,
                    s.start,
                    s.end,
                    s.passage,
                    later.doc_id,
                    b.start,
                    b.end,
                    round(sim, 4),
                    s.text,
                    b.text,
                    (s.paragraph,),
                    (b.paragraph,),
                )
            )
    return sorted(kept, key=lambda r: r.b_start)
