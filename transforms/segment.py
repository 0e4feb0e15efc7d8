"""One cluster of shared text -> its whole passages, as lists of Members. Pure, no Beam.

A cluster holds, for each document in it, the paragraphs that share text with the
others. Each document's part is read as one token sequence (its "unit"), and every unit
is aligned to one representative, never all pairs:

1. The representative is the likeliest source (an agency's wire, a crediting copy, the
   earliest) among the units nearly as complete as the one with the most text left.
2. Each other unit is aligned to it (transforms.align); aligned tokens map a copy's
   words onto the representative's.
3. The representative is cut into passages at its own paragraph breaks only: a passage
   is one paragraph of the story, with every copy of any part of it. A copy that merged
   two of its paragraphs has a member in each passage; a break only a copy makes (it
   split a paragraph) is no cut: that member spans it, and `paragraphs` lists both.
4. Each copy's parts inside a passage that follow each other (text it inserted or
   dropped between them, up to about a sentence: _bridged) are one member, with its
   own extent and its coverage: the share of the passage's words it carries. A passage
   needs a copy with at least `min_words` aligned words.
5. Text the representative lacks (a sentence it trimmed that others kept) is left
   over; the next round takes a new representative among what is left.

transforms.passages then gives each passage its origin, kinds and provenance tree.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import getitem, not_, or_

from transforms.align import MIN_RUN, Pair, Vocabulary, pairs_of, repeated_runs
from transforms.metadata import published_key
from transforms.model import Member, Paragraph, Piece
from transforms.text import placed_words

# How many times one copy is aligned again to the representative, for repeated or moved text.
MAX_OCCURRENCES = 3
# Two parts of one copy inside one passage this many words apart or fewer, on either
# side, are one member: a clause or a sentence the copy inserted or dropped between them.
BRIDGE_WORDS = 40


@dataclass
class _Unit:
    """One document's part of a cluster, as one token sequence."""

    doc_id: str
    outlet: str | None
    published: str | None
    credits: tuple[str, ...]
    paragraphs: dict[int, Paragraph]
    starts: list[int] = field(default_factory=list)  # where each token starts in its paragraph
    ends: list[int] = field(default_factory=list)  # where each token ends in its paragraph
    paras: list[int] = field(default_factory=list)  # paragraph index of each token
    keys: list[int] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)
    counted: tuple[int, int] = (-1, 0)  # (uncovered tokens, distinct_uncovered) when last counted

    def uncovered(self) -> int:
        return self.covered.count(False)

    def distinct_uncovered(self) -> int:
        """word pairs not yet in a passage, each counted once: text a document repeats
        (a quote in the standfirst and the body) does not make it the representative.
        Counted again only once more words are covered (they never become uncovered)."""
        left = self.uncovered()
        if self.counted[0] != left:
            keys, covered = self.keys, self.covered
            pairs = zip(keys, keys[1:], strict=False)
            if left < len(keys):  # the pairs with neither word covered, picked in C
                pairs = compress(pairs, map(not_, map(or_, covered, covered[1:])))
            self.counted = (left, len(set(pairs)))
        return self.counted[1]

    def masked(self, side: int) -> list[int]:
        """keys, with tokens already in a passage replaced by keys that match nothing
        (negative, and odd or even by `side` so two masked sequences never meet)."""
        keys = self.keys
        if True not in self.covered:
            return list(keys)
        # Each (key, its mask) pair indexed by whether the token is covered, in C.
        masks = range(-1 - side, -1 - side - 2 * len(keys), -2)
        return list(map(getitem, zip(keys, masks, strict=True), self.covered))


@dataclass(frozen=True)
class _Draft:
    """A member before its kind is known: unit, token range [lo, hi], and how many of
    its tokens align with the representative's (all of them for the representative)."""

    unit: int
    lo: int
    hi: int
    aligned: int


def _units(pieces: Sequence[Piece], vocabulary: Vocabulary) -> list[_Unit]:
    by_doc: dict[str, list[Piece]] = defaultdict(list)
    for piece in pieces:
        by_doc[piece.paragraph.doc_id].append(piece)
    units = []
    for doc_id in sorted(by_doc):
        doc_pieces = sorted(by_doc[doc_id], key=lambda p: p.start)
        first = doc_pieces[0].paragraph
        paragraphs = {p.paragraph.index: p.paragraph for p in doc_pieces}
        unit = _Unit(doc_id, first.outlet, first.published, doc_pieces[0].credits, paragraphs)
        # Per paragraph, every word from its first piece to its last: the words between
        # two pieces (an outlet's own sentence) stay, as a gap the alignment sees.
        extent: dict[int, tuple[int, int]] = {}
        for piece in doc_pieces:
            lo, hi = extent.get(piece.paragraph.index, (piece.start, piece.end))
            extent[piece.paragraph.index] = (min(lo, piece.start), max(hi, piece.end))
        norms: list[str] = []
        for index in sorted(extent):
            para, (lo, hi) = unit.paragraphs[index], extent[index]
            kept = placed_words(para.text, para.start, lo, hi)
            unit.starts.extend(kept.starts)
            unit.ends.extend(kept.ends)
            norms.extend(kept.norms)
            unit.paras.extend([index] * len(kept.starts))
        unit.keys = vocabulary.keys(norms)
        unit.covered = [False] * len(norms)
        units.append(unit)
    return units


