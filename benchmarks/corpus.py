"""A synthetic wire corpus with ground truth, built from the seeds' vocabulary only.

Agency stories are republished by many outlets, each copy with one edit per copied
paragraph (verbatim, trimmed, merged, split, edited), interleaved with the outlet's own
paragraphs, its site furniture and template lines, photo captions and agency credit
lines. Nothing is downloaded: the words come from seeds/.

`generate(n_docs, seed)` returns (documents, truth): documents are JSON Lines rows
({id, text, outlet, published}); truth records, for every copied paragraph of every
document, its character span and the story paragraphs it carries, and the spans of
boilerplate.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AGENCIES = ["AFP", "Reuters", "AP", "dpa", "EFE", "ANSA"]
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


def _copies(rng, story: list[list[str]], kinds: list[str]):
    """story paragraphs -> [(text, story paragraph indices, kind, sentences)] for one outlet's copy."""
    out, i = [], 0
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


def generate(n_docs: int, seed: int = 7, outlets: int = 40, copies_per_story: int = 8):
    """n_docs, seed -> (JSON Lines rows, [Truth]): a deterministic corpus and its truth."""
    rng = random.Random(seed)
    writer = _Writer(rng, _vocabulary())
    outlet_names = [f"Outlet {i:03d} News" for i in range(outlets)]
    templates = {o: writer.sentence() for o in outlet_names}  # a line each outlet repeats
    n_stories = max(1, n_docs // copies_per_story)
    stories = [[writer.paragraph(rng.randint(1, 3)) for _ in range(rng.randint(4, 8))] for _ in range(n_stories)]
    rows, truths = [], []
    for d in range(n_docs):
        outlet = outlet_names[rng.randrange(outlets)]
        doc_id = f"doc{d:06d}"
        truth = Truth(doc_id, outlet)
        parts: list[tuple[str, object]] = [(rng.choice(FURNITURE[:2]), "boilerplate"), (writer.sentence(), "own")]
        if rng.random() < 0.85:
            s = rng.randrange(n_stories)
            story = stories[s]
            agency = AGENCIES[s % len(AGENCIES)]
            kinds = [rng.choice(EDITS) for _ in story]
            first = rng.randrange(0, 2)
            for text, paras, kind, sentences in _copies(rng, story, kinds)[first:]:
                parts.append((text, (s, paras, kind, sentences)))
                if rng.random() < 0.3:
                    parts.append((" ".join(writer.paragraph(1)), "own"))
            if rng.random() < 0.5:
                parts.append((f"{agency} contributed to this report.", "boilerplate"))
        else:
            parts.extend((" ".join(writer.paragraph(2)), "own") for _ in range(rng.randint(3, 6)))
        parts.append((templates[outlet], "template"))
        parts.extend((line, "boilerplate") for line in rng.sample(FURNITURE[2:], 2))
        text, offset = "", 0
        for body, label in parts:
            start = len(text)
            text += body
            if isinstance(label, tuple):
                s, paras, kind, sentences = label
                truth.copied.append(Copied(start, len(text), s, paras, kind, sentences))
            elif label == "boilerplate":
                truth.boilerplate.append((start, len(text)))
            text += "\n\n"
            offset += 1
        day = 1 + d % 28
        rows.append({"id": doc_id, "text": text.rstrip("\n"), "outlet": outlet, "published": f"2024-03-{day:02d}"})
        truths.append(truth)
    return rows, truths
