"""A cluster's passages -> Passages: agency, origin, each member's kind and similarity,
the provenance tree, a stable id. Pure, no Beam.

The passages themselves (which text, which members) come from transforms.segment.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import accumulate

import numpy as np
import xxhash
from rapidfuzz.distance import Indel

from transforms.align import MIN_RUN, Vocabulary
from transforms.metadata import published_key
from transforms.model import Member, Origin, Passage, Piece
from transforms.provenance import choose_origin, passage_agency, provenance_edges
from transforms.quotes import QUOTE_SHARE, quoted_share
from transforms.segment import segment_cluster
from transforms.text import words
from transforms.wording import copies, rewritten


def passage_id(members: Sequence[Member]) -> str:
    """members -> a stable id: xxh64 of their sorted (doc_id, start, end)."""
    keys = sorted(f"{m.doc_id}\x1f{m.start}\x1f{m.end}" for m in members)
    return "p" + xxhash.xxh64("\x1e".join(keys).encode("utf-8")).hexdigest()


# How a member sits beside the member of another passage next to it in its document:
# (that passage, whether the two share a paragraph), or None at either end.
Neighbour = tuple[int, bool] | None


def neighbours(passages: Sequence[Sequence[Member]]) -> dict[tuple[int, int], tuple[Neighbour, Neighbour]]:
    """members of one cluster's passages -> {(passage, member): (before, after)}."""
    by_doc: dict[str, list[tuple[int, int, Member]]] = defaultdict(list)
    for p, members in enumerate(passages):
        for i, m in enumerate(members):
            by_doc[m.doc_id].append((m.start, p, i, m))
    out = {}
    for places in by_doc.values():
        places.sort(key=lambda place: place[:3])
        for k, (_, p, i, m) in enumerate(places):
            before = after = None
            if k > 0:
                prev = places[k - 1][3]
                before = (places[k - 1][1], prev.paragraphs[-1] == m.paragraphs[0])
            if k + 1 < len(places):
                nxt = places[k + 1][3]
                after = (places[k + 1][1], nxt.paragraphs[0] == m.paragraphs[-1])
            out[(p, i)] = (before, after)
    return out


def _line_breaks(text: str) -> list[int]:
    """a member's text -> where each of its paragraph breaks (a run of line ends) starts."""
    return [m.start() for m in _BREAK.finditer(text)]


_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]+")


def paragraphs_aligned(copy: str, origin: str, copy_keys: list[int], origin_keys: list[int]) -> tuple[int, int]:
    """a copy's and its origin's texts and word keys -> how many of its own paragraphs
    each spreads the words they share over: (copy's, origin's). A copy that puts the
    words of two of the origin's paragraphs into one merged them; one that spreads one
    paragraph's over two split it. Whatever else either carries does not count."""
    if "\n" not in copy and "\n" not in origin and "\r" not in copy and "\r" not in origin:
        return 1, 1
    copy_breaks, origin_breaks = _line_breaks(copy), _line_breaks(origin)
    copy_starts, origin_starts = words(copy).starts, words(origin).starts
    copy_paras, origin_paras = set(), set()
    for block in Indel.opcodes(copy_keys, origin_keys).as_matching_blocks():
        for k in range(block.size):
            copy_paras.add(bisect_right(copy_breaks, copy_starts[block.a + k]))
            origin_paras.add(bisect_right(origin_breaks, origin_starts[block.b + k]))
    return max(1, len(copy_paras)), max(1, len(origin_paras))


def member_kind(
    sides: tuple[Neighbour, Neighbour],
    origin_sides: tuple[Neighbour, Neighbour],
    paragraphs: int,
    origin_paragraphs: int,
    words: int,
    origin_words: int,
    common: int,
    origin_rest: int,
) -> str:
    """How a copy differs from the origin member of its passage.

    merged: the copy puts the text it shares with the origin into fewer paragraphs than
    the origin does (`paragraphs` against `origin_paragraphs`, paragraphs_aligned), or
    runs on, in one paragraph, into a neighbouring passage that the origin keeps in a
    paragraph of its own; split: the reverse. trimmed: the copy lacks part of the origin's text, either words of the
    origin member (`common` of the copy's `words` align to the origin's `origin_words`)
    or `origin_rest`, words of the origin's paragraphs that the copy carries nowhere,
    while what it keeps is the origin's. verbatim: the same words (quotes, punctuation
    and case aside). Otherwise edited.
    """
    if paragraphs != origin_paragraphs:
        return "merged" if paragraphs < origin_paragraphs else "split"
    for side, origin_side in zip(sides, origin_sides, strict=True):
        if side and origin_side and side[0] == origin_side[0] and side[1] != origin_side[1]:
            return "merged" if side[1] else "split"
    dropped = origin_rest >= MIN_RUN or origin_words - common >= max(MIN_RUN, 0.1 * origin_words)
    if dropped and common >= 0.9 * words:
        return "trimmed"
    if common == words == origin_words:
        return "verbatim"
    return "edited"