def _cuts(rep: _Unit, maps: list[tuple[int, list[Pair], list[int]]], units: list[_Unit]) -> list[int]:
    """-> sorted token indices of `rep` where a passage starts (and its length last).

    A passage is a whole paragraph of the story: the cuts are the representative's
    paragraph breaks that the copies keep. At each break, every copy with text on both
    sides votes: it breaks there too (cut), or runs on across it in one paragraph
    (join); the representative votes cut. A break most copies run across is the
    representative's own split, no cut; the copies that do break there have a member
    spanning it. A copy that runs two paragraphs into one (a merge) has a member in each
    of their passages, whose kinds say merged. Where a copy's text starts or stops is no
    cut: a passage keeps every copy of any part of its paragraph, each its own extent.

    `maps`: (unit, aligned pairs, the pairs' representative-side indices) per occurrence.
    The pairs increase on both sides, so the pairs on either side of a break are found
    by bisection in those indices.
    """
    end = len(rep.keys)
    breaks = [i for i in range(1, end) if rep.paras[i] != rep.paras[i - 1]]
    votes = {c: [1, 0] for c in breaks}  # break -> [cut, join]
    for c in breaks:
        voted: set[int] = set()
        for u, pairs, reps in maps:
            k = bisect_left(reps, c)
            if u in voted or not 0 < k < len(reps):
                continue
            voted.add(u)
            paras = units[u].paras
            votes[c][paras[pairs[k][1]] == paras[pairs[k - 1][1]]] += 1
    return sorted({c for c in breaks if votes[c][0] >= votes[c][1]} | {0, end})


def _bridged(occurrences: list[list[Pair]], paras: list[int]) -> list[list[Pair]]:
    """one copy's occurrences of text inside one passage (each a run of aligned pairs) ->
    the same, those that follow each other joined into one: in order on both sides, in
    the same or the next paragraph of the copy, and no more than BRIDGE_WORDS apart on
    either side. What lies between is text the copy inserted, or dropped, inside a
    copied paragraph (a clause, a sentence): part of one member, not a cut."""
    ordered = sorted(occurrences, key=lambda pairs: pairs[0][1])
    joined = [list(ordered[0])]
    for pairs in ordered[1:]:
        last = joined[-1][-1]
        first = pairs[0]
        follows = first[0] > last[0] and first[1] > last[1]
        near = first[0] - last[0] - 1 <= BRIDGE_WORDS and first[1] - last[1] - 1 <= BRIDGE_WORDS
        if follows and near and paras[first[1]] - paras[last[1]] <= 1:
            joined[-1].extend(pairs)
        else:
            joined.append(list(pairs))
    return joined


def _adjacent(pairs: list[Pair], paras: list[int]) -> list[list[Pair]]:
    """aligned pairs -> the runs of them whose copy-side paragraphs are adjacent: a copy
    that put a paragraph of its own between two parts of the text has a member for each."""
    if paras[pairs[-1][1]] - paras[pairs[0][1]] <= 1:
        return [pairs]  # the copy side increases: no two pairs further apart than the ends
    runs = [[pairs[0]]]
    for prev, pair in zip(pairs, pairs[1:], strict=False):
        if paras[pair[1]] - paras[prev[1]] > 1:
            runs.append([])
        runs[-1].append(pair)
    return runs


def _occurrences(rep_keys: list[int], keys: list[int], max_gap: int, min_words: int) -> list[list[Pair]]:
    """the representative's and a copy's keys (masked) -> each occurrence of shared text
    as aligned pairs. A copy may carry the representative's text more than once or out
    of order: what it matched is masked and it is aligned again. The representative may
    carry the copy's text more than once: its side is masked instead, and again."""
    found = repeated_runs(rep_keys, list(keys), max_gap, min_words, MAX_OCCURRENCES, mask_a=False)
    if found:
        other = list(rep_keys)
        for r, _, n in (run for stretch in found for run in stretch):
            other[r : r + n] = range(-1 - 2 * r, -1 - 2 * (r + n), -2)
        found += repeated_runs(other, list(keys), max_gap, min_words, MAX_OCCURRENCES - 1, mask_b=False)
    return [pairs_of(runs) for runs in found]


