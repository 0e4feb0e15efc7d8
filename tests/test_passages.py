"""transforms.passages: members from a component's paragraphs, passage ids, member kinds, whole passages."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.model import Member
from transforms.passages import build_passage, group_members, member_kind, passage_id
from transforms.text import document_paragraphs

P = "The minister arrived in Baghdad on Sunday for talks with the prime minister about security."
Q = "He warned militias against attacks on American troops stationed in the region."
DOC_A = f"Minister visits Baghdad\n\n{P}\r\n\r\n  {Q}\n\nUnrelated closing line."
DOC_B = f"{P} He warned armed militias against attacks on American troops stationed in the region."
DOC_C = f"Wire copy\n{P}\n{Q}"


def _paras(doc_id, text, published=None, outlet=None):
    return document_paragraphs(doc_id, text, outlet, published)


def _member(doc_id, start, end, paragraphs=(0,), text="x", **kw):
    return Member(doc_id, None, None, start, end, tuple(paragraphs), text, **kw)


def test_adjacent_paragraphs_of_one_document_are_one_member():
    a = _paras("a", DOC_A, "2023-11-05", "Outlet A")
    (member,) = group_members([a[2], a[1]])
    assert member.paragraphs == (1, 2)
    assert (member.start, member.end) == (a[1].start, a[2].end)
    assert member.text == DOC_A[member.start : member.end] == f"{P}\r\n\r\n  {Q}"
    assert (member.doc_id, member.outlet, member.published) == ("a", "Outlet A", "2023-11-05")


def test_non_adjacent_paragraphs_and_other_documents_are_separate_members():
    a, c = _paras("a", DOC_A), _paras("c", DOC_C)
    members = group_members([c[1], a[3], a[1], c[2]])
    assert [(m.doc_id, m.paragraphs) for m in members] == [("a", (1,)), ("a", (3,)), ("c", (1, 2))]
    for m in members:
        assert m.text == {"a": DOC_A, "c": DOC_C}[m.doc_id][m.start : m.end]


@given(st.permutations(range(6)))
def test_passage_id_is_stable_under_member_order(order):
    members = [_member(f"d{i % 3}", 10 * i, 10 * i + 5) for i in range(6)]
    pid = passage_id(members)
    assert re.fullmatch(r"p[0-9a-f]{16}", pid)
    assert passage_id([members[i] for i in order]) == pid


def test_passage_id_depends_on_spans_only():
    members = [_member("a", 0, 10), _member("b", 5, 20)]
    relabelled = [_member("a", 0, 10, text="other", kind="verbatim", similarity=0.5), members[1]]
    assert passage_id(relabelled) == passage_id(members)
    assert passage_id([_member("a", 0, 11), members[1]]) != passage_id(members)
    assert passage_id([_member("c", 0, 10), members[1]]) != passage_id(members)


ORIGIN = _member("o", 0, 60, (3, 4), "The minister \u201carrived\u201d in Baghdad.\n\nHe warned militias.")


@pytest.mark.parametrize(
    ("member", "containment", "kind"),
    [
        (_member("m", 0, 1, (0, 1), 'THE MINISTER "ARRIVED"   IN BAGHDAD. HE WARNED MILITIAS.'), 1.0, "verbatim"),
        (_member("m", 0, 1, (0,), "The minister arrived in Baghdad, he warned militias."), 0.8, "merged"),
        (_member("m", 0, 1, (0, 1, 2), "The minister\n\narrived in Baghdad.\n\nHe warned."), 0.8, "split"),
        (_member("m", 0, 1, (5, 6), "The minister arrived in Baghdad.\n\nHe warned."), 0.9, "trimmed"),
        (_member("m", 0, 1, (5, 6), "The minister arrived in Baghdad.\n\nHe warned."), 0.89, "edited"),
        (
            _member("m", 0, 1, (5, 6), "The minister flew to Baghdad on Sunday.\n\nHe warned militias, too."),
            0.95,
            "edited",
        ),
    ],
)
def test_member_kind(member, containment, kind):
    assert member_kind(member, ORIGIN, containment) == kind


def test_build_passage_chooses_the_earliest_origin_and_labels_the_copies():
    a = _paras("a", DOC_A, "2023-11-05T22:15:05", "Outlet A")
    b = _paras("b", DOC_B, "2023-11-06", "Outlet B")
    c = _paras("c", DOC_C, None, "Outlet C")
    passage = build_passage([c[2], b[0], a[2], c[1], a[1]], shingle_size=4, seed=1)

    assert passage.origin.doc_id == "a"
    assert "earliest_published" in passage.origin.evidence
    assert passage.text == f"{P}\r\n\r\n  {Q}"
    assert passage.passage_id == passage_id(passage.members)
    rows = [(m.doc_id, m.paragraphs, m.kind) for m in passage.members]
    assert rows == [("a", (1, 2), "origin"), ("b", (0,), "merged"), ("c", (1, 2), "verbatim")]
    origin, merged, verbatim = passage.members
    assert origin.similarity == 1.0 and verbatim.similarity == 1.0
    assert 0.5 < merged.similarity < 1.0
    assert [(e.source, e.target, e.similarity) for e in passage.edges] == [
        ("a", "b", merged.similarity),
        ("a", "c", 1.0),
    ]
    for m, text in zip(passage.members, (DOC_A, DOC_B, DOC_C), strict=True):
        assert m.text == text[m.start : m.end]
