"""Stories: Passages -> the rows of stories.jsonl, and each article's stories for
documents.jsonl. The grouping itself is transforms.stories (pure); this is its thin
Beam wrapper."""

from __future__ import annotations

import apache_beam as beam

from transforms.maps import is_same_outlet
from transforms.offload import Offloaded
from transforms.packed import ListOf
from transforms.shards import by_shard
from transforms.stories import Story, memberships, story_facts
from transforms.work import agency_items, stories_batch


def _shared(passage) -> bool:
    """cross-outlet passages only: an outlet's own template is no story."""
    return not is_same_outlet(passage)


def _row(story: Story) -> dict:
    return story.to_row()


def _memberships_by_shard(story: Story):
    """a story -> (shard, [(doc_id, membership)]) for its members' documents."""
    return by_shard(memberships(story))


class Stories(beam.PTransform):
    """Passage -> {"stories": stories.jsonl rows, "memberships": (shard, [(doc_id,
    {story_id, agency, coverage})]) for the documents' rows}. Stories are grouped in one
    place, from every cross-outlet passage's facts (transforms.stories.StoryFacts, a
    passage without its members' texts), in the worker processes
    (transforms.offload); `agencies`: the config's extra agencies."""

    def __init__(self, agencies: dict | None = None):
        super().__init__()
        self.agencies = agency_items(agencies)

    def expand(self, passages):
        stories = (
            passages
            | "CrossOutlet" >> beam.Filter(_shared)
            | "Facts" >> beam.Map(story_facts)
            | "AllFacts" >> beam.CombineGlobally(ListOf()).without_defaults()
            | "Group" >> beam.ParDo(Offloaded(stories_batch, (self.agencies,), batch_size=1))
        )
        return {
            "stories": stories | "StoryRows" >> beam.Map(_row),
            "memberships": stories | "ByShard" >> beam.FlatMap(_memberships_by_shard),
        }
