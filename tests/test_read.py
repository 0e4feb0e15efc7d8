"""ReadDocuments: every record read ends in documents or errors, exactly once."""

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.beam_helpers import counter
from transforms.read import ReadDocuments


def _ids(doc):
    return doc.doc_id


def _text(doc):
    return doc.text


def _reason(error):
    return error.source.rsplit("/", 1)[-1], error.reason


def test_reads_text_and_jsonl_and_routes_bad_records(tmp_path):
    (tmp_path / "a.txt").write_text("An article about something.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa not utf-8")
    (tmp_path / "notes.md").write_text("not an input format", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"id": "j1", "text": "First JSON article.", "outlet": "Wire Daily"}\n'
        "\n"
        "{not json\n"
        '{"id": "j2"}\n'
        '{"id": "a", "text": "Same id as a.txt but from JSON Lines."}\n',
        encoding="utf-8",
    )
    paths = sorted(str(p) for p in tmp_path.iterdir())
    p = TestPipeline()
    out = p | ReadDocuments(paths)
    assert_that(out["documents"] | "DocIds" >> beam.Map(_ids), equal_to(["a", "j1"]), label="documents")
    assert_that(
        out["errors"] | "Reasons" >> beam.Map(_reason),
        equal_to(
            [
                ("empty.txt", "empty_text"),
                ("bad.txt", "decode_error"),
                ("notes.md", "unsupported_format"),
                ("b.jsonl:3", "invalid_json"),
                ("b.jsonl:4", "missing_text"),
                ("b.jsonl:5", "duplicate_id"),
            ]
        ),
        label="errors",
    )
    assert_that(out["records"] | "CountRecords" >> beam.combiners.Count.Globally(), equal_to([8]), label="records")
    result = p.run()
    result.wait_until_finish()
    assert counter(result, "read", "records") == 8
    assert counter(result, "read", "rejected") == 5
    assert counter(result, "read", "duplicate_id") == 1


def test_duplicate_id_keeps_the_smallest_source(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"id": "d", "text": "one"}\n{"id": "d", "text": "two"}\n', encoding="utf-8")
    with TestPipeline() as p:
        out = p | ReadDocuments([str(tmp_path / "x.jsonl")])
        assert_that(out["documents"] | beam.Map(_text), equal_to(["one"]), label="kept")
        assert_that(out["errors"] | beam.Map(_reason), equal_to([("x.jsonl:2", "duplicate_id")]))
