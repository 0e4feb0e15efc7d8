"""Local alignment of two token sequences: where they share text. Pure, no Beam.

The aligner is rapidfuzz's Indel (LCS) opcodes over integer token keys. Its equal runs
are chained into shared stretches: runs separated by at most `max_gap` unmatched tokens
on either side (an inserted "Mr.", a changed word) stay one stretch; a longer gap (an
outlet's own sentence, a dropped sentence) starts a new one. Stray words at either
end of a stretch ("of the") are not shared text: an end block (equal runs that at most
two words part on each side) of fewer than MIN_RUN words is dropped. A paragraph's opening dateline
("BAGHDAD (AFP) -") is a credit, not copy, and is never aligned.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from itertools import count

from rapidfuzz.distance import Indel

from transforms.model import Paragraph, ParagraphText, SpanMatch
from transforms.text import dateline_end, words

# Equal runs shorter than this are trimmed off the ends of a stretch.
MIN_RUN = 3
# Alignments of one paragraph pair: the first, then again for text moved within it.
MAX_PASSES = 3
# A stretch whose aligned words are fewer than this share of its words (2 * aligned /
# words of both spans) is reworded text, not a light edit: not shared copy (yet).
MIN_SIMILARITY = 0.65

# One aligned token: (index in a, index in b).
Pair = tuple[int, int]


class Vocabulary:
    """Normalised token -> a non-negative int, so that sequences compare as integer lists.

    Keys are local to one vocabulary; only equality matters (the aligner's result
    depends on which tokens are equal, not on their numbers).
    """

    def __init__(self):
        self._ids: dict[str, int] = {}
        self._next = count()

    def keys(self, norms: Sequence[str]) -> list[int]:
        """normalised tokens -> their ints: a token seen before keeps its int, a new one
        takes the next number of a counter that every token asked for moves on (so
        numbers are unique, with gaps), all in one C-level pass."""
        return list(map(self._ids.setdefault, norms, self._next))


# One equal run: (index in a, index in b, length): the pairs (i + k, j + k), k < length.
Run = tuple[int, int, int]


def pairs_of(runs: Sequence[Run]) -> list[Pair]:
    """equal runs -> their aligned token pairs, in order."""
    return [(i + k, j + k) for i, j, n in runs for k in range(n)]


def shared_stretches(a: Sequence[int], b: Sequence[int], max_gap: int, min_words: int) -> list[list[Pair]]:
    """two key sequences -> the stretches of text they share, each a list of aligned
    token index pairs (increasing in both), with at least `min_words` pairs.

    Negative keys never match anything: callers use them to mask tokens out.
    """
    return [pairs_of(runs) for runs in shared_runs(a, b, max_gap, min_words)]


def shared_runs(a: Sequence[int], b: Sequence[int], max_gap: int, min_words: int) -> list[list[Run]]:
    """shared_stretches, each stretch as its equal runs (pairs_of gives its pairs): no
    Python work per word, only per run."""
    # The opcodes as plain tuples (tag, a start, a end, b start, b end): no Opcode object each.
    runs = [
        (a_start, b_start, a_end - a_start)
        for tag, a_start, a_end, b_start, _ in Indel.opcodes(a, b).as_list()
        if tag == "equal" and a[a_start] >= 0
    ]
    stretches: list[list[Run]] = []
    for run in runs:
        last = stretches[-1][-1] if stretches else None
        if last and run[0] - (last[0] + last[2]) <= max_gap and run[1] - (last[1] + last[2]) <= max_gap:
            stretches[-1].append(run)
        else:
            stretches.append([run])
    out: list[list[Run]] = []
    for stretch in stretches:
        blocks = _blocks(stretch)
        while blocks and sum(n for _, _, n in blocks[0]) < MIN_RUN:
            blocks = blocks[1:]
        while blocks and sum(n for _, _, n in blocks[-1]) < MIN_RUN:
            blocks = blocks[:-1]
        kept = [run for block in blocks for run in block]
        if sum(n for _, _, n in kept) >= min_words:
            out.append(kept)
    grown: list[list[Run]] = []
    for k, runs in enumerate(out):
        before = _last_pair(grown[-1]) if grown else (-1, -1)
        after = out[k + 1][0][:2] if k + 1 < len(out) else (len(a), len(b))
        grown.append(_extended(runs, a, b, before, after))
    return grown


def _last_pair(runs: Sequence[Run]) -> Pair:
    i, j, n = runs[-1]
    return i + n - 1, j + n - 1


def _blocks(runs: list[Run]) -> list[list[Run]]:
    """equal runs -> blocks of runs that at most two words part on each side (a changed
    word, an inserted "Mr."): a stretch is trimmed block by block, not run by run."""
    blocks = [[runs[0]]] if runs else []
    for run in runs[1:]:
        i, j, n = blocks[-1][-1]
        if run[0] - (i + n) <= 2 and run[1] - (j + n) <= 2:
            blocks[-1].append(run)
        else:
            blocks.append([run])
    return blocks


def _extended(runs: list[Run], a: Sequence[int], b: Sequence[int], before: Pair, after: Pair) -> list[Run]:
    """a stretch, grown over the equal tokens just before and after it (strictly between
    `before` and `after`): where the LCS matched a word twice over ("to" in "To anyone
    ... to send"), it may have taken the other one, and the stretch would start late."""
    i, j, _ = runs[0]
    head = 0
    while i - 1 > before[0] and j - 1 > before[1] and a[i - 1] >= 0 and a[i - 1] == b[j - 1]:
        i, j, head = i - 1, j - 1, head + 1
    first_i, first_j = i, j
    i, j = _last_pair(runs)
    tail = 0
    while i + 1 < after[0] and j + 1 < after[1] and a[i + 1] >= 0 and a[i + 1] == b[j + 1]:
        i, j, tail = i + 1, j + 1, tail + 1
    if not head and not tail:
        return runs
    return ([(first_i, first_j, head)] if head else []) + runs + ([(i - tail + 1, j - tail + 1, tail)] if tail else [])


def _next_word(starts: Sequence[int], i: int, length: int) -> int:
    """where the word after word i starts (the paragraph's length after the last word)."""
    return starts[i + 1] if i + 1 < len(starts) else length


# Normalised word -> int for the keyed paragraphs of this process: only equality matters.
_WORDS = Vocabulary()


# Paragraphs keyed per worker process: more than one alignment batch (a shard's part)
# holds at 100,000 documents (about 5,000), so that a batch's paragraphs stay cached
# while it is aligned; an LRU smaller than the texts a batch cycles through hits almost
# never. About 2 KB a paragraph.
KEYED_CACHE = 1 << 15


@lru_cache(maxsize=KEYED_CACHE)
def _keyed(text: str) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """a paragraph -> (where its words start, their keys, how many of them are its
    opening dateline), cached: one paragraph is aligned with each of its candidates in turn."""
    # words' own cache never hits here (a text it holds was keyed since, and this cache is the larger).
    found = words.__wrapped__(text)
    return found.starts, tuple(_WORDS.keys(found.norms)), bisect_left(found.starts, dateline_end(text))


def forget_alignments() -> None:
    """Drops this process's alignment caches (_keyed, _align_texts) and its vocabulary:
    hundreds of MB in a worker that aligned the pairs of a large run, of no use to the
    steps after it. The next alignment starts afresh, with the same results."""
    global _WORDS
    _keyed.cache_clear()
    _align_texts.cache_clear()
    _WORDS = Vocabulary()


def repeated_stretches(
    a: list[int],
    b: list[int],
    max_gap: int,
    min_words: int,
    passes: int,
    mask_a: bool = True,
    mask_b: bool = True,
) -> list[list[Pair]]:
    """shared_stretches, again and again (up to `passes` times), each time masking what
    matched (negative keys, odd in a, even in b) on the sides asked for -> every stretch
    found. Stops when a pass finds nothing or too few words are left on a side. The
    masked lists are changed in place."""
    return [pairs_of(runs) for runs in repeated_runs(a, b, max_gap, min_words, passes, mask_a, mask_b)]


def repeated_runs(
    a: list[int],
    b: list[int],
    max_gap: int,
    min_words: int,
    passes: int,
    mask_a: bool = True,
    mask_b: bool = True,
    left: tuple[int, int] | None = None,
) -> list[list[Run]]:
    """repeated_stretches, each stretch as its equal runs (shared_runs). `left`: how many
    keys of a and of b are unmasked (0 or more), if the caller knows (else counted)."""
    found: list[list[Run]] = []
    # Unmasked words left on each side. A matched pair is two equal unmasked keys, and a
    # masked key never matches again, so each pass masks only words not masked before.
    left_a, left_b = left if left is not None else (sum(map(_NOT_NEGATIVE, a)), sum(map(_NOT_NEGATIVE, b)))
    for _ in range(passes):
        stretches = shared_runs(a, b, max_gap, min_words)
        if not stretches:
            break
        found.extend(stretches)
        matched = 0
        for i, j, n in (run for stretch in stretches for run in stretch):
            if mask_a:
                a[i : i + n] = range(-1 - 2 * i, -1 - 2 * (i + n), -2)
            if mask_b:
                b[j : j + n] = range(-2 - 2 * j, -2 - 2 * (j + n), -2)
            matched += n
        left_a -= matched if mask_a else 0
        left_b -= matched if mask_b else 0
        if min(left_a, left_b) < min_words:
            break
    return found


_NOT_NEGATIVE = (0).__le__  # key -> whether it is 0 or more (unmasked), in C


def _identical_runs(dateline: int, length: int, min_words: int) -> list[list[Run]]:
    """repeated_runs of a paragraph with itself (both datelines masked) -> the one
    stretch, with no LCS run: every unmasked word of a must be matched, in order, to an
    unmasked word of b, so the only longest alignment is the identity past the dateline
    (one equal run, nothing to grow, then nothing left to align again). Verbatim copies
    are about a tenth of the paragraph pairs verified."""
    n = length - dateline
    return [[(dateline, dateline, n)]] if n >= MIN_RUN and n >= min_words else []


# A shared stretch of two texts, in offsets into each: (a_start, a_end, a_reach,
# b_start, b_end, b_reach, words, similarity).
_Stretch = tuple[int, int, int, int, int, int, int, float]


@lru_cache(maxsize=1 << 16)
def _align_texts(text_a: str, text_b: str, max_gap: int, min_words: int) -> tuple[_Stretch, ...]:
    """two paragraph texts -> their shared stretches, cached: wire copy repeats the same
    paragraph texts (every verbatim copy, every copy trimmed the same way), so the same
    two texts come up again and again in different pairs of documents."""
    (starts_a, keyed_a, dateline_a), (starts_b, keyed_b, dateline_b) = _keyed(text_a), _keyed(text_b)
    if text_a == text_b:
        found = _identical_runs(dateline_a, len(keyed_a), min_words)
    else:
        # A dateline ("BAGHDAD (AFP) -") is a credit, not copy: its words match nothing.
        keys_a = list(range(-1, -1 - 2 * dateline_a, -2)) + list(keyed_a[dateline_a:])
        keys_b = list(range(-2, -2 - 2 * dateline_b, -2)) + list(keyed_b[dateline_b:])
        # One LCS keeps one order; text moved within the paragraph is found by aligning
        # again. Stretches sort by their first pair: no two start on one word of a (it is masked).
        left = (len(keyed_a) - dateline_a, len(keyed_b) - dateline_b)  # keys are 0 or more
        found = repeated_runs(keys_a, keys_b, max_gap, min_words, MAX_PASSES, left=left)
    out = []
    for runs in sorted(found):
        (i0, j0, _), (i1, j1) = runs[0], _last_pair(runs)
        aligned = sum(n for _, _, n in runs)
        # A span runs on to the next word, so that spans of one paragraph with no word
        # between them (a merge, a split) touch and become one node of a cluster.
        span_tokens = (i1 - i0 + 1) + (j1 - j0 + 1)
        if 2 * aligned < MIN_SIMILARITY * span_tokens:
            continue
        out.append(
            (
                starts_a[i0],
                _next_word(starts_a, i1, len(text_a)),
                len(text_a),
                starts_b[j0],
                _next_word(starts_b, j1, len(text_b)),
                len(text_b),
                aligned,
                round(2 * aligned / span_tokens, 4),
            )
        )
    return tuple(out)


def align_spans(a: ParagraphText, b_text: str, b_start: int, max_gap: int, min_words: int) -> list[tuple[int, ...]]:
    """a paragraph, and another one's text and where it starts in its document -> for
    each stretch of text they share, (a_start, a_end, b_start, b_end): the two spans
    clustering needs (transforms.components.span_pair of align_paragraphs' SpanMatch,
    each running on to its reach), without a SpanMatch made."""
    at = a.start
    return [
        (at + a_start, at + max(a_end, a_reach), b_start + b_from, b_start + max(b_end, b_reach))
        for a_start, a_end, a_reach, b_from, b_end, b_reach, _, _ in _align_texts(a.text, b_text, max_gap, min_words)
    ]


def align_paragraphs(a: Paragraph | ParagraphText, b: Paragraph, max_gap: int, min_words: int) -> list[SpanMatch]:
    """two paragraphs -> one SpanMatch per stretch of text they share, with exact
    character offsets into each document: only the shared part of each paragraph,
    from its first shared word up to the word after its last one. The whole match
    (words, similarity, reach): the job itself takes only the two spans (align_spans),
    which the tests hold to this."""
    return [
        SpanMatch(
            a=a.ref,
            a_start=a.start + a_start,
            a_end=a.start + a_end,
            b=b.ref,
            b_start=b.start + b_start,
            b_end=b.start + b_end,
            words=words,
            similarity=similarity,
            a_reach=a.start + a_reach,
            b_reach=b.start + b_reach,
        )
        for a_start, a_end, a_reach, b_start, b_end, b_reach, words, similarity in _align_texts(
            a.text, b.text, max_gap, min_words
        )
    ]
