"""Per-outlet views for summary.json: articles, share of shared copy, top agencies, delay.

In: the documents.jsonl rows and the cross-outlet Passages. Out: one dict
{outlet: view}. The facts are pure functions; OutletViews is the thin Beam wrapper.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable

import apache_beam as beam

from transforms.metadata import instant
from transforms.model import Passage

UNKNOWN = "(unknown outlet)"
TOP_AGENCIES = 5

# One fact about an outlet: ("doc", chars, shared_chars), ("agency", name), ("origin", 1),
# or ("delay", seconds after the origin's publication).
Fact = tuple


def document_facts(row: dict) -> list[tuple[str, Fact]]:
    """a documents.jsonl row -> (outlet, ("doc", chars, shared_chars))."""
    return [(row["outlet"] or UNKNOWN, ("doc", row["chars"], row["shared_chars"]))]


def passage_facts(passage: Passage) -> list[tuple[str, Fact]]:
    """a passage -> facts for the outlets carrying it in this run: its agency (once per
    outlet), which outlet originated it, and each copy's delay after the origin (when
    both are dated). Members of earlier runs (--history) were counted on their own day."""
    origin = next(m for m in passage.members if m.doc_id == passage.origin.doc_id)
    facts: list[tuple[str, Fact]] = [] if origin.history else [(origin.outlet or UNKNOWN, ("origin", 1))]
    outlets = sorted({m.outlet or UNKNOWN for m in passage.members if not m.history})
    if passage.agency:
        facts += [(outlet, ("agency", passage.agency)) for outlet in outlets]
    start = instant(origin.published)
    for m in passage.members:
        when = instant(m.published)
        if m.doc_id != origin.doc_id and not m.history and start is not None and when is not None:
            facts.append((m.outlet or UNKNOWN, ("delay", (when - start).total_seconds())))
    return facts


def outlet_view(facts: Iterable[Fact]) -> dict:
    """all facts of one outlet -> its view."""
    articles = chars = shared = origins = 0
    agencies: Counter = Counter()
    delays = []
    for fact in facts:
        if fact[0] == "doc":
            articles, chars, shared = articles + 1, chars + fact[1], shared + fact[2]
        elif fact[0] == "agency":
            agencies[fact[1]] += 1
        elif fact[0] == "origin":
            origins += 1
        else:
            delays.append(fact[1])
    top = sorted(agencies.items(), key=lambda item: (-item[1], item[0]))[:TOP_AGENCIES]
    return {
        "articles": articles,
        "chars": chars,
        "shared_chars": shared,
        "shared_ratio": round(shared / chars, 4) if chars else 0.0,
        "top_agencies": [{"agency": name, "passages": n} for name, n in top],
        "passages_originated": origins,
        "copies_dated": len(delays),
        "median_delay_seconds": round(statistics.median(delays), 1) if delays else None,
    }


class _FactsByOutlet(beam.CombineFn):
    """(outlet, fact) -> {outlet: [fact]}. Combined where the facts are made, so that they
    cross the shuffle as a few lists, not as a million elements of their own."""

    def create_accumulator(self) -> dict:
        return {}

    def add_input(self, accumulator: dict, element) -> dict:
        outlet, fact = element
        accumulator.setdefault(outlet, []).append(fact)
        return accumulator

    def merge_accumulators(self, accumulators) -> dict:
        merged: dict = {}
        for accumulator in accumulators:
            for outlet, facts in accumulator.items():
                merged.setdefault(outlet, []).extend(facts)
        return merged

    def extract_output(self, accumulator: dict) -> dict:
        return accumulator


class _ViewPerOutlet(_FactsByOutlet):
    """{outlet: [fact]} dicts -> {outlet: outlet_view(all its facts)}."""

    def add_input(self, accumulator: dict, element) -> dict:
        return self.merge_accumulators([accumulator, element])

    def extract_output(self, accumulator: dict) -> dict:
        return {outlet: outlet_view(facts) for outlet, facts in accumulator.items()}


class OutletViews(beam.PTransform):
    """(documents.jsonl rows, cross-outlet Passages) -> one dict {outlet: view}."""

    def __init__(self, passages):
        super().__init__()
        self.passages = passages

    def expand(self, document_rows):
        docs = (
            document_rows
            | "DocumentFacts" >> beam.FlatMap(document_facts)
            | "DocumentFactsByOutlet" >> beam.CombineGlobally(_FactsByOutlet()).without_defaults()
        )
        shared = (
            self.passages
            | "PassageFacts" >> beam.FlatMap(passage_facts)
            | "PassageFactsByOutlet" >> beam.CombineGlobally(_FactsByOutlet()).without_defaults()
        )
        return (docs, shared) | "AllFacts" >> beam.Flatten() | "AllOutlets" >> beam.CombineGlobally(_ViewPerOutlet())
