"""PackedGroupByKey, PackedCoGroupByKey: Beam's GroupByKey and CoGroupByKey, with each
value pickled once into bytes before the shuffle and unpickled once after it.

In: (key, value) elements; for the join, a dict {tag: PCollection} (not a tuple or
list). Out: what beam.GroupByKey / beam.CoGroupByKey give, except that each group's
values come as one list, all unpickled at once, not as an iterable a runner may page
in: a group must fit in memory (every group read here is read whole anyway).

Why: a dataclass value (a Document, a Piece) has no Beam coder of its own, so Beam
pickles it at every stage boundary, and the local runner holds a grouping's values as
decoded Python objects until the group is read: a join of documents pickled each
document three times (the join's Flatten is a stage of its own on that runner) and
held every one of them as objects. Packed, a value is pickled once, waits as one
bytes object, and is unpickled once, in the step that reads its group. Keys are not
packed: they are small, and a runner must compare their encodings.
"""

from __future__ import annotations

import pickle
from itertools import chain

import apache_beam as beam

from transforms.shards import key_part, pack


def _pack_value(element):
    """(key, value) -> (key, its pickle)."""
    key, value = element
    return key, pack(value)


def _unpack_values(element):
    """(key, [pickle]) -> (key, [value])."""
    key, values = element
    return key, [pickle.loads(data) for data in values]


def _unpack_groups(element):
    """(key, {tag: [pickle]}) -> (key, {tag: [value]})."""
    key, grouped = element
    return key, {tag: [pickle.loads(data) for data in values] for tag, values in grouped.items()}


class PackedGroupByKey(beam.PTransform):
    """(key, value) -> (key, [value]), as beam.GroupByKey, values packed in between.
    With `unpack` False, the values stay packed ((key, [pickle])) for a step that
    unpickles them itself, in another process (transforms.work)."""

    def __init__(self, unpack: bool = True):
        super().__init__()
        self.unpack = unpack

    def expand(self, pcoll):
        grouped = pcoll | "Pack" >> beam.Map(_pack_value) | "Group" >> beam.GroupByKey()
        return grouped | "Unpack" >> beam.Map(_unpack_values) if self.unpack else grouped


class PackedCoGroupByKey(beam.PTransform):
    """{tag: (key, value)} -> (key, {tag: [value]}), as beam.CoGroupByKey, values packed
    in between. The tags in `packed` come packed already (unpacked by the step that reads the
    join: transforms.shards). With `unpack`
    False, the values stay packed ((key, {tag: [pickle]})) for a step that unpickles
    them itself, in another process (transforms.work)."""

    def __init__(self, packed: tuple[str, ...] = (), unpack: bool = True):
        super().__init__()
        self.packed, self.unpack = packed, unpack

    def expand(self, pcolls):
        packed = {
            tag: pcoll if tag in self.packed else pcoll | f"Pack_{tag}" >> beam.Map(_pack_value)
            for tag, pcoll in pcolls.items()
        }
        joined = packed | "Join" >> beam.CoGroupByKey()
        return joined | "Unpack" >> beam.Map(_unpack_groups) if self.unpack else joined


class ListOf(beam.CombineFn):
    """elements -> all of them, as one list (in no set order). As Beam's ToListCombineFn,
    but lists are joined in one pass: ToList sums them (`sum(lists, [])`), quadratic in
    the number of bundles a distributed runner merges. Per key, a runner lifts it into
    the step that makes the elements: a list per key and bundle crosses the shuffle,
    not an element each (PackDocuments: a list per shard, not one per document)."""

    def create_accumulator(self) -> list:
        return []

    def add_input(self, items: list, item) -> list:
        items.append(item)
        return items

    def merge_accumulators(self, lists) -> list:
        return list(chain.from_iterable(lists))

    def extract_output(self, items: list) -> list:
        return items


def part_of(element, parts: int) -> int:
    """(key, value), number of parts -> the part of its key: a hash of the key's repr, the
    same in every process and on every runner."""
    return key_part(element[0], parts)


def split_by_key(pcolls: dict, parts: int, label: str) -> list[dict]:
    """{tag: (key, value)} -> `parts` dicts {tag: (key, value)}, each holding the elements
    of a share of the keys (part_of): every key's elements, of every tag, in one part.
    A join applied to each part, its results flattened, is the join of the whole; a
    local runner then holds one part's grouping at a time, not all of it at once."""
    split = {tag: pcoll | f"{label}_{tag}" >> beam.Partition(part_of, parts) for tag, pcoll in pcolls.items()}
    return [{tag: split[tag][i] for tag in pcolls} for i in range(parts)]
