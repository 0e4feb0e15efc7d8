"""The output folder: a staging folder while the job runs, published only at the end.

A run writes into OUTPUT/_staging/; when the pipeline has finished, the files are
moved into OUTPUT, summary.json is written, and `_SUCCESS` comes last. A run that
dies midway leaves no half-written final file and no `_SUCCESS`.
"""

from __future__ import annotations

import json
import os

from apache_beam.io.filesystem import BeamIOError
from apache_beam.io.filesystems import FileSystems

STAGING = "_staging"
SUCCESS = "_SUCCESS"
SUMMARY = "summary.json"
OUTPUT_PATTERNS = (
    "passages*.jsonl",
    "templates*.jsonl",
    "documents*.jsonl",
    "errors*.jsonl",
    "outlets.csv",
    "report.html",
    SUMMARY,
    SUCCESS,
)


class OutputError(ValueError):
    """An output folder that cannot be written as asked."""


def _existing(pattern: str) -> list[str]:
    return [m.path for r in FileSystems.match([pattern]) for m in r.metadata_list]


def previous_outputs(output: str) -> list[str]:
    """output folder -> the files an earlier run left there."""
    found = []
    for name in OUTPUT_PATTERNS:
        found.extend(_existing(FileSystems.join(output, name)))
    return sorted(found)


def prepare(output: str, overwrite: bool) -> str:
    """output folder -> a fresh, empty staging folder inside it.

    Refuses a folder that holds an earlier run's results unless `overwrite`.
    """
    if "://" not in output and os.path.exists(output) and not os.path.isdir(output):
        raise OutputError(f"--output {output}: is a file, not a folder")
    try:
        old = previous_outputs(output)
        if old and not overwrite:
            finished = any(FileSystems.split(path)[1] == SUCCESS for path in old)
            which = "an earlier run" if finished else "an earlier run that did not finish (no _SUCCESS)"
            raise OutputError(f"--output {output}: holds the results of {which}; pass --overwrite to replace them")
        staging = FileSystems.join(output, STAGING)
        if FileSystems.exists(staging):
            FileSystems.delete([staging])
        FileSystems.mkdirs(staging)
    except (OSError, BeamIOError) as e:
        raise OutputError(f"--output {output}: cannot create or write it ({str(e).splitlines()[0]})") from e
    return staging


def publish(staging: str, output: str, written: list[str], summary: dict) -> list[str]:
    """staged files -> moved into `output` (earlier results removed), then summary.json, then _SUCCESS.

    An earlier run's _SUCCESS goes first, before any other file is deleted or moved: a run
    killed while publishing leaves a folder without _SUCCESS, never an old _SUCCESS beside
    a mix of old and new files.
    """
    success = FileSystems.join(output, SUCCESS)
    if FileSystems.exists(success):
        FileSystems.delete([success])
    old = previous_outputs(output)
    if old:
        FileSystems.delete(old)
    names = sorted(FileSystems.split(path)[1] for path in written)
    FileSystems.rename([FileSystems.join(staging, n) for n in names], [FileSystems.join(output, n) for n in names])
    with FileSystems.create(FileSystems.join(output, SUMMARY), mime_type="application/json") as f:
        f.write((json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
    FileSystems.delete([staging])
    with FileSystems.create(success) as f:
        f.write(b"")
    return names + [SUMMARY, SUCCESS]
