"""Shared fixtures: the seeds folder and one finished run of the job on it."""

from pathlib import Path

import pytest
from apache_beam.testing.test_pipeline import TestPipeline

from pipeline.cli import run

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


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
