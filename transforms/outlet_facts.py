"""The facts of the per-outlet views of summary.json, and their sums. Pure and
Beam-free: worker processes (transforms.work) tally documents too.

In: the documents.jsonl rows and the cross-outlet Passages. Out: (outlet, Tally) sums,
and each outlet's view (tally_view).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from transforms.metadata import instant
from transforms.model import Passage

UNKNOWN = "(unknown outlet)"
TOP_AGENCIES = 5

# One fact about an outlet: ("doc", chars, shared_chars), ("agency", name), ("origin", 1),
# or ("delay", seconds after the passage's first publication: never negative).
Fact = tuple


def document_facts(row: dict) -> list[tuple[str, Fact]]:
    """a documents.jsonl row -> (outlet, ("doc", chars, shared_chars))."""
    return [(row["outlet"] or UNKNOWN, ("doc", row["chars"], row["shared_chars"]))]


def passage_facts(passage: Passage) -> list[tuple[str, Fact]]:
    """a passage -> facts for the outlets carrying it in this run: its agency (once per
    outlet), which outlet originated it, and each other member's delay after the
    passage's first publication, by any member (when both are dated). Members of earlier
    runs (--history) were counted on their own day, but may be the first publication."""
    origin = next(m for m in passage.members if m.doc_id == passage.origin.doc_id)
    facts: list[tuple[str, Fact]] = [] if origin.history else [(origin.outlet or UNKNOWN, ("origin", 1))]
    outlets = sorted({m.outlet or UNKNOWN for m in passage.members if not m.history})
    if passage.agency:
        facts += [(outlet, ("agency", passage.agency)) for outlet in outlets]
    times = {m.doc_id: instant(m.published) for m in passage.members}
    dated = [(when, doc_id) for doc_id, when in times.items() if when is not None]
    if not dated:
        return facts
    start, first = min(dated)
    for m in passage.members:
        when = times[m.doc_id]
        if m.doc_id != first and not m.history and when is not None:
            facts.append((m.outlet or UNKNOWN, ("delay", (when - start).total_seconds())))
    return facts


# What an outlet's facts add up to: [articles, chars, shared chars, passages
# originated, {agency: passages}, [delays]]. Lists and a dict: Beam encodes them as they are.
Tally = list


def empty_tally() -> Tally:
    return [0, 0, 0, 0, {}, []]


def add_fact(tally: Tally, fact: Fact) -> Tally:
    """a tally and one more fact -> the tally (changed in place)."""
    if fact[0] == "doc":
        tally[0], tally[1], tally[2] = tally[0] + 1, tally[1] + fact[1], tally[2] + fact[2]
    elif fact[0] == "agency":
        tally[4][fact[1]] = tally[4].get(fact[1], 0) + 1
    elif fact[0] == "origin":
        tally[3] += 1
    else:
        tally[5].append(fact[1])
    return tally


def merge_tallies(tallies: Iterable[Tally]) -> Tally:
    """tallies of parts of one outlet's facts -> the tally of all of them."""
    merged = empty_tally()
    for tally in tallies:
        for k in range(4):
            merged[k] += tally[k]
        for agency, n in tally[4].items():
            merged[4][agency] = merged[4].get(agency, 0) + n
        merged[5].extend(tally[5])
    return merged


def outlet_tallies(facts: Iterable[tuple[str, Fact]]) -> list[tuple[str, Tally]]:
    """(outlet, fact) pairs -> (outlet, the tally of its facts), by outlet."""
    tallies: dict[str, Tally] = {}
    for outlet, fact in facts:
        add_fact(tallies.setdefault(outlet, empty_tally()), fact)
    return sorted(tallies.items())


def document_tallies(rows: Iterable[dict]) -> list[tuple[str, Tally]]:
    """documents.jsonl rows -> (outlet, the tally of its documents among them), by outlet."""
    return outlet_tallies(fact for row in rows for fact in document_facts(row))


def batch_tallies(passages: Iterable[Passage]) -> list[tuple[str, Tally]]:
    """a batch of passages -> (outlet, the tally of its facts in the batch), by outlet."""
    return outlet_tallies(fact for passage in passages for fact in passage_facts(passage))


def tally_view(tally: Tally) -> dict:
    """an outlet's tally -> its view."""
    articles, chars, shared, origins, agencies, delays = tally
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


def outlet_view(facts: Iterable[Fact]) -> dict:
    """all facts of one outlet -> its view."""
    tally = empty_tally()
    for fact in facts:
        add_fact(tally, fact)
    return tally_view(tally)
