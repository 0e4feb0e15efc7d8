"""Shared fixtures: the seeds folder and one finished run of the job on it."""

import os
from pathlib import Path

import pytest
from apache_beam.testing.test_pipeline import TestPipeline

from pipeline.cli import run

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# The data files a published run folder holds (besides summary.json and _SUCCESS).
DATA_FILES = (
    "passages.jsonl",
    "stories.jsonl",
    "templates.jsonl",
    "documents.jsonl",
    "errors.jsonl",
    "outlets.csv",
    "report.html",
)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory) -> Path:
    """The output folder of `wiretrace run --input seeds` (run once per test session)."""
    out = tmp_path_factory.mktemp("seeds") / "out"
    assert run(["run", "--input", str(SEEDS), "--output", str(out)]) == 0
    return out


# TestPipeline's name starts with "Test": tell pytest it is not a test class.
TestPipeline.__test__ = False


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by playwright (never `playwright install`).

    Without /usr/bin/chromium the browser tests skip, saying how to install it, unless
    WIRETRACE_REQUIRE_BROWSER is set (as .ci/run does): then they fail.
    """
    if not CHROMIUM.exists():
        message = "no /usr/bin/chromium: `apt-get install chromium` to run the report's browser tests"
        if os.environ.get("WIRETRACE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()
