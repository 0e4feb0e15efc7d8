"""Cluster: verified pairs + paragraphs -> Passages (connected components, transitive)."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.components import connected_components
from transforms.model import Match, Paragraph
from transforms.passages import build_passage


def _edge(match: Match):
    return match.a, match.b


def _assign_components(edges):
    """all edges -> (node, component key) for every node; the key is the component's smallest node."""
    for component in connected_components(edges):
        for node in component:
            yield node, component[0]


def _paragraph_by_ref(paragraph: Paragraph):
    return paragraph.ref, paragraph


def _paragraph_by_component(element):
    """(ref, {component: [key], paragraph: [p]}) -> (key, p) for paragraphs in a component."""
    _, grouped = element
    for key in grouped["component"]:
        for paragraph in grouped["paragraph"]:
            yield key, paragraph


class BuildPassageFn(beam.DoFn):
    """(component key, [Paragraph]) -> Passage."""

    def __init__(self, shingle_size: int, seed: int):
        self.shingle_size, self.seed = shingle_size, seed
        self.passages = Metrics.counter("cluster", "passages")

    def process(self, element):
        _, paragraphs = element
        passage = build_passage(list(paragraphs), self.shingle_size, self.seed)
        self.passages.inc()
        yield passage


class Cluster(beam.PTransform):
    """Match -> Passage, given the Paragraphs the matches refer to.

    Components are computed in one place from the list of verified edges, which
    is far smaller than the corpus (one edge per verified pair).
    """

    def __init__(self, paragraphs, shingle_size: int, seed: int):
        super().__init__()
        self.paragraphs = paragraphs
        self.shingle_size, self.seed = shingle_size, seed

    def expand(self, matches):
        components = (
            matches
            | "Edges" >> beam.Map(_edge)
            | "AllEdges" >> beam.combiners.ToList()
            | "Components" >> beam.FlatMap(_assign_components)
        )
        paragraphs = self.paragraphs | "ParagraphByRef" >> beam.Map(_paragraph_by_ref)
        return (
            {"component": components, "paragraph": paragraphs}
            | "JoinParagraphs" >> beam.CoGroupByKey()
            | "ByComponent" >> beam.FlatMap(_paragraph_by_component)
            | "GroupComponent" >> beam.GroupByKey()
            | "BuildPassage" >> beam.ParDo(BuildPassageFn(self.shingle_size, self.seed))
        )
