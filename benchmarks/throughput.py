"""Throughput: the whole job against the plain datasketch script, on one corpus per size.

    python -m benchmarks.throughput --docs 1000,10000,100000 [--seed 7] [--keep DIR] [Beam options ...]

For each size it generates the quality benchmark's corpus, then runs, each in a fresh
process on the same file: `wiretrace run` (DirectRunner with the recommended local
settings, LOCAL_SETTINGS, unless Beam options are given) and the plain script
(benchmarks/plain_lsh.py). It prints the quality
benchmark's figures of the job's output (benchmarks/quality.py: pair and character
precision and recall, kinds, provenance), then documents/s and paragraphs/s, the peak
memory of each (the resident memory of the process and all its children, sampled every
50 ms: the sum of their RSS, and the sum of their PSS, which counts a page that forked
processes share once), and their ratio; last, the cost of each size against the one before it.

`--compare CHECKOUT` also runs another checkout's job on the same corpus, measured alike;
`--compare-config FILE` runs the compared job (this checkout's, without `--compare`) with
that config, e.g. `configs/copy-only.yaml` to measure what the rewordings step costs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.corpus import generate
from benchmarks.quality import print_quality

ROOT = Path(__file__).resolve().parent.parent

# The recommended local settings: the DirectRunner in one process, the CLI's default (two
# worker processes lost data at 100,000 documents: README, "Limits today"); the heavy
# steps then run in one worker process per core of their own (config `processes: auto`).
LOCAL_SETTINGS = ["--direct_num_workers", "1", "--direct_running_mode", "in_memory"]
PAGE = os.sysconf("SC_PAGE_SIZE")


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


def _tree(root: int) -> tuple[list[int], int]:
    """pid -> (it and all its descendants, bytes resident in them: the sum of their RSS)."""
    stats = process_stats()
    pids = [root, *descendants(root, stats)]
    return pids, sum(int(stats[pid][21]) * PAGE for pid in pids if pid in stats)


def _tree_rss(root: int) -> int:
    """pid -> bytes resident in it and all its descendants (from /proc)."""
    return _tree(root)[1]


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


def measured(
    command: list[str], cwd: Path | None = None, env: dict | None = None, log: Path | None = None
) -> tuple[float, int, int, str]:
    """command (run in `cwd`, with `env` added to this environment) -> (wall seconds, peak
    resident bytes of its process tree (sum of RSS), the same as the sum of PSS, stdout);
    its stderr goes to `log` when given; raises if it fails."""
    started = time.perf_counter()
    environment = {**os.environ, **(env or {})}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=environment
    )
    peak = peak_pss = 0
    done = threading.Event()

    def sample():
        nonlocal peak, peak_pss
        while not done.is_set():
            pids, rss = _tree(proc.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, sum(map(_pss, pids)))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if log is not None:
        log.write_text(err, encoding="utf-8")
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({proc.returncode}):\n{err[-2000:]}")
    return seconds, peak, peak_pss, out


def run_size(
    n_docs: int,
    seed: int,
    workdir: Path,
    beam_args: list[str],
    compare: Path | None = None,
    compare_config: Path | None = None,
) -> dict:
    rows, truths = generate(n_docs, seed)
    corpus = workdir / f"corpus-{n_docs}.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = workdir / f"out-{n_docs}"
    job = [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output", str(out), "--overwrite"]
    ours, ours_peak, ours_pss, _ = measured(job + beam_args, log=workdir / f"out-{n_docs}.log")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    print(f"{n_docs:>7,} docs  quality of the job's output:")
    print_quality(rows, truths, out, ours)
    del rows, truths
    plain_seconds, plain_peak, plain_pss, printed = measured(
        [sys.executable, "-m", "benchmarks.plain_lsh", str(corpus)]
    )
    plain = json.loads(printed)
    compared = {}
    if compare is not None:
        other = workdir / f"compared-{n_docs}"
        command = [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            "--input",
            str(corpus),
            "--output",
            str(other),
            "--overwrite",
        ]
        if compare_config is not None:
            command += ["--config", str(compare_config)]
        seconds, peak, pss, _ = measured(command + beam_args, cwd=compare, env={"PYTHONPATH": str(compare)})
        label = "the other checkout" if compare != ROOT else "this checkout"
        if compare_config is not None:
            label += f" with {compare_config.name}"
        compared = {"compared": seconds, "compared_peak": peak, "compared_pss": pss, "compared_label": label}
    return {
        **compared,
        "docs": n_docs,
        "paragraphs": summary["paragraphs"],
        "passages": summary["passages"],
        "ours": ours,
        "ours_peak": ours_peak,
        "ours_pss": ours_pss,
        "plain": plain_seconds,
        "plain_peak": plain_peak,
        "plain_pss": plain_pss,
        "plain_paragraphs": plain["paragraphs"],
    }


def _report(r: dict) -> None:
    gb = 1024**3
    print(
        f"{r['docs']:>7,} docs  wiretrace {r['docs'] / r['ours']:7.0f} docs/s {r['paragraphs'] / r['ours']:8.0f} par/s "
        f"{r['ours']:7.1f} s  peak {r['ours_peak'] / gb:5.2f} GB (PSS {r['ours_pss'] / gb:4.2f})  "
        f"({r['passages']:,} passages)"
    )
    print(
        f"{'':>12}plain     {r['docs'] / r['plain']:7.0f} docs/s {r['plain_paragraphs'] / r['plain']:8.0f} par/s "
        f"{r['plain']:7.1f} s  peak {r['plain_peak'] / gb:5.2f} GB (PSS {r['plain_pss'] / gb:4.2f})"
    )
    print(f"{'':>12}ratio     {r['plain'] / r['ours']:.2f}x the plain script's throughput")
    if "compared" in r:
        print(
            f"{'':>12}compared  {r['docs'] / r['compared']:7.0f} docs/s {r['paragraphs'] / r['compared']:8.0f} par/s "
            f"{r['compared']:7.1f} s  peak {r['compared_peak'] / gb:5.2f} GB (PSS {r['compared_pss'] / gb:4.2f})  "
            f"({r['compared_label']}: wiretrace {r['compared'] / r['ours']:.2f}x its speed, "
            f"{r['ours_peak'] / r['compared_peak']:.2f}x its peak)"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="1000,10000", help="comma-separated corpus sizes")
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
        for n in (int(x) for x in args.docs.split(",")):
            compare = args.compare and args.compare.resolve()
            config = args.compare_config and args.compare_config.resolve()
            results.append(run_size(n, args.seed, workdir, beam_args, compare, config))
            _report(results[-1])
    for a, b in zip(results, results[1:], strict=False):
        times, sizes = b["ours"] / a["ours"], b["docs"] / a["docs"]
        print(f"cost {a['docs']:,} -> {b['docs']:,} docs: {times:.1f}x the time for {sizes:.0f}x the documents")


if __name__ == "__main__":
    main()
