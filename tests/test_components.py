"""transforms.components: connected components of verified pairs."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from transforms.components import (
    cluster_nodes,
    connected_components,
    distinct_rows,
    merge_overlapping,
    pack_span_pairs,
    span_components,
    unpack_span_pairs,
)
from transforms.shards import shard_of

_edges = st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=25)


def _reference(edges):
    adjacency = {}
    for a, b in edges:
        adjacency.setdefault(a, set()).add(b)
        adjacency.setdefault(b, set()).add(a)
    seen, components = set(), []
    for start in adjacency:
        if start in seen:
            continue
        stack, component = [start], set()
        while stack:
            node = stack.pop()
            if node not in component:
                component.add(node)
                stack.extend(adjacency[node])
        seen |= component
        components.append(sorted(component))
    return sorted(components)


def test_transitive_chain_is_one_component():
    assert connected_components([("a", "b"), ("b", "c"), ("x", "y")]) == [["a", "b", "c"], ["x", "y"]]


def test_components_sorted_and_listed_by_smallest_node():
    edges = [(9, 3), (7, 1), (3, 8), (1, 2)]
    assert connected_components(edges) == [[1, 2, 7], [3, 8, 9]]


def test_paragraph_refs_and_self_loops():
    edges = [(("b", 1), ("a", 0)), (("c", 0), ("c", 0))]
    assert connected_components(edges) == [[("a", 0), ("b", 1)], [("c", 0)]]


def test_no_edges_no_components():
    assert connected_components([]) == []


def test_accepts_an_iterator():
    assert connected_components(iter([(2, 1), (3, 2)])) == [[1, 2, 3]]


@given(_edges)
def test_components_partition_the_nodes_like_a_graph_search(edges):
    components = connected_components(edges)
    assert components == _reference(edges)
    nodes = [n for c in components for n in c]
    assert len(nodes) == len(set(nodes)) == len({n for e in edges for n in e})


def _shuffled_and_flipped(edges):
    flips = st.lists(st.booleans(), min_size=len(edges), max_size=len(edges))
    return st.tuples(st.just(edges), st.permutations(edges), flips)


@given(_edges.flatmap(_shuffled_and_flipped))
def test_result_independent_of_edge_order_and_direction(case):
    edges, shuffled, flips = case
    reordered = [(b, a) if flip else (a, b) for (a, b), flip in zip(shuffled, flips, strict=True)]
    assert connected_components(reordered) == connected_components(edges)


def test_overlapping_spans_of_one_document_are_one_node():
    node_of = merge_overlapping([("a", 0, 10), ("a", 5, 20), ("a", 20, 30), ("b", 5, 8), ("a", 2, 4), ("a", 31, 40)])
    assert node_of == {
        ("a", 0, 10): ("a", 0, 30),
        ("a", 2, 4): ("a", 0, 30),
        ("a", 5, 20): ("a", 0, 30),
        ("a", 20, 30): ("a", 0, 30),  # touching spans are one node too
        ("a", 31, 40): ("a", 31, 40),
        ("b", 5, 8): ("b", 5, 8),
    }


def test_span_clusters_are_transitive_through_overlapping_spans():
    # a's span shared with b overlaps a's span shared with c: b and c are one cluster
    # although never compared; d-e share other text.
    pairs = [(("a", 0, 50), ("b", 10, 60)), (("a", 40, 90), ("c", 0, 50)), (("d", 0, 9), ("e", 0, 9))]
    assert span_components(pairs) == [
        [("a", 0, 90), ("b", 10, 60), ("c", 0, 50)],
        [("d", 0, 9), ("e", 0, 9)],
    ]


@given(
    st.lists(
        st.tuples(
            st.tuples(st.sampled_from("abc"), st.integers(0, 50), st.integers(1, 20)),
            st.tuples(st.sampled_from("def"), st.integers(0, 50), st.integers(1, 20)),
        ),
        max_size=20,
    ),
    st.randoms(),
)
def test_span_clusters_do_not_depend_on_order_and_nodes_never_overlap(raw, rng):
    pairs = [((a, s, s + n), (b, t, t + m)) for (a, s, n), (b, t, m) in raw]
    clusters = span_components(pairs)
    shuffled = list(pairs)
    rng.shuffle(shuffled)
    assert span_components(shuffled) == clusters
    nodes = sorted(node for cluster in clusters for node in cluster)
    for x, y in zip(nodes, nodes[1:], strict=False):
        assert x[0] != y[0] or x[2] < y[1]
    for span in (span for pair in pairs for span in pair):
        assert any(n[0] == span[0] and n[1] <= span[1] and span[2] <= n[2] for n in nodes)


_span = st.tuples(st.sampled_from("abcd"), st.integers(0, 40), st.integers(1, 12)).map(
    lambda s: (s[0], s[1], s[1] + s[2])
)
_span_pairs = st.lists(st.tuples(_span, _span).filter(lambda p: p[0][0] != p[1][0]), max_size=30)


def _nodes(shards):
    """cluster_nodes' batches -> (doc_id, (key node, start, end)) of every node, sorted,
    each checked to be in its document's shard, and each shard's in node order."""
    nodes = []
    for shard, batch in shards:
        found = [(node[0], (key, node[1], node[2])) for node, key in unpack_span_pairs(batch)]
        order = [(doc_id, start, end) for doc_id, (_, start, end) in found]
        assert order == sorted(order) and all(shard_of(doc_id) == shard for doc_id, _ in found)
        nodes.extend(found)
    assert [shard for shard, _ in shards] == sorted({shard for shard, _ in shards})
    return sorted(nodes)


def _nodes_by_reference(pairs):
    return sorted((doc, (nodes[0], start, end)) for nodes in span_components(pairs) for doc, start, end in nodes)


@given(_span_pairs, st.integers(1, 5), st.randoms())
def test_cluster_nodes_on_arrays_are_span_components(pairs, size, rng):
    """The packed, numpy clustering gives every node of span_components with its
    cluster's smallest node, however the pairs are batched and ordered."""
    shuffled = list(pairs)
    rng.shuffle(shuffled)
    batches = [pack_span_pairs(shuffled[i : i + size]) for i in range(0, len(shuffled), size)]
    assert _nodes(cluster_nodes(batches)) == _nodes_by_reference(pairs)


