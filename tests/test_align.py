"""transforms.align: shared stretches of two token sequences, and exact spans of two paragraphs."""

from hypothesis import given
from hypothesis import strategies as st

from transforms.align import (
    MAX_PASSES,
    MIN_SIMILARITY,
    Vocabulary,
    _identical_runs,
    align_paragraphs,
    align_spans,
    pairs_of,
    repeated_runs,
    repeated_stretches,
    shared_stretches,
)
from transforms.components import span_pair
from transforms.model import Paragraph, ParagraphText
from transforms.text import tokenize

WIRE = (
    "Secretary of State Antony Blinken arrived in Baghdad on Sunday and held talks with Iraqi Prime "
    "Minister Mohammed Shia al-Sudani about attacks on American troops."
)


def _keys(*texts):
    vocabulary = Vocabulary()
    return [vocabulary.keys([t.norm for t in tokenize(text)]) for text in texts]


def test_identical_text_is_one_stretch_of_every_word():
    a, b = _keys(WIRE, WIRE)
    assert shared_stretches(a, b, max_gap=5, min_words=8) == [[(i, i) for i in range(len(a))]]


def test_small_edits_stay_inside_one_stretch():
    edited = WIRE.replace("Antony Blinken", "Mr. Antony Blinken").replace("held talks", "had talks")
    a, b = _keys(WIRE, edited)
    (stretch,) = shared_stretches(a, b, max_gap=5, min_words=8)
    assert len(stretch) == len(a) - 1  # every word but "held"
    assert stretch[0] == (0, 0) and stretch[-1] == (len(a) - 1, len(b) - 1)


def test_a_long_insertion_splits_the_stretch():
    own = "Our own reporter in the city saw long queues at the petrol stations all through the day."
    half = WIRE.index(" and held")
    a, b = _keys(WIRE, WIRE[:half] + " " + own + WIRE[half:])
    assert len(shared_stretches(a, b, max_gap=5, min_words=8)) == 2
    # Bridging the whole insertion takes a gap as long as it.
    assert len(shared_stretches(a, b, max_gap=len(tokenize(own)), min_words=8)) == 1


def test_short_stray_runs_at_the_ends_are_not_shared_text():
    a = [1, 2, 50, 51, 52, 53, 54, 55, 56, 57, 58, 3]
    b = [1, 2, 9, 9, 9, 50, 51, 52, 53, 54, 55, 56, 57, 58, 9, 9, 9, 3]
    (stretch,) = shared_stretches(a, b, max_gap=5, min_words=8)
    assert stretch == [(i, i + 3) for i in range(2, 11)]


def test_a_short_run_two_edits_from_the_stretch_is_kept():
    # "Based risks Mr. reportedly harir talking ...": a changed word and an inserted one
    # after the first two words keep those words in the copy.
    a = [1, 2, 3, 50, 51, 52, 53, 54, 55, 56, 57, 58]
    b = [1, 2, 8, 9, 50, 51, 52, 53, 54, 55, 56, 57, 58]
    (stretch,) = shared_stretches(a, b, max_gap=5, min_words=8)
    assert stretch[:2] == [(0, 0), (1, 1)]


def test_a_stretch_grows_over_a_word_the_lcs_matched_elsewhere():
    # "To anyone ... to send a message to anyone ...": the LCS may match the second "to"
    # (key 7) to the first; the stretch still starts on it.
    a = [7, 50, 51, 52, 53, 54, 55, 56, 57, 58]
    b = [7, 60, 61, 62, 63, 64, 65, 66, 7, 50, 51, 52, 53, 54, 55, 56, 57, 58]
    stretches = shared_stretches(a, b, max_gap=5, min_words=8)
    assert stretches[0][0] == (0, 8)


def test_too_few_shared_words_is_no_stretch():
    a, b = _keys("the talks in Baghdad were about the militias", "the talks in Baghdad were long")
    assert shared_stretches(a, b, max_gap=5, min_words=8) == []


def test_negative_keys_never_match():
    a = [-1, -3, -5, -7, -9, -11, -13, -15, -17]
    assert shared_stretches(a, a, max_gap=5, min_words=3) == []


