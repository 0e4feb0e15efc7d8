"""relax_gc: the worker's collector thresholds."""

import gc

from transforms.heap import THRESHOLDS, relax_gc


def test_relax_gc_raises_the_thresholds_and_is_idempotent():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        relax_gc()
        relax_gc()
        assert gc.get_threshold() == THRESHOLDS
        assert THRESHOLDS[0] > 700
    finally:
        gc.set_threshold(*before)
