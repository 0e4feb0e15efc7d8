"""The output folder: held by one run at a time, written in a staging folder of the
run's own, published only at the end.

    lock = OutputLock(output); lock.acquire()      # OutputError if another run holds it
    staging = prepare(output, overwrite)           # OUTPUT/_staging-<run>/, fresh
    ... the job writes into staging ...
    publish(staging, output, written, summary)     # files moved in, summary.json, _SUCCESS last
    discard(staging); lock.release()               # on any failure: nothing published

A second run into a held folder stops at once, naming the holder. A run that dies
midway leaves no half-written final file and no `_SUCCESS`; the next run into the folder
removes what it left. On a local disk the lock is the kernel's (flock): it goes with
the process that holds it, however it ends. On other filesystems (gs://, s3://) it is
a marker file, checked and written before the run, removed at its end: a run killed
there leaves its marker, which the message names.
"""

from __future__ import annotations

import datetime
import errno
import json
import os
import socket
import time

from apache_beam.io.filesystem import BeamIOError
from apache_beam.io.filesystems import FileSystems

STAGING = "_staging"  # staging folders are STAGING-<run>
SUCCESS = "_SUCCESS"
SUMMARY = "summary.json"
LOCK = ".wiretrace.lock"
OUTPUT_PATTERNS = (
    "passages*.jsonl",
    "stories*.jsonl",
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


def _local(output: str) -> bool:
    return "://" not in output


def _holder() -> str:
    started = datetime.datetime.now().astimezone().replace(microsecond=0).isoformat()
    return f"pid {os.getpid()} on {socket.gethostname()}, started {started}"


class OutputLock:
    """--output folder -> held by this run from acquire() to release(); OutputError at
    acquire() when another run holds it."""

    def __init__(self, output: str):
        self.output = output
        self.path = FileSystems.join(output, LOCK)
        self.fd: int | None = None
        self.token: str | None = None
        self.created = False  # the folder was made for this run: removed again if left empty

    def acquire(self) -> None:
        try:
            self._acquire_local() if _local(self.output) else self._acquire_marker()
        except (OSError, BeamIOError) as e:
            raise OutputError(f"--output {self.output}: cannot create or write it ({str(e).splitlines()[0]})") from e

    def _busy(self, holder: str, hint: str = "") -> OutputError:
        return OutputError(
            f"--output {self.output}: another wiretrace run is writing into it ({holder or 'holder unknown'}); "
            f"wait for it to end, or choose another folder{hint}"
        )

    def _acquire_local(self) -> None:
        import fcntl  # POSIX: the kernel drops the lock with the process, however it ends

        if os.path.exists(self.output) and not os.path.isdir(self.output):
            raise OutputError(f"--output {self.output}: is a file, not a folder")
        self.created = not os.path.exists(self.output)
        os.makedirs(self.output, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
                os.close(fd)
                raise self._busy(holder) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a file the run before this one removed as it let go
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, (_holder() + "\n").encode("utf-8"), 0)
        self.fd = fd

    def _acquire_marker(self) -> None:
        if FileSystems.exists(self.path):
            with FileSystems.open(self.path) as f:
                holder = f.read().decode("utf-8", "replace").strip()
            raise self._busy(holder, f"; if no run is writing there, delete {self.path}")
        self.token = _holder()
        with FileSystems.create(self.path) as f:
            f.write(self.token.encode("utf-8"))
        time.sleep(1.0)  # a run that wrote its marker at the same moment: the last one written stands
        with FileSystems.open(self.path) as f:
            holder = f.read().decode("utf-8", "replace").strip()
        if holder != self.token:
            self.token = None
            raise self._busy(holder)

    def release(self) -> None:
        """Lets the folder go (the lock file removed first, so that no run waits on it)."""
        if self.fd is not None:
            try:
                os.unlink(self.path)
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None
            if self.created:
                try:
                    os.rmdir(self.output)  # only if empty: a run that published nothing
                except OSError:
                    pass
        elif self.token is not None:
            try:
                FileSystems.delete([self.path])
            except (OSError, BeamIOError):
                pass
            self.token = None


def _existing(pattern: str) -> list[str]:
    return [m.path for r in FileSystems.match([pattern]) for m in r.metadata_list]


def previous_outputs(output: str) -> list[str]:
    """output folder -> the files an earlier run left there."""
    found = []
    for name in OUTPUT_PATTERNS:
        found.extend(_existing(FileSystems.join(output, name)))
    return sorted(found)


def _leftover_staging(output: str) -> list[str]:
    """-> the staging folders of earlier runs that died (this run holds the folder)."""
    if _local(output):
        if not os.path.isdir(output):
            return []
        names = [n for n in os.listdir(output) if n == STAGING or n.startswith(STAGING + "-")]
        return [os.path.join(output, n) for n in sorted(names)]
    return sorted({FileSystems.split(p)[0] for p in _existing(FileSystems.join(output, STAGING + "*", "*"))})


def prepare(output: str, overwrite: bool) -> str:
    """output folder (held: OutputLock) -> a fresh, empty staging folder of this run's own
    inside it. Refuses a folder that holds an earlier run's results unless `overwrite`;
    removes the staging folders of runs that died."""
    if _local(output) and os.path.exists(output) and not os.path.isdir(output):
        raise OutputError(f"--output {output}: is a file, not a folder")
    try:
        old = previous_outputs(output)
        if old and not overwrite:
            finished = any(FileSystems.split(path)[1] == SUCCESS for path in old)
            which = "an earlier run" if finished else "an earlier run that did not finish (no _SUCCESS)"
            raise OutputError(f"--output {output}: holds the results of {which}; pass --overwrite to replace them")
        for leftover in _leftover_staging(output):
            FileSystems.delete([leftover])
        staging = FileSystems.join(output, f"{STAGING}-{os.getpid()}-{time.time_ns():x}")
        FileSystems.mkdirs(staging)
    except (OSError, BeamIOError) as e:
        raise OutputError(f"--output {output}: cannot create or write it ({str(e).splitlines()[0]})") from e
    return staging


def discard(staging: str | None) -> None:
    """Removes a staging folder and all in it, if it is there (a failed or stopped run)."""
    if not staging:
        return
    try:
        if FileSystems.exists(staging):
            FileSystems.delete([staging])
    except (OSError, BeamIOError):
        pass


def disk_full(error: BaseException) -> bool:
    """an exception -> whether it says a disk was full (ENOSPC, or a quota exceeded), in
    itself, in its causes, or in the text of a worker's error that a runner passed on."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(error)
        if "No space left on device" in text or "[Errno 28]" in text or "Disk quota exceeded" in text:
            return True
        error = error.__cause__ or error.__context__
    return False


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
