"""The passage index across runs: which earlier index files a run reads (--history),
what its own index file is called, and publishing it into --index DIR."""

from __future__ import annotations

import os
import re

import xxhash
from apache_beam.io.filesystems import FileSystems

from pipeline.build import INDEX_DIR
from pipeline.inputs import InputError
from transforms.history import INDEX_NAME

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def run_name(date: str | None, files: list[str]) -> str:
    """the run's --date, else a digest of its input files (paths, sizes, modification
    times): a rerun of the same day (or of the same unchanged files) replaces its own
    index file and never reads it as history, while a feed file rewritten each day is a
    new run."""
    if date:
        return date
    facts = []
    for result in FileSystems.match(sorted(files)):
        facts += [f"{m.path}\x1f{m.size_in_bytes}\x1f{m.last_updated_in_seconds}" for m in result.metadata_list]
    return "inputs-" + xxhash.xxh64("\n".join(sorted(facts)).encode("utf-8")).hexdigest()


def _earlier(name: str, run: str) -> bool:
    """index file name, this run's name -> whether a dated run reads it: only earlier
    days, so that rerunning a day after later days ran gives the same result."""
    other = name[len("members-") : -len(".parquet")]
    return not _DAY.fullmatch(run) or (_DAY.fullmatch(other) is not None and other < run)


def history_files(folders: list[str], run: str, index: str | None = None) -> list[str]:
    """--history folders -> their index files of earlier runs (a dated run reads earlier
    days only; an undated one every other run); InputError for a folder that does not
    exist, unless it is this run's --index folder (the first day of
    `--index idx --history idx`); an existing empty one is a first day too."""
    found = []
    own = INDEX_NAME.format(run=run)
    for folder in folders:
        if not FileSystems.exists(folder):
            if index and _same_place(folder, index):
                continue
            raise InputError(f"--history {folder}: no such folder")
        if "://" not in folder and not os.path.isdir(folder):
            raise InputError(f"--history {folder}: not a folder (the --index folder of earlier runs)")
        pattern = FileSystems.join(folder, INDEX_NAME.format(run="*"))
        for result in FileSystems.match([pattern]):
            for m in result.metadata_list:
                name = FileSystems.split(m.path)[1]
                if name != own and _earlier(name, run):
                    found.append(m.path)
    return sorted(set(found))


def _same_place(a: str, b: str) -> bool:
    if "://" in a or "://" in b:
        return a.rstrip("/") == b.rstrip("/")
    return os.path.abspath(a) == os.path.abspath(b)


def publish_index(staging: str, index: str, run: str) -> str:
    """the staged index file -> moved into `index` (replacing the same run's), its path."""
    name = INDEX_NAME.format(run=run)
    target = FileSystems.join(index, name)
    if not FileSystems.exists(index):
        FileSystems.mkdirs(index)
    if FileSystems.exists(target):
        FileSystems.delete([target])
    # Copied, not renamed: the index folder may be on another filesystem than the output.
    staged = FileSystems.join(staging, INDEX_DIR, name)
    FileSystems.copy([staged], [target])
    FileSystems.delete([staged])
    return target
