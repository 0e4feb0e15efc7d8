"""A run's rows -> what the report shows. Pure, no Beam, no I/O.

    overview(summary, shares, agencies, outlet_pairs) -> Overview      (rendered by the template)
    page_data(passages, documents, diffs, stories, others) -> dict     (embedded as JSON, drawn by the page's script)

The page data is compact, since a run can hold tens of thousands of passages:

    {"outlets": [name], "agencies": [name], "kinds": [kind],
     "stories": [...] (report.story_data.story_entries),
     "docs": [{"id", "outlet": i, "published", "title" (the one to show), "url", "credits",
               "chars", "shared": ratio, "text": str or null,
               "stories": [[story i, coverage]],
               "spans": [[start, end, passage i, 1 if origin else 0, passage id if i is -1]]}],
     "passages": [{"id", "agency": i, "size", "outlets": [i], "first": time or null,
                   "text": str or null (null: the origin member's text, from its document),
                   "origin": [doc i, confidence, [evidence]],
                   "members": [[doc i, start, end, kind i, similarity, delay s or null,
                                [paragraph], diff or null, coverage, the text it rewords or null,
                                text (only without document text)]]}]}

An index of -1 is none (unknown outlet, no agency, a passage not in the report).
Offsets and diff lengths count code points, as the provenance map's do; the page's
script maps them onto JavaScript's UTF-16 strings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from report.diff import word_diff
from report.story_data import shown_titles, story_entries
from transforms.maps import covered_length
from transforms.metadata import instant

UNKNOWN_OUTLET = "(unknown outlet)"


@dataclass(frozen=True)
class OutletShare:
    """One outlet's text, and how much of it is shared copy and wire copy (an agency's passages)."""

    outlet: str
    articles: int
    chars: int
    shared_chars: int
    wire_chars: int

    @property
    def shared_ratio(self) -> float:
        return self.shared_chars / self.chars if self.chars else 0.0

    @property
    def wire_ratio(self) -> float:
        return self.wire_chars / self.chars if self.chars else 0.0


@dataclass(frozen=True)
class Overview:
    """The report's first screen."""

    articles: int
    outlets: int
    passages: int
    chars: int
    shared_chars: int
    shares: list[OutletShare]  # by wire share, then shared share, widest first
    agencies: list[tuple[str, int]]  # (agency, passages) by passages; "(none)" for passages without one
    outlet_pairs: list[dict]  # outlets.csv rows

    @property
    def shared_ratio(self) -> float:
        return self.shared_chars / self.chars if self.chars else 0.0


def outlet_totals(documents: Iterable[dict], agencies: dict) -> dict[str, list[int]]:
    """documents.jsonl rows, {passage_id: agency} -> {outlet: [articles, chars, shared
    chars, wire chars]}: what outlet_shares sums, for rows read in parts."""
    totals: dict[str, list[int]] = {}
    for doc in documents:
        wire = [(s["start"], s["end"]) for s in doc["spans"] if agencies.get(s["passage_id"])]
        t = totals.setdefault(doc["outlet"] or UNKNOWN_OUTLET, [0, 0, 0, 0])
        t[0] += 1
        t[1] += doc["chars"]
        t[2] += doc["shared_chars"]
        t[3] += covered_length(wire)
    return totals


def shares_of(parts: Iterable[dict[str, list[int]]]) -> list[OutletShare]:
    """outlet_totals of each part of the rows -> one OutletShare per outlet, summed over
    the parts, by wire share, then shared share, widest first."""
    summed: dict[str, list[int]] = {}
    for totals in parts:
        for name, t in totals.items():
            summed[name] = [a + b for a, b in zip(summed.get(name, [0, 0, 0, 0]), t, strict=True)]
    shares = [OutletShare(name, *t) for name, t in summed.items()]
    return sorted(shares, key=lambda s: (-s.wire_ratio, -s.shared_ratio, s.outlet))


def outlet_shares(documents: Iterable[dict], agencies: dict) -> list[OutletShare]:
    """documents.jsonl rows, {passage_id: agency} -> one OutletShare per outlet."""
    return shares_of([outlet_totals(documents, agencies)])


