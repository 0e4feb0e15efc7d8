"""The wiretrace command: bad flags, config values, inputs and output folders exit 2 with one line."""

import json
import os
import subprocess
import sys

import pytest
from apache_beam.options.pipeline_options import DirectOptions, WorkerOptions

from pipeline.cli import parse, run
from report.render import write_report


def _error_line(capsys):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--no_such_flag", "1"], "--no_such_flag"),
        (["--set", "num_perm=abc"], "num_perm"),
        (["--set", "lsh_threshold=1.5"], "lsh_threshold"),
        (["--set", "bogus_key=1"], "bogus_key"),
        (["--set", "num_perm"], "num_perm"),
    ],
)
def test_bad_flag_or_value_exits_2_naming_it(extra, named, seeds_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["run", "--input", str(seeds_dir), "--output", str(out), *extra]) == 2
    line = _error_line(capsys)
    assert line.startswith("wiretrace: error:") and named in line
    assert not out.exists()  # nothing was started


def test_bad_config_file_is_named(seeds_dir, tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("min_shared_words: 9\nshingle_sise: 4\n")
    assert run(["run", "--input", str(seeds_dir), "--output", str(tmp_path / "o"), "--config", str(config)]) == 2
    assert "shingle_sise" in _error_line(capsys)
    assert run(["run", "--input", str(seeds_dir), "--output", str(tmp_path / "o"), "--config", "missing.yaml"]) == 2
    assert "missing.yaml" in _error_line(capsys)


def test_missing_input_is_named(tmp_path, capsys):
    assert run(["run", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "o")]) == 2
    assert "nope" in _error_line(capsys)
    assert run(["run", "--input", str(tmp_path / "*.txt"), "--output", str(tmp_path / "o")]) == 2
    assert "matches no files" in _error_line(capsys)
    assert run(["run", "--output", str(tmp_path / "o")]) == 2
    assert "--input" in _error_line(capsys)


def test_rerun_refuses_without_overwrite_and_replaces_with_it(seeds_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["run", "--input", str(seeds_dir / "000_8644e06e06c1b68d.txt"), "--output", str(out)]) == 0
    capsys.readouterr()
    assert run(["run", "--input", str(seeds_dir), "--output", str(out)]) == 2
    assert "--overwrite" in _error_line(capsys)
    (out / "passages-00000-of-00002.jsonl").write_text("stale\n")
    assert run(["run", "--input", str(seeds_dir), "--output", str(out), "--overwrite"]) == 0
    assert not (out / "passages-00000-of-00002.jsonl").exists()
    assert json.loads((out / "summary.json").read_text())["documents"] == 5
    capsys.readouterr()
    (out / "_SUCCESS").unlink()  # as a run killed while publishing leaves it
    assert run(["run", "--input", str(seeds_dir), "--output", str(out)]) == 2
    assert "did not finish (no _SUCCESS)" in _error_line(capsys)


def test_run_prints_a_short_summary(seeds_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["run", "--input", str(seeds_dir), "--output", str(out), "--set", "output_shards=2"]) == 0
    printed = capsys.readouterr().out
    assert "5 documents" in printed and "paragraphs" in printed and "passages" in printed and str(out) in printed
    assert (out / "passages-00001-of-00002.jsonl").exists()


def test_help_documents_every_option():
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--input", "--output", "--config", "--set", "--overwrite", "--beam-help", "--runner"):
        assert option in result.stdout


def test_help_shows_what_is_required_the_fields_and_the_exit_codes_and_no_path_outside_the_install():
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", "--help"], capture_output=True, text=True)
    usage = " ".join(result.stdout.split("\n\n")[0].split())
    assert "--input PATH [PATH ...]" in usage and "[--input" not in usage and "[--output" not in usage
    assert "required:" in result.stdout
    text = " ".join(result.stdout.split())
    assert "id, text, outlet, published, title, url" in text and "`fields`" in text
    for status in ("exit status: 0", "2 nothing to retry", "1 worth a retry", "130/143"):
        assert status in text
    assert "configs/" not in result.stdout and "seeds" not in result.stdout


