"""benchmarks/lost_elements.py: what a runner wrote into each join, against what it read."""

from benchmarks.lost_elements import flatten_balance, main
from pipeline.config import Config


def test_flatten_balance_pairs_what_was_written_with_what_was_read():
    counts = {
        "Verify/JoinSecond/CoGroupByKeyImpl/Flatten/Transcode/0/out": 100,
        "Verify/JoinSecond/CoGroupByKeyImpl/Flatten/Transcode/1/out": 512,
        "Verify/JoinSecond/CoGroupByKeyImpl/Flatten": 535,
        "Verify/JoinFirst/CoGroupByKeyImpl/Flatten/Transcode/0/out": 7,
        "Verify/JoinFirst/CoGroupByKeyImpl/Flatten": 7,
        "Verify/Align": 99,
    }
    assert flatten_balance(counts) == {
        "Verify/JoinFirst/CoGroupByKeyImpl/Flatten": (7, 7),
        "Verify/JoinSecond/CoGroupByKeyImpl/Flatten": (612, 535),
    }


def test_every_join_of_a_seeds_run_reads_what_was_written(seeds_dir, tmp_path, capsys):
    assert main(["--input", str(seeds_dir), "--output", str(tmp_path / "out")]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "/Flatten:" in line]
    joins = {line.split(":")[0] for line in lines}
    parts = Config().align_parts
    assert {
        "Verify/JoinFirst/Join/CoGroupByKeyImpl/Flatten",
        *(f"Verify/JoinSecond{i}/Join/CoGroupByKeyImpl/Flatten" for i in range(parts)),
        "Cluster/JoinDocuments/Join/CoGroupByKeyImpl/Flatten",
    } <= joins
    # two joins of LSH, two of Verify (the second in parts), one of Cluster, one of
    # Provenance, four of Rewordings (copy to sentences, sources, later articles, passages)
    assert len({j for j in joins if j.startswith("Rewordings/")}) == 4
    assert len(lines) == 5 + parts + 4 and all(line.endswith("  ok") for line in lines)
