"""A synthetic wire corpus with ground truth, built from the seeds' vocabulary only.

Agency stories are republished by many outlets, each copy with one edit per copied
paragraph (verbatim, trimmed, merged, split, edited), interleaved with the outlet's own
paragraphs, its site furniture and template lines, photo captions (whose photo credits
name some agency: a trap for credit detection) and agency credit lines. Half the
stories are also in the corpus as the agency's own wire (outlet "AFP", ...), published
first; copies follow it by minutes to a day and a half. Outlets credit the agency in
one of three house styles: a dateline ("BAGHDAD (AFP) -"), a closing credit ("AFP
contributed to this report", now and then with "Additional reporting by Reuters" for a
second agency), or not at all. Nothing is downloaded: the words come
from seeds/.

`generate(n_docs, seed)` returns (documents, truth): documents are JSON Lines rows
({id, text, outlet, published}); truth records, for every document, the story it
carries and whether it credits the story's agency, and for every copied paragraph its
character span, the story paragraphs it carries and the edit made, and the spans of
boilerplate.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AGENCIES = ["AFP", "Reuters", "AP", "dpa", "EFE", "ANSA"]
CITIES = ["BAGHDAD", "GAZA CITY", "WASHINGTON", "BEIRUT", "TEHRAN", "DAMASCUS", "CAIRO", "AMMAN"]
CREDIT_STYLES = ["dateline", "closing", "none"]  # each outlet's house style, by outlet number
START = datetime(2024, 3, 1, tzinfo=UTC)
EDITS = ["verbatim", "trimmed", "merged", "split", "edited"]
FURNITURE = [
    "Skip to main content",
    "Advertisement",
    "Sign up for our daily newsletter to get the top stories delivered to your inbox every morning.",
    "By registering for the newsletter, you agree to the Privacy Policy and the Terms of Use.",
    "Share this article on Facebook, Twitter, WhatsApp and by email with your friends and family.",
]


@dataclass
class Copied:
    """One paragraph of a document that carries agency copy."""

    start: int
    end: int
    story: int
    paragraphs: tuple[int, ...]  # indices of the story paragraphs it carries
    kind: str
    sentences: tuple[tuple[int, int], ...] = ()  # (story paragraph, sentence) pairs it carries


@dataclass
class Truth:
    """What one generated document really contains."""

    doc_id: str
    outlet: str
    copied: list[Copied] = field(default_factory=list)
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    story: int | None = None  # the story it carries, if any
    agency: str | None = None  # that story's agency
    wire: bool = False  # the agency's own wire publication of the story
    credits: bool = False  # whether the article credits the agency


def _vocabulary() -> list[str]:
    words = set()
    for path in sorted(SEEDS.glob("*.txt")):
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", path.read_text(encoding="utf-8")))
    return sorted(words)


class _Writer:
    def __init__(self, rng: random.Random, vocabulary: list[str]):
        self.rng, self.vocabulary = rng, vocabulary

    def sentence(self) -> str:
        words = self.rng.choices(self.vocabulary, k=self.rng.randint(12, 26))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self, sentences: int) -> list[str]:
        return [self.sentence() for _ in range(sentences)]


def _edit(rng: random.Random, sentences: list[str]) -> str:
    """A lightly edited copy: an honorific, a changed word, curly quotes."""
    text = " ".join(sentences)
    words = text.split(" ")
    i = rng.randrange(1, len(words))
    words.insert(i, "Mr.")
    j = rng.randrange(len(words))
    words[j] = "reportedly"
    text = " ".join(words)
    k = text.find(" ", rng.randrange(len(text) // 2)) + 1  # quotes open before a word
    return text[:k] + "\u201c" + text[k:] + "\u201d"


def _copies(rng, story: list[list[str]], kinds: list[str], first: int = 0):
    """story paragraphs from `first` on -> [(text, story paragraph indices, kind, sentences)]
    for one outlet's copy."""
    out, i = [], first
    while i < len(story):
        kind = kinds[i]
        whole = tuple((i, k) for k in range(len(story[i])))
        if kind == "merged" and i + 1 < len(story):
            both = whole + tuple((i + 1, k) for k in range(len(story[i + 1])))
            out.append((" ".join(story[i] + story[i + 1]), (i, i + 1), kind, both))
            i += 2
            continue
        if kind == "split" and len(story[i]) >= 2:
            cut = len(story[i]) // 2
            out.append((" ".join(story[i][:cut]), (i,), kind, whole[:cut]))
            out.append((" ".join(story[i][cut:]), (i,), kind, whole[cut:]))
        elif kind == "trimmed" and len(story[i]) >= 2:
            out.append((" ".join(story[i][:-1]), (i,), kind, whole[:-1]))
        elif kind == "edited":
            out.append((_edit(rng, story[i]), (i,), kind, whole))
        else:
            out.append((" ".join(story[i]), (i,), "verbatim", whole))
        i += 1
    return out


