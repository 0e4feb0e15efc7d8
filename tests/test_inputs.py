"""expand_inputs: folders, globs and spellings of --input values."""

import os

import pytest

from pipeline.inputs import InputError, expand_inputs


def test_one_file_spelled_two_ways_is_read_once(seeds_dir, monkeypatch):
    monkeypatch.chdir(seeds_dir.parent)
    files = expand_inputs([str(seeds_dir), "./seeds/../seeds/000_8644e06e06c1b68d.txt"])
    assert len(files) == 5 and len(set(files)) == 5


def test_glob_naming_a_folder_reads_its_files_and_the_files_it_names(tmp_path):
    (tmp_path / "day1").mkdir()
    (tmp_path / "day1" / "a.txt").write_text("text")
    (tmp_path / "day1" / "notes.md").write_text("skipped: a folder gives only input files")
    (tmp_path / "day2.jsonl").write_text("{}\n")
    files = expand_inputs([str(tmp_path / "day*")])
    assert [os.path.relpath(f, tmp_path) for f in files] == ["day1/a.txt", "day2.jsonl"]


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no input files"):
        expand_inputs([str(tmp_path)])