def overview(summary: dict, shares: list[OutletShare], agencies: dict, outlet_pairs: list[dict]) -> Overview:
    """summary.json, outlet_shares of documents.jsonl, {passage_id: agency}, outlets.csv rows -> Overview."""
    counts = Counter(a or "(none)" for a in agencies.values())
    return Overview(
        articles=sum(s.articles for s in shares),
        outlets=sum(1 for s in shares if s.outlet != UNKNOWN_OUTLET),
        passages=summary.get("passages", len(agencies)),
        chars=sum(s.chars for s in shares),
        shared_chars=sum(s.shared_chars for s in shares),
        shares=shares,
        agencies=sorted(counts.items(), key=lambda kv: (kv[0] == "(none)", -kv[1], kv[0])),
        outlet_pairs=outlet_pairs,
    )


def _origin_text(passage: dict) -> str:
    origin = passage["origin"]["doc_id"]
    return next((m["text"] for m in passage["members"] if m["doc_id"] == origin and m["kind"] == "origin"), "")


def _delays(members: list[dict]) -> tuple[str | None, list[float | None]]:
    """members -> (the first publication time, each member's delay after it in seconds or None)."""
    times = [instant(m["published"]) for m in members]
    dated = [(t, m["published"]) for t, m in zip(times, members, strict=True) if t is not None]
    if not dated:
        return None, [None] * len(members)
    first, first_text = min(dated)
    return first_text, [(t - first).total_seconds() if t is not None else None for t in times]


KINDS = ["origin", "verbatim", "edited", "trimmed", "merged", "split", "rewritten"]


@dataclass(frozen=True)
class _Index:
    """Where each name of the page data sits in its list."""

    docs: dict  # doc_id -> documents.jsonl row
    doc: dict  # doc_id -> i
    outlet: dict
    agency: dict
    kind: dict
    passage: dict  # passage_id -> i


def _passage_entry(passage: dict, ix: _Index, diff_of: Callable[[str, str], list]) -> dict:
    origin_text = _origin_text(passage)
    first, delays = _delays(passage["members"])
    origin_doc = _origin_key(passage)
    members = []
    for m, delay in zip(passage["members"], delays, strict=True):
        diff = None if m["kind"] in ("origin", "rewritten") else diff_of(origin_text, m["text"])
        entry = [ix.doc[_key(m)], m["start"], m["end"], ix.kind[m["kind"]], m["similarity"], delay]
        rewrites = m.get("rewrites")
        entry += [m["paragraphs"], diff, m.get("coverage", 1.0), rewrites["text"] if rewrites else None]
        if ix.docs[_key(m)].get("text") is None:  # documents.jsonl without text: the member carries its own
            entry.append(m["text"])
        members.append(entry)
    agency = passage["agency"]
    return {
        "id": passage["passage_id"],
        "agency": ix.agency[agency] if agency else -1,
        "text": None if ix.docs[origin_doc].get("text") is not None else passage["text"],
        "size": passage["size"],
        "outlets": [ix.outlet[o] for o in passage["outlets"]],
        "origin": [ix.doc[origin_doc], passage["origin"]["confidence"], passage["origin"]["evidence"]],
        "first": first,
        "members": members,
    }


def _doc_entry(doc: dict, ix: _Index, title: str | None, story: dict) -> dict:
    spans = []
    for s in doc["spans"]:
        shown = ix.passage.get(s["passage_id"], -1)
        span = [s["start"], s["end"], shown, 1 if s["role"] == "origin" else 0]
        spans.append(span if shown >= 0 else [*span, s["passage_id"]])
    return {
        "id": doc["doc_id"],
        "outlet": ix.outlet[doc["outlet"]] if doc["outlet"] else -1,
        "published": doc["published"],
        "title": title,
        "url": doc["url"],
        "credits": doc["credits"],
        "chars": doc["chars"],
        "shared": doc["shared_ratio"],
        "text": doc.get("text"),
        "stories": [[story[s["story_id"]], s["coverage"]] for s in doc.get("stories", []) if s["story_id"] in story],
        "spans": spans,
    }


def _key(member: dict) -> str:
    """a member -> the key of its article in the page: an earlier run's article (--history)
    is apart from any article of this run that has the same id."""
    return "\x1e" + member["doc_id"] if member.get("history") else member["doc_id"]


