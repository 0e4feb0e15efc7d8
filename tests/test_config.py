"""pipeline.config: YAML config files and --set overrides onto a checked, frozen Config."""

import dataclasses
import os
from pathlib import Path

import pytest
import yaml
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.config import Config, ConfigError, load_config
from pipeline.runner import local_processes
from transforms.sketch import lsh_bands

CONFIGS = sorted((Path(__file__).resolve().parent.parent / "configs").glob("*.yaml"))


def test_defaults_load_without_a_file():
    assert load_config() == Config()
    assert load_config(None, []).to_dict()["num_perm"] == 64


def test_default_yaml_lists_exactly_the_built_in_defaults():
    path = next(p for p in CONFIGS if p.name == "default.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw == Config().to_dict()
    assert [type(raw[k]) for k in raw] == [type(v) for v in (getattr(Config(), k) for k in raw)]
    assert load_config(path) == Config()


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_every_shipped_config_loads_and_says_how_to_run_it(path):
    assert isinstance(load_config(path), Config)
    assert path.read_text(encoding="utf-8").startswith("# Run with: wiretrace run ")


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().num_perm = 64


def test_overrides_parse_as_yaml_and_win_over_the_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("num_perm: 64\nmin_shared_words: 12\n", encoding="utf-8")
    config = load_config(path, ["num_perm=256", " lsh_threshold = 0.45", "max_gap_words=3"])
    assert (config.num_perm, config.min_shared_words, config.lsh_threshold) == (256, 12, 0.45)
    assert config.max_gap_words == 3 and isinstance(config.lsh_threshold, float)


def test_empty_file_gives_defaults(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing\n", encoding="utf-8")
    assert load_config(path) == Config()


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (["num_perms=64"], "num_perms"),  # unknown key
        (["num_perm=abc"], "num_perm"),  # wrong type
        (["num_perm=128.0"], "num_perm"),  # a float for an int
        (["shingle_size=true"], "shingle_size"),  # a bool is not an int
        (["lsh_threshold=yes"], "lsh_threshold"),  # nor a float
        (["num_perm=8"], "num_perm"),  # out of range
        (["min_shared_words=2"], "min_shared_words"),
        (["seed=-1"], "seed"),
        (["seed=4294967296"], "seed"),
        (["lsh_threshold=.nan"], "lsh_threshold"),
        (["max_bucket_size=1"], "max_bucket_size"),
        (["output_shards=null"], "output_shards"),
        (["documents_text=1"], "documents_text"),  # a number is not a bool
        (["documents_text=maybe"], "documents_text"),
        (["report_max_passages=-1"], "report_max_passages"),
        (["processes=-1"], "processes"),
        (["processes=257"], "processes"),
        (["processes=two"], "processes"),
        (["processes=true"], "processes"),
        (["processes=2.0"], "processes"),
    ],
)
def test_bad_values_raise_config_error_naming_the_key(overrides, key):
    with pytest.raises(ConfigError, match=repr(key)):
        load_config(None, overrides)


@pytest.mark.parametrize("content", ["num_perm: abc\n", "shingle_size: true\n", "num_perm: 2000\n", "bogus: 1\n"])
def test_bad_values_in_a_file_raise_config_error(tmp_path, content):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=repr(content.split(":")[0])):
        load_config(path)


def test_bad_values_in_the_constructor_raise_config_error():
    with pytest.raises(ConfigError, match="'num_perm'"):
        Config(num_perm=True)
    with pytest.raises(ConfigError, match="'lsh_threshold'"):
        Config(lsh_threshold="0.3")


@pytest.mark.parametrize("item", ["num_perm", "=5", "num_perm: 5"])
def test_malformed_override(item):
    with pytest.raises(ConfigError, match="key=value"):
        load_config(None, [item])


@pytest.mark.parametrize("content", ["- a\n- b\n", "num_perm: [1\n"])
def test_unreadable_or_non_mapping_file(tmp_path, content):
    path = tmp_path / "c.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match="--config"):
        load_config(path)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize("override", ["lsh_false_positive_weight=1.0", "lsh_threshold=0.99"])
def test_accepted_lsh_settings_can_be_banded(override):
    try:
        config = load_config(None, [override])
    except ConfigError:
        return
    bands, rows = lsh_bands(config.lsh_threshold, config.num_perm, config.lsh_false_positive_weight)
    assert bands >= 2 and rows >= 1


def test_bool_keys_take_yaml_booleans():
    assert load_config(None, ["documents_text=false"]).documents_text is False
    assert load_config(None, ["documents_text=true"]).documents_text is True


@pytest.mark.parametrize(("value", "expected"), [("auto", "auto"), ("0", 0), ("3", 3)])
def test_processes_takes_auto_or_a_whole_number(value, expected):
    assert load_config(None, [f"processes={value}"]).processes == expected


@pytest.mark.parametrize(
    ("setting", "beam_args", "expected"),
    [
        ("auto", [], len(os.sched_getaffinity(0))),
        ("auto", ["--runner", "DirectRunner", "--direct_running_mode", "in_memory"], len(os.sched_getaffinity(0))),
        ("auto", ["--direct_running_mode", "multi_processing", "--direct_num_workers", "2"], 0),
        ("auto", ["--direct_running_mode", "multi_threading"], 0),
        ("auto", ["--runner", "PortableRunner"], 0),
        ("auto", ["--runner", "DataflowRunner"], 0),
        (0, [], 0),
        (3, ["--runner", "PortableRunner"], 3),
    ],
)
def test_auto_processes_are_one_per_core_on_the_in_process_direct_runner_only(setting, beam_args, expected):
    assert local_processes(setting, PipelineOptions(beam_args)) == expected
