"""Hand-made rows of a run's output files, for the report's tests."""

import json
from pathlib import Path


def member_row(doc_id, outlet, start, end, text, kind="verbatim", published=None):
    return {
        "doc_id": doc_id,
        "outlet": outlet,
        "published": published,
        "start": start,
        "end": end,
        "text": text,
        "kind": kind,
        "similarity": 1.0,
        "paragraphs": [0],
    }


def passage_row(pid, members, agency=None):
    origin = next(m for m in members if m["kind"] == "origin")
    return {
        "passage_id": pid,
        "agency": agency,
        "text": origin["text"],
        "size": len(members),
        "outlets": sorted({m["outlet"] for m in members if m["outlet"]}),
        "origin": {"doc_id": origin["doc_id"], "confidence": 0.9, "evidence": ["earliest_published"]},
        "members": members,
        "edges": [],
    }


def doc_row(doc_id, outlet, text, spans, published=None):
    shared = sum(e - s for s, e, _, _ in spans)
    return {
        "doc_id": doc_id,
        "outlet": outlet,
        "published": published,
        "title": None,
        "url": None,
        "credits": [],
        "chars": len(text),
        "shared_chars": shared,
        "shared_ratio": round(shared / len(text), 4),
        "spans": [{"start": s, "end": e, "passage_id": p, "role": r, "shared_with": []} for s, e, p, r in spans],
        "text": text,
    }


A = "Intro. \U0001f4f0 The minister said the talks would resume on Monday in Geneva."
B = "Other lead. The minister said talks would resume on Monday in Geneva, officials said."
W = "The minister said the talks would resume on Monday in Geneva."


def sample_rows():
    a_start = A.index("The minister")
    b_start = B.index("The minister")
    b_end = B.index(", officials")
    members = [
        member_row("a", "Alpha", a_start, len(A), A[a_start:], "origin", "2024-01-01T10:00:00Z"),
        member_row("b", "Beta", b_start, b_end, B[b_start:b_end], "edited", "2024-01-01T13:30:00Z"),
        member_row("c", None, 0, len(W), W, "verbatim"),
    ]
    passages = [passage_row("p1", members, agency="AFP")]
    docs = [
        doc_row("a", "Alpha", A, [(a_start, len(A), "p1", "origin")], "2024-01-01T10:00:00Z"),
        doc_row("b", "Beta", B, [(b_start, b_end, "p1", "copy"), (0, 5, "p9", "copy")]),
        doc_row("c", None, W, [(0, len(W), "p1", "copy")]),
        doc_row("z", "Zeta", "Nothing shared here at all.", []),
    ]
    return passages, docs


def write_folder(folder: Path, passages: list[dict], docs: list[dict], max_passages: int = 10) -> Path:
    """rows -> a finished run's output folder (no report.html yet)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "passages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in passages), encoding="utf-8")
    (folder / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    (folder / "outlets.csv").write_text("source_outlet,target_outlet,passages,shared_chars\n", encoding="utf-8")
    summary = {
        "passages": len(passages),
        "documents": len(docs),
        "records_read": len(docs),
        "records_rejected": 0,
        "wiretrace_version": "test",
        "format_version": "2.0",
        "outlets": {},
        "config": {"report_max_passages": max_passages},
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    (folder / "_SUCCESS").write_text("")
    return folder
