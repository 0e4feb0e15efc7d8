"""Document shards: by_shard, merged, seal, Shelf, and PackDocuments on the local runner."""

import pickle
from collections import Counter

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that

from transforms.model import Document
from transforms.packed import pack
from transforms.read import PackDocuments
from transforms.shards import SHARDS, Shelf, by_shard, merged, seal, shard_of, unsealed


def test_shards_spread_doc_ids_evenly_and_the_same_way_every_time():
    ids = [f"outlet-{i % 37}/2026-11-{i % 28 + 1:02d}/{i}" for i in range(SHARDS * 100)]
    sizes = Counter(shard_of(doc_id) for doc_id in ids)
    assert set(sizes) == set(range(SHARDS))
    assert min(sizes.values()) > 60 and max(sizes.values()) < 140
    assert [shard_of(doc_id) for doc_id in ids] == [shard_of(doc_id) for doc_id in ids]
    assert {shard_of(doc_id, 3) for doc_id in ids} == {0, 1, 2}


def test_by_shard_puts_every_item_once_in_its_shard_in_the_order_it_came():
    items = [(f"d{i % 50}", i) for i in range(500)]
    out = by_shard(items)
    assert [shard for shard, _ in out] == sorted({shard_of(doc_id) for doc_id, _ in items})
    for shard, found in out:
        assert all(shard_of(doc_id) == shard for doc_id, _ in found)
        assert [value for _, value in found] == sorted(value for _, value in found)
    assert sorted(item for _, found in out for item in found) == sorted(items)
    assert by_shard([]) == []


def test_merged_gathers_each_documents_values_from_every_list_in_doc_id_order():
    lists = [[("b", 1), ("a", 2)], [], [("b", 3), ("c", 4)]]
    assert merged(lists) == {"a": [2], "b": [1, 3], "c": [4]}
    assert list(merged(lists)) == ["a", "b", "c"]


def test_shelf_unpickles_only_what_is_asked_for_and_reads_several_packings_of_a_shard():
    docs = [Document(f"d{i}", f"text {i}", "f.txt") for i in range(4)]
    this_run = seal((d.doc_id, pack(d)) for d in reversed(docs[:3]))
    earlier = seal([(docs[3].doc_id, pack(docs[3]))])
    shelf = Shelf([this_run, earlier])
    assert shelf.docs == {}
    assert shelf.get("d1") == docs[1] and list(shelf.docs) == ["d1"]
    assert shelf.get("d1") is shelf.get("d1")
    assert shelf.get("nowhere") is None
    assert list(shelf) == docs


def test_a_sealed_shard_is_smaller_than_its_pickles_and_opens_to_them_in_doc_id_order():
    story = "The minister said on Tuesday that the talks would resume in Geneva next week. "
    items = [(f"d{i:02d}", pack(Document(f"d{i:02d}", story * 5 + str(i), "f.txt"))) for i in range(40, 0, -1)]
    sealed = seal(items)
    assert len(sealed) * 3 < sum(len(data) for _, data in items)
    assert unsealed(sealed) == tuple(sorted(items))
    assert unsealed(seal([])) == ()


def test_pack_documents_gives_one_element_per_shard_each_document_once_in_doc_id_order():
    docs = [Document(f"doc-{i:03d}", f"Paragraph {i}.\nAnother.", f"f{i % 3}.txt", outlet="o") for i in range(200)]

    def check(elements):
        shards = [shard for shard, _ in elements]
        assert len(shards) == len(set(shards)) > 1
        found = []
        for shard, sealed in elements:
            assert isinstance(sealed, bytes)
            items = unsealed(sealed)
            ids = [doc_id for doc_id, _ in items]
            assert ids == sorted(ids) and all(shard_of(doc_id) == shard for doc_id in ids)
            found.extend(pickle.loads(data) for _, data in items)
        assert sorted(found, key=lambda d: d.doc_id) == docs

    with TestPipeline() as p:
        packed = p | beam.Create(docs) | PackDocuments()
        assert_that(packed | beam.combiners.ToList(), lambda lists: check(lists[0]))