@given(st.lists(st.integers(0, 6), max_size=60), st.lists(st.integers(0, 6), max_size=60), st.integers(0, 6))
def test_stretches_are_increasing_equal_and_long_enough(a, b, max_gap):
    for stretch in shared_stretches(a, b, max_gap=max_gap, min_words=4):
        assert len(stretch) >= 4
        assert all(a[i] == b[j] for i, j in stretch)
        assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in zip(stretch, stretch[1:], strict=False))


def test_align_paragraphs_reports_exact_offsets_of_the_shared_part_only():
    a_doc = f"Headline\n\n{WIRE} Officials said more talks would follow next week in the capital."
    b_doc = f"Intro.\n\nBAGHDAD (AFP) - {WIRE.replace('Sunday', 'Sunday,')}"
    a_start, b_start = a_doc.index("Secretary"), b_doc.index("BAGHDAD")
    a = Paragraph("a", 1, a_start, len(a_doc), a_doc[a_start:])
    b = Paragraph("b", 1, b_start, len(b_doc), b_doc[b_start:])
    (match,) = align_paragraphs(a, b, max_gap=5, min_words=8)
    # From the first shared word up to the next word (or the paragraph's end).
    assert a_doc[match.a_start : match.a_end] == WIRE + " "
    assert b_doc[match.b_start : match.b_end] == WIRE.replace("Sunday", "Sunday,")
    assert (match.a, match.b) == (("a", 1), ("b", 1))
    assert match.words == len(tokenize(WIRE)) and match.similarity == 1.0


def test_reworded_text_is_not_a_shared_stretch_but_a_light_edit_is():
    # seeds 000 and 001: eight words in common in a rewording (similarity 0.62) is not
    # copy; the same sentence with a name added and a date changed is.
    original = (
        "to anyone who might seek to take advantage of the conflict in Gaza "
        "to threaten our personnel here or anywhere else in the region"
    )
    reworded = "to anyone who might exploit the Gaza conflict to threaten U.S. personnel in the region"
    edited = original.replace("our", "U.S.").replace("else ", "")
    a = Paragraph("a", 0, 0, len(original), original)
    assert align_paragraphs(a, Paragraph("b", 0, 0, len(reworded), reworded), 5, 8) == []
    (match,) = align_paragraphs(a, Paragraph("b", 0, 0, len(edited), edited), 5, 8)
    assert match.similarity >= MIN_SIMILARITY


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=12), st.lists(st.sampled_from(["c", "e"]), max_size=5))
def test_vocabulary_gives_equal_words_equal_keys_and_keeps_them(first, second):
    vocabulary = Vocabulary()
    keys = vocabulary.keys(first)
    assert all(k >= 0 for k in keys)  # negative keys are the aligner's masks
    again = vocabulary.keys(first + second)
    assert again[: len(first)] == keys
    assert [again[i] == again[j] for i in range(len(again)) for j in range(len(again))] == [
        a == b for a in first + second for b in first + second
    ]


_tokens = st.lists(st.integers(0, 5), max_size=40)


@given(_tokens, _tokens, st.permutations(range(6)), st.integers(1, 4), st.integers(2, 6))
def test_stretches_depend_only_on_which_keys_are_equal(a, b, relabel, max_gap, min_words):
    # Vocabulary numbers words by a counter with gaps, not 0, 1, 2...: the stretches
    # must not change when the words get other numbers.
    spread = [10**6 + 7 * k for k in relabel]
    found = repeated_stretches(list(a), list(b), max_gap, min_words, 3)
    assert repeated_stretches([spread[k] for k in a], [spread[k] for k in b], max_gap, min_words, 3) == found


def _repeated_by_counting(a, b, max_gap, min_words, passes, mask_a, mask_b):
    """repeated_stretches as first written: the words left on each side counted afresh
    after every pass."""
    found = []
    for _ in range(passes):
        stretches = shared_stretches(a, b, max_gap, min_words)
        if not stretches:
            break
        found.extend(stretches)
        for i, j in (p for stretch in stretches for p in stretch):
            if mask_a:
                a[i] = -1 - 2 * i
            if mask_b:
                b[j] = -2 - 2 * j
        if min(sum(k >= 0 for k in a), sum(k >= 0 for k in b)) < min_words:
            break
    return found


