"""Offloaded: a DoFn whose pure work runs in worker processes of this machine.

In: any elements. Out: what `work` gives for each, with the element's own timestamp and
window, in the order the elements came. `work(batch, *args) -> (outputs, counts)` is a
module-level function, pure and Beam-free (transforms.work): `outputs[i]` is the list
of outputs of `batch[i]`, and `counts` maps (namespace, counter) to an increment.

Why: the heavy steps (signing, alignment, passages) are pure Python, and one Python
process runs on one core. Beam's local runner in one process (the default, see the
README) leaves the machine's other cores idle, and its two-process mode loses data.
Within `worker_processes(n)` with n > 0 (pipeline.job sets it around a local run),
batches go to a pool of that many worker processes, shared by every Offloaded step of
this process, at most two batches per process in flight; the Beam worker meanwhile
moves the elements around. Elsewhere (0, the default, and in any other runner's
workers, which use the cores themselves) the same batches are worked here, in order.
Same function, same inputs: the same outputs either way. The transforms never say how
many processes: that is this module's business, and the runner's.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

from transforms.heap import relax_gc
from transforms.lifetime import start_worker, uninterrupted
from transforms.work import run_step

# What a worker process imports before it is forked off the pool's server: the work.
PRELOAD = ["transforms.deaf", "transforms.lifetime", "transforms.work", "transforms.band_work"]

_POOLS: dict[int, ProcessPoolExecutor] = {}
_PROCESSES = [0]  # worker processes this process's Offloaded steps use (worker_processes)
_LOCK = threading.Lock()
# How long a starting worker waits for the others (a worker that never comes breaks the pool).
START_SECONDS = 120


@contextmanager
def worker_processes(processes: int):
    """Within it, every Offloaded step this process runs works its batches in a pool of
    `processes` worker processes (0: here, in the Beam worker)."""
    before = _PROCESSES[0]
    _PROCESSES[0] = processes
    try:
        yield
    finally:
        _PROCESSES[0] = before


def worker_pool(processes: int) -> ProcessPoolExecutor:
    """-> this process's pool of `processes` worker processes, all started on first use
    (and again if a worker died, which breaks a pool). Workers are forked from a fresh
    server process (forkserver), not from this one: a Beam worker holds threads and
    gigabytes a fork would copy."""
    with _LOCK, uninterrupted():  # a stop while workers start waits until they run
        pool = _POOLS.get(processes)
        if pool is None or getattr(pool, "_broken", False):  # the executor's own flag
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            pool = _POOLS[processes] = _start_pool(processes)
            for future in pool.started:
                future.result()
        return pool


def _start_pool(processes: int) -> ProcessPoolExecutor:
    """A pool whose `processes` workers are starting (`pool.started`: a future each, done
    when all run). The executor starts a worker for a task when none is idle; each
    worker's initializer waits at a barrier until all have started, so none is idle
    before the last one is, and none starts later, when the caller's script is no
    longer hidden (_main_script_hidden)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    with _main_script_hidden():
        barrier = context.Barrier(processes, timeout=START_SECONDS)
        pool = ProcessPoolExecutor(
            processes, mp_context=context, initializer=start_worker, initargs=(barrier, os.getpid())
        )
        pool.started = [pool.submit(int) for _ in range(processes)]
    return pool


@contextmanager
def _main_script_hidden():
    """Hides the module or script this process runs as its main while worker processes
    start: multiprocessing would have each of them import it again (as `__mp_main__`),
    so that a script without an `if __name__ == "__main__":` guard would start a job in
    every worker, and a module run with `python -m` would load all it imports there.
    They need the work modules only (PRELOAD)."""
    main = sys.modules["__main__"]
    saved = {name: main.__dict__.pop(name) for name in ("__spec__", "__file__") if name in main.__dict__}
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


class Steps(Executor):
    """This process's pool of `processes` workers, for work outside the job (the report's
    parts, pipeline.job): each task runs as a step of its own (transforms.work.run_step),
    so that a worker first drops what the job's last step left in it (its caches, its
    heap's free pages) instead of holding them beside the new work."""

    def __init__(self, processes: int):
        self.pool = worker_pool(processes)

    def submit(self, fn, /, *args, **kwargs):
        return self.pool.submit(run_step, fn, *args, **kwargs)


@atexit.register
def shutdown_pools() -> None:
    """Stops every pool this process started (their workers exit)."""
    with _LOCK:
        while _POOLS:
            _POOLS.popitem()[1].shutdown(wait=True, cancel_futures=True)


def kill_pools() -> None:
    """Ends every pool this process started at once, work in flight or not (a run that
    failed or was stopped): its workers are killed, not waited for."""
    with _LOCK:
        while _POOLS:
            pool = _POOLS.popitem()[1]
            workers = list((getattr(pool, "_processes", None) or {}).values())  # the executor's own table
            for worker in workers:
                worker.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            for worker in workers:
                worker.join(timeout=5)


class Counters:
    """Beam counters by (namespace, name), made on first use: inc() takes a work
    function's counts."""

    def __init__(self):
        self._made: dict = {}

    def inc(self, counts: dict) -> None:
        for key, n in counts.items():
            counter = self._made.get(key)
            if counter is None:
                counter = self._made[key] = Metrics.counter(*key)
            counter.inc(n)


class Offloaded(beam.DoFn):
    """element -> the outputs `work` gives for it (see the module), `batch_size` elements
    a batch, in the worker processes of worker_processes (none: here)."""

    def __init__(self, work: Callable, args: tuple = (), batch_size: int = 32):
        self.work, self.args, self.batch_size = work, args, batch_size

    def setup(self):
        relax_gc()
        self.processes = _PROCESSES[0]
        self.pool = worker_pool(self.processes) if self.processes > 0 else None
        self.counters = Counters()

    def start_bundle(self):
        self.batch: list = []
        self.places: list = []  # (timestamp, window) of each element of the batch
        self.pending: deque = deque()  # (future, places) of batches in flight, oldest first

    def process(self, element, timestamp=beam.DoFn.TimestampParam, window=beam.DoFn.WindowParam):
        self.batch.append(element)
        self.places.append((timestamp, (window,)))
        if len(self.batch) >= self.batch_size:
            yield from self._send()

    def finish_bundle(self):
        yield from self._send()
        while self.pending:
            yield from self._take()

    def _send(self):
        """-> the outputs of batches now done: the current batch sent off (or worked
        here), then every finished batch at the head of the queue taken, and more
        waited for while too many are in flight."""
        if not self.batch:
            return
        batch, places = self.batch, self.places
        self.batch, self.places = [], []
        args = (*self.args, *getattr(self, "side", ()))
        if self.pool is None:
            yield from self._emit(run_step(self.work, batch, *args), places)
            return
        self.pending.append((self.pool.submit(run_step, self.work, batch, *args), places))
        while self.pending and (len(self.pending) > 2 * self.processes or self.pending[0][0].done()):
            yield from self._take()

    def _take(self):
        future, places = self.pending.popleft()
        yield from self._emit(future.result(), places)

    def _emit(self, result, places):
        outputs, counts = result
        self.counters.inc(counts)
        for (timestamp, windows), values in zip(places, outputs, strict=True):
            for value in values:
                yield WindowedValue(value, timestamp, windows)


class OffloadedWith(Offloaded):
    """Offloaded with one side input of the ParDo, handed to `work` after its `args`
    (the same for every element of a window)."""

    def process(self, element, side, timestamp=beam.DoFn.TimestampParam, window=beam.DoFn.WindowParam):
        self.side = (side,)
        yield from super().process(element, timestamp=timestamp, window=window)
