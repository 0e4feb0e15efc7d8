"""The same input gives byte-identical outputs on three runners.

- the DirectRunner in one process (--direct_num_workers 1), the heavy steps in worker
  processes of its own (transforms.offload) and in that process (processes=0);
- the DirectRunner with two worker processes (--direct_running_mode multi_processing);
- the PortableRunner, through Beam's own local job service (started here as a
  subprocess) with --environment_type LOOPBACK: the proof that the job runs through
  the portable runner API.

Each run is the real command, `python -m pipeline run`, in a subprocess. The input is
the seeds plus a JSON Lines file written here whose records take the error and
duplicate-id paths, so errors.jsonl is not empty.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA_FILES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PER_RUN = ("runner", "timings")  # the summary.json fields that may differ from run to run
SERVICE_START_SECONDS = 120  # a deadline for the job service to listen, not a measurement


def env() -> dict:
    """The environment for a subprocess: this checkout's code first, whatever is installed."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), environment.get("PYTHONPATH")) if p)
    return environment


def extra_records() -> list[str]:
    """JSON Lines lines: a copy of seed 000's paragraphs under a new id, the same id again
    with the same text and with a different text, a seed's id again, a malformed line, a
    record without `text`, and a blank line (skipped, not a record)."""
    seed = (SEEDS / "000_8644e06e06c1b68d.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in seed.split("\n\n") if len(p.split()) > 20][:4]
    copy = "BAGHDAD (Reuters) - " + "\n\n".join(paragraphs)
    rows = [
        {"id": "extra-copy", "text": copy, "outlet": "Test Wire", "published": "2023-11-06T08:00:00Z"},
        {"id": "extra-copy", "text": copy, "outlet": "Test Wire", "published": "2023-11-06T08:00:00Z"},
        {"id": "extra-copy", "text": copy + "\n\nA paragraph of its own.", "outlet": "Other Wire"},
        {"id": "003_297e5d2d1b9eebe5", "text": "The id of a seed, with another text.", "outlet": "Test Wire"},
        {"id": "no-text", "outlet": "Test Wire"},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    return [*lines[:3], '{"id": "broken", "text": "no closing quote}', "", *lines[3:]]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """[a copy of seeds/, wire.jsonl] in one folder: "seeds/..." sorts before "wire.jsonl",
    so a seed is read before the JSON Lines record that repeats its id, wherever the folder is."""
    folder = tmp_path_factory.mktemp("input")
    shutil.copytree(SEEDS, folder / "seeds")
    extra = folder / "wire.jsonl"
    extra.write_text("\n".join(extra_records()) + "\n", encoding="utf-8")
    return [str(folder / "seeds"), str(extra)]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def job_endpoint(tmp_path_factory):
    """Beam's local job service on a free loopback port: its endpoint; killed at teardown."""
    logs = tmp_path_factory.mktemp("job_service")
    port = free_port()
    command = [sys.executable, "-m", "apache_beam.runners.portability.local_job_service_main", "--port", str(port)]
    with open(logs / "stdout.txt", "wb") as out, open(logs / "stderr.txt", "wb") as err:
        service = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env(), start_new_session=True)
    try:
        deadline = time.monotonic() + SERVICE_START_SECONDS
        while not _accepts(port):
            stderr = (logs / "stderr.txt").read_text(errors="replace")
            if service.poll() is not None:
                pytest.fail(f"the job service exited with status {service.returncode} before listening:\n{stderr}")
            if time.monotonic() > deadline:
                pytest.fail(f"the job service did not listen on port {port} in {SERVICE_START_SECONDS} s:\n{stderr}")
            time.sleep(0.2)
        yield f"localhost:{port}"
    finally:
        if service.poll() is None:
            os.killpg(service.pid, signal.SIGKILL)  # its own session: the service and anything it started
        service.wait()


RUNNERS = {
    "direct_1": ["--runner", "DirectRunner", "--direct_num_workers", "1"],
    # the heavy steps in this process, not in worker processes (transforms.offload)
    "direct_1_inline": ["--runner", "DirectRunner", "--direct_num_workers", "1", "--set", "processes=0"],
    "direct_mp_2": [
        "--runner",
        "DirectRunner",
        "--direct_running_mode",
        "multi_processing",
        "--direct_num_workers",
        "2",
    ],
    "portable": ["--runner", "PortableRunner", "--environment_type", "LOOPBACK"],  # + --job_endpoint
}
RUNNER_NAMES = {
    "direct_1": "DirectRunner",
    "direct_1_inline": "DirectRunner",
    "direct_mp_2": "DirectRunner",
    "portable": "PortableRunner",
}


def wiretrace(args: list[str]) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` in a subprocess, from this checkout."""
    command = [sys.executable, "-m", "pipeline", *args]
    return subprocess.run(command, cwd=ROOT, env=env(), capture_output=True, text=True)


@pytest.fixture(scope="module")
def outputs(inputs, job_endpoint, tmp_path_factory) -> dict[str, Path]:
    """runner -> the output folder of `wiretrace run` on the test input with that runner."""
    base = tmp_path_factory.mktemp("runners")
    folders = {}
    for name, options in RUNNERS.items():
        if name == "portable":
            options = [*options, "--job_endpoint", job_endpoint]
        out = base / name
        done = wiretrace(["run", "--input", *inputs, "--output", str(out), *options])
        assert done.returncode == 0, f"{name}: exit status {done.returncode}\n{done.stdout}\n{done.stderr}"
        folders[name] = out
    return folders


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_each_run_publishes_every_file_and_nothing_else(outputs):
    for name, out in outputs.items():
        assert sorted(p.name for p in out.iterdir()) == sorted([*DATA_FILES, "summary.json", "_SUCCESS"]), name
        assert _summary(out)["runner"] == RUNNER_NAMES[name]


def test_every_data_file_is_byte_identical_on_the_three_runners(outputs):
    reference = outputs["direct_1"]
    assert len(_lines(reference / "passages.jsonl")) >= 10 and _lines(reference / "errors.jsonl")
    for name, out in outputs.items():
        for file in DATA_FILES:
            assert (out / file).read_bytes() == (reference / file).read_bytes(), f"{name}: {file} differs"


def test_summary_is_the_same_on_the_three_runners_but_for_runner_and_timings(outputs):
    def comparable(out):
        summary = {k: v for k, v in _summary(out).items() if k not in PER_RUN}
        summary["config"].pop("processes")  # "auto", or 0 where a run asks for none
        return summary

    reference = comparable(outputs["direct_1"])
    assert reference["counters"], "no counters reported"
    for name, out in outputs.items():
        summary = comparable(out)
        assert summary["counters"] == reference["counters"], f"{name}: counters differ"
        assert summary == reference, f"{name}: summary.json differs"


def test_records_add_up_and_take_the_error_and_duplicate_paths(outputs, inputs):
    out = outputs["direct_1"]
    summary = _summary(out)
    errors = [json.loads(line) for line in _lines(out / "errors.jsonl")]
    documents = [json.loads(line) for line in _lines(out / "documents.jsonl")]
    records = 5 + len([line for line in extra_records() if line.strip()])  # five seeds, one record per line
    assert summary["records_read"] == records == summary["documents"] + summary["records_rejected"]
    assert summary["documents"] == len(documents) == 6 and summary["records_rejected"] == len(errors)
    assert summary["counters"]["read:records"] == records
    assert summary["counters"]["read:rejected"] == 2 and summary["counters"]["read:duplicate_id"] == 3
    extra = inputs[1]
    by_line = {e["source"]: (e["reason"], e["detail"]) for e in errors}
    assert sorted(by_line) == sorted(f"{extra}:{n}" for n in (2, 3, 4, 6, 7))
    assert by_line[f"{extra}:2"][0] == "duplicate_id" and "the same text as" in by_line[f"{extra}:2"][1]
    assert by_line[f"{extra}:3"][0] == "duplicate_id" and "a different text from" in by_line[f"{extra}:3"][1]
    assert by_line[f"{extra}:4"][0] == "invalid_json"
    assert by_line[f"{extra}:6"][0] == "duplicate_id"  # the seed's id: the seed file is read first
    assert by_line[f"{extra}:7"][0] == "missing_text"
    copy = next(d for d in documents if d["doc_id"] == "extra-copy")
    assert copy["outlet"] == "Test Wire" and copy["spans"], "the copy of seed 000 shares no passage"
