"""transforms.text: paragraph spans, normalisation, tokens, Paragraph records."""

import html
import itertools
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.text import (
    _ASCII_SENTENCE_END,
    _PUNCTUATION,
    _SENTENCE_END,
    _TOKEN,
    _tokenize_any,
    document_paragraphs,
    normalise,
    placed_words,
    sentence_windows,
    split_paragraphs,
    tokenize,
    window_norms,
    words,
)

# Text mixing words, blanks and every line break the module names.
_texty = st.text(alphabet=st.sampled_from(list("ab é日 \t\r\n\u2028\u2029\x85\u00a0\u200b.,")), max_size=60)
_BREAKS = "\r\n\u2028\u2029\x85"


def _reference_paragraphs(text):
    spans = []
    for m in re.finditer(f"[^{_BREAKS}]+", text):
        line = m.group()
        stripped = line.strip()
        if stripped:
            start = m.start() + (len(line) - len(line.lstrip()))
            spans.append((start, start + len(stripped)))
    return spans


def test_split_paragraphs_trims_outer_blanks_and_skips_blank_lines():
    text = "  First line.  \n\n \t \r\nSecond\tline\r\nThird"
    spans = split_paragraphs(text)
    assert [text[s:e] for s, e in spans] == ["First line.", "Second\tline", "Third"]
    assert spans[0] == (2, 13)


