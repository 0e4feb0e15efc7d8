"""relax_gc: the worker's collector thresholds; trim_heap: free memory handed back."""

import gc
import platform

import pytest

from transforms import heap
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


def test_trim_heap_trims_at_most_once_in_its_interval(monkeypatch):
    monkeypatch.setattr(heap, "_last_trim", -1e9)
    assert heap.trim_heap(min_seconds=3600) is (heap._MALLOC_TRIM is not None)
    assert heap.trim_heap(min_seconds=3600) is False
    assert heap.trim_heap(min_seconds=0) is (heap._MALLOC_TRIM is not None)


def test_trim_heap_is_a_no_op_without_glibc(monkeypatch):
    monkeypatch.setattr(heap, "_MALLOC_TRIM", None)
    monkeypatch.setattr(heap, "_last_trim", -1e9)
    assert heap.trim_heap(min_seconds=0) is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_trim_heap_finds_malloc_trim_in_glibc():
    assert heap._MALLOC_TRIM is not None
