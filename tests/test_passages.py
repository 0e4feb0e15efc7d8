"""transforms.passages: a cluster's pieces cut into passages against a representative,
member kinds, passage ids."""

import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.align import align_paragraphs
from transforms.components import span_components, span_pair
from transforms.model import Member, Piece
from transforms.packed import pack
from transforms.passages import _Cover, build_passages, member_kind, neighbours, passage_id
from transforms.segment import segment_cluster
from transforms.text import document_paragraphs, words
from transforms.work import passages_batch

S1 = "Secretary of State Antony Blinken arrived in Baghdad on Sunday for talks with the prime minister."
S2 = "He warned armed groups aligned with Iran against attacks on American troops stationed in the region."
S3 = "Officials said the visit had not been announced in advance for security reasons, as is usual."


def _cluster(texts, published=None):
    """{doc_id: text} -> the pieces of every cluster, as the job builds them (all pairs aligned)."""
    paragraphs = {d: document_paragraphs(d, t, f"Outlet {d}", (published or {}).get(d)) for d, t in texts.items()}
    pairs = []
    docs = sorted(texts)
    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            for pa in paragraphs[a]:
                for pb in paragraphs[b]:
                    pairs.extend(span_pair(m) for m in align_paragraphs(pa, pb, 5, 8))
    clusters = []
    for nodes in span_components(pairs):
        pieces = []
        for doc_id, start, end in nodes:
            for para in paragraphs[doc_id]:
                if para.start < end and start < para.end:
                    pieces.append(Piece(nodes[0], max(start, para.start), min(end, para.end), para))
        clusters.append(pieces)
    return clusters


def _spans(passage):
    return sorted((m.doc_id, m.text, m.kind) for m in passage.members)


def _all(texts, published=None):
    return sorted(
        (_spans(p) for pieces in _cluster(texts, published) for p in build_passages(pieces, 5, 8)),
        key=lambda spans: spans[0][1],
    )


def test_a_merged_copy_has_a_member_in_each_passage_of_the_paragraphs_it_joined():
    texts = {"a": f"Lead of A.\n\n{S1}\n\n{S2}", "b": f"{S1} {S2}\n\nOwn closing words of B here."}
    (pieces,) = _cluster(texts, {"a": "2024-01-01", "b": "2024-01-02"})
    passages = sorted(build_passages(pieces, 5, 8), key=lambda p: p.members[0].start)
    assert [_spans(p) for p in passages] == [
        [("a", S1, "origin"), ("b", S1, "merged")],
        [("a", S2, "origin"), ("b", S2, "merged")],
    ]
    assert [{m.doc_id: m.paragraphs for m in p.members} for p in passages] == [
        {"a": (1,), "b": (0,)},
        {"a": (2,), "b": (0,)},
    ]
    for m in (m for p in passages for m in p.members):
        assert texts[m.doc_id][m.start : m.end] == m.text and m.coverage == 1.0


def test_a_split_is_one_passage_whose_copy_member_spans_the_paragraph_break():
    texts = {"a": f"{S1} {S2}", "b": f"{S1}\n{S2}"}
    (pieces,) = _cluster(texts, {"a": "2024-01-01"})
    (passage,) = build_passages(pieces, 5, 8)
    assert _spans(passage) == [("a", f"{S1} {S2}", "origin"), ("b", f"{S1}\n{S2}", "split")]
    assert {m.doc_id: m.paragraphs for m in passage.members} == {"a": (0,), "b": (0, 1)}


def test_one_outlet_merging_leaves_each_paragraph_one_passage_and_only_its_kinds_say_merged():
    texts = {"a": f"{S1}\n\n{S2}", "b": f"{S1} {S2}", "c": f"Own lead of C here.\n\n{S1}\n\n{S2}"}
    published = {"a": "2024-01-01", "b": "2024-01-02", "c": "2024-01-03"}
    assert _all(texts, published) == [
        [("a", S2, "origin"), ("b", S2, "merged"), ("c", S2, "verbatim")],
        [("a", S1, "origin"), ("b", S1, "merged"), ("c", S1, "verbatim")],
    ]


