"""Copy or rewrite: whether a text that shares words with another, in order, copied it
(however edited) or rewrote it. Pure, no Beam.

    copies(words, other) -> bool | None  words copy the other's (None: too little shared to say)
    rewritten(words, others) -> bool     words rewrite each of `others`, not copy any of them
    same_sentence(words, other) -> bool  two sentences keep each other's words: an edited copy

A copy, however edited (a word changed, an honorific or a sentence inserted, the end
cut), keeps its source's words in long runs and leaves few of them out of the stretch
it carries. A rewrite changes words throughout: what it keeps comes in short runs, and
a good part of the source's words in the stretch it rewords are gone. Against another
text, two measures of the words they share, in order (an Indel alignment):

- the run share: of the shared words, those in runs of RUN or more;
- the density: of the other's words from the first shared one to the last, those shared.

A text rewrote the others when against each of them (that shares MIN_SHARED words or
more with it) its run share is under COPY_RUNS and the density under COPY_DENSITY. On
the benchmark's corpus (benchmarks/rewrites.py), these flag 0.3% of true copies and
82% of the copies found inside rewritten paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz.distance import Indel

RUN = 4  # words in a row that make a run
COPY_RUNS = 0.85  # a copy keeps at least this share of what it shares in runs
COPY_DENSITY = 0.9  # and leaves out less than the rest of its source's stretch
MIN_SHARED = 8  # words two texts share, in order, to say anything of them
SAME = 0.85  # of each of two sentences' words, the share the other keeps in order, for one to copy the other


def likeness(words: Sequence, other: Sequence) -> tuple[float, float] | None:
    """two texts' words (any hashable tokens) -> (run share, density) of what they share
    (see the module); None if they share fewer than MIN_SHARED words."""
    shared = in_runs = 0
    first = last = None
    for tag, a0, a1, b0, b1 in Indel.opcodes(words, other).as_list():
        if tag != "equal":
            continue
        shared += a1 - a0
        in_runs += a1 - a0 if a1 - a0 >= RUN else 0
        first = b0 if first is None else first
        last = b1
    if shared < MIN_SHARED:
        return None
    return in_runs / shared, shared / (last - first)


def copies(words: Sequence, other: Sequence) -> bool | None:
    """a text's words, another's -> whether it copies it (see the module); None if they
    share too little to say."""
    measured = likeness(words, other)
    if measured is None:
        return None
    runs, density = measured
    return runs >= COPY_RUNS or density >= COPY_DENSITY


def rewritten(words: Sequence, others: Iterable[Sequence]) -> bool:
    """a text's words, other texts' -> whether it rewrote them (see the module): False if
    it copies one of them, or shares too little with all to say."""
    said = [c for other in others if (c := copies(words, other)) is not None]
    return bool(said) and not any(said)


def same_sentence(words: Sequence, other: Sequence) -> bool:
    """two sentences' words -> whether each keeps SAME of the other's, in order: a copy
    with a word or two changed or added, however they were found. (Whole sentences,
    unlike `copies`, whose texts may be parts cut anywhere: a rewrite that moves a
    clause keeps it whole, and only the share of each sentence tells it from a copy.)"""
    if not words or not other:
        return False
    shared = (len(words) + len(other) - Indel.distance(words, other)) // 2
    return shared >= SAME * len(words) and shared >= SAME * len(other)
