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


def test_release_free_memory_hands_pages_back_on_glibc():
    import platform

    from transforms.heap import release_free_memory

    assert release_free_memory() is (platform.libc_ver()[0] == "glibc")


def test_a_worker_drops_its_caches_when_it_moves_to_another_step_and_aligns_the_same_after():
    from transforms import align, work
    from transforms.text import words

    a = "The minister said on Tuesday that the talks would resume in Geneva next week."
    b = "The minister said that the talks would resume in Geneva next week, officials added."
    work._working_on("seal")
    work._working_on("align")  # from another step: the caches start empty
    first = align._align_texts(a, b, 5, 8)
    words(a)  # the tokeniser's own cache, as segmentation fills it (alignment tokenises past it)
    assert first and align._keyed.cache_info().currsize == 2 and words.cache_info().currsize >= 1
    work._working_on("align")  # the same step: the caches stay
    assert align._keyed.cache_info().currsize == 2
    work._working_on("read")
    assert align._keyed.cache_info().currsize == align._align_texts.cache_info().currsize == 0
    assert words.cache_info().currsize == 0
    align._keyed(a)
    work._working_on("sign")  # reading and signing run side by side: one step
    assert align._keyed.cache_info().currsize == 1
    work._working_on("align")
    assert align._align_texts(a, b, 5, 8) == first