def test_an_own_word_joining_two_halves_of_a_quote_makes_them_merged_copies_of_each_paragraph():
    # The seeds' case: one outlet splits a quote and the other joins its halves with "And".
    first, second = S2[:-1] + ".", "We will take every necessary step to protect our people, he said."
    texts = {"a": f'{first}" Blinken said on Sunday.\n\n{second}', "b": f"{first} And {second.lower()}"}
    (pieces,) = _cluster(texts, {"a": "2024-01-01", "b": "2024-01-02"})
    passages = sorted(build_passages(pieces, 5, 8), key=lambda p: p.members[0].start)
    kinds = [{m.doc_id: (m.kind, m.paragraphs) for m in p.members} for p in passages]
    assert kinds == [{"a": ("origin", (0,)), "b": ("merged", (0,))}, {"a": ("origin", (1,)), "b": ("merged", (0,))}]


def test_a_clause_inserted_inside_a_copied_paragraph_is_bridged_into_one_member():
    # The seeds' Nasrallah paragraph: one outlet inserts six words, another trims the paragraph.
    wire = f"{S1} {S2} {S3}"
    inserted = S2.replace("against attacks", "against attacks, as the talks went on in the capital,")
    texts = {"a": wire, "b": f"{S1} {inserted} {S3}", "c": f"{S1} {S2}"}
    published = {"a": "2024-01-01", "b": "2024-01-02", "c": "2024-01-03"}
    (pieces,) = _cluster(texts, published)
    (passage,) = build_passages(pieces, 5, 8)
    members = {m.doc_id: m for m in passage.members}
    assert members["b"].text == texts["b"] and members["b"].kind == "edited" and members["b"].coverage == 1.0
    assert members["c"].text == f"{S1} {S2}" and members["c"].kind == "trimmed"
    assert members["c"].coverage == pytest.approx(len(words(f"{S1} {S2}").norms) / len(words(wire).norms), abs=0.02)


def test_text_the_representative_lacks_is_found_in_a_later_round():
    # b is the longest (the representative) but lacks S3, which a and c share.
    texts = {
        "a": f"{S1} {S3}",
        "b": f"{S1} {S2} {S1.replace('Sunday', 'Monday')}",
        "c": f"Intro words of the outlet called C.\n\n{S3}",
    }
    passages = [p for pieces in _cluster(texts) for p in build_passages(pieces, 5, 8)]
    shared_s3 = [p for p in passages if any(m.text == S3 for m in p.members)]
    assert len(shared_s3) == 1
    assert sorted(m.doc_id for m in shared_s3[0].members) == ["a", "c"]


def test_text_repeated_in_one_document_is_reported_at_each_place():
    quote = "To anyone who might seek to take advantage of the conflict in Gaza: do not do it."
    texts = {"a": f"{quote}\n\nSome own text of the outlet A.\n\n{quote} he said.", "b": f"Blinken said: {quote}"}
    passages = [p for pieces in _cluster(texts) for p in build_passages(pieces, 5, 8)]
    places = sorted((m.doc_id, m.start) for p in passages for m in p.members if m.doc_id == "a")
    assert places == [("a", 0), ("a", texts["a"].rindex(quote))]


def test_pieces_without_enough_shared_words_make_no_passage():
    texts = {"a": S1, "b": S1}
    (pieces,) = _cluster(texts)
    assert build_passages(pieces, 5, len(S1.split()) + 5) == []


def _member(doc_id, start, end, paragraph=0, text="x", **kw):
    return Member(doc_id, None, None, start, end, (paragraph,), text, **kw)


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


