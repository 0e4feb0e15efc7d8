"""Rewritten copy and independent reports, for the generated corpus (benchmarks.corpus).

    Rewriter(rng, vocabulary).paragraph(sentences) -> [(text, source sentence indices)]
    independent_report(rng, writer, story) -> a story of the same facts in other sentences

A rewrite keeps a sentence's facts and changes its wording: synonyms (a fixed pairing of
the vocabulary's words, a third of them replaced), clause reordering (the sentence's
second half put first), a change of voice ("was ... by"), and sentences merged (two into
one) or split (one into two). An independent report is another agency's story of the
same event: each of its sentences carries a few of the facts (rare words) of a sentence
of the first story, in sentences of its own. Rewordings must find the first and never
join the second.
"""

from __future__ import annotations

import random

SYNONYM_SHARE = 0.35
REORDER = 0.5
VOICE = 0.25
MERGE = 0.15
SPLIT = 0.15
FACTS = 3  # rare words an independent report's sentence shares with the first story's


class Rewriter:
    """Rewrites sentences of a story (see the module), deterministically from `rng`."""

    def __init__(self, rng: random.Random, vocabulary: list[str]):
        self.rng = rng
        shuffled = list(vocabulary)
        random.Random(17).shuffle(shuffled)
        self.synonym = {a: b for a, b in zip(shuffled, shuffled[1:] + shuffled[:1], strict=True)}

    def _words(self, words: list[str]) -> list[str]:
        rng = self.rng
        out = [self.synonym.get(w.lower(), w) if rng.random() < SYNONYM_SHARE else w.lower() for w in words]
        if len(out) > 6 and rng.random() < REORDER:
            cut = rng.randrange(len(out) // 3, 2 * len(out) // 3)
            out = out[cut:] + ["while"] + out[:cut]
        if len(out) > 6 and rng.random() < VOICE:
            at = rng.randrange(2, len(out) - 2)
            out = out[:at] + ["was", "reportedly"] + out[at:-2] + ["by"] + out[-2:]
        return out

    def sentence(self, sentence: str) -> str:
        words = self._words(sentence.rstrip(".").split())
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self, sentences: list[str]) -> list[tuple[str, tuple[int, ...]]]:
        """a story paragraph's sentences -> its rewrite, sentence by sentence: (text, the
        indices of the sentences it rewords)."""
        out, k = [], 0
        while k < len(sentences):
            roll = self.rng.random()
            if roll < MERGE and k + 1 < len(sentences):
                both = sentences[k].rstrip(".") + " and " + sentences[k + 1][0].lower() + sentences[k + 1][1:]
                out.append((self.sentence(both), (k, k + 1)))
                k += 2
                continue
            words = sentences[k].rstrip(".").split()
            if roll < MERGE + SPLIT and len(words) >= 12:
                cut = len(words) // 2
                out.append((self.sentence(" ".join(words[:cut]) + "."), (k,)))
                out.append((self.sentence(" ".join(words[cut:]) + "."), (k,)))
            else:
                out.append((self.sentence(sentences[k]), (k,)))
            k += 1
        return out


def independent_report(rng: random.Random, writer, story: list[list[str]]) -> list[list[str]]:
    """a story -> another agency's report of the same event: as many paragraphs, each
    sentence of its own words carrying FACTS words of a sentence of the first."""
    report = []
    for paragraph in story:
        sentences = []
        for sentence in paragraph:
            facts = rng.sample(sentence.rstrip(".").split(), min(FACTS, len(sentence.split())))
            own = writer.sentence().rstrip(".").split()
            for fact in facts:
                own.insert(rng.randrange(1, len(own)), fact.lower())
            sentences.append(own[0].capitalize() + " " + " ".join(own[1:]) + ".")
        report.append(sentences)
    return report
