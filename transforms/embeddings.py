"""Optional: rewordings verified by a sentence-embedding model, through Beam's RunInference
(`pip install "wiretrace[embeddings]"`, config `embeddings`).

Rewritten -> Rewritten: a lexical rewording (transforms.reword) is kept when the
embeddings of its two sentences are at least `min_similarity` alike (cosine); the rest are
left out, counted (`reword:embeddings_rejected`; those kept: `reword:embeddings_agreed`).
The model is a WordLlama model: the one its PyPI package ships (`embeddings: wordllama`),
or a folder in its layout (`weights/*.safetensors`, `tokenizers/*.json`). Nothing is
ever downloaded.

Each sentence is embedded on its own, so that its vector (and the run's output) does not
depend on which other sentences share its batch."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import apache_beam as beam
import numpy as np
from apache_beam.ml.inference.base import ModelHandler, PredictionResult, RunInference

from transforms.rewritten import Rewritten

PACKAGED = "wordllama"
DIGITS = 4  # similarities are compared at this precision


class EmbeddingsUnavailable(ValueError):
    """the configured model cannot be loaded here (the extra is not installed, or the
    folder is not a WordLlama model)."""


def _model_files(folder: Path) -> tuple[Path, Path]:
    weights = sorted((folder / "weights").glob("*.safetensors"))
    tokenizers = sorted((folder / "tokenizers").glob("*.json"))
    if not weights or not tokenizers:
        raise EmbeddingsUnavailable(
            f"{folder} is not a WordLlama model folder (weights/*.safetensors and tokenizers/*.json)"
        )
    return weights[0], tokenizers[0]


def load_model(model: str):
    """`wordllama` or a folder -> a WordLlama inference object, from local files only."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from safetensors import safe_open
        from wordllama import WordLlama, WordLlamaInference
    except ImportError as e:
        raise EmbeddingsUnavailable(
            f'embeddings: {model!r} needs the embeddings extra: pip install "wiretrace[embeddings]"'
        ) from e
    finally:  # importing wordllama configures the root logger (basicConfig at INFO): undo it
        root.handlers[:], root.level = handlers, level
    if model == PACKAGED:
        import wordllama

        folder = Path(wordllama.__file__).parent
    else:
        folder = Path(model)
    weights, tokenizer = _model_files(folder)
    try:
        with safe_open(str(weights), framework="np", device="cpu") as f:
            embedding = f.get_tensor("embedding.weight" if "embedding.weight" in f.keys() else next(iter(f.keys())))
        return WordLlamaInference(embedding, WordLlama.load_tokenizer(tokenizer))
    except Exception as e:  # a corrupt or foreign file: the folder is not a model this can load
        raise EmbeddingsUnavailable(f"{folder}: cannot load {weights.name} and {tokenizer.name} ({e})") from e


def check(model: str) -> None:
    """raises EmbeddingsUnavailable unless `model` loads here (called before the job runs)."""
    load_model(model)


def similarity(model, a: str, b: str) -> float:
    """two texts -> the cosine of their embeddings, rounded to DIGITS."""
    va, vb = (np.asarray(model.embed([t], norm=True), dtype=np.float64)[0] for t in (a, b))
    return round(float(va @ vb), DIGITS)


class _PairHandler(ModelHandler[Rewritten, PredictionResult, object]):
    """RunInference's model handler: Rewritten -> PredictionResult(Rewritten, cosine)."""

    def __init__(self, model: str):
        self._model = model

    def load_model(self):
        return load_model(self._model)

    def run_inference(self, batch: Sequence[Rewritten], model, inference_args=None) -> Iterable[PredictionResult]:
        return [PredictionResult(r, similarity(model, r.source.text, r.copy.text)) for r in batch]

    def batch_elements_kwargs(self):
        return {"min_batch_size": 16, "max_batch_size": 512}


_AGREED = beam.metrics.Metrics.counter("reword", "embeddings_agreed")
_REJECTED = beam.metrics.Metrics.counter("reword", "embeddings_rejected")


def _kept(result: PredictionResult, min_similarity: float):
    if result.inference >= min_similarity:
        _AGREED.inc()
        yield result.example
    else:
        _REJECTED.inc()


class VerifyByEmbeddings(beam.PTransform):
    """Rewritten -> Rewritten: those whose sentences' embeddings agree (see the module)."""

    def __init__(self, model: str, min_similarity: float):
        super().__init__()
        self.model, self.min_similarity = model, min_similarity

    def expand(self, rewritten):
        return (
            rewritten
            | "Embed" >> RunInference(_PairHandler(self.model))
            | "Agree" >> beam.FlatMap(_kept, self.min_similarity)
        )
