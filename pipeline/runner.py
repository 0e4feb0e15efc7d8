"""The runner a job runs on: --runner and the other pipeline options -> a runner object.

Beam's DirectRunner (2.77) first tries to fetch the Prism runner, a Go binary, from GitHub,
runs the job there when it can, and otherwise falls back to its in-process FnApiRunner.
wiretrace's local runs are tested and measured on the FnApiRunner, and a scheduled batch
job fetches nothing while it runs, so `--runner DirectRunner` (the default) runs on the
FnApiRunner directly, set up as the DirectRunner sets it up: the same engine on a laptop
with network and on a machine without. `--runner PrismRunner` asks for Prism by name.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os

from apache_beam.metrics import monitoring_infos
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.options.pipeline_options_validator import PipelineOptionsValidator
from apache_beam.portability.api import beam_fn_api_pb2, beam_provision_api_pb2
from apache_beam.runners.portability.fn_api_runner import fn_runner
from apache_beam.runners.portability.portable_runner import JobServiceHandle
from apache_beam.runners.runner import PipelineRunner

from pipeline.progress import Progress

DEFAULT_RUNNER = "DirectRunner"


def is_direct(runner: str | None) -> bool:
    """A --runner value -> whether it names the DirectRunner (None: the default, it does)."""
    return (runner or DEFAULT_RUNNER).lower() in ("direct", "directrunner")


# What a runner needs installed beyond Beam itself: {runner class name: (modules, extra)}.
RUNNER_NEEDS = {"DataflowRunner": (("google.cloud.storage", "apitools"), "apache-beam[gcp]")}


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def runner_problems(name: str, runner: PipelineRunner, options: PipelineOptions) -> str | None:
    """--runner's value, the runner made of it, the pipeline options -> why the runner
    would refuse the job (an extra not installed, options it requires), or None."""
    if is_direct(name):
        return None
    modules, extra = RUNNER_NEEDS.get(type(runner).__name__, ((), ""))
    if not all(_installed(m) for m in modules):
        return f"needs Beam's extra for it: pip install '{extra}'"
    errors = [e.strip().rstrip(".") for e in PipelineOptionsValidator(options, runner).validate()]
    return "; ".join(errors) or None


def local_runner(options: PipelineOptions, progress: Progress | None = None) -> PipelineRunner | None:
    """Pipeline options -> the FnApiRunner when they ask for the DirectRunner, handed the
    options as the DirectRunner hands them (its worker processes read them), telling
    `progress` of its stages (ReportingRunner); None for any other runner, which Beam
    then picks by name."""
    if not is_direct(options.view_as(StandardOptions).runner):
        return None
    encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
    info = fn_runner.ExtendedProvisionInfo(beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded))
    if progress is None:
        return fn_runner.FnApiRunner(provision_info=info)
    return ReportingRunner(progress, provision_info=info)


def user_counters(infos) -> dict[str, int]:
    """monitoring infos -> {"namespace:name": value} of the job's own counters in them."""
    counts: dict[str, int] = {}
    for info in infos:
        if info.urn == monitoring_infos.USER_COUNTER_URN:
            key = f"{info.labels['NAMESPACE']}:{info.labels['NAME']}"
            counts[key] = counts.get(key, 0) + monitoring_infos.extract_counter_value(info)
    return counts


def _steps(stage) -> set[str]:
    """a fused stage -> the top-level steps (labels of pipeline.build) it runs transforms of."""
    return {t.unique_name.split("/", 1)[0] for t in stage.transforms if t.unique_name}


class ReportingRunner(fn_runner.FnApiRunner):
    """The FnApiRunner, telling a Progress of each stage as it starts and finishes, and
    answering its polls for the running stage's counters with the runner's own progress
    request. What it runs, and how, is the FnApiRunner's."""

    def __init__(self, progress: Progress, **kwargs):
        super().__init__(**kwargs)
        self.progress = progress
        self.steps_of: dict[str, set[str]] = {}

    def run_stages(self, stage_context, stages):
        self.steps_of = {stage.name: _steps(stage) for stage in stages}
        self.progress.plan(self.steps_of)
        return super().run_stages(stage_context, stages)

    def _execute_bundle(self, runner_execution_context, bundle_context_manager, bundle_input):
        name = bundle_context_manager.stage.name
        steps = self.steps_of.get(name, set())
        self.progress.stage_started(name, steps, lambda: _poll(bundle_context_manager))
        result = super()._execute_bundle(runner_execution_context, bundle_context_manager, bundle_input)
        self.progress.stage_finished(name, steps, user_counters(result.process_bundle.monitoring_infos))
        return result


def _poll(bundle_context_manager) -> dict[str, int] | None:
    """-> the counters of the bundle running now (one worker: the in-process runner), or None."""
    handlers = bundle_context_manager.worker_handlers
    if len(handlers) != 1:
        return None
    request = beam_fn_api_pb2.InstructionRequest(
        process_bundle_progress=beam_fn_api_pb2.ProcessBundleProgressRequest(
            instruction_id=f"bundle_{fn_runner.BundleManager._uid_counter}"  # the runner's own naming
        )
    )
    response = handlers[0].control_conn.push(request).get()
    if response.error:
        return None
    return user_counters(response.process_bundle_progress.monitoring_infos)


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
