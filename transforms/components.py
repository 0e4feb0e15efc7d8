"""Connected components of verified pairs (union-find). Pure, no Beam."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

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
