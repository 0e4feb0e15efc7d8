"""transforms.sketch: xxhash shingles, datasketch MinHash signatures, LSH bands and band keys."""

import numpy as np
import pytest
import xxhash
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

import transforms.sketch
from transforms.sketch import (
    Signer,
    band_key_matrix,
    band_keys,
    lsh_bands,
    shingle_hashes,
    shingle_values,
    word_hashes,
)

_words = st.lists(st.sampled_from(["a", "b", "c", "d", "wire", "copy"]), max_size=30)
_uint32s = st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=50)


def test_shingle_hashes_of_no_words_is_empty():
    assert shingle_hashes([], 4, 1) == ()


def _fold(words, seed):
    """The shingle hash, in plain Python ints: each word's xxh32 folded in, then fmix32."""
    m = 0xFFFFFFFF
    h = seed & m
    for word in words:
        h ^= xxhash.xxh32_intdigest(word.encode("utf-8"), seed)
        h = (((h << 13) | (h >> 19)) & m) * 0x9E3779B1 & m
    h ^= h >> 16
    h = h * 0x85EBCA6B & m
    h ^= h >> 13
    h = h * 0xC2B2AE35 & m
    return h ^ (h >> 16)


def test_short_paragraph_is_one_shingle_of_all_its_words():
    assert shingle_hashes(["only", "two"], 4, 7) == (_fold(["only", "two"], 7),)


def test_shingle_hashes_fold_each_words_xxh32():
    words = ["a", "b", "c", "a", "b"]
    expected = {_fold(g, 3) for g in (["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"])}
    assert shingle_hashes(words, 3, 3) == tuple(sorted(expected))


def test_each_word_is_hashed_once_per_process(monkeypatch):
    calls = []
    real = xxhash.xxh32_intdigest
    monkeypatch.setattr(transforms.sketch, "_WORD_CACHE", {})
    monkeypatch.setattr(transforms.sketch.xxhash, "xxh32_intdigest", lambda b, s: calls.append(b) or real(b, s))
    word_hashes(["wire", "copy", "wire", "wire", "copy", "news"], 5)
    word_hashes(["news", "wire"], 5)
    assert sorted(calls) == [b"copy", b"news", b"wire"]


_windows = st.lists(st.lists(st.sampled_from(["a", "b", "c", "d", "wire", "copy", "é"]), max_size=12), max_size=8)


@settings(max_examples=80, deadline=None)
@given(_windows, st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=2**32 - 1))
def test_batch_shingles_are_each_windows_shingles(windows, size, seed):
    """A batch of windows, shingled at once, gives each window exactly its own shingles:
    none that straddles two windows."""
    hashes = word_hashes([w for window in windows for w in window], seed)
    values, counts = shingle_values(hashes, np.array([len(w) for w in windows], dtype=np.int64), size, seed)
    bounds = np.concatenate(([0], np.cumsum(counts))).tolist()
    for i, window in enumerate(windows):
        expected = [_fold(window[k : k + size], seed) for k in range(len(window) - size + 1)]
        expected = expected or ([_fold(window, seed)] if window else [])
        assert values[bounds[i] : bounds[i + 1]].tolist() == expected


@settings(max_examples=40, deadline=None)
@given(_windows, st.sampled_from([16, 128]), st.integers(min_value=0, max_value=2**32 - 1))
def test_batch_signatures_of_words_are_datasketch_minhashes(windows, num_perm, seed):
    """Words -> shingles -> signatures, a batch at once, bit-identical to datasketch's
    MinHash (same seed, permutations and identity hash) of each window's shingles."""
    signer = Signer(num_perm, seed)
    hashes = word_hashes([w for window in windows for w in window], seed)
    values, counts = shingle_values(hashes, np.array([len(w) for w in windows], dtype=np.int64), 3, seed)
    signatures = signer.sign_values(values, counts)
    for window, row in zip(windows, signatures, strict=True):
        plain = MinHash(num_perm=num_perm, seed=seed, hashfunc=transforms.sketch._identity)
        plain.update_batch(list(shingle_hashes(window, 3, seed)))
        assert row.tolist() == plain.hashvalues.tolist()


def test_shingle_hashes_depend_on_seed_and_word_order():
    words = ["one", "two", "three", "four"]
    assert shingle_hashes(words, 2, 1) != shingle_hashes(words, 2, 2)
    assert shingle_hashes(words, 2, 1) != shingle_hashes(words[::-1], 2, 1)


