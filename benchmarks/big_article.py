"""One huge article: the job's peak memory and time on a record of many megabytes.

    python -m benchmarks.big_article               # one 50 MB article
    python -m benchmarks.big_article --mb 10 [--config FILE] [--keep DIR] [Beam options ...]

It writes a JSON Lines file of two records (`two_articles`): one article of `--mb`
megabytes of generated prose (sentences of the seeds' words, in paragraphs of one to
three), and a small article of another outlet that carries `--shared` of the big one's
paragraphs between its own. Then it runs `wiretrace run` on it (the throughput
benchmark's local settings, unless Beam options are given) and prints wall and CPU
seconds, the peak memory of the process tree (RSS summed, and PSS), and whether the job
found every shared paragraph: how many of the small article's shared characters its
passages cover.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus import _vocabulary, _Writer
from benchmarks.throughput import GB, LOCAL_SETTINGS, measured


def two_articles(megabytes: float, shared: int = 20, seed: int = 7) -> tuple[list[dict], list[tuple[int, int]]]:
    """size of the big article in MB, how many of its paragraphs the small one carries ->
    (the two records, the (start, end) offsets of those paragraphs in the small one's
    text)."""
    rng = random.Random(seed)
    writer = _Writer(rng, _vocabulary())
    paragraphs, size = [], 0
    while size < megabytes * 1_000_000:
        paragraph = " ".join(writer.paragraph(rng.randint(1, 3)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    taken = sorted(rng.sample(range(len(paragraphs)), min(shared, len(paragraphs))))
    small, spans, at = [], [], 0
    for index in taken:
        own = " ".join(writer.paragraph(2))
        small.append(own)
        at += len(own) + 2
        small.append(paragraphs[index])
        spans.append((at, at + len(paragraphs[index])))
        at += len(paragraphs[index]) + 2
    records = [
        {"id": "big", "outlet": "Big Outlet", "text": "\n\n".join(paragraphs)},
        {"id": "small", "outlet": "Small Outlet", "text": "\n\n".join(small)},
    ]
    return records, spans


def covered(passages: Path, doc_id: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """passages.jsonl, a document and its shared spans -> (characters of those spans that
    the document's passage spans cover, characters in those spans)."""
    marked: set[int] = set()
    for line in passages.read_text(encoding="utf-8").splitlines():
        for member in json.loads(line)["members"]:
            if member["doc_id"] == doc_id:
                marked.update(range(member["start"], member["end"]))
    total = sum(end - start for start, end in spans)
    return sum(1 for start, end in spans for i in range(start, end) if i in marked), total


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the big article, in MB")
    parser.add_argument("--shared", type=int, default=20, help="paragraphs of it the small article carries")
    parser.add_argument("--config", help="the job's config file")
    parser.add_argument("--keep", help="a folder to keep the input and output in (default: a temporary one)")
    args, beam_args = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(args.keep or temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        records, spans = two_articles(args.mb, args.shared)
        corpus = workdir / "big-article.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        out = workdir / "out-big-article"
        job = [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output", str(out), "--overwrite"]
        job += ["--config", args.config] if args.config else []
        run = measured(job + (beam_args or LOCAL_SETTINGS), log=workdir / "out-big-article.log")
        found, total = covered(out / "passages.jsonl", "small", spans)
    size = len(records[0]["text"]) / 1e6
    print(
        f"one {size:.1f} MB article ({records[0]['text'].count(chr(10) * 2) + 1:,} paragraphs) and a small one "
        f"sharing {len(spans)} of them: {run.seconds:.1f} s, CPU {run.cpu:.1f} s, "
        f"peak {run.peak / GB:.2f} GB (PSS {run.pss / GB:.2f}); "
        f"shared text found: {found:,} of {total:,} characters"
    )


if __name__ == "__main__":
    main()
