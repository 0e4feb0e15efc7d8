"""The runner a job runs on: --runner and the other pipeline options -> a runner object.

Beam's DirectRunner (2.77) first tries to fetch the Prism runner, a Go binary, from GitHub,
runs the job there when it can, and otherwise falls back to its in-process FnApiRunner.
wiretrace's local runs are tested and measured on the FnApiRunner, and a scheduled batch
job fetches nothing while it runs, so `--runner DirectRunner` (the default) runs on the
FnApiRunner directly, set up as the DirectRunner sets it up: the same engine on a laptop
with network and on a machine without. `--runner PrismRunner` asks for Prism by name.
"""

from __future__ import annotations

import multiprocessing
import os

from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.portability.api import beam_provision_api_pb2
from apache_beam.runners.portability.fn_api_runner import fn_runner
from apache_beam.runners.portability.portable_runner import JobServiceHandle
from apache_beam.runners.runner import PipelineRunner

DEFAULT_RUNNER = "DirectRunner"


def is_direct(runner: str | None) -> bool:
    """A --runner value -> whether it names the DirectRunner (None: the default, it does)."""
    return (runner or DEFAULT_RUNNER).lower() in ("direct", "directrunner")


def local_runner(options: PipelineOptions) -> PipelineRunner | None:
    """Pipeline options -> the FnApiRunner when they ask for the DirectRunner, handed the
    options as the DirectRunner hands them (its worker processes read them); None for any
    other runner, which Beam then picks by name."""
    if not is_direct(options.view_as(StandardOptions).runner):
        return None
    encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
    info = fn_runner.ExtendedProvisionInfo(beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded))
    return fn_runner.FnApiRunner(provision_info=info)


def local_processes(setting: int | str, options: PipelineOptions) -> int:
    """The `processes` config value and the pipeline options -> how many worker processes
    the heavy steps get (transforms.offload). "auto": one per core this process may run
    on when the DirectRunner runs the job in one process, where they are the only way
    to the other cores; 0 on any other runner or mode, whose workers use the cores."""
    if setting != "auto":
        return int(setting)
    in_one_process = options.view_as(DirectOptions).direct_running_mode == "in_memory"
    if not is_direct(options.view_as(StandardOptions).runner) or not in_one_process:
        return 0
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows
        return 0
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(usable)
