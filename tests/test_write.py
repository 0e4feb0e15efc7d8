"""WriteSorted: sorted, sharded, deterministic files; empty shards still written."""

import json

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.lines import document_key, json_line, keyed_line, merged_lines, run_items, sorted_runs
from transforms.write import WRITE_LINES, WriteSorted, shard_names


def _key(row):
    return row["id"]


def _write(tmp_path, rows, name, shards):
    with TestPipeline() as p:
        paths = p | beam.Create(rows) | WriteSorted(str(tmp_path), name, _key, shards)
        assert_that(paths | beam.Map(lambda path: path.rsplit("/", 1)[-1]), equal_to(shard_names(name, shards)))


def test_single_file_is_sorted_by_id_with_sorted_keys(tmp_path):
    rows = [{"id": f"d{i:02d}", "z": i, "a": "é"} for i in (5, 1, 3)]
    _write(tmp_path, rows, "documents.jsonl", 1)
    lines = (tmp_path / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["d01", "d03", "d05"]
    assert lines[0] == '{"a": "é", "id": "d01", "z": 1}'


def test_a_file_of_several_write_chunks_holds_every_line_once_in_order(tmp_path):
    n = 2 * WRITE_LINES + 7
    rows = [{"id": f"d{i:05d}", "text": "x" * (i % 13)} for i in reversed(range(n))]
    _write(tmp_path, rows, "documents.jsonl", 1)
    data = (tmp_path / "documents.jsonl").read_bytes()
    assert data == b"".join(json_line(row).encode("utf-8") + b"\n" for row in reversed(rows))


def test_shards_partition_the_rows_and_empty_shards_exist(tmp_path):
    rows = [{"id": f"r{i}"} for i in range(20)]
    _write(tmp_path, rows, "passages.jsonl", 4)
    seen = []
    for name in shard_names("passages.jsonl", 4):
        ids = [json.loads(line)["id"] for line in (tmp_path / name).read_text().splitlines()]
        assert ids == sorted(ids)
        seen.extend(ids)
    assert sorted(seen) == sorted(r["id"] for r in rows)


def test_empty_input_writes_an_empty_file(tmp_path):
    _write(tmp_path, [], "errors.jsonl", 1)
    assert (tmp_path / "errors.jsonl").read_bytes() == b""


def test_csv_has_header_and_quotes(tmp_path):
    rows = [{"source_outlet": "A, Inc.", "target_outlet": "B", "passages": 2, "shared_chars": 10}]
    with TestPipeline() as p:
        p | beam.Create(rows) | WriteSorted(str(tmp_path), "outlets.csv", lambda r: [r["source_outlet"]])
    assert (
        tmp_path / "outlets.csv"
    ).read_text() == 'source_outlet,target_outlet,passages,shared_chars\n"A, Inc.",B,2,10\n'


def test_write_outputs_writes_every_table(tmp_path):
    from transforms.model import RecordError
    from transforms.write import WriteOutputs

    error = RecordError("f.jsonl:2", "{bad", "invalid_json", "Expecting property name")
    with TestPipeline() as p:
        tables = {
            "passages": p | "P" >> beam.Create([{"passage_id": "p2"}, {"passage_id": "p1"}]),
            "documents": p
            | "D" >> beam.Create(sorted_runs(keyed_line({"doc_id": d}, document_key, 1) for d in ("d2", "d1"))),
            "outlets": p | "O" >> beam.Create([]),
            "templates": p | "T" >> beam.Create([]),
            "stories": p | "S" >> beam.Create([{"story_id": "s2"}, {"story_id": "s1"}]),
            "errors": p | "E" >> beam.Create([error]),
        }
        written = tables | WriteOutputs(str(tmp_path), shards=1)
        names = ["passages.jsonl", "documents.jsonl", "templates.jsonl", "stories.jsonl", "outlets.csv", "errors.jsonl"]
        assert_that(written | beam.Map(lambda path: path.rsplit("/", 1)[-1]), equal_to(names))
    assert (tmp_path / "passages.jsonl").read_text() == '{"passage_id": "p1"}\n{"passage_id": "p2"}\n'
    assert (tmp_path / "documents.jsonl").read_text() == '{"doc_id": "d1"}\n{"doc_id": "d2"}\n'
    assert (tmp_path / "stories.jsonl").read_text() == '{"story_id": "s1"}\n{"story_id": "s2"}\n'
    assert (tmp_path / "outlets.csv").read_text() == "source_outlet,target_outlet,passages,shared_chars\n"
    assert json.loads((tmp_path / "errors.jsonl").read_text()) == error.to_row()


def test_sorted_runs_hold_each_shards_lines_sorted_and_merge_into_one_order():
    rows = [{"id": f"r{i:03d}", "n": i % 7} for i in reversed(range(300))]
    keyed = [keyed_line(row, _key, 3) for row in rows]
    first, second = sorted_runs(keyed[:170]), sorted_runs(keyed[170:])
    assert [shard for shard, _ in first] == [0, 1, 2]
    for shard, run in first + second:
        items = run_items(run)
        assert items == sorted(items) and all(item in [k for s, k in keyed if s == shard] for item in items)
    for shard in range(3):
        runs = [run for s, run in second + first if s == shard]
        assert list(merged_lines(runs)) == [line for _, line in sorted(k for s, k in keyed if s == shard)]
    assert sorted_runs([]) == [] and list(merged_lines([])) == []
