"""The `wiretrace` command: parse and check everything, then build, run and publish.

    wiretrace run --input PATH... --output DIR [--config FILE] [--set key=value ...]
                  [--overwrite] [Beam pipeline options: --runner, --direct_num_workers, ...]
    wiretrace report OUTPUT_DIR [--max-passages N]

Exit status (EXIT_CODES): 0 done; 2 nothing to retry: a bad flag, config value, input or
output folder, an output folder another run holds, a runner that refuses the job, or a
run in which no record became a document (one line on stderr naming it); 1 worth a
retry: the pipeline failed, the runner lost data between stages, or the disk filled up;
130 and 143 stopped by Ctrl-C or SIGTERM. Nothing is published unless the status is 0.
A run whose data files are written but whose report.html could not be built says so
on stderr, records it in summary.json (`report`), and still exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import re
import signal
import sys

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions, WorkerOptions
from apache_beam.runners.runner import create_runner

from pipeline import __version__
from pipeline.config import Config, ConfigError, load_config, unused_keys
from pipeline.history import history_files, run_name
from pipeline.inputs import InputError, expand_inputs
from pipeline.job import DataLossError, DiskFull, NothingRead, RunnerRejected, execute
from pipeline.progress import Progress
from pipeline.publish import OutputError
from pipeline.runner import DEFAULT_RUNNER, is_direct, runner_problems
from pipeline.stopping import Stopped, stop_signals, stopped_by
from report.load import ReportError
from report.render import REPORT, write_report
from transforms.readers import FIELDS, FORMATS, input_format

STOPPED = (128 + signal.SIGINT, 128 + signal.SIGTERM)
EXIT_CODES = (
    "exit status: 0 done, the folder published; "
    "2 nothing to retry (a bad flag, config value or input, an output folder another run holds, "
    "a runner that refuses the job, no record became a document); "
    "1 worth a retry (the job failed, or the disk filled up); 130/143 stopped by Ctrl-C/SIGTERM. "
    "Nothing is published unless the status is 0."
)


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
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            f"JSON Lines and CSV input: one article per line or row, with the fields {', '.join(FIELDS)}\n"
            "(id and text required; published in ISO 8601, RFC 2822 or Unix seconds, among others).\n"
            "Other names in your files: config key `fields`, e.g. --set 'fields={id: uid, text: body}'.\n\n"
            "Any Beam pipeline option passes through, e.g. --runner DirectRunner (the default: this\n"
            "machine), --runner FlinkRunner --flink_master HOST:PORT, --runner DataflowRunner --project P\n"
            "--region R --temp_location gs://B/tmp. `wiretrace run --beam-help` lists them all.\n\n"
            + EXIT_CODES.replace("; ", ";\n")
        ),
    )
    required = run.add_argument_group("required")
    required.add_argument(
        "--input",
        nargs="+",
        action="extend",
        metavar="PATH",
        required=True,
        help=(
            "input files, folders or globs: .txt (one article per file), .jsonl (one per line), .csv/.tsv "
            "(one per row), .html (one page), .warc (HTML responses); any of them gzipped; a folder's "
            "subfolders are not read (give a glob such as 'DIR/**/*.jsonl'); repeatable"
        ),
    )
    run.add_argument(
        "--format",
        choices=FORMATS,
        help="read every input file as this format (default: by extension: .txt, .jsonl, .csv/.tsv, .html, .warc)",
    )
    required.add_argument(
        "--output", metavar="DIR", required=True, help="folder for the provenance map (created if missing)"
    )
    run.add_argument("--config", metavar="FILE", help="YAML config file (default: the built-in defaults)")
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
    run.add_argument("--quiet", action="store_true", help="no progress lines: only warnings, errors and the result")
    run.add_argument("--beam-help", action=_BeamHelp, nargs=0, help="list every Beam pipeline option and exit")
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


class _BeamHelp(argparse.Action):
    """--beam-help: prints every Beam pipeline option and exits, as --help does."""

    def __call__(self, parser, namespace, values, option_string=None):
        _beam_parser().print_help()
        parser.exit()


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
    check_beam_args(beam_args)
    _dated(args)
    config = load_config(args.config, args.overrides)
    files = expand_inputs(args.input, args.format)
    for warning in unused_keys(config, {input_format(f, args.format) for f in files}):
        print(f"wiretrace: warning: {warning}", file=sys.stderr)
    args.run_name = run_name(args.date, files)
    args.history_files = history_files(args.history, args.run_name, args.index)
    options = PipelineOptions(beam_args)
    standard = options.view_as(StandardOptions)
    if not standard.runner:
        standard.runner = DEFAULT_RUNNER
    try:
        runner = create_runner(standard.runner)
    except (ValueError, ImportError) as e:
        raise UsageError(f"--runner {standard.runner}: not a Beam runner ({str(e).splitlines()[0]})") from e
    problems = runner_problems(standard.runner, runner, options)
    if problems:
        raise UsageError(f"--runner {standard.runner}: {problems}")
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
    report = f"{output}/{REPORT}" if summary.get("report", {}).get("written") else "no report.html (see above)"
    warnings = ""
    unparsed = summary["counters"].get("read:unparsed_published", 0)
    if unparsed:
        records = "1 record has" if unparsed == 1 else f"{unparsed:,} records have"
        warnings = (
            f"wiretrace: warning: {records} a `published` value that is not a time; "
            "kept with published: null (counter read:unparsed_published)\n"
        )
    return (
        f"{warnings}wiretrace: {summary['documents']:,} documents ({summary['records_rejected']:,} rejected), "
        f"{summary['paragraphs']:,} paragraphs, {summary['passages']:,} shared passages "
        f"in {summary['stories']:,} {'story' if summary['stories'] == 1 else 'stories'}, "
        f"in {summary['timings']['wall_seconds']:.1f} s\n"
        f"wiretrace: wrote {output}: {', '.join(summary['files'])}\n"
        f"wiretrace: open {report} in a browser to look at the run"
    )


def _error(message: str) -> None:
    print(f"wiretrace: error: {message}", file=sys.stderr)


def run(argv: list[str] | None = None) -> int:
    """`wiretrace ARGS` -> exit status. Callable from tests with a list of arguments."""
    argv = sys.argv[1:] if argv is None else list(argv)
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    # A step's error is logged by Beam with its traceback as it leaves the step, then
    # raised here, where the run reports it: once.
    logging.getLogger("apache_beam.runners.common").setLevel(logging.CRITICAL)
    try:
        args, config, files, options = parse(argv)
        if args.command == "report":
            return _rebuild_report(args.folder, args.max_passages)
    except SystemExit as e:  # --help, --version, --beam-help
        return e.code or 0
    except (UsageError, ConfigError, InputError, ReportError) as e:
        _error(str(e))
        return 2
    progress = None if args.quiet else Progress(sys.stderr)
    with stop_signals():
        try:
            summary = execute(args, config, files, options, progress)
        except (OutputError, RunnerRejected) as e:
            _error(str(e))
            return 2
        except NothingRead as e:
            _error(str(e))
            for reason, count, example in e.reasons:
                print(f"wiretrace:   {count:,} x {reason}, e.g. {example}", file=sys.stderr)
            return 2
        except (DataLossError, DiskFull) as e:
            _error(str(e))
            return 1
        except BaseException as e:
            signum = stopped_by()
            if signum is None or not isinstance(e, (Exception, Stopped)):
                raise
            name = signal.Signals(signum).name
            print(f"wiretrace: stopped by {name}; nothing was published, {args.output} is as it was", file=sys.stderr)
            return STOPPED[0] if signum == signal.SIGINT else STOPPED[1]
        finally:
            if progress is not None:
                progress.close()
    print(_report(summary, args.output))
    return 0


def main() -> None:
    sys.exit(run())
