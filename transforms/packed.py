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

import apache_beam as beam


def pack(value) -> bytes:
    """a value -> its pickle."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


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
    """(key, value) -> (key, [value]), as beam.GroupByKey, values packed in between."""

    def expand(self, pcoll):
        return (
            pcoll
            | "Pack" >> beam.Map(_pack_value)
            | "Group" >> beam.GroupByKey()
            | "Unpack" >> beam.Map(_unpack_values)
        )


class PackedCoGroupByKey(beam.PTransform):
    """{tag: (key, value)} -> (key, {tag: [value]}), as beam.CoGroupByKey, values packed
    in between."""

    def expand(self, pcolls: dict):
        packed = {tag: pcoll | f"Pack_{tag}" >> beam.Map(_pack_value) for tag, pcoll in pcolls.items()}
        return packed | "Join" >> beam.CoGroupByKey() | "Unpack" >> beam.Map(_unpack_groups)
