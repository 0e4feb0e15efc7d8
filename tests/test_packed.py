"""transforms.packed: GroupByKey and CoGroupByKey with values pickled once, in a TestPipeline."""

import pickle

import apache_beam as beam
import xxhash
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.model import Document
from transforms.packed import PackedCoGroupByKey, PackedGroupByKey, pack, part_of, split_by_key

DOCS = [Document(f"d{i % 3}", f"text {i}", "s.jsonl", outlet="Outlet" if i % 2 else None) for i in range(7)]


def _docs_of(doc_id: str) -> list[Document]:
    return sorted((d for d in DOCS if d.doc_id == doc_id), key=repr)


def _sorted_groups(element):
    key, values = element
    return key, sorted(values, key=repr)


def _sorted_joins(element):
    key, grouped = element
    return key, {tag: sorted(values, key=repr) for tag, values in sorted(grouped.items())}


def test_packed_group_by_key_groups_as_group_by_key_does():
    with TestPipeline() as p:
        keyed = p | beam.Create([(d.doc_id, d) for d in DOCS])
        packed = keyed | "Packed" >> PackedGroupByKey() | "SortPacked" >> beam.Map(_sorted_groups)
        plain = keyed | "Plain" >> beam.GroupByKey() | "SortPlain" >> beam.Map(_sorted_groups)
        expected = [(k, sorted((d for d in DOCS if d.doc_id == k), key=repr)) for k in ("d0", "d1", "d2")]
        assert_that(packed, equal_to(expected), label="PackedGroups")
        assert_that(plain, equal_to(expected), label="PlainGroups")


def test_packed_join_joins_as_co_group_by_key_does_with_keys_on_one_side_only():
    with TestPipeline() as p:
        docs = p | "Docs" >> beam.Create([(d.doc_id, d) for d in DOCS])
        notes = p | "Notes" >> beam.Create([("d1", ("note", 1)), ("d9", ("note", 2))])
        joined = {"doc": docs, "note": notes} | PackedCoGroupByKey() | beam.Map(_sorted_joins)
        expected = [
            ("d0", {"doc": sorted((d for d in DOCS if d.doc_id == "d0"), key=repr), "note": []}),
            ("d1", {"doc": sorted((d for d in DOCS if d.doc_id == "d1"), key=repr), "note": [("note", 1)]}),
            ("d2", {"doc": sorted((d for d in DOCS if d.doc_id == "d2"), key=repr), "note": []}),
            ("d9", {"doc": [], "note": [("note", 2)]}),
        ]
        assert_that(joined, equal_to(expected))


def test_a_packed_value_is_its_pickle():
    assert pickle.loads(pack(DOCS[1])) == DOCS[1]
    assert isinstance(pack(DOCS[1]), bytes)


def test_a_side_packed_once_joins_as_one_packed_by_the_join():
    with TestPipeline() as p:
        docs = p | "Docs" >> beam.Create(DOCS)
        notes = p | "Notes" >> beam.Create([("d1", ("note", 1)), ("d9", ("note", 2))])
        packed = docs | "PackDocs" >> beam.Map(lambda d: (d.doc_id, pack(d)))
        keyed = docs | "KeyDocs" >> beam.Map(lambda d: (d.doc_id, d))
        once = {"doc": packed, "note": notes} | "Once" >> PackedCoGroupByKey(packed=("doc",))
        each = {"doc": keyed, "note": notes} | "Each" >> PackedCoGroupByKey()
        expected = [
            (k, {"doc": sorted((d for d in DOCS if d.doc_id == k), key=repr), "note": n})
            for k, n in (("d0", []), ("d1", [("note", 1)]), ("d2", []), ("d9", [("note", 2)]))
        ]
        assert_that(once | "SortOnce" >> beam.Map(_sorted_joins), equal_to(expected), label="Once")
        assert_that(each | "SortEach" >> beam.Map(_sorted_joins), equal_to(expected), label="Each")


def test_every_key_falls_in_one_part_the_same_in_any_process():
    keys = [f"doc-{i}" for i in range(400)] + [("a", 1), 7]
    parts = [part_of((key, None), 4) for key in keys]
    assert parts == [part_of((key, "other value"), 4) for key in keys]
    assert set(parts) == {0, 1, 2, 3}  # 400 keys spread over all four parts
    # a hash of the key's text, not Python's hash() (salted per process for str)
    assert part_of(("doc-0", None), 4) == xxhash.xxh64_intdigest(b"'doc-0'") % 4


def test_a_join_in_parts_is_the_join_of_the_whole():
    notes = [(f"d{i % 5}", ("note", i)) for i in range(12)]
    with TestPipeline() as p:
        docs = p | "Docs" >> beam.Create([(d.doc_id, d) for d in DOCS])
        more = p | "Notes" >> beam.Create(notes)
        whole = {"doc": docs, "note": more} | "Whole" >> PackedCoGroupByKey()
        parts = split_by_key({"doc": docs, "note": more}, 3, "Split")
        joined = [part | f"Join{i}" >> PackedCoGroupByKey() for i, part in enumerate(parts)]
        in_parts = joined | "AllParts" >> beam.Flatten()
        expected = [
            (k, {"doc": _docs_of(k), "note": sorted((v for kk, v in notes if kk == k), key=repr)})
            for k in ("d0", "d1", "d2", "d3", "d4")
        ]
        assert_that(whole | "SortWhole" >> beam.Map(_sorted_joins), equal_to(expected), label="Whole")
        assert_that(in_parts | "SortParts" >> beam.Map(_sorted_joins), equal_to(expected), label="InParts")
