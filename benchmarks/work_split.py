"""Where the job's CPU goes: the heavy steps' own work, against everything around it.

    python -m benchmarks.work_split --docs 100000 [--seed 7] [--input FILE] [Beam options ...]

Runs the job once, in this process, on the quality benchmark's corpus (or on FILE), with
the local default settings (LOCAL_SETTINGS of benchmarks.throughput) unless Beam options
are given. Every batch an Offloaded step hands to its worker processes is timed in the
process that works it: the CPU seconds of the work function itself (transforms.work's
`*_batch` functions, pure Python and numpy), counted by the job's own counters
(`work_cpu_ms:NAME`, `work_batches:NAME`). It prints, for each work function, its
batches and CPU seconds; then the CPU of the worker processes around that work
(unpickling batches, pickling results), and of the Beam process (the runner, its
shuffles, the steps it runs itself, the report); and, last, the CPU that the throughput
target (1,000 documents/s) leaves for the whole job on this machine's cores.

The work functions' figures are the floor of what the job's design costs in Python: a
faster runner, fewer copies or better overlap cannot take the job under them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import transforms.offload as offload
from benchmarks.corpus import generate
from benchmarks.throughput import LOCAL_SETTINGS, descendants, process_stats
from benchmarks.timed import BATCHES, CPU_MS, Timed
from pipeline.cli import run

TARGET_DOCS_PER_SECOND = 1000
TICKS = os.sysconf("SC_CLK_TCK")


def _timed_setup(setup):
    def timed_setup(self):
        setup(self)
        if not isinstance(self.work, Timed):
            self.work = Timed(self.work)

    return timed_setup


def descendants_cpu(root: int) -> float:
    """pid -> CPU seconds (user and system) of every process under it, not its own: of
    each live one, its own and that of the children it has reaped (the pools' workers,
    ended by the job, are children of multiprocessing's fork server, which lives on)."""
    stats = process_stats()
    return sum(sum(int(field) for field in stats[pid][11:15]) for pid in descendants(root, stats)) / TICKS


def measure(corpus: Path, out: Path, beam_args: list[str]) -> dict:
    """runs the job on `corpus` into `out`, every Offloaded batch timed -> the figures."""
    setup = offload.Offloaded.setup
    offload.Offloaded.setup = _timed_setup(setup)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        status = run(["run", "--input", str(corpus), "--output", str(out), "--overwrite", *beam_args])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        offload.Offloaded.setup = setup
    workers = descendants_cpu(os.getpid())
    if status:
        raise SystemExit(f"the job failed (exit status {status})")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    counters = summary["counters"]
    steps = [name.removeprefix(f"{CPU_MS}:") for name in counters if name.startswith(f"{CPU_MS}:")]
    work = {step: (counters[f"{BATCHES}:{step}"], counters[f"{CPU_MS}:{step}"] / 1000) for step in steps}
    return {"docs": summary["documents"], "wall": wall, "beam": cpu, "workers": workers, "work": work}


def print_split(r: dict, cores: int) -> None:
    work = sum(seconds for _, seconds in r["work"].values())
    total = r["beam"] + r["workers"]
    rate = r["docs"] / r["wall"]
    print(f"{r['docs']:,} documents in {r['wall']:.1f} s ({rate:.0f} docs/s), {total:.1f} CPU-s in all")
    print(f"{'work function':<32}{'batches':>8}{'CPU-s':>9}")
    for name, (batches, seconds) in sorted(r["work"].items(), key=lambda kv: -kv[1][1]):
        print(f"{name:<32}{batches:>8,}{seconds:>9.1f}")
    print(f"{'all work functions':<40}{work:>9.1f}")
    print(f"{'workers, around it (and report parts)':<40}{r['workers'] - work:>9.1f}")
    print(f"{'Beam process (and the report)':<40}{r['beam']:>9.1f}")
    budget = r["docs"] / TARGET_DOCS_PER_SECOND * cores
    print(
        f"at {TARGET_DOCS_PER_SECOND:,} docs/s on {cores} cores the whole job may take {budget:.1f} CPU-s: "
        f"the work functions alone take {work / budget:.0%} of it"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000, help="corpus size (ignored with --input)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--input", type=Path, help="a JSON Lines corpus to run on instead of a generated one")
    args, beam_args = parser.parse_known_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.input
        if corpus is None:
            rows, _ = generate(args.docs, args.seed)
            corpus = Path(tmp) / f"corpus-{args.docs}.jsonl"
            corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            del rows
        print_split(measure(corpus, Path(tmp) / "out", beam_args or LOCAL_SETTINGS), cores)


if __name__ == "__main__":
    sys.exit(main())