def test_neighbours_say_which_passage_is_next_and_whether_it_shares_the_paragraph():
    passages = [
        [_member("a", 0, 10, 0), _member("b", 0, 10, 0)],
        [_member("a", 20, 30, 1), _member("b", 11, 20, 0)],
    ]
    sides = neighbours(passages)
    assert sides[(0, 0)] == (None, (1, False))  # a: the next passage is in the next paragraph
    assert sides[(0, 1)] == (None, (1, True))  # b: in the same paragraph (merged)
    assert sides[(1, 1)] == ((0, True), None)


@pytest.mark.parametrize(
    ("sides", "origin_sides", "breaks", "words", "origin_words", "common", "origin_rest", "kind"),
    [
        ((None, None), (None, None), (0, 1), 10, 10, 10, 0, "merged"),  # fewer breaks than the origin
        ((None, None), (None, None), (2, 1), 10, 10, 10, 0, "split"),  # more
        ((None, (1, True)), (None, (1, False)), (0, 0), 10, 10, 10, 0, "merged"),  # runs on into the next passage
        (((0, False), None), ((0, True), None), (0, 0), 10, 10, 10, 0, "split"),
        ((None, None), (None, None), (0, 0), 10, 10, 10, 0, "verbatim"),
        ((None, None), (None, None), (1, 1), 10, 10, 10, 0, "verbatim"),
        ((None, None), (None, None), (0, 0), 10, 10, 10, 12, "trimmed"),  # the origin's paragraph goes on
        ((None, None), (None, None), (0, 0), 7, 10, 7, 0, "trimmed"),  # the copy lacks origin words
        ((None, None), (None, None), (0, 0), 11, 10, 9, 0, "edited"),
        ((None, None), (None, None), (0, 0), 12, 12, 10, 12, "edited"),  # shorter and changed
        ((None, (1, True)), (None, (2, False)), (0, 0), 10, 10, 10, 0, "verbatim"),  # different neighbours
    ],
)
def test_member_kind(sides, origin_sides, breaks, words, origin_words, common, origin_rest, kind):
    assert member_kind(sides, origin_sides, *breaks, words, origin_words, common, origin_rest) == kind


_sentence = st.lists(st.sampled_from("alpha beta gamma delta epsilon zeta eta theta iota kappa".split()), min_size=9)


@given(st.lists(_sentence, min_size=1, max_size=4), st.lists(st.integers(0, 3), min_size=2, max_size=4))
def test_members_are_exact_slices_listing_the_paragraphs_they_touch_and_never_overlap(sentences, layout):
    base = [" ".join(s).capitalize() + "." for s in sentences]
    texts = {}
    for d, cut in enumerate(layout):
        body = base[: cut + 1]
        texts[f"d{d}"] = "\n\n".join([" ".join(body[:1])] + body[1:]) if d % 2 else " ".join(body)
    for pieces in _cluster(texts):
        segments = segment_cluster(pieces, 5, 8)
        seen = {}
        for members in segments:
            assert len(members) >= 2
            for m in members:
                assert texts[m.doc_id][m.start : m.end] == m.text
                touched = [
                    p.index
                    for p in document_paragraphs(m.doc_id, texts[m.doc_id], None, None)
                    if p.start < m.end and m.start < p.end
                ]
                assert list(m.paragraphs) == touched
                for s, e in seen.get((m.doc_id, id(members)), []):
                    assert m.end <= s or e <= m.start
                seen.setdefault((m.doc_id, id(members)), []).append((m.start, m.end))


