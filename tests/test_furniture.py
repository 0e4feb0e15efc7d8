"""Page furniture from the corpus itself (transforms.furniture): shapes that recur with
small variations, never wire prose, however many documents carry it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import furniture
from transforms.furniture import (
    BUCKETS,
    bucketed,
    document_shapes,
    furniture_keys,
    furniture_shaped,
    line_frame,
    line_shape,
    merge_counts,
    paragraph_is_furniture,
)
from transforms.model import Document

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "text",
    [
        "The Daily Times 51 | Home | World | Business | Sport | Opinion | Video",
        "By Sam Lee | Updated 10:42 GMT",
        "Vol. 51, No. 312 \u00b7 Monday, March 4, 2024 \u00b7 Late Edition",
        "Published 07 Dec 2026, 10:32 | Updated 07 Dec 2026, 11:05",
        "Share \u2022 Facebook \u2022 X \u2022 WhatsApp \u2022 Email \u2022 Comments (12)",
        "Middle East Africa Asia Europe Americas Climate Science Technology Health",
    ],
)
def test_lines_shaped_like_furniture(text):
    assert furniture_shaped(text)


@pytest.mark.parametrize(
    "text",
    [
        "Blinken landed at Baghdad's international airport, donned a ballistic vest and flew to the Green Zone.",
        "U.S. Secretary of State Antony Blinken Met Iraqi Prime Minister Mohammed Shia Al-Sudani On Sunday.",
        "At least 24 people were killed and 130 wounded in the strikes, the ministry said on Monday.",
        "\u0648\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 "
        "\u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0627\u062a \u0633\u062a\u0633\u062a\u0645\u0631",
    ],
)
def test_prose_is_not_shaped_like_furniture(text):
    assert not furniture_shaped(text)


def test_one_shape_whatever_the_outlet_name_or_the_number():
    a = line_shape("The Daily Times 51 | Home | World | Business", "The Daily Times")
    b = line_shape("Morning Herald 312 | Home | World | Business", "Morning Herald")
    c = line_shape("Morning Herald 312 | Home | World | Sport", "Morning Herald")
    assert a[0] == b[0] != c[0]
    assert a[2] and b[2]
    assert line_shape("Daily Times 51 | Home | World | Business", "The Daily Times")[0] == a[0]
    assert line_shape(" ".join(["word"] * 81), "x") is None


def _doc(i, outlet, *paragraphs):
    return Document(f"d{i:03d}", "\n\n".join(paragraphs), "test", outlet=outlet)


HINDI = (  # "He said that the government will investigate." (ends with a danda)
    "\u0909\u0928\u094d\u0939\u094b\u0902\u0928\u0947 \u0915\u0939\u093e \u0915\u093f "
    "\u0938\u0930\u0915\u093e\u0930 \u091c\u093e\u0902\u091a \u0915\u0930\u0947\u0917\u0940\u0964"
)
WIRE = "Blinken landed at Baghdad's international airport, donned a ballistic vest and flew to the Green Zone."
HEADLINE = "Blinken Makes Surprise Visit to Iraq Amid Israel-Hamas War"


def test_a_menu_four_articles_carry_is_furniture_and_wire_prose_in_forty_is_not():
    outlets = ["The Daily Times", "Morning Herald"]
    docs = [_doc(i, outlets[i % 2], f"{outlets[i % 2]} {i} | Home | World | Business | Sport", WIRE) for i in range(40)]
    keys = frozenset(furniture_keys(document_shapes(docs)))
    assert paragraph_is_furniture("Gulf Observer 7 | Home | World | Business | Sport", "Gulf Observer", keys)
    assert not paragraph_is_furniture(WIRE, "The Daily Times", keys)
    assert not paragraph_is_furniture(HEADLINE, "The Daily Times", keys)
    # three documents are too few
    assert not furniture_keys(document_shapes(docs[:3]))


def test_a_wire_headline_each_outlet_carries_once_is_not_furniture():
    docs = [_doc(i, f"Outlet {i}", HEADLINE, WIRE) for i in range(12)]
    assert furniture_keys(document_shapes(docs)) == []
    update = [*docs, _doc(99, "Outlet 3", HEADLINE)]  # a story and its update: still a headline
    assert furniture_keys(document_shapes(update)) == []
    again = [*update, _doc(98, "Outlet 3", HEADLINE)]  # three times: the outlet's own line
    assert paragraph_is_furniture(HEADLINE, "Outlet 3", frozenset(furniture_keys(document_shapes(again))))


def test_prose_naming_its_own_outlet_is_furniture():
    names = ["The Daily Times", "Morning Herald", "Gulf Observer", "Evening Post"]
    docs = [
        _doc(i, name, f"Read {name} every day for the stories that matter to you and yours.")
        for i, name in enumerate(names)
    ]
    assert len(furniture_keys(document_shapes(docs))) == 1


def test_a_frame_an_outlet_fills_in_each_article_is_furniture_a_few_bullets_are_not():
    outlets = ["The Daily Times", "Morning Herald"]
    docs = [
        _doc(
            i,
            outlets[i % 2],
            WIRE,
            f"Read more: {['Iraq', 'Gaza', 'Syria', 'Lebanon'][i % 4]} talks {i} resume as envoys meet again",
        )
        for i in range(40)
    ]
    bullets = [f"\u2022 Israel says {i} killed in strikes on the north of Gaza overnight" for i in range(3)]
    docs += [_doc(100 + i, "Gulf Observer", WIRE, bullets[i] if i < 3 else "Other words here.") for i in range(20)]
    keys = frozenset(furniture_keys(document_shapes(docs)))
    assert paragraph_is_furniture("Read more: Markets fall again in Asia on rate fears", "Gulf Observer", keys)
    assert not paragraph_is_furniture(bullets[0], "Gulf Observer", keys)  # 3 of its 20 articles
    assert not paragraph_is_furniture(WIRE, "Gulf Observer", keys)


def test_tallies_summed_in_parts_are_the_tallies_of_the_whole():
    outlets = ["A Daily", "B Weekly", "C Times"]
    docs = [
        _doc(i, outlets[i % 3], f"By {['Sam Lee', 'Ann Roe'][i % 2]} | Updated {i}:0{i % 10} GMT", WIRE)
        for i in range(30)
    ]
    whole = document_shapes(docs)
    parts = merge_counts([document_shapes(docs[:7]), document_shapes(docs[7:19]), document_shapes(docs[19:])])
    assert parts == whole
    keys = frozenset(furniture_keys(parts))
    assert all(paragraph_is_furniture(f"By {n} | Updated 9:15 GMT", "C Times", keys) for n in ("Sam Lee", "Ann Roe"))
    assert not paragraph_is_furniture(WIRE, "C Times", keys)
    # an outlet's three copies in two parts make it its own line
    line = "Home | World | Business | Sport | Opinion"
    apart = [_doc(i, f"Outlet {i}", line) for i in range(4)] + [_doc(9, "Outlet 0", line), _doc(8, "Outlet 0", line)]
    assert furniture_keys(merge_counts([document_shapes(apart[:4]), document_shapes(apart[4:])])) != []
    assert furniture_keys(document_shapes(apart[:4])) == []


def test_the_keys_do_not_depend_on_how_the_documents_were_batched():
    # outlet A: 20 articles, 3 with the headline (less than a fifth): every outlet's totals
    # must reach every bucket, or a batch of the 3 alone would count them all of A's
    docs = [_doc(i, "A", HEADLINE if i < 3 else WIRE) for i in range(20)]
    docs += [_doc(20 + i, f"O{i}", HEADLINE) for i in range(2)]
    one = sorted(key for _, part in bucketed(document_shapes(docs), BUCKETS) for key in furniture_keys(part))
    assert one == []
    by_bucket: dict = {}
    for doc in docs:  # a batch per document, each batch's parts summed bucket by bucket
        for bucket, part in bucketed(document_shapes([doc]), BUCKETS):
            by_bucket.setdefault(bucket, []).append(part)
    apart = sorted(key for parts in by_bucket.values() for key in furniture_keys(merge_counts(parts)))
    assert apart == one


def test_lists_labels_and_time_stamps_have_frames():
    for line in ("Read more: Markets fall in Asia", "Posted on Tue 19 March 2024 12:41", "Home | World"):
        assert line_frame(line, "X") is not None, line
    assert line_frame("Posted on Tue 19 March 2024 12:41", "X") == line_frame("Posted on 3 May 2024 9:05", "X")


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        (HINDI, "X"),
        ("\u2022 The central bank raised rates by 25 basis points on Thursday", "X"),
        ("Blinken makes fresh push for truce in Cairo talks with Egypt officials", "X"),
        ("In a statement released on Sunday evening, the ministry said:", "X"),
        ("Le ministre a dit \u00ab nous continuerons \u00bb et \u00ab nous gagnerons \u00bb devant la presse", "X"),
    ],
)
def test_prose_headlines_and_bullets_have_no_frame(text, outlet):
    assert line_frame(text, outlet) is None
    assert not line_shape(text, outlet).shaped


def test_an_outlet_name_is_a_whole_word_or_words():
    assert not line_shape("The national weather service said 12 people died in the floods.", "The Nation").named
    assert line_shape("Read The Nation every day for the news that matters to you.", "The Nation").named


def _run(tmp_path, rows, *extra):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / f"out{len(extra)}"
    cmd = [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output", str(out), *extra]
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    summary = json.loads((out / "summary.json").read_text())
    passages = [json.loads(line) for line in (out / "passages.jsonl").read_text().splitlines()]
    templates = [json.loads(line) for line in (out / "templates.jsonl").read_text().splitlines()]
    return summary, passages + templates


def test_the_job_never_pairs_menus_that_differ_by_outlet_and_number(tmp_path):
    names = ["The Daily Times", "Morning Herald", "Gulf Observer", "Evening Post", "Northern Star"]
    sections = "Home | World | Middle East | Business | Markets | Sport | Opinion | Culture | Video | Podcasts"
    story = [
        WIRE,
        "Iraqi armed groups aligned with Iran have threatened to target U.S. interests with missiles and drones.",
    ]
    rows = []
    for i in range(20):
        name = names[i % len(names)]
        own = f"Our reporter {i} spoke to residents of district number {i} about the long wait for power and water."
        body = [f"{name} {i + 40} | {sections}", *story, own, f"By Staff {i % 3} | Updated {i % 12}:{i + 10} GMT"]
        rows.append({"id": f"a{i:02d}", "text": "\n\n".join(body), "outlet": name})
    on, found_on = _run(tmp_path, rows)
    off, found_off = _run(tmp_path, rows, "--set", "furniture_documents=0")
    assert on["counters"]["filtered:page_furniture"] == 40  # the menu and the byline of each
    assert on["candidate_pairs"] < off["candidate_pairs"]
    texts_on = {m["text"] for p in found_on for m in p["members"]}
    assert any("| Home |" in t for p in found_off for m in p["members"] for t in [m["text"]])
    assert not any("| Home |" in t for t in texts_on)
    assert any(WIRE in t for t in texts_on)


# The separators as one regex that looks behind at every position, and the shape test
# with every letter found first: the slower forms the module's faster ones must equal.
_REFERENCE_SEPARATOR = re.compile(
    r"\||(?<=\s)[\u2022\u00b7\u203a\u25b8\u25ba\u2023\u25aa](?=\s)|(?<=\s)\d{1,2}\.(?=\s)"
)


def _reference_shaped(text: str) -> bool:
    if len(_REFERENCE_SEPARATOR.findall(text)) >= furniture.MIN_SEPARATORS:
        return True
    letters = re.findall(r"[^\W\d_]+", text)
    if not letters:
        return True
    lower = sum(1 for w in letters if w[0] == w[0].lower()) / len(letters)
    return lower < furniture.MAX_LOWER and not furniture._ends_sentence(text)


LINE_PARTS = ["a", "B", " ", "|", "\u2022", "\u00b7", "\u203a", "1", "12", ".", ":", "!", "\u00bb", ")", "\t", "Ab"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(LINE_PARTS), max_size=30).map("".join))
def test_separators_and_shape_are_the_slower_reference_forms(text):
    assert furniture._separators(text) == len(_REFERENCE_SEPARATOR.findall(text))
    assert furniture.furniture_shaped(text) is _reference_shaped(text)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(LINE_PARTS + ["The Nation", "nation", "\u2022 ", "- "]), max_size=20).map("".join),
    st.sampled_from([None, "", "The Nation", "Nation Daily"]),
)
def test_a_lines_keys_are_its_shape_and_frame_each_made_alone(text, outlet):
    shape, frame = furniture.line_shape(text, outlet), furniture.line_frame(text, outlet)
    expected = [(shape.key, shape.named)] if shape is not None and (shape.shaped or shape.named) else []
    expected += [(frame, False)] if frame is not None else []
    assert furniture.line_keys(text, outlet) == expected
