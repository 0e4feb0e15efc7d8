"""transforms.reword, transforms.wording, transforms.rewritten: sentences an outlet
rewrote from another article, in any script, and never the independent report of the
same facts."""

from dataclasses import replace

import numpy as np
import pytest
from scipy import sparse

from transforms import reword_match
from transforms.model import Member
from transforms.reword import (
    Weights,
    sentence_set,
    sentence_spans,
    source_first,
    source_order,
    term_slots,
)
from transforms.reword_match import reworded
from transforms.rewritten import Rewritten, reworded_passage, rewritten_members
from transforms.text import words
from transforms.wording import copies, rewritten, same_sentence

WIRE = (
    "U.S. Secretary of State Antony Blinken arrived in Baghdad on Sunday on an unannounced visit. "
    "He met Iraqi Prime Minister Mohammed Shia al-Sudani at his office in the Green Zone. "
    "The two discussed the rocket and drone attacks on American troops in Iraq and Syria."
)
REWRITE = (
    "Antony Blinken, America's top diplomat, made an unannounced trip to Baghdad on Sunday. "
    "In the Green Zone, Prime Minister Mohammed Shia al-Sudani received Blinken at his office. "
    "Drone and rocket attacks against American troops in Syria and Iraq were discussed by the two."
)
# Another agency's own report of the same visit: the same facts, in sentences of its own.
INDEPENDENT = (
    "Protesters gathered outside the embassy as news of the trip spread through the capital. "
    "Baghdad has been shaken by weeks of attacks claimed by armed factions loyal to Tehran. "
    "Officials in Washington said about 2,500 American troops remain in Iraq to advise local forces. "
    "Sudani has condemned the attacks but his coalition includes parties close to the factions."
)
FILLER = [
    "The central bank kept interest rates on hold on Thursday, citing slowing inflation.",
    "Heavy rain flooded roads in the north of the country and closed two schools.",
    "The football club announced the signing of a young striker from the second division.",
    "Officials said the new bridge would open to traffic at the end of the month.",
]


def _sets(texts: dict[str, str], published: dict[str, str] | None = None):
    """{doc_id: text} -> {doc_id: SentenceSet} (no copy marked), and Weights over them."""
    published = published or {}
    sets = {doc: sentence_set(doc, text, f"outlet-{doc}", published.get(doc), []) for doc, text in texts.items()}
    return sets, Weights(term_slots(sets.values()), len(sets))


def _corpus(**texts) -> dict[str, str]:
    return {**texts, **{f"filler{i}": t for i, t in enumerate(FILLER)}}


def test_sentences_end_at_stops_of_any_script_not_after_an_abbreviation():
    text = "Mr. Blinken met U.S. troops. He left.\n\nوصل بلينكن إلى بغداد. ثم غادر؟ انٹونی بلنکن بغداد پہنچے۔ واپس"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == [
        "Mr. Blinken met U.S. troops.",
        "He left.",
        "وصل بلينكن إلى بغداد.",
        "ثم غادر؟",
        "انٹونی بلنکن بغداد پہنچے۔",
        "واپس",
    ]


def test_an_edited_copy_is_copy_and_a_rewrite_is_not():
    source = words(WIRE).norms
    edited = words(WIRE.replace("arrived in", "arrived Mr. in").replace("rocket", "missile")).norms
    assert copies(edited, source) is True and rewritten(edited, [source]) is False
    rewrite = words(REWRITE).norms
    assert copies(rewrite, source) is False and rewritten(rewrite, [source]) is True
    assert copies(words("Blinken arrived").norms, source) is None  # too little shared to say
    assert rewritten(rewrite, [source, edited]) is True and rewritten(edited, [rewrite, source]) is False
    moved = words("In the Green Zone, Prime Minister Mohammed Shia al-Sudani received Blinken at his office").norms
    met = words("He met Iraqi Prime Minister Mohammed Shia al-Sudani at his office in the Green Zone").norms
    assert same_sentence(edited, source) and not same_sentence(moved, met)  # a clause moved: a rewrite


def test_a_rewrite_is_matched_sentence_by_sentence_in_order():
    sets, weights = _sets(_corpus(wire=WIRE, later=REWRITE))
    found = reworded(sets["wire"], sets["later"], weights)
    pairs = [(WIRE[r.a_start : r.a_end][:20], REWRITE[r.b_start : r.b_end][:20]) for r in found]
    assert pairs == [
        ("U.S. Secretary of St", "Antony Blinken, Amer"),
        ("He met Iraqi Prime M", "In the Green Zone, P"),
        ("The two discussed th", "Drone and rocket att"),
    ]
    assert all(0.35 <= r.similarity < 0.95 for r in found)


