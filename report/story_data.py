"""The report's stories and its articles' shown titles. Pure, no Beam, no I/O.

    light_row(doc) -> a documents.jsonl row without text or spans (an article no shown passage is in)
    shown_titles(rows) -> {doc_id: title to show}
    story_entries(stories, doc_index, passage_index, agency_index) -> the page's stories

A title that is site furniture is not shown: one that three articles or more carry
("Next", "e-mail", "5-Day Forecast" on every page of a site), or one too short to say
anything (fewer than three words and fifteen characters). The article's first real
sentence stands in for it, and for a missing title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from transforms.metadata import is_metadata

FURNITURE_TITLE_ARTICLES = 3  # a title this many articles carry is site furniture
LEAD_CHARS = 160  # of the first sentence shown for a title
_SENTENCE = re.compile(r"[^.!?\n]*[A-Za-z\u00c0-\uffff][^.!?\n]*[.!?]?")


def first_sentence(text: str | None) -> str | None:
    """article text -> its first sentence of four words or more, past lines that state
    metadata or are site furniture (its first line's, if none), cut at LEAD_CHARS; None
    without text."""
    if not text:
        return None
    for line in text.splitlines():
        if is_metadata(line.strip()):
            continue
        for m in _SENTENCE.finditer(line):
            sentence = m.group(0).strip()
            if len(sentence.split()) >= 4:
                return sentence if len(sentence) <= LEAD_CHARS else sentence[: LEAD_CHARS - 1] + "\u2026"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first[:LEAD_CHARS] or None


def light_row(doc: dict) -> dict:
    """a documents.jsonl row -> what the report keeps of an article no shown passage is
    in: its metadata, shares and stories, and its first sentence (`lead`) for a title."""
    return {
        "doc_id": doc["doc_id"],
        "outlet": doc["outlet"],
        "published": doc["published"],
        "title": doc["title"],
        "url": doc["url"],
        "credits": doc["credits"],
        "chars": doc["chars"],
        "shared_ratio": doc["shared_ratio"],
        "stories": doc.get("stories", []),
        "spans": [],
        "lead": first_sentence(doc.get("text")),
    }


def _is_furniture(title: str, carried: int) -> bool:
    words = title.split()
    return carried >= FURNITURE_TITLE_ARTICLES or (len(words) < 3 and len(title) < 15)


def shown_titles(rows: Iterable[dict]) -> dict[str, str | None]:
    """documents.jsonl rows (full or light) -> {doc_id: the title to show}: the title, or
    the first real sentence where the title is missing or site furniture."""
    rows = list(rows)
    counts = Counter(r["title"].strip().lower() for r in rows if r.get("title"))
    shown = {}
    for r in rows:
        title = (r.get("title") or "").strip()
        lead = r["lead"] if "lead" in r else first_sentence(r.get("text"))
        shown[r["doc_id"]] = lead if not title or _is_furniture(title, counts[title.lower()]) else title
        if shown[r["doc_id"]] is None:
            shown[r["doc_id"]] = title or None
    return shown


def story_entries(stories: list[dict], doc: dict, passage: dict, agency: dict) -> list[dict]:
    """stories.jsonl rows, {doc key: index}, {passage_id: index}, {agency: index} -> the
    page's stories: [{id, agency, first: [doc, time] or null, origin: [doc, confidence,
    evidence], paragraphs: [passage index, or the paragraph's text if the passage is not
    in the report], members: [[doc, coverage, delay minutes or null, shared chars,
    "kind n, ..."]]}]. Members whose article is not in the page are left out."""
    out = []
    paragraphs_of = {}
    for s in stories:
        texts = s["text"].split("\n\n")
        if len(texts) != len(s["passages"]):
            texts = [None] * len(s["passages"])
        paragraphs_of[s["story_id"]] = [
            passage[pid] if pid in passage else text for pid, text in zip(s["passages"], texts, strict=True)
        ]
    for s in stories:
        first = s["first_published"]
        members = [
            [doc[m["doc_id"]], m["coverage"], m["delay_minutes"], m["shared_chars"], _kinds(m["kinds"])]
            for m in s["members"]
            if m["doc_id"] in doc and not m.get("history")
        ]
        out.append(
            {
                "id": s["story_id"],
                "agency": agency.get(s["agency"], -1) if s["agency"] else -1,
                "first": [doc.get(first["doc_id"], -1), first["published"]] if first else None,
                "origin": [doc.get(s["origin"]["doc_id"], -1), s["origin"]["confidence"], s["origin"]["evidence"]],
                "paragraphs": paragraphs_of[s["story_id"]],
                "members": members,
            }
        )
    return out


def _kinds(kinds: dict) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in kinds.items())


def story_reach(story: dict) -> tuple:
    """a stories.jsonl row -> its rank for the report, widest first."""
    return (-story["size"], story["story_id"])
