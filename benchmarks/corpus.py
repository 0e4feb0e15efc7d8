"""A synthetic wire corpus with ground truth, built from the seeds' vocabulary only.

Agency stories are republished by many outlets, each copy with one edit per copied
paragraph (verbatim, trimmed, merged, split, edited, or a sentence of the outlet's own
inserted inside it), interleaved with the outlet's own paragraphs, its site furniture
and template lines, photo captions (whose photo credits name some agency: a trap for
credit detection) and agency credit lines. Outlets trim a story each their own way: the
whole of it, its first paragraphs only, or some of its paragraphs, and a trimmed
paragraph loses its first or its last sentence. Some statements are quoted word for
word by two stories (a press-conference line two agencies both report): text the copies
of both share, which must not make the two stories one. Some copies are roundups: they
end with a few paragraphs of a second story, which must not join the two either. Half the
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
boilerplate. `furniture="realistic"` names the outlets like sites and dresses each
outlet's articles in its site's furniture (benchmarks/furniture.py: menus, bylines,
stamps, share bars, most-read lists, footers, 8 to 15 lines an article, most of them
not in the job's phrase list), all of it boilerplate in the truth; the stories, copies
and edits stay those of the default ("simple") corpus of the same seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.furniture import Pages, site_names
from benchmarks.rewrites import Rewriter, independent_report

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AGENCIES = ["AFP", "Reuters", "AP", "dpa", "EFE", "ANSA"]
CITIES = ["BAGHDAD", "GAZA CITY", "WASHINGTON", "BEIRUT", "TEHRAN", "DAMASCUS", "CAIRO", "AMMAN"]
CREDIT_STYLES = ["dateline", "closing", "none"]  # each outlet's house style, by outlet number
START = datetime(2024, 3, 1, tzinfo=UTC)
EDITS = ["verbatim", "trimmed", "merged", "split", "edited", "inserted"]
QUOTED_STORIES = 0.3  # share of stories quoting a statement another story quotes too
REWRITERS = 0.15  # share of copies whose outlet rewrites the story in its own words
TWINS = 0.1  # share of stories another agency reports independently (the same facts)
ROUNDUPS = 0.05  # share of copies that add a few paragraphs of a second story (a roundup)
FURNITURE_MODES = ("simple", "realistic")
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
    # (story paragraph, start, end) of each story paragraph's text in the document
    parts: tuple[tuple[int, int, int], ...] = ()
    # a reworded paragraph: (start, end, sentences of the story paragraph it rewords) per sentence
    reworded: tuple[tuple[int, int, tuple[int, ...]], ...] = ()
    quotes: tuple[tuple[int, int], ...] = ()  # (story paragraph, statement) of its quoted statements


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
    independent_of: int | None = None  # the story its own story independently reports (same facts)


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


def _taken(rng: random.Random, paragraphs: int, first: int) -> list[int]:
    """-> the story paragraphs one outlet runs: all of them (from `first`), its first few
    only, or some of them, each outlet its own way."""
    kept = list(range(first, paragraphs))
    way = rng.random()
    if way < 0.35 and len(kept) > 2:
        return kept[: rng.randint(2, len(kept) - 1)]
    if way < 0.6 and len(kept) > 2:
        some = [i for i in kept if rng.random() < 0.7]
        return some if len(some) >= 2 else kept[:2]
    return kept


def _reworded(rewriter: Rewriter, i: int, sentences: list[str]):
    """story paragraph i's sentences -> its reworded copy: (text, (i,), "reworded", sentences,
    parts, reworded spans)."""
    pieces = rewriter.paragraph(sentences)
    text, spans = "", []
    for piece, source in pieces:
        start = len(text) + (1 if text else 0)
        text = f"{text} {piece}" if text else piece
        spans.append((start, len(text), source))
    whole = tuple((i, n) for n in range(len(sentences)))
    return (text, (i,), "reworded", whole, ((i, 0, len(text)),), tuple(spans))


def _copies(rng, story: list[list[str]], kinds: list[str], taken: list[int], writer=None, rewriter=None):
    """the story paragraphs an outlet runs -> [(text, story paragraph indices, kind,
    sentences, parts, reworded)] for its copy; `parts`: (story paragraph, start, end) of
    each one's text in the copy's text; `reworded`: the spans of a reworded paragraph's
    sentences and the story sentences each rewords (a rewriter's copy: every paragraph)."""
    if rewriter is not None:
        return [_reworded(rewriter, i, story[i]) for i in taken]
    return [(*item, ()) for item in _plain_copies(rng, story, kinds, taken, writer)]


def _plain_copies(rng, story: list[list[str]], kinds: list[str], taken: list[int], writer=None):
    out, k = [], 0
    while k < len(taken):
        i = taken[k]
        kind = kinds[i]
        whole = tuple((i, n) for n in range(len(story[i])))
        if kind == "merged" and k + 1 < len(taken) and taken[k + 1] == i + 1:
            first = " ".join(story[i])
            both = whole + tuple((i + 1, n) for n in range(len(story[i + 1])))
            text = first + " " + " ".join(story[i + 1])
            out.append((text, (i, i + 1), kind, both, ((i, 0, len(first)), (i + 1, len(first) + 1, len(text)))))
            k += 2
            continue
        if kind == "split" and len(story[i]) >= 2:
            cut = len(story[i]) // 2
            for half, sentences in ((story[i][:cut], whole[:cut]), (story[i][cut:], whole[cut:])):
                text = " ".join(half)
                out.append((text, (i,), kind, sentences, ((i, 0, len(text)),)))
        elif kind == "trimmed" and len(story[i]) >= 2:
            drop_first = rng.random() < 0.5
            kept = (story[i][1:], whole[1:]) if drop_first else (story[i][:-1], whole[:-1])
            text = " ".join(kept[0])
            out.append((text, (i,), kind, kept[1], ((i, 0, len(text)),)))
        elif kind == "edited":
            text = _edit(rng, story[i])
            out.append((text, (i,), kind, whole, ((i, 0, len(text)),)))
        elif kind == "inserted" and len(story[i]) >= 2 and writer is not None:
            at = rng.randrange(1, len(story[i]))
            text = " ".join(story[i][:at] + [writer.sentence()] + story[i][at:])
            out.append((text, (i,), kind, whole, ((i, 0, len(text)),)))
        else:
            text = " ".join(story[i])
            out.append((text, (i,), "verbatim", whole, ((i, 0, len(text)),)))
        k += 1
    return out


def _when(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _caption(rng: random.Random, writer: _Writer) -> str:
    """a photo caption whose credit names an agency: not an article credit."""
    words = writer.sentence()[:-1]
    return f"{words}. (Photo by Sam Lee/{rng.choice(AGENCIES)} via Getty Images)"


def generate(n_docs: int, seed: int = 7, outlets: int = 40, copies_per_story: int = 8, furniture: str = "simple"):
    """n_docs, seed -> (JSON Lines rows, [Truth]): a deterministic corpus and its truth.
    `furniture`: "simple" (FURNITURE's five lines) or "realistic" (benchmarks.furniture:
    outlets named like sites, each article dressed in its site's furniture)."""
    if furniture not in FURNITURE_MODES:
        raise ValueError(f"furniture must be one of {', '.join(FURNITURE_MODES)}, not {furniture!r}")
    rng = random.Random(seed)
    writer = _Writer(rng, _vocabulary())
    if furniture == "realistic":
        outlet_names = site_names(outlets, seed)
    else:
        outlet_names = [f"Outlet {i:03d} News" for i in range(outlets)]
    style = {o: CREDIT_STYLES[i % len(CREDIT_STYLES)] for i, o in enumerate(outlet_names)}
    templates = {o: writer.sentence() for o in outlet_names}  # a line each outlet repeats
    n_stories = max(1, n_docs // copies_per_story)
    stories = [[writer.paragraph(rng.randint(1, 3)) for _ in range(rng.randint(4, 8))] for _ in range(n_stories)]
    # Statements two stories of different agencies both quote, as a paragraph of each.
    quoted: dict[tuple[int, int], int] = {}  # (story, paragraph) -> statement
    pairs = [s for s in range(n_stories) if rng.random() < QUOTED_STORIES]
    for q, (a, b) in enumerate(zip(pairs[::2], pairs[1::2], strict=False)):
        said = (
            f"\u201c{writer.sentence()[:-1]},\u201d the minister said on {rng.choice(['Sunday', 'Monday', 'Friday'])}."
        )
        for s in (a, b):
            at = rng.randrange(1, len(stories[s]) + 1)
            stories[s].insert(at, [said])
            quoted = {(t, p + (t == s and p >= at)): n for (t, p), n in quoted.items()}
            quoted[(s, at)] = q
    # Stories another agency reports independently: the same facts in its own sentences.
    twins: dict[int, int] = {}  # the independent report's story -> the story it reports too
    for s in [s for s in range(n_stories) if rng.random() < TWINS]:
        twins[len(stories)] = s
        stories.append(independent_report(rng, writer, stories[s]))
    n_stories = len(stories)
    rewriter = Rewriter(rng, _vocabulary())
    filed = [START + timedelta(minutes=rng.randrange(28 * 24 * 60)) for _ in stories]
    wires = [s for s in range(n_stories) if s % 2 == 0]
    pages = Pages(seed, outlet_names, stories, filed) if furniture == "realistic" else None
    rows, truths = [], []

    def add(doc_id, outlet, published, parts, truth):
        text = ""
        for body, label in parts:
            start = len(text)
            text += body
            if isinstance(label, tuple):
                s, paras, kind, sentences, inside, reworded = label
                at = tuple((i, start + a, start + b) for i, a, b in inside)
                quotes = tuple((i, quoted[(s, i)]) for i in paras if (s, i) in quoted)
                moved = tuple((start + a, start + b, source) for a, b, source in reworded)
                truth.copied.append(
                    Copied(start, len(text), s, paras, kind, sentences, at, reworded=moved, quotes=quotes)
                )
            elif label in ("boilerplate", "furniture"):
                truth.boilerplate.append((start, len(text)))
            text += "\n\n"
        rows.append({"id": doc_id, "text": text.rstrip("\n"), "outlet": outlet, "published": _when(published)})
        truths.append(truth)

    for s in wires:
        agency = AGENCIES[s % len(AGENCIES)]
        dateline = f"{CITIES[s % len(CITIES)]} ({agency}) - "
        parts = []
        for p, body in enumerate(stories[s]):
            head = dateline * (p == 0)
            text = head + " ".join(body)
            sentences = tuple((p, k) for k in range(len(body)))
            parts.append((text, (s, (p,), "origin", sentences, ((p, len(head), len(text)),), ())))
        truth = Truth(f"wire{s:05d}", agency, story=s, agency=agency, wire=True, credits=True)
        truth.independent_of = twins.get(s)
        add(truth.doc_id, agency, filed[s], parts, truth)
    for d in range(n_docs - len(wires)):
        outlet = outlet_names[rng.randrange(outlets)]
        doc_id = f"doc{d:06d}"
        truth = Truth(doc_id, outlet)
        parts: list[tuple[str, object]] = [(rng.choice(FURNITURE[:2]), "furniture"), (writer.sentence(), "own")]
        published = START + timedelta(minutes=rng.randrange(28 * 24 * 60))
        if rng.random() < 0.85:
            s = rng.randrange(n_stories)
            story = stories[s]
            agency = AGENCIES[s % len(AGENCIES)]
            truth.story, truth.agency, truth.independent_of = s, agency, twins.get(s)
            published = filed[s] + timedelta(minutes=rng.randint(10, 36 * 60))
            kinds = [rng.choice(EDITS) for _ in story]
            taken = _taken(rng, len(story), rng.randrange(0, 2))
            rewrites = rewriter if rng.random() < REWRITERS else None
            copies = _copies(rng, story, kinds, taken, writer, rewrites)
            for n, (text, paras, kind, sentences, inside, reworded) in enumerate(copies):
                if n == 0 and style[outlet] == "dateline":
                    head = f"{CITIES[s % len(CITIES)]} ({agency}) - "
                    text = head + text
                    inside = tuple((i, a + len(head), b + len(head)) for i, a, b in inside)
                    reworded = tuple((a + len(head), b + len(head), k) for a, b, k in reworded)
                    truth.credits = True
                parts.append((text, (s, paras, kind, sentences, inside, reworded)))
                if rng.random() < 0.3:
                    parts.append((" ".join(writer.paragraph(1)), "own"))
                if rng.random() < 0.1:
                    parts.append((_caption(rng, writer), "boilerplate"))
            if rng.random() < ROUNDUPS and n_stories > 1:
                other = rng.choice([t for t in range(n_stories) if t != s])
                extra = stories[other]
                taken_extra = list(range(min(2, len(extra))))
                for text, paras, kind, sentences, inside, reworded in _copies(
                    rng, extra, ["verbatim"] * len(extra), taken_extra
                ):
                    parts.append((text, (other, paras, kind, sentences, inside, reworded)))
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
        parts.extend((line, "furniture") for line in rng.sample(FURNITURE[2:], 2))
        if pages is not None:  # drawn apart: the corpus's own draws stay those of "simple"
            parts = pages.dress(outlet, published, parts)
        add(doc_id, outlet, published, parts, truth)
    return rows, truths