class RestWords:
    """-> the words of a member's paragraphs that another document carries nowhere in
    the cluster: for (origin member, copy's doc_id), the words of the origin's
    paragraphs outside every origin member of a passage the copy is also in."""

    def __init__(self, pieces: Sequence[Piece], passages: Sequence[Sequence[Member]]):
        self.paragraphs = {(p.paragraph.doc_id, p.paragraph.index): p.paragraph for p in pieces}
        self.docs = [{m.doc_id for m in members} for members in passages]
        self.spans_in: dict[str, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
        for p, members in enumerate(passages):
            for m in members:
                self.spans_in[m.doc_id].append((p, (m.start, m.end)))
        self.carried: dict[tuple[str, str], _Cover] = {}
        self.word_spans: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
        self.memo: dict[tuple[str, str, tuple[int, ...]], int] = {}

    def _words(self, doc_id: str, index: int) -> tuple[np.ndarray, np.ndarray]:
        """-> where the paragraph's words start and end in its document, as arrays."""
        key = (doc_id, index)
        if key not in self.word_spans:
            para = self.paragraphs[key]
            found = words(para.text)
            self.word_spans[key] = (
                np.add(found.starts, para.start, dtype=np.int64),
                np.add(found.ends, para.start, dtype=np.int64),
            )
        return self.word_spans[key]

    def _carried(self, doc_id: str, other: str) -> _Cover:
        """-> the spans of `doc_id`'s members of passages `other` is also in (computed on
        demand: a cluster of n documents has n * n document pairs, most never asked for)."""
        key = (doc_id, other)
        if key not in self.carried:
            spans = self.spans_in[doc_id] if other != doc_id else []
            self.carried[key] = _Cover([span for p, span in spans if other in self.docs[p]])
        return self.carried[key]

    def __call__(self, origin: Member, copy_doc: str) -> int:
        key = (origin.doc_id, copy_doc, origin.paragraphs)
        if key not in self.memo:
            cover = self._carried(origin.doc_id, copy_doc)
            self.memo[key] = sum(cover.outside(*self._words(origin.doc_id, index)) for index in origin.paragraphs)
        return self.memo[key]


class _Cover:
    """spans -> whether (s, e) lies inside one of them, in log time: among the spans that
    start at or before s, the furthest end (a running maximum over spans sorted by start)."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = np.array([a for a, _ in ordered], dtype=np.int64)
        self.reach = np.array(list(accumulate((b for _, b in ordered), max)), dtype=np.int64)

    def __call__(self, s: int, e: int) -> bool:
        k = bisect_right(self.starts, s)
        return k > 0 and bool(self.reach[k - 1] >= e)

    def outside(self, starts: np.ndarray, ends: np.ndarray) -> int:
        """words as arrays of their starts and ends -> how many lie inside none of the
        spans: __call__ for all of them at once, with numpy."""
        if not len(self.starts):
            return len(starts)
        k = np.searchsorted(self.starts, starts, side="right")
        inside = (k > 0) & (self.reach[k - 1] >= ends)
        return len(starts) - int(np.count_nonzero(inside))


def _sort_key(m: Member):
    return (published_key(m.published), m.doc_id, m.start)


def build_passages(
    pieces: Sequence[Piece],
    max_gap: int,
    min_words: int,
    wire_of: Callable[[str | None], str | None] = lambda outlet: None,
) -> list[Passage]:
    """the pieces of one cluster -> its Passages, with agency, origin, kinds, similarities
    and the provenance tree. `wire_of(outlet)` names the agency an outlet is, if any."""
    drafts = segment_cluster(pieces, max_gap, min_words, wire_of)
    sides = neighbours(drafts)
    rest = RestWords(pieces, drafts)
    vocabulary = Vocabulary()
    passages = []
    for p, members in enumerate(drafts):
        keys = [vocabulary.keys(words(m.text).norms) for m in members]
        agency = passage_agency(members)
        o, origin = _copied_origin(members, keys, agency, wire_of)
        scored = []
        for i, m in enumerate(members):
            if i == o:
                scored.append(m)
                continue
            distance = Indel.distance(keys[i], keys[o])
            common = (len(keys[i]) + len(keys[o]) - distance) // 2
            similarity = round(Indel.normalized_similarity(keys[i], keys[o]), 4)
            kind = member_kind(
                sides[(p, i)],
                sides[(p, o)],
                *paragraphs_aligned(m.text, members[o].text, keys[i], keys[o]),
                len(keys[i]),
                len(keys[o]),
                common,
                rest(members[o], m.doc_id),
            )
            member = m.scored(similarity, kind)
            if _reworded(i, common, keys, members):
                j, alike = _most_alike(i, keys, members)  # what it rewrote: the text it is most like
                source = members[j]
                rewrites = (source.doc_id, source.start, source.end, source.text)
                member = m.but(similarity=round(alike, 4), kind="rewritten", rewrites=rewrites)
            scored.append(member)
        scored = _halves_split(scored, o)
        order = sorted(range(len(scored)), key=lambda i: _sort_key(scored[i]))
        ordered, ordered_keys = [scored[i] for i in order], [keys[i] for i in order]

        def similarity_of(i: int, j: int, ordered_keys=ordered_keys) -> float:
            return Indel.normalized_similarity(ordered_keys[i], ordered_keys[j])

        origin_index = order.index(o)
        quoted = sum(_quoted(rest.paragraphs, m) for m in members) / len(members)
        passages.append(
            Passage(
                passage_id=passage_id(ordered),
                text=members[o].text,
                agency=agency,
                origin=origin,
                members=tuple(ordered),
                edges=provenance_edges(ordered, origin_index, similarity_of, agency),
                quote=quoted >= QUOTE_SHARE,
            )
        )
    return passages


# A member that shares less than CLOSE of its words with the origin, in order, may be
# a rewrite: transforms.wording decides, against the passage's FULLEST most complete
# members of other articles.
CLOSE = 0.9
FULLEST = 6


def _copied_origin(members: Sequence[Member], keys: list, agency, wire_of) -> tuple[int, Origin]:
    """-> the passage's origin (provenance.choose_origin), but not an article that rewrote
    the others, unless it is the agency's own wire: copies come from the copy they keep
    the words of, and the rewrite, earlier or not, is a member of kind rewritten."""
    o, origin = choose_origin(members, [len(k) for k in keys], agency, wire_of)
    if origin.evidence[:1] and origin.evidence[0].startswith("agency_wire") or not _reworded(o, 0, keys, members):
        return o, origin
    others = [i for i in range(len(members)) if members[i].doc_id != members[o].doc_id]
    copying = [  # members that copy another member, not the origin: the copies it is not
        i for i in others if any(copies(keys[i], keys[j]) for j in others if members[j].doc_id != members[i].doc_id)
    ]
    if not copying:
        return o, origin  # two texts that reword each other: which came first stays the rule
    k, origin = choose_origin([members[i] for i in copying], [len(keys[i]) for i in copying], agency, wire_of)
    return copying[k], origin


def _most_alike(i: int, keys: list, members: Sequence[Member]) -> tuple[int, float]:
    """-> (the member of another article most like member i, by their words in order;
    that likeness)."""
    others = [j for j in range(len(members)) if members[j].doc_id != members[i].doc_id]
    alike = {j: Indel.normalized_similarity(keys[i], keys[j]) for j in others}
    j = max(others, key=lambda j: (alike[j], -j))
    return j, alike[j]


def _reworded(i: int, common: int, keys: list, members: Sequence[Member]) -> bool:
    """-> whether member i (not the origin; `common` words of it are the origin's, in
    order) rewrote the passage rather than copied it."""
    if not keys[i] or common >= CLOSE * len(keys[i]):
        return False
    others = [j for j in range(len(members)) if members[j].doc_id != members[i].doc_id]
    fullest = sorted(others, key=lambda j: (-members[j].coverage, -len(keys[j]), j))[:FULLEST]
    return rewritten(keys[i], (keys[j] for j in fullest))


# Members of one copy in one passage whose coverages add up to no more than this carry
# different parts of it: the halves of a paragraph the copy split.
WHOLE = 1.1


def _halves_split(members: list[Member], origin: int) -> list[Member]:
    """a passage's members -> the same, a copy's members in different paragraphs of it
    that carry different parts of the passage (their coverages add up to about one, not
    more: not text the copy repeats) marked split: it split the paragraph, and put text
    of its own between the halves."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        if i != origin:
            by_doc[m.doc_id].append(i)
    out = list(members)
    for places in by_doc.values():
        if len(places) < 2 or len({members[i].paragraphs for i in places}) < len(places):
            continue
        if sum(members[i].coverage for i in places) <= WHOLE:
            for i in places:
                out[i] = members[i].scored(members[i].similarity, "split")
    return out


def _quoted(paragraphs: dict, m: Member) -> float:
    """a member -> the share of its text inside quotation marks, each of its paragraphs
    read from its start (a quote opened before the member starts counts)."""
    shares = []
    for index in m.paragraphs:
        para = paragraphs[(m.doc_id, index)]
        lo, hi = max(m.start, para.start) - para.start, min(m.end, para.end) - para.start
        shares.append((hi - lo, quoted_share(para.text, lo, hi)))
    total = sum(n for n, _ in shares)
    return sum(n * share for n, share in shares) / total if total else 0.0
