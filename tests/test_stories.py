"""transforms.stories: passages grouped into wire stories, with who ran each, how much
of it, who was first and who was the source."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.stories import MemberFacts, StoryFacts, build_stories, group_passages, links


def _m(doc, published=None, start=0, coverage=1.0, credits=(), outlet=None, kind="verbatim"):
    return MemberFacts(doc, outlet or f"Outlet {doc}", published, start, 100, coverage, kind, tuple(credits), False)


def _p(pid, members, agency=None, quote=False, origin=None, words=20):
    return StoryFacts(pid, f"text of {pid}", words, agency, quote, origin or members[0].doc_id, tuple(members))


def _groups(facts):
    return sorted(sorted(facts[i].passage_id for i in group) for group in group_passages(facts))


def test_passages_two_articles_carry_are_one_story_and_a_shared_quote_does_not_join_two():
    reuters = [_p(f"r{k}", [_m("a", start=k), _m("b", start=k)], "Reuters") for k in range(3)]
    afp = [_p(f"f{k}", [_m("c", start=k), _m("d", start=k)], "AFP") for k in range(2)]
    quote = _p("q", [_m("a", start=9), _m("c", start=9)], quote=True, origin="c")
    assert _groups([*reuters, *afp, quote]) == [["f0", "f1", "q"], ["r0", "r1", "r2"]]
    stories = build_stories([*reuters, *afp, quote])
    members = sorted(sorted(m["doc_id"] for m in s.members) for s in stories)
    assert members == [["a", "b"], ["c", "d"]]  # a quotes what the AFP story quotes: no member of it


def test_a_roundup_carrying_two_stories_joins_neither_and_is_a_member_of_both():
    one = [_p(f"a{k}", [_m("x", start=k), _m("y", start=k), _m("r", start=k)]) for k in range(3)]
    two = [_p(f"b{k}", [_m("u", start=k), _m("v", start=k), _m("r", start=10 + k)]) for k in range(2)]
    stories = build_stories([*one, *two])
    assert len(stories) == 2
    assert [sorted(m["doc_id"] for m in s.members) for s in stories if "a0" in s.passages] == [["r", "x", "y"]]
    assert [sorted(m["doc_id"] for m in s.members) for s in stories if "b0" in s.passages] == [["r", "u", "v"]]


def test_parts_of_one_wire_that_different_outlets_took_are_one_story():
    # The wire w; c1 took its start, c2 its end: the two halves share only w, their origin.
    start = [_p(f"s{k}", [_m("w", start=k), _m("c1", start=k)], origin="w") for k in range(2)]
    end = [_p(f"e{k}", [_m("w", start=10 + k), _m("c2", start=k)], origin="w") for k in range(2)]
    assert _groups([*start, *end]) == [["e0", "e1", "s0", "s1"]]


def test_a_line_two_agencies_report_links_nothing():
    line = _p("l", [_m("a", credits=["AFP"]), _m("b", credits=["Reuters"])])
    assert not links(line)
    roundup = _p("r", [_m(d, credits=["AFP"]) for d in "abcde"] + [_m("f", credits=["Reuters"])])
    assert links(roundup)  # one article crediting another agency among five: no conflict
    assert links(_p("both", [_m("a", credits=["AFP", "Reuters"]), _m("b", credits=["Reuters"])]))
    assert not links(_p("q", [_m("a"), _m("b")], quote=True))


def test_the_story_reads_in_its_articles_order_with_what_the_fullest_lacks_in_its_place():
    p = [
        _p("p1", [_m("full", start=0), _m("other", start=0)]),
        _p("p2", [_m("full", start=100), _m("other", start=100)]),
        _p("p3", [_m("other", start=150), _m("third", start=0)]),  # between p2 and p4 in "other"
        _p("p4", [_m("full", start=200), _m("other", start=200), _m("third", start=50)]),
    ]
    (story,) = build_stories(p)
    assert story.passages == ("p1", "p2", "p3", "p4")
    assert story.text == "text of p1\n\ntext of p2\n\ntext of p3\n\ntext of p4"


def test_first_published_and_origin_are_two_facts_and_delays_are_never_negative():
    members = [
        _m("early", "2024-03-01T08:00:00+00:00", coverage=0.5),
        _m("credit", "2024-03-01T10:00:00+00:00", credits=["AFP"]),
        _m("late", "2024-03-01T09:30:00+01:00"),  # 08:30 UTC
    ]
    (story,) = build_stories([_p("p", members, "AFP"), _p("q", members, "AFP")])
    assert story.first_published == {"doc_id": "early", "published": "2024-03-01T08:00:00+00:00"}
    assert story.origin["doc_id"] == "credit" and story.origin["evidence"][0] == "credits:AFP"
    delays = {m["doc_id"]: m["delay_minutes"] for m in story.members}
    assert delays == {"early": 0.0, "late": 30.0, "credit": 120.0}
    assert [m["doc_id"] for m in story.members] == ["early", "late", "credit"]


def test_without_a_credit_the_earliest_member_with_the_fullest_copy_is_the_origin():
    members = [_m("b", "2024-03-01T08:00:00Z", coverage=1.0), _m("a", "2024-03-01T08:00:00Z", coverage=0.6)]
    (story,) = build_stories([_p("p", members), _p("q", members)])
    assert story.origin["doc_id"] == "b" and story.origin["evidence"] == ["earliest_published", "most_complete"]
    wire = [_m("AFP", "2024-03-01T09:00:00Z", outlet="AFP"), _m("c", "2024-03-01T08:00:00Z", credits=["AFP"])]
    (story,) = build_stories([_p("p", wire, "AFP"), _p("q", wire, "AFP")], wire_of=lambda o: o if o == "AFP" else None)
    assert story.origin["doc_id"] == "AFP" and story.origin["evidence"][0] == "agency_wire:AFP"


def test_coverage_is_the_share_of_the_storys_words_an_article_carries():
    p = [
        _p("p1", [_m("a", start=0), _m("b", start=0, coverage=0.5)], words=30),
        _p("p2", [_m("a", start=100), _m("c", start=0)], words=10),
    ]
    (story,) = build_stories(p)
    assert {m["doc_id"]: m["coverage"] for m in story.members} == {"a": 1.0, "b": 0.375, "c": 0.25}


@st.composite
def _corpora(draw):
    n_docs, n_passages = draw(st.integers(2, 8)), draw(st.integers(1, 10))
    facts = []
    for k in range(n_passages):
        docs = draw(st.lists(st.integers(0, n_docs - 1), min_size=2, max_size=n_docs, unique=True))
        agency = draw(st.sampled_from([None, "AFP", "Reuters"]))
        members = [_m(f"d{d}", start=draw(st.integers(0, 50)), credits=[agency] if agency else []) for d in docs]
        facts.append(_p(f"p{k:02d}", members, agency, quote=draw(st.booleans())))
    return facts


@settings(max_examples=60)
@given(_corpora(), st.randoms())
def test_every_passage_is_in_exactly_one_story_whatever_the_order(facts, rng):
    stories = build_stories(facts)
    shuffled = list(facts)
    random.Random(rng.random()).shuffle(shuffled)
    assert build_stories(shuffled) == stories
    placed = sorted(p for s in stories for p in s.passages)
    assert placed == sorted(f.passage_id for f in facts)
    assert [s.story_id for s in stories] == sorted(s.story_id for s in stories)
    for s in stories:
        assert all(m["delay_minutes"] is None or m["delay_minutes"] >= 0 for m in s.members)
        assert all(0 < m["coverage"] <= 1 for m in s.members)
