"""relax_gc: the worker's collector thresholds; mmap_big_blocks: glibc's mmap threshold."""

import gc
import platform

import pytest

from transforms import heap
from transforms.heap import BIG_BLOCK, THRESHOLDS, mmap_big_blocks, relax_gc


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


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_the_mmap_threshold():
    assert mmap_big_blocks() is True
    assert mmap_big_blocks(BIG_BLOCK) is True


def test_mmap_big_blocks_asks_for_the_threshold_and_says_when_there_is_no_mallopt(monkeypatch):
    calls = []

    class Glibc:
        def mallopt(self, param, value):
            calls.append((param, value))
            return 1

    monkeypatch.setattr(heap.ctypes, "CDLL", lambda name: Glibc())
    assert mmap_big_blocks(4096) is True
    assert calls == [(-3, 4096)]
    monkeypatch.setattr(heap.ctypes, "CDLL", lambda name: object())  # no mallopt (not glibc)
    assert mmap_big_blocks() is False
