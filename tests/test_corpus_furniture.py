"""The generated corpus's page furniture (benchmarks.corpus, benchmarks.furniture): the
default ("simple") corpus is the one every published figure was measured on, byte for byte."""

import dataclasses
import hashlib
import json

from benchmarks.corpus import generate

# sha256 of generate(n, seed)'s rows and truths (as JSON, keys sorted), taken from the
# generator before the furniture option existed: the figures in docs/benchmarks.md.
SIMPLE_CORPUS = {
    (300, 7): "e6103c39c095c1cf7a73df647abe08fd3417b503922b50c1d3c08dcc4b60609d",
    (500, 3): "97f22811f8fe93c5b06a95423dceec10abc9a4a98cfe9a28b2ce096f09a83a6b",
}


def corpus_hash(rows, truths) -> str:
    """rows, truths -> sha256 of both as JSON with sorted keys."""
    h = hashlib.sha256()
    h.update(json.dumps(rows, sort_keys=True).encode())
    h.update(json.dumps([dataclasses.asdict(t) for t in truths], sort_keys=True).encode())
    return h.hexdigest()


def test_simple_corpus_is_the_one_the_figures_were_measured_on():
    for (n, seed), expected in SIMPLE_CORPUS.items():
        assert corpus_hash(*generate(n, seed)) == expected
