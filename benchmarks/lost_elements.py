"""Did the runner lose elements between stages? A diagnostic for the DirectRunner.

    python -m benchmarks.lost_elements --input FILE --output DIR [Beam options ...]

Runs `wiretrace run` with the same arguments on Beam's FnApiRunner, then reads the
workers' own element counts (the runner's monitoring infos, per PCollection) and prints,
for every materialised Flatten (each CoGroupByKey has one): how many elements its input
stages wrote into it and how many the next stage read out of it. They must be equal;
a difference is lost (or duplicated) by the runner between two stages, not by wiretrace's
code, which only sees what the runner hands it. Exits with wiretrace's own status.
It relies on the FnApiRunner's result object (a private field), so it is a diagnostic,
not part of the job.
"""

from __future__ import annotations

import collections
import re
import sys

from apache_beam.metrics import monitoring_infos
from apache_beam.runners.portability.fn_api_runner import fn_runner

_PREFIX = re.compile(r"^\d+")
_TRANSCODE = re.compile(r"^(?P<flatten>.+/Flatten)/Transcode/\d+/out$")


def flatten_balance(counts: dict[str, int]) -> dict[str, tuple[int, int]]:
    """{PCollection label: element count} -> {flatten: (written into it, read out of it)},
    for every Flatten whose inputs ("<flatten>/Transcode/<i>/out") are counted."""
    written: dict[str, int] = collections.Counter()
    for name, count in counts.items():
        match = _TRANSCODE.match(name)
        if match:
            written[match["flatten"]] += count
    return {name: (total, counts[name]) for name, total in sorted(written.items()) if name in counts}


def element_counts(result, proto) -> dict[str, int]:
    """An FnApiRunner result and its pipeline proto -> {PCollection name: elements}."""
    names = {pid: pc.unique_name for pid, pc in proto.components.pcollections.items()}
    counts: dict[str, int] = collections.Counter()
    for infos in result._monitoring_infos_by_stage.values():  # noqa: SLF001 - a diagnostic
        for info in infos:
            if info.urn == monitoring_infos.ELEMENT_COUNT_URN:
                pcoll = info.labels[monitoring_infos.PCOLLECTION_LABEL]
                # Beam names a PCollection "<n><producer label>.<tag>"; keep the label.
                name = _PREFIX.sub("", names.get(pcoll, pcoll)).removesuffix(".None")
                counts[name] += monitoring_infos.extract_counter_value(info)
    return counts


def main(argv: list[str] | None = None) -> int:
    captured = {}
    original = fn_runner.FnApiRunner.run_via_runner_api

    def run_via_runner_api(self, proto, options):
        captured["result"] = result = original(self, proto, options)
        captured["proto"] = proto
        return result

    from pipeline.cli import run

    fn_runner.FnApiRunner.run_via_runner_api = run_via_runner_api
    try:
        status = run(["run", *(sys.argv[1:] if argv is None else argv)])
    finally:
        fn_runner.FnApiRunner.run_via_runner_api = original
    if "result" not in captured:
        print("lost_elements: the job did not run on the FnApiRunner; nothing to count", file=sys.stderr)
        return status
    balance = flatten_balance(element_counts(captured["result"], captured["proto"]))
    for name, (written, read) in balance.items():
        verdict = "ok" if written == read else f"LOST {written - read:,}" if read < written else "DUPLICATED"
        print(f"{name}: written {written:,}, read {read:,}  {verdict}")
    return status


if __name__ == "__main__":
    sys.exit(main())
