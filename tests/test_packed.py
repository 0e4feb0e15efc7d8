"""transforms.packed: GroupByKey and CoGroupByKey with values pickled once, in a TestPipeline."""

import pickle

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.model import Document
from transforms.packed import PackedCoGroupByKey, PackedGroupByKey, pack

DOCS = [Document(f"d{i % 3}", f"text {i}", "s.jsonl", outlet="Outlet" if i % 2 else None) for i in range(7)]


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
