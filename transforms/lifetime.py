"""A worker process's life: it starts with the pool (transforms.offload) and never
outlives the process that started it. Imports nothing heavy: every worker imports it.

    start_worker(barrier, job_pid)   # a pool's initializer
    with uninterrupted(): ...        # the job's process: a stop signal waits for the block

A stop (SIGINT, SIGTERM: pipeline.stopping) that comes while a pool starts its workers
waits until they run, then stops the job as it would have: a pool half started cannot
be ended cleanly. One that comes while the output folder is published waits until it
is, and is dropped: the run is done.

A worker ignores Ctrl-C (the terminal sends it to every process of the job; the job
itself stops its workers, and says so once). It ends itself when the job's process is
gone, whether that ended cleanly, by SIGTERM or by kill -9: on Linux the kernel tells it
(PR_SET_PDEATHSIG, when its parent, the pool's fork server, ends with the job), and
everywhere a watch thread looks for the job's process twice a second.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager

from transforms.heap import relax_gc

WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1
_HOLD = {"depth": 0, "pending": None, "drop": False}


@contextmanager
def uninterrupted(drop: bool = False):
    """A stop signal that comes while the block runs (holding() tells the handler) waits
    for its end, and is then raised again, or dropped if `drop`."""
    _HOLD["depth"] += 1
    _HOLD["drop"] = _HOLD["drop"] or drop
    try:
        yield
    finally:
        _HOLD["depth"] -= 1
        if not _HOLD["depth"]:
            pending, dropped = _HOLD["pending"], _HOLD["drop"]
            _HOLD.update(pending=None, drop=False)
            if pending is not None and not dropped:
                signal.raise_signal(pending)


def holding(signum: int) -> bool:
    """-> whether a stop signal must wait (a block runs uninterrupted); if so, it is kept."""
    if not _HOLD["depth"]:
        return False
    _HOLD["pending"] = signum
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's: not ours, but not gone
        return True
    return True


def _watch(job_pid: int, parent: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent or not _alive(job_pid):
            os._exit(1)


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


def start_worker(barrier, job_pid: int) -> None:
    """A worker process's start: tied to the job's process `job_pid`, deaf to Ctrl-C,
    fewer garbage collections; then it waits until every worker of the pool has started."""
    parent = os.getppid()
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch, args=(job_pid, parent), name="wiretrace-watch", daemon=True).start()
    if not _alive(job_pid) or os.getppid() != parent:
        os._exit(1)
    relax_gc()
    barrier.wait()
