"""The `wiretrace` command: parse and check everything, then build, run and publish.

    wiretrace run --input PATH... --output DIR [--config FILE] [--set key=value ...]
                  [--overwrite] [Beam pipeline options: --runner, --direct_num_workers, ...]
    wiretrace report OUTPUT_DIR [--max-passages N]

Exit status: 0 done; 2 a bad flag, config value, input or output folder (one line
on stderr naming it, before any work starts); 1 the pipeline itself failed, or the runner
lost data between stages (pipeline.job.lost_data: nothing is published then).
A run whose data files are written but whose report.html could not be built says so
on stderr, records it in summary.json (`report`), and still exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import re
import sys

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions, WorkerOptions
from apache_beam.runners.runner import create_runner

from pipeline import __version__
from pipeline.config import Config, ConfigError, load_config
from pipeline.history import history_files, run_name
from pipeline.inputs import InputError, expand_inputs
from pipeline.job import DataLossError, execute
from pipeline.publish import OutputError
from pipeline.runner import DEFAULT_RUNNER, is_direct
from report.load import ReportError
from report.render import REPORT, write_report
from transforms.readers import FORMATS


class UsageError(Exception):
    """A bad command line; becomes one line on stderr and exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and a UsageError, not a usage dump."""

    def error(self, message):
        raise UsageError(message)


def _beam_parser() -> argparse.ArgumentParser:
    """A parser that knows every option of every Beam PipelineOptions class."""
    parser = _Parser(prog="wiretrace run", add_help=False, allow_abbrev=False)
    seen = {}
    for cls in PipelineOptions.__subclasses__():
        seen.setdefault(cls.__name__, cls)
    for cls in seen.values():
        try:
            cls._add_argparse_args(parser)  # the documented way options classes declare flags
        except argparse.ArgumentError:
            continue  # an option declared twice by two classes: the first one stands
    return parser


def check_beam_args(args: list[str]) -> None:
    """Beam pipeline options -> nothing, or UsageError naming the first unknown or bad one."""
    _, unknown = _beam_parser().parse_known_args(args)
    if unknown:
        raise UsageError(f"unrecognized option: {unknown[0]} (not a wiretrace option nor a Beam pipeline option)")


def _command_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wiretrace", allow_abbrev=False, description="Trace reused news-wire copy across outlets (Apache Beam)."
    )
    parser.add_argument("--version", action="version", version=f"wiretrace {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser(
        "run",
        allow_abbrev=False,
        help="read articles and write provenance maps",
        description="Read articles, find the passages two or more of them share, and write provenance maps.",
        epilog=(
            "Any Beam pipeline option passes through, e.g. --runner DirectRunner (the default: "
            "one process), --runner FlinkRunner --flink_master HOST:PORT, "
            "--runner PortableRunner --job_endpoint localhost:8099. "
            "`wiretrace run --beam-help` lists them all."
        ),
    )
    run.add_argument(
        "--input",
        nargs="+",
        action="extend",
        metavar="PATH",
        default=[],
        help=(
            "input files, folders or globs: .txt (one article per file), .jsonl (one per line), .csv/.tsv "
            "(one per row), .html (one page), .warc (HTML responses); any of them gzipped; repeatable"
        ),
    )
    run.add_argument(
        "--format",
        choices=FORMATS,
        help="read every input file as this format (default: by extension: .txt, .jsonl, .csv/.tsv, .html, .warc)",
    )
    run.add_argument("--output", metavar="DIR", help="folder for the provenance map (created if missing)")
    run.add_argument(
        "--config", metavar="FILE", help="YAML config file (default: the built-in defaults, configs/default.yaml)"
    )
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one config key, e.g. --set min_shared_words=12; repeatable",
    )
    run.add_argument("--overwrite", action="store_true", help="replace the results of an earlier run in --output")
    run.add_argument(
        "--index",
        metavar="DIR",
        help="write this run's passage index (Parquet) into DIR, for later runs' --history",
    )
    run.add_argument(
        "--history",
        action="append",
        default=[],
        metavar="DIR",
        help="also match against the passage indexes earlier runs wrote into DIR (no article re-read); repeatable",
    )
    run.add_argument(
        "--date",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the day of a scheduled run: fills {date} in --input and --output paths",
    )
    run.add_argument("--beam-help", action="store_true", help="list every Beam pipeline option and exit")
    report = sub.add_parser(
        "report",
        allow_abbrev=False,
        help="rebuild report.html from a run's output folder",
        description="Rebuild OUTPUT_DIR/report.html from the data files of a finished run (no article is re-read).",
    )
    report.add_argument("folder", metavar="OUTPUT_DIR", help="the --output folder of a finished run")
    report.add_argument(
        "--max-passages",
        type=_count,
        metavar="N",
        help="passages to hold in the report, the most widely carried first (default: the run's report_max_passages)",
    )
    return parser


def _day(text: str) -> str:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return datetime.datetime.strptime(text, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}") from None


def _dated(args: argparse.Namespace) -> None:
    """{date} in --input and --output -> the --date given; UsageError if a path asks for a date and none is given."""
    paths = [("--input", v) for v in args.input] + [("--output", args.output)]
    paths += [("--index", args.index)] * bool(args.index) + [("--history", h) for h in args.history]
    for flag, value in paths:
        if "{date}" in value and not args.date:
            raise UsageError(f"{flag} {value}: holds {{date}}; pass --date YYYY-MM-DD")
    if args.date:
        args.input = [v.replace("{date}", args.date) for v in args.input]
        args.output = args.output.replace("{date}", args.date)
        args.index = args.index and args.index.replace("{date}", args.date)
        args.history = [h.replace("{date}", args.date) for h in args.history]


def _count(text: str) -> int:
    value = int(text) if text.strip().isdigit() else -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def parse(argv: list[str]) -> tuple[argparse.Namespace, Config, list[str], PipelineOptions]:
    """command line -> (arguments, config, input files, Beam options); UsageError/ConfigError on any problem."""
    args, beam_args = _command_parser().parse_known_args(argv)
    if args.command == "report":
        if beam_args:
            raise UsageError(f"unrecognized arguments: {' '.join(beam_args)}")
        return args, Config(), [], PipelineOptions([])
    if args.beam_help:
        return args, Config(), [], PipelineOptions([])
    if not args.input:
        raise UsageError("the following arguments are required: --input")
    if not args.output:
        raise UsageError("the following arguments are required: --output")
    check_beam_args(beam_args)
    _dated(args)
    config = load_config(args.config, args.overrides)
    files = expand_inputs(args.input, args.format)
    args.run_name = run_name(args.date, files)
    args.history_files = history_files(args.history, args.run_name, args.index)
    options = PipelineOptions(beam_args)
    standard = options.view_as(StandardOptions)
    if not standard.runner:
        standard.runner = DEFAULT_RUNNER
    try:
        create_runner(standard.runner)
    except (ValueError, ImportError) as e:
        raise UsageError(f"--runner {standard.runner}: not a Beam runner ({str(e).splitlines()[0]})") from e
    for warning in _local_settings(options, beam_args):
        print(f"wiretrace: warning: {warning}", file=sys.stderr)
    return args, config, files, options


def _local_settings(options: PipelineOptions, beam_args: list[str]) -> list[str]:
    """Beam options as parsed -> the warnings to print about them. The DirectRunner runs
    the job in one process (Beam's `in_memory` mode) unless told otherwise.

    Two worker processes (`--direct_num_workers 2 --direct_running_mode multi_processing`)
    were about 1.2x faster at 100,000 documents but lost elements between stages in seven
    of eleven such runs on Beam 2.77 (README, "Limits today"); the run then fails rather
    than publish, so asking for them is allowed and warned about. Worker processes log
    errors only unless --default_sdk_harness_log_level says otherwise."""
    if not is_direct(options.view_as(StandardOptions).runner):
        return []
    given = {arg.split("=", 1)[0] for arg in beam_args}
    direct = options.view_as(DirectOptions)
    if direct.direct_running_mode != "multi_processing":
        return []
    if "--default_sdk_harness_log_level" not in given:
        # Each worker process would log its start-up at INFO: a page of noise per run.
        options.view_as(WorkerOptions).default_sdk_harness_log_level = "ERROR"
    workers = direct.direct_num_workers if direct.direct_num_workers is not None else 1
    if workers == 1:
        return []
    return [
        "--direct_running_mode multi_processing with more than one worker has lost elements "
        "between stages on Beam 2.77 at 100,000 documents; the run checks and fails if it did "
        '(README, "Limits today"). One process, the default, has not.'
    ]


def _rebuild_report(folder: str, max_passages: int | None) -> int:
    """`wiretrace report`: 0 written; ReportError (exit 2) for a folder that is not a finished
    run's; 1, with one line, if its files cannot be read or rendered."""
    try:
        path = write_report(folder, max_passages)
    except ReportError:
        raise
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for a broken or unreadable file
        print(f"wiretrace: error: {folder}: cannot build {REPORT} ({type(e).__name__}: {e})", file=sys.stderr)
        return 1
    print(f"wiretrace: wrote {path}")
    return 0


def _report(summary: dict, output: str) -> str:
    return (
        f"wiretrace: {summary['documents']} documents ({summary['records_rejected']} rejected), "
        f"{summary['paragraphs']} paragraphs, {summary['passages']} shared passages "
        f"in {summary['timings']['wall_seconds']:.1f} s\n"
        f"wiretrace: wrote {output}: {', '.join(summary['files'])}"
    )


def run(argv: list[str] | None = None) -> int:
    """`wiretrace ARGS` -> exit status. Callable from tests with a list of arguments."""
    argv = sys.argv[1:] if argv is None else list(argv)
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    try:
        args, config, files, options = parse(argv)
        if args.command == "report":
            return _rebuild_report(args.folder, args.max_passages)
        if args.beam_help:
            _beam_parser().print_help()
            return 0
    except (UsageError, ConfigError, InputError, ReportError) as e:
        print(f"wiretrace: error: {e}", file=sys.stderr)
        return 2
    try:
        summary = execute(args, config, files, options)
    except OutputError as e:
        print(f"wiretrace: error: {e}", file=sys.stderr)
        return 2
    except DataLossError as e:
        print(f"wiretrace: error: {e}", file=sys.stderr)
        return 1
    print(_report(summary, args.output))
    return 0


def main() -> None:
    sys.exit(run())
