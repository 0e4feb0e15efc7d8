"""A checked `wiretrace run` -> the job run, its summary and report, the folder published.

    execute(args, config, files, options) -> summary    (pipeline.cli parses and checks first)
    lost_data(counts, counters) -> what the runner lost, or None

The output folder is held for the whole run (pipeline.publish.OutputLock); the job runs
in a staging folder of its own; what the runner counted is checked against what the
job counted (a runner that loses elements between stages fails the run: DataLossError);
a run in which no record became a document publishes nothing (NothingRead); the
summary and report.html are written; then the folder is published, a stop (SIGINT,
SIGTERM: pipeline.stopping) held back while its files move. On any failure or stop,
the staging folder is removed, the worker processes are ended, and the folder is let
go: nothing is published.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipeline import FORMAT_VERSION, __version__
from pipeline.build import COUNTS_FILE, VIEWS_FILE, build
from pipeline.config import Config
from pipeline.history import publish_index
from pipeline.progress import Progress
from pipeline.publish import OutputLock, discard, disk_full, prepare, publish
from pipeline.runner import is_direct, local_processes, local_runner
from pipeline.stopping import held
from report.load import size_to_read
from report.render import REPORT, write_report
from transforms.heap import mmap_big_blocks, relax_gc
from transforms.offload import Steps, kill_pools, shutdown_pools, worker_processes


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


class RunnerRejected(Exception):
    """The runner did not take the job (a configuration it refuses, a runner that cannot
    start); nothing ran (exit status 2)."""


class DiskFull(Exception):
    """The output's disk filled up (exit status 1)."""


class NothingRead(Exception):
    """No record became a document: nothing to publish (exit status 2). `reasons`: the
    most common rejection reasons, [(reason, count, an example's detail)]."""

    def __init__(self, message: str, reasons: list[tuple[str, int, str]]):
        super().__init__(message)
        self.reasons = reasons


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


def execute(args, config: Config, files: list[str], options: PipelineOptions, progress: Progress | None = None) -> dict:
    """checked arguments -> runs the job, publishes the output folder, returns the summary."""
    lock = OutputLock(args.output)
    lock.acquire()
    staging = None
    try:
        staging = prepare(args.output, args.overwrite)
        summary = _run(args, config, files, options, staging, progress)
        written = [FileSystems.join(staging, n) for n in _staged_names(staging)]
        with held():
            summary["files"] = publish(staging, args.output, written, summary)
        return summary
    except BaseException as e:
        kill_pools()  # a failed or stopped run: its workers go now, work in flight or not
        discard(staging)
        if disk_full(e):
            raise DiskFull(f"{args.output}: no space left on the device; nothing was published") from e
        raise
    finally:
        shutdown_pools()
        lock.release()


def _run(args, config: Config, files: list[str], options: PipelineOptions, staging: str, progress) -> dict:
    """-> the summary of the job run into `staging`, with its report written there."""
    started = time.monotonic()
    p = beam.Pipeline(runner=local_runner(options, progress), options=options)
    processes = local_processes(config.processes, options)
    index_run = args.run_name if args.index else None
    build(p, config, files, staging, args.format, args.history_files, index_run)
    relax_gc()  # the in-process DirectRunner's buffers live in this process
    mmap_big_blocks()  # and it frees big encoded buffers after every stage
    with worker_processes(processes):  # the local runner's business: its heavy steps' pool
        try:
            result = p.run()
        except Exception as e:
            if is_direct(options.view_as(StandardOptions).runner) or disk_full(e):
                raise
            runner = options.view_as(StandardOptions).runner
            raise RunnerRejected(f"--runner {runner}: the runner did not take the job ({_first_line(e)})") from e
        result.wait_until_finish()
    if progress is not None:
        progress.close()
    summary = _summary(args, config, options, staging, result, time.monotonic() - started)
    if progress is not None:
        summary["timings"]["stages"] = progress.timings()
    if summary["documents"] == 0:
        raise _nothing_read(staging, summary, args.output)
    summary["report"] = _write_report(staging, summary, processes)
    if progress is not None and summary["report"]["written"]:
        progress.note(f"Report: wrote {REPORT}")
    return summary


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


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


def _nothing_read(staging: str, summary: dict, output: str, most: int = 3) -> NothingRead:
    """a run whose records all went to errors.jsonl -> NothingRead, with the `most` common
    reasons read back from the staged errors file(s)."""
    reasons: Counter = Counter()
    example: dict[str, str] = {}
    for match in FileSystems.match([FileSystems.join(staging, "errors*.jsonl")]):
        for meta in match.metadata_list:
            with FileSystems.open(meta.path) as f:
                for line in f:
                    row = json.loads(line)
                    reasons[row["reason"]] += 1
                    example.setdefault(row["reason"], f"{row['source']}: {row['detail']}")
    top = [(reason, n, example[reason]) for reason, n in sorted(reasons.items(), key=lambda i: (-i[1], i[0]))[:most]]
    read, rejected = summary["records_read"], summary["records_rejected"]
    message = (
        f"no record became a document ({read:,} read, {rejected:,} rejected); nothing was published to {output}"
        if read
        else f"no record was read; nothing was published to {output}"
    )
    return NothingRead(message, top)


# From this many bytes of passages.jsonl and documents.jsonl (about 35,000 documents),
# the report reads them in parts, in the worker processes too: seconds saved. Below it,
# a second or two is at stake, and the workers are let go first, out of the run's peak.
REPORT_PARTS_FROM = 256 << 20


def _write_report(staging: str, summary: dict, processes: int) -> dict:
    """-> {"written": True} or {"written": False, "error": ...}: a report that cannot be
    built costs the run its report.html, never its data files (but a full disk fails the
    run). With `processes` worker processes (the heavy steps' pool), a large run's two
    big files are read in as many parts at once."""
    try:
        big = processes > 1 and size_to_read(staging) >= REPORT_PARTS_FROM
        if not big:
            shutdown_pools()
        pool = Steps(processes) if big else None
        write_report(staging, summary=summary, pool=pool, parts=processes if pool else 1)
    except Exception as e:  # noqa: BLE001 - the data files stand whatever the report does
        if disk_full(e):
            raise
        message = f"{type(e).__name__}: {e}"
        print(f"wiretrace: warning: {REPORT} not written ({message}); `wiretrace report` rebuilds it", file=sys.stderr)
        return {"written": False, "error": message}
    return {"written": True}


def _staged_names(staging: str) -> list[str]:
    pattern = FileSystems.join(staging, "*")
    names = [FileSystems.split(m.path)[1] for r in FileSystems.match([pattern]) for m in r.metadata_list]
    return sorted(n for n in names if n not in (COUNTS_FILE, VIEWS_FILE))
