"""transforms.maps: per-document spans and rows, outlet-pair figures."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.maps import covered_chars, document_row, outlet_pairs, passage_spans
from transforms.model import Document, Member, Origin, Passage, Span


def _span(start, end, pid="p1", doc_id="d"):
    return Span(doc_id, start, end, pid, "copy", ())


def _member(doc_id, outlet, start, end, kind="verbatim"):
    return Member(doc_id, outlet, None, start, end, (0,), "x" * (end - start), 1.0, kind)


def _passage(*members):
    origin = next(m for m in members if m.kind == "origin")
    return Passage("p1", "text", None, Origin(origin.doc_id, 0.6, ("earliest_published",)), tuple(members))


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], 0),
        ([(0, 10)], 10),
        ([(0, 10), (20, 25)], 15),
        ([(0, 10), (5, 15)], 15),  # overlapping
        ([(5, 15), (0, 10), (2, 3)], 15),  # unsorted, one nested
        ([(0, 10), (10, 20)], 20),  # touching
        ([(3, 8), (3, 8)], 5),  # the same span from two passages
    ],
)
def test_covered_chars(spans, expected):
    assert covered_chars([_span(s, e) for s, e in spans]) == expected


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20)), max_size=10))
def test_covered_chars_counts_each_character_once(pairs):
    spans = [_span(s, s + n) for s, n in pairs]
    assert covered_chars(spans) == len({i for s in spans for i in range(s.start, s.end)})


def test_document_row():
    doc = Document("d", "0123456789" * 4, "in/d.txt", "Outlet", "2023-11-05", "Title", "https://x", ("AFP",))
    spans = [_span(20, 30, "p2"), _span(0, 10, "p1"), _span(5, 12, "p0")]
    row = document_row(doc, spans)
    assert {k: v for k, v in row.items() if k != "spans"} == {
        "doc_id": "d",
        "outlet": "Outlet",
        "published": "2023-11-05",
        "title": "Title",
        "url": "https://x",
        "credits": ["AFP"],
        "chars": 40,
        "shared_chars": 22,
        "shared_ratio": 0.55,
        "copied_chars": 22,
        "rewritten_chars": 0,
        "stories": [],
    }
    assert [(s["start"], s["passage_id"]) for s in row["spans"]] == [(0, "p1"), (5, "p0"), (20, "p2")]
    assert row["spans"][0] == {"start": 0, "end": 10, "passage_id": "p1", "role": "copy", "shared_with": []}


def test_rewritten_text_is_counted_apart_from_copy_where_it_is_no_copy_too():
    doc = Document("d", "0123456789" * 4, "in/d.txt")
    spans = [_span(0, 10, "p1"), Span("d", 5, 20, "p2", "rewritten", ()), Span("d", 30, 35, "p3", "rewritten", ())]
    row = document_row(doc, spans)
    assert (row["shared_chars"], row["copied_chars"], row["rewritten_chars"]) == (25, 10, 15)


def test_document_row_lists_its_stories_the_most_carried_first():
    doc = Document("d", "0123456789" * 4, "in/d.txt")
    stories = [
        {"story_id": "s2", "agency": None, "coverage": 0.9, "shared_chars": 10},
        {"story_id": "s1", "agency": "AFP", "coverage": 0.2, "shared_chars": 30},
    ]
    assert [s["story_id"] for s in document_row(doc, [], stories=stories)["stories"]] == ["s1", "s2"]


def test_document_row_carries_the_text_only_when_asked():
    doc = Document("d", "some text", "in/d.txt")
    assert "text" not in document_row(doc, [])
    assert document_row(doc, [], with_text=True)["text"] == "some text"


def test_document_row_without_text_or_spans():
    row = document_row(Document("e", "", "in/e.txt"), [])
    assert (row["chars"], row["shared_chars"], row["shared_ratio"], row["spans"]) == (0, 0, 0.0, [])


def test_outlet_pairs_sums_chars_per_target_outlet_and_skips_unknown_and_same_outlet():
    passage = _passage(
        _member("o", "Wire", 0, 100, kind="origin"),
        _member("z", "Zeta", 0, 40),
        _member("b1", "Beta", 0, 30),
        _member("b2", "Beta", 10, 30),
        _member("w", "Wire", 0, 100),  # the origin outlet's own copy
        _member("n", None, 0, 100),  # unknown outlet
    )
    assert outlet_pairs(passage) == [(("Wire", "Beta"), (1, 50)), (("Wire", "Zeta"), (1, 40))]


def test_outlet_pairs_empty_when_origin_outlet_unknown():
    passage = _passage(_member("o", None, 0, 10, kind="origin"), _member("z", "Zeta", 0, 10))
    assert outlet_pairs(passage) == []


def test_passage_spans_roles_and_shared_with():
    passage = _passage(
        _member("o", "Wire", 0, 10, kind="origin"),
        _member("o", "Wire", 50, 60),  # a second copy inside the origin document
        _member("z", "Zeta", 5, 15),
        _member("n", None, 0, 10),
    )
    spans = passage_spans(passage)
    assert [(s.doc_id, s.start, s.end, s.role) for s in spans] == [
        ("o", 0, 10, "origin"),
        ("o", 50, 60, "copy"),
        ("z", 5, 15, "copy"),
        ("n", 0, 10, "copy"),
    ]
    assert spans[0].shared_with == ("Zeta",)  # other documents, other outlets: never its own
    assert spans[2].shared_with == ("Wire",)
    assert {s.passage_id for s in spans} == {"p1"}


@given(
    st.lists(
        st.tuples(st.sampled_from("abcde"), st.sampled_from([None, "Alpha", "Beta", "Gamma", "Delta"])),
        min_size=1,
        max_size=12,
    )
)
def test_shared_with_is_every_other_outlet_of_other_documents(places):
    # A document normally has one outlet; here any member may name any, to test the rule itself.
    members = [_member(doc, outlet, 10 * i, 10 * i + 5) for i, (doc, outlet) in enumerate(places)]
    members[0] = _member(places[0][0], places[0][1], 0, 5, kind="origin")
    for m, span in zip(members, passage_spans(_passage(*members)), strict=True):
        others = {o.outlet for o in members if o.doc_id != m.doc_id and o.outlet and o.outlet != m.outlet}
        assert span.shared_with == tuple(sorted(others))
