"""transforms.match: candidate pairs from LSH buckets, as signature pairs and then paragraph pairs."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.components import connected_components
from transforms.match import (
    HOT_ANCHORS,
    SIGNATURE_BITS,
    anchor_refs,
    band_keys_by_partition,
    bucket_pairs,
    bucket_signature_pairs,
    half_pairs,
    identical_pairs,
    pack_pairs,
    pairs_by_partition,
    paragraph_pairs,
    partition_of,
    rank_of,
    signature_ids,
    union_pairs,
    unpack_pairs,
)
from transforms.model import BandKeys, SignaturePairs
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


def test_signature_ids_name_the_partition_and_the_rank():
    ids = signature_ids(5, 3)
    assert ids.dtype == np.uint32
    assert partition_of(ids).tolist() == [5, 5, 5] and rank_of(ids).tolist() == [0, 1, 2]
    assert partition_of(signature_ids(63, 1)).tolist() == [63]
    with pytest.raises(ValueError, match="distinct signatures in one partition"):
        signature_ids(0, 1 << SIGNATURE_BITS)
    with pytest.raises(ValueError, match="signature partition 64"):
        signature_ids(64, 1)  # 64 << 26 is past 32 bits: the ids would wrap


def test_pack_pairs_orders_each_pair_and_drops_a_signature_with_itself():
    codes = pack_pairs(np.array([7, 2, 4], dtype=np.uint32), np.array([3, 9, 4], dtype=np.uint32))
    first, second = unpack_pairs(codes)
    assert list(zip(first.tolist(), second.tolist(), strict=True)) == [(3, 7), (2, 9)]


_signatures = st.lists(
    st.tuples(st.lists(st.integers(0, 3), min_size=4, max_size=4), st.integers(1, 4)), min_size=1, max_size=40
)


def _buckets(sigs, bands=2, rows=2):
    """[(signature values, windows)] -> ({band key: [(id, windows)]}, ids): what the band
    shuffle groups, by the reference band_keys, one id per signature."""
    ids = signature_ids(3, len(sigs)).tolist()
    buckets: dict = {}
    for (values, count), i in zip(sigs, ids, strict=True):
        for key in band_keys(np.array(values, dtype=np.uint32), bands, rows):
            buckets.setdefault(key, []).append((i, count))
    return buckets, ids


def _expected_pairs(buckets, max_size):
    """the reference: every pair of a small bucket; anchors (smallest ids) with every
    member in a hot one; a pair is hot if no small bucket has it."""
    full, anchored, hot_buckets = set(), set(), 0
    for members in buckets.values():
        ids = sorted({i for i, _ in members})
        if len(members) < 2:
            continue
        if sum(n for _, n in members) <= max_size:
            full.update(itertools.combinations(ids, 2))
        else:
            hot_buckets += 1
            anchored.update((min(a, b), max(a, b)) for a in ids[:HOT_ANCHORS] for b in ids if a != b)
    return {pair: pair not in full for pair in full | anchored}, hot_buckets


@given(_signatures, st.integers(1, 5), st.integers(2, 12))
def test_bucket_signature_pairs_match_the_reference_in_every_band_partition(sigs, partitions, max_size):
    values = np.array([v for v, _ in sigs], dtype=np.uint32)
    counts = np.array([n for _, n in sigs], dtype=np.uint32)
    buckets, ids = _buckets(sigs)
    parts = band_keys_by_partition(values, np.array(ids, dtype=np.uint32), counts, 2, 2, partitions)
    assert set(parts) <= set(range(partitions))
    assert sum(len(part.keys) for part in parts.values()) == 2 * len(sigs)
    each, hot_buckets = [], 0
    for p, part in parts.items():
        assert all(int(k) % partitions == p for k in part.keys)
        pairs, hot = bucket_signature_pairs([part], max_size)
        codes = pairs.codes.tolist()
        assert codes == sorted(set(codes))
        each.append(pairs)
        hot_buckets += hot
    pairs = union_pairs(each)  # a pair may meet in buckets of several partitions
    first, second = unpack_pairs(pairs.codes)
    found = dict(zip(zip(first.tolist(), second.tolist(), strict=True), pairs.hot.tolist(), strict=True))
    assert (found, hot_buckets) == _expected_pairs(buckets, max_size)


def test_a_bucket_of_ten_thousand_signatures_pairs_linearly_yet_connected():
    n = 10_000
    ids = signature_ids(0, n)
    part = BandKeys(np.full(n, 42, dtype=np.uint64), ids, np.ones(n, dtype=np.uint32))
    pairs, hot = bucket_signature_pairs([part], 100)
    assert hot == 1 and pairs.hot.all()
    assert len(pairs.codes) < HOT_ANCHORS * n
    first, second = unpack_pairs(pairs.codes)
    assert len(connected_components(list(zip(first.tolist(), second.tolist(), strict=True)))) == 1


def test_a_pair_found_in_a_small_bucket_is_not_hot_whatever_else_found_it():
    a, b, c = (int(i) for i in signature_ids(1, 3))
    small = SignaturePairs(pack_pairs(np.array([a]), np.array([b])), np.array([False]))
    hot = SignaturePairs(pack_pairs(np.array([a, a]), np.array([b, c])), np.array([True, True]))
    merged = union_pairs([hot, small, hot])
    first, second = unpack_pairs(merged.codes)
    assert list(zip(first.tolist(), second.tolist(), merged.hot.tolist(), strict=True)) == [
        (a, b, False),
        (a, c, True),
    ]
    assert len(union_pairs([]).codes) == 0


def test_pairs_by_partition_sends_each_pair_to_its_first_signature():
    left, right = signature_ids(2, 3), signature_ids(9, 3)
    pairs = SignaturePairs(pack_pairs(np.concatenate([left, right[:1]]), np.roll(right, 1).tolist() + [left[0]]), None)
    pairs = SignaturePairs(pairs.codes, np.arange(len(pairs.codes)) % 2 == 0)
    out = pairs_by_partition(pairs)
    assert sorted(out) == [2]  # left ids are smaller than right ones: every pair starts in 2
    assert out[2].codes.tolist() == pairs.codes.tolist() and out[2].hot.tolist() == pairs.hot.tolist()


def test_anchor_refs_take_the_first_and_the_first_of_another_document():
    assert anchor_refs([("a", 0), ("a", 2), ("b", 1), ("c", 0)]) == (("a", 0), ("b", 1))
    assert anchor_refs([("a", 0), ("a", 2)]) == (("a", 0),)
    assert anchor_refs([]) == ()


_partition_refs = st.lists(
    st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 3)), min_size=1, max_size=4, unique=True).map(sorted),
    min_size=1,
    max_size=6,
)


@given(_partition_refs, _partition_refs, st.data())
def test_half_pairs_then_paragraph_pairs_pair_the_paragraphs_of_both_signatures(left, right, data):
    """Two signature partitions (2 and 7); pairs of a left and a right signature, or two
    left ones, go through both joins and come out as paragraph pairs."""
    refs_of = {2: left, 7: right}
    ids = [(2, k) for k in range(len(left))] + [(7, k) for k in range(len(right))]
    chosen = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.booleans()), max_size=8))
    codes, hot = {}, {}
    for (pa, ka), (pb, kb), h in chosen:
        code = pack_pairs(np.array([pa << SIGNATURE_BITS | ka]), np.array([pb << SIGNATURE_BITS | kb]))
        if len(code):
            codes[int(code[0])] = True
            hot[int(code[0])] = hot.get(int(code[0]), True) and h
    ordered = sorted(codes)
    pairs = SignaturePairs(np.array(ordered, dtype=np.uint64), np.array([hot[c] for c in ordered], dtype=bool))
    arrived: dict = {}
    for p, part in pairs_by_partition(pairs).items():
        for q, half in half_pairs(part, refs_of[p]).items():
            arrived.setdefault(q, []).append(half)
    found = sorted({pair for q, halves in arrived.items() for pair in paragraph_pairs(halves, refs_of[q])})
    expected = set()
    first, second = unpack_pairs(pairs.codes)
    for i, j, h in zip(first.tolist(), second.tolist(), pairs.hot.tolist(), strict=True):
        a_refs = refs_of[i >> SIGNATURE_BITS][i & ((1 << SIGNATURE_BITS) - 1)]
        b_refs = refs_of[j >> SIGNATURE_BITS][j & ((1 << SIGNATURE_BITS) - 1)]
        if h:
            a_refs = anchor_refs(a_refs)
        expected.update((min(a, b), max(a, b)) for a in a_refs for b in b_refs if a[0] != b[0])
    assert found == sorted(expected)


@given(
    st.dictionaries(
        st.tuples(st.sampled_from("abcd"), st.integers(0, 2)), st.lists(st.integers(0, 3), min_size=4, max_size=4)
    )
)
def test_the_whole_banding_loses_no_pair_of_a_small_bucket(values_by_ref):
    """Every cross-document pair of paragraphs that share a band key (all buckets small)
    comes out of identical_pairs or of the signature pairs, whatever partition holds what."""
    same: dict = {}
    for ref, values in values_by_ref.items():
        same.setdefault(tuple(values), []).append(ref)
    distinct = [(np.array(v, dtype=np.uint32), tuple(sorted(refs))) for v, refs in sorted(same.items())]
    refs_of = [refs for _, refs in distinct]
    emitted = {pair for refs in refs_of for pair in identical_pairs(refs, 100)}
    if distinct:
        ids = signature_ids(0, len(distinct))
        counts = np.array([len(r) for r in refs_of], dtype=np.uint32)
        parts = band_keys_by_partition(np.stack([v for v, _ in distinct]), ids, counts, 2, 2, 3)
        found = union_pairs(bucket_signature_pairs([part], 100)[0] for part in parts.values())
        for _, half in half_pairs(found, refs_of).items():
            emitted.update(paragraph_pairs([half], refs_of))
    every = set()
    by_key: dict = {}
    for ref, values in values_by_ref.items():
        for key in band_keys(np.array(values, dtype=np.uint32), 2, 2):
            by_key.setdefault(key, []).append(ref)
    for refs in by_key.values():
        every.update(bucket_pairs(refs, 100))
    assert emitted == every


def test_in_a_hot_pair_every_paragraph_of_the_second_signature_is_paired():
    """The second signature of a hot pair is carried twice by one document (a sentence it
    repeats): both its paragraphs meet the first's anchors, none is left out."""
    first, second = signature_ids(1, 2).tolist()
    refs_of = [(("a", 0), ("a", 3), ("b", 2)), (("d", 4), ("d", 9))]
    pairs = SignaturePairs(pack_pairs(np.array([first]), np.array([second])), np.array([True]))
    (partition, half), *_ = half_pairs(pairs, refs_of).items()
    assert partition == 1 and half.refs == ((("a", 0), ("b", 2)),)
    assert sorted(paragraph_pairs([half], refs_of)) == [
        (("a", 0), ("d", 4)),
        (("a", 0), ("d", 9)),
        (("b", 2), ("d", 4)),
        (("b", 2), ("d", 9)),
    ]
