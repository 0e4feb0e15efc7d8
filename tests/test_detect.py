"""SplitParagraphs, Signatures, GroupByBand and Verify, each in a TestPipeline."""

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.beam_helpers import counter
from transforms.detect import GroupByBand, Signatures, SplitParagraphs, Verify
from transforms.model import Document, Paragraph, Signed
from transforms.sketch import Signer, shingle_hashes
from transforms.text import tokenize

WIRE = (
    "Iraqi Prime Minister Mohamed Shia al-Sudani met Blinken, the premier's office said, "
    "with the two expected to discuss the risks of escalation in Israel's war with Hamas."
)
OTHER = "Local football results from the weekend were announced on Monday by the league office in town."


def _span(paragraph):
    return paragraph.doc_id, paragraph.index, paragraph.start, paragraph.end, paragraph.gap_after


def test_split_paragraphs_keeps_offsets_into_the_text_as_read():
    doc = Document("d", "  Title line\r\n\r\nBody one.\n  \nBody two.  ", "d.txt")
    with TestPipeline() as p:
        out = p | beam.Create([doc]) | SplitParagraphs() | beam.Map(_span)
        assert_that(out, equal_to([("d", 0, 2, 12, "\r\n\r\n"), ("d", 1, 16, 25, "\n  \n"), ("d", 2, 29, 38, "")]))


def _signed_view(signed):
    return signed.ref, signed.signature


def test_signatures_are_datasketch_minhashes_of_xxhash_shingles_and_skip_short_paragraphs():
    long_p = Paragraph("d", 0, 0, len(WIRE), WIRE)
    short_p = Paragraph("d", 1, 0, 9, "Too short")
    shingles = shingle_hashes([t.norm for t in tokenize(WIRE)], 4, 7)
    expected = Signer(64, 7).sign(shingles)
    p = TestPipeline()
    out = p | beam.Create([long_p, short_p]) | Signatures(4, 5, 64, 7) | beam.Map(_signed_view)
    assert_that(out, equal_to([(("d", 0), expected)]))
    result = p.run()
    result.wait_until_finish()
    assert counter(result, "signatures", "signed") == 1
    assert counter(result, "signatures", "windows") == 1
    assert counter(result, "signatures", "too_short") == 1


def test_each_sentence_window_of_a_paragraph_is_signed_under_the_paragraph_ref():
    second = "The two leaders also spoke about reconstruction money for the southern provinces."
    text = f"{WIRE} {second}"
    paragraph = Paragraph("d", 4, 0, len(text), text)
    signer = Signer(64, 7)
    expected = [
        (("d", 4), signer.sign(shingle_hashes([t.norm for t in tokenize(sentence)], 4, 7)))
        for sentence in (WIRE, second)
    ]
    p = TestPipeline()
    out = p | beam.Create([paragraph]) | Signatures(4, 5, 64, 7) | beam.Map(_signed_view)
    assert_that(out, equal_to(expected))
    result = p.run()
    result.wait_until_finish()
    assert counter(result, "signatures", "signed") == 1
    assert counter(result, "signatures", "windows") == 2


def _sign_all(texts):
    signer = Signer(128, 1)
    out = []
    for ref, text in texts:
        shingles = shingle_hashes([t.norm for t in tokenize(text)], 4, 1)
        out.append(Signed(ref, signer.sign(shingles)))
    return out


def test_group_by_band_pairs_identical_paragraphs_across_documents_only_once():
    signed = _sign_all([(("a", 0), WIRE), (("b", 3), WIRE), (("a", 1), WIRE), (("c", 0), OTHER)])
    p = TestPipeline()
    pairs = p | beam.Create(signed) | GroupByBand(bands=32, rows=4, max_bucket_size=10)
    # a/0 and a/1 are in the same document: never a pair.
    assert_that(pairs, equal_to([(("a", 0), ("b", 3)), (("a", 1), ("b", 3))]))
    result = p.run()
    result.wait_until_finish()
    # Identical signatures are grouped first and paired once, never in a (hot) bucket.
    assert counter(result, "lsh", "hot_buckets") == 0


def _match_view(match):
    return match.a, match.a_start, match.a_end, match.b, match.b_start, match.b_end, match.words


def test_verify_aligns_each_candidate_pair_and_reports_only_the_shared_part():
    own = "Our correspondent adds that the streets of the capital were quiet on Monday evening."
    trimmed = WIRE.split(", with")[0] + "."
    a_text, b_text = f"{WIRE} {own}", f"Local angle first. {trimmed}"
    paragraphs = [
        Paragraph("a", 0, 10, 10 + len(a_text), a_text),
        Paragraph("b", 2, 100, 100 + len(b_text), b_text),
        Paragraph("c", 0, 0, len(OTHER), OTHER),
    ]
    pairs = [(("a", 0), ("b", 2)), (("a", 0), ("c", 0))]
    p = TestPipeline()
    paras = p | "Paragraphs" >> beam.Create(paragraphs)
    matches = p | "Pairs" >> beam.Create(pairs) | Verify(paras, max_gap=5, min_words=8)
    shared = "Iraqi Prime Minister Mohamed Shia al-Sudani met Blinken, the premier's office said"
    b_start = 100 + b_text.index(shared)
    # Each span runs from the first shared word up to the next word or the paragraph's end.
    a_end = 10 + a_text.index("with the two")
    expected = (("a", 0), 10, a_end, ("b", 2), b_start, 100 + len(b_text), 14)
    assert_that(matches | beam.Map(_match_view), equal_to([expected]))
    result = p.run()
    result.wait_until_finish()
    assert counter(result, "verify", "verified") == 1
    assert counter(result, "verify", "rejected") == 1


def test_signatures_skip_boilerplate_and_count_it_by_reason():
    paragraphs = [
        Paragraph("d", 0, 0, 20, "Skip to main content"),
        Paragraph("d", 1, 0, 35, "Reuters contributed to this report."),
        Paragraph("d", 2, 0, len(WIRE), WIRE),
    ]
    p = TestPipeline()
    out = p | beam.Create(paragraphs) | Signatures(4, 5, 64, 7) | beam.Map(lambda s: s.ref)
    assert_that(out, equal_to([("d", 2)]))
    result = p.run()
    result.wait_until_finish()
    assert counter(result, "filtered", "furniture") == 1
    assert counter(result, "filtered", "credit_line") == 1
