"""Cluster: shared spans -> Passages.

Overlapping spans of one document are one node; nodes joined by a shared span are one
cluster (transitive). Each cluster's nodes are gathered with their paragraphs and cut
into passages by transforms.passages, which aligns copies to a representative.
"""

from __future__ import annotations

import apache_beam as beam

from transforms.components import cluster_nodes
from transforms.offload import Offloaded
from transforms.packed import ListOf, PackedCoGroupByKey
from transforms.work import agency_items, passages_batch, pieces_batch

# Partitions the pieces of the clusters meet in, each cluster whole in one.
PARTITIONS = 64


class Cluster(beam.PTransform):
    """SpanPairBatch (Verify) -> Passage, given the documents the spans point into, packed by shard
    (transforms.shards.PackDocuments).

    Clusters are computed in one place from the list of shared-span pairs, which is
    far smaller than the corpus (one pair per verified stretch).
    """

    def __init__(self, documents, max_gap: int, min_words: int, agencies: dict | None = None):
        super().__init__()
        self.documents = documents
        self.args = (max_gap, min_words, agency_items(agencies))

    def expand(self, matches):
        nodes = (
            matches
            # No default for an empty input (nothing to cluster then): a default would
            # come through a side input, whose cache measures the whole list at every read.
            | "AllSpanPairs" >> beam.CombineGlobally(ListOf()).without_defaults()
            | "Clusters" >> beam.FlatMap(cluster_nodes)
        )
        return (
            {"node": nodes, "doc": self.documents}
            | "JoinDocuments" >> PackedCoGroupByKey(packed=("doc",), unpack=False)
            | "Pieces" >> beam.ParDo(Offloaded(pieces_batch, (PARTITIONS,), batch_size=1))
            | "GroupClusters" >> beam.GroupByKey()
            | "BuildPassages" >> beam.ParDo(Offloaded(passages_batch, self.args, batch_size=1))
        )
