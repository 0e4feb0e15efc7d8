"""build(): the job as a table of contents. Wires the transforms; runs nothing."""

from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipeline.config import Config
from transforms.cluster import Cluster
from transforms.detect import GroupByBand, Signatures, SplitParagraphs, Verify
from transforms.provenance_maps import Provenance
from transforms.read import CreditAgencies, ReadDocuments
from transforms.write import WriteOutputs

COUNTS_FILE = "_counts.json"
VIEWS_FILE = "_outlets.json"  # the per-outlet views, for summary.json


def build(p: beam.Pipeline, config: Config, files: list[str], staging: str) -> dict:
    """pipeline, config, input file paths, output folder -> the job's PCollections by name.

    Writes passages, documents, outlets and errors files, and `_counts.json`, into `staging`.
    """
    bands, rows = config.bands

    read = p | "ReadDocuments" >> ReadDocuments(files)
    documents = read["documents"] | "CreditAgencies" >> CreditAgencies(config.agencies)
    paragraphs = documents | "SplitParagraphs" >> SplitParagraphs()
    signed = paragraphs | "Signatures" >> Signatures(
        config.shingle_size, config.min_paragraph_words, config.num_perm, config.seed
    )
    candidates = signed | "GroupByBand" >> GroupByBand(bands, rows, config.max_bucket_size)
    matches = candidates | "Verify" >> Verify(paragraphs, config.max_gap_words, config.min_shared_words)
    passages = matches | "Cluster" >> Cluster(documents, config.max_gap_words, config.min_shared_words, config.agencies)
    tables = passages | "Provenance" >> Provenance(documents, config.documents_text)
    views = tables.pop("outlet_views")
    written = {**tables, "errors": read["errors"]} | "WriteOutputs" >> WriteOutputs(staging, config.output_shards)
    views | "WriteOutletViews" >> beam.Map(_write_json, FileSystems.join(staging, VIEWS_FILE))

    counted = {
        "records_read": read["records"],
        "documents": documents,
        "records_rejected": read["errors"],
        "paragraphs": paragraphs,
        "candidate_pairs": candidates,
        "verified_pairs": matches,
        "passages": tables["passages"],
        "templates": tables["templates"],
    }
    counts = counted | "CountAll" >> CountEach()
    counts | "WriteCounts" >> beam.Map(_write_json, FileSystems.join(staging, COUNTS_FILE))
    return {**counted, "counts": counts, "written": written}


class CountEach(beam.PTransform):
    """{name: PCollection} -> one dict {name: number of elements}."""

    def expand(self, pcolls):
        counts = [
            pcoll | f"Count_{name}" >> beam.combiners.Count.Globally() | f"Name_{name}" >> beam.Map(_named, name)
            for name, pcoll in pcolls.items()
        ]
        return counts | "AllCounts" >> beam.Flatten() | "ToDict" >> beam.combiners.ToDict()


def _named(count: int, name: str):
    return name, count


def _write_json(value: dict, path: str) -> str:
    with FileSystems.create(path, mime_type="application/json") as f:
        f.write(json.dumps(value, sort_keys=True).encode("utf-8"))
    return path