def _when(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _caption(rng: random.Random, writer: _Writer) -> str:
    """a photo caption whose credit names an agency: not an article credit."""
    words = writer.sentence()[:-1]
    return f"{words}. (Photo by Sam Lee/{rng.choice(AGENCIES)} via Getty Images)"


def generate(n_docs: int, seed: int = 7, outlets: int = 40, copies_per_story: int = 8):
    """n_docs, seed -> (JSON Lines rows, [Truth]): a deterministic corpus and its truth."""
    rng = random.Random(seed)
    writer = _Writer(rng, _vocabulary())
    outlet_names = [f"Outlet {i:03d} News" for i in range(outlets)]
    style = {o: CREDIT_STYLES[i % len(CREDIT_STYLES)] for i, o in enumerate(outlet_names)}
    templates = {o: writer.sentence() for o in outlet_names}  # a line each outlet repeats
    n_stories = max(1, n_docs // copies_per_story)
    stories = [[writer.paragraph(rng.randint(1, 3)) for _ in range(rng.randint(4, 8))] for _ in range(n_stories)]
    filed = [START + timedelta(minutes=rng.randrange(28 * 24 * 60)) for _ in stories]
    wires = [s for s in range(n_stories) if s % 2 == 0]
    rows, truths = [], []

    def add(doc_id, outlet, published, parts, truth):
        text = ""
        for body, label in parts:
            start = len(text)
            text += body
            if isinstance(label, tuple):
                s, paras, kind, sentences = label
                truth.copied.append(Copied(start, len(text), s, paras, kind, sentences))
            elif label == "boilerplate":
                truth.boilerplate.append((start, len(text)))
            text += "\n\n"
        rows.append({"id": doc_id, "text": text.rstrip("\n"), "outlet": outlet, "published": _when(published)})
        truths.append(truth)

    for s in wires:
        agency = AGENCIES[s % len(AGENCIES)]
        dateline = f"{CITIES[s % len(CITIES)]} ({agency}) - "
        parts = [
            (dateline * (p == 0) + " ".join(body), (s, (p,), "origin", tuple((p, k) for k in range(len(body)))))
            for p, body in enumerate(stories[s])
        ]
        truth = Truth(f"wire{s:05d}", agency, story=s, agency=agency, wire=True, credits=True)
        add(truth.doc_id, agency, filed[s], parts, truth)
    for d in range(n_docs - len(wires)):
        outlet = outlet_names[rng.randrange(outlets)]
        doc_id = f"doc{d:06d}"
        truth = Truth(doc_id, outlet)
        parts: list[tuple[str, object]] = [(rng.choice(FURNITURE[:2]), "boilerplate"), (writer.sentence(), "own")]
        published = START + timedelta(minutes=rng.randrange(28 * 24 * 60))
        if rng.random() < 0.85:
            s = rng.randrange(n_stories)
            story = stories[s]
            agency = AGENCIES[s % len(AGENCIES)]
            truth.story, truth.agency = s, agency
            published = filed[s] + timedelta(minutes=rng.randint(10, 36 * 60))
            kinds = [rng.choice(EDITS) for _ in story]
            first = rng.randrange(0, 2)
            for n, (text, paras, kind, sentences) in enumerate(_copies(rng, story, kinds, first)):
                if n == 0 and style[outlet] == "dateline":
                    text = f"{CITIES[s % len(CITIES)]} ({agency}) - {text}"
                    truth.credits = True
                parts.append((text, (s, paras, kind, sentences)))
                if rng.random() < 0.3:
                    parts.append((" ".join(writer.paragraph(1)), "own"))
                if rng.random() < 0.1:
                    parts.append((_caption(rng, writer), "boilerplate"))
            if style[outlet] == "closing":
                parts.append((f"{agency} contributed to this report.", "boilerplate"))
                truth.credits = True
                if rng.random() < 0.1:  # a second agency credited too: a trap for attribution
                    other = rng.choice([a for a in AGENCIES if a != agency])
                    parts.append((f"Additional reporting by {other}.", "boilerplate"))
        else:
            parts.extend((" ".join(writer.paragraph(2)), "own") for _ in range(rng.randint(3, 6)))
            if rng.random() < 0.3:
                parts.append((_caption(rng, writer), "boilerplate"))
        parts.append((templates[outlet], "template"))
        parts.extend((line, "boilerplate") for line in rng.sample(FURNITURE[2:], 2))
        add(doc_id, outlet, published, parts, truth)
    return rows, truths