@given(_words, st.integers(min_value=1, max_value=6))
def test_shingle_hashes_sorted_unique_and_bounded(words, size):
    hashes = shingle_hashes(words, size, 1)
    assert list(hashes) == sorted(set(hashes))
    assert all(0 <= h < 2**32 for h in hashes)
    if words:
        assert 1 <= len(hashes) <= max(1, len(words) - size + 1)
    else:
        assert hashes == ()


@settings(max_examples=60, deadline=None)
@given(_uint32s, st.sampled_from([16, 128]), st.integers(min_value=0, max_value=2**32 - 1))
def test_signer_is_bit_identical_to_plain_datasketch_minhash(values, num_perm, seed):
    plain = MinHash(num_perm=num_perm, seed=seed, hashfunc=transforms.sketch._identity)
    for v in values:
        plain.update(v)
    signature = Signer(num_perm, seed).sign(values)
    assert signature == tuple(int(v) for v in plain.hashvalues)
    assert len(signature) == num_perm


@settings(max_examples=60, deadline=None)
@given(st.lists(_uint32s, max_size=8), st.sampled_from([16, 64, 128]), st.integers(min_value=0, max_value=2**32 - 1))
def test_batch_signatures_are_bit_identical_to_datasketch_minhash(sets, num_perm, seed):
    signer = Signer(num_perm, seed)
    batch = signer.sign_batch(sets)
    assert batch.shape == (len(sets), num_perm) and batch.dtype == np.uint32
    for row, values in zip(batch, sets, strict=True):
        plain = MinHash(num_perm=num_perm, seed=seed, hashfunc=transforms.sketch._identity)
        if values:
            plain.update_batch(values)
        assert row.tolist() == plain.hashvalues.tolist() == list(signer.sign(values))


def test_batch_of_random_shingle_sets_matches_datasketch_row_by_row():
    rng = np.random.default_rng(11)
    sets = [rng.integers(0, 2**32, size=n, dtype=np.uint64).tolist() for n in rng.integers(0, 300, size=200)]
    signer = Signer(64, 1)
    expected = [MinHash(num_perm=64, seed=1, hashfunc=transforms.sketch._identity) for _ in sets]
    for m, values in zip(expected, sets, strict=True):
        if values:
            m.update_batch(values)
    assert signer.sign_batch(sets).tolist() == [m.hashvalues.tolist() for m in expected]
    assert signer.sign_batch([]).shape == (0, 64)


def test_signer_signature_is_a_function_of_the_shingle_set():
    signer = Signer(64, 5)
    assert signer.sign([3, 1, 2, 2]) == Signer(64, 5).sign([1, 2, 3])
    assert signer.sign([1, 2, 3]) != signer.sign([1, 2, 4])
    assert signer.sign([1, 2, 3]) != Signer(64, 6).sign([1, 2, 3])


@pytest.mark.parametrize("threshold", [0.05, 0.3, 0.5, 0.8])
@pytest.mark.parametrize("num_perm", [64, 128, 256])
@pytest.mark.parametrize("weight", [0.0, 0.3, 0.5])
def test_lsh_bands_are_datasketchs_choice(threshold, num_perm, weight):
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(weight, 1 - weight))
    bands, rows = lsh_bands(threshold, num_perm, weight)
    assert (bands, rows) == (lsh.b, lsh.r)
    assert bands * rows <= num_perm


def test_band_keys_one_64_bit_key_per_band():
    keys = band_keys(list(range(12)), 4, 3)
    assert len(keys) == 4
    assert all(isinstance(k, int) and 0 <= k < 2**64 for k in keys)
    assert len(set(keys)) == 4


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), min_size=12, max_size=12), st.integers(0, 3))
def test_band_keys_equal_exactly_where_bands_are_equal(signature, band):
    other = [v ^ 1 for v in signature]  # every value differs
    other[band * 3 : band * 3 + 3] = signature[band * 3 : band * 3 + 3]
    keys, other_keys = band_keys(signature, 4, 3), band_keys(other, 4, 3)
    assert [i for i in range(4) if keys[i] == other_keys[i]] == [band]


def test_band_keys_ignore_values_past_bands_times_rows():
    assert band_keys([1, 2, 3, 4, 5], 2, 2) == band_keys([1, 2, 3, 4, 99], 2, 2)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 10), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_band_key_matrix_is_xxh64_of_each_band_bit_for_bit(rows, bands, seed):
    values = np.random.default_rng(seed).integers(0, 2**32, size=(7, bands * rows), dtype=np.uint64)
    signatures = values.astype(np.uint32)
    expected = [
        [xxhash.xxh64(signatures[i, b * rows : (b + 1) * rows].tobytes(), seed=b).intdigest() for b in range(bands)]
        for i in range(len(signatures))
    ]
    assert band_key_matrix(signatures, bands, rows).tolist() == expected
