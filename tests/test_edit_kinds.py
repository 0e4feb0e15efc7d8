"""Each way outlets reuse wire copy, as a small hand-made pair of articles run through the
whole job: the exact spans found in each article, and each copy's kind.

The agency story is the same for all pairs; the origin (published first) is article A,
the copy article B. Every pair is its own run, so that pairs never see each other.
"""

import json

import pytest

from pipeline.cli import run

S1 = "Secretary of State Antony Blinken arrived in Baghdad on Sunday for talks with Prime Minister al-Sudani."
S2 = "He warned armed groups aligned with Iran against attacks on American troops stationed in the region."
S3 = "Officials said the visit had not been announced in advance, for security reasons, as is usual."
OWN_A = "Our correspondent in the capital reports that the streets were quiet during the evening."
OWN_B = "Readers of this newspaper will remember the long drought that hit the southern farms last year."


def _run(tmp_path, a_text, b_text):
    rows = [
        {"id": "a", "text": a_text, "outlet": "Wire Daily", "published": "2024-03-01T08:00:00Z"},
        {"id": "b", "text": b_text, "outlet": "Other Times", "published": "2024-03-01T12:00:00Z"},
    ]
    corpus = tmp_path / "pair.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert run(["run", "--input", str(corpus), "--output", str(tmp_path / "out")]) == 0
    passages = [json.loads(line) for line in (tmp_path / "out" / "passages.jsonl").read_text().splitlines()]
    return sorted(
        (sorted((m["doc_id"], m["start"], m["end"], m["kind"]) for m in p["members"]) for p in passages),
    )


def _at(text, part):
    start = text.index(part)
    return start, start + len(part)


def _passage(a_text, a_part, b_text, b_part, kind):
    return [("a", *_at(a_text, a_part), "origin"), ("b", *_at(b_text, b_part), kind)]


def test_verbatim_copy_with_swapped_quotes(tmp_path):
    quoted = f'{S1} "We will not be intimidated," he said.'
    a = f"Headline of A\n\n{quoted}\n\n{OWN_A}"
    b_copy = quoted.replace('"We', "\u201cWe").replace('ed,"', "ed,\u201d")
    b = f"{OWN_B}\n\n{b_copy}"
    assert _run(tmp_path, a, b) == [_passage(a, quoted, b, b_copy, "verbatim")]


def test_edited_copy_with_an_honorific_a_label_and_a_changed_word(tmp_path):
    a = f"{S1} {S2}"
    b = (
        "Secretary of State Mr. Antony Blinken arrived in Baghdad on Sunday for talks with Prime Minister "
        "al-Sudani. He warned the terrorist group and other armed groups aligned with Iran against strikes on "
        "American troops stationed in the region."
    )
    assert _run(tmp_path, a, b) == [_passage(a, a, b, b, "edited")]


def test_trimmed_copy_drops_the_last_sentence(tmp_path):
    a = f"{S1} {S2} {S3}"
    b = f"{OWN_B}\n\n{S1} {S2}"
    assert _run(tmp_path, a, b) == [_passage(a, f"{S1} {S2}", b, f"{S1} {S2}", "trimmed")]


def test_merged_copy_joins_two_paragraphs_into_one(tmp_path):
    # A passage per paragraph of the origin; the copy has a member in each, in its one paragraph.
    a = f"{S1}\n\n{S2}\n\n{OWN_A}"
    b = f"{S1} {S2}"
    assert _run(tmp_path, a, b) == sorted([_passage(a, S1, b, S1, "merged"), _passage(a, S2, b, S2, "merged")])


def test_split_copy_cuts_one_paragraph_in_two(tmp_path):
    a = f"{S1} {S2}"
    b = f"{S1}\n\n{S2}\n\n{OWN_B}"
    assert _run(tmp_path, a, b) == [_passage(a, a, b, f"{S1}\n\n{S2}", "split")]


def test_an_own_sentence_inserted_inside_a_copied_paragraph_is_bridged(tmp_path):
    # One member: the copy's sentence between two of the wire's is an edit, not a cut.
    a = f"{S1} {S2}"
    b = f"{S1} {OWN_B} {S2}"
    assert _run(tmp_path, a, b) == [_passage(a, a, b, b, "edited")]


def test_an_own_paragraph_between_two_copied_ones_is_no_part_of_either(tmp_path):
    a = f"{S1}\n\n{S2}"
    b = f"{S1}\n\n{OWN_B}\n\n{S2}"
    assert _run(tmp_path, a, b) == sorted([_passage(a, S1, b, S1, "verbatim"), _passage(a, S2, b, S2, "verbatim")])


@pytest.mark.parametrize("furniture", ["Advertisement", "Reuters contributed to this report.", "Skip to main content"])
def test_boilerplate_both_outlets_carry_is_never_a_passage(tmp_path, furniture):
    a = f"{furniture}\n\n{OWN_A}"
    b = f"{furniture}\n\n{OWN_B}"
    assert _run(tmp_path, a, b) == []
