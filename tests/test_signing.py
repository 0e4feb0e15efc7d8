"""Signing a batch of documents (transforms.work.sign_documents): what is signed, and
that a batch is signed a chunk of words at a time without changing a signature."""

import numpy as np
import pytest

import transforms.work
from transforms.model import Document
from transforms.sketch import Signer, shingle_hashes
from transforms.text import window_norms
from transforms.work import sign_documents

SENTENCES = [
    "The central bank raised its main interest rate by half a point on Thursday.",
    "Officials said the decision was taken to curb inflation that reached a record high.",
    "Markets had expected a smaller rise, and shares fell sharply after the announcement.",
    "The governor told reporters that further increases could not be ruled out this year.",
]


def _documents(n: int) -> list[Document]:
    docs = []
    for i in range(n):
        paragraphs = [f"{SENTENCES[(i + k) % 4]} {SENTENCES[(i + k + 1) % 4]} Item {i} {k}." for k in range(3)]
        docs.append(Document(f"doc-{i:03d}", "\n\n".join(paragraphs), "test", f"Outlet {i % 5}"))
    return docs


@pytest.mark.parametrize("chunk", [1, 7, 50])
def test_chunked_signing_gives_the_same_windows_and_signatures(monkeypatch, chunk):
    docs = _documents(30)
    refs, whole, counts = sign_documents(docs, 4, 5, 64, 1, "signatures")
    monkeypatch.setattr(transforms.work, "SIGN_CHUNK_WORDS", chunk)
    chunked_refs, chunked, chunked_counts = sign_documents(docs, 4, 5, 64, 1, "signatures")
    assert chunked_refs == refs and chunked_counts == counts
    assert chunked.shape == whole.shape == (counts[("signatures", "windows")], 64)
    assert np.array_equal(chunked, whole)


def test_each_window_is_signed_as_datasketch_would_sign_its_shingles():
    docs = _documents(3)
    refs, signatures, _ = sign_documents(docs, 4, 5, 64, 1, "signatures")
    expected = []
    for doc in docs:
        for paragraph in doc.text.split("\n\n"):
            expected.extend(shingle_hashes(window, 4, 1) for window in window_norms(paragraph, 5))
    assert len(refs) == len(expected) > len(docs)
    assert signatures.tolist() == Signer(64, 1).sign_batch(expected).tolist()


def test_no_window_signs_as_an_empty_array(monkeypatch):
    monkeypatch.setattr(transforms.work, "SIGN_CHUNK_WORDS", 3)
    refs, signatures, counts = sign_documents([Document("x", "Too short.", "test", "O")], 4, 5, 64, 1, "signatures")
    assert refs == [] and signatures.shape == (0, 64)
    assert counts[("signatures", "too_short")] == 1


def test_one_long_paragraph_is_signed_a_chunk_of_windows_at_a_time(monkeypatch):
    doc = Document("long", " ".join(SENTENCES * 4), "test", "O")  # one paragraph, sixteen sentences
    refs, whole, _ = sign_documents([doc], 4, 5, 64, 1, "signatures")
    calls = []
    signed = transforms.work._signed
    monkeypatch.setattr(transforms.work, "_signed", lambda words, *a: calls.append(len(words)) or signed(words, *a))
    monkeypatch.setattr(transforms.work, "SIGN_CHUNK_WORDS", 30)
    chunked_refs, chunked, _ = sign_documents([doc], 4, 5, 64, 1, "signatures")
    assert len(calls) > 4 and max(calls) < 30 + 30  # a window or so past the chunk, never the whole paragraph
    assert chunked_refs == refs == [("long", 0)] * len(refs) and np.array_equal(chunked, whole)
