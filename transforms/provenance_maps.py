"""Provenance: Passages + Documents -> the rows of passages.jsonl, documents.jsonl, outlets.csv."""

from __future__ import annotations

import apache_beam as beam

from transforms.detect import count_without_document
from transforms.maps import document_row, is_same_outlet, outlet_pairs, passage_spans
from transforms.model import Passage
from transforms.outlet_views import OutletViews
from transforms.packed import PackedCoGroupByKey


def _spans_by_doc(passage: Passage):
    return [(span.doc_id, span) for span in passage_spans(passage)]


def _document_rows(element, with_text: bool):
    """(doc_id, {doc: [Document], spans: [Span]}) -> its documents.jsonl row."""
    _, grouped = element
    count_without_document(grouped, "spans")
    for doc in grouped["doc"]:
        yield document_row(doc, grouped["spans"], with_text)


def _sum_pairs(values):
    passages = chars = 0
    for p, c in values:
        passages += p
        chars += c
    return passages, chars


def _outlet_row(element):
    (source, target), (passages, chars) = element
    return {"source_outlet": source, "target_outlet": target, "passages": passages, "shared_chars": chars}


def _by_scope(passage: Passage, partitions: int) -> int:
    """0: shared across outlets; 1: repeated within one outlet (its template)."""
    return 1 if is_same_outlet(passage) else 0


def _passage_row(passage: Passage) -> dict:
    return passage.to_row()


class Provenance(beam.PTransform):
    """Passage -> {"passages", "templates", "documents", "outlets"}: dict rows ready to
    write, and "outlet_views": one dict {outlet: view} for summary.json. `documents` are
    this run's (doc_id, packed Document), from PackDocuments.

    Passages repeated within one outlet go to "templates" and count nowhere else.
    Document rows carry the document's text if `documents_text`.
    """

    def __init__(self, documents, documents_text: bool = False):
        super().__init__()
        self.documents, self.documents_text = documents, documents_text

    def expand(self, all_passages):
        passages, templates = all_passages | "SameOutletApart" >> beam.Partition(_by_scope, 2)
        spans = passages | "SpansByDoc" >> beam.FlatMap(_spans_by_doc)
        document_rows = (
            {"doc": self.documents, "spans": spans}
            | "JoinSpans" >> PackedCoGroupByKey(packed=("doc",))
            | "DocumentRows" >> beam.FlatMap(_document_rows, self.documents_text)
        )
        outlet_rows = (
            passages
            | "OutletPairs" >> beam.FlatMap(outlet_pairs)
            | "SumPerPair" >> beam.CombinePerKey(_sum_pairs)
            | "OutletRows" >> beam.Map(_outlet_row)
        )
        passage_rows = passages | "PassageRows" >> beam.Map(_passage_row)
        template_rows = templates | "TemplateRows" >> beam.Map(_passage_row)
        return {
            "passages": passage_rows,
            "templates": template_rows,
            "documents": document_rows,
            "outlets": outlet_rows,
            "outlet_views": document_rows | "OutletViews" >> OutletViews(passages),
        }
