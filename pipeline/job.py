"""A checked `wiretrace run` -> the job run, its summary and report, the folder published.

    execute(args, config, files, options) -> summary    (pipeline.cli parses and checks first)
    lost_data(counts, counters) -> what the runner lost, or None

The job runs in a staging folder; what the runner counted is checked against what the
job counted (a runner that loses elements between stages fails the run: DataLossError,
nothing published); the summary and report.html are written; then the folder is
published. The heavy steps' worker processes live until the report is written: a large
run's report reads its files in parts in them too.
"""

from __future__ import annotations

import json
import sys
import time

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipeline import FORMAT_VERSION, __version__
from pipeline.build import COUNTS_FILE, VIEWS_FILE, build
from pipeline.config import Config
from pipeline.history import publish_index
from pipeline.publish import prepare, publish
from pipeline.runner import local_processes, local_runner
from report.load import size_to_read
from report.render import REPORT, write_report
from transforms.heap import mmap_big_blocks, relax_gc
from transforms.offload import Steps, shutdown_pools


def _counters(result) -> dict:
    """pipeline result -> {"stage:what": value} for every counter the runner reports."""
    try:
        counters = result.metrics().query()["counters"]
    except Exception:  # not every runner reports metrics
        return {}
    totals: dict = {}
    for c in counters:
        key = f"{c.key.metric.namespace}:{c.key.metric.name}"
        totals[key] = totals.get(key, 0) + (c.committed if c.committed is not None else c.attempted)
    return dict(sorted(totals.items()))


class DataLossError(Exception):
    """The runner lost elements between stages; the run fails (exit status 1)."""


def lost_data(counts: dict, counters: dict) -> str | None:
    """_counts.json's counts and the run's counters -> what the runner lost, or None.

    Every candidate pair is aligned once, verified or rejected; every join finds its
    document. A runner that reports no counters cannot be checked (None)."""
    if not counters:
        return None
    without = counters.get("integrity:joined_without_document", 0)
    aligned = counters.get("verify:verified", 0) + counters.get("verify:rejected", 0)
    candidates = counts.get("candidate_pairs", aligned)
    problems = []
    if without:
        problems.append(f"{without:,} joined values found no document")
    if aligned != candidates:
        problems.append(f"{aligned:,} of {candidates:,} candidate pairs were aligned")
    return "the runner lost data: " + " and ".join(problems) if problems else None


def execute(args, config: Config, files: list[str], options: PipelineOptions) -> dict:
    """checked arguments -> runs the job, publishes the output folder, returns the summary."""
    staging = prepare(args.output, args.overwrite)
    started = time.monotonic()
    p = beam.Pipeline(runner=local_runner(options), options=options)
    processes = local_processes(config.processes, options)
    index_run = args.run_name if args.index else None
    build(p, config, files, staging, args.format, args.history_files, index_run, processes)
    relax_gc()  # the in-process DirectRunner's buffers live in this process
    mmap_big_blocks()  # and it frees big encoded buffers after every stage
    try:
        result = p.run()
        result.wait_until_finish()
        wall = time.monotonic() - started
        summary = _summary(args, config, options, staging, result, wall)
        summary["report"] = _write_report(staging, summary, processes)
    finally:
        shutdown_pools()  # the heavy steps' worker processes, done with (their last work: the report's reading)
    written = [FileSystems.join(staging, n) for n in _staged_names(staging)]
    summary["files"] = publish(staging, args.output, written, summary)
    return summary


def _summary(args, config: Config, options: PipelineOptions, staging: str, result, wall: float) -> dict:
    """a finished job -> its summary (all but the report's part); DataLossError if the
    runner lost data."""
    with FileSystems.open(FileSystems.join(staging, COUNTS_FILE)) as f:
        counts = json.loads(f.read())
    counters = _counters(result)
    lost = lost_data(counts, counters)
    if lost:
        raise DataLossError(f"{lost}; nothing was published, {args.output} holds no _SUCCESS")
    with FileSystems.open(FileSystems.join(staging, VIEWS_FILE)) as f:
        outlets = json.loads(f.read())
    bands, rows = config.bands
    summary = {
        **counts,
        "format_version": FORMAT_VERSION,
        "wiretrace_version": __version__,
        "config": config.to_dict(),
        "lsh": {"bands": bands, "rows": rows},
        "runner": options.view_as(StandardOptions).runner,
        "inputs": list(args.input),
        "date": args.date,
        "counters": counters,
        "outlets": outlets,
        "timings": {"wall_seconds": round(wall, 3), "stages": None},
    }
    summary["history"] = {"folders": list(args.history), "files": len(args.history_files)}
    summary["index"] = publish_index(staging, args.index, args.run_name) if args.index else None
    return summary


# From this many bytes of passages.jsonl and documents.jsonl (about 35,000 documents),
# the report reads them in parts, in the worker processes too: seconds saved. Below it,
# a second or two is at stake, and the workers are let go first, out of the run's peak.
REPORT_PARTS_FROM = 256 << 20


def _write_report(staging: str, summary: dict, processes: int) -> dict:
    """-> {"written": True} or {"written": False, "error": ...}: a report that cannot be
    built costs the run its report.html, never its data files. With `processes` worker
    processes (the heavy steps' pool), a large run's two big files are read in as many
    parts at once."""
    try:
        big = processes > 1 and size_to_read(staging) >= REPORT_PARTS_FROM
        if not big:
            shutdown_pools()
        pool = Steps(processes) if big else None
        write_report(staging, summary=summary, pool=pool, parts=processes if pool else 1)
    except Exception as e:  # noqa: BLE001 - the data files stand whatever the report does
        message = f"{type(e).__name__}: {e}"
        print(f"wiretrace: warning: {REPORT} not written ({message}); `wiretrace report` rebuilds it", file=sys.stderr)
        return {"written": False, "error": message}
    return {"written": True}


def _staged_names(staging: str) -> list[str]:
    pattern = FileSystems.join(staging, "*")
    names = [FileSystems.split(m.path)[1] for r in FileSystems.match([pattern]) for m in r.metadata_list]
    return sorted(n for n in names if n not in (COUNTS_FILE, VIEWS_FILE))
