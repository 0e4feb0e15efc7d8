"""The plain script wiretrace is measured against: datasketch MinHash + an in-memory MinHashLSH.

    python -m benchmarks.plain_lsh CORPUS.jsonl     -> one JSON line of figures on stdout

What a competent engineer writes in an afternoon: paragraphs split on line breaks,
exact-duplicate paragraphs collapsed first, each distinct paragraph's 3-word shingles
signed with `MinHash.update_batch` (64 permutations, datasketch's default SHA-1 hash),
inserted into a `MinHashLSH` and queried for candidates. No verification, no offsets,
no provenance: it finds candidate pairs only.
"""

from __future__ import annotations

import json
import sys
import time

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE = 3
MIN_WORDS = 8


def candidate_pairs(path: str, threshold: float = 0.5) -> dict:
    """corpus.jsonl -> {documents, paragraphs, distinct_paragraphs, candidate_pairs, seconds}."""
    started = time.perf_counter()
    documents = paragraphs = 0
    places: dict[str, list[tuple[str, int]]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            documents += 1
            for i, paragraph in enumerate(p for p in row["text"].split("\n") if p.strip()):
                paragraphs += 1
                places.setdefault(" ".join(paragraph.lower().split()), []).append((row["id"], i))
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    signed = []
    for n, text in enumerate(places):
        words = text.split()
        if len(words) < MIN_WORDS:
            continue
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)])
        lsh.insert(n, m)
        signed.append((n, m))
    pairs = sum(len(places_of) * (len(places_of) - 1) // 2 for places_of in places.values())  # exact duplicates
    texts = list(places)
    for n, m in signed:
        for other in lsh.query(m):
            if other > n:
                pairs += len(places[texts[n]]) * len(places[texts[other]])
    return {
        "documents": documents,
        "paragraphs": paragraphs,
        "distinct_paragraphs": len(places),
        "candidate_pairs": pairs,
        "seconds": time.perf_counter() - started,
    }


if __name__ == "__main__":
    print(json.dumps(candidate_pairs(sys.argv[1])))
