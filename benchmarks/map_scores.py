"""Kinds and provenance of the job's passages against the generated corpus's truth
(benchmarks.corpus), for benchmarks.quality.

    kind_scores(passages, truths) -> (accuracy, scored, most common misses)
    provenance_scores(passages, truths) -> {agency precision, agency coverage, origin accuracy}
"""

from __future__ import annotations

from collections import Counter, defaultdict

from benchmarks.corpus import AGENCIES


def _passage_story(passage, truth_of):
    """-> the story most of a passage's members carry (None if none does)."""
    stories = Counter()
    for m in passage["members"]:
        for c in truth_of[m["doc_id"]].copied:
            if c.start < m["end"] and m["start"] < c.end:
                stories[c.story] += 1
    return min(stories, key=lambda s: (-stories[s], s)) if stories else None


def kind_scores(passages, truths):
    """-> (accuracy, paragraphs scored, {(truth, our kinds): count} of the misses).

    Scored per copied paragraph of a story whose agency wire is in the corpus and is
    the origin of the passages over it (the edits are made to the wire). A passage can
    cover part of a paragraph, and an edit shows in the member that holds it (a merge
    where the two paragraphs meet, a trim where the dropped sentence was), so an edited
    paragraph is right when some member over it has its edit as kind. A verbatim one is
    right when every member over it is verbatim, or has the edit of another copied
    paragraph the member also spans.
    """
    truth_of = {t.doc_id: t for t in truths}
    ours: dict[tuple[str, int], list[tuple[str, set[str]]]] = defaultdict(list)
    for p in passages:
        origin = truth_of[p["origin"]["doc_id"]]
        if not origin.wire:
            continue
        for m in p["members"]:
            if m["doc_id"] == origin.doc_id:
                continue
            copied = truth_of[m["doc_id"]].copied
            over = [
                k for k, c in enumerate(copied) if c.story == origin.story and c.start < m["end"] and m["start"] < c.end
            ]
            for k in over:
                ours[(m["doc_id"], k)].append((m["kind"], {copied[j].kind for j in over if j != k}))
    right, misses = 0, Counter()
    for (doc_id, k), found in ours.items():
        kind = truth_of[doc_id].copied[k].kind
        kind = {"inserted": "edited", "reworded": "rewritten"}.get(kind, kind)  # an inserted sentence is an edit
        if kind == "verbatim":
            ok = all(ours_kind == "verbatim" or ours_kind in others for ours_kind, others in found)
        else:
            ok = any(ours_kind == kind for ours_kind, _ in found)
        if ok:
            right += 1
        else:
            misses[(kind, "/".join(sorted({ours_kind for ours_kind, _ in found})))] += 1
    return (right / len(ours) if ours else float("nan")), len(ours), misses


def _rewrites(truth, member) -> bool:
    """whether a member lies in a paragraph its article rewrote (benchmarks.rewrites)."""
    return any(c.kind == "reworded" and c.start < member["end"] and member["start"] < c.end for c in truth.copied)


def provenance_scores(passages, truths):
    """-> {figure: (value, passages counted)}: agency precision and coverage, origin accuracy."""
    truth_of = {t.doc_id: t for t in truths}
    named = named_right = credited = credited_right = judged = origin_right = 0
    for p in passages:
        story = _passage_story(p, truth_of)
        if story is None:
            continue
        agency = AGENCIES[story % len(AGENCIES)]
        members = [truth_of[m["doc_id"]] for m in p["members"]]
        if p["agency"]:
            named += 1
            named_right += p["agency"] == agency
        credits = any(t.credits and t.story == story for t in members)
        # a rewrite is no source: the origin is judged among the copies
        members = [t for t, m in zip(members, p["members"], strict=True) if not _rewrites(t, m)]
        copying = any(t.credits and t.story == story for t in members)
        if credits:
            credited += 1
            credited_right += p["agency"] == agency
        wire = [t.doc_id for t in members if t.wire and t.story == story]
        origin = p["origin"]
        if wire:
            judged += 1
            origin_right += origin["doc_id"] in wire
        elif copying:
            judged += 1
            origin_right += f"credits:{agency}" in origin["evidence"] and truth_of[origin["doc_id"]].credits
        else:
            copies = [m for m in p["members"] if not _rewrites(truth_of[m["doc_id"]], m)]
            times = sorted((m["published"], m["doc_id"]) for m in copies)
            if len(times) > 1 and times[0][0] < times[1][0]:
                judged += 1
                origin_right += origin["doc_id"] == times[0][1]
    return {
        "agency_precision": (named_right / named if named else float("nan"), named),
        "agency_coverage": (credited_right / credited if credited else float("nan"), credited),
        "origin_accuracy": (origin_right / judged if judged else float("nan"), judged),
    }
