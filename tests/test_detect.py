"""Signatures, GroupByBand and Verify, each in a TestPipeline."""

import pickle

import apache_beam as beam
import numpy as np
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.beam_helpers import counter
from transforms.align import align_paragraphs
from transforms.band_work import distinct_pairs_batch
from transforms.components import connected_components, span_pair, unpack_span_pairs
from transforms.detect import GroupByBand, Signatures, Verify, paragraph_count
from transforms.match import packed_partitions
from transforms.model import CandidatePairs, Document
from transforms.offload import worker_processes
from transforms.read import PackDocuments
from transforms.shards import by_shard, shard_of
from transforms.sketch import Signer, shingle_hashes
from transforms.text import document_paragraphs, tokenize

WIRE = (
    "Iraqi Prime Minister Mohamed Shia al-Sudani met Blinken, the premier's office said, "
    "with the two expected to discuss the risks of escalation in Israel's war with Hamas."
)
OTHER = "Local football results from the weekend were announced on Monday by the league office in town."


def _signed_view(element):
    """(partition, packed SignedWindows) -> [(ref, signature as a tuple of ints)] of each window."""
    _, packed = element
    windows = pickle.loads(packed)
    return [
        (ref, tuple(np.frombuffer(sig, dtype=np.uint32).tolist()))
        for ref, sig in zip(windows.refs, windows.signatures, strict=True)
    ]


def _doc(doc_id, *paragraphs):
    return Document(doc_id, "\n\n".join(paragraphs), f"{doc_id}.txt")


def test_paragraph_count_counts_non_blank_lines():
    assert paragraph_count(Document("d", "  Title line\r\n\r\nBody one.\n  \nBody two.  ", "d.txt")) == 3


@pytest.mark.parametrize("processes", [0, 2])
def test_signatures_are_datasketch_minhashes_of_xxhash_shingles_and_skip_short_paragraphs(processes):
    shingles = shingle_hashes([t.norm for t in tokenize(WIRE)], 4, 7)
    expected = Signer(64, 7).sign(shingles)
    p = TestPipeline()
    signatures = Signatures(4, 5, 64, 7)
    out = p | beam.Create([_doc("d", WIRE, "Too short")]) | signatures | beam.FlatMap(_signed_view)
    assert_that(out, equal_to([(("d", 0), expected)]))
    with worker_processes(processes):
        result = p.run()
        result.wait_until_finish()
    assert counter(result, "signatures", "signed") == 1
    assert counter(result, "signatures", "windows") == 1
    assert counter(result, "signatures", "too_short") == 1


def test_each_sentence_window_of_a_paragraph_is_signed_under_the_paragraph_ref():
    second = "The two leaders also spoke about reconstruction money for the southern provinces."
    text = f"{WIRE} {second}"
    signer = Signer(64, 7)
    expected = [
        (("d", 4), signer.sign(shingle_hashes([t.norm for t in tokenize(sentence)], 4, 7)))
        for sentence in (WIRE, second)
    ]
    p = TestPipeline()
    doc = _doc("d", "Zero.", "One.", "Two.", "Three.", text)
    out = p | beam.Create([doc]) | Signatures(4, 5, 64, 7) | beam.FlatMap(_signed_view)
    assert_that(out, equal_to(expected))
    result = p.run()
    result.wait_until_finish()
    assert counter(result, "signatures", "signed") == 1
    assert counter(result, "signatures", "windows") == 2


def _sign_all(texts, partitions=4):
    """[(ref, text)] -> (partition, packed SignedWindows) elements, as Signatures emits them."""
    signer = Signer(128, 1)
    signatures = signer.sign_batch([shingle_hashes([t.norm for t in tokenize(text)], 4, 1) for _, text in texts])
    return packed_partitions(signatures, [ref for ref, _ in texts], partitions)


def _pairs_view(element):
    """(shard, (CandidatePairs, ...)) -> its pairs (a, b), each document in its own shard."""
    shard, batch = element
    assert all(shard_of(candidates.doc_id) == shard for candidates in batch)
    return [((candidates.doc_id, index), b) for candidates in batch for index, b in candidates.pairs]


def _sharded(pairs: list[CandidatePairs]) -> list:
    """CandidatePairs -> (shard, (CandidatePairs, ...)) elements, as GroupByBand gives them."""
    return [(shard, tuple(c for _, c in items)) for shard, items in by_shard((c.doc_id, c) for c in pairs)]


@pytest.mark.parametrize("processes", [0, 2])
def test_group_by_band_pairs_identical_paragraphs_across_documents_only_once(processes):
    signed = _sign_all([(("a", 0), WIRE), (("b", 3), WIRE), (("a", 1), WIRE), (("c", 0), OTHER)])
    p = TestPipeline()
    grouped = GroupByBand(bands=32, rows=4, max_bucket_size=10)
    pairs = p | beam.Create(signed) | grouped | beam.FlatMap(_pairs_view)
    # a/0 and a/1 are in the same document: never a pair.
    assert_that(pairs, equal_to([(("a", 0), ("b", 3)), (("a", 1), ("b", 3))]))
    with worker_processes(processes):
        result = p.run()
        result.wait_until_finish()
    # Identical signatures are grouped first and paired once, never in a (hot) bucket.
    assert counter(result, "lsh", "hot_buckets") == 0
    assert counter(result, "lsh", "distinct_signatures") == 2  # WIRE's and OTHER's


