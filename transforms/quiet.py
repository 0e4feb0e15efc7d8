"""Importing Apache Beam without its import-time noise.

    import_beam_quietly()   imports apache_beam, dropping the one warning it logs when
                            Google Cloud's optional BigQuery client is not installed

Called by the packages that import Beam first (pipeline, report), in the job's process
and in any worker process that reads the run's files.
"""

from __future__ import annotations

import logging


class _ImportNoise(logging.Filter):
    """Drops "apitools not found ...": nothing a user of wiretrace can act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "apitools not found" not in record.getMessage()


def import_beam_quietly() -> None:
    """Imports apache_beam with its import-time warning dropped, and without that warning
    configuring the root logger (logging.warning would add a stderr handler to it)."""
    root = logging.getLogger()
    noise, placeholder = _ImportNoise(), logging.NullHandler()
    root.addFilter(noise)
    root.addHandler(placeholder)
    try:
        import apache_beam  # noqa: F401
    finally:
        root.removeHandler(placeholder)
        root.removeFilter(noise)
