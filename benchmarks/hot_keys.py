"""Hot keys and skew: N articles that all carry the same three boilerplate paragraphs and
the same wire paragraph, so that every one of their sentence windows is one hot LSH key.

    python -m benchmarks.hot_keys --docs 5000,10000,20000 [--seed 7] [--outlets 300] [--keep DIR] [Beam options ...]

For each size N it writes a JSON Lines corpus of N articles from `--outlets` outlets,
published at varied times over 30 days. Every article holds, verbatim, three paragraphs
of site text (BOILERPLATE: text our boilerplate filter keeps, so that it reaches LSH),
one AFP paragraph (WIRE), and three paragraphs of its own (random sentences from the
seeds' vocabulary, benchmarks/corpus.py); a third of them close with an agency credit
line, which the filter does remove. Article d is the same at every size (its text
depends on the seed and d only), so a corpus is a prefix of every larger one.

It runs the job on each corpus in a fresh process (the CLI's default local settings,
unless Beam options are given) and prints, per size: wall time, documents/s, the peak
resident memory of the process tree, its CPU time (user and system, of the job and its
worker processes, benchmarks.throughput.cpu_seconds: less disturbed than wall time by
other work on a shared machine), candidate pairs, verified pairs, passages, the
members of the largest passage, and, against the size before it, the ratios of time and
memory (linear: about 2x for 2x the documents). Then, in this process and without Beam,
the pure steps that turn one passage of N members into output (the wire paragraph's
pieces in every article, no credits, so that every copy looks for its parent among the
earlier ones): build_passages (segmentation, kinds, origin, provenance tree), its spans
and its passages.jsonl line; each should cost about 2x for 2x the members.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.corpus import START, _vocabulary, _when, _Writer
from benchmarks.throughput import measured
from transforms.boilerplate import boilerplate_reason
from transforms.heap import relax_gc
from transforms.lines import json_line
from transforms.maps import passage_spans
from transforms.model import Piece
from transforms.passages import build_passages
from transforms.text import document_paragraphs

# Site text every article of the network carries verbatim: an about line, a corrections
# policy, a comments note. None of it is furniture our filter knows (checked below).
BOILERPLATE = (
    "The Coastal Herald Network brings together independent local newsrooms across the region, "
    "sharing reporting, photography and data so that every community keeps a newspaper of its own.",
    "Our journalists follow a published code of ethics; when we get something wrong we correct it "
    "promptly and note the change at the foot of the story.",
    "Readers are welcome to discuss this story in the comments below, provided they stay civil, keep "
    "to the topic and respect the people it concerns.",
)
# One paragraph of agency copy that every article runs.
WIRE = (
    "The United Nations refugee agency said on Tuesday that more than 120,000 people had fled the "
    "fighting in the north of the country over the past week, most of them women and children "
    "seeking shelter in overcrowded camps near the border."
)
CREDIT_LINE = "AFP contributed to this report."  # removed by the filter (credit_line)
SHARED = (*BOILERPLATE, WIRE)


def generate(n_docs: int, seed: int = 7, outlets: int = 300) -> list[dict]:
    """n_docs, seed, outlets -> JSON Lines rows {id, text, outlet, published, title}.

    Layout of article d: boilerplate 1, own paragraph, the wire paragraph, two own
    paragraphs, boilerplate 2 and 3, and (one article in three) the credit line.
    """
    vocabulary = _vocabulary()
    rows = []
    for d in range(n_docs):
        rng = random.Random(f"hot-keys:{seed}:{d}")
        writer = _Writer(rng, vocabulary)
        own = [" ".join(writer.paragraph(rng.randint(1, 3))) for _ in range(3)]
        parts = [BOILERPLATE[0], own[0], WIRE, own[1], own[2], BOILERPLATE[1], BOILERPLATE[2]]
        if d % 3 == 0:
            parts.append(CREDIT_LINE)
        published = START + timedelta(minutes=rng.randrange(30 * 24 * 60))
        rows.append(
            {
                "id": f"hk{d:06d}",
                "text": "\n\n".join(parts),
                "outlet": f"Herald {rng.randrange(outlets):03d}",
                "published": _when(published),
                "title": writer.sentence()[:-1],
            }
        )
    return rows


def write_corpus(rows: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _largest(out: Path, name: str) -> int:
    """-> the members of the largest passage in out/name (0 if none), read row by row."""
    largest = 0
    path = out / name
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for line in f:
                largest = max(largest, json.loads(line)["size"])
    return largest


def passage_steps(rows: list[dict], max_gap: int = 5, min_words: int = 8) -> dict[str, float]:
    """the corpus -> seconds of each pure step from the wire paragraph's pieces (one per
    article) to its output: build_passages, passage_spans, the passages.jsonl line.
    Run as a worker runs them (relax_gc); the job's defaults for max_gap and min_words."""
    relax_gc()
    pieces = []
    for row in rows:
        for para in document_paragraphs(row["id"], row["text"], row["outlet"], row["published"]):
            if para.text == WIRE:
                pieces.append(Piece((rows[0]["id"], 0, 0), para.start, para.end, para))
    seconds = {}
    started = time.perf_counter()
    (passage,) = build_passages(pieces, max_gap, min_words)
    seconds["build_passages"] = time.perf_counter() - started
    started = time.perf_counter()
    passage_spans(passage)
    seconds["spans"] = time.perf_counter() - started
    started = time.perf_counter()
    json_line(passage.to_row())
    seconds["row"] = time.perf_counter() - started
    assert len(passage.members) == len(rows), "the wire paragraph is one passage of every article"
    return seconds


