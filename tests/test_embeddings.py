"""transforms.embeddings: rewordings verified by the sentence-embedding model the
wordllama package ships, through Beam's RunInference; loaded from local files only."""

import json
import socket

import pytest

from pipeline.cli import run
from pipeline.config import ConfigError, load_config
from tests.conftest import SEEDS
from transforms.embeddings import load_model, similarity

REWRITE = (
    "He donned a ballistic vest and was transported to the Green Zone via a Black Hawk helicopter, "
    "a symbol of the U.S. presence in Iraq following the 2003 invasion."
)
WIRE = (
    "Blinken landed at Baghdad's international airport, donned a ballistic vest and traveled by Black "
    "Hawk helicopter to the Green Zone, a remnant of the U.S. occupation of Iraq after its 2003 invasion."
)
# the seeds' AFP and Reuters reports give this fact each in its own words: not a rewrite
AFP = "Some 2,500 American troops are deployed in Iraq, tasked with advising local forces."
REUTERS = "Mr. Blinken also called on the Iraq leader to hold accountable those behind the attacks."


@pytest.fixture(scope="module")
def model():
    return load_model("wordllama")


def test_a_rewrite_is_alike_and_an_independent_statement_is_not(model):
    assert similarity(model, REWRITE, WIRE) >= 0.7
    assert similarity(model, AFP, REUTERS) < 0.7
    assert similarity(model, WIRE, WIRE) == pytest.approx(1.0, abs=1e-3)
    # one sentence's similarity does not depend on anything else embedded before it
    assert similarity(model, REWRITE, WIRE) == similarity(model, REWRITE, WIRE)


def test_the_model_loads_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert load_model("wordllama") is not None


def test_a_model_that_cannot_load_stops_the_job_naming_the_key(tmp_path, capsys):
    with pytest.raises(ConfigError, match="'embeddings'"):
        load_config(None, [f"embeddings={tmp_path}"])
    with pytest.raises(ConfigError, match="'embeddings'"):
        load_config(None, ["embeddings=5"])
    with pytest.raises(ConfigError, match="'embedding_min_similarity'"):
        load_config(None, ["embedding_min_similarity=1.5"])
    assert run(["run", "--input", str(SEEDS), "--output", str(tmp_path / "out"), "--set", "embeddings=nowhere"]) == 2
    assert "embeddings" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def _rewritten(folder):
    rows = [json.loads(line) for line in (folder / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
    return {(m["doc_id"], m["start"], m["end"]) for p in rows for m in p["members"] if m["kind"] == "rewritten"}


def test_verified_rewordings_are_those_the_model_agrees_with(seeds_run, tmp_path):
    out = tmp_path / "out"
    args = ["--set", "embeddings=wordllama", "--set", "embedding_min_similarity=0.85"]
    assert run(["run", "--input", str(SEEDS), "--output", str(out), *args]) == 0
    lexical, verified = _rewritten(seeds_run), _rewritten(out)
    assert verified < lexical and verified  # some kept, some left out
    counters = json.loads((out / "summary.json").read_text())["counters"]
    assert counters["reword:embeddings_rejected"] >= 1 and counters["reword:embeddings_agreed"] >= 1
    assert len(lexical - verified) >= counters["reword:embeddings_rejected"]


def test_a_folder_with_a_corrupt_model_is_a_config_error_and_logging_is_left_alone(tmp_path):
    import logging

    (tmp_path / "weights").mkdir()
    (tmp_path / "tokenizers").mkdir()
    (tmp_path / "weights" / "model_256.safetensors").write_bytes(b"\xff" * 64)
    (tmp_path / "tokenizers" / "model_tokenizer_config.json").write_text("{}", encoding="utf-8")
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    with pytest.raises(ConfigError, match="'embeddings'.*cannot load"):
        load_config(None, [f"embeddings={tmp_path}"])
    load_model("wordllama")
    assert (list(root.handlers), root.level) == before  # importing the model library changed nothing


def test_embeddings_without_rewordings_is_a_warning_naming_the_key():
    from pipeline.config import unused_keys

    config = load_config(None, ["embeddings=wordllama", "rewordings=false"])
    assert any("'embeddings'" in w and "rewordings" in w for w in unused_keys(config, {"jsonl"}))
    assert not any("'embeddings'" in w for w in unused_keys(load_config(None, ["embeddings=wordllama"]), {"jsonl"}))