@pytest.mark.parametrize("brk", list(_BREAKS) + ["\r\n"])
def test_split_paragraphs_every_common_line_break_ends_a_paragraph(brk):
    text = f"one{brk}two"
    assert [text[s:e] for s, e in split_paragraphs(text)] == ["one", "two"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\r\n", " \u2028\t"])
def test_split_paragraphs_of_blank_text_is_empty(text):
    assert split_paragraphs(text) == []


@given(_texty)
def test_split_paragraphs_matches_line_by_line_reference(text):
    assert split_paragraphs(text) == _reference_paragraphs(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufb01nal", "final"),  # NFKC ligature
        ("\uff21\uff22\uff23", "abc"),  # full-width letters
        ("Stra\u00dfe", "strasse"),  # case-folding, not lower()
        ("\u201cquoted\u201d \u2018single\u2019 \u00abguillemets\u00bb", '"quoted" \'single\' "guillemets"'),
        ("a\u2014b\u2013c\u2212d\u2010e", "a-b-c-d-e"),
        ("co\u00adop\u200ber\u200dat\u2060e\ufeff", "cooperate"),
        ("  a \t\n\u00a0 b  ", "a b"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@given(st.text(max_size=40))
def test_normalise_output_is_folded(text):
    out = normalise(text)
    assert out == out.strip()
    assert not re.search(r"\s\s", out)
    assert not re.search("[\u00ad\u200b-\u200d\u2060\ufeff\u2018\u2019\u201c\u201d\u2014\u2013]", out)


def test_tokenize_offsets_and_norms():
    text = "Hello, WORLD! \u201cIt\u2019s\u201d co\u00adoperate."
    tokens = tokenize(text)
    assert [t.norm for t in tokens] == ["hello", "world", "it", "s", "cooperate"]
    assert [text[t.start : t.end] for t in tokens] == ["Hello", "WORLD", "It", "s", "co\u00adoperate"]


def test_tokenize_cjk_characters_are_tokens_of_their_own():
    assert [t.norm for t in tokenize("\u65e5\u672c\u8a9e abc")] == ["\u65e5", "\u672c", "\u8a9e", "abc"]


def test_tokenize_drops_zero_width_only_tokens():
    assert tokenize("\u200b \u00ad") == ()


@given(_texty)
def test_tokens_point_into_the_text_in_order(text):
    tokens = tokenize(text)
    for t in tokens:
        assert t.norm and normalise(text[t.start : t.end]) == t.norm
    assert all(a.end <= b.start for a, b in itertools.pairwise(tokens))


# ASCII, the punctuation the ASCII fast path turns into spaces, and characters that send
# a text down the general path (a letter with an accent, a combining mark, a soft hyphen,
# a CJK character, a letter IGNORECASE folds).
_news_text = st.text(
    alphabet=st.sampled_from(list("Ab z_9 .,'\"-\n") + list(_PUNCTUATION) + list("\u00e9\u0301\u00ad\u65e5\u017f")),
    max_size=80,
)


def test_the_ascii_fast_path_punctuation_is_never_part_of_a_word():
    assert all(_TOKEN.search(c) is None for c in _PUNCTUATION)


@given(_news_text)
def test_tokenize_takes_the_same_tokens_on_the_ascii_fast_path_as_on_the_general_one(text):
    general = _tokenize_any(text)
    assert tokenize(text) == general
    assert words(text) == tuple(tuple(t[k] for t in general) for k in range(3))
    assert window_norms(text, 3) == [[t.norm for t in w] for w in sentence_windows(_tokenize_any(text), text, 3)]


@pytest.mark.parametrize(
    "text",
    ["caf\u00e9 cr\u00e8me", "\u0939\u093f\u0928\u094d\u0926\u0940 \u092d\u093e\u0937\u093e"],  # French, Hindi
)
def test_tokenize_is_the_same_for_composed_and_decomposed_text(text):
    nfc = [t.norm for t in tokenize(unicodedata.normalize("NFC", text))]
    nfd = [t.norm for t in tokenize(unicodedata.normalize("NFD", text))]
    assert nfc == nfd
    assert len(nfc) == 2  # two words


def test_document_paragraphs_records():
    text = "Title\n\n  Body one.\r\n\r\nBody two.\n"
    paras = document_paragraphs("d1", text, "Outlet", "2023-11-05")
    assert [p.index for p in paras] == [0, 1, 2]
    assert [p.text for p in paras] == ["Title", "Body one.", "Body two."]
    assert [p.gap_after for p in paras] == ["\n\n  ", "\r\n\r\n", ""]
    assert {(p.doc_id, p.outlet, p.published) for p in paras} == {("d1", "Outlet", "2023-11-05")}
    assert paras[1].ref == ("d1", 1)


@given(_texty)
def test_document_paragraphs_offsets_and_gaps_rebuild_the_text(text):
    paras = document_paragraphs("d", text, None, None)
    for p in paras:
        assert text[p.start : p.end] == p.text
    if paras:
        rebuilt = "".join(p.text + p.gap_after for p in paras)
        assert rebuilt == text[paras[0].start : paras[-1].end]


_sentences = st.lists(
    st.sampled_from(
        [
            "Word",
            "wire",
            "Café",
            "北京",
            "東京。",
            "end.",
            "quote!\u201d",
            "what?",
            "x",
            "\u200b",
            "-",
            " ",
            "  ",
            "...",
            "(AFP)",
        ]
    ),
    max_size=60,
).map(" ".join)


@given(_sentences, st.integers(1, 9))
def test_window_norms_are_the_normalised_words_of_sentence_windows(text, min_words):
    expected = [[t.norm for t in window] for window in sentence_windows(tokenize(text), text, min_words)]
    assert window_norms(text, min_words) == expected


@given(_sentences, st.integers(0, 50), st.integers(0, 400), st.integers(0, 400))
def test_placed_words_are_the_tokens_inside_the_stretch(text, start, lo, hi):
    expected = [tuple(t) for t in tokenize(text) if lo <= start + t.start and start + t.end <= hi]
    assert list(zip(*placed_words(text, start, lo, hi), strict=True)) == expected


def test_placed_words_keep_a_word_that_ends_or_starts_exactly_on_the_stretch():
    assert placed_words("one two three", 100, 104, 107) == ((4,), (7,), ("two",))
    assert placed_words("one two three", 100, 100, 113).norms == ("one", "two", "three")


_PLAIN = st.text(st.sampled_from("ab é’&<>\"'.\u00a0"), max_size=40)


@given(_PLAIN, st.lists(st.sampled_from(["numeric", "hex", "named", "keep"]), min_size=40, max_size=40))
def test_character_references_read_as_their_characters_with_offsets_into_the_text(plain, styles):
    def ref(ch, style):
        if style == "numeric":
            return f"&#{ord(ch)};"
        if style == "hex":
            return f"&#x{ord(ch):x};"
        if style == "named" and ch in 'é&<>"\u00a0':
            return {"é": "&eacute;", "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\u00a0": "&nbsp;"}[ch]
        return "&amp;" if ch == "&" else ch  # a bare "&" would not survive unescaping

    escaped = "".join(ref(ch, style) for ch, style in zip(plain, styles, strict=False))
    reference = html.unescape(escaped)
    got = tokenize(escaped)
    assert [t.norm for t in got] == [t.norm for t in tokenize(reference)]
    words = [reference[t.start : t.end] for t in tokenize(reference)]
    assert [html.unescape(escaped[t.start : t.end]) for t in got] == words
    assert window_norms(escaped, 2) == [[t.norm for t in w] for w in sentence_windows(got, escaped, 2)]


def test_scraped_references_do_not_split_or_add_words():
    text = "He said: &ldquo;we don&#8217;t&nbsp;know&rdquo; &amp; the caf&eacute; &bogus; closed."
    words = ["he", "said", "we", "don", "t", "know", "the", "café", "bogus", "closed"]
    assert [t.norm for t in tokenize(text)] == words
    cafe = tokenize(text)[7]
    assert text[cafe.start : cafe.end] == "caf&eacute;"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("هذه جملة عربية طويلة بما يكفي للاختبار؟ وهذه جملة ثانية طويلة بما يكفي أيضا.", 2),
        ("یہ ایک طویل اردو جملہ ہے جو جانچ کے لیے کافی ہے۔ یہ دوسرا طویل جملہ بھی کافی ہے۔", 2),
        ("यह परीक्षण के लिए एक लंबा हिंदी वाक्य है। यह दूसरा लंबा वाक्य भी काफी है।", 2),
    ],
)
def test_arabic_urdu_and_devanagari_sentence_ends_cut_windows(text, sentences):
    assert len(window_norms(text, 4)) == sentences


@given(st.text(st.sampled_from("ab .\n"), max_size=400), st.integers(min_value=5, max_value=60))
def test_long_lines_are_cut_into_bounded_trimmed_paragraphs_losing_no_word(text, limit):
    import transforms.text as text_module

    saved, text_module.MAX_PARAGRAPH_CHARS = text_module.MAX_PARAGRAPH_CHARS, limit
    try:
        spans = split_paragraphs(text)
    finally:
        text_module.MAX_PARAGRAPH_CHARS = saved
    assert all(0 < e - s <= limit and not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)
    assert all(e1 <= s2 for (_, e1), (s2, _) in itertools.pairwise(spans))
    covered = set().union(*(range(s, e) for s, e in spans))
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered


def test_a_long_line_is_cut_after_a_sentence():
    text = "One short sentence here. " * 2000
    spans = split_paragraphs(text)
    assert len(spans) > 1 and all(text[s:e].endswith("here.") for s, e in spans)


@given(st.text(alphabet=st.sampled_from(list("ab .!?\"')]([\t\n")), max_size=60))
def test_the_ascii_sentence_end_finds_what_the_full_one_finds_in_ascii_text(text):
    assert [m.span() for m in _ASCII_SENTENCE_END.finditer(text)] == [m.span() for m in _SENTENCE_END.finditer(text)]
