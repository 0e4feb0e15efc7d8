"""--input values -> the sorted list of files to read, checked before any work starts."""

from __future__ import annotations

import os

from apache_beam.io.filesystems import FileSystems

from transforms.readers import SUPPORTED_EXTENSIONS

_GLOB_CHARS = "*?["


class InputError(ValueError):
    """An --input value that names nothing readable."""


def _is_local_dir(path: str) -> bool:
    return "://" not in path and os.path.isdir(path)


def _match(pattern: str) -> list[str]:
    try:
        results = FileSystems.match([pattern])
    except Exception as e:  # Beam wraps every filesystem failure in BeamIOError
        raise InputError(f"--input {pattern}: cannot list it ({e})") from e
    return [m.path for r in results for m in r.metadata_list]


def expand_inputs(values: list[str]) -> list[str]:
    """--input values (files, folders, globs, any Beam filesystem) -> sorted unique file paths.

    A folder contributes its files with a supported extension; a file or a glob
    contributes every file it names, so that an unsupported file becomes an error
    row rather than vanishing. A value that names no file raises InputError.
    """
    files: set[str] = set()
    for value in values:
        if _is_local_dir(value) or value.endswith("/"):
            found = [
                p for p in _match(FileSystems.join(value.rstrip("/"), "*")) if p.lower().endswith(SUPPORTED_EXTENSIONS)
            ]
            if not found:
                kinds = ", ".join(SUPPORTED_EXTENSIONS)
                raise InputError(f"--input {value}: the folder has no input files ({kinds})")
        else:
            found = _match(value)
            if not found:
                what = "matches no files" if any(c in value for c in _GLOB_CHARS) else "no such file"
                raise InputError(f"--input {value}: {what}")
            if "://" not in value:
                unreadable = [p for p in found if not os.access(p, os.R_OK)]
                if unreadable:
                    raise InputError(f"--input {value}: cannot read {unreadable[0]} (permission denied)")
        files.update(found)
    return sorted(files)
