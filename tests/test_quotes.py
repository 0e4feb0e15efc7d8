"""transforms.quotes: how much of a stretch lies inside quotation marks."""

import pytest

from transforms.quotes import quoted_share


@pytest.mark.parametrize(
    ("paragraph", "part", "share"),
    [
        ('"We will not be intimidated," he said.', "We will not be intimidated", 1.0),
        ("\u201cWe will act,\u201d the minister said.", "the minister said", 0.0),
        ("He said \u00abnous agirons\u00bb hier.", "nous agirons", 1.0),
        ("Officials met on Sunday.", "Officials met on Sunday.", 0.0),
    ],
)
def test_a_stretch_is_read_from_its_paragraphs_start(paragraph, part, share):
    start = paragraph.index(part)
    assert quoted_share(paragraph, start, start + len(part)) == share


def test_a_stretch_starting_inside_a_quote_opened_before_it_counts_as_quoted():
    paragraph = 'Blinken said: "to send a very clear message to anyone: do not do it," in Baghdad.'
    start = paragraph.index("a very clear")
    end = paragraph.index(" in Baghdad")
    assert quoted_share(paragraph, start, end) > 0.9
    assert 0.6 < quoted_share(paragraph, 0, len(paragraph)) < 0.9
