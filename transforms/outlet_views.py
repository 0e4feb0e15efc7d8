"""Per-outlet views for summary.json: articles, share of shared copy, top agencies, delay.

In: the tallies of each outlet's documents (transforms.outlet_facts.document_tallies,
made with the documents.jsonl rows) and the cross-outlet Passages. Out: one dict
{outlet: view}. The facts and tallies are pure functions (transforms.outlet_facts);
OutletViews is the thin Beam wrapper.
"""

from __future__ import annotations

import apache_beam as beam

from transforms.outlet_facts import Tally, batch_tallies, empty_tally, merge_tallies, tally_view


class MergeTalliesFn(beam.CombineFn):
    """an outlet's tallies (of its documents, of its passages) -> its view. Lifted by the
    runner into the steps that make the tallies, so that they cross the shuffle as a
    few per outlet."""

    def create_accumulator(self) -> Tally:
        return empty_tally()

    def add_input(self, tally: Tally, other: Tally) -> Tally:
        return merge_tallies([tally, other])

    def merge_accumulators(self, tallies) -> Tally:
        return merge_tallies(tallies)

    def extract_output(self, tally: Tally) -> dict:
        return tally_view(tally)


class OutletViews(beam.PTransform):
    """((outlet, Tally) of documents, batches of cross-outlet Passages) -> one dict
    {outlet: view}."""

    def __init__(self, passage_batches):
        super().__init__()
        self.passage_batches = passage_batches

    def expand(self, document_tallies):
        shared = self.passage_batches | "TallyPassages" >> beam.FlatMap(batch_tallies)
        return (
            (document_tallies, shared)
            | "AllTallies" >> beam.Flatten()
            | "ViewPerOutlet" >> beam.CombinePerKey(MergeTalliesFn())
            | "AllOutlets" >> beam.combiners.ToDict()
        )
