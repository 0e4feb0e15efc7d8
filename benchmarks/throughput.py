"""Throughput: the whole job against the plain datasketch script, on one corpus per size.

    python -m benchmarks.throughput        # 10,000 and 100,000 documents, and 20,000 with realistic furniture
    python -m benchmarks.throughput --docs 1000 --furniture-docs 1000 [--seed 7] [--keep DIR] [Beam options ...]

For each size of `--docs` it generates the quality benchmark's corpus (benchmarks/corpus.py,
its simple furniture), and for `--furniture-docs` (0: none) the corpus with realistic
page furniture (benchmarks/furniture.py: every site's menus, stamps, share bars, footers),
then runs, each in a fresh process on the same file: `wiretrace run` (DirectRunner with
the recommended local settings, LOCAL_SETTINGS, unless Beam options are given) and the
plain script (benchmarks/plain_lsh.py). It prints the quality benchmark's figures of the
job's output (benchmarks/quality.py: pair and character precision and recall, kinds,
provenance), then documents/s and paragraphs/s, wall and CPU seconds (user and system
time of the process and all its children: `cpu_seconds`), the peak memory of each (the
resident memory of the process and all its children, sampled every 50 ms: the sum of
their RSS, and the sum of their PSS, which counts a page that forked processes share
once), and their ratio; then the cost of each size against the one before it, and last
one markdown table of every run (`summary_table`), the one docs/benchmarks.md shows.

`--compare CHECKOUT` also runs another checkout's job on the same corpus, measured alike;
`--compare-config FILE` runs the compared job (this checkout's, without `--compare`) with
that config, e.g. `configs/copy-only.yaml` to measure what the rewordings step costs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

from benchmarks.corpus import generate
from benchmarks.quality import print_quality

ROOT = Path(__file__).resolve().parent.parent

# The recommended local settings: the DirectRunner in one process, the CLI's default (two
# worker processes lost data at 100,000 documents: README, "Limits today"); the heavy
# steps then run in one worker process per core of their own (config `processes: auto`).
LOCAL_SETTINGS = ["--direct_num_workers", "1", "--direct_running_mode", "in_memory"]
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
GB = 1024**3


def process_stats() -> dict[int, list[bytes]]:
    """-> {pid: the fields of /proc/PID/stat after the command name} of every process
    now running (fields[1] is the parent's pid; see proc(5), counting from the state as 0)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stats[int(entry)] = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
    return stats


def descendants(root: int, stats: dict[int, list[bytes]]) -> list[int]:
    """pid, process_stats() -> the pids of every process under it, not its own."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        children = [child for child, fields in stats.items() if int(fields[1]) == pid]
        found.extend(children)
        todo.extend(children)
    return found


def _pss(pid: int) -> int:
    """pid -> its proportional set size in bytes: each page it shares with n processes
    counted 1/n (0 if it is gone). Summed over a tree, a page forked processes share
    counts once, where the sum of RSS counts it in each."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Measured(NamedTuple):
    """One command's run: wall seconds, peak resident bytes of its process tree (sum of
    RSS, and sum of PSS), CPU seconds of the tree (cpu_seconds), its stdout."""

    seconds: float
    peak: int
    pss: int
    cpu: float
    stdout: str


def rusage_cpu(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    """getrusage(RUSAGE_CHILDREN) before and after waiting for a command -> the user and
    system seconds of it and every descendant that was waited for."""
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def cpu_seconds(waited: float, ticks_seen: dict[int, int], ticks_per_second: int = TICKS) -> float:
    """rusage_cpu of a command, {pid: the last user + system clock ticks seen of each
    process of its tree in /proc} -> its CPU seconds: the larger of the two. The first
    misses processes nobody waited for (a worker its parent left behind); the second
    misses the last 50 ms of each process and those shorter than that."""
    return max(waited, sum(ticks_seen.values()) / ticks_per_second)


def _ticks(fields: list[bytes]) -> int:
    """the fields of /proc/PID/stat after the command name -> its user + system clock ticks."""
    return int(fields[11]) + int(fields[12])


def measured(command: list[str], cwd: Path | None = None, env: dict | None = None, log: Path | None = None) -> Measured:
    """command (run in `cwd`, with `env` added to this environment) -> Measured; its
    stderr goes to `log` when given; raises if it fails."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    environment = {**os.environ, **(env or {})}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=environment
    )
    peak = peak_pss = 0
    ticks: dict[int, int] = {}
    done = threading.Event()

    def sample():
        nonlocal peak, peak_pss
        while not done.is_set():
            stats = process_stats()
            pids = [proc.pid, *descendants(proc.pid, stats)]
            rss = sum(int(stats[pid][21]) * PAGE for pid in pids if pid in stats)
            ticks.update((pid, _ticks(stats[pid])) for pid in pids if pid in stats)
            peak, peak_pss = max(peak, rss), max(peak_pss, sum(map(_pss, pids)))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    cpu = cpu_seconds(rusage_cpu(before, resource.getrusage(resource.RUSAGE_CHILDREN)), ticks)
    if log is not None:
        log.write_text(err, encoding="utf-8")
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({proc.returncode}):\n{err[-2000:]}")
    return Measured(seconds, peak, peak_pss, cpu, out)


def run_size(
    n_docs: int,
    seed: int,
    workdir: Path,
    beam_args: list[str],
    compare: Path | None = None,
    compare_config: Path | None = None,
    furniture: str = "simple",
) -> dict:
    """one corpus (n_docs, seed, its furniture) -> the figures of the job, the plain script
    and the compared job on it (see the module), after printing the job's quality."""
    rows, truths = generate(n_docs, seed, furniture=furniture)
    name = f"{n_docs}-{furniture}"
    corpus = workdir / f"corpus-{name}.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = workdir / f"out-{name}"
    job = [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output", str(out), "--overwrite"]
    ours = measured(job + beam_args, log=workdir / f"out-{name}.log")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    print(f"{n_docs:>7,} docs, {furniture} furniture: quality of the job's output:")
    print_quality(rows, truths, out, ours.seconds)
    del rows, truths
    plain = measured([sys.executable, "-m", "benchmarks.plain_lsh", str(corpus)])
    compared = {}
    if compare is not None:
        command = [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output"]
        command += [str(workdir / f"compared-{name}"), "--overwrite"]
        if compare_config is not None:
            command += ["--config", str(compare_config)]
        label = "the other checkout" if compare != ROOT else "this checkout"
        if compare_config is not None:
            label += f" with {compare_config.name}"
        run = measured(command + beam_args, cwd=compare, env={"PYTHONPATH": str(compare)})
        compared = {"compared": run, "compared_label": label}
    return {
        **compared,
        "docs": n_docs,
        "furniture": furniture,
        "paragraphs": summary["paragraphs"],
        "passages": summary["passages"],
        "ours": ours,
        "plain": plain,
        "plain_paragraphs": json.loads(plain.stdout)["paragraphs"],
    }


def _line(label: str, r: dict, run: Measured, paragraphs: int) -> str:
    return (
        f"{label:<9} {r['docs'] / run.seconds:7.0f} docs/s {paragraphs / run.seconds:8.0f} par/s "
        f"{run.seconds:7.1f} s  CPU {run.cpu:7.1f} s  peak {run.peak / GB:5.2f} GB (PSS {run.pss / GB:4.2f})"
    )


def _report(r: dict) -> None:
    ours, plain = r["ours"], r["plain"]
    print(f"{r['docs']:>7,} docs  {_line('wiretrace', r, ours, r['paragraphs'])}  ({r['passages']:,} passages)")
    print(f"{'':>12}{_line('plain', r, plain, r['plain_paragraphs'])}")
    print(
        f"{'':>12}ratio     {plain.seconds / ours.seconds:.2f}x the plain script's throughput, "
        f"{ours.cpu / plain.cpu:.2f}x its CPU time"
    )
    if "compared" in r:
        other = r["compared"]
        print(
            f"{'':>12}{_line('compared', r, other, r['paragraphs'])}  ({r['compared_label']}: wiretrace "
            f"{other.seconds / ours.seconds:.2f}x its speed, {ours.peak / other.peak:.2f}x its peak)"
        )


def summary_table(results: list[dict]) -> str:
    """run_size results -> one markdown table of every run: per corpus the job, the plain
    script and the compared job, each with docs/s, wall and CPU seconds, peak memory
    (PSS), the job's passages and its throughput against the plain script's."""
    lines = [
        "| corpus | run | docs/s | wall | CPU | peak (PSS) | passages | throughput vs plain |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        runs = [("wiretrace", r["ours"]), ("plain script", r["plain"])]
        if "compared" in r:
            runs.append((f"compared ({r['compared_label']})", r["compared"]))
        for k, (label, run) in enumerate(runs):
            corpus = f"{r['docs']:,} docs, {r['furniture']} furniture" if k == 0 else ""
            passages = f"{r['passages']:,}" if k == 0 else ""
            ratio = f"{r['plain'].seconds / run.seconds:.2f}x" if label != "plain script" else ""
            lines.append(
                f"| {corpus} | {label} | {r['docs'] / run.seconds:,.0f} | {run.seconds:,.1f} s | {run.cpu:,.0f} s "
                f"| {run.peak / GB:.2f} GB ({run.pss / GB:.2f}) | {passages} | {ratio} |"
            )
    return "\n".join(lines)


def corpora(docs: str, furniture_docs: int) -> list[tuple[int, str]]:
    """--docs ("10000,100000"), --furniture-docs -> [(size, furniture)] to run, in order;
    a size of 0 is left out."""
    sizes = [(int(x), "simple") for x in docs.split(",") if x.strip() and int(x) > 0]
    return sizes + [(furniture_docs, "realistic")] * (furniture_docs > 0)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="10000,100000", help="comma-separated corpus sizes (simple furniture)")
    parser.add_argument(
        "--furniture-docs",
        type=int,
        default=20000,
        help="size of the corpus with realistic page furniture (benchmarks/furniture.py); 0: none",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep corpora and outputs here (default: a temporary folder)")
    parser.add_argument(
        "--compare", type=Path, help="another checkout whose job runs on the same corpora, measured alike"
    )
    parser.add_argument(
        "--compare-config",
        type=Path,
        help="run the compared job with this config file (without --compare: this checkout's job), "
        "e.g. one that turns a step off to measure its cost",
    )
    args, beam_args = parser.parse_known_args(argv)
    if args.compare_config is not None and args.compare is None:
        args.compare = ROOT
    beam_args = beam_args or LOCAL_SETTINGS
    print(f"wiretrace run {' '.join(beam_args)}  vs  benchmarks/plain_lsh.py; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = []
        for n, furniture in corpora(args.docs, args.furniture_docs):
            compare = args.compare and args.compare.resolve()
            config = args.compare_config and args.compare_config.resolve()
            results.append(run_size(n, args.seed, workdir, beam_args, compare, config, furniture))
            _report(results[-1])
    for a, b in zip(results, results[1:], strict=False):
        if a["furniture"] == b["furniture"]:
            times, sizes = b["ours"].seconds / a["ours"].seconds, b["docs"] / a["docs"]
            print(f"cost {a['docs']:,} -> {b['docs']:,} docs: {times:.1f}x the time for {sizes:.0f}x the documents")
    command = " ".join(["python -m benchmarks.throughput", *(sys.argv[1:] if argv is None else argv)])
    print(f"\n{command}\n\n{summary_table(results)}")


if __name__ == "__main__":
    main()