@pytest.mark.parametrize("processes", [0, 2])
def test_group_by_band_pairs_a_hot_bucket_of_near_copies_through_anchors_yet_connects_it(processes):
    # 40 documents carry the wire sentence with one word of their own: 40 distinct
    # signatures that share most bands, far past max_bucket_size (5).
    texts = [((f"d{i:02d}", 0), WIRE.replace("premier's", f"premier{i}")) for i in range(40)]
    p = TestPipeline()
    pairs = (
        p
        | beam.Create(_sign_all(texts))
        | GroupByBand(bands=32, rows=4, max_bucket_size=5)
        | beam.FlatMap(_pairs_view)
        | beam.combiners.ToList()
    )

    def check(found):
        found = found[0]
        assert len(found) == len(set(found)) and all(a < b and a[0] != b[0] for a, b in found)
        # Pairs come from the small buckets of the bands where only a few copies
        # collide, and from anchors in the hot ones: far fewer than all 40 * 39 / 2.
        assert len(found) < 40 * 39 / 4
        assert connected_components(found) == [sorted(ref for ref, _ in texts)]

    assert_that(pairs, check)
    with worker_processes(processes):
        result = p.run()
        result.wait_until_finish()
    assert counter(result, "lsh", "hot_buckets") > 0
    assert counter(result, "lsh", "distinct_signatures") == len(texts)


@pytest.mark.parametrize(("parts", "processes"), [(1, 0), (3, 0), (3, 2)])
def test_verify_aligns_each_candidate_pair_and_reports_only_the_shared_part(parts, processes):
    own = "Our correspondent adds that the streets of the capital were quiet on Monday evening."
    trimmed = WIRE.split(", with")[0] + "."
    a_text, b_text = f"{WIRE} {own}", f"Local angle first. {trimmed}"
    documents = [
        Document("a", f"Headline.\n{a_text}", "a.txt"),
        Document("b", f"One.\nTwo.\n{b_text}", "b.txt"),
        Document("c", OTHER, "c.txt"),
    ]
    a_at, b_at = documents[0].text.index(a_text), documents[1].text.index(b_text)
    pairs = [CandidatePairs("a", ((1, ("b", 2)), (1, ("c", 0))))]
    p = TestPipeline()
    docs = p | "Documents" >> beam.Create(documents) | PackDocuments()
    verify = Verify(docs, max_gap=5, min_words=8, parts=parts)
    matches = p | "Pairs" >> beam.Create(_sharded(pairs)) | verify
    shared = "Iraqi Prime Minister Mohamed Shia al-Sudani met Blinken, the premier's office said"
    b_start = b_at + b_text.index(shared)
    # Each match runs from the first shared word up to the next word or the paragraph's end.
    a_end = a_at + a_text.index("with the two")
    (match,) = align_paragraphs(
        *(document_paragraphs(d.doc_id, d.text, None, None)[i] for d, i in ((documents[0], 1), (documents[1], 2))), 5, 8
    )
    assert (match.a, match.a_start, match.a_end, match.b, match.b_start, match.b_end, match.words) == (
        ("a", 1),
        a_at,
        a_end,
        ("b", 2),
        b_start,
        b_at + len(b_text),
        14,
    )
    # Verify gives its span pair: each span on to its reach, the end of its paragraph.
    assert span_pair(match) == (("a", a_at, a_at + len(a_text)), ("b", b_start, b_at + len(b_text)))
    assert_that(matches | beam.FlatMap(unpack_span_pairs), equal_to([span_pair(match)]))
    with worker_processes(processes):
        result = p.run()
        result.wait_until_finish()
    assert counter(result, "verify", "verified") == 1
    assert counter(result, "verify", "rejected") == 1


def test_signatures_skip_boilerplate_and_count_it_by_reason():
    doc = _doc("d", "Skip to main content", "Reuters contributed to this report.", WIRE)
    p = TestPipeline()
    out = p | beam.Create([doc]) | Signatures(4, 5, 64, 7) | beam.FlatMap(lambda e: pickle.loads(e[1]).refs)
    assert_that(out, equal_to([("d", 2)]))
    result = p.run()
    result.wait_until_finish()
    assert counter(result, "filtered", "furniture") == 1
    assert counter(result, "filtered", "credit_line") == 1


@pytest.mark.parametrize(("parts", "processes"), [(1, 0), (2, 0), (2, 2)])
def test_verify_counts_pairs_whose_document_never_reaches_the_join(parts, processes):
    # Document "b" is missing (as if a runner lost it between stages): its pairs are not
    # aligned, and the join says how many values found no document.
    documents = [Document("a", f"Headline.\n{WIRE}", "a.txt")]
    pairs = [CandidatePairs("a", ((1, ("b", 0)), (1, ("b", 1)))), CandidatePairs("z", ((0, ("a", 1)),))]
    p = TestPipeline()
    docs = p | "Documents" >> beam.Create(documents) | PackDocuments()
    verify = Verify(docs, max_gap=5, min_words=8, parts=parts)
    matches = p | "Pairs" >> beam.Create(_sharded(pairs)) | verify
    assert_that(matches, equal_to([]))
    with worker_processes(processes):
        result = p.run()
        result.wait_until_finish()
    # "z"'s pairs at the first join; the ToAlign sent to "b" at the second.
    assert counter(result, "integrity", "joined_without_document") == 2
    assert counter(result, "verify", "verified") == counter(result, "verify", "rejected") == 0


def test_distinct_pairs_batch_merges_packed_lists_into_each_pair_once_by_document():
    b1, b2 = ("y", 0), ("z", 4)
    lists = [[("x", [(1, b2), (0, b1)])], [("w", [(2, b1)]), ("x", [(0, b1)])]]
    outputs, _ = distinct_pairs_batch([(7, [pickle.dumps(items) for items in lists])])
    assert outputs == [[(7, (CandidatePairs("w", ((2, b1),)), CandidatePairs("x", ((0, b1), (1, b2)))))]]
