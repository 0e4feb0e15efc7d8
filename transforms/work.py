"""The heavy steps' work on a batch of elements: pure and Beam-free, so that worker
processes (transforms.offload) run it as well as the Beam worker itself.

Every function: (batch, parameters) -> (outputs, counts), where `outputs[i]` is the
list of outputs of `batch[i]` and `counts` maps (namespace, counter) to an increment.
Joined values come packed (pickled, transforms.packed) and are unpickled here, in the
process that works on them. GroupByBand's steps are in transforms.band_work.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

import numpy as np

from transforms.align import align_spans, forget_alignments
from transforms.boilerplate import boilerplate_reason
from transforms.components import span_pair_batch, unpack_span_pairs
from transforms.credits import Agencies
from transforms.furniture import BUCKETS, bucketed, document_shapes, paragraph_is_furniture
from transforms.heap import release_free_memory
from transforms.lines import document_key, keyed_line, sorted_runs
from transforms.maps import document_row
from transforms.match import packed_partitions
from transforms.model import (
    Document,
    DocumentLines,
    FilePart,
    Paragraph,
    ParagraphRef,
    ParagraphText,
    Piece,
    SpanPairBatch,
    ToAlign,
)
from transforms.outlet_facts import document_tallies
from transforms.passages import build_passages
from transforms.shards import Shelf, by_shard, key_part, merged, opened, pack, pack_compressed, seal
from transforms.sketch import Signer, shingle_values, word_hashes
from transforms.stories import build_stories
from transforms.text import paragraph_at, split_paragraphs, window_norms, words

Counts = dict[tuple[str, str], int]


# Values a join finds without their document: none, unless a runner lost the document
# between stages. Counted so that such a run fails loudly (pipeline.job) and its pairs
# are never dropped in silence.
WITHOUT_DOCUMENT = ("integrity", "joined_without_document")


# The step this process last worked on. A step leaves its caches behind (alignment's
# and the tokeniser's: transforms.align, transforms.text.words; a few hundred MB by the
# end of a large run), and the memory of its last batches in the C heap, which keeps
# the pages: a process drops the caches, and hands the free pages back, when it moves
# on to another step. Reading and signing run side by side (one stage on the local
# runner): one step here.
_STEP = {"last": ""}
_SIDE_BY_SIDE = {"read": "read", "sign": "read"}


def _working_on(step: str) -> None:
    step = _SIDE_BY_SIDE.get(step, step)
    last, _STEP["last"] = _STEP["last"], step
    if last in ("", step):
        return
    forget_alignments()
    words.cache_clear()
    release_free_memory()


def run_step(work, batch, *args, **kwargs):
    """a work function (one of this module's `*_batch`, or any other) and its batch ->
    what it gives, worked in this process once its step is noted (_working_on: the
    function's name less `_batch`). transforms.offload runs every batch through here."""
    _working_on(work.__name__.removesuffix("_batch"))
    return work(batch, *args, **kwargs)


def _joined(grouped: dict, lists: list, counts: Counter) -> Iterator[tuple[Document, list]]:
    """a join's documents (grouped["doc"]: sealed shards) and the lists of (doc_id,
    value) it found -> for each document the values name, in doc_id order: (document,
    its values). Values whose document the join did not find are counted
    (WITHOUT_DOCUMENT), not given."""
    shelf = Shelf(grouped["doc"])
    for doc_id, values in merged(lists).items():
        doc = shelf.get(doc_id)
        if doc is None:
            counts[WITHOUT_DOCUMENT] += len(values)
            continue
        yield doc, values


def attach_batch(groups: list) -> tuple[list[list], Counts]:
    """(shard, {doc: [sealed documents], pairs: [packed (CandidatePairs, ...)]}) groups ->
    for each, (b's shard, compressed [(b's doc_id, ToAlign)]): each pair's paragraph a, sent
    to the document of paragraph b, one ToAlign per document pair, one element per pair
    of shards."""
    counts: Counter = Counter()
    outputs = []
    for _, grouped in groups:
        shelf = Shelf(grouped["doc"])
        to: dict[str, list] = {}
        for batch in opened(grouped, "pairs"):
            for candidates in batch:
                doc = shelf.get(candidates.doc_id)
                if doc is None:
                    counts[WITHOUT_DOCUMENT] += 1
                    continue
                spans = split_paragraphs(doc.text)
                texts: dict[int, ParagraphText] = {}  # made once each, for the paragraphs paired only
                for index, (b_doc, b_index) in candidates.pairs:
                    a = texts.get(index)
                    if a is None:
                        start, end = spans[index]
                        a = texts[index] = ParagraphText(doc.doc_id, index, start, doc.text[start:end])
                    to.setdefault(b_doc, []).append((a, b_index))
        to_align = ((b_doc, ToAlign(b_doc, tuple(to[b_doc]))) for b_doc in sorted(to))
        # Compressed: every part of the alignment's join waits in a local runner's memory
        # until its turn (463 MB of paragraph text at 100,000 documents, 170 MB so).
        outputs.append([(shard, pack_compressed(items)) for shard, items in by_shard(to_align)])
    return outputs, dict(counts)


def align_batch(groups: list, max_gap: int, min_words: int) -> tuple[list[list], Counts]:
    """(shard, {doc: [sealed documents], left: [compressed [(doc_id, ToAlign)]]}) groups ->
    for each, [SpanPairBatch]: every pair the group holds aligned (transforms.align),
    and the span pairs of its matches (what clustering needs of them: align_spans), one
    packed batch per shard (none when nothing matched)."""
    counts: Counter = Counter()
    outputs = []
    for _, grouped in groups:
        docs: dict[str, int] = {}  # doc_id -> its number in the batch, in order of first use
        rows: list[tuple[int, ...]] = []
        for doc, lefts in _joined(grouped, opened(grouped, "left", compressed=True), counts):
            spans = split_paragraphs(doc.text)
            texts = [doc.text[start:end] for start, end in spans]
            for left in lefts:
                for a, b_index in left.pairs:
                    found = align_spans(a, texts[b_index], spans[b_index][0], max_gap, min_words)
                    counts[("verify", "verified" if found else "rejected")] += 1
                    for a_start, a_end, b_start, b_end in found:
                        number_a = docs.setdefault(a.doc_id, len(docs))
                        number_b = docs.setdefault(doc.doc_id, len(docs))
                        rows.append((number_a, a_start, a_end, number_b, b_start, b_end))
        if grouped["left"]:
            counts[("verify", "spans")] += len(rows)
        outputs.append([span_pair_batch(docs, rows)] if rows else [])
    return outputs, dict(counts)


def _nodes(batch: SpanPairBatch) -> list[tuple[str, tuple]]:
    """a shard's nodes, as (node, key node) pairs (components.cluster_nodes) -> (doc_id,
    (cluster key, start, end)) for each."""
    return [(node[0], (key, node[1], node[2])) for node, key in unpack_span_pairs(batch)]


def pieces_batch(groups: list, partitions: int) -> tuple[list[list], Counts]:
    """(shard, {node: [packed SpanPairBatch of (node, key node)], doc: [packed
    documents]}) groups -> for each, (cluster partition, packed [Piece]): each node of
    the shard cut at its document's paragraphs, the pieces of one partition together;
    partitions by key_part of the cluster's key."""
    counts: Counter = Counter()
    outputs = []
    for _, grouped in groups:
        out: dict[int, list[Piece]] = {}
        nodes = [_nodes(batch) for batch in opened(grouped, "node")]
        for doc, found in _joined(grouped, nodes, counts):
            spans = split_paragraphs(doc.text)
            made: dict[int, Paragraph] = {}  # made once each, for the paragraphs a node touches only
            for key, start, end in found:
                pieces = out.setdefault(key_part(key, partitions), [])
                for index, (para_start, para_end) in enumerate(spans):
                    if para_start < end and start < para_end:
                        para = made.get(index)
                        if para is None:
                            para = paragraph_at(doc.doc_id, doc.text, spans, index, doc.outlet, doc.published)
                            made[index] = para
                        pieces.append(Piece(key, max(start, para_start), min(end, para_end), para, doc.credits))
        outputs.append([(partition, pack(pieces)) for partition, pieces in sorted(out.items())])
    return outputs, dict(counts)


def document_lines_batch(groups: list, with_text: bool, shards: int) -> tuple[list[list], Counts]:
    """(shard, {doc: [sealed documents], spans: [packed [(doc_id, Span)]], stories:
    [packed [(doc_id, story membership)]]}) groups -> for each, [DocumentLines]: the
    documents.jsonl row of every document of the shard (transforms.maps.document_row;
    with its text if `with_text`), as sorted runs of lines for `shards` files, and the
    tallies of those documents by outlet. Spans and memberships whose document the join
    did not find are counted (WITHOUT_DOCUMENT)."""
    counts: Counter = Counter()
    outputs = []
    for _, grouped in groups:
        spans = merged(opened(grouped, "spans"))
        stories = merged(opened(grouped, "stories")) if "stories" in grouped else {}
        shelf = Shelf(grouped["doc"])
        for found in (spans, stories):
            counts[WITHOUT_DOCUMENT] += sum(len(v) for doc_id, v in found.items() if shelf.get(doc_id) is None)
        rows = [document_row(doc, spans.get(doc.doc_id, ()), with_text, stories.get(doc.doc_id, ())) for doc in shelf]
        counts[("provenance", "documents")] += len(rows)
        runs = tuple(sorted_runs(keyed_line(row, document_key, shards) for row in rows))
        outputs.append([DocumentLines(runs, tuple(document_tallies(rows)))] if rows else [])
    return outputs, {key: n for key, n in counts.items() if n}


def agency_items(agencies: dict | None) -> tuple:
    """the config's extra agencies {name: [alias, ...]} -> sorted (name, aliases) items:
    hashable, so that a worker builds their Agencies once (_agencies)."""
    return tuple(sorted((name, tuple(aliases)) for name, aliases in (agencies or {}).items()))


@lru_cache(maxsize=16)
def _agencies(agencies: tuple) -> Agencies:
    """the config's extra agencies as sorted (name, aliases) items -> their Agencies."""
    return Agencies(dict(agencies))


def read_batch(items: list, agencies: tuple, options=None) -> tuple[list[list], Counts]:
    """FileParts to parse (with `options`, transforms.readers.ReadOptions), and records
    parsed already (Documents, RecordErrors) -> for each, its records: every Document
    with `credits`, the wire agencies its text credits (datelines, bylines, closing
    credits); counted as read, as rejected for RecordErrors, and by the notes of
    Documents (`read:unparsed_published`)."""
    from transforms.readers import parse_part  # here: it loads trafilatura, which workers need not

    finder = _agencies(agencies)
    outputs = []
    counts: Counter = Counter()
    for item in items:
        records = list(parse_part(item, options)) if isinstance(item, FilePart) else [item]
        for i, record in enumerate(records):
            if isinstance(record, Document):
                records[i] = replace(record, credits=finder.credits(record.text))
                for note in record.notes:
                    counts[("read", note)] += 1
            else:
                counts[("read", "rejected")] += 1
        counts[("read", "records")] += len(records)
        outputs.append(records)
    return outputs, {key: n for key, n in counts.items() if n}


def seal_batch(groups: list) -> tuple[list[list], Counts]:
    """(shard, [(doc_id, pickle)]) groups -> for each, (shard, the shard sealed:
    transforms.shards.seal)."""
    return [[(shard, seal(items))] for shard, items in groups], {}


def _piece_order(piece: Piece):
    return piece.paragraph.doc_id, piece.start, piece.end


def passages_batch(groups: list, max_gap: int, min_words: int, agencies: tuple) -> tuple[list[list], Counts]:
    """(cluster partition, [packed [Piece]]) groups -> for each, the Passages of every
    cluster in it (build_passages), clusters in key order; `agencies`: the config's extra
    agencies as sorted (name, aliases) items."""
    wire_of = _agencies(agencies).name
    counts: Counter = Counter()
    outputs = []
    for _, packed in groups:
        clusters: dict[tuple, list[Piece]] = {}
        for data in packed:
            for piece in pickle.loads(data):
                clusters.setdefault(piece.component, []).append(piece)
        passages = []
        for key in sorted(clusters):
            passages.extend(build_passages(sorted(clusters[key], key=_piece_order), max_gap, min_words, wire_of))
        counts[("cluster", "clusters")] += len(clusters)
        if passages:
            counts[("cluster", "passages")] += len(passages)
        outputs.append(passages)
    return outputs, dict(counts)


def stories_batch(lists: list, agencies: tuple) -> tuple[list[list], Counts]:
    """lists of every cross-outlet passage's StoryFacts (one list: all of the job's) ->
    for each, its Stories (transforms.stories.build_stories), sorted by id."""
    wire_of = _agencies(agencies).name
    outputs = [build_stories(facts, wire_of) for facts in lists]
    counts = {("stories", "stories"): sum(map(len, outputs))}
    counts[("stories", "members")] = sum(len(story.members) for stories in outputs for story in stories)
    return outputs, {key: n for key, n in counts.items() if n}


@lru_cache(maxsize=4)
def _signer(num_perm: int, seed: int) -> Signer:
    return Signer(num_perm, seed)


def sign_documents(
    docs: list[Document],
    shingle_size: int,
    min_words: int,
    num_perm: int,
    seed: int,
    namespace: str,
    furniture: frozenset[int] = frozenset(),
    min_shared: int = 0,
) -> tuple[list[ParagraphRef], np.ndarray, Counts]:
    """documents -> the paragraph of each signed window, the (windows, num_perm) uint32
    signatures, and counts: every paragraph's sentence windows (window_norms), except
    boilerplate, the page furniture whose shapes' keys are `furniture`
    (transforms.furniture), and paragraphs under `min_words` words or under
    `min_shared` (they could never share that many words with another); every word
    hashed once, then the batch's shingles and signatures computed with numpy at once."""
    filtered = "filtered" if namespace == "signatures" else f"{namespace}_filtered"
    counts: Counter = Counter()
    refs, lengths, words, signed = [], [], [], []
    for doc in docs:
        for index, (start, end) in enumerate(split_paragraphs(doc.text)):
            text = doc.text[start:end]
            reason = boilerplate_reason(text)
            if reason is None and paragraph_is_furniture(text, doc.outlet, furniture):
                reason = "page_furniture"
            if reason:
                counts[(filtered, reason)] += 1
                continue
            windows = window_norms(text, min_words)
            if sum(len(window) for window in windows) < max(min_words, min_shared):
                counts[(namespace, "too_short")] += 1
                continue
            counts[(namespace, "signed")] += 1
            for window in windows:
                refs.append((doc.doc_id, index))
                lengths.append(len(window))
                words.extend(window)
                if len(words) >= SIGN_CHUNK_WORDS:
                    signed.append(_signed(words, lengths, shingle_size, num_perm, seed))
                    lengths, words = [], []
    signed.append(_signed(words, lengths, shingle_size, num_perm, seed))
    counts[(namespace, "windows")] += len(refs)
    return refs, np.concatenate(signed) if len(signed) > 1 else signed[0], dict(counts)


# Words signed at a time: a window's shingles become a (shingles, num_perm) array on
# their way to its signature, so a batch (or one huge document, or paragraph) is signed a
# chunk of windows at a time; about 70 MB of that array at most (128 permutations).
SIGN_CHUNK_WORDS = 1 << 17


def _signed(words: list[str], lengths: list[int], shingle_size: int, num_perm: int, seed: int) -> np.ndarray:
    """windows' words, concatenated, and each window's word count -> their (windows,
    num_perm) uint32 signatures."""
    hashes = word_hashes(words, seed)
    values, sizes = shingle_values(hashes, np.array(lengths, dtype=np.int64), shingle_size, seed)
    return _signer(num_perm, seed).sign_values(values, sizes)


def sign_batch(
    batches: list[list[Document]],
    shingle_size: int,
    min_words: int,
    num_perm: int,
    seed: int,
    partitions: int,
    min_shared: int = 0,
    furniture: list[int] = (),
) -> tuple[list[list], Counts]:
    """batches of documents, the keys of the corpus's page furniture -> for each batch,
    its windows' signatures as (partition, packed SignedWindows), one element per
    signature partition (packed_partitions)."""
    counts: Counter = Counter()
    outputs = []
    keys = frozenset(furniture)
    for docs in batches:
        refs, signatures, signed = sign_documents(
            docs, shingle_size, min_words, num_perm, seed, "signatures", keys, min_shared
        )
        counts.update(signed)
        counts[("signatures", "documents")] += len(docs)
        outputs.append(packed_partitions(signatures, refs, partitions))
    return outputs, dict(counts)


def shapes_batch(batches: list[list[Document]]) -> tuple[list[list], Counts]:
    """batches of documents -> for each, (bucket, ShapeCounts) of its paragraphs' shapes
    (transforms.furniture), a part per bucket of shape keys."""
    outputs = [bucketed(document_shapes(docs), BUCKETS) for docs in batches]
    return outputs, {("furniture", "documents"): sum(len(docs) for docs in batches)}
