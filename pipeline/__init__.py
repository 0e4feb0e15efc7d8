"""wiretrace's assembly: options, configuration, the CLI and the pipeline's table of contents."""

from transforms.quiet import import_beam_quietly as _import_beam_quietly

__version__ = "0.1.0"
FORMAT_VERSION = "2.0"

_import_beam_quietly()