def test_an_independent_report_of_the_same_facts_is_never_joined():
    sets, weights = _sets(_corpus(wire=WIRE, other=INDEPENDENT))
    assert reworded(sets["wire"], sets["other"], weights) == []
    assert reworded(sets["other"], sets["wire"], weights) == []


def test_an_outlets_own_lines_are_not_rewrites_of_each_other():
    sets = {doc: sentence_set(doc, text, "Same Outlet", None, []) for doc, text in {"a": WIRE, "b": REWRITE}.items()}
    assert reworded(sets["a"], sets["b"], Weights(term_slots(sets.values()), 2)) == []


def test_sentences_that_are_copy_or_quoted_speech_are_not_rewrites():
    sets, weights = _sets(_corpus(wire=WIRE))
    copied = sentence_set("later", REWRITE, "o", None, [(0, len(REWRITE), "p1")])
    assert reworded(sets["wire"], copied, weights) == []
    quoted = "\u201c" + REWRITE.replace(". ", ".\u201d \u201c", 2) + "\u201d"
    assert reworded(sets["wire"], sentence_set("later", quoted, "o", None, []), weights) == []


ARABIC_WIRE = (
    "وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى بغداد يوم الأحد في زيارة لم يعلن عنها مسبقا. "
    "والتقى بلينكن رئيس الوزراء العراقي محمد شياع السوداني في مكتبه بالمنطقة الخضراء. "
    "وناقش الجانبان الهجمات الصاروخية على القوات الأمريكية في العراق وسوريا."
)
ARABIC_REWRITE = (
    "في زيارة لم يعلن عنها مسبقا، حط أنتوني بلينكن وزير الخارجية الأمريكي في بغداد الأحد. "
    "واستقبل رئيس الوزراء محمد شياع السوداني بلينكن في مكتبه بالمنطقة الخضراء. "
    "وبحث الطرفان الهجمات الصاروخية التي تستهدف القوات الأمريكية في سوريا والعراق."
)
URDU_WIRE = (
    "امریکی وزیر خارجہ انٹونی بلنکن اتوار کو غیر اعلانیہ دورے پر بغداد پہنچ گئے۔ "
    "انہوں نے عراقی وزیر اعظم محمد شیاع السودانی سے گرین زون میں ان کے دفتر میں ملاقات کی۔ "
    "دونوں رہنماؤں نے عراق اور شام میں امریکی فوجیوں پر راکٹ حملوں پر بات چیت کی۔"
)
URDU_REWRITE = (
    "انٹونی بلنکن، جو امریکہ کے وزیر خارجہ ہیں، اتوار کے روز غیر اعلانیہ دورے پر اچانک بغداد پہنچے۔ "
    "عراقی وزیر اعظم محمد شیاع السودانی نے گرین زون میں اپنے دفتر میں بلنکن سے ملاقات کی۔ "
    "ملاقات میں شام اور عراق میں امریکی فوجیوں پر ہونے والے راکٹ حملوں پر گفتگو ہوئی۔"
)
ARABIC_OTHER = "أعلن البنك المركزي اليوم عن إبقاء أسعار الفائدة دون تغيير بسبب تباطؤ التضخم في البلاد."
URDU_OTHER = "مرکزی بینک نے مہنگائی میں کمی کے باعث شرح سود میں کوئی تبدیلی نہ کرنے کا اعلان کیا۔"


@pytest.mark.parametrize(
    ("wire", "rewrite", "unrelated"),
    [(ARABIC_WIRE, ARABIC_REWRITE, ARABIC_OTHER), (URDU_WIRE, URDU_REWRITE, URDU_OTHER)],
    ids=["arabic", "urdu"],
)
def test_rewrites_in_arabic_and_urdu_are_found_with_the_corpus_own_weights(wire, rewrite, unrelated):
    sets, weights = _sets(_corpus(wire=wire, later=rewrite, other=unrelated + " " + unrelated))
    found = reworded(sets["wire"], sets["later"], weights)
    assert [(r.a_start, r.b_start) for r in found] == [
        (a[0], b[0]) for a, b in zip(sentence_spans(wire), sentence_spans(rewrite), strict=True)
    ]
    assert reworded(sets["wire"], sets["other"], weights) == []


def test_weights_come_from_the_corpus_common_words_weigh_least():
    sets, weights = _sets(_corpus(wire=WIRE, later=REWRITE))
    common, rare = (words(w).norms[0] for w in ("the", "Sudani"))
    from transforms.reword import term_of

    assert weights(term_of(common)) < weights(term_of(rare))
    assert np.all(weights.of(np.array([term_of(rare)], dtype=np.uint32)) == weights(term_of(rare)))


