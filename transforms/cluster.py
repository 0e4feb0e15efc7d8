"""Cluster: shared spans -> Passages.

Overlapping spans of one document are one node; nodes joined by a shared span are one
cluster (transitive). Each cluster's nodes are gathered with their paragraphs and cut
into passages by transforms.passages, which aligns copies to a representative.
"""

from __future__ import annotations

import apache_beam as beam

from transforms.components import cluster_nodes, pack_span_pairs
from transforms.detect import WITHOUT_DOCUMENT
from transforms.model import Piece, SpanMatch, SpanPairBatch
from transforms.offload import Offloaded
from transforms.packed import PackedCoGroupByKey, PackedGroupByKey, part_of
from transforms.shards import Shelf, by_shard, merged, opened
from transforms.work import agency_items, paragraphs_of, passages_batch

# Partitions the pieces of the clusters meet in, each cluster whole in one.
PARTITIONS = 64


def span_pair(match: SpanMatch):
    """a match -> its two spans, each running on to its reach (see SpanMatch)."""
    a_end, b_end = max(match.a_end, match.a_reach), max(match.b_end, match.b_reach)
    return (match.a[0], match.a_start, a_end), (match.b[0], match.b_start, b_end)


def span_pairs(matches: list[SpanMatch]) -> SpanPairBatch:
    """a batch of matches -> their span pairs (see span_pair), packed."""
    return pack_span_pairs(span_pair(match) for match in matches)


def _nodes_by_shard(batches):
    """every span pair of the job, in batches -> (shard, [(doc_id, (cluster key, start,
    end))]): the nodes of cluster_nodes, by the shard of their document."""
    return by_shard(cluster_nodes(batches))


def cluster_partition(key: tuple[str, int, int], partitions: int = PARTITIONS) -> int:
    """a cluster's key (its smallest node) -> the partition its pieces meet in."""
    return part_of((key, None), partitions)


def _pieces(element):
    """(shard, {node: [packed [(doc_id, node)]], doc: [packed documents]}) -> (cluster
    partition, [Piece]): each node of the shard cut at its document's paragraphs, the
    pieces of one partition together."""
    _, grouped = element
    nodes = merged(opened(grouped, "node"))
    shelf = Shelf(grouped["doc"])
    out: dict[int, list[Piece]] = {}
    for doc_id, found in nodes.items():
        doc = shelf.get(doc_id)
        if doc is None:
            WITHOUT_DOCUMENT.inc(len(found))
            continue
        paragraphs = paragraphs_of(doc)
        for key, start, end in found:
            pieces = out.setdefault(cluster_partition(key), [])
            for para in paragraphs:
                if para.start < end and start < para.end:
                    pieces.append(Piece(key, max(start, para.start), min(end, para.end), para, doc.credits))
    return sorted(out.items())  # by partition: each comes once


class Cluster(beam.PTransform):
    """[SpanMatch] -> Passage, given the documents the spans point into, packed by shard
    (transforms.shards.PackDocuments).

    Clusters are computed in one place from the list of shared-span pairs, which is
    far smaller than the corpus (one pair per verified stretch).
    """

    def __init__(self, documents, max_gap: int, min_words: int, agencies: dict | None = None, processes: int = 0):
        super().__init__()
        self.documents = documents
        self.args, self.processes = (max_gap, min_words, agency_items(agencies)), processes

    def expand(self, matches):
        nodes = (
            matches
            | "SpanPairs" >> beam.Map(span_pairs)
            # No default for an empty input (nothing to cluster then): a default would
            # come through a side input, whose cache measures the whole list at every read.
            | "AllSpanPairs" >> beam.CombineGlobally(beam.combiners.ToListCombineFn()).without_defaults()
            | "Clusters" >> beam.FlatMap(_nodes_by_shard)
        )
        return (
            {"node": nodes, "doc": self.documents}
            | "JoinDocuments" >> PackedCoGroupByKey(packed=("doc",), unpack=False)
            | "Pieces" >> beam.FlatMap(_pieces)
            | "GroupClusters" >> PackedGroupByKey(unpack=False)
            | "BuildPassages" >> beam.ParDo(Offloaded(passages_batch, self.args, self.processes, batch_size=1))
        )