@pytest.mark.parametrize(
    ("a_text", "b_text", "a_member"),
    [
        # A dateline glued by a dash is not part of the copy; the member starts on a whole word.
        (f"BAGHDAD\u2014{S1}", S1, S1),
        # Quotes attached to the first and last words belong to the member.
        (f"He said:\u201c{S1}\u201d", f"\u201c{S1}\u201d", f"\u201c{S1}\u201d"),
        # Written without spaces: every character is a word; nothing is "glued".
        (
            "\u3010\u901f\u5831\u3011\u6771\u4eac\u96fb\u529b\u306f\u5341\u65e5\u3001\u51e6\u7406\u6c34\u306e\u6d77\u6d0b\u653e\u51fa\u3092\u518d\u958b\u3057\u305f\u3002",
            "\u6771\u4eac\u96fb\u529b\u306f\u5341\u65e5\u3001\u51e6\u7406\u6c34\u306e\u6d77\u6d0b\u653e\u51fa\u3092\u518d\u958b\u3057\u305f\u3002",
            "\u6771\u4eac\u96fb\u529b\u306f\u5341\u65e5\u3001\u51e6\u7406\u6c34\u306e\u6d77\u6d0b\u653e\u51fa\u3092\u518d\u958b\u3057\u305f\u3002",
        ),
    ],
)
def test_members_start_and_end_on_whole_words(a_text, b_text, a_member):
    (pieces,) = _cluster({"a": a_text, "b": b_text}, {"a": "2024-01-01", "b": "2024-01-02"})
    (passage,) = build_passages(pieces, 5, 8)
    assert {m.doc_id: m.text for m in passage.members}["a"] == a_member


def test_sentences_an_outlet_reordered_are_both_found_in_the_paragraphs_one_passage():
    (passage,) = [
        p for pieces in _cluster({"a": f"{S1} {S2}", "b": f"{S2} {S1}"}) for p in build_passages(pieces, 5, 8)
    ]
    assert _spans(passage) == [("a", f"{S1} {S2}", "origin"), ("b", S2, "trimmed"), ("b", S1, "trimmed")]
    assert [m.coverage for m in passage.members if m.doc_id == "b"] == [0.5, 0.5]


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=8),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 10)), max_size=10),
)
def test_cover_says_whether_a_word_lies_inside_one_of_the_spans(spans, words):
    spans = [(a, a + n) for a, n in spans]
    cover = _Cover(spans)
    for s, n in words:
        assert cover(s, s + n) == any(a <= s and s + n <= b for a, b in spans)


def test_pieces_of_several_clusters_in_one_partition_make_each_clusters_passages():
    texts = {
        "a": f"{S1}\n\nOwn words that only the first outlet wrote today.\n\n{S3}",
        "b": f"{S1}\n\nSomething else entirely, written by the second outlet.",
        "c": f"Lead of C.\n\n{S3}",
    }
    clusters = _cluster(texts)
    assert len(clusters) == 2
    alone = [build_passages(sorted(p, key=lambda x: (x.paragraph.doc_id, x.start)), 5, 8) for p in clusters]
    every = [piece for pieces in clusters for piece in pieces][::-1]
    group = (7, [pack(every[:3]), pack(every[3:])])  # one partition, its pieces in two lists
    (passages,), counts = passages_batch([group], 5, 8, ())
    by_key = sorted(zip([p[0].component for p in clusters], alone, strict=True))
    assert passages == [passage for _, found in by_key for passage in found]
    assert counts == {("cluster", "clusters"): 2, ("cluster", "passages"): len(passages)}


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=8),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 10)), max_size=10),
)
def test_cover_counts_the_words_outside_every_span_as_one_by_one(spans, words):
    cover = _Cover([(a, a + n) for a, n in spans])
    starts = np.array([s for s, _ in words], dtype=np.int64)
    ends = np.array([s + n for s, n in words], dtype=np.int64)
    assert cover.outside(starts, ends) == sum(1 for s, n in words if not cover(s, s + n))


def test_a_scored_member_is_the_member_with_its_similarity_and_kind_replaced():
    member = Member("d", "o", "2024-01-01", 3, 9, (1, 2), "shared", credits=("AFP",))
    scored = member.scored(0.75, "edited")
    assert scored == replace(member, similarity=0.75, kind="edited")
    assert (member.similarity, member.kind) == (1.0, "origin")
    assert hash(scored) == hash(replace(member, similarity=0.75, kind="edited"))
