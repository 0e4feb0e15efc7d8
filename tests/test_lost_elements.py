"""benchmarks/lost_elements.py: what a runner wrote into each join, against what it read."""

from benchmarks.lost_elements import flatten_balance, main


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
    assert {
        "Verify/JoinFirst/Join/CoGroupByKeyImpl/Flatten",
        "Cluster/JoinDocuments/Join/CoGroupByKeyImpl/Flatten",
    } <= joins
    assert len(lines) == 6 and all(line.endswith("  ok") for line in lines)
