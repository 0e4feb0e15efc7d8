"""--input values -> the sorted list of files to read, checked before any work starts."""

from __future__ import annotations

import glob
import os

from apache_beam.io.filesystems import FileSystems

from transforms.readers import SUPPORTED_EXTENSIONS, input_format

_GLOB_CHARS = "*?["


class InputError(ValueError):
    """An --input value that names nothing readable."""


def _match(pattern: str) -> list[str]:
    try:
        results = FileSystems.match([pattern])
    except Exception as e:  # Beam wraps every filesystem failure in BeamIOError
        raise InputError(f"--input {pattern}: cannot list it ({e})") from e
    return [m.path for r in results for m in r.metadata_list]


def _folder_files(folder: str, forced: str | None) -> list[str]:
    """a folder -> its files in a supported format (.txt, .jsonl, ..., and those with .gz);
    with a format given (--format), every file but hidden ones and markers (`.x`, `_x`)."""
    found = _match(FileSystems.join(folder.rstrip("/"), "*"))
    if forced:
        return [p for p in found if not FileSystems.split(p)[1].startswith((".", "_"))]
    return [p for p in found if input_format(p) is not None]


def _recursive(pattern: str) -> list[str]:
    """a local glob with `**` (any depth of folders) -> the files it names."""
    return sorted(p for p in glob.glob(pattern, recursive=True) if not os.path.isdir(p))


def _check_readable(value: str, path: str) -> None:
    """a local file an --input value names -> nothing, or InputError saying why it cannot be read."""
    if not os.path.isfile(path):  # a FIFO would block the reader, a device never ends
        raise InputError(f"--input {value}: cannot read {path} (not a regular file)")
    try:
        with open(path, "rb"):
            pass
    except OSError as e:
        raise InputError(f"--input {value}: cannot read {path} ({e.strerror or e})") from e


def expand_inputs(values: list[str], forced: str | None = None) -> list[str]:
    """--input values (files, folders, globs, any Beam filesystem) -> sorted unique file paths.

    A folder (not its subfolders) contributes its files with a supported extension, also
    when a glob names it; `**` in a local glob reaches into folders at any depth (where
    a folder's subfolders are wanted); a file or a glob contributes every file it names, so that an
    unsupported file becomes an error row rather than vanishing. Local paths are made
    absolute, so one file is read once however it is spelled. A value that names no
    file, or a local file that cannot be opened (or is no regular file), raises InputError.
    """
    files: set[str] = set()
    for value in values:
        local = "://" not in value
        path = os.path.normpath(os.path.abspath(value)) if local else value
        if (local and os.path.isdir(path)) or value.endswith("/"):
            found = _folder_files(path, forced)
            if not found:
                names = ", ".join(SUPPORTED_EXTENSIONS)
                raise InputError(
                    f"--input {value}: no input files ({names}, or those with .gz) in the folder; its subfolders "
                    f"are not read: give them too, or a glob such as '{value.rstrip('/')}/**/*.jsonl'"
                )
        else:
            found = _recursive(path) if local and "**" in value else _match(path)
            if local:
                for folder in sorted(d for d in glob.glob(path) if os.path.isdir(d)):
                    found += _folder_files(folder, forced)
            if not found:
                what = "matches no files" if any(c in value for c in _GLOB_CHARS) else "no such file"
                raise InputError(f"--input {value}: {what}")
        if local:
            for p in found:
                _check_readable(value, p)
        files.update(found)
    return sorted(files)
