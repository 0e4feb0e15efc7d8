"""transforms.outlet_facts and transforms.outlet_views: the per-outlet views of summary.json."""

import json

from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli import run
from transforms.model import Member, Origin, Passage
from transforms.outlet_facts import (
    UNKNOWN,
    add_fact,
    batch_tallies,
    document_tallies,
    empty_tally,
    merge_tallies,
    outlet_view,
    passage_facts,
    tally_view,
)
from transforms.outlet_views import MergeTalliesFn


def _member(doc_id, outlet, published, kind="verbatim"):
    return Member(doc_id, outlet, published, 0, 10, (0,), "x" * 10, kind=kind)


def _passage(agency, *members):
    return Passage("p1", "x", agency, Origin(members[0].doc_id, 0.9, ("earliest_published",)), tuple(members))


def test_passage_facts_give_agency_once_per_outlet_origin_and_delays():
    passage = _passage(
        "AFP",
        _member("w", "AFP", "2024-03-01T08:00:00Z", "origin"),
        _member("a", "Daily", "2024-03-01T10:30:00+01:00"),  # 09:30 UTC: 90 minutes later
        _member("b", "Daily", None),  # undated: no delay
        _member("c", None, "2024-03-02T08:00:00Z"),
    )
    facts = sorted(passage_facts(passage), key=repr)
    assert facts == sorted(
        [
            ("AFP", ("origin", 1)),
            ("AFP", ("agency", "AFP")),
            ("Daily", ("agency", "AFP")),
            (UNKNOWN, ("agency", "AFP")),
            ("Daily", ("delay", 5400.0)),
            (UNKNOWN, ("delay", 86400.0)),
        ],
        key=repr,
    )


def test_outlet_view_sums_documents_and_ranks_agencies():
    facts = [
        ("doc", 100, 40),
        ("doc", 300, 0),
        ("agency", "Reuters"),
        ("agency", "AFP"),
        ("agency", "AFP"),
        ("delay", 60.0),
        ("delay", 180.0),
        ("delay", 7200.0),
        ("origin", 1),
    ]
    assert outlet_view(facts) == {
        "articles": 2,
        "chars": 400,
        "shared_chars": 40,
        "shared_ratio": 0.1,
        "top_agencies": [{"agency": "AFP", "passages": 2}, {"agency": "Reuters", "passages": 1}],
        "passages_originated": 1,
        "copies_dated": 3,
        "median_delay_seconds": 180.0,
    }
    assert outlet_view([("doc", 0, 0)])["median_delay_seconds"] is None


def test_summary_holds_a_view_per_outlet_that_adds_up_to_documents_jsonl(tmp_path):
    wire = "Secretary of State Antony Blinken arrived in Baghdad on Sunday for talks with Prime Minister al-Sudani."
    rows = [
        {"id": "w", "text": f"BAGHDAD (AFP) - {wire}", "outlet": "AFP", "published": "2024-03-01T08:00:00Z"},
        {
            "id": "a",
            "text": f"{wire}\n\nAFP contributed to this report.",
            "outlet": "Daily",
            "published": "2024-03-01T09:00:00Z",
        },
        {"id": "b", "text": f"Own words.\n\n{wire}", "outlet": "Daily", "published": "2024-03-01T11:00:00Z"},
        {"id": "c", "text": "Nothing shared here at all, only local football.", "outlet": "Local"},
    ]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert run(["run", "--input", str(corpus), "--output", str(tmp_path / "out")]) == 0
    views = json.loads((tmp_path / "out" / "summary.json").read_text())["outlets"]
    documents = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()]
    assert sorted(views) == ["AFP", "Daily", "Local"]
    for outlet, view in views.items():
        mine = [d for d in documents if d["outlet"] == outlet]
        assert view["articles"] == len(mine)
        assert view["shared_chars"] == sum(d["shared_chars"] for d in mine)
    assert views["AFP"]["passages_originated"] == 1
    assert views["Daily"]["top_agencies"] == [{"agency": "AFP", "passages": 1}]
    assert views["Daily"]["median_delay_seconds"] == 7200.0  # one hour and three hours after the wire
    assert views["Local"]["shared_ratio"] == 0.0 and views["Local"]["median_delay_seconds"] is None


_facts = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", UNKNOWN]),
        st.one_of(
            st.tuples(st.just("doc"), st.integers(1, 500), st.integers(0, 100)),
            st.tuples(st.just("agency"), st.sampled_from(["AFP", "AP", "Reuters"])),
            st.tuples(st.just("origin"), st.just(1)),
            st.tuples(st.just("delay"), st.floats(0, 1e5)),
        ),
    ),
    max_size=40,
)


@given(st.lists(_facts, max_size=4), st.lists(_facts, max_size=3))
def test_tallies_combined_in_any_parts_give_the_views_of_all_facts(doc_parts, passage_parts):
    """an outlet's facts tallied per bundle (any split), then the tallies merged -> the
    outlet_view of all its facts."""
    merge = MergeTalliesFn()
    every = [fact for part in doc_parts + passage_parts for fact in part]
    for outlet in {o for o, _ in every}:
        tallies = []
        for part in doc_parts + passage_parts:
            tally = empty_tally()
            for o, fact in part:
                if o == outlet:
                    tally = add_fact(tally, fact)
            tallies.append(tally)
        docs, passages = tallies[: len(doc_parts)], tallies[len(doc_parts) :]
        merged = merge.create_accumulator()
        for partial in (merge_tallies(docs), merge_tallies(passages)):
            merged = merge.add_input(merged, partial)
        merged = merge.merge_accumulators([merged, merge.create_accumulator()])
        assert merge.extract_output(merged) == outlet_view([f for o, f in every if o == outlet])


def test_batch_tallies_give_each_outlet_the_views_of_its_passage_facts():
    passages = [
        _passage("AFP", _member("w", "AFP", "2024-03-01T08:00:00Z", "origin"), _member("a", "Daily", None)),
        _passage("AP", _member("a", "Daily", "2024-03-01T08:00:00Z", "origin"), _member("c", None, None)),
        _passage(
            None, _member("c", None, "2024-03-01T08:00:00Z", "origin"), _member("w", "AFP", "2024-03-01T09:00:00Z")
        ),
    ]
    facts = [fact for passage in passages for fact in passage_facts(passage)]
    tallies = batch_tallies(passages)
    assert [outlet for outlet, _ in tallies] == sorted({outlet for outlet, _ in facts})
    for outlet, tally in tallies:
        assert tally_view(tally) == outlet_view(f for o, f in facts if o == outlet)
    assert batch_tallies([]) == []


def test_document_tallies_count_each_outlets_articles_and_characters():
    rows = [
        {"outlet": "Daily", "chars": 100, "shared_chars": 40},
        {"outlet": None, "chars": 30, "shared_chars": 0},
        {"outlet": "Daily", "chars": 300, "shared_chars": 0},
    ]
    tallies = dict(document_tallies(rows))
    assert list(tallies) == sorted(["Daily", UNKNOWN])
    assert tally_view(tallies["Daily"])["articles"] == 2
    assert tally_view(tallies["Daily"])["shared_ratio"] == 0.1
    assert tally_view(tallies[UNKNOWN])["chars"] == 30
    assert document_tallies([]) == []
