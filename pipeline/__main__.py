"""`python -m pipeline ARGS` is `wiretrace ARGS`."""

from pipeline.cli import main

main()
