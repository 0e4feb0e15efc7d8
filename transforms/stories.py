"""Stories: the passages one wire story's copies share, grouped, with who ran the story,
how much of it, and who was first. Pure, no Beam.

In: one StoryFacts per passage (story_facts: what a story needs of a passage). Out: one
Story per story (build_stories), sorted by story_id.

How passages become stories:
1. A passage links stories only if it is copy: not quoted speech (a statement both
   agencies report: Passage.quote) and not carried by articles that credit different
   agencies, each in a good share of them (two agencies' own reports of one line).
2. Two such passages are one story when at least two articles carry both, or when
   they came from one article (the same origin: the wire that some outlets took the
   start of and others the end), and their agencies agree (or one has none). Stories
   are the groups these links make (transitively). One article that runs two stories
   (a roundup) carries both, but is one article, and the source of neither: not
   enough to join them.
3. A passage that links nothing (a quote) goes to the story whose articles carry it
   most; ties to the story of its origin's article, then of the smallest id; with no
   such story it is a story of its own.
4. A story's members are the articles that carry one of its linking passages; an
   article that only quotes what the story quotes is not a member.

The story's text is its passages in story order (each article's own order, merged:
_ordered), each as its most complete copy has it. `first_published` is the earliest
member; `origin` the member judged to be the source: an agency's own wire; else the
earliest member that credits the story's agency (a credit line or a dateline is the
evidence that says why it may come after another member); else the earliest member,
among equals the most complete. Delays are after the first publication: never negative.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import xxhash

from transforms.metadata import instant, published_key
from transforms.model import Passage

MIN_SHARED_CARRIERS = 2  # articles carrying two passages that make them one story
CONFLICT_SHARE = 3  # a second agency credited by a third of the crediting members is a conflict


@dataclass(frozen=True)
class MemberFacts:
    """What a story needs of one member of a passage."""

    doc_id: str
    outlet: str | None
    published: str | None
    start: int
    chars: int
    coverage: float
    kind: str
    credits: tuple[str, ...]
    history: bool


@dataclass(frozen=True)
class StoryFacts:
    """What a story needs of one passage: its id, its text as its most complete copy has
    it, its words, agency, whether it is a quote, its origin's article, and its members."""

    passage_id: str
    text: str
    words: int
    agency: str | None
    quote: bool
    origin: str
    members: tuple[MemberFacts, ...]

    @property
    def carriers(self) -> frozenset[str]:
        return frozenset(m.doc_id for m in self.members)


def story_facts(passage: Passage) -> StoryFacts:
    """a Passage -> its StoryFacts."""
    fullest = max(passage.members, key=lambda m: (m.coverage, len(m.text), m.doc_id == passage.origin.doc_id))
    return StoryFacts(
        passage_id=passage.passage_id,
        text=fullest.text,
        words=len(fullest.text.split()),
        agency=passage.agency,
        quote=passage.quote,
        origin=passage.origin.doc_id,
        members=tuple(
            MemberFacts(
                m.doc_id, m.outlet, m.published, m.start, m.end - m.start, m.coverage, m.kind, m.credits, m.history
            )
            for m in passage.members
        ),
    )


def links(facts: StoryFacts) -> bool:
    """-> whether a passage may link stories: copy, not a quote, and not carried by
    articles that credit two different agencies, each a third of those crediting or
    more, with no agency all of them credit (an article running a second story at the
    end of its own, and crediting its own story's agency, is not such a conflict)."""
    if facts.quote:
        return False
    credited = [frozenset(m.credits) for m in facts.members if m.credits]
    if not credited or frozenset.intersection(*credited):
        return True
    counts = Counter(agency for agencies in credited for agency in agencies).most_common(2)
    return counts[1][1] * CONFLICT_SHARE < len(credited)