def test_cluster_nodes_merge_touching_spans_and_chain_documents():
    pairs = [(("a", 0, 10), ("b", 5, 15)), (("b", 15, 30), ("c", 0, 9)), (("c", 40, 50), ("d", 1, 2))]
    assert _nodes(cluster_nodes([pack_span_pairs(pairs[:1]), pack_span_pairs(pairs[1:])])) == [
        ("a", (("a", 0, 10), 0, 10)),
        ("b", (("a", 0, 10), 5, 30)),
        ("c", (("a", 0, 10), 0, 9)),
        ("c", (("c", 40, 50), 40, 50)),
        ("d", (("c", 40, 50), 1, 2)),
    ]
    assert cluster_nodes([pack_span_pairs([])]) == []


@given(_span_pairs)
def test_packed_span_pairs_unpack_to_the_same_pairs_and_count_them(pairs):
    batch = pack_span_pairs(pairs)
    assert unpack_span_pairs(batch) == pairs
    assert len(batch) == len(pairs)  # what the job's verified_pairs count sums


# Small offsets pack into one integer; one huge offset sends the rows down the column sort.
_rows = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 9), st.sampled_from([0, 1, 7, 2**40, 2**60])), max_size=40)


@given(_rows)
def test_distinct_rows_are_numpys_unique_rows(rows):
    """Both ways (packed into one integer, sorted column by column) give what
    np.unique(axis=0, return_inverse=True) gives."""
    array = np.array(rows, dtype=np.int64).reshape(-1, 3)
    spans, index = distinct_rows(array)
    expected, inverse = np.unique(array, axis=0, return_inverse=True)
    assert spans.tolist() == expected.tolist()
    assert index.tolist() == inverse.reshape(-1).tolist()
    assert spans[index].tolist() == array.tolist()
