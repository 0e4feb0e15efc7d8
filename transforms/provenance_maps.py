"""Provenance: Passages + Documents -> the rows of passages.jsonl, documents.jsonl, outlets.csv."""

from __future__ import annotations

import apache_beam as beam

from transforms.maps import is_same_outlet, outlet_pairs, passage_spans
from transforms.model import DocumentLines, Passage
from transforms.offload import Offloaded
from transforms.outlet_views import OutletViews
from transforms.packed import PackedCoGroupByKey
from transforms.shards import by_shard
from transforms.work import document_lines_batch

# Passages per element from which spans and outlet pairs are taken: a shard's spans of a
# batch travel together, as one element.
BATCH = 512


def _spans_by_shard(passages: list[Passage]):
    """a batch of passages -> (shard, [(doc_id, Span)]) for the documents their spans are in."""
    return by_shard((span.doc_id, span) for passage in passages for span in passage_spans(passage))


def _runs(batch: DocumentLines):
    return batch.runs


def _tallies(batch: DocumentLines):
    return batch.tallies


def _sum_pairs(values):
    passages = chars = 0
    for p, c in values:
        passages += p
        chars += c
    return passages, chars


def _batch_outlet_pairs(passages: list[Passage]):
    """a batch of passages -> ((source, target), (passages, shared chars)) per outlet
    pair, summed over the batch."""
    sums: dict[tuple[str, str], tuple[int, int]] = {}
    for passage in passages:
        for pair, (n, chars) in outlet_pairs(passage):
            total = sums.get(pair, (0, 0))
            sums[pair] = (total[0] + n, total[1] + chars)
    return sorted(sums.items())


def _outlet_row(element):
    (source, target), (passages, chars) = element
    return {"source_outlet": source, "target_outlet": target, "passages": passages, "shared_chars": chars}


def _by_scope(passage: Passage, partitions: int) -> int:
    """0: shared across outlets; 1: repeated within one outlet (its template)."""
    return 1 if is_same_outlet(passage) else 0


def _passage_row(passage: Passage) -> dict:
    return passage.to_row()


class Provenance(beam.PTransform):
    """Passage -> {"passages", "templates", "outlets"}: dict rows ready to write;
    "documents": the documents.jsonl lines, as sorted runs for `shards` files
    (transforms.lines.sorted_runs); and "outlet_views": one dict {outlet: view} for
    summary.json. `documents` are this run's documents, packed by shard
    (transforms.shards.PackDocuments); `memberships` the stories each carries, by shard
    (transforms.story_maps.Stories).

    Passages repeated within one outlet go to "templates" and count nowhere else.
    Document rows carry the document's text if `documents_text`. They are made, with
    their lines and their outlets' tallies, in the worker processes
    (transforms.offload).
    """

    def __init__(self, documents, documents_text: bool = False, shards: int = 1, memberships=None):
        super().__init__()
        self.documents, self.documents_text = documents, documents_text
        self.shards = shards
        self.memberships = memberships

    def expand(self, all_passages):
        passages, templates = all_passages | "SameOutletApart" >> beam.Partition(_by_scope, 2)
        batches = passages | "Batch" >> beam.BatchElements(min_batch_size=BATCH, max_batch_size=BATCH)
        spans = batches | "SpansByShard" >> beam.FlatMap(_spans_by_shard)
        rows = Offloaded(document_lines_batch, (self.documents_text, self.shards), batch_size=1)
        joined = {"doc": self.documents, "spans": spans}
        if self.memberships is not None:
            joined["stories"] = self.memberships
        documents = (
            joined
            | "JoinSpans" >> PackedCoGroupByKey(packed=("doc",), unpack=False)
            | "DocumentRows" >> beam.ParDo(rows)
        )
        outlet_rows = (
            batches
            | "OutletPairs" >> beam.FlatMap(_batch_outlet_pairs)
            | "SumPerPair" >> beam.CombinePerKey(_sum_pairs)
            | "OutletRows" >> beam.Map(_outlet_row)
        )
        passage_rows = passages | "PassageRows" >> beam.Map(_passage_row)
        template_rows = templates | "TemplateRows" >> beam.Map(_passage_row)
        return {
            "passages": passage_rows,
            "templates": template_rows,
            "documents": documents | "DocumentRuns" >> beam.FlatMap(_runs),
            "outlets": outlet_rows,
            "outlet_views": documents
            | "DocumentTallies" >> beam.FlatMap(_tallies)
            | "OutletViews" >> OutletViews(batches),
        }
