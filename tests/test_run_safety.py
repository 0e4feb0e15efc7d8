"""A published folder is always true, and a run ends cleanly however it is ended.

Each test starts the real command in a process of its own and ends it as a user or a
scheduler would: a second run into the same folder, kill -9, SIGTERM, Ctrl-C, a full
disk, a run whose every record is rejected.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from benchmarks.throughput import descendants, process_stats
from pipeline.publish import LOCK, STAGING, SUCCESS

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 300  # how long to wait for a run to reach a point before failing: not a measurement
CORPUS_DOCS = 1500  # some 20 s of work on two cores: long enough to be caught midway


def _env() -> dict:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), environment.get("PYTHONPATH")) if p)
    return environment


def _command(inputs: list[Path], out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", "--input", *map(str, inputs), "--output", str(out), *extra]


def _write_corpus(path: Path, docs: int, seed: int, bad_lines: int = 0) -> Path:
    rows, _ = generate(docs, seed=seed)
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + ["{not json"] * bad_lines
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", CORPUS_DOCS, seed=5, bad_lines=3)


def _wait(condition, job: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert job.poll() is None, f"the run ended (status {job.returncode}) before {what}:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"the run never got to {what}:\n{log.read_text()}"
        time.sleep(0.05)


def _start(command: list[str], log: Path, **kwargs) -> subprocess.Popen:
    with open(log, "wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=output, stderr=output, **kwargs)


def _workers(pid: int) -> list[int]:
    return descendants(pid, process_stats())


def _alive(pids: list[int]) -> list[int]:
    """-> those of `pids` still running (a zombie, dead but not yet reaped, is not)."""
    stats = process_stats()
    return [pid for pid in pids if pid in stats and stats[pid][0] != b"Z"]


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _alive(pids)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_second_run_into_a_held_folder_stops_at_once_and_the_first_publishes_a_true_folder(corpus, tmp_path):
    out = tmp_path / "out"
    log = tmp_path / "first.log"
    first = _start(_command([corpus], out, "--overwrite"), log)
    try:
        _wait(lambda: (out / LOCK).exists(), first, log, "holding the folder")
        started = time.monotonic()
        second = subprocess.run(
            _command([corpus], out, "--overwrite"), cwd=ROOT, env=_env(), capture_output=True, text=True
        )
        assert time.monotonic() - started < 30, "the second run did not stop at once"
        assert second.returncode == 2, second.stderr
        (line,) = second.stderr.strip().splitlines()
        assert line.startswith(f"wiretrace: error: --output {out}: another wiretrace run is writing into it")
        assert f"pid {first.pid} on " in line
        assert first.wait(timeout=DEADLINE_SECONDS) == 0, log.read_text()
    finally:
        if first.poll() is None:
            first.kill()
    summary = json.loads((out / "summary.json").read_text())
    assert (out / SUCCESS).exists() and not (out / LOCK).exists() and not list(out.glob(STAGING + "*"))
    assert summary["records_rejected"] == len(_lines(out / "errors.jsonl")) == 3
    assert summary["documents"] == len(_lines(out / "documents.jsonl")) == CORPUS_DOCS
    assert summary["passages"] == len(_lines(out / "passages.jsonl"))
    expected = ["documents.jsonl", "errors.jsonl", "outlets.csv", "passages.jsonl", "report.html", "stories.jsonl"]
    expected.append("templates.jsonl")
    assert sorted(p.name for p in out.iterdir()) == sorted([*expected, "summary.json", SUCCESS])


def test_a_run_in_which_no_record_became_a_document_publishes_nothing(tmp_path):
    out = tmp_path / "out"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\n{"id": "b"}\n{not json\n{"text": "no id"}\n')
    result = subprocess.run(
        _command([ROOT / "README.md", bad], out, "--quiet"), cwd=ROOT, env=_env(), capture_output=True, text=True
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        f"wiretrace: error: no record became a document (5 read, 5 rejected); nothing was published to {out}"
    )
    assert lines[1].startswith("wiretrace:   2 x missing_text, e.g. ") and len(lines) == 4
    assert {line.split(" x ")[1].split(",")[0] for line in lines[2:]} == {"invalid_json", "missing_id"}
    assert not out.exists(), "a run that published nothing left a folder behind"
    assert result.stdout == ""


def test_kill_9_of_the_job_leaves_no_worker_process_behind(corpus, tmp_path):
    out = tmp_path / "out"
    log = tmp_path / "killed.log"
    job = _start(_command([corpus], out, "--set", "processes=2"), log)
    try:
        _wait(lambda: len(_workers(job.pid)) >= 3, job, log, "starting its workers")  # fork server and two workers
        workers = _workers(job.pid)
        os.kill(job.pid, signal.SIGKILL)  # the job alone, as `kill -9 PID` does: not its process group
        job.wait()
    finally:
        if job.poll() is None:
            job.kill()
    assert _gone_within(workers, 15) == [], "worker processes outlived the killed job"


@pytest.mark.parametrize(
    ("sent", "status", "name"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")], ids=["term", "int"]
)
def test_sigterm_and_ctrl_c_end_the_run_within_seconds_with_one_line(corpus, tmp_path, sent, status, name):
    out = tmp_path / "out"
    log = tmp_path / "stopped.log"
    job = _start(_command([corpus], out, "--set", "processes=2", "--quiet"), log, start_new_session=True)
    try:
        _wait(lambda: len(_workers(job.pid)) >= 3 and list(out.glob(STAGING + "*")), job, log, "working")
        workers = _workers(job.pid)
        stopped = time.monotonic()
        # SIGTERM to the job, as a scheduler sends it; Ctrl-C to the whole group, as a terminal does.
        os.kill(job.pid, sent) if sent == signal.SIGTERM else os.killpg(job.pid, sent)
        assert job.wait(timeout=30) == status, log.read_text()
        assert time.monotonic() - stopped < 15
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
    printed = log.read_text().strip().splitlines()
    assert printed == [f"wiretrace: stopped by {name}; nothing was published, {out} is as it was"]
    assert _gone_within(workers, 10) == []
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB filesystem of its own (tmpfs; needs root), unmounted after the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (root needed): {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_one_line_exit_1_and_no_staging_folder(corpus, small_disk):
    out = small_disk / "out"
    result = subprocess.run(
        _command([corpus], out, "--quiet"), cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line == f"wiretrace: error: {out}: no space left on the device; nothing was published"
    assert not out.exists() or not list(out.iterdir()), list(out.iterdir())


def test_a_runner_that_refuses_the_job_is_exit_2_with_one_line(tmp_path):
    out = tmp_path / "out"
    portable = subprocess.run(
        _command([ROOT / "seeds"], out, "--runner", "PortableRunner"),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert portable.returncode == 2
    (line,) = portable.stderr.strip().splitlines()
    assert line.startswith("wiretrace: error: --runner PortableRunner: the runner did not take the job (")
    assert "--job_endpoint" in line
    dataflow = subprocess.run(
        _command([ROOT / "seeds"], out, "--runner", "DataflowRunner"),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert dataflow.returncode == 2
    (line,) = dataflow.stderr.strip().splitlines()
    assert line.startswith("wiretrace: error: --runner DataflowRunner: ")
    assert "apache-beam[gcp]" in line or "project" in line
    assert not out.exists()
