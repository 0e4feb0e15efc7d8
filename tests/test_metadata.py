"""transforms.metadata: outlet, publication time and title stated plainly in an article."""

from datetime import datetime
from pathlib import Path

import pytest

from transforms.metadata import TextMetadata, extract_metadata

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
BODY = "\n\n".join(f"Body paragraph number {i} says something about the visit." for i in range(12))


def _seed(name):
    return extract_metadata((SEEDS / name).read_text(encoding="utf-8"))


def test_seed_with_timestamp_and_source_line():
    meta = _seed("000_8644e06e06c1b68d.txt")
    assert (meta.outlet, meta.published) == ("Shafaq News", "2023-11-05T22:15:05")


def test_seed_with_long_date_and_furniture():
    meta = _seed("001_2106188e181fd34c.txt")
    assert meta.published == "2023-12-06"
    assert meta.title == "Blinken\u2019s Surprise Iraq Visit Aims to Prevent Gaza Conflict Spillover"


def test_seed_with_from_line_at_the_end():
    assert _seed("003_297e5d2d1b9eebe5.txt").outlet == "The Epoch Times"


def test_seed_skips_skip_to_content_for_the_title():
    meta = _seed("004_c8e8ae74a8ac3cc9.txt")
    assert meta == TextMetadata(None, None, "Blinken on surprise visit to Baghdad: Iraq")


@pytest.mark.parametrize(
    ("first_line", "published"),
    [
        ("2023-11-05 22:15 - Source: Reuters", "2023-11-05T22:15:00"),
        ("2023-11-05T08:00:01", "2023-11-05T08:00:01"),
        ("2024-02-29", "2024-02-29"),
        ("December 6, 2023", "2023-12-06"),
        ("Thursday, February 1, 2024", "2024-02-01"),
        ("2023-13-45", None),
        ("2023-02-29 10:00", None),
        ("1850-01-01", None),
        ("February 30, 2023", None),
        ("Published on December 6, 2023", None),
        ("2023-11-05T22:15:05+05:30", "2023-11-05T22:15:05+05:30"),
        ("2023-11-05T22:15:05-0800", "2023-11-05T22:15:05-08:00"),
        ("2023-11-05T22:15:05+99:00", None),
        ("2023-11-05T22:15:05+05:75", None),
        ("9999-12-31T23:59:59-14:00", None),
        ("0000-00-00", None),
    ],
)
def test_published(first_line, published):
    assert extract_metadata(f"{first_line}\n\n{BODY}").published == published


def test_date_below_the_head_is_ignored():
    assert extract_metadata(f"{BODY}\n\n2023-11-05").published is None


def test_source_line_outlet_is_trimmed_and_beats_a_from_line():
    meta = extract_metadata(f"2023-11-05 - Source: Reuters.\n\n{BODY}\n\nFrom The Daily Planet")
    assert meta.outlet == "Reuters"


def test_from_line_counts_only_near_the_end():
    assert extract_metadata(f"{BODY}\n\nFrom The Daily Planet\n\nSubscribe").outlet == "The Daily Planet"
    assert extract_metadata(f"From The Daily Planet\n\n{BODY}").outlet is None


def test_slash_lead_outlet_in_the_first_paragraph():
    assert extract_metadata(f"2023-11-05\nXinhua News/ The ministry said on Sunday.\n{BODY}").outlet == "Xinhua News"
    assert extract_metadata(f"A headline\nXinhua News/ The ministry said on Sunday.\n{BODY}").outlet is None


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("Skip to content\nAdvertisement\nMinister visits Baghdad", "Minister visits Baghdad"),
        ("2023-11-05\nMinister visits Baghdad", "Minister visits Baghdad"),
        ("The minister visited Baghdad on Sunday.", None),
        ("Is this a title?", None),
        (" ".join(["word"] * 26), None),
    ],
)
def test_title(head, title):
    assert extract_metadata(f"{head}\n\n{BODY}").title == title


def test_plain_text_without_metadata():
    assert extract_metadata(BODY) == TextMetadata(None, None, None)
    assert extract_metadata("") == TextMetadata(None, None, None)


def test_timestamp_with_zone_letter_is_not_misreported():
    published = extract_metadata(f"2023-11-05T22:15:05Z - Source: Reuters\n\n{BODY}").published
    assert published == "2023-11-05T22:15:05+00:00"  # the time as stated, zone kept (as an offset)


def test_impossible_time_of_day_is_not_reported():
    published = extract_metadata(f"2023-11-05 25:99 - Source: Reuters\n\n{BODY}").published
    if published is not None:
        datetime.fromisoformat(published)  # raises ValueError on an impossible time
