"""relax_gc(): fewer collections of the cyclic garbage collector in a worker process.

A worker holds millions of small objects (tokens, pairs, buffered elements) that live
for a whole stage, and CPython's generational collector keeps scanning them: at
10,000 documents that is about a tenth of the job's time. The job makes no reference
cycles of its own, so collecting less often costs little memory. Called from the
setup() of the heavy DoFns, so it holds in every worker process of every runner, and
by the CLI for the in-process DirectRunner's own bookkeeping.
"""

from __future__ import annotations

import gc

# Objects allocated (less freed) before a young collection; then 50 young collections
# per middle one and 1,000 middle ones per full one.
THRESHOLDS = (200_000, 50, 1_000)


def relax_gc() -> None:
    """Raise this process's collection thresholds to THRESHOLDS (idempotent)."""
    if gc.get_threshold() != THRESHOLDS:
        gc.set_threshold(*THRESHOLDS)
