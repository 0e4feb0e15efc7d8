"""Cluster: verified pairs -> transitive passages with exact member spans."""

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.beam_helpers import counter
from transforms.cluster import Cluster
from transforms.model import Match
from transforms.text import document_paragraphs

TEXTS = {
    "a": "Headline A\n\nThe wire paragraph about the summit in Baghdad on Sunday.\n\nOwn text of A.",
    "b": "The wire paragraph about the summit in Baghdad on Sunday.\nSomething else entirely here.",
    "c": "Intro of C.\nThe wire paragraph about the summit in Baghdad on Sunday, says C.",
    "d": "Unrelated first line.\nUnrelated second line.",
}


def _paragraphs():
    out = []
    for doc_id, text in TEXTS.items():
        out.extend(document_paragraphs(doc_id, text, outlet=doc_id.upper(), published=None))
    return out


def _members(passage):
    return sorted((m.doc_id, m.start, m.end, m.text, m.paragraphs) for m in passage.members)


def test_cluster_is_transitive_and_members_carry_exact_spans():
    # a~b and b~c verified; a~c never compared: still one passage of three members.
    matches = [Match(("a", 1), ("b", 0), 1.0, 1.0), Match(("b", 0), ("c", 1), 0.6, 0.9)]
    p = TestPipeline()
    paragraphs = p | "Paragraphs" >> beam.Create(_paragraphs())
    passages = p | "Matches" >> beam.Create(matches) | Cluster(paragraphs, shingle_size=4, seed=1)
    wire = "The wire paragraph about the summit in Baghdad on Sunday."
    a_start, c_start = TEXTS["a"].index(wire), TEXTS["c"].index("The wire")
    expected = [
        ("a", a_start, a_start + len(wire), wire, (1,)),
        ("b", 0, len(wire), wire, (0,)),
        ("c", c_start, len(TEXTS["c"]), TEXTS["c"][c_start:], (1,)),
    ]
    assert_that(passages | beam.Map(_members), equal_to([expected]))
    result = p.run()
    result.wait_until_finish()
    assert counter(result, "cluster", "passages") == 1


def test_no_matches_no_passages():
    with TestPipeline() as p:
        paragraphs = p | "Paragraphs" >> beam.Create(_paragraphs())
        passages = p | "Matches" >> beam.Create([]) | Cluster(paragraphs, shingle_size=4, seed=1)
        assert_that(passages, equal_to([]))
