"""Quality of detection on a generated wire corpus, against a plain datasketch baseline.

    python -m benchmarks.quality --docs 2000
    python -m benchmarks.quality --docs 2000 --foundation ../foundation   # and throughput against it
    python -m benchmarks.quality --docs 2000 --furniture realistic   # sites' page furniture (benchmarks/furniture.py)

Runs `wiretrace run` (DirectRunner) on a corpus from benchmarks.corpus, then scores:
- pairwise precision, recall, F1 over cross-outlet paragraph pairs: a pair is true when
  both paragraphs carry the same sentence of an agency story (verbatim or edited);
  predicted when both hold members of one reported passage (where a member spans
  several paragraphs, a merge or a split, only paragraphs whose words align to each
  other's are paired);
- character precision and recall of shared text (copies carried by another outlet);
- recall per edit kind (pairs whose copy has that edit);
- passages made of boilerplate (furniture, credit lines, an outlet's own template);
- kind accuracy: over members of passages whose origin is the agency's own wire (the
  edits are made to it), the share whose kind is the edit made to that copy;
- provenance: agency attribution precision (passages naming an agency, named right),
  agency coverage (passages where a member credits the agency, named right), origin
  accuracy (passages with a credited agency or a clear earliest publication: the
  agency's wire when it is a member; else, when members credit the agency, a crediting
  member standing for the unseen wire; else the earliest publication);
and the same detection figures for the baseline: datasketch MinHashLSH (threshold 0.5)
over whole paragraphs with the same xxhash shingles, every queried pair taken as shared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from datasketch import MinHashLSH
from rapidfuzz.distance import Indel

from benchmarks.corpus import FURNITURE_MODES, generate
from benchmarks.map_scores import kind_scores, provenance_scores
from benchmarks.story_scores import passage_unity, reword_scores, story_grouping, story_provenance
from pipeline.cli import run
from pipeline.config import Config
from transforms.sketch import Signer, shingle_hashes
from transforms.text import split_paragraphs, tokenize


def _paragraph_labels(rows, truths, reworded: bool = False):
    """-> {(doc, p): set of the sentences it carries}, {(doc, p): kind of its edit}. A
    sentence is (story, story paragraph, sentence), or ("quote", statement) for a
    statement two stories quote word for word (both stories' copies carry it). Reworded
    paragraphs are left out (reword_scores scores them), unless `reworded`."""
    labels, kinds = {}, {}
    for row, truth in zip(rows, truths, strict=True):
        for p, (start, end) in enumerate(split_paragraphs(row["text"])):
            for c in truth.copied:
                if c.kind == "reworded" and not reworded:
                    continue
                if c.start < end and start < c.end:
                    quotes = dict(c.quotes)
                    labels.setdefault((row["id"], p), set()).update(
                        ("quote", quotes[i]) if i in quotes else (c.story, i, k) for i, k in c.sentences
                    )
                    kinds[(row["id"], p)] = c.kind
    return labels, kinds


def _true_pairs(labels, outlet):
    carriers = defaultdict(set)
    for node, stories in labels.items():
        for sp in stories:
            carriers[sp].add(node)
    pairs = set()
    for nodes in carriers.values():
        for a, b in combinations(sorted(nodes), 2):
            if outlet[a[0]] != outlet[b[0]]:
                pairs.add((a, b))
    return pairs


def _groups_to_pairs(groups, outlet):
    """groups of paragraphs, or of pairs already made ("pairs", [(a, b)]) -> cross-outlet pairs."""
    pairs = set()
    for nodes in groups:
        if nodes and nodes[0] == "pairs":
            candidates = [tuple(sorted(pair)) for pair in nodes[1]]
        else:
            candidates = combinations(sorted(set(nodes)), 2)
        for a, b in candidates:
            if a[0] != b[0] and outlet[a[0]] != outlet[b[0]]:
                pairs.add((a, b))
    return pairs


def _word_paragraphs(text: str, start: int, end: int):
    """a member's span -> (word keys, paragraph index of each word)."""
    spans = split_paragraphs(text)
    words, paras = [], []
    for t in tokenize(text[start:end]):
        at = start + t.start
        words.append(t.norm)
        paras.append(next(p for p, (s, e) in enumerate(spans) if s <= at < e))
    return words, paras


MIN_BLOCK = 3  # words of a run two members share for their paragraphs to pair


def _member_pairs(passage, texts):
    """a passage -> its members' paragraph pairs: all of them when every member is one
    paragraph carrying the whole passage; else the pairs of paragraphs whose words
    align, in runs of MIN_BLOCK words or more (a merged paragraph pairs with both of the
    paragraphs it joined, not the first with the second; two copies that keep different
    sentences of one passage's paragraph do not pair)."""
    members = passage["members"]
    if all(len(m["paragraphs"]) == 1 and m.get("coverage", 1.0) == 1.0 for m in members):
        return [(m["doc_id"], m["paragraphs"][0]) for m in members]
    sides = [(m["doc_id"], *_word_paragraphs(texts[m["doc_id"]], m["start"], m["end"])) for m in members]
    pairs = []
    for (da, wa, pa), (db, wb, pb) in combinations(sides, 2):
        for block in Indel.opcodes(wa, wb).as_matching_blocks():
            if block.size >= MIN_BLOCK:
                for k in range(block.size):
                    pairs.append(((da, pa[block.a + k]), (db, pb[block.b + k])))
    return ["pairs", sorted(set(pairs))]


def _nodes(group):
    return [n for pair in group[1] for n in pair] if group and group[0] == "pairs" else group


def _char_scores(predicted_spans, rows, true_pairs, reuse_pairs=None):
    """-> (char precision, char recall) over paragraphs whose text another outlet carries
    (precision over those it carries or rewords, `reuse_pairs`, if given)."""
    shared_nodes = {n for pair in true_pairs for n in pair}
    reused_nodes = {n for pair in reuse_pairs or true_pairs for n in pair}
    true_chars, pred_chars, both, right = 0, 0, 0, 0
    for row in rows:
        doc = row["id"]
        spans = split_paragraphs(row["text"])
        truth, reused = set(), set()
        for p, (s, e) in enumerate(spans):
            if (doc, p) in shared_nodes:
                truth.update(range(s, e))
            if (doc, p) in reused_nodes:
                reused.update(range(s, e))
        pred = set()
        for s, e in predicted_spans.get(doc, ()):
            pred.update(range(s, e))
        true_chars += len(truth)
        pred_chars += len(pred)
        both += len(truth & pred)
        right += len(reused & pred)
    precision = right / pred_chars if pred_chars else 1.0
    recall = both / true_chars if true_chars else 1.0
    return precision, recall


def _scores(name, groups, predicted_spans, rows, truths, seconds):
    labels, kinds = _paragraph_labels(rows, truths)
    outlet = {r["id"]: r["outlet"] for r in rows}
    truth = _true_pairs(labels, outlet)
    pred = _groups_to_pairs(groups, outlet)
    tp = len(truth & pred)
    reused = _paragraph_labels(rows, truths, reworded=True)[0]
    # A copy found in a reworded paragraph (the words a rewrite kept, in order) is reuse
    # of its source all the same: right for precision; recall is over copy only.
    reuse = _true_pairs(reused, outlet)
    precision = len(reuse & pred) / len(pred) if pred else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_kind = {}
    for kind in ("verbatim", "trimmed", "merged", "split", "edited", "inserted"):
        kind_pairs = {p for p in truth if kinds.get(p[0]) == kind or kinds.get(p[1]) == kind}
        per_kind[kind] = len(kind_pairs & pred) / len(kind_pairs) if kind_pairs else float("nan")
    boiler = sum(1 for g in groups if len(set(_nodes(g))) > 1 and not any(n in reused for n in _nodes(g)))
    char_p, char_r = _char_scores(predicted_spans, rows, truth, reuse)
    return {
        "name": name,
        "pair_precision": precision,
        "pair_recall": recall,
        "pair_f1": f1,
        "true_pairs": len(truth),
        "missed_pairs": len(truth - pred),
        "char_precision": char_p,
        "char_recall": char_r,
        "recall_by_kind": per_kind,
        "boilerplate_passages": boiler,
        "seconds": seconds,
        "docs_per_second": len(rows) / seconds if seconds else float("nan"),
    }


def run_wiretrace(rows, workdir: Path, extra: list[str]):
    """corpus rows -> (the run's output folder, seconds)."""
    corpus = workdir / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = workdir / "out"
    started = time.monotonic()
    assert run(["run", "--input", str(corpus), "--output", str(out), "--overwrite", "--quiet", *extra]) == 0
    return out, time.monotonic() - started


def read_rows(out: Path, name: str) -> list[dict]:
    """a finished run's folder, a file name ("stories") -> the rows of name*.jsonl ([] if none)."""
    return [
        json.loads(line) for path in sorted(out.glob(f"{name}*.jsonl")) for line in path.read_text("utf-8").splitlines()
    ]


def read_passages(out: Path, rows):
    """a finished run's folder and its corpus rows -> (groups of (doc, paragraph) per
    passage, spans per doc, passages)."""
    texts = {r["id"]: r["text"] for r in rows}
    groups, spans, passages = [], defaultdict(list), []
    for path in sorted(out.glob("passages*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            passage = json.loads(line)
            passages.append(passage)
            groups.append(_member_pairs(passage, texts))  # a rewrite's kind is scored apart
            for m in passage["members"]:
                spans[m["doc_id"]].append((m["start"], m["end"]))
    return groups, spans, passages


def print_quality(rows, truths, out: Path, seconds: float, name: str = "wiretrace") -> None:
    """print the detection, kind, provenance, passage and story figures of one run of the
    job, whose output folder is `out`."""
    groups, spans, passages = read_passages(out, rows)
    _print(_scores(name, groups, spans, rows, truths, seconds))
    accuracy, scored, misses = kind_scores(passages, truths)
    top = ", ".join(f"{t} as {o}: {n}" for (t, o), n in misses.most_common(4))
    print(
        f"{'':<10} kind accuracy {accuracy:.3f} over {scored} copied paragraphs of wire-origin passages "
        f"(most common misses, truth as ours: {top or 'none'})"
    )
    figures = provenance_scores(passages, truths)
    print(
        f"{'':<10} provenance: " + "  ".join(f"{k.replace('_', ' ')} {v:.3f} (n={n})" for k, (v, n) in figures.items())
    )
    unity, carried = passage_unity(passages, truths)
    print(f"{'':<10} whole passages: {unity:.3f} of {carried:,} story paragraphs carried lie in exactly one passage")
    figures = reword_scores(passages, truths)
    print(
        f"{'':<10} rewording: " + "  ".join(f"{k.replace('_', ' ')} {v:.3f} (n={n:,})" for k, (v, n) in figures.items())
    )
    stories = read_rows(out, "stories")
    if not stories:
        print(f"{'':<10} stories: none written")
        return
    precision, recall, f1, docs = story_grouping(read_rows(out, "documents"), truths)
    figures = story_provenance(stories, rows, truths)
    print(
        f"{'':<10} stories: {len(stories):,}, B-cubed P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f} "
        f"(n={docs:,} documents)  "
        + "  ".join(f"{k.replace('_', ' ')} {v:.3f}" for k, (v, _) in figures.items())
        + f" (n={figures['origin_accuracy'][1]:,} stories)"
    )


def run_baseline(rows, config: Config, threshold: float = 0.5):
    """corpus rows -> the plain script's (groups, spans, seconds): MinHashLSH over whole paragraphs."""
    started = time.monotonic()
    signer = Signer(config.num_perm, config.seed)
    lsh = MinHashLSH(threshold=threshold, num_perm=config.num_perm)
    keys, spans_of = [], {}
    for row in rows:
        for p, (s, e) in enumerate(split_paragraphs(row["text"])):
            words = [t.norm for t in tokenize(row["text"][s:e])]
            if len(words) < config.min_paragraph_words:
                continue
            key = (row["id"], p)
            m = signer.minhash(shingle_hashes(words, config.shingle_size, config.seed))
            lsh.insert(key, m)
            keys.append((key, m))
            spans_of[key] = (s, e)
    groups, spans = [], defaultdict(list)
    for key, m in keys:
        for other in lsh.query(m):
            if other[0] != key[0] and key < other:
                groups.append([key, other])
                for k in (key, other):
                    spans[k[0]].append(spans_of[k])
    return groups, spans, time.monotonic() - started


def time_checkout(root: Path, corpus: Path, out: Path) -> float:
    """seconds for `python -m pipeline run` of the code in `root` on `corpus`, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output", str(out), "--overwrite"]
    started = time.monotonic()
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def compare_throughput(rows, foundation: Path, workdir: Path) -> None:
    """time this checkout and `foundation` (another checkout, e.g. a git worktree of the
    foundation commit) on the same corpus, each in a fresh process, and print both."""
    corpus = workdir / "corpus.jsonl"
    here = Path(__file__).resolve().parent.parent
    ours = time_checkout(here, corpus, workdir / "ours")
    theirs = time_checkout(foundation.resolve(), corpus, workdir / "foundation")
    print(
        f"throughput (fresh process each, same corpus): wiretrace {len(rows) / ours:.0f} docs/s ({ours:.1f} s), "
        f"foundation {len(rows) / theirs:.0f} docs/s ({theirs:.1f} s): {100 * (theirs / ours - 1):+.0f}%"
    )


def _print(result):
    kinds = "  ".join(f"{k} {v:.3f}" for k, v in result["recall_by_kind"].items())
    print(
        f"{result['name']:<10} pair P {result['pair_precision']:.3f}  R {result['pair_recall']:.3f}  "
        f"F1 {result['pair_f1']:.3f} | char P {result['char_precision']:.3f}  R {result['char_recall']:.3f} | "
        f"boilerplate passages {result['boilerplate_passages']} | {result['docs_per_second']:.0f} docs/s"
    )
    print(f"{'':<10} missed {result['missed_pairs']:,} of {result['true_pairs']:,} true pairs")
    print(f"{'':<10} recall by kind: {kinds}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--furniture",
        choices=FURNITURE_MODES,
        default="simple",
        help="the corpus's page furniture: five fixed lines, or each site's own (benchmarks/furniture.py)",
    )
    parser.add_argument(
        "--foundation", type=Path, help="another checkout (e.g. a git worktree of the foundation) to compare throughput"
    )
    parser.add_argument(
        "--compare",
        type=Path,
        help="another checkout (e.g. a git worktree of an earlier commit) to score on the same corpus",
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the corpus and the job's output here (default: a temporary folder)"
    )
    args, extra = parser.parse_known_args(argv)
    rows, truths = generate(args.docs, args.seed, furniture=args.furniture)
    print(f"corpus: {len(rows)} documents, seed {args.seed}, {args.furniture} furniture")
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        tmp = str(args.keep or tmp)
        out, seconds = run_wiretrace(rows, Path(tmp), extra)
        print_quality(rows, truths, out, seconds)
        if args.compare:
            seconds = time_checkout(args.compare.resolve(), Path(tmp) / "corpus.jsonl", Path(tmp) / "compared")
            print_quality(rows, truths, Path(tmp) / "compared", seconds, name="compared")
        if args.foundation:
            compare_throughput(rows, args.foundation, Path(tmp))
    groups, spans, seconds = run_baseline(rows, Config())
    _print(_scores("baseline", groups, spans, rows, truths, seconds))


if __name__ == "__main__":
    main()
