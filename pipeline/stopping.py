"""Stopping a run: SIGTERM and Ctrl-C (SIGINT) end it within seconds, with one line.

    with stop_signals():        # the CLI, around a run
        ... with held(): ...    # publishing: a stop waits until the files have moved
    stopped_by() -> the signal that stopped the run, or None

(A worker pool's start holds a stop back too: transforms.lifetime.uninterrupted.)

The first SIGINT or SIGTERM raises Stopped in the main thread, wherever the run is; the
run's own clean-up (pipeline.job) then ends its worker processes and removes its staging
folder. Beam may wrap the exception on its way out of a step, and logs it as the step's
error: stopped_by() still says the run was stopped, and logging is off while it stops.
Further signals while it stops are ignored.
"""

from __future__ import annotations

import logging
import signal
from contextlib import contextmanager

from transforms.lifetime import holding, uninterrupted

_STATE: dict = {"stopped": None}
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(KeyboardInterrupt):
    """The run was told to stop (SIGINT or SIGTERM)."""


def _handler(signum, _frame) -> None:
    if _STATE["stopped"] is not None or holding(signum):
        return
    _STATE["stopped"] = signum
    logging.disable(logging.CRITICAL)  # Beam logs the stop as a step's error, with its traceback: not one
    raise Stopped(signum)


def stopped_by() -> int | None:
    """-> the signal that stopped the run, None if none did."""
    return _STATE["stopped"]


@contextmanager
def stop_signals():
    """SIGINT and SIGTERM stop the run (Stopped) while the block runs; the handlers
    before it are put back after."""
    _STATE.update(stopped=None)
    before = {s: signal.getsignal(s) for s in SIGNALS}
    for s in SIGNALS:
        signal.signal(s, _handler)
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        if _STATE["stopped"] is not None:
            logging.disable(logging.NOTSET)


def held():
    """A stop that comes while the block runs waits for its end, and is then dropped:
    what the block finished (a published folder) stands, and the run ends as it would."""
    return uninterrupted(drop=True)
