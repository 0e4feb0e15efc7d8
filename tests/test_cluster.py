"""Cluster: shared spans -> transitive passages with exact member spans, in a TestPipeline."""

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.beam_helpers import counter
from transforms.align import align_paragraphs
from transforms.cluster import Cluster
from transforms.components import span_pairs
from transforms.model import Document
from transforms.offload import worker_processes
from transforms.read import PackDocuments
from transforms.text import document_paragraphs

WIRE = "The wire paragraph about the summit in Baghdad on Sunday was carried by every outlet."
TEXTS = {
    "a": f"Headline A\n\n{WIRE}\n\nOwn text of A.",
    "b": f"{WIRE}\nSomething else entirely here.",
    "c": f"Intro of C.\n{WIRE.replace('Sunday', 'Sunday,')} says C.",
    "d": "Unrelated first line.\nUnrelated second line.",
}


def _documents():
    return [Document(doc_id, text, f"{doc_id}.txt", outlet=doc_id.upper()) for doc_id, text in TEXTS.items()]


def _match(a, i, b, j):
    pa = document_paragraphs(a, TEXTS[a], None, None)[i]
    pb = document_paragraphs(b, TEXTS[b], None, None)[j]
    (match,) = align_paragraphs(pa, pb, 5, 8)
    return match


def _members(passage):
    return sorted((m.doc_id, m.start, m.end, m.text, m.paragraphs) for m in passage.members)


@pytest.mark.parametrize("processes", [0, 2])
def test_cluster_is_transitive_and_members_carry_exact_spans(processes):
    # a~b and b~c verified; a~c never compared: still one passage of three members.
    matches = [_match("a", 1, "b", 0), _match("b", 0, "c", 1)]
    p = TestPipeline()
    documents = p | "Documents" >> beam.Create(_documents()) | PackDocuments()
    batches = [span_pairs(matches[:1]), span_pairs(matches[1:])]  # Verify emits a batch per shard
    cluster = Cluster(documents, max_gap=5, min_words=8)
    passages = p | "Matches" >> beam.Create(batches) | cluster
    c_wire = WIRE.replace("Sunday", "Sunday,")
    a_start, c_start = TEXTS["a"].index(WIRE), TEXTS["c"].index(c_wire)
    expected = [
        ("a", a_start, a_start + len(WIRE), WIRE, (1,)),
        ("b", 0, len(WIRE), WIRE, (0,)),
        ("c", c_start, c_start + len(c_wire), c_wire, (1,)),
    ]
    assert_that(passages | beam.Map(_members), equal_to([expected]))
    with worker_processes(processes):
        result = p.run()
        result.wait_until_finish()
    assert counter(result, "cluster", "clusters") == 1
    assert counter(result, "cluster", "passages") == 1


def test_no_matches_no_passages():
    with TestPipeline() as p:
        documents = p | "Documents" >> beam.Create(_documents()) | PackDocuments()
        passages = p | "Matches" >> beam.Create([]) | Cluster(documents, max_gap=5, min_words=8)
        assert_that(passages, equal_to([]))
