"""Timed: a work function that also counts the CPU it took. Light on purpose: worker
processes import this module to run it, and need nothing else of the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable

CPU_MS, BATCHES = "work_cpu_ms", "work_batches"


class Timed:
    """A work function (see transforms.offload) that also counts, among its counts, the CPU
    milliseconds it took in the process that ran it, and one batch. It pickles as this
    class and the function it wraps, both by reference: a worker process runs it as it
    runs the function, after importing this module."""

    def __init__(self, work: Callable):
        self.work, self.__name__ = work, work.__name__

    def __call__(self, batch, *args, **kwargs):
        started = time.process_time()
        outputs, counts = self.work(batch, *args, **kwargs)
        counts = dict(counts)
        name = self.__name__
        counts[(CPU_MS, name)] = counts.get((CPU_MS, name), 0) + round(1000 * (time.process_time() - started))
        counts[(BATCHES, name)] = counts.get((BATCHES, name), 0) + 1
        return outputs, counts
