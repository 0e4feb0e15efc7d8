"""relax_gc(): fewer collections of the cyclic garbage collector in a worker process.
trim_heap(): free memory handed back to the operating system after a heavy step.

A worker holds millions of small objects (tokens, pairs, buffered elements) that live
for a whole stage, and CPython's generational collector keeps scanning them: at
10,000 documents that is about a tenth of the job's time. The job makes no reference
cycles of its own, so collecting less often costs little memory. Called from the
setup() of the heavy DoFns, so it holds in every worker process of every runner, and
by the CLI for the in-process DirectRunner's own bookkeeping.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import time

# Objects allocated (less freed) before a young collection; then 50 young collections
# per middle one and 1,000 middle ones per full one.
THRESHOLDS = (200_000, 50, 1_000)


def relax_gc() -> None:
    """Raise this process's collection thresholds to THRESHOLDS (idempotent)."""
    if gc.get_threshold() != THRESHOLDS:
        gc.set_threshold(*THRESHOLDS)


def _malloc_trim():
    """-> glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()
MIN_TRIM_SECONDS = 5.0  # at most one trim this often per process: a trim walks the whole heap
_last_trim = -MIN_TRIM_SECONDS


def trim_heap(min_seconds: float = MIN_TRIM_SECONDS) -> bool:
    """Hands the free pages of the C heap back to the operating system (glibc's
    malloc_trim), unless this process trimmed less than `min_seconds` ago -> whether it
    trimmed. A stage frees most of what it built (tokens, alignments, decoded groups), but
    glibc keeps the pages, so without this the process's peak is the sum of every heavy
    stage's leftovers and the next stage's data. Called where heavy DoFns finish a
    bundle; a no-op without glibc. The trim holds each heap arena's lock while it walks
    it (other threads' allocations wait, for milliseconds); two threads may both trim."""
    global _last_trim
    now = time.monotonic()
    if _MALLOC_TRIM is None or now - _last_trim < min_seconds:
        return False
    _MALLOC_TRIM(0)
    _last_trim = time.monotonic()
    return True
