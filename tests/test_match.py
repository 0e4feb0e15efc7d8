"""transforms.match: candidate pairs from one LSH bucket, each emitted by the first band it shares."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from transforms.components import connected_components
from transforms.match import (
    HOT_ANCHORS,
    band_entries,
    bucket_pairs,
    buckets_of,
    earlier_bands,
    first_band_pairs,
    hot_keys,
    identical_pairs,
)
from transforms.sketch import band_keys

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
    if len(set(refs)) > max_size:  # hot: HOT_ANCHORS anchors, plus one of another doc
        assert len(pairs) <= len(set(refs)) * (HOT_ANCHORS + 1)


@given(_refs, st.integers(2, 30))
def test_bucket_within_max_size_gives_all_pairs(refs, max_size):
    if len(set(refs)) <= max_size:
        assert set(bucket_pairs(refs, max_size)) == _all_cross_doc_pairs(refs)


@given(st.integers(2, 200), st.integers(2, 10))
def test_hot_bucket_is_linear_yet_connected(n, max_size):
    refs = [(f"doc{i:03d}", i % 3) for i in range(n)]
    pairs = bucket_pairs(refs, max_size)
    assert len(pairs) <= n * (max_size + 1)
    if n > max_size:
        assert len(pairs) <= n * (HOT_ANCHORS + 1)
    assert connected_components(pairs) == [sorted(refs)]


def test_a_paragraph_in_ten_thousand_articles_pairs_linearly():
    refs = [(f"doc{i:05d}", 3) for i in range(10_000)]
    pairs = bucket_pairs(refs, 100)
    assert len(pairs) < HOT_ANCHORS * len(refs)
    assert connected_components(pairs) == [refs]


def test_hot_bucket_connects_refs_whose_document_fills_the_first_slots():
    refs = [("a", 0), ("a", 1), ("a", 2), ("b", 0)]
    assert connected_components(bucket_pairs(refs, 2)) == [refs]


def test_earlier_bands_packs_the_low_32_bits_of_the_keys_before_each_band():
    keys = [1, 2**32 + 7, 9]
    packed = earlier_bands(keys)
    assert [len(p) for p in packed] == [0, 4, 8]
    assert memoryview(packed[2]).cast("I").tolist() == [1, 7]


def _bands(keys_by_ref):
    """{ref: [band key, ...]} -> ({(band, key): [(refs, earlier bands)]}, identical pairs):
    what GroupByBand groups, identical signatures first."""
    same = {}
    for ref, keys in keys_by_ref.items():
        same.setdefault(tuple(keys), []).append(ref)
    buckets, identical = {}, []
    for keys, refs in same.items():
        identical += identical_pairs(sorted(refs), 100)
        for band, (key, earlier) in enumerate(zip(keys, earlier_bands(list(keys)), strict=True)):
            buckets.setdefault((band, key), []).append((tuple(sorted(refs)), earlier))
    return buckets, identical


def _one(ref, earlier):
    return ((ref,), earlier)


def test_a_pair_sharing_several_bands_leaves_only_the_first_bucket():
    buckets, _ = _bands({("a", 0): [1, 2, 3], ("b", 0): [9, 2, 3], ("c", 0): [1, 5, 3]})
    emitted = {bucket: first_band_pairs(members, 10) for bucket, members in buckets.items()}
    assert emitted[(0, 1)] == [(("a", 0), ("c", 0))]
    assert emitted[(1, 2)] == [(("a", 0), ("b", 0))]
    # Band 2 holds all three; a-b met in band 1 and a-c in band 0: only b-c is new.
    assert emitted[(2, 3)] == [(("b", 0), ("c", 0))]


def test_a_paragraph_with_several_windows_is_paired_if_any_window_meets_first_here():
    members = [
        _one(("a", 0), earlier_bands([1, 7])[1]),
        _one(("a", 0), earlier_bands([4, 7])[1]),
        _one(("b", 1), earlier_bands([1, 7])[1]),
    ]
    # b's window met a's first window in band 0, but not a's second one.
    assert first_band_pairs(members, 10) == [(("a", 0), ("b", 1))]
    assert first_band_pairs(members[:1] + members[2:], 10) == []


@given(
    st.dictionaries(
        st.tuples(st.sampled_from("abcd"), st.integers(0, 2)), st.lists(st.integers(0, 3), min_size=4, max_size=4)
    )
)
def test_first_band_pairs_lose_no_pair_and_emit_each_once(keys_by_ref):
    buckets, identical = _bands(keys_by_ref)
    emitted = identical + [pair for members in buckets.values() for pair in first_band_pairs(members, 100)]
    every = {
        pair for members in buckets.values() for pair in bucket_pairs([r for refs, _ in members for r in refs], 100)
    }
    assert sorted(emitted) == sorted(every)  # the same pairs, none twice


def test_a_hot_bucket_falls_back_to_anchors():
    members = [_one((f"d{i}", 0), earlier_bands([1, 1])[1]) for i in range(5)]
    assert first_band_pairs(members, 3) == bucket_pairs([m[0][0] for m in members], 3)
    # Identical signatures count by their refs: one member of five refs is hot too.
    five = [(tuple((f"d{i}", 0) for i in range(5)), earlier_bands([1, 1])[1])]
    assert first_band_pairs(five, 3) == bucket_pairs([(f"d{i}", 0) for i in range(5)], 3)


def test_a_pair_that_first_met_in_a_hot_bucket_is_still_emitted_later():
    # Band 0's bucket is hot (anchors only: z1-z2 never paired there); band 1 must pair them.
    keys = {("a", 0): [7, 1, 0], ("b", 0): [7, 2, 0], ("z1", 0): [7, 5, 1], ("z2", 0): [7, 5, 2]}
    band0 = [_one(ref, earlier_bands(v)[0]) for ref, v in keys.items()]
    band1 = [_one(ref, earlier_bands(v)[1]) for ref, v in keys.items() if v[1] == 5]
    assert (("z1", 0), ("z2", 0)) not in first_band_pairs(band0, 2)
    assert first_band_pairs(band1, 2) == []  # what the filter alone would do
    assert first_band_pairs(band1, 2, hot=frozenset({7})) == [(("z1", 0), ("z2", 0))]


@given(
    st.lists(
        st.tuples(st.lists(st.integers(0, 3), min_size=4, max_size=4), st.integers(0, 5)),
        max_size=30,
    ),
    st.integers(1, 5),
)
def test_band_entries_and_buckets_of_group_every_shared_band_key(sigs, partitions):
    same = [(tuple(sig), ((f"d{doc}", 0),)) for sig, doc in sigs]
    parts = band_entries(same, 2, 2, partitions)
    assert set(parts) <= set(range(partitions))
    expected: dict = {}
    for signature, refs in same:
        keys = band_keys(signature, 2, 2)
        for key, earlier in zip(keys, earlier_bands(keys), strict=True):
            expected.setdefault(key, []).append((refs, earlier))
    shared = {k: sorted(v) for k, v in expected.items() if len(v) > 1}
    found = {}
    for p, part in parts.items():
        assert all(int(k) % partitions == p for k in part.keys)
        found.update({k: sorted(v) for k, v in buckets_of([part]).items()})
    assert found == shared
    assert buckets_of([]) == {}
    refs_per_key: dict = {}
    for key, members in shared.items():
        refs_per_key[key] = sum(len(refs) for refs, _ in members)
    for limit in (1, 2, 3):
        hot = sorted(k for p in parts.values() for k in hot_keys([p], limit))
        assert hot == sorted(k for k, n in refs_per_key.items() if n > limit)
