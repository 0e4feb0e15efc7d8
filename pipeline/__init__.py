"""wiretrace's assembly: options, configuration, the CLI and the pipeline's table of contents."""

import logging as _logging

__version__ = "0.1.0"
FORMAT_VERSION = "2.0"


class _ImportNoise(_logging.Filter):
    """Drops the one warning Beam logs while it is imported when Google Cloud's optional
    BigQuery client is not installed ("apitools not found ..."): nothing a user of
    wiretrace can act on."""

    def filter(self, record: _logging.LogRecord) -> bool:
        return "apitools not found" not in record.getMessage()


def _import_beam_quietly() -> None:
    """Imports apache_beam with its import-time warning dropped, and without that warning
    configuring the root logger (logging.warning would add a stderr handler to it)."""
    root = _logging.getLogger()
    noise, placeholder = _ImportNoise(), _logging.NullHandler()
    root.addFilter(noise)
    root.addHandler(placeholder)
    try:
        import apache_beam  # noqa: F401
    finally:
        root.removeHandler(placeholder)
        root.removeFilter(noise)


_import_beam_quietly()