class _Groups:
    """union-find over indices, the smaller root kept (results do not depend on order)."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def group_passages(facts: Sequence[StoryFacts]) -> list[list[int]]:
    """passages' facts -> stories, as lists of indices into `facts` (see the module:
    linking passages grouped by shared articles, then the others placed)."""
    linking = [i for i, f in enumerate(facts) if links(f)]
    groups = _Groups(len(facts))
    carried_by: dict[str, list[int]] = defaultdict(list)  # article -> the linking passages it carries
    for i in linking:
        for doc_id in sorted(facts[i].carriers):
            carried_by[doc_id].append(i)
    together: Counter = Counter()
    for passages in carried_by.values():
        for x, i in enumerate(passages):
            for j in passages[x + 1 :]:
                together[(i, j)] += 1
    for (i, j), n in sorted(together.items()):
        one_source = facts[i].origin == facts[j].origin
        if (n >= MIN_SHARED_CARRIERS or one_source) and _agree(facts[i].agency, facts[j].agency):
            groups.union(i, j)
    # The stories each article is a member of, and each story's member articles.
    stories_of: dict[str, set[int]] = defaultdict(set)
    members_of: dict[int, set[str]] = defaultdict(set)
    for doc_id, passages in carried_by.items():
        for i in passages:
            root = groups.find(i)
            stories_of[doc_id].add(root)
            members_of[root].add(doc_id)
    placed = set(linking)
    for i, f in enumerate(facts):
        if i in placed:
            continue
        votes = Counter(root for doc_id in f.carriers for root in stories_of.get(doc_id, ()))
        if votes:
            top = max(votes.values())
            tied = sorted(root for root, n in votes.items() if n == top)
            home = [root for root in tied if f.origin in members_of[root]]
            groups.union(i, (home or tied)[0])
    stories: dict[int, list[int]] = defaultdict(list)
    for i in range(len(facts)):
        stories[groups.find(i)].append(i)
    return list(stories.values())


def _ordered(facts: Sequence[StoryFacts]) -> list[int]:
    """a story's passages -> their indices in story order: the order of the article that
    carries most of them, with each passage it lacks placed after the one before it in
    another article that carries it (articles taken from the most complete on)."""
    places: dict[str, list[tuple[int, int]]] = defaultdict(list)  # article -> (start, passage)
    for i, f in enumerate(facts):
        for m in f.members:
            places[m.doc_id].append((m.start, i))
    order: list[int] = []
    for doc_id in sorted(places, key=lambda d: (-len({i for _, i in places[d]}), d)):
        after = -1
        for _, i in sorted(places[doc_id]):
            if i in order:
                after = order.index(i)
            else:
                order.insert(after + 1, i)
                after += 1
    return order


@dataclass(frozen=True)
class Story:
    """A wire story: a row of stories.jsonl."""

    story_id: str
    agency: str | None
    passages: tuple[str, ...]
    text: str
    first_published: dict | None
    origin: dict
    members: tuple[dict, ...]

    def to_row(self) -> dict:
        return {
            "story_id": self.story_id,
            "agency": self.agency,
            "passages": list(self.passages),
            "text": self.text,
            "first_published": self.first_published,
            "origin": self.origin,
            "members": list(self.members),
            "size": len(self.members),
            "outlets": sorted({m["outlet"] for m in self.members if m["outlet"]}),
        }


def story_id(passage_ids: Iterable[str]) -> str:
    """a story's linking passages' ids -> its id: stable while its first-given passage is."""
    return "s" + xxhash.xxh64(min(passage_ids).encode("utf-8")).hexdigest()


def _story_agency(facts: Sequence[StoryFacts]) -> str | None:
    counts = Counter()
    for f in facts:
        if f.agency:
            counts[f.agency] += len(f.members)
    return min(counts, key=lambda a: (-counts[a], a)) if counts else None


def _minutes(later: str | None, first: str | None) -> float | None:
    a, b = instant(later), instant(first)
    return None if a is None or b is None else round(max(0.0, (a - b).total_seconds() / 60), 1)


def build_story(
    facts: Sequence[StoryFacts], wire_of: Callable[[str | None], str | None] = lambda outlet: None
) -> Story:
    """one story's passages' facts -> the Story."""
    facts = [facts[i] for i in _ordered(facts)]
    linking = [f for f in facts if links(f)] or list(facts)
    agency = _story_agency(facts)
    total_words = sum(f.words for f in facts) or 1
    member_docs = {m.doc_id for f in linking for m in f.members}
    found: dict[str, list[tuple[StoryFacts, MemberFacts]]] = defaultdict(list)
    for f in facts:
        for m in f.members:
            if m.doc_id in member_docs:
                found[m.doc_id].append((f, m))
    rows = [_member_row(doc_id, carried, total_words) for doc_id, carried in found.items()]
    rows.sort(key=lambda r: (published_key(r["published"]), r["doc_id"]))
    first = next((r for r in rows if r["published"] and published_key(r["published"])[0] == 0), None)
    for row in rows:
        row["delay_minutes"] = _minutes(row["published"], first["published"]) if first else None
    return Story(
        story_id=story_id(f.passage_id for f in linking),
        agency=agency,
        passages=tuple(f.passage_id for f in facts),
        text="\n\n".join(f.text for f in facts),
        first_published={"doc_id": first["doc_id"], "published": first["published"]} if first else None,
        origin=_origin(rows, agency, wire_of),
        members=tuple({k: v for k, v in row.items() if k != "credits"} for row in rows),
    )


def _member_row(doc_id: str, carried: list[tuple[StoryFacts, MemberFacts]], total_words: int) -> dict:
    """an article and its members in a story's passages -> its row of the story's
    members (with its credits, which the origin reads and the row does not keep)."""
    words: dict[str, float] = {}  # passage -> the words of it the article carries
    for f, m in carried:
        words[f.passage_id] = max(words.get(f.passage_id, 0.0), m.coverage * f.words)
    m = carried[0][1]
    row = {
        "doc_id": doc_id,
        "outlet": m.outlet,
        "published": m.published,
        "coverage": round(min(1.0, sum(words.values()) / total_words), 4),
        "shared_chars": sum(member.chars for _, member in carried),
        "kinds": dict(sorted(Counter(member.kind for _, member in carried).items())),
        "credits": sorted({a for _, member in carried for a in member.credits}),
    }
    if any(member.history for _, member in carried):
        row["history"] = True
    return row


def _origin(members: list[dict], agency: str | None, wire_of: Callable[[str | None], str | None]) -> dict:
    """a story's member rows (sorted by publication) -> its origin, with evidence."""

    def by_time(row):
        return (published_key(row["published"]), -row["coverage"], row["doc_id"])

    def by_completeness(row):
        return (-row["coverage"], published_key(row["published"]), row["doc_id"])

    own = [r for r in members if agency and wire_of(r["outlet"]) == agency]
    crediting = [r for r in members if agency and agency in r["credits"]]
    dated = [r for r in members if r["published"]]
    fullest = max(r["coverage"] for r in members)
    if own:
        best, evidence, confidence = min(own, key=by_time), [f"agency_wire:{agency}"], 0.9
    elif crediting:
        best, evidence = min(crediting, key=by_time), [f"credits:{agency}"]
        confidence = min(0.9, 0.5 + 0.1 * len(crediting))
    elif dated:
        best, evidence, confidence = min(dated, key=by_time), ["earliest_published"], 0.6
    else:
        best, evidence, confidence = min(members, key=by_completeness), [], 0.2
    if best["coverage"] == fullest and any(r["coverage"] < fullest for r in members):
        evidence.append("most_complete")
        confidence += 0.1
    return {
        "doc_id": best["doc_id"],
        "confidence": round(min(confidence, 1.0), 4),
        "evidence": evidence or ["smallest_doc_id"],
    }


def build_stories(
    facts: Iterable[StoryFacts], wire_of: Callable[[str | None], str | None] = lambda outlet: None
) -> list[Story]:
    """every passage's facts -> every story, sorted by story_id."""
    facts = sorted(facts, key=lambda f: f.passage_id)
    stories = [build_story([facts[i] for i in group], wire_of) for group in group_passages(facts)]
    return sorted(stories, key=lambda s: s.story_id)


def memberships(story: Story) -> list[tuple[str, dict]]:
    """a story -> (doc_id, {story_id, agency, coverage, shared_chars}) for each member of this run."""
    return [
        (
            m["doc_id"],
            {
                "story_id": story.story_id,
                "agency": story.agency,
                "coverage": m["coverage"],
                "shared_chars": m["shared_chars"],
            },
        )
        for m in story.members
        if not m.get("history")
    ]
