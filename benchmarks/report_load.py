"""How fast report.html opens in a real browser (Debian's chromium), for a run with many passages.

    python -m benchmarks.report_load --docs 9000            # generate, run the job, time the page
    python -m benchmarks.report_load --docs 9000 --output OUT   # the same, keeping the run in OUT;
                                                                # a finished run in OUT is reused

Prints the report's size, how long `wiretrace report` took to build it, and, over
`--repeat` fresh page loads: the time to the `load` event and to the page being drawn
and usable (the passage and article lists filled; "page open" is the later of the two),
then the time to filter the passage list by text (from the keystroke, through the page's
120 ms debounce, to the new count shown) and to open an article. The goal: open in under
2 s with 10,000 passages.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import generate
from pipeline.cli import run
from report.render import write_report

CHROMIUM = "/usr/bin/chromium"


def _run_job(docs: int, seed: int, workdir: Path, out: Path) -> Path:
    if (out / "_SUCCESS").exists():
        return out
    rows, _ = generate(docs, seed)
    corpus = workdir / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    args = ["run", "--input", str(corpus), "--output", str(out), "--overwrite"]
    assert run(args + ["--set", "report_max_passages=100000"]) == 0
    return out


def _time_page(browser, path: Path) -> dict:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri(), wait_until="load", timeout=60_000)
    page.wait_for_selector("html[data-ready=true]", timeout=60_000)
    timing = page.evaluate(
        "() => ({load: performance.getEntriesByType('navigation')[0].loadEventEnd, ready: window.wiretraceReadyAt})"
    )
    page.click("nav.tabs button[data-tab=passages]")
    before = page.inner_text("#passage-count")
    started = time.perf_counter()
    page.fill("#filter-text", "minister")
    expect(page.locator("#passage-count")).not_to_have_text(before, timeout=60_000)
    timing["filter"] = (time.perf_counter() - started) * 1000
    page.click("nav.tabs button[data-tab=articles]")
    started = time.perf_counter()
    page.click("#article-list > li:first-child button.row")
    page.locator("#article-view mark").first.wait_for()
    timing["article"] = (time.perf_counter() - started) * 1000
    page.close()
    if errors:
        raise SystemExit(f"the page raised: {errors[0]}")
    return timing


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=9000, help="documents to generate (about 1.2 passages each)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, help="the run's folder: kept, and reused if it holds a finished run")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = _run_job(args.docs, args.seed, Path(tmp), args.output or Path(tmp) / "out")
        started = time.perf_counter()
        path = Path(write_report(str(out), max_passages=10**7))
        built = time.perf_counter() - started
        passages = sum(1 for p in out.glob("passages*.jsonl") for _ in p.open(encoding="utf-8"))
        documents = sum(1 for p in out.glob("documents*.jsonl") for _ in p.open(encoding="utf-8"))
        size = path.stat().st_size / 1e6
        print(f"report: {passages:,} passages, {documents:,} documents, {size:.1f} MB, built in {built:.1f} s")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            timings = [_time_page(browser, path) for _ in range(args.repeat)]
            browser.close()
    for t in timings:
        t["open"] = max(t["load"], t["ready"])
    for name, what in (
        ("open", "page open"),
        ("load", "load event"),
        ("ready", "drawn and usable"),
        ("filter", "text filter"),
        ("article", "open an article"),
    ):
        values = [t[name] for t in timings]
        print(f"{what:>17}: median {statistics.median(values):7.0f} ms   max {max(values):7.0f} ms   (n={len(values)})")


if __name__ == "__main__":
    main()
