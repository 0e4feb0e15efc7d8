"""pipeline.progress: a line per step as it finishes, in the job's order, and a running
count with its rate and time left while a long step runs."""

import io
import time

import pytest

import pipeline.progress as progress_module
from pipeline.progress import Progress, Step

STEPS = {
    "Read": Step(
        "read {read:records:,|record} ({read:rejected:,} rejected)", "read:records", ("read:expected",), "records"
    ),
    "Sign": Step("signed {sign:documents:,|document}", "sign:documents", ("read:records",), "documents"),
    "Write": Step("wrote the files"),
}


def _progress(**kwargs) -> tuple[Progress, io.StringIO]:
    stream = io.StringIO()
    return Progress(stream, steps=STEPS, **kwargs), stream


def test_a_step_is_shown_when_its_last_stage_has_run_and_in_the_jobs_order():
    progress, stream = _progress(bars=False)
    progress.plan({"s1": {"Read"}, "s2": {"Read", "Sign"}, "s3": {"Read"}, "s4": {"Write", "CountAll"}})
    progress.stage_started("s1", {"Read"}, lambda: None)
    progress.stage_finished("s1", {"Read"}, {"read:records": 1, "read:expected": 1})
    progress.stage_started("s2", {"Read", "Sign"}, lambda: None)
    progress.stage_finished("s2", {"Read", "Sign"}, {"sign:documents": 1})
    assert stream.getvalue() == ""  # Sign is done, but Read (before it) is not
    progress.stage_started("s3", {"Read"}, lambda: None)
    progress.stage_finished("s3", {"Read"}, {"read:records": 1200, "read:rejected": 3})
    progress.stage_started("s4", {"Write", "CountAll"}, lambda: None)
    progress.stage_finished("s4", {"Write", "CountAll"}, {})
    progress.close()
    lines = [line.rsplit(", done at", 1)[0] for line in stream.getvalue().splitlines()]
    assert lines == [
        "wiretrace: Read: read 1,201 records (3 rejected)",
        "wiretrace: Sign: signed 1 document",
        "wiretrace: Write: wrote the files",
    ]
    times = [float(line.rsplit("done at ", 1)[1].removesuffix(" s")) for line in stream.getvalue().splitlines()]
    assert times == sorted(times)
    assert list(progress.timings()) == ["Read", "Sign", "Write"]


def test_a_long_stage_shows_a_running_count_with_rate_and_time_left(monkeypatch):
    monkeypatch.setattr(progress_module, "TICK_SECONDS", 0.05)
    monkeypatch.setattr(progress_module, "PLAIN_SECONDS", 0.0)
    progress, stream = _progress(bars=False)
    progress.plan({"s1": {"Read", "Sign"}})
    polled = iter(
        [{"read:expected": 100, "read:records": 40}] * 3
        + [{"read:expected": 100, "read:records": 100, "sign:documents": 10}] * 100
    )
    progress.stage_started("s1", {"Read", "Sign"}, lambda: next(polled))
    deadline = time.monotonic() + 10
    while "Sign: 10 of 100 documents" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    progress.close()
    text = stream.getvalue()
    assert "wiretrace: Read: 40 of 100 records (40%), " in text and "/s, about " in text and " left" in text
    assert "wiretrace: Sign: 10 of 100 documents (10%)" in text  # the stage's next step, once reading is done


def test_a_runner_that_does_not_answer_leaves_progress_quiet(monkeypatch):
    monkeypatch.setattr(progress_module, "TICK_SECONDS", 0.02)
    monkeypatch.setattr(progress_module, "PLAIN_SECONDS", 0.0)
    progress, stream = _progress(bars=False)
    progress.plan({"s1": {"Read"}})

    def broken():
        raise RuntimeError("no such bundle")

    progress.stage_started("s1", {"Read"}, broken)
    time.sleep(0.2)
    progress.stage_finished("s1", {"Read"}, {"read:records": 2})
    progress.close()
    assert stream.getvalue().splitlines()[0].startswith("wiretrace: Read: read 2 records (0 rejected), done at ")


def test_a_terminal_gets_a_bar(monkeypatch):
    monkeypatch.setattr(progress_module, "TICK_SECONDS", 0.02)
    progress, stream = _progress(bars=True)
    progress.plan({"s1": {"Read"}})
    progress.stage_started("s1", {"Read"}, lambda: {"read:expected": 50, "read:records": 25})
    deadline = time.monotonic() + 10
    while "25/50" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    progress.close()
    assert "wiretrace: Read" in stream.getvalue() and "25/50" in stream.getvalue()


@pytest.mark.parametrize(("value", "text"), [(0, "0 records"), (1, "1 record"), (12345, "12,345 records")])
def test_counts_are_formatted_with_their_noun(value, text):
    assert progress_module._format("{read:records:,|record}", {"read:records": value}) == text
    story = progress_module._format("{s:,|story/stories}", {"s": value})
    assert story == text.replace("records", "stories").replace("record", "story")


def test_a_step_whose_next_stage_has_counted_nothing_yet_shows_no_false_rate(monkeypatch):
    """A step that runs over two stages: while the second has counted nothing, the line
    shows the step's own pace so far, or none, never "0/s, about 0s left"."""
    monkeypatch.setattr(progress_module, "TICK_SECONDS", 0.05)
    monkeypatch.setattr(progress_module, "PLAIN_SECONDS", 0.0)
    progress, stream = _progress(bars=False)
    progress.plan({"s1": {"Read", "Sign"}, "s2": {"Sign"}})
    polled = iter([{"read:expected": 100, "read:records": 100, "sign:documents": 30}] * 3 + [{}] * 1000)
    progress.stage_started("s1", {"Read", "Sign"}, lambda: next(polled))
    deadline = time.monotonic() + 10
    while "Sign: 30 of 100" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    progress.stage_finished("s1", {"Read", "Sign"}, {"read:expected": 100, "read:records": 100, "sign:documents": 60})
    progress.stage_started("s2", {"Sign"}, lambda: next(polled))
    while "Sign: 60 of 100" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    progress.close()
    later = [line for line in stream.getvalue().splitlines() if "Sign: 60 of 100" in line]
    assert later and all(", 0/s" not in line for line in later)
    assert all(", about " in line and "/s" in line for line in later)  # the step's pace since its first count
