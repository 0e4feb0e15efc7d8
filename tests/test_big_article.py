"""The pure parts of benchmarks/big_article.py: the two articles it writes, and how it
scores what the job found of their shared paragraphs."""

import json

from benchmarks.big_article import covered, two_articles


def test_the_small_article_carries_the_big_ones_paragraphs_at_its_spans():
    (big, small), spans = two_articles(0.05, shared=5)
    assert len(big["text"]) >= 50_000 and len(spans) == 5
    paragraphs = set(big["text"].split("\n\n"))
    shared = [small["text"][start:end] for start, end in spans]
    assert all(text in paragraphs for text in shared)
    own = set(small["text"].split("\n\n")) - set(shared)
    assert len(own) == 5 and not own & paragraphs
    assert two_articles(0.05, shared=5) == ([big, small], spans)  # the same seed, the same articles


def test_covered_counts_the_shared_characters_a_documents_members_cover(tmp_path):
    passages = tmp_path / "passages.jsonl"
    rows = [
        {"members": [{"doc_id": "small", "start": 10, "end": 20}, {"doc_id": "big", "start": 0, "end": 50}]},
        {"members": [{"doc_id": "small", "start": 15, "end": 30}]},
    ]
    passages.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert covered(passages, "small", [(0, 12), (25, 40)]) == (2 + 5, 12 + 15)
    assert covered(passages, "other", [(0, 12)]) == (0, 12)