def _round(units: list[_Unit], rep_index: int, max_gap: int, min_words: int) -> list[tuple[list[_Draft], int]]:
    """align every unit with text left to the representative -> the segments found, each
    with the number of the representative's tokens in it that some copy shares."""
    rep = units[rep_index]
    rep_keys = rep.masked(0)
    maps: list[tuple[int, list[Pair]]] = []  # (unit, aligned pairs) per occurrence of shared text
    # Verbatim copies are the same keys, masked alike: aligned once, the pairs shared
    # (never changed in place).
    aligned: dict[tuple[int, ...], list[list[Pair]]] = {}
    for u, unit in enumerate(units):
        if u == rep_index or unit.uncovered() < min_words:
            continue
        keys = unit.masked(1)
        same = tuple(keys)
        found = aligned.get(same)
        if found is None:
            found = aligned[same] = _occurrences(rep_keys, keys, max_gap, min_words)
        maps.extend((u, pairs) for pairs in found)
    # Each occurrence with its representative-side indices (increasing): both _cuts and
    # the segments below find pairs in it by bisection.
    located = [(u, pairs, [r for r, _ in pairs]) for u, pairs in maps]
    cuts = _cuts(rep, located, units) if located else []
    member_min = max(MIN_RUN, min_words // 2)
    end = len(rep.keys)
    segments = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        by_unit: dict[int, list[list[Pair]]] = defaultdict(list)
        for u, pairs, reps in located:
            inside = pairs[bisect_left(reps, lo) : bisect_left(reps, hi)]
            if inside:
                by_unit[u].extend(_adjacent(inside, units[u].paras))
        found = [
            (u, inside)
            for u, occurrences in by_unit.items()
            for inside in _bridged(occurrences, units[u].paras)
            if len(inside) >= member_min
        ]
        copies, rep_lo, rep_hi, best = [], end, -1, 0
        shared: set[int] = set()  # the representative's tokens some copy carries
        taken: dict[int, list[_Draft]] = defaultdict(list)  # unit -> its copies so far
        # Largest first; a copy's place that overlaps one already taken is the same place.
        for u, inside in sorted(found, key=lambda f: (-len(f[1]), f[0], f[1][0])):
            draft = _Draft(u, inside[0][1], inside[-1][1], len(inside))
            if any(d.lo <= draft.hi and draft.lo <= d.hi for d in taken[u]):
                continue
            copies.append(draft)
            taken[u].append(draft)
            # Its pairs increase on the representative's side too: its first and last are its extent there.
            rep_lo, rep_hi = min(rep_lo, inside[0][0]), max(rep_hi, inside[-1][0])
            best = max(best, len(inside))
            shared.update(r for r, _ in inside)
        if best < min_words:
            continue
        # The passage is the text the copies share: the representative carries all of it,
        # as one member, or one for each part between paragraphs of its own.
        segment = [*_rep_drafts(rep, rep_index, rep_lo, rep_hi, shared), *copies]
        for d in segment:
            units[d.unit].covered[d.lo : d.hi + 1] = [True] * (d.hi - d.lo + 1)
        segments.append((segment, len(shared)))
    return segments


def _rep_drafts(rep: _Unit, index: int, lo: int, hi: int, shared: set[int]) -> list[_Draft]:
    """the representative's tokens [lo, hi] in a passage -> its members: one for each run
    of them in adjacent paragraphs (it may have put a paragraph of its own between two
    parts of a paragraph that the copies keep whole)."""
    parts, start = [], lo
    for i in range(lo + 1, hi + 1):
        if rep.paras[i] - rep.paras[i - 1] > 1:
            parts.append((start, i - 1))
            start = i
    parts.append((start, hi))
    return [_Draft(index, a, b, sum(1 for r in shared if a <= r <= b)) for a, b in parts]


# What joins two tokens into one written word: "Baghdad's", "al-Sudani".
_JOINERS = "'\u2019\u2018-\u2010\u2011"


def _spaced(ch: str) -> bool:
    """a letter or digit of a script that separates words with spaces (not CJK, not Thai)."""
    return ch.isalnum() and not ("\u0e00" <= ch <= "\u0eff" or "\u2e80" <= ch <= "\ufaff" or ch >= "\U00020000")


# Punctuation that belongs to the word beside it: an opening quote, a closing full stop.
_OPENING = "\"'\u201c\u2018\u201e\u00ab([\u3010\u300c\u300e"
_CLOSING = (
    "\"'\u201d\u2019\u00bb)].,;:!?\u2026\u3002\uff0c\uff01\uff1f\u3011\u300d\u300f"
    "\u060c\u061b\u061f\u06d4\u0964\u0965"  # Arabic comma, semicolon, question mark; Urdu and Devanagari stops
)


def _member(unit: _Unit, draft: _Draft, passage_tokens: int) -> Member:
    """a draft -> its Member: from its first whole word to its last, with the punctuation
    attached to them (an opening quote, a closing full stop). It may span paragraphs.
    Its coverage: its tokens aligned with the representative's, of `passage_tokens`."""
    lo, hi = draft.lo, draft.hi

    def where(i: int) -> tuple[str, int, int]:  # token i -> (its paragraph's text, start, end in it)
        return unit.paragraphs[unit.paras[i]].text, unit.starts[i], unit.ends[i]

    def glued_before(i: int) -> bool:  # "s" of "Baghdad's": the word goes on to the left
        text, s, _ = where(i)
        j = s
        while j > 0 and text[j - 1] in _JOINERS:
            j -= 1
        return j > 0 and _spaced(text[j - 1]) and _spaced(text[s])

    def glued_after(i: int) -> bool:  # "Baghdad" of "Baghdad's"
        text, _, j = where(i)
        e = j
        while j < len(text) and text[j] in _JOINERS:
            j += 1
        return j < len(text) and _spaced(text[j]) and _spaced(text[e - 1])

    # A member starts and ends on whole words: a shared "s" of "Baghdad's" is not a start.
    while lo < hi and glued_before(lo) and unit.paras[lo + 1] == unit.paras[lo]:
        lo += 1
    while hi > lo and glued_after(hi) and unit.paras[hi - 1] == unit.paras[hi]:
        hi -= 1
    first, last = unit.paragraphs[unit.paras[lo]], unit.paragraphs[unit.paras[hi]]
    text, s, _ = where(lo)
    if not glued_before(lo):
        while s > 0 and text[s - 1] in _OPENING:
            s -= 1
    text, _, e = where(hi)
    if not glued_after(hi):
        while e < len(text) and text[e] in _CLOSING:
            e += 1
    start, end = first.start + s, last.start + e
    indices = tuple(range(first.index, last.index + 1))
    if first is last:
        text = first.text[s:e]
    else:
        whole = "".join(unit.paragraphs[i].text + unit.paragraphs[i].gap_after for i in indices)
        text = whole[start - first.start : end - first.start]
    return Member(
        doc_id=unit.doc_id,
        outlet=unit.outlet,
        published=unit.published,
        start=start,
        end=end,
        paragraphs=indices,
        text=text,
        credits=unit.credits,
        coverage=round(min(1.0, draft.aligned / passage_tokens), 4) if passage_tokens else 1.0,
    )


# A unit with this share of the most text left, or more, may stand for the source story.
NEAR_COMPLETE = 0.75


def _representative(units: list[_Unit], left: list[int], wire_of: Callable[[str | None], str | None]) -> int:
    """-> the unit whose paragraphs the next passages are: among those nearly as complete
    as the most complete (NEAR_COMPLETE), the likeliest source of the story: an agency's
    own wire, then a copy that credits an agency, then the earliest published, then the
    most complete."""
    distinct = {u: units[u].distinct_uncovered() for u in left}
    floor = NEAR_COMPLETE * max(distinct.values())

    def rank(u: int):
        unit = units[u]
        source = (wire_of(unit.outlet) is None, not unit.credits, published_key(unit.published))
        return (*source, -distinct[u], unit.doc_id)

    return min((u for u in left if distinct[u] >= floor), key=rank)


def segment_cluster(
    pieces: Sequence[Piece],
    max_gap: int,
    min_words: int,
    wire_of: Callable[[str | None], str | None] = lambda outlet: None,
) -> list[list[Member]]:
    """the pieces of one cluster -> its passages, each a list of Members (kinds not yet
    set); `wire_of(outlet)` names the agency an outlet is, if any."""
    vocabulary = Vocabulary()
    units = _units(pieces, vocabulary)
    done: set[int] = set()
    segments: list[tuple[list[_Draft], int]] = []
    while True:
        left = [u for u in range(len(units)) if u not in done and units[u].uncovered() >= min_words]
        if len(left) < 2:
            break
        rep = _representative(units, left, wire_of)
        found = _round(units, rep, max_gap, min_words)
        if not found:
            done.add(rep)
        segments.extend(found)
    return [[_member(units[d.unit], d, tokens) for d in segment] for segment, tokens in segments]
