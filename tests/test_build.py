"""build(): the pipeline's table of contents, and CountEach."""

import json

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipeline.build import COUNTS_FILE, CountEach, build
from pipeline.config import Config


def test_count_each_counts_every_collection_including_empty_ones():
    with TestPipeline() as p:
        counts = {
            "three": p | "Three" >> beam.Create([1, 2, 3]),
            "none": p | "None" >> beam.Create([]),
        } | CountEach()
        assert_that(counts, equal_to([{"three": 3, "none": 0}]))


def test_count_each_sums_the_sizes_of_batches():
    with TestPipeline() as p:
        counts = {
            "pairs": p | "Batches" >> beam.Create([[1, 2], [3], []]),
            "batches": p | "Same" >> beam.Create([[1, 2], [3], []]),
        } | CountEach({"pairs": len})
        assert_that(counts, equal_to([{"pairs": 3, "batches": 3}]))


def test_build_labels_the_stages_in_order_and_writes_counts(seeds_dir, tmp_path):
    p = TestPipeline()
    out = build(p, Config(), sorted(str(f) for f in seeds_dir.glob("*.txt")), str(tmp_path))
    labels = [t.full_label for t in p.transforms_stack[0].parts]
    stages = ["ReadDocuments", "Signatures", "GroupByBand", "Verify", "Cluster", "Provenance"]
    assert [label for label in labels if label in stages] == stages
    assert "WriteOutputs" in labels
    assert_that(out["documents"] | beam.combiners.Count.Globally(), equal_to([5]))
    p.run().wait_until_finish()
    counts = json.loads((tmp_path / COUNTS_FILE).read_text())
    assert counts["records_read"] == counts["documents"] == 5 and counts["passages"] >= 2