def test_a_pair_is_taken_one_way_whichever_way_it_is_found():
    early, late = "2024-01-01T10:00:00Z", "2024-01-01T12:00:00Z"
    dated_early = source_order(early, (), "b")
    dated_late_crediting = source_order(late, ("AFP",), "a")
    undated_crediting = source_order(None, ("AFP",), "c")
    undated = source_order(None, (), "d")
    assert (
        source_first(dated_early, dated_late_crediting) == ("b", "a") == source_first(dated_late_crediting, dated_early)
    )
    assert source_first(undated, undated_crediting) == ("c", "d") == source_first(undated_crediting, undated)
    assert source_first(dated_early, undated) == ("b", "d")  # neither credits: the dated one
    assert source_first(undated_crediting, dated_early) == ("c", "b")  # no time to compare: the crediting one


def test_rewritten_members_keep_the_source_text_and_a_sentence_once():
    sets, weights = _sets(_corpus(wire=WIRE, later=REWRITE, edited=WIRE.replace("Sunday", "Sunday evening")))
    found = [(sets["wire"], r) for r in reworded(sets["wire"], sets["later"], weights)]
    members = rewritten_members(sets["later"], found + found)
    assert len(members) == 3 and all(m.copy.kind == "rewritten" for m in members)
    assert [m.copy.rewrites[3] for m in members] == [WIRE[s:e] for s, e in sentence_spans(WIRE)]
    passage = reworded_passage([members[0]])
    assert passage.origin.doc_id == "wire" and passage.origin.evidence == ("reworded_source",)
    assert {m.doc_id: m.kind for m in passage.members} == {"wire": "origin", "later": "rewritten"}


def test_a_match_that_keeps_the_source_words_is_reported_as_copy():
    """A sentence the copy step left out but that keeps its source's words in long runs
    is an edited copy, not a rewrite."""
    source = sentence_set("wire", WIRE, "Wire", None, [])
    later = sentence_set("later", WIRE.replace("He met", "He then met"), "Outlet", None, [])
    first = source.sentences[1]
    b = later.sentences[1]
    from transforms.reword import Rewording

    r = Rewording("wire", first.start, first.end, None, "later", b.start, b.end, 0.9, first.text, b.text, (0,), (0,))
    (member,) = rewritten_members(later, [(source, r)])
    assert isinstance(member, Rewritten) and member.copy.kind == "edited" and member.copy.rewrites is None
    assert isinstance(member.source, Member)


def test_copy_pairs_of_a_passage_whose_origin_is_an_earlier_days_member():
    from transforms.model import Origin, Passage
    from transforms.reword_maps import ALL_PAIRS, _copy_pairs

    def member(doc_id: str, history: bool = False) -> Member:
        return Member(doc_id, "o" + doc_id, "2024-05-02T10:00:00Z", 0, 10, (0,), "x", history=history)

    today = [member(f"d{k:02d}") for k in range(ALL_PAIRS + 3)]
    wire = member("wire", history=True)  # the origin, from an earlier run's index (--history)
    passage = Passage("p1", "x", "AFP", Origin("wire", 0.9, ("wire",)), (wire, *today))
    pairs = [pair for _, found in _copy_pairs([passage]) for pair in found]
    assert pairs and all("wire" not in pair for pair in pairs)
    assert {d for pair in pairs for d in pair} == {m.doc_id for m in today}


@pytest.mark.parametrize("cells", [1, 40, 1 << 22])
def test_long_articles_rows_are_sparse_and_matched_in_blocks_with_the_same_rewordings(monkeypatch, cells):
    # An article with many sentences (FILLER around the wire's text) as source, and as the later one.
    long_wire = " ".join(FILLER * 3) + " " + WIRE + " " + " ".join(FILLER[::-1])
    long_rewrite = " ".join(FILLER[1:]) + " " + REWRITE + " " + " ".join(FILLER * 2)
    sets, weights = _sets(_corpus(wire=long_wire, later=REWRITE, other=WIRE, long=long_rewrite))
    expected = [reworded(sets["wire"], sets["later"], weights), reworded(sets["other"], sets["long"], weights)]
    assert [len(found) for found in expected] == [3, 3]
    monkeypatch.setattr(reword_match, "DENSE_CELLS", cells)
    if cells < 1 << 22:
        assert sparse.issparse(reword_match.Vectors(weights).as_source(sets["wire"])[2])
    found = [reworded(sets["wire"], sets["later"], weights), reworded(sets["other"], sets["long"], weights)]
    for ours, theirs in zip(found, expected, strict=True):
        assert [replace(r, similarity=0) for r in ours] == [replace(r, similarity=0) for r in theirs]
        assert [r.similarity for r in ours] == pytest.approx([r.similarity for r in theirs], abs=1e-4)
