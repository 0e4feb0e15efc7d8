"""transforms.match: candidate pairs from one LSH bucket, and pair verification."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.components import connected_components
from transforms.match import bucket_pairs, is_match, similarity

_refs = st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 5)), max_size=25)


def _all_cross_doc_pairs(refs):
    return {(a, b) for a, b in itertools.combinations(sorted(set(refs)), 2) if a[0] != b[0]}


def test_small_bucket_gives_every_cross_document_pair():
    refs = [("b", 0), ("a", 1), ("a", 0), ("b", 0), ("c", 2)]
    assert sorted(bucket_pairs(refs, 10)) == [
        (("a", 0), ("b", 0)),
        (("a", 0), ("c", 2)),
        (("a", 1), ("b", 0)),
        (("a", 1), ("c", 2)),
        (("b", 0), ("c", 2)),
    ]


def test_bucket_of_one_document_gives_no_pairs():
    assert bucket_pairs([("a", 0), ("a", 1), ("a", 2)], 10) == []


@given(_refs, st.integers(2, 6))
def test_bucket_pairs_are_ordered_distinct_and_cross_document(refs, max_size):
    pairs = bucket_pairs(refs, max_size)
    assert len(pairs) == len(set(pairs))
    assert all(a < b and a[0] != b[0] for a, b in pairs)
    assert set(pairs) <= _all_cross_doc_pairs(refs)
    assert len(pairs) <= len(set(refs)) * (max_size + 1)  # anchors: N, plus one of another doc


@given(_refs, st.integers(2, 30))
def test_bucket_within_max_size_gives_all_pairs(refs, max_size):
    if len(set(refs)) <= max_size:
        assert set(bucket_pairs(refs, max_size)) == _all_cross_doc_pairs(refs)


@given(st.integers(2, 200), st.integers(2, 10))
def test_hot_bucket_is_linear_yet_connected(n, max_size):
    refs = [(f"doc{i:03d}", i % 3) for i in range(n)]
    pairs = bucket_pairs(refs, max_size)
    assert len(pairs) <= n * (max_size + 1)
    assert connected_components(pairs) == [sorted(refs)]


def test_hot_bucket_connects_refs_whose_document_fills_the_first_slots():
    refs = [("a", 0), ("a", 1), ("a", 2), ("b", 0)]
    assert connected_components(bucket_pairs(refs, 2)) == [refs]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((1, 2, 3), (2, 3, 4), (2 / 4, 2 / 3)),
        ((1, 2, 3, 4), (2, 3), (2 / 4, 1.0)),
        ((1, 2), (1, 2), (1.0, 1.0)),
        ((1, 2), (3, 4), (0.0, 0.0)),
        ((), (1, 2), (0.0, 0.0)),
        ((1,), (), (0.0, 0.0)),
    ],
)
def test_similarity(a, b, expected):
    assert similarity(a, b) == pytest.approx(expected)


@given(st.sets(st.integers(0, 30), max_size=15), st.sets(st.integers(0, 30), max_size=15))
def test_similarity_matches_set_arithmetic(a, b):
    jaccard, containment = similarity(sorted(a), sorted(b))
    assert similarity(sorted(b), sorted(a)) == (jaccard, containment)
    if a and b:
        assert jaccard == pytest.approx(len(a & b) / len(a | b))
        assert containment == pytest.approx(len(a & b) / min(len(a), len(b)))
        assert 0.0 <= jaccard <= containment <= 1.0


@pytest.mark.parametrize(
    ("jaccard", "containment", "expected"),
    [
        (0.5, 0.0, True),  # Jaccard threshold reached exactly
        (0.0, 0.6, True),  # containment threshold reached exactly
        (0.49, 0.59, False),
        (0.9, 0.9, True),
    ],
)
def test_is_match_when_either_measure_reaches_its_threshold(jaccard, containment, expected):
    assert is_match(jaccard, containment, 0.5, 0.6) is expected
