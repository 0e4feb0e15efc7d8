"""What a user sees while a local run goes: a line per step of the job as it finishes
(its name, what it made, and when it finished, in seconds from the run's start) and,
while a long step runs, a running count with its rate and the time left.

    progress = Progress(sys.stderr)
    runner = ReportingRunner(progress, provision_info=...)   # pipeline.runner
    ... the job runs ...
    progress.timings()  -> {step: seconds from the start to its end}, for summary.json

The local runner (Beam's FnApiRunner) runs the job as fused stages, each over the
transforms of one or more steps (the labels of pipeline.build's table of contents). A
step is finished when the last stage holding one of its transforms has run. Counts
come from the job's own counters: those of finished stages from their results, those of
the running stage from the runner's progress requests, the channel Beam has for that.
On a terminal the running count is a tqdm bar; otherwise a plain line every
PLAIN_SECONDS. Progress never fails a run: if the runner does not answer, it goes quiet.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass

TICK_SECONDS = 1.0  # how often the running stage's counters are asked for
PLAIN_SECONDS = 10.0  # a plain progress line at most this often (not a terminal)


@dataclass(frozen=True)
class Step:
    """How a step of the job is shown: `done` is a line's text, formatted with the job's
    counters (as `c["read:records"]`); a running count of counter `live` out of the sum
    of counters `total`, in `unit`s, while it runs."""

    done: str
    live: str | None = None
    total: tuple[str, ...] = ()
    unit: str = ""


# The steps shown, in the job's order; {counter:spec|noun} is a count and its noun
# (noun/plural where the plural is not the noun and an s).
STEPS = {
    "ReadDocuments": Step(
        "read {read:records:,|record} ({read:rejected:,} rejected)", "read:records", ("read:expected",), "records"
    ),
    "PageFurniture": Step("{furniture:keys:,|shape and frame/shapes and frames} of page furniture"),
    "Signatures": Step(
        "signed {signatures:windows:,|sentence window} of {signatures:signed:,|paragraph}, "
        "{filtered:page_furniture:,|line} of page furniture left out",
        "signatures:documents",
        ("read:records",),
        "documents",
    ),
    "GroupByBand": Step("{lsh:candidate_pairs:,|candidate paragraph pair}"),
    "Verify": Step(
        "{verify:verified:,|pair} verified, {verify:rejected:,} rejected",
        "verify:aligned",
        ("lsh:candidate_pairs",),
        "pairs",
    ),
    "Cluster": Step("{cluster:passages:,|passage} in {cluster:clusters:,|cluster}"),
    "Rewordings": Step(
        "{reword:members:,|reworded sentence} in {reword:candidate_pairs:,|candidate pair}",
        "reword:pairs_done",
        ("reword:candidate_pairs",),
        "pairs",
    ),
    "Stories": Step("{stories:stories:,|story/stories}, {stories:members:,|member}"),
    "Provenance": Step(
        "mapped {provenance:documents:,|document}", "provenance:documents", ("read:records",), "documents"
    ),
    "WriteOutputs": Step("wrote the data files"),
}
# Counters made of others, for the lines above.
DERIVED = {"verify:aligned": ("verify:verified", "verify:rejected")}


class _Counts(dict):
    """counter name -> value, 0 for a counter never incremented."""

    def __missing__(self, key):
        return sum(self[k] for k in DERIVED[key]) if key in DERIVED else 0


def _format(text: str, counts: dict) -> str:
    """ "read {read:records:,|record}" -> "read 2,000 records": {name:spec} fields (names
    hold colons), each with the noun it counts after a bar (and its plural after a
    slash, if not the noun and an s), plural but for one."""
    out, rest = [], text
    while "{" in rest:
        before, _, rest = rest.partition("{")
        field, _, rest = rest.partition("}")
        field, _, noun = field.partition("|")
        name, _, spec = field.rpartition(":")
        value = counts[name]
        one, _, many = noun.partition("/")
        out.append(before + format(value, spec) + (f" {one if value == 1 else many or one + 's'}" if noun else ""))
    return "".join(out) + rest


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Told of the job's stages as they start and end (ReportingRunner), prints STEPS'
    lines to `stream`; `bars`: tqdm bars for running counts (default: when `stream` is a
    terminal)."""

    def __init__(self, stream=None, bars: bool | None = None, steps: dict | None = None):
        self.stream = stream or sys.stderr
        self.bars = self.stream.isatty() if bars is None else bars
        self.steps = STEPS if steps is None else steps
        self.counts = _Counts()
        self.remaining: dict[str, set[str]] = {}  # step -> stages still to run
        self.finished: dict[str, float] = {}  # step -> its seconds
        self.printed: set[str] = set()
        self.shown_at = 0.0
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.running: tuple | None = None  # (stage, steps, poll) of the stage running
        self.bar = None
        self.last_line = 0.0
        self.first_seen: dict[str, tuple[float, int]] = {}  # step -> (when, its count) at its first running count
        self.stop = threading.Event()
        self.ticker: threading.Thread | None = None

    # -- told by the runner --------------------------------------------------------

    def plan(self, stage_steps: dict[str, set[str]]) -> None:
        """{stage name: the steps it holds transforms of}, for every stage of the job."""
        for stage, steps in stage_steps.items():
            for step in steps:
                self.remaining.setdefault(step, set()).add(stage)
        if self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, name="wiretrace-progress", daemon=True)
            self.ticker.start()

    def stage_started(self, stage: str, steps: set[str], poll) -> None:
        """a stage starts; `poll()` -> its counters so far ({name: value}), or None."""
        with self.lock:
            self.running = (stage, steps, poll, time.monotonic())

    def stage_finished(self, stage: str, steps: set[str], counters: dict) -> None:
        """a stage has run; `counters`: the counters its bundle reported ({name: value})."""
        now = time.monotonic()
        with self.lock:
            self.running = None
            self._close_bar()
            for name, value in counters.items():
                self.counts[name] = self.counts.get(name, 0) + value
            for step in steps:
                left = self.remaining.get(step, set())
                left.discard(stage)
                if not left and step in self.steps:
                    self.finished[step] = now - self.started
            self._print_finished()

    def _print_finished(self) -> None:
        """Prints the finished steps' lines in the job's order: a step's line waits for
        those of the steps before it (fused stages finish some steps together)."""
        for step in self.steps:
            if step not in self.remaining or step in self.printed:
                continue
            if step not in self.finished:
                return
            self.printed.add(step)
            self.shown_at = max(self.shown_at, self.finished[step])  # in order: no step ends before the one above
            self._print(f"{step}: {_format(self.steps[step].done, self.counts)}, done at {self.shown_at:.1f} s")

    def note(self, line: str) -> None:
        """a line about the run's work after the job's steps (the report)."""
        with self.lock:
            self._print(f"{line}, done at {time.monotonic() - self.started:.1f} s")

    def close(self) -> None:
        self.stop.set()
        with self.lock:
            self._close_bar()

    def timings(self) -> dict[str, float]:
        """-> {step: seconds from the run's start to the step's end}, for the steps shown, in order."""
        return {step: round(self.finished[step], 3) for step in self.steps if step in self.finished}

    # -- the running count ---------------------------------------------------------

    def _tick(self) -> None:
        while not self.stop.wait(TICK_SECONDS):
            with self.lock:
                running = self.running
            if running is None:
                continue
            stage, steps, poll, started = running
            live = [s for s in self.steps if s in steps and self.steps[s].live]
            if not live:
                continue
            try:
                now_counts = poll()
            except Exception:  # noqa: BLE001 - a runner that does not answer: no running count
                now_counts = None
            if now_counts is None:
                continue
            with self.lock:
                if self.running is running:
                    self._show(self._current(live, now_counts), now_counts, time.monotonic() - started)

    def _current(self, live: list[str], stage_counts: dict) -> str:
        """the steps of the running stage that have running counts, in the job's order ->
        the first one not yet at its total (a fused stage reads, then signs)."""
        counts = self._with(stage_counts)
        for name in live:
            step = self.steps[name]
            if counts[step.live] < sum(counts[t] for t in step.total):
                return name
        return live[-1]

    def _with(self, stage_counts: dict) -> _Counts:
        counts = _Counts(self.counts)
        for key, value in stage_counts.items():
            counts[key] = counts.get(key, 0) + value
        return counts

    def _show(self, name: str, stage_counts: dict, elapsed: float) -> None:
        """a running count of step `name`: the job's counters and the running stage's
        (`stage_counts`, over its `elapsed` seconds so far)."""
        step = self.steps[name]
        counts = self._with(stage_counts)
        done, total = counts[step.live], sum(counts[t] for t in step.total)
        if self.bars:
            self._bar(name, step, done, total)
            return
        if time.monotonic() - self.last_line < PLAIN_SECONDS or not done:
            return
        rate = (done - self.counts[step.live]) / elapsed if elapsed > 0 else 0.0  # this stage's pace
        now = time.monotonic()
        since, then = self.first_seen.setdefault(name, (now - elapsed, self.counts[step.live]))
        if not rate and now > since:  # the stage has counted nothing yet: the step's pace so far
            rate = (done - then) / (now - since)
        line = f"{name}: {done:,}"
        if total >= done and total:
            line += f" of {total:,} {step.unit} ({100 * done / total:.0f}%)"
            if rate:
                line += f", {rate:,.0f}/s, about {_clock((total - done) / rate)} left"
        else:
            line += f" {step.unit}" + (f", {rate:,.0f}/s" if rate else "")
        self._print(line)

    def _bar(self, name: str, step: Step, done: int, total: int) -> None:
        from tqdm import tqdm  # a terminal's bars only

        if self.bar is None:
            self.bar = tqdm(
                total=total or None, desc=f"wiretrace: {name}", unit=f" {step.unit}", file=self.stream, leave=False
            )
        if total and total != self.bar.total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _print(self, line: str) -> None:
        self.last_line = time.monotonic()
        print(f"wiretrace: {line}", file=self.stream, flush=True)
