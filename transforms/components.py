"""Connected components of verified pairs. Pure, no Beam.

The job clusters with cluster_nodes (arrays, scipy). connected_components,
merge_overlapping and span_components say the same on tuples, plainly: they are the
reference cluster_nodes is tested against, and tests build clusters with them."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components as _graph_components

from transforms.model import SpanMatch, SpanPairBatch
from transforms.shards import SHARDS, shard_of

Node = TypeVar("Node", bound=Hashable)


def connected_components(edges: Iterable[tuple[Node, Node]]) -> list[list[Node]]:
    """edges -> components, each a sorted list of nodes, listed by their smallest node.

    Transitive: a-b and b-c put a, b and c in one component. The result depends
    only on the set of edges, not on their order.
    """
    parent: dict = {}

    def find(x):
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            # The smaller node becomes the root: the result is order-independent.
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra

    groups: dict = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


# A shared span of one document: (doc_id, start, end).
Interval = tuple[str, int, int]


def merge_overlapping(intervals: Iterable[Interval]) -> dict[Interval, Interval]:
    """spans -> {span: the node it belongs to}: overlapping (or touching) spans of one
    document are one node, the union of their extents."""
    node_of: dict[Interval, Interval] = {}
    group: list[Interval] = []
    end = -1
    for span in sorted(set(intervals)) + [None]:
        if group and (span is None or span[0] != group[0][0] or span[1] > end):
            node = (group[0][0], group[0][1], end)
            node_of.update((g, node) for g in group)
            group, end = [], -1
        if span is not None:
            group.append(span)
            end = max(end, span[2])
    return node_of


def span_components(pairs: Iterable[tuple[Interval, Interval]]) -> list[list[Interval]]:
    """pairs of spans that share text -> clusters of nodes (overlapping spans of one
    document merged), each sorted, listed by their smallest node. Transitive and
    independent of the order of `pairs`."""
    pairs = list(pairs)
    node_of = merge_overlapping(span for pair in pairs for span in pair)
    return connected_components((node_of[a], node_of[b]) for a, b in pairs)


def span_pair(match: SpanMatch) -> tuple[Interval, Interval]:
    """a match -> its two spans, each running on to its reach (see SpanMatch): what
    clustering needs of it."""
    a_end, b_end = max(match.a_end, match.a_reach), max(match.b_end, match.b_reach)
    return (match.a[0], match.a_start, a_end), (match.b[0], match.b_start, b_end)


def span_pairs(matches: Iterable[SpanMatch]) -> SpanPairBatch:
    """matches -> their span pairs (span_pair), packed: as Verify packs the spans of
    align_spans (transforms.work.align_batch), for tests that build clusters from
    SpanMatches."""
    return pack_span_pairs(span_pair(match) for match in matches)


def pack_span_pairs(pairs: Iterable[tuple[Interval, Interval]]) -> SpanPairBatch:
    """span pairs -> one SpanPairBatch holding them."""
    docs: dict[str, int] = {}
    rows = [
        (docs.setdefault(a[0], len(docs)), a[1], a[2], docs.setdefault(b[0], len(docs)), b[1], b[2]) for a, b in pairs
    ]
    return span_pair_batch(docs, rows)


def span_pair_batch(docs: dict[str, int], rows: list[tuple[int, ...]]) -> SpanPairBatch:
    """{doc_id: its number, numbered from 0 in order}, rows (a, a_start, a_end, b,
    b_start, b_end) naming documents by number -> the SpanPairBatch of those rows."""
    return SpanPairBatch(tuple(docs), np.asarray(rows, dtype=np.int64).reshape(-1, 6).tobytes())


def unpack_span_pairs(batch: SpanPairBatch) -> list[tuple[Interval, Interval]]:
    """a SpanPairBatch -> its span pairs, in order (pack_span_pairs undone)."""
    rows = np.frombuffer(batch.rows, dtype=np.int64).reshape(-1, 6).tolist()
    return [((batch.docs[a], s, e), (batch.docs[b], t, u)) for a, s, e, b, t, u in rows]


def distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) non-negative int64 rows -> (the distinct rows, sorted, and each row's index
    among them), as np.unique(rows, axis=0, return_inverse=True) gives them. The three
    columns are packed into one integer when they fit in 63 bits (document numbers and
    character offsets do, by far), where sorting one column is several times faster
    than sorting rows; otherwise the rows are sorted column by column."""
    if not len(rows):
        return rows.reshape(0, 3), np.zeros(0, dtype=np.int64)
    high, low = int(rows[:, 0].max()).bit_length(), int(rows[:, 1:].max()).bit_length()
    if high + 2 * low <= 63:
        mask = (1 << low) - 1
        codes, index = np.unique((rows[:, 0] << 2 * low) | (rows[:, 1] << low) | rows[:, 2], return_inverse=True)
        return np.stack([codes >> 2 * low, (codes >> low) & mask, codes & mask], axis=1), index.reshape(-1)
    order = np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))
    ordered = rows[order]
    opens = np.ones(len(rows), dtype=bool)
    opens[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    index = np.empty(len(rows), dtype=np.int64)
    index[order] = np.cumsum(opens) - 1
    return ordered[opens], index


def cluster_nodes(batches: Iterable[SpanPairBatch], shards: int = SHARDS) -> list[tuple[int, SpanPairBatch]]:
    """every span pair of the job, in batches -> [(shard, SpanPairBatch)]: every node with
    the node that keys its cluster, as the pair (node, key node), the nodes of each
    shard's documents (shard_of) in one batch, in (doc, start, end) order, shards in
    order. The nodes and clusters of span_components, whose smallest node is the key,
    computed on arrays (numpy, scipy's connected components) rather than on millions of
    tuples, and handed on packed. Independent of how the pairs are batched and ordered."""
    batches = list(batches)
    doc_ids = sorted({d for batch in batches for d in batch.docs})
    number = {d: i for i, d in enumerate(doc_ids)}
    parts = []
    for batch in batches:
        rows = np.frombuffer(batch.rows, dtype=np.int64).reshape(-1, 6).copy()
        if len(rows):
            ids = np.array([number[d] for d in batch.docs], dtype=np.int64)
            rows[:, 0], rows[:, 3] = ids[rows[:, 0]], ids[rows[:, 3]]
            parts.append(rows)
    if not parts:
        return []
    rows = np.concatenate(parts)
    # Spans in (doc, start, end) order, as their tuples sort; each pair's two spans by index.
    spans, index = distinct_rows(np.concatenate([rows[:, :3], rows[:, 3:]]))
    # Overlapping or touching spans of one document are one node (merge_overlapping): a
    # span starts a node when it starts past every span before it in its document. With
    # the document number above the offsets (doc * 2**40 + offset: offsets stay under a
    # terabyte, documents under 2**23), one running maximum over all spans is each
    # document's furthest end so far, and a new document always starts a node.
    doc_at = spans[:, 0] << 40
    reach = np.maximum.accumulate(doc_at + spans[:, 2])
    opens = np.empty(len(spans), dtype=bool)
    opens[0] = True
    opens[1:] = doc_at[1:] + spans[1:, 1] > reach[:-1]
    starts = np.flatnonzero(opens)
    node_of = np.cumsum(opens) - 1
    n = len(starts)
    last = np.append(starts[1:] - 1, len(spans) - 1)  # each node's last span: its reach is the node's end
    nodes = np.stack([spans[starts, 0], spans[starts, 1], reach[last] - doc_at[last]], axis=1)
    # Nodes are numbered in sorted order: a cluster's key is its smallest-numbered node.
    half = len(rows)
    a, b = node_of[index[:half]], node_of[index[half:]]
    graph = coo_array((np.ones(half, dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = _graph_components(graph, directed=False)
    key = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(key, labels, np.arange(n))
    keyed = np.concatenate([nodes, nodes[key[labels]]], axis=1)
    shard_of_doc = np.array([shard_of(d, shards) for d in doc_ids], dtype=np.int64)
    return [(shard, _local_batch(keyed[members], doc_ids)) for shard, members in _groups(shard_of_doc[nodes[:, 0]])]


def _groups(labels: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """labels -> [(label, the positions holding it, in order)], labels in order."""
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    return [(int(labels[idx[0]]), idx) for idx in np.split(order, bounds) if len(idx)]


def _local_batch(rows: np.ndarray, doc_ids: list[str]) -> SpanPairBatch:
    """span pairs numbering their documents in `doc_ids` -> a SpanPairBatch with a table
    of only the documents they name."""
    used, local = np.unique(np.concatenate([rows[:, 0], rows[:, 3]]), return_inverse=True)
    rows = rows.copy()
    rows[:, 0], rows[:, 3] = local[: len(rows)], local[len(rows) :]
    return SpanPairBatch(tuple(doc_ids[i] for i in used.tolist()), np.ascontiguousarray(rows).tobytes())
