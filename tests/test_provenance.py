"""transforms.provenance: a passage's agency, its origin with evidence, and its provenance tree."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.metadata import published_key
from transforms.model import Edge, Member
from transforms.provenance import choose_origin, passage_agency, provenance_edges


def _m(doc_id, published=None, start=0, similarity=1.0, credits=(), outlet=None):
    return Member(doc_id, outlet, published, start, start + 10, (0,), "x", similarity, credits=credits)


def test_earliest_published_wins_over_a_more_complete_copy():
    members = [_m("a", "2023-11-06"), _m("b", "2023-11-05T22:15:05"), _m("c", None)]
    index, origin = choose_origin(members, [50, 10, 90])
    assert index == 1
    assert (origin.doc_id, origin.evidence, origin.confidence) == ("b", ("earliest_published",), 0.6)


def test_earliest_and_most_complete():
    index, origin = choose_origin([_m("a", "2023-11-06"), _m("b", "2023-11-05")], [10, 30])
    assert (index, origin.evidence, origin.confidence) == (1, ("earliest_published", "most_complete"), 0.8)


def test_undated_members_never_beat_a_dated_one():
    index, origin = choose_origin([_m("a"), _m("z", "2024-01-01")], [100, 1])
    assert (index, origin.doc_id, origin.evidence) == (1, "z", ("earliest_published",))


def test_without_dates_the_most_complete_wins():
    index, origin = choose_origin([_m("a"), _m("b"), _m("c")], [5, 9, 7])
    assert (index, origin.doc_id, origin.evidence, origin.confidence) == (1, "b", ("most_complete",), 0.4)


def test_among_equally_early_members_the_most_complete_wins():
    members = [_m("a", "2023-11-05"), _m("b", "2023-11-05"), _m("c", "2023-11-07")]
    index, origin = choose_origin(members, [3, 8, 20])
    assert (index, origin.doc_id, origin.evidence) == (1, "b", ("earliest_published",))


def test_one_shared_date_is_no_evidence():
    index, origin = choose_origin([_m("a", "2023-11-05"), _m("b", "2023-11-05")], [3, 8])
    assert (index, origin.doc_id, origin.evidence, origin.confidence) == (1, "b", ("most_complete",), 0.4)


def test_full_tie_goes_to_smallest_doc_id_then_start():
    members = [_m("b", "2023-11-05"), _m("a", "2023-11-05", start=40), _m("a", "2023-11-05", start=3)]
    index, origin = choose_origin(members, [4, 4, 4])
    assert (index, origin.doc_id, origin.evidence, origin.confidence) == (2, "a", ("smallest_doc_id",), 0.2)


@given(
    st.lists(
        st.tuples(st.sampled_from([None, "2023-11-05", "2023-11-06", "2023-11-05T08:00:00"]), st.integers(1, 4)),
        min_size=1,
        max_size=6,
    ).flatmap(lambda rows: st.tuples(st.just(rows), st.permutations(range(len(rows)))))
)
def test_choice_does_not_depend_on_member_order(case):
    rows, order = case
    members = [_m(f"d{i}", published) for i, (published, _) in enumerate(rows)]
    sizes = [size for _, size in rows]
    _, origin = choose_origin(members, sizes)
    index, shuffled = choose_origin([members[i] for i in order], [sizes[i] for i in order])
    assert shuffled == origin
    assert members[order[index]].doc_id == origin.doc_id


def _similarity(table):
    def similarity(i, j):
        return table.get((i, j), table.get((j, i), 0.0))

    return similarity


def test_each_copy_points_at_the_most_similar_earlier_member():
    members = [_m("o", "2024-01-01"), _m("a", "2024-01-02"), _m("b", "2024-01-03"), _m("c")]
    table = {(1, 0): 0.9, (2, 0): 0.5, (2, 1): 0.8, (3, 0): 0.4}
    edges = provenance_edges(members, 0, _similarity(table))
    # b is closer to a (published before it) than to the origin; c, undated, hangs off the origin.
    assert edges == (Edge("o", "a", 0.9), Edge("a", "b", 0.8), Edge("o", "c", 0.4))
    assert provenance_edges(members[:1], 0, _similarity(table)) == ()


def test_copies_crediting_the_agency_come_from_the_wire_the_origin_stands_for():
    members = [_m("o", credits=("AFP",)), _m("a", "2024-01-01"), _m("b", "2024-01-02", credits=("AFP",))]
    table = {(2, 1): 0.95, (2, 0): 0.6, (1, 0): 0.7}
    edges = provenance_edges(members, 0, _similarity(table), agency="AFP")
    assert edges == (Edge("o", "a", 0.7), Edge("o", "b", 0.6))


def test_the_agency_is_the_one_most_members_credit():
    assert passage_agency([_m("a", credits=("AFP", "AP")), _m("b", credits=("AP",)), _m("c")]) == "AP"
    assert passage_agency([_m("a", credits=("Reuters",)), _m("b", credits=("AFP",))]) == "AFP"  # tie: by name
    assert passage_agency([_m("a"), _m("b")]) is None


def test_credits_beat_the_fastest_outlet_and_the_earliest_crediting_copy_is_origin():
    members = [_m("fast", "2024-01-01"), _m("a", "2024-01-02", credits=("AFP",)), _m("b", credits=("AFP",))]
    index, origin = choose_origin(members, [30, 10, 20], agency="AFP")
    assert (index, origin.doc_id) == (1, "a")
    assert origin.evidence[0] == "credits:AFP" and 0.5 < origin.confidence <= 1.0
    undated = [_m("fast", "2024-01-01"), _m("a", credits=("AFP",)), _m("b", credits=("AFP",))]
    assert choose_origin(undated, [30, 10, 20], agency="AFP")[1].doc_id == "b"  # then the most complete


def test_the_agency_s_own_wire_is_the_origin():
    members = [_m("copy", "2024-01-01", credits=("Reuters",)), _m("wire", "2024-01-02", outlet="Reuters")]
    wire_of = {"Reuters": "Reuters"}.get
    index, origin = choose_origin(members, [10, 10], agency="Reuters", wire_of=lambda o: wire_of(o) if o else None)
    assert (index, origin.doc_id, origin.evidence) == (1, "wire", ("agency_wire:Reuters",))


@pytest.mark.parametrize("sizes", [[1, 1], [2, 2]])
def test_two_identical_undated_copies_report_smallest_doc_id(sizes):
    _, origin = choose_origin([_m("y"), _m("x")], sizes)
    assert (origin.doc_id, origin.evidence) == ("x", ("smallest_doc_id",))


def test_origin_is_the_earliest_instant_not_the_smallest_string():
    from transforms.model import Member
    from transforms.provenance import choose_origin

    # 10:00+05:00 is 05:00 UTC: earlier than 06:00Z although it sorts later as text.
    a = Member("a", "A", "2024-01-01T10:00:00+05:00", 0, 10, (0,), "x" * 10)
    b = Member("b", "B", "2024-01-01T06:00:00Z", 0, 10, (0,), "x" * 10)
    index, origin = choose_origin([b, a], [5, 5])
    assert (index, origin.doc_id, origin.evidence) == (1, "a", ("earliest_published",))


def test_edges_never_point_a_document_at_itself_nor_twice():
    members = [
        Member("o", "O", None, 0, 10, (0,), "t"),
        Member("o", "O", None, 50, 60, (5,), "t", 0.9, "verbatim"),
        Member("c", "C", None, 0, 10, (0,), "t", 0.4, "edited"),
        Member("c", "C", None, 30, 40, (3,), "t", 0.7, "edited"),
    ]
    edges = provenance_edges(members, 0, _similarity({(2, 0): 0.4, (3, 0): 0.7}))
    assert [(e.source, e.target, e.similarity) for e in edges] == [("o", "c", 0.7)]


def _edges_by_definition(members, origin_index, similarity, agency=None):
    """provenance_edges as its docstring defines it, comparing every earlier member."""
    keys = [published_key(m.published) for m in members]
    origin, best = members[origin_index], {}
    for i, m in enumerate(members):
        if m.doc_id == origin.doc_id:
            continue
        parent = origin_index
        if not (agency and agency in m.credits) and keys[i][0] == 0:
            earlier = [j for j in range(len(members)) if keys[j] < keys[i] and members[j].doc_id != m.doc_id]
            earlier.sort(key=lambda j: (keys[j], members[j].doc_id, members[j].start))
            if earlier:
                parent = max(earlier, key=lambda j: similarity(i, j))
        score = round(similarity(i, parent), 4)
        if m.doc_id not in best or score > best[m.doc_id][0]:
            best[m.doc_id] = (score, members[parent].doc_id)
    return tuple(Edge(source=s, target=t, similarity=score) for t, (score, s) in sorted(best.items()))


@given(
    st.lists(
        st.tuples(st.sampled_from("abcdef"), st.sampled_from([None, "2024-01-01", "2024-01-02", "2024-01-03"])),
        min_size=1,
        max_size=9,
    ),
    st.lists(st.sampled_from([0.0, 0.3, 0.5, 1.0]), min_size=81, max_size=81),
)
def test_edges_stopping_at_a_perfect_match_equal_comparing_every_earlier_member(places, scores):
    members = [_m(doc, published, start=10 * n) for n, (doc, published) in enumerate(places)]

    def similarity(i, j):
        return scores[9 * min(i, j) + max(i, j)]

    assert provenance_edges(members, 0, similarity) == _edges_by_definition(members, 0, similarity)
