"""Document shards: the documents, and what meets them in a join, travel as a few large
elements keyed by a shard of the doc_id, not as one element per document.

In: (doc_id, value) items. Out: (shard, [(doc_id, value), ...]) elements, one per shard
(a stable hash of the doc_id, the same in every process and on every runner); a
shard's packed documents sealed into one compressed bytes object (seal), and Shelf,
which opens sealed shards and unpickles their documents on demand. Pure and
Beam-free: worker processes (transforms.work) use it too.

Why: a runner pays for every element it moves, at every step and every shuffle, and
the documents are joined four times (Verify twice, Cluster, Provenance). Joined one
document at a time, those joins and what feeds them moved millions of small elements
through Beam's one Python process, where the job spent most of its time. Joined one
shard at a time, each moves a few hundred elements of the same bytes.

Why sealed: every join of the documents holds a copy of them from the step that packs
them until the join runs, and a local runner holds all those copies at once (four at
the job's peak of memory). Compressed a shard at a time, where the copies of a wire
story sit side by side, they take about a third of the room.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable
from typing import TypeVar

import xxhash

from transforms.model import Document

# How many shards the documents are cut into: enough to spread a join over a pool of
# workers or a cluster's machines, few enough that each carries hundreds of documents.
SHARDS = 64

V = TypeVar("V")


def pack(value) -> bytes:
    """a value -> its pickle (opened gives it back)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


# zlib's fastest level: a shard of news text, or a run of JSON lines, shrinks about
# threefold, at over 100 MB/s.
COMPRESS_LEVEL = 1


def pack_compressed(value) -> bytes:
    """a value -> its pickle, compressed (unpack_compressed gives it back)."""
    return zlib.compress(pack(value), COMPRESS_LEVEL)


def unpack_compressed(data: bytes):
    """pack_compressed's bytes -> the value."""
    return pickle.loads(zlib.decompress(data))


def seal(items: Iterable[tuple[str, bytes]]) -> bytes:
    """a shard's (doc_id, pickle) items -> them in doc_id order, pickled as one tuple and
    compressed: what Shelf opens."""
    return pack_compressed(tuple(sorted(items)))


def unsealed(sealed: bytes) -> tuple[tuple[str, bytes], ...]:
    """a sealed shard -> its (doc_id, pickle) items, in doc_id order."""
    return unpack_compressed(sealed)


def key_part(key, parts: int) -> int:
    """any key -> its part in [0, parts): an xxh64 of the key's repr, the same in every
    process and on every runner (Python's hash() of a str is salted per process)."""
    return xxhash.xxh64_intdigest(repr(key).encode("utf-8")) % parts


def shard_of(doc_id: str, shards: int = SHARDS) -> int:
    """doc_id -> its shard in [0, shards)."""
    return xxhash.xxh64_intdigest(doc_id.encode("utf-8")) % shards


def by_shard(items: Iterable[tuple[str, V]], shards: int = SHARDS) -> list[tuple[int, list[tuple[str, V]]]]:
    """(doc_id, value) items -> [(shard, [(doc_id, value), ...])], shards in order, each
    shard's items in the order they came."""
    out: dict[int, list[tuple[str, V]]] = {}
    known: dict[str, int] = {}  # doc_id -> shard: items come many to a document
    for doc_id, value in items:
        shard = known.get(doc_id)
        if shard is None:
            shard = known[doc_id] = shard_of(doc_id, shards)
        out.setdefault(shard, []).append((doc_id, value))
    return sorted(out.items())  # by shard: each comes once


def merged(lists: Iterable[Iterable[tuple[str, V]]]) -> dict[str, list[V]]:
    """the lists of (doc_id, value) a join found for one shard -> {doc_id: [value, ...]},
    doc_ids in sorted order."""
    out: dict[str, list[V]] = {}
    for items in lists:
        for doc_id, value in items:
            out.setdefault(doc_id, []).append(value)
    return dict(sorted(out.items()))


class Shelf:
    """the sealed shards a join found for one shard key (PackDocuments: one, or more when
    earlier runs' documents join too) -> each Document, unpickled when asked for, once."""

    def __init__(self, shards: Iterable[bytes]):
        self.packed = dict(item for sealed in shards for item in unsealed(sealed))
        self.docs: dict[str, Document] = {}

    def get(self, doc_id: str) -> Document | None:
        """-> the document, or None when the shard does not hold it."""
        doc = self.docs.get(doc_id)
        if doc is None and doc_id in self.packed:
            doc = self.docs[doc_id] = pickle.loads(self.packed[doc_id])
        return doc

    def __iter__(self):
        """-> every document of the shard, in doc_id order."""
        return (self.get(doc_id) for doc_id in sorted(self.packed))


def opened(grouped: dict, tag: str, compressed: bool = False) -> list:
    """a join's (key, {tag: [pickle]}) values of one tag (packed: PackedCoGroupByKey with
    unpack False; `compressed`: by pack_compressed) -> the values."""
    return [unpack_compressed(data) if compressed else pickle.loads(data) for data in grouped[tag]]
