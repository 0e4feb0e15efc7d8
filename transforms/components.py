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
