"""boilerplate_reason: furniture, captions and credit lines, and never real article text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.boilerplate import _AGENCY_LINE, _CAPTION, _FURNITURE, _MAX_FURNITURE_WORDS, boilerplate_reason
from transforms.text import split_paragraphs


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Skip to main content", "furniture"),
        ("- Advertisement -", "furniture"),
        ("Sign up for NTD Daily", "furniture"),
        ("By registering for the newsletter, you agree to the Privacy Policy.", "furniture"),
        ("© 2024 Example Media. All rights reserved.", "furniture"),
        ("Reuters contributed to this report.", "credit_line"),
        ("(Reporting by Jane Doe; Editing by John Roe)", "credit_line"),
        ("Soldiers stand near the border on Nov. 3, 2023. (Jack Guez/AFP via Getty Images)", "caption"),
        ("Photo: AFP", "caption"),
        ("Blinken at the airport on November 5, 2023. REUTERS/Jonathan Ernst/Pool", "caption"),
        ("Blinken at the airport on Sunday. Photo: AFP", "caption"),
        ("Blinken at the airport. Jonathan Ernst/AFP via Getty Images", "caption"),
        ("The US/UK talks went on until late in the night, officials said.", None),
        ("ntd newsletter icon", "furniture"),
        ("Subscribing to our newsletter is free: your email, and the news arrives daily.", "furniture"),
        ("The minister told the newsletter of the ruling party that the talks in Baghdad had failed.", None),
        ("Al-Sudani has pledged to pursue the perpetrators of rocket attacks on three bases.", None),
        ("Sudani condemned the attacks and said that investigations were under way.", None),
    ],
)
def test_reasons(text, reason):
    assert boilerplate_reason(text) == reason


def test_a_long_paragraph_mentioning_a_newsletter_is_not_furniture():
    text = " ".join(["The minister said the newsletter scandal would be investigated by parliament next week."] * 3)
    assert boilerplate_reason(text) is None


def test_on_the_seeds_only_furniture_captions_and_credits_are_flagged(seeds_dir):
    flagged = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for s, e in split_paragraphs(text):
            reason = boilerplate_reason(text[s:e])
            if reason:
                flagged.setdefault(reason, []).append(text[s:e])
    assert len(flagged["caption"]) == 3 and all(t.endswith("Getty Images)") for t in flagged["caption"])
    assert flagged["credit_line"] == ["Reuters contributed to this report."]
    assert "Skip to main content" in flagged["furniture"] and len(flagged["furniture"]) == 7


@pytest.mark.parametrize(
    "line",
    [
        "(Jonathan Ernst/Pool/AFP via Getty Images)",
        "Photo: AFP",
        "PICTURE by Jane Doe for Reuters",
        "A crowd gathers near the square via Getty Images.",
        "\u0130MAGE by Jane Doe",
        "Soldiers at the border. AFP/John Doe",
    ],
)
def test_the_caption_shortcut_never_skips_a_caption(line):
    assert boilerplate_reason(line) == "caption"


def _reason_by_regex_alone(text: str):
    """The reference: boilerplate_reason without its keyword shortcuts."""
    line = " ".join(text.split())
    if len(line.split()) <= _MAX_FURNITURE_WORDS:
        if _FURNITURE.match(line):
            return "furniture"
        if _AGENCY_LINE.match(line):
            return "credit_line"
    return "caption" if _CAPTION.search(line) else None


# Pieces of every furniture and credit-line pattern, in odd cases, with the letters that
# re.IGNORECASE also takes for i, s and k, and plain words.
_PIECES = [
    "Skip to", "main", "content", "- ADVERTISEMENT -", "Menu", "SEARCH", "home", "Close", "Latest News",
    "related", "stories", "Read more", "Most read", "Share", "Follow us", "Sign up", "subscribe",
    "newsletter", "Newsletters", "registering", "join", "Privacy Policy", "Terms of Use", "cookie settings",
    "\u00a9", "(c)", "Copyright", "All Rights Reserved", "Reuters", "contributed to this report",
    "(Reporting by", "Jane Doe;", "Editing by", "with AFP", "Sources:", "Source:", "\u0130", "\u0131",
    "\u017f", "\u212a", "\u017fubscribe", "\u017fhare", "menu.", "the", "talks", "Baghdad", "said", ".",
]  # fmt: skip


def test_the_keyword_shortcuts_never_change_the_reason_of_one_or_two_pieces():
    for first in _PIECES:
        for line in [first] + [f"{first}{glue}{second}" for second in _PIECES for glue in (" ", "")]:
            assert boilerplate_reason(line) == _reason_by_regex_alone(line), line


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_PIECES), min_size=3, max_size=8), st.sampled_from([" ", "", "  "]))
def test_the_keyword_shortcuts_never_change_a_reason(pieces, glue):
    line = glue.join(pieces)
    assert boilerplate_reason(line) == _reason_by_regex_alone(line)
