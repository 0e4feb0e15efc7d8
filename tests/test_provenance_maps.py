"""Provenance: passages + documents -> the rows of passages, documents and outlets."""

import json

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.lines import run_items
from transforms.model import Document, Member, Origin, Passage
from transforms.provenance_maps import Provenance
from transforms.read import PackDocuments

DOCS = [
    Document("a", "x" * 100, "a.txt", outlet="Alpha"),
    Document("b", "y" * 50, "b.txt", outlet="Beta"),
    Document("c", "z" * 10, "c.txt", outlet=None),
]
PASSAGE = Passage(
    passage_id="p1",
    text="x" * 40,
    agency=None,
    origin=Origin("a", 0.6, ("earliest_published",)),
    members=(
        Member("a", "Alpha", "2024-01-01", 10, 50, (1,), "x" * 40),
        Member("b", "Beta", "2024-01-02", 0, 20, (0,), "y" * 20, 0.5, "trimmed"),
    ),
)


def _rows(run):
    """(file shard, sorted run) -> its documents.jsonl rows, checked to be keyed by doc_id."""
    shard, data = run
    items = run_items(data)
    assert shard == 0 and items == sorted(items)
    rows = [json.loads(line) for _, line in items]
    assert [key for key, _ in items] == [row["doc_id"] for row in rows]
    return rows


def _doc_view(row):
    return (
        row["doc_id"],
        row["shared_chars"],
        row["shared_ratio"],
        [(s["role"], s["shared_with"]) for s in row["spans"]],
    )


def test_rows_for_every_document_and_outlet_pair():
    with TestPipeline() as p:
        docs = p | "Docs" >> beam.Create(DOCS) | PackDocuments()
        tables = p | "Passages" >> beam.Create([PASSAGE]) | Provenance(docs)
        assert_that(
            tables["documents"] | "Rows" >> beam.FlatMap(_rows) | "DocView" >> beam.Map(_doc_view),
            equal_to(
                [
                    ("a", 40, 0.4, [("origin", ["Beta"])]),
                    ("b", 20, 0.4, [("copy", ["Alpha"])]),
                    ("c", 0, 0.0, []),
                ]
            ),
            label="documents",
        )
        assert_that(
            tables["outlets"],
            equal_to([{"source_outlet": "Alpha", "target_outlet": "Beta", "passages": 1, "shared_chars": 20}]),
            label="outlets",
        )
        assert_that(
            tables["passages"] | "Ids" >> beam.Map(lambda row: (row["passage_id"], row["size"], row["outlets"])),
            equal_to([("p1", 2, ["Alpha", "Beta"])]),
            label="passages",
        )


def test_a_passage_repeated_within_one_outlet_goes_to_templates_only():
    from dataclasses import replace

    template = replace(
        PASSAGE,
        passage_id="t1",
        members=(PASSAGE.members[0], replace(PASSAGE.members[1], doc_id="a2", outlet="Alpha")),
    )
    docs = [*DOCS, Document("a2", "y" * 50, "a2.txt", outlet="Alpha")]
    with TestPipeline() as p:
        tables = (
            p
            | "Passages" >> beam.Create([PASSAGE, template])
            | Provenance(p | "Docs" >> beam.Create(docs) | PackDocuments())
        )
        ids = "Ids" >> beam.Map(lambda row: row["passage_id"])
        assert_that(tables["passages"] | ids, equal_to(["p1"]), label="passages")
        assert_that(tables["templates"] | "TIds" >> beam.Map(lambda r: r["passage_id"]), equal_to(["t1"]), label="t")
        a2 = (
            tables["documents"]
            | "Rows" >> beam.FlatMap(_rows)
            | beam.Filter(lambda row: row["doc_id"] == "a2")
            | beam.Map(lambda r: r["spans"])
        )
        assert_that(a2, equal_to([[]]), label="a2 has no cross-outlet span")
