"""build(): the job as a table of contents. Wires the transforms; runs nothing."""

from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipeline.config import Config
from transforms.cluster import Cluster
from transforms.detect import (
    GroupByBand,
    PageFurniture,
    Signatures,
    Verify,
    candidate_count,
    paragraph_count,
    presigned_partitions,
)
from transforms.history import PRESIGNED, TO_SIGN, ReadHistory, RestoreHistory, WriteIndex, sketch
from transforms.provenance_maps import Provenance
from transforms.read import PackDocuments, ReadDocuments
from transforms.readers import ReadOptions
from transforms.reword_maps import Rewordings
from transforms.story_maps import Stories
from transforms.write import WriteOutputs

COUNTS_FILE = "_counts.json"
VIEWS_FILE = "_outlets.json"  # the per-outlet views, for summary.json
INDEX_DIR = "_index"  # this run's index file, moved into --index DIR when the run is published


def build(
    p: beam.Pipeline,
    config: Config,
    files: list[str],
    staging: str,
    input_format: str | None = None,
    history: list[str] | None = None,
    index_run: str | None = None,
) -> dict:
    """pipeline, config, input file paths, output folder -> the job's PCollections by name.
    Optional: a format for every input file (None: by extension); earlier runs' index
    files to match against (`history`); the name of this run's index file to write into
    `staging`/index/ (`index_run`, None: none). How many worker processes the heavy
    steps use is the runner's business (transforms.offload.worker_processes).

    Writes passages, documents, outlets and errors files, and `_counts.json`, into `staging`.
    """
    bands, rows = config.bands

    options = ReadOptions(input_format, config.fields, config.csv_delimiter or None, config.day_first)
    read = p | "ReadDocuments" >> ReadDocuments(files, options, config.agencies)
    documents = read["documents"]
    signing = (config.shingle_size, config.min_paragraph_words, config.num_perm, config.seed)
    packed = documents | "PackDocuments" >> PackDocuments()
    matched, to_sign = packed, documents
    if history:
        old = p | "ReadHistory" >> ReadHistory(history, sketch(*signing))
        earlier = old["documents"] | "PackHistory" >> PackDocuments()
        matched = (packed, earlier) | "WithHistory" >> beam.Flatten()
        to_sign = (documents, old[TO_SIGN]) | "WithHistoryToSign" >> beam.Flatten()
    furniture = None
    if config.furniture_documents:
        furniture = documents | "PageFurniture" >> PageFurniture(config.furniture_documents)
    signed = to_sign | "Signatures" >> Signatures(*signing, min_shared=config.min_shared_words, furniture=furniture)
    if history:
        presigned = (
            old[PRESIGNED]
            | "BatchPresigned" >> beam.BatchElements(min_batch_size=1024, max_batch_size=1024)
            | "PartitionPresigned" >> beam.FlatMap(presigned_partitions)
        )
        signed = (signed, presigned) | "AllSigned" >> beam.Flatten()
    candidates = signed | "GroupByBand" >> GroupByBand(bands, rows, config.max_bucket_size)
    matches = candidates | "Verify" >> Verify(
        matched, config.max_gap_words, config.min_shared_words, config.align_parts
    )
    passages = matches | "Cluster" >> Cluster(matched, config.max_gap_words, config.min_shared_words, config.agencies)
    if history:
        passages = passages | "RestoreHistory" >> RestoreHistory()
    if config.rewordings:
        verify = (config.embeddings, config.embedding_min_similarity) if config.embeddings else None
        passages = passages | "Rewordings" >> Rewordings(packed, verify, furniture)
    if index_run:
        passages | "WriteIndex" >> WriteIndex(FileSystems.join(staging, INDEX_DIR), index_run, *signing)
    stories = passages | "Stories" >> Stories(config.agencies)
    tables = passages | "Provenance" >> Provenance(
        packed, config.documents_text, config.output_shards, stories["memberships"]
    )
    views = tables.pop("outlet_views")
    outputs = {**tables, "stories": stories["stories"], "errors": read["errors"]}
    written = outputs | "WriteOutputs" >> WriteOutputs(staging, config.output_shards)
    views | "WriteOutletViews" >> beam.Map(_write_json, FileSystems.join(staging, VIEWS_FILE))

    counted = {
        "records_read": read["records"],
        "documents": documents,
        "records_rejected": read["errors"],
        "paragraphs": documents,
        "candidate_pairs": candidates,
        "verified_pairs": matches,
        "passages": tables["passages"],
        "templates": tables["templates"],
        "stories": stories["stories"],
    }
    if history:
        counted["history_members"] = old["documents"]
    sizes = {"paragraphs": paragraph_count, "candidate_pairs": candidate_count, "verified_pairs": len}
    counts = counted | "CountAll" >> CountEach(sizes)
    counts | "WriteCounts" >> beam.Map(_write_json, FileSystems.join(staging, COUNTS_FILE))
    return {**counted, "counts": counts, "written": written}


class CountEach(beam.PTransform):
    """{name: PCollection} -> one dict {name: count}: the number of elements, or, where
    `sizes` gives a size function for the name (elements that are batches), the sum of
    size(element)."""

    def __init__(self, sizes: dict | None = None):
        super().__init__()
        self.sizes = sizes or {}

    def expand(self, pcolls):
        counts = [
            pcoll
            | f"Size_{name}" >> beam.Map(self.sizes.get(name, _one))
            | f"Count_{name}" >> beam.CombineGlobally(sum)
            | f"Name_{name}" >> beam.Map(_named, name)
            for name, pcoll in pcolls.items()
        ]
        return counts | "AllCounts" >> beam.Flatten() | "ToDict" >> beam.combiners.ToDict()


def _one(_) -> int:
    return 1


def _named(count: int, name: str):
    return name, count


def _write_json(value: dict, path: str) -> str:
    with FileSystems.create(path, mime_type="application/json") as f:
        f.write(json.dumps(value, sort_keys=True).encode("utf-8"))
    return path