def run_size(n_docs: int, seed: int, outlets: int, workdir: Path, beam_args: list[str]) -> dict:
    rows = generate(n_docs, seed, outlets)
    corpus = write_corpus(rows, workdir / f"hot-{n_docs}.jsonl")
    out = workdir / f"hot-out-{n_docs}"
    job = [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output", str(out), "--overwrite"]
    run = measured(job + beam_args)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {
        "docs": n_docs,
        "seconds": run.seconds,
        "cpu": run.cpu,
        "job_seconds": summary["timings"]["wall_seconds"],
        "peak": run.peak,
        "summary": summary,
        "largest": _largest(out, "passages.jsonl"),
        "largest_template": _largest(out, "templates.jsonl"),
        "steps": passage_steps(rows),
    }


def _report(r: dict) -> None:
    s, gb = r["summary"], 1024**3
    filtered = {k.split(":", 1)[1]: v for k, v in s["counters"].items() if k.startswith("filtered:")}
    print(
        f"{r['docs']:>7,} docs  {r['seconds']:7.1f} s  {r['docs'] / r['seconds']:6.0f} docs/s  "
        f"peak {r['peak'] / gb:5.2f} GB  CPU {r['cpu']:.0f} s  (pipeline {r['job_seconds']:.1f} s, "
        f"start-up, report and publish {r['seconds'] - r['job_seconds']:.1f} s)"
    )
    print(
        f"{'':>13}candidate pairs {s['candidate_pairs']:,}  verified pairs {s['verified_pairs']:,}  "
        f"passages {s['passages']:,}  templates {s['templates']:,}  "
        f"largest passage {r['largest']:,} members  largest template {r['largest_template']:,}"
    )
    print(
        f"{'':>13}documents {s['documents']:,} of {s['records_read']:,} read ({s['records_rejected']} rejected), "
        f"paragraphs {s['paragraphs']:,}, hot band buckets {s['counters'].get('lsh:hot_buckets', 0):,}, "
        f"filtered {filtered or 'none'}"
    )
    steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in r["steps"].items())
    print(f"{'':>13}one passage of {r['docs']:,} members, pure steps in this process: {steps}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="5000,10000,20000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--outlets", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="keep corpora and outputs here (default: a temporary folder)")
    args, beam_args = parser.parse_known_args(argv)
    removed = [text[:40] for text in SHARED if boilerplate_reason(text)]
    settings = " ".join(beam_args) if beam_args else "the default local settings"
    print(
        f"wiretrace run, {settings}; {os.cpu_count()} cores; {args.outlets} outlets; every article carries "
        f"{len(BOILERPLATE)} boilerplate paragraphs and 1 wire paragraph, {len(removed)} of them removed by "
        f"the boilerplate filter{': ' + ', '.join(removed) if removed else ''}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = []
        for n in (int(x) for x in args.docs.split(",")):
            results.append(run_size(n, args.seed, args.outlets, workdir, beam_args))
            _report(results[-1])
    for a, b in zip(results, results[1:], strict=False):
        pairs = b["summary"]["candidate_pairs"] / max(1, a["summary"]["candidate_pairs"])
        print(
            f"cost {a['docs']:,} -> {b['docs']:,} docs ({b['docs'] / a['docs']:.1f}x): "
            f"time {b['seconds'] / a['seconds']:.2f}x, CPU {b['cpu'] / a['cpu']:.2f}x, "
            f"pipeline {b['job_seconds'] / a['job_seconds']:.2f}x, "
            f"peak memory {b['peak'] / a['peak']:.2f}x, candidate pairs {pairs:.2f}x, "
            f"one passage's build {b['steps']['build_passages'] / a['steps']['build_passages']:.2f}x"
        )


if __name__ == "__main__":
    main()
