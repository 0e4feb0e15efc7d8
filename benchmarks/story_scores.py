"""How well a run's passages and stories follow the generated corpus's wire stories.

In: a finished run's rows (passages, stories, documents) and the corpus's truth
(benchmarks.corpus). Out: figures, each with how many items it is over.

- whole passages: over every story paragraph a document copies that another outlet's
  document carries too (a merged copy paragraph carries two, each its own part of the
  text), the share whose text lies in exactly one passage: a member of one passage,
  and of no other, overlaps it;
- story grouping, B-cubed over the documents of true or found stories: for each, the
  share of the documents in its found story that are in its true story (precision) and
  the share of those in its true story found with it (recall); a document's found story
  is the one it carries most of; a document in none is a story of its own;
- origin accuracy, over found stories that are mostly one true story: the origin is the
  agency's own wire when that is a member; else, when members credit the agency, a
  crediting member; else the earliest member;
- first-published accuracy, over the same: `first_published` is the earliest member.
"""

from __future__ import annotations

from collections import Counter, defaultdict

MIN_OVERLAP = 0.3  # share of a story paragraph's text a member must overlap to hold it


def passage_unity(passages: list[dict], truths) -> tuple[float, int]:
    """-> (share of shared story paragraphs carried that lie in exactly one passage, how many)."""
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for p in passages:
        for m in p["members"]:
            spans[m["doc_id"]].append((m["start"], m["end"], p["passage_id"]))
    outlets = defaultdict(set)  # (story, paragraph) -> the outlets carrying it
    for truth in truths:
        for c in truth.copied:
            for i, _, _ in c.parts:
                outlets[(c.story, i)].add(truth.outlet)
    one = total = 0
    for truth in truths:
        for c in truth.copied:
            if c.kind == "reworded":
                continue  # copy only: rewrites are scored apart (reword_scores)
            for i, a, b in c.parts:
                if len(outlets[(c.story, i)]) < 2:
                    continue
                held = {
                    pid for s, e, pid in spans.get(truth.doc_id, ()) if min(b, e) - max(a, s) >= MIN_OVERLAP * (b - a)
                }
                total += 1
                one += len(held) == 1
    return (one / total if total else float("nan")), total


def _found_story(document_rows: list[dict]) -> dict[str, str]:
    """-> {doc_id: the story it carries the most text of} for documents in some story."""
    return {d["doc_id"]: d["stories"][0]["story_id"] for d in document_rows if d.get("stories")}


def story_grouping(document_rows: list[dict], truths) -> tuple[float, float, float, int]:
    """-> (B-cubed precision, recall, F1, documents scored)."""
    found = _found_story(document_rows)
    true = {t.doc_id: t.story for t in truths if t.story is not None}
    docs = sorted(set(found) | set(true))
    by_found, by_true = defaultdict(set), defaultdict(set)
    for d in docs:
        by_found[found.get(d, ("alone", d))].add(d)
        by_true[true.get(d, ("alone", d))].add(d)
    precision = recall = 0.0
    for d in docs:
        mine, theirs = by_found[found.get(d, ("alone", d))], by_true[true.get(d, ("alone", d))]
        both = len(mine & theirs)
        precision += both / len(mine)
        recall += both / len(theirs)
    if not docs:
        return float("nan"), float("nan"), float("nan"), 0
    precision, recall = precision / len(docs), recall / len(docs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(docs)


def story_provenance(stories: list[dict], rows: list[dict], truths) -> dict[str, tuple[float, int]]:
    """-> {"origin_accuracy": (value, stories), "first_published_accuracy": (value, stories)}."""
    truth_of = {t.doc_id: t for t in truths}
    published = {r["id"]: r["published"] for r in rows}
    origin_right = first_right = judged = 0
    for story in stories:
        members = [truth_of[m["doc_id"]] for m in story["members"] if m["doc_id"] in truth_of]
        votes = Counter(t.story for t in members if t.story is not None)
        if not votes:
            continue
        true_story, n = votes.most_common(1)[0]
        if n * 2 <= len(members):
            continue
        judged += 1
        mine = [t for t in members if t.story == true_story]
        wire = [t.doc_id for t in mine if t.wire]
        crediting = [t.doc_id for t in mine if t.credits]
        earliest = min(published[t.doc_id] for t in members)
        first = [t.doc_id for t in members if published[t.doc_id] == earliest]
        origin = story["origin"]["doc_id"]
        if wire:
            origin_right += origin in wire
        elif crediting:
            origin_right += origin in crediting
        else:
            origin_right += origin in first
        first_right += (story["first_published"] or {}).get("doc_id") in first
    judge = judged or 1
    return {
        "origin_accuracy": (origin_right / judge if judged else float("nan"), judged),
        "first_published_accuracy": (first_right / judge if judged else float("nan"), judged),
    }


def _overlap(a: int, b: int, s: int, e: int) -> int:
    return min(b, e) - max(a, s)


def reword_scores(passages: list[dict], truths) -> dict[str, tuple[float, int]]:
    """-> {"reworded_recall", "reworded_precision", "independent_false_joins": (value, over)}.

    A true reworded sentence (a rewriter's copy of a story sentence) is found when a
    member of kind rewritten covers half of it or more, in a passage whose origin's
    article carries that story. A rewritten member is right when half of it or more
    lies in true reworded sentences of its passage's story. A false join: a sentence of an
    independent report (another agency's story of the same facts) that a member joins to
    a passage whose origin carries the story it reports too."""
    story_of = {t.doc_id: t.story for t in truths}
    rewritten = defaultdict(list)  # doc -> (start, end, the story of the passage's origin)
    joined = defaultdict(list)  # doc -> (start, end, the story of the passage's origin), every member
    for p in passages:
        story = story_of.get(p["origin"]["doc_id"])
        for m in p["members"]:
            joined[m["doc_id"]].append((m["start"], m["end"], story))
            if m["kind"] == "rewritten":
                rewritten[m["doc_id"]].append((m["start"], m["end"], story))
    true = [(t.doc_id, a, b, c.story) for t in truths for c in t.copied for a, b, _ in c.reworded]
    found = sum(
        any(s == story and _overlap(a, b, ms, me) * 2 >= b - a for ms, me, s in rewritten.get(doc, ()))
        for doc, a, b, story in true
    )
    true_by_doc = defaultdict(list)
    for doc, a, b, story in true:
        true_by_doc[doc].append((a, b, story))
    predicted = [(doc, s, e, story) for doc, found_in in rewritten.items() for s, e, story in found_in]
    right = sum(
        sum(max(0, _overlap(a, b, s, e)) for a, b, st in true_by_doc.get(doc, ()) if st == story) * 2 >= e - s
        for doc, s, e, story in predicted
    )
    sentences = false = 0
    for t in truths:
        if t.independent_of is None:
            continue
        for c in t.copied:
            spans = [(a, b) for _, a, b in c.parts]
            for a, b in spans:
                sentences += 1
                false += any(
                    s == t.independent_of and _overlap(a, b, ms, me) > 0 for ms, me, s in joined.get(t.doc_id, ())
                )
    return {
        "reworded_recall": (found / len(true) if true else float("nan"), len(true)),
        "reworded_precision": (right / len(predicted) if predicted else float("nan"), len(predicted)),
        "independent_false_joins": (false / sentences if sentences else float("nan"), sentences),
    }
