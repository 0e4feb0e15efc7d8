"""benchmarks.work_split's timing: a Timed work function gives what the function gives,
plus its CPU and one batch among the counts, here and in worker processes; a job run
through the benchmark counts every Offloaded batch."""

import json
import pickle
import time

from benchmarks.timed import BATCHES, CPU_MS, Timed
from benchmarks.work_split import measure, print_split
from tests.test_offload import squares_and_halves
from transforms.offload import worker_pool
from transforms.work import run_step


def spins(batch: list[float]) -> tuple[list[list], dict]:
    """[seconds] -> [[seconds]], after spending that much CPU on each."""
    for seconds in batch:
        until = time.process_time() + seconds
        while time.process_time() < until:
            pass
    return [[seconds] for seconds in batch], {("test", "seen"): len(batch)}


def test_timed_gives_the_functions_outputs_and_counts_and_its_own():
    outputs, counts = Timed(squares_and_halves)([1, 2, 3])
    expected_outputs, expected_counts = squares_and_halves([1, 2, 3])
    assert outputs == expected_outputs
    assert {k: v for k, v in counts.items() if k[0] == "test"} == expected_counts
    assert counts[(BATCHES, "squares_and_halves")] == 1
    assert counts[(CPU_MS, "squares_and_halves")] >= 0


def test_timed_counts_the_cpu_of_the_work_in_a_worker_process():
    timed = pickle.loads(pickle.dumps(Timed(spins)))
    assert timed.__name__ == "spins"  # run_step names the step by it
    outputs, counts = worker_pool(1).submit(run_step, timed, [0.2, 0.1]).result()
    assert outputs == [[0.2], [0.1]]
    assert 280 <= counts[(CPU_MS, "spins")] <= 1000
    assert counts[(BATCHES, "spins")] == 1


def test_a_job_run_through_the_benchmark_counts_every_heavy_step(tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    shared = (
        "Officials said the talks in Cairo would resume on Monday after a pause of two weeks, "
        "according to a statement released late on Sunday evening."
    )
    rows = [{"id": f"d{i}", "outlet": f"Outlet {i}", "text": f"{shared}\n\nOwn text {i}"} for i in range(4)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    figures = measure(corpus, tmp_path / "out", ["--direct_num_workers", "1", "--direct_running_mode", "in_memory"])
    assert figures["docs"] == 4
    for step in ("read_batch", "sign_batch", "align_batch", "passages_batch"):
        batches, seconds = figures["work"][step]
        assert batches >= 1 and seconds >= 0
    print_split(figures, cores=2)
    printed = capsys.readouterr().out
    assert "align_batch" in printed and "the work functions alone take" in printed