@st.composite
def _text_and_copy(draw):
    """keys of a text (some masked), and of a copy made of two of its parts (text moved or repeated)."""
    a = [-1 - 2 * i if k < 0 else k for i, k in enumerate(draw(st.lists(st.integers(-1, 7), min_size=4, max_size=40)))]
    cuts = sorted(draw(st.lists(st.integers(0, len(a)), min_size=4, max_size=4)))
    b = a[cuts[2] : cuts[3]] + draw(st.lists(st.integers(0, 5), max_size=3)) + a[cuts[0] : cuts[1]]
    return a, [k - 1 if k < 0 else k for k in b]  # a masked key of b is even: never equal to a's


@given(_text_and_copy(), st.booleans(), st.booleans())
def test_repeated_stretches_find_what_aligning_and_masking_again_finds(keys, mask_a, mask_b):
    a, b = keys
    expected = _repeated_by_counting(list(a), list(b), 1, 3, 3, mask_a, mask_b)
    assert repeated_stretches(list(a), list(b), 1, 3, 3, mask_a, mask_b) == expected


_WORDS = ["the", "minister", "said", "on", "Sunday", "talks", "Baghdad", "troops", "(AFP)", "-", "Mr."]


@st.composite
def _paragraph_pair(draw):
    """two paragraphs of one small vocabulary (so they share stretches), the second
    sometimes opening with a dateline, each somewhere in its document."""
    a = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=40)))
    b = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=40)))
    if draw(st.booleans()):
        b = "BAGHDAD (AFP) - " + b
    a_at, b_at = draw(st.integers(0, 900)), draw(st.integers(0, 900))
    return (
        Paragraph("a", draw(st.integers(0, 5)), a_at, a_at + len(a), a),
        Paragraph("b", draw(st.integers(0, 5)), b_at, b_at + len(b), b),
    )


@given(_paragraph_pair(), st.integers(0, 5), st.integers(1, 8))
def test_align_spans_are_the_span_pairs_of_align_paragraphs(pair, max_gap, min_words):
    a, b = pair
    expected = [span_pair(match) for match in align_paragraphs(a, b, max_gap, min_words)]
    text_a = ParagraphText(a.doc_id, a.index, a.start, a.text)
    found = align_spans(text_a, b.text, b.start, max_gap, min_words)
    assert [((a.doc_id, s, e), (b.doc_id, t, u)) for s, e, t, u in found] == expected


@given(_text_and_copy(), st.booleans(), st.booleans())
def test_repeated_runs_are_the_stretches_as_runs_and_told_counts_change_nothing(keys, mask_a, mask_b):
    a, b = keys
    expected = repeated_stretches(list(a), list(b), 1, 3, 3, mask_a, mask_b)
    left = (sum(k >= 0 for k in a), sum(k >= 0 for k in b))
    for told in (None, left):
        runs = repeated_runs(list(a), list(b), 1, 3, 3, mask_a, mask_b, left=told)
        assert [pairs_of(stretch) for stretch in runs] == expected
        assert all(n > 0 for stretch in runs for _, _, n in stretch)


@given(st.lists(st.integers(0, 6), max_size=30), st.integers(0, 4), st.integers(0, 5), st.integers(1, 8))
def test_a_paragraph_aligned_with_itself_is_what_the_lcs_finds(keys, dateline, max_gap, min_words):
    """The shortcut for verbatim copies (_identical_runs) against aligning the paragraph
    with itself, its dateline masked on each side as _align_texts masks it."""
    dateline = min(dateline, len(keys))
    a = [-1 - 2 * i for i in range(dateline)] + keys[dateline:]
    b = [-2 - 2 * i for i in range(dateline)] + keys[dateline:]
    expected = repeated_runs(a, b, max_gap, min_words, MAX_PASSES)
    assert _identical_runs(dateline, len(keys), min_words) == expected
