"""report.diff: word-level differences of a copy against its origin."""

from hypothesis import given
from hypothesis import strategies as st

from report.diff import word_diff


def _replay(copy: str, diff: list) -> tuple[str, list[str], list[str]]:
    """copy text, diff -> (the copy rebuilt, its unchanged words, the origin words left out)."""
    at, rebuilt, same, left_out = 0, [], [], []
    for item in diff:
        if isinstance(item, str):
            left_out.extend(item.split())
            continue
        n = abs(item)
        piece = copy[at : at + n]
        rebuilt.append(piece)
        if item > 0:
            same.extend(piece.split())
        at += n
    return "".join(rebuilt), same, left_out


def test_an_edit_shows_what_the_copy_adds_and_what_it_leaves_out():
    diff = word_diff("The quick brown fox jumps over the dog.", "The very quick fox jumps over the lazy dog.")
    copy = "The very quick fox jumps over the lazy dog."
    rebuilt, same, left_out = _replay(copy, diff)
    assert rebuilt == copy
    assert left_out == ["brown"]
    assert same == "The quick fox jumps over the dog.".split()
    assert [copy[:4], "very "] == ["The ", copy[4 : 4 - diff[1]]]  # "very " is marked added


def test_left_out_words_come_before_the_added_ones_of_one_change():
    diff = word_diff("a b c d", "a x d")
    assert diff == [2, "b c", -2, 1]


def test_identical_text_is_one_unchanged_run():
    assert word_diff("same words here", "same words here") == [15]


def test_curly_and_straight_quotes_are_not_an_edit_but_case_is():
    assert word_diff("\u201can escalation,\u201d he said", '"an escalation," he said') == [24]
    assert word_diff("Rocket attacks", "rocket attacks") == ["Rocket", -7, 7]


def test_lengths_count_code_points_as_the_offsets_do():
    copy = "emoji \U0001f600 here"
    assert word_diff(copy, copy) == [len(copy)] == [12]


words = st.lists(st.sampled_from(["a", "b", "c", "\u00e9t\u00e9", "\U0001f4f0", "x,", "\u201cq\u201d"]), max_size=12)
spaces = st.sampled_from([" ", "  ", "\n", " \t"])


@given(words, words, spaces, st.booleans())
def test_the_diff_rebuilds_the_copy_and_accounts_for_every_origin_word(o_words, c_words, space, lead):
    origin, copy = " ".join(o_words), (space if lead else "") + space.join(c_words)
    rebuilt, same, left_out = _replay(copy, word_diff(origin, copy))
    assert rebuilt == copy
    # the origin's words are exactly the unchanged ones and the left-out ones, in some interleaving
    assert sorted(map(_plain, same + left_out)) == sorted(map(_plain, o_words))


def _plain(word: str) -> str:
    return word.replace("\u201c", '"').replace("\u201d", '"')
