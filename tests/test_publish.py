"""The output folder never shows a half-published run: a run killed midway leaves no final
file and no _SUCCESS, and replacing an earlier run's results removes its _SUCCESS first."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apache_beam.io.filesystem import BeamIOError
from apache_beam.io.filesystems import FileSystems

from benchmarks.corpus import generate
from pipeline.publish import OUTPUT_PATTERNS, STAGING, SUCCESS, prepare, previous_outputs, publish
from tests.conftest import DATA_FILES

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 300  # how long to wait for a run to reach the kill point before failing: not a measurement
CORPUS_DOCS = 400  # about 20 s of work on two cores: the run is killed long before it could finish


def _env() -> dict:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), environment.get("PYTHONPATH")) if p)
    return environment


def _command(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output", str(out)]


def _final_files(out: Path) -> list[str]:
    return sorted(p.name for pattern in OUTPUT_PATTERNS for p in out.glob(pattern))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    rows, _ = generate(CORPUS_DOCS, seed=11)
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def _stagings(out: Path) -> list[Path]:
    """-> the run's staging folders in `out` (one per run: STAGING-<run>)"""
    return [d for d in out.glob(STAGING + "*") if d.is_dir()] if out.is_dir() else []


def _staging_exists(out: Path) -> bool:
    return bool(_stagings(out))


def _a_data_file_written(out: Path) -> bool:
    """the job has written a data file (into the staging folder, or anywhere in `out`)"""
    folders = [d for d in (out, *_stagings(out)) if d.is_dir()]
    return any(p.suffix in (".jsonl", ".csv") for d in folders for p in d.iterdir())


@pytest.mark.parametrize("reached", [_staging_exists, _a_data_file_written], ids=["while_reading", "while_writing"])
def test_a_killed_run_leaves_no_final_file_and_a_rerun_succeeds(corpus, tmp_path, reached):
    out = tmp_path / "out"
    log = tmp_path / "killed.log"
    with open(log, "wb") as output:
        # Its own session: killing the group kills the worker processes too.
        job = subprocess.Popen(
            _command(corpus, out), cwd=ROOT, env=_env(), stdout=output, stderr=output, start_new_session=True
        )
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not reached(out):
            assert job.poll() is None, f"the run ended (status {job.returncode}) before the kill:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the run never got to the kill point:\n{log.read_text()}"
            time.sleep(0.02)
        assert job.poll() is None, "the run finished on its own before it could be killed"
        os.killpg(job.pid, signal.SIGKILL)
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
        job.wait()
    assert job.returncode == -signal.SIGKILL
    assert _final_files(out) == [], "a killed run published files"
    assert _staging_exists(out)

    rerun = subprocess.run(_command(corpus, out), cwd=ROOT, env=_env(), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert not _staging_exists(out), "the rerun left the killed run's staging folder, or its own"
    assert (out / SUCCESS).exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == CORPUS_DOCS and summary["passages"] > 0
    assert sorted(p.name for p in out.iterdir()) == sorted([*DATA_FILES, "summary.json", SUCCESS])


def _earlier_run_and_new_results(seeds_run: Path, tmp_path: Path) -> tuple[Path, str, list[str]]:
    """an output folder holding a finished run's results, and a staging folder holding new ones."""
    out = tmp_path / "out"
    shutil.copytree(seeds_run, out)
    staging = prepare(str(out), overwrite=True)
    names = sorted(p.name for p in seeds_run.iterdir() if p.name not in ("summary.json", SUCCESS))
    for name in names:
        (Path(staging) / name).write_bytes((seeds_run / name).read_bytes() + b"\n")  # new, different bytes
    return out, staging, [FileSystems.join(staging, n) for n in names]


def _fail_deleting_data_files(real):
    def delete(paths):
        if any(FileSystems.split(p)[1] != SUCCESS for p in paths):
            raise BeamIOError("killed while deleting the earlier run's data files")
        return real(paths)

    return delete


def _fail_after_the_first_rename(real):
    def rename(sources, destinations):
        real(sources[:1], destinations[:1])
        raise BeamIOError("killed while moving the new files in")

    return rename


def _fail_writing_the_summary(real):
    def create(path, *args, **kwargs):
        if FileSystems.split(path)[1] == "summary.json":
            raise BeamIOError("killed while writing summary.json")
        return real(path, *args, **kwargs)

    return create


@pytest.mark.parametrize(
    "operation, failure",
    [
        ("delete", _fail_deleting_data_files),
        ("rename", _fail_after_the_first_rename),
        ("create", _fail_writing_the_summary),
    ],
    ids=["deleting", "moving", "summary"],
)
def test_publishing_over_an_earlier_run_removes_its_success_marker_before_anything_else(
    seeds_run, tmp_path, monkeypatch, operation, failure
):
    """A failure (or a kill: publish cleans nothing up) at any step of publishing leaves no _SUCCESS."""
    out, staging, written = _earlier_run_and_new_results(seeds_run, tmp_path)
    assert (out / SUCCESS).exists() and len(previous_outputs(str(out))) == 9
    monkeypatch.setattr(FileSystems, operation, staticmethod(failure(getattr(FileSystems, operation))))
    with pytest.raises(BeamIOError):
        publish(staging, str(out), written, {"documents": 5})
    assert not (out / SUCCESS).exists(), "an earlier run's _SUCCESS stands beside a half-published folder"


def test_publishing_over_an_earlier_run_replaces_every_file(seeds_run, tmp_path):
    out, staging, written = _earlier_run_and_new_results(seeds_run, tmp_path)
    files = publish(staging, str(out), written, {"documents": 5})
    assert files[-1] == SUCCESS and sorted(p.name for p in out.iterdir()) == sorted(files)
    for path in written:
        name = FileSystems.split(path)[1]
        assert (out / name).read_bytes() == (seeds_run / name).read_bytes() + b"\n"
    assert json.loads((out / "summary.json").read_text()) == {"documents": 5}
