"""The passage index across runs: which earlier index files a run reads (--history),
what its own index file is called, and publishing it into --index DIR."""

from __future__ import annotations

import xxhash
from apache_beam.io.filesystems import FileSystems

from pipeline.build import INDEX_DIR
from pipeline.inputs import InputError
from transforms.history import INDEX_NAME


def run_name(date: str | None, files: list[str]) -> str:
    """the run's --date, else a digest of its input files: a rerun of the same day (or the
    same inputs) replaces its own index file and never reads it as history."""
    if date:
        return date
    return "inputs-" + xxhash.xxh64("\n".join(sorted(files)).encode("utf-8")).hexdigest()


def history_files(folders: list[str], run: str, index: str | None = None) -> list[str]:
    """--history folders -> their index files, less this run's own; InputError for a folder
    that does not exist, unless it is this run's --index folder (the first day of
    `--index idx --history idx`); an existing empty one is a first day too."""
    found = []
    own = INDEX_NAME.format(run=run)
    for folder in folders:
        if not FileSystems.exists(folder):
            if index and folder.rstrip("/") == index.rstrip("/"):
                continue
            raise InputError(f"--history {folder}: no such folder")
        pattern = FileSystems.join(folder, INDEX_NAME.format(run="*"))
        for result in FileSystems.match([pattern]):
            found += [m.path for m in result.metadata_list if FileSystems.split(m.path)[1] != own]
    return sorted(set(found))


def publish_index(staging: str, index: str, run: str) -> str:
    """the staged index file -> moved into `index` (replacing the same run's), its path."""
    name = INDEX_NAME.format(run=run)
    target = FileSystems.join(index, name)
    if not FileSystems.exists(index):
        FileSystems.mkdirs(index)
    if FileSystems.exists(target):
        FileSystems.delete([target])
    FileSystems.rename([FileSystems.join(staging, INDEX_DIR, name)], [target])
    return target
