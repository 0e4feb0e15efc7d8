"""Word shingles hashed with xxhash, datasketch MinHash signatures, LSH band keys.

Pure functions and one small class; no Beam. Every word is hashed once, by xxhash
(xxh32); a shingle's 32-bit hash is its words' hashes folded together with numpy, a
batch of windows at a time. Shingle hashes are the input of the MinHash
(datasketch's "affine32" scheme with an identity hash function, so nothing is hashed
again by datasketch).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xxhash
from datasketch import MinHash, MinHashLSH


def shingle_hashes(words: Sequence[str], size: int, seed: int) -> tuple[int, ...]:
    """normalised words -> the sorted distinct 32-bit hashes of their `size`-word shingles
    (shingle_values of one window). A paragraph shorter than `size` words gives one
    shingle of all its words."""
    values, _ = shingle_values(word_hashes(words, seed), np.array([len(words)]), size, seed)
    return tuple(sorted(set(values.tolist())))


_WORD_CACHE: dict[int, dict[str, int]] = {}
_WORD_CACHE_SIZE = 1 << 20  # distinct words remembered per seed (a few tens of MB)


def word_hashes(words: Sequence[str], seed: int) -> np.ndarray:
    """words -> the xxh32 (seed `seed`) of each word's UTF-8 bytes, as uint32. Each
    distinct word is hashed once per process: news text repeats its words."""
    cache = _WORD_CACHE.setdefault(seed, {})
    if len(cache) > _WORD_CACHE_SIZE:
        cache.clear()
    for word in set(words).difference(cache):
        cache[word] = xxhash.xxh32_intdigest(word.encode("utf-8"), seed)
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint32, count=len(words))


_MIX = np.uint32(0x9E3779B1)


def _combine(columns: Sequence[np.ndarray], seed: int) -> np.ndarray:
    """k equal-length uint32 columns (word hashes in shingle order) -> one 32-bit hash
    per row: each word folded in (xor, rotate by 13, multiply), then MurmurHash3's
    finalizer. Word order matters."""
    h = np.full(len(columns[0]), seed & 0xFFFFFFFF, dtype=np.uint32)
    for column in columns:
        h ^= column
        h = ((h << np.uint32(13)) | (h >> np.uint32(19))) * _MIX
    return fmix32(h)


def shingle_values(hashes: np.ndarray, lengths: np.ndarray, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """the word hashes of k windows, concatenated, and each window's word count -> (the
    hashes of every window's `size`-word shingles, concatenated window by window; how
    many each window has). Computed for the whole batch at once: a shingle hash at every
    position, then those that stay inside their window. A window shorter than `size`
    (but not empty) has one shingle of all its words; an empty one has none."""
    lengths = np.asarray(lengths, dtype=np.int64)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    counts = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    total = int(counts.sum())
    out = np.zeros(total, dtype=np.uint32)
    offsets = np.cumsum(counts) - counts
    n = len(hashes)
    if n >= size:
        every = _combine([hashes[k : n - size + 1 + k] for k in range(size)], seed)
        source = np.minimum(np.repeat(starts - offsets, counts) + np.arange(total), n - size)
        out[:] = every[source]
    for w in np.flatnonzero((lengths > 0) & (lengths < size)).tolist():
        out[offsets[w]] = _combine([hashes[k : k + 1] for k in range(starts[w], ends[w])], seed)[0]
    return out, counts


def _identity(value: int) -> int:
    """The MinHash hash function: shingles arrive already hashed by xxhash."""
    return value


class Signer:
    """Builds datasketch MinHash signatures with fixed permutations.

    The permutations are drawn once from `seed`; every signature is bit-identical
    to `MinHash(num_perm, seed, hashfunc=_identity)` updated with the same values.
    """

    def __init__(self, num_perm: int, seed: int):
        self.num_perm = num_perm
        self.seed = seed
        self._permutations = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity).permutations

    def minhash(self, shingles: Sequence[int]) -> MinHash:
        m = MinHash(
            num_perm=self.num_perm,
            seed=self.seed,
            hashfunc=_identity,
            permutations=self._permutations,
            scheme="affine32",
        )
        if shingles:
            m.update_batch(shingles)
        return m

    def sign(self, shingles: Sequence[int]) -> tuple[int, ...]:
        """shingle hashes -> the MinHash signature as a tuple of ints."""
        return tuple(int(v) for v in self.minhash(shingles).hashvalues)

    def sign_batch(self, shingle_sets: Sequence[Sequence[int]]) -> np.ndarray:
        """k sets of shingle hashes -> a (k, num_perm) uint32 array of their signatures
        (sign_values of the sets' values)."""
        lengths = np.fromiter((len(s) for s in shingle_sets), dtype=np.int64, count=len(shingle_sets))
        values = np.fromiter((v for s in shingle_sets for v in s), dtype=np.uint32, count=int(lengths.sum()))
        return self.sign_values(values, lengths)

    def sign_values(self, values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """the shingle hashes of k windows, concatenated (uint32), and how many each has
        -> a (k, num_perm) uint32 array of their signatures.

        One numpy pass over all the values: datasketch's own "affine32" steps (the
        MurmurHash3 finalizer, then each permutation h -> a*h + b mod 2**32, then the
        minimum per window), so row i is bit-identical to `sign` of window i's values
        (a value repeated changes no minimum). An empty window signs as datasketch's
        empty MinHash (every value 2**32 - 1)."""
        a, b = self._permutations
        lengths = np.asarray(lengths, dtype=np.int64)
        out = np.full((len(lengths), self.num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
        if not lengths.sum():
            return out
        permuted = fmix32(np.asarray(values, dtype=np.uint32))[:, None] * a[None, :] + b[None, :]
        filled = lengths > 0
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[filled]
        out[filled] = np.minimum.reduceat(permuted, starts, axis=0)
        return out


def fmix32(h: np.ndarray) -> np.ndarray:
    """uint32 array -> MurmurHash3's 32-bit finalizer of each value (datasketch's pre-mix)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def lsh_bands(threshold: float, num_perm: int, false_positive_weight: float) -> tuple[int, int]:
    """(bands, rows) that datasketch's own optimisation picks for this threshold."""
    weights = (false_positive_weight, 1.0 - false_positive_weight)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=weights)
    return lsh.b, lsh.r


def band_keys(signature: Sequence[int], bands: int, rows: int) -> list[int]:
    """signature -> one compact 64-bit key per band; equal keys mean an equal band.

    Band b's key is xxh64 (seed b) of its `rows` uint32 values, little-endian."""
    return band_key_matrix(np.asarray([signature], dtype=np.uint32), bands, rows)[0].tolist()


_P1, _P2, _P3, _P4, _P5 = (
    np.uint64(0x9E3779B185EBCA87),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
    np.uint64(0x85EBCA77C2B2AE63),
    np.uint64(0x27D4EB2F165667C5),
)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


def band_key_matrix(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, >= bands * rows) uint32 signatures -> (n, bands) uint64 band keys, each
    bit-identical to `xxhash.xxh64(band values as bytes, seed=band)`: XXH64's short-input
    path (8-byte lanes, a 4-byte tail, the avalanche) run on whole columns with numpy,
    so a batch of signatures is keyed without a Python call per band."""
    values = np.ascontiguousarray(signatures[:, : bands * rows], dtype=np.uint32).reshape(-1, bands, rows)
    n = values.shape[0]
    if rows >= 8:  # 32 bytes or more: XXH64's long-input path, one call per band
        return np.array(
            [[xxhash.xxh64(values[i, b].tobytes(), seed=b).intdigest() for b in range(bands)] for i in range(n)],
            dtype=np.uint64,
        ).reshape(n, bands)
    h = np.arange(bands, dtype=np.uint64)[None, :] + _P5 + np.uint64(4 * rows)
    h = np.broadcast_to(h, (n, bands)).copy()
    wide = values.astype(np.uint64)
    for lane in range(rows // 2):
        k = wide[:, :, 2 * lane] | (wide[:, :, 2 * lane + 1] << np.uint64(32))
        k = _rotl(k * _P2, 31) * _P1
        h = _rotl(h ^ k, 27) * _P1 + _P4
    if rows % 2:
        h = _rotl(h ^ (wide[:, :, rows - 1] * _P1), 23) * _P2 + _P3
    h ^= h >> np.uint64(33)
    h *= _P2
    h ^= h >> np.uint64(29)
    h *= _P3
    return h ^ (h >> np.uint64(32))
