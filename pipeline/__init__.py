"""wiretrace's assembly: options, configuration, the CLI and the pipeline's table of contents."""

__version__ = "0.1.0"
FORMAT_VERSION = "1.0"