def test_a_folder_without_input_files_says_subfolders_are_not_read_and_how_to_read_them(tmp_path, capsys):
    (tmp_path / "in" / "2024" / "03").mkdir(parents=True)
    (tmp_path / "in" / "2024" / "03" / "a.jsonl").write_text('{"id": "a", "text": "A story of some words."}\n')
    assert run(["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "o")]) == 2
    line = _error_line(capsys)
    assert "no input files" in line and "subfolders are not read" in line and f"{tmp_path / 'in'}/**/*.jsonl" in line
    assert run(["run", "--input", f"{tmp_path / 'in'}/**/*.jsonl", "--output", str(tmp_path / "o"), "--quiet"]) == 0
    assert json.loads((tmp_path / "o" / "summary.json").read_text())["documents"] == 1


def test_a_run_prints_no_warning_a_user_cannot_act_on_and_names_the_report(seeds_dir, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--input", str(seeds_dir), "--output", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "WARNING" not in result.stderr and "warning" not in result.stderr, result.stderr
    steps = [line.split(":")[1].strip() for line in result.stderr.splitlines()]
    assert steps == ["ReadDocuments", "PageFurniture", "Signatures", "GroupByBand", "Verify", "Cluster",
                     "Rewordings", "Stories", "Provenance", "WriteOutputs", "Report"]  # fmt: skip
    assert (
        result.stdout.strip().splitlines()[-1] == f"wiretrace: open {out}/report.html in a browser to look at the run"
    )


def test_beam_help_lists_beam_options(capsys):
    assert run(["run", "--beam-help"]) == 0
    printed = capsys.readouterr().out
    assert "--direct_num_workers" in printed and "--job_endpoint" in printed


def test_runner_typo_output_file_and_non_utf8_config_exit_2(seeds_dir, tmp_path, capsys):
    out = tmp_path / "o"
    assert run(["run", "--input", str(seeds_dir), "--output", str(out), "--runner", "DirectRuner"]) == 2
    assert "DirectRuner" in _error_line(capsys) and not out.exists()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert run(["run", "--input", str(seeds_dir), "--output", str(a_file)]) == 2
    assert "is a file" in _error_line(capsys)
    config = tmp_path / "c.yaml"
    config.write_bytes(b"seed: 1\n#\xff\n")
    assert run(["run", "--input", str(seeds_dir), "--output", str(out), "--config", str(config)]) == 2
    assert "not UTF-8" in _error_line(capsys)


def test_a_report_that_cannot_be_built_costs_only_the_report(seeds_dir, tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no room on the page")

    monkeypatch.setattr("pipeline.job.write_report", broken)
    out = tmp_path / "out"
    assert run(["run", "--input", str(seeds_dir), "--output", str(out)]) == 0
    assert "report.html not written (RuntimeError: no room on the page)" in capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["report"] == {"written": False, "error": "RuntimeError: no room on the page"}
    assert (out / "_SUCCESS").exists() and (out / "passages.jsonl").exists() and not (out / "report.html").exists()


def test_a_run_reading_its_report_in_parts_in_its_workers_writes_the_same_page(seeds_dir, tmp_path, monkeypatch):
    """The report read in two parts, the second in the job's worker processes (as a large
    run's is), against `wiretrace report` rebuilding the page in one part."""
    parts = []
    monkeypatch.setattr("pipeline.job.REPORT_PARTS_FROM", 0)
    for module in ("pipeline.job", "pipeline.cli"):  # the run's report, and `wiretrace report`'s
        monkeypatch.setattr(
            f"{module}.write_report", lambda *a, **k: parts.append(k.get("parts", 1)) or write_report(*a, **k)
        )
    out = tmp_path / "out"
    assert run(["run", "--input", str(seeds_dir), "--output", str(out), "--set", "processes=2"]) == 0
    assert parts == [2]
    in_parts = (out / "report.html").read_bytes()
    (out / "report.html").unlink()
    assert run(["report", str(out)]) == 0
    assert parts == [2, 1]
    assert (out / "report.html").read_bytes() == in_parts


@pytest.mark.parametrize("extra", [[], ["--max-passages", "-3"], ["--runner", "DirectRunner"]])
def test_report_command_refuses_what_it_cannot_use(tmp_path, capsys, extra):
    (tmp_path / "summary.json").write_text("{}")  # no _SUCCESS: an unfinished run
    assert run(["report", str(tmp_path), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("wiretrace: error: ") and len(err.splitlines()) == 1
    assert not (tmp_path / "report.html").exists()


def test_report_command_gives_one_line_for_files_it_cannot_use(tmp_path, capsys):
    (tmp_path / "summary.json").write_text("{}")  # finished, but its summary lacks what the page shows
    (tmp_path / "_SUCCESS").write_text("")
    assert run(["report", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"wiretrace: error: {tmp_path}: cannot build report.html (") and len(err.splitlines()) == 1
    assert not (tmp_path / "report.html").exists() and not list(tmp_path.glob("_report*"))


def _direct(argv):
    *_, options = parse(argv)
    direct = options.view_as(DirectOptions)
    return direct.direct_num_workers, direct.direct_running_mode


def test_local_runs_use_one_process_unless_told_and_warn_about_worker_processes(seeds_dir, tmp_path, capsys):
    base = ["run", "--input", str(seeds_dir), "--output", str(tmp_path / "out")]
    assert _direct(base) == (1, "in_memory")
    assert capsys.readouterr().err == ""
    assert _direct([*base, "--direct_num_workers", "1"]) == (1, "in_memory")
    assert _direct([*base, "--direct_running_mode=multi_processing", "--direct_num_workers=1"]) == (
        1,
        "multi_processing",
    )
    assert capsys.readouterr().err == ""
    told = [*base, "--direct_num_workers", "2", "--direct_running_mode", "multi_processing"]
    assert _direct(told) == (2, "multi_processing")
    err = capsys.readouterr().err
    assert err.startswith("wiretrace: warning: --direct_running_mode multi_processing with more than one worker")
    assert "lost elements" in err and len(err.splitlines()) == 1
    portable = [*base, "--runner", "PortableRunner", "--job_endpoint", "localhost:1", "--direct_num_workers", "2"]
    assert _direct([*portable, "--direct_running_mode", "multi_processing"]) == (2, "multi_processing")
    assert capsys.readouterr().err == ""


def test_worker_processes_log_errors_only_unless_told(seeds_dir, tmp_path):
    base = ["run", "--input", str(seeds_dir), "--output", str(tmp_path / "out")]
    assert parse(base)[3].view_as(WorkerOptions).default_sdk_harness_log_level is None
    workers = [*base, "--direct_num_workers", "2", "--direct_running_mode", "multi_processing"]
    assert parse(workers)[3].view_as(WorkerOptions).default_sdk_harness_log_level == "ERROR"
    told = parse([*workers, "--default_sdk_harness_log_level", "DEBUG"])[3]
    assert told.view_as(WorkerOptions).default_sdk_harness_log_level == "DEBUG"


def test_unreadable_inputs_and_config_exit_2_naming_them(seeds_dir, tmp_path, capsys):
    out = tmp_path / "o"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("A story.")
    os.mkfifo(folder / "pipe.jsonl")  # would block a reader forever
    for value in (folder, folder / "pipe.jsonl", folder / "*.jsonl"):
        assert run(["run", "--input", str(value), "--output", str(out)]) == 2
        line = _error_line(capsys)
        assert "pipe.jsonl" in line and "not a regular file" in line
    assert run(["run", "--input", str(seeds_dir), "--output", str(out), "--config", str(tmp_path)]) == 2
    assert "--config" in (line := _error_line(capsys)) and "not a regular file" in line
    assert run(["run", "--input", str(seeds_dir), "--output", str(out), "--config", str(folder / "pipe.jsonl")]) == 2
    assert "not a regular file" in _error_line(capsys)
    assert not out.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file; the FIFO test above covers unreadable paths")
def test_a_file_without_read_permission_exits_2(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("A story.")
    secret.chmod(0)
    assert run(["run", "--input", str(tmp_path), "--output", str(tmp_path / "o")]) == 2
    assert "secret.txt" in (line := _error_line(capsys)) and "Permission denied" in line


def test_date_fills_input_and_output_paths(seeds_dir, tmp_path, capsys):
    day = tmp_path / "2024-03-06"
    day.mkdir()
    (day / "story.txt").write_text((seeds_dir / "000_8644e06e06c1b68d.txt").read_text(encoding="utf-8"))
    out = tmp_path / "out-{date}"
    args = ["run", "--input", str(tmp_path / "{date}"), "--output", str(out), "--direct_num_workers", "1"]
    assert run([*args, "--date", "2024-03-06"]) == 0
    summary = json.loads((tmp_path / "out-2024-03-06" / "summary.json").read_text())
    assert summary["date"] == "2024-03-06" and summary["inputs"] == [str(day)] and summary["documents"] == 1
    capsys.readouterr()
    assert run(args) == 2
    assert "{date}" in (line := _error_line(capsys)) and "--date" in line
    for bad in ("2024-3-6", "2024-02-30", "yesterday"):
        assert run([*args, "--date", bad]) == 2
        assert "--date" in (line := _error_line(capsys)) and bad in line


def test_lost_data_names_what_the_runner_lost_and_passes_a_whole_run():
    from pipeline.job import lost_data

    whole = {"verify:verified": 90, "verify:rejected": 10}
    assert lost_data({"candidate_pairs": 100}, whole) is None
    assert lost_data({"candidate_pairs": 100}, {}) is None  # a runner without counters
    assert lost_data({"candidate_pairs": 0}, {"filtered:furniture": 3}) is None
    assert lost_data({"candidate_pairs": 100}, {**whole, "verify:rejected": 2}) == (
        "the runner lost data: 92 of 100 candidate pairs were aligned"
    )
    assert lost_data({"candidate_pairs": 100}, {**whole, "integrity:joined_without_document": 4}) == (
        "the runner lost data: 4 joined values found no document"
    )


def test_the_direct_runner_runs_on_the_fn_api_runner_and_never_fetches_prism(seeds_dir, tmp_path, monkeypatch):
    """Beam's DirectRunner tries to download the Prism runner first; wiretrace's does not."""
    from apache_beam.runners.portability import fn_api_runner, prism_runner

    asked, ran = [], []
    monkeypatch.setattr(prism_runner.PrismRunner, "run_pipeline", lambda self, *a, **k: asked.append(a))
    original = fn_api_runner.FnApiRunner.run_pipeline

    def run_pipeline(self, pipeline, options):
        ran.append(options.get_all_options()["direct_num_workers"])
        return original(self, pipeline, options)

    monkeypatch.setattr(fn_api_runner.FnApiRunner, "run_pipeline", run_pipeline)
    for runner in ([], ["--runner", "direct"]):
        out = tmp_path / f"out{len(ran)}"
        assert run(["run", "--input", str(seeds_dir), "--output", str(out), "--direct_num_workers", "1", *runner]) == 0
        assert json.loads((out / "summary.json").read_text())["runner"] == (runner[1] if runner else "DirectRunner")
    assert asked == [] and ran == [1, 1]
