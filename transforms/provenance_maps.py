"""Provenance: Passages + Documents -> the lines of passages.jsonl, templates.jsonl and
documents.jsonl, the rows of outlets.csv, and the per-outlet views."""

from __future__ import annotations

import apache_beam as beam

from transforms.model import DocumentLines, PassageLines
from transforms.offload import Offloaded
from transforms.outlet_views import OutletViews
from transforms.packed import PackedCoGroupByKey
from transforms.work import document_lines_batch, passage_lines_batch

# Passages per batch worked on at once: a shard's spans of a batch travel together, as
# one element.
BATCH = 512


def _passage_lines(made: PassageLines):
    return made.passages


def _template_lines(made: PassageLines):
    return made.templates


def _spans(made: PassageLines):
    return made.spans


def _outlet_pairs(made: PassageLines):
    return made.outlet_pairs


def _passage_tallies(made: PassageLines):
    return made.tallies


def _document_lines(made: DocumentLines):
    return made.lines


def _document_tallies(made: DocumentLines):
    return made.tallies


def _sum_pairs(values):
    passages = chars = 0
    for p, c in values:
        passages += p
        chars += c
    return passages, chars


def _outlet_row(element):
    (source, target), (passages, chars) = element
    return {"source_outlet": source, "target_outlet": target, "passages": passages, "shared_chars": chars}


class Provenance(beam.PTransform):
    """Passage -> {"passages", "templates", "documents"}: the lines of passages.jsonl,
    templates.jsonl and documents.jsonl, keyed for `shards` files
    (transforms.lines.keyed_line); "outlets": the dict rows of outlets.csv; and
    "outlet_views": one dict {outlet: view} for summary.json. `documents` are this
    run's documents, packed by shard (transforms.shards.PackDocuments).

    Passages repeated within one outlet go to "templates" and count nowhere else.
    Document rows carry the document's text if `documents_text`. Lines, spans and
    tallies are made in `processes` worker processes (transforms.offload; 0: here),
    `BATCH` passages at a time.
    """

    def __init__(self, documents, documents_text: bool = False, shards: int = 1, processes: int = 0):
        super().__init__()
        self.documents, self.documents_text = documents, documents_text
        self.shards, self.processes = shards, processes

    def expand(self, passages):
        made = (
            passages
            | "Batch" >> beam.BatchElements(min_batch_size=BATCH, max_batch_size=BATCH)
            | "MakeLines" >> beam.ParDo(Offloaded(passage_lines_batch, (self.shards,), self.processes, batch_size=1))
        )
        rows = Offloaded(document_lines_batch, (self.documents_text, self.shards), self.processes, batch_size=1)
        documents = (
            {"doc": self.documents, "spans": made | "Spans" >> beam.FlatMap(_spans)}
            | "JoinSpans" >> PackedCoGroupByKey(packed=("doc", "spans"), unpack=False)
            | "DocumentRows" >> beam.ParDo(rows)
        )
        outlet_rows = (
            made
            | "OutletPairs" >> beam.FlatMap(_outlet_pairs)
            | "SumPerPair" >> beam.CombinePerKey(_sum_pairs)
            | "OutletRows" >> beam.Map(_outlet_row)
        )
        views = OutletViews(made | "PassageTallies" >> beam.FlatMap(_passage_tallies))
        return {
            "passages": made | "PassageLines" >> beam.FlatMap(_passage_lines),
            "templates": made | "TemplateLines" >> beam.FlatMap(_template_lines),
            "documents": documents | "DocumentLines" >> beam.FlatMap(_document_lines),
            "outlets": outlet_rows,
            "outlet_views": documents | "DocumentTallies" >> beam.FlatMap(_document_tallies) | "OutletViews" >> views,
        }