def _origin_key(passage: dict) -> str:
    origin = passage["origin"]["doc_id"]
    at = [m for m in passage["members"] if m["doc_id"] == origin]
    return _key(next((m for m in at if m["kind"] == "origin"), at[0]))


def _earlier_articles(passages: list[dict]) -> dict:
    """members of earlier runs' articles (--history) -> a row for each such article that
    holds its members only: no text (each member carries its own), no share of its own."""
    rows: dict = {}
    for p in passages:
        for m in p["members"]:
            if not m.get("history"):
                continue
            row = rows.setdefault(
                _key(m),
                {
                    "doc_id": m["doc_id"],
                    "outlet": m["outlet"],
                    "published": m["published"],
                    "title": None,
                    "url": None,
                    "credits": [],
                    "chars": 0,
                    "shared_ratio": 0.0,
                    "spans": [],
                },
            )
            role = "origin" if _origin_key(p) == _key(m) and m["kind"] == "origin" else "copy"
            row["spans"].append({"start": m["start"], "end": m["end"], "passage_id": p["passage_id"], "role": role})
            row["chars"] = max(row["chars"], m["end"])
    for row in rows.values():
        row["spans"].sort(key=lambda s: (s["start"], s["end"], s["passage_id"]))
    return rows


def shown_doc_ids(passages: list[dict]) -> set[str]:
    """the passages to show -> the ids of this run's documents that carry them."""
    return {m["doc_id"] for p in passages for m in p["members"] if not m.get("history")}


def diff_pairs(passages: list[dict]) -> list[tuple[str, str]]:
    """the passages to show -> the distinct (origin text, copy text) pairs page_data
    diffs (report.diff.word_diff), in the order it meets them."""
    pairs = (
        (_origin_text(p), m["text"]) for p in passages for m in p["members"] if m["kind"] not in ("origin", "rewritten")
    )
    return list(dict.fromkeys(pairs))


def page_data(
    passages: list[dict],
    documents: Iterable[dict],
    diffs: dict | None = None,
    stories: list[dict] = (),
    others: Iterable[dict] = (),
) -> dict:
    """the passages to show (widest first), the documents.jsonl rows of the documents that
    carry them, the stories to show (widest first), and light rows (story_data.light_row)
    of every other document -> the page's JSON data.

    Every document of the run is in it; those that carry a shown passage with their text,
    if the run kept it. A document's spans of passages not shown point to passage -1.
    `diffs`: the word_diff of each of diff_pairs(passages), if worked out already (else
    worked out here).
    """
    diff_of = word_diff if diffs is None else lambda origin, copy: diffs[(origin, copy)]
    wanted = shown_doc_ids(passages)
    docs = {d["doc_id"]: d for d in documents if d["doc_id"] in wanted}
    docs.update((d["doc_id"], d) for d in others if d["doc_id"] not in docs)
    titles = shown_titles(docs.values())
    docs.update(_earlier_articles(passages))
    order_keys = sorted(docs, key=lambda k: (-docs[k]["shared_ratio"], docs[k]["doc_id"], k))
    order = [docs[k] for k in order_keys]
    outlets = sorted({d["outlet"] for d in order if d["outlet"]} | {o for p in passages for o in p["outlets"]})
    agencies = sorted({p["agency"] for p in passages if p["agency"]} | {s["agency"] for s in stories if s["agency"]})
    kinds = KINDS + sorted({m["kind"] for p in passages for m in p["members"]} - set(KINDS))
    ix = _Index(
        docs=docs,
        doc={key: i for i, key in enumerate(order_keys)},
        outlet={o: i for i, o in enumerate(outlets)},
        agency={a: i for i, a in enumerate(agencies)},
        kind={k: i for i, k in enumerate(kinds)},
        passage={p["passage_id"]: i for i, p in enumerate(passages)},
    )
    story = {s["story_id"]: i for i, s in enumerate(stories)}
    return {
        "outlets": outlets,
        "agencies": agencies,
        "kinds": kinds,
        "passages": [_passage_entry(p, ix, diff_of) for p in passages],
        "stories": story_entries(list(stories), ix.doc, ix.passage, ix.agency),
        "docs": [_doc_entry(d, ix, titles.get(d["doc_id"], d["title"]), story) for d in order],
    }
