"""The pure parts of benchmarks/throughput.py: which corpora a run measures, CPU-time
accounting, and the summary table docs/benchmarks.md shows."""

import resource
from types import SimpleNamespace

from benchmarks.throughput import GB, Measured, corpora, cpu_seconds, rusage_cpu, summary_table


def _result(docs, furniture, seconds, plain_seconds, compared=None):
    result = {
        "docs": docs,
        "furniture": furniture,
        "passages": 1234,
        "ours": Measured(seconds, 2 * GB, GB, 3 * seconds, ""),
        "plain": Measured(plain_seconds, GB, GB // 2, plain_seconds, ""),
    }
    if compared is not None:
        result.update(compared=Measured(compared, GB, GB, compared, ""), compared_label="this checkout with x.yaml")
    return result


def test_corpora_are_the_plain_sizes_then_the_realistic_one():
    assert corpora("10000,100000", 20000) == [(10000, "simple"), (100000, "simple"), (20000, "realistic")]
    assert corpora("1000", 0) == [(1000, "simple")]
    assert corpora("0", 500) == [(500, "realistic")]


def test_rusage_cpu_is_user_and_system_time_between_two_readings():
    before = SimpleNamespace(ru_utime=1.0, ru_stime=0.5)
    after = SimpleNamespace(ru_utime=11.0, ru_stime=2.5)
    assert rusage_cpu(before, after) == 12.0
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert rusage_cpu(now, now) == 0.0


def test_cpu_seconds_takes_the_larger_of_waited_and_seen():
    # Workers nobody waited for: only /proc saw them (250 + 150 ticks at 100 a second).
    assert cpu_seconds(1.5, {10: 250, 11: 150}, ticks_per_second=100) == 4.0
    # Every process waited for: rusage counts their last moments /proc did not see.
    assert cpu_seconds(5.0, {10: 250, 11: 150}, ticks_per_second=100) == 5.0
    assert cpu_seconds(0.0, {}, ticks_per_second=100) == 0.0


def test_summary_table_has_a_row_per_run_and_the_throughput_ratio():
    table = summary_table([_result(10000, "simple", 50.0, 25.0), _result(20000, "realistic", 100.0, 40.0, 80.0)])
    lines = table.splitlines()
    assert lines[0].startswith("| corpus | run | docs/s | wall | CPU |") and lines[1].startswith("|---|")
    assert len(lines) == 2 + 2 + 3  # header, then wiretrace and plain per corpus, and the compared run
    assert lines[2] == (
        "| 10,000 docs, simple furniture | wiretrace | 200 | 50.0 s | 150 s | 2.00 GB (1.00) | 1,234 | 0.50x |"
    )
    assert lines[3] == "|  | plain script | 400 | 25.0 s | 25 s | 1.00 GB (0.50) |  |  |"
    assert lines[4].startswith("| 20,000 docs, realistic furniture | wiretrace | 200 | 100.0 s | 300 s |")
    assert lines[6].startswith("|  | compared (this checkout with x.yaml) | 250 | 80.0 s | 80 s |")
    assert lines[6].endswith("|  | 0.50x |")
    assert all(line.count("|") == 9 for line in lines)
