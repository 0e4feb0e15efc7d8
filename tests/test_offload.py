"""Offloaded: pure work in worker processes gives what it gives here, in order, with each
element's timestamp and window, counters included; errors and unguarded scripts."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import window

from tests.beam_helpers import counter
from transforms.offload import Offloaded, worker_pool, worker_processes

ROOT = Path(__file__).resolve().parent.parent


def squares_and_halves(batch: list[int]) -> tuple[list[list], dict]:
    """[n] -> [[n * n, n // 2] for odd n, [] for even n], and how many were odd."""
    outputs = [[n * n, n // 2] if n % 2 else [] for n in batch]
    return outputs, {("test", "odd"): sum(n % 2 for n in batch), ("test", "seen"): len(batch)}


def fails_on_seven(batch: list[int]) -> tuple[list[list], dict]:
    if 7 in batch:
        raise ValueError("seven is not allowed")
    return [[n] for n in batch], {}


@pytest.mark.parametrize(("processes", "batch_size"), [(0, 4), (2, 1), (2, 4), (3, 7)])
def test_outputs_and_counters_are_the_same_in_worker_processes_and_here(processes, batch_size):
    numbers = list(range(101))
    p = TestPipeline()
    out = p | beam.Create(numbers) | beam.ParDo(Offloaded(squares_and_halves, (), batch_size))
    expected = [value for n in numbers if n % 2 for value in (n * n, n // 2)]
    assert_that(out, equal_to(expected))
    with worker_processes(processes):
        result = p.run()
        result.wait_until_finish()
    assert counter(result, "test", "odd") == 50
    assert counter(result, "test", "seen") == 101


def pids(batch: list[int]) -> tuple[list[list], dict]:
    return [[os.getpid()] for _ in batch], {}


@pytest.mark.parametrize("processes", [0, 2])
def test_the_work_runs_in_worker_processes_only_within_worker_processes(processes):
    p = TestPipeline()
    found = p | beam.Create(list(range(8))) | beam.ParDo(Offloaded(pids, (), batch_size=2)) | beam.Distinct()
    here = os.getpid()

    def check(seen):
        assert (here in seen) == (processes == 0), seen
        assert len(seen) <= max(1, processes)

    assert_that(found | beam.combiners.ToList(), lambda lists: check(lists[0]))
    with worker_processes(processes):
        p.run().wait_until_finish()


def test_outputs_keep_each_elements_timestamp_and_window():
    p = TestPipeline()
    stamped = (
        p
        | beam.Create([(1, 5), (3, 15), (5, 25)])  # (number, seconds)
        | beam.Map(lambda e: window.TimestampedValue(e[0], e[1]))
        | beam.WindowInto(window.FixedWindows(10))
    )
    out = stamped | beam.ParDo(Offloaded(squares_and_halves, (), batch_size=2)) | beam.ParDo(WithPlace())
    assert_that(out, equal_to([(1, 5, 0), (0, 5, 0), (9, 15, 10), (1, 15, 10), (25, 25, 20), (2, 25, 20)]))
    with worker_processes(2):
        p.run().wait_until_finish()


class WithPlace(beam.DoFn):
    """value -> (value, its timestamp in seconds, its window's start in seconds)."""

    def process(self, value, timestamp=beam.DoFn.TimestampParam, w=beam.DoFn.WindowParam):
        yield value, int(timestamp.micros // 1_000_000), int(w.start.micros // 1_000_000)


@pytest.mark.parametrize("processes", [0, 2])
def test_an_error_in_the_work_fails_the_job_with_its_message(processes):
    p = TestPipeline()
    _ = p | beam.Create(list(range(10))) | beam.ParDo(Offloaded(fails_on_seven, (), batch_size=3))
    with pytest.raises(Exception, match="seven is not allowed"), worker_processes(processes):
        p.run().wait_until_finish()


def test_the_pool_is_started_once_per_process_and_size():
    assert worker_pool(2) is worker_pool(2)
    assert worker_pool(2) is not worker_pool(1)


def test_a_script_without_a_main_guard_runs_once(tmp_path):
    # multiprocessing would run the caller's script again in every worker process it
    # starts, and the executor starts some late when a task finds no idle worker.
    marks = tmp_path / "runs.txt"
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(f"""
            import apache_beam as beam
            from tests.test_offload import squares_and_halves
            from transforms.offload import Offloaded, worker_processes

            with open({str(marks)!r}, "a") as f:
                f.write("run\\n")
            with worker_processes(4), beam.Pipeline() as p:
                _ = p | beam.Create(list(range(60))) | beam.ParDo(Offloaded(squares_and_halves, (), 1))
        """),
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, env=_env())
    assert done.returncode == 0, done.stderr
    assert marks.read_text().splitlines() == ["run"]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def test_every_worker_is_running_when_the_pool_is_handed_out():
    pool = worker_pool(4)
    assert len(pool._processes) == 4  # noqa: SLF001 - the executor's own list of workers
    assert all(process.is_alive() for process in pool._processes.values())  # noqa: SLF001
