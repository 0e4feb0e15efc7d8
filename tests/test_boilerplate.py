"""boilerplate_reason: furniture, captions and credit lines, and never real article text."""

import pytest

from transforms.boilerplate import boilerplate_reason
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
