"""transforms.dates: the forms feeds and exports write a publication time in, read into one."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.dates import iso, parse_published


@pytest.mark.parametrize(
    ("stated", "read"),
    [
        ("2024-03-08", "2024-03-08"),
        ("2024-03-08T10:00", "2024-03-08T10:00:00"),
        ("2024-03-08 10:00:05.123Z", "2024-03-08T10:00:05+00:00"),
        ("2024-03-08T10:00:00+0530", "2024-03-08T10:00:00+05:30"),
        ("2024-03-08T10:00:00-08:00", "2024-03-08T10:00:00-08:00"),
        ("2024/03/08", "2024-03-08"),
        ("Fri, 08 Mar 2024 10:00:00 GMT", "2024-03-08T10:00:00+00:00"),  # RSS
        ("Fri, 08 Mar 2024 10:00:00 +0100", "2024-03-08T10:00:00+01:00"),
        ("Fri, 8 Mar 2024 10:00:00 EST", "2024-03-08T10:00:00-05:00"),
        ("1709892000", "2024-03-08T10:00:00+00:00"),  # Unix seconds
        ("1709892000123", "2024-03-08T10:00:00+00:00"),  # Unix milliseconds
        ("March 8, 2024", "2024-03-08"),
        ("Mar. 8, 2024", "2024-03-08"),
        ("Sept 30, 2024", "2024-09-30"),
        ("8 March 2024", "2024-03-08"),
        ("Friday, March 8, 2024", "2024-03-08"),
        ("March 8, 2024 10:05 PM", "2024-03-08T22:05:00"),
        ("March 8, 2024, 10:05 p.m. EST", "2024-03-08T22:05:00-05:00"),
        ("08.03.2024", "2024-03-08"),  # dots: day first, always
        ("08/03/2024", "2024-08-03"),  # slashes: month first unless day_first
        ("13/03/2024", "2024-03-13"),  # the only valid reading
        ("08/13/2024", "2024-08-13"),
        ("08-03-2024 14:30", "2024-08-03T14:30:00"),
        ("  2024-03-08  ", "2024-03-08"),
    ],
)
def test_common_forms_are_read_into_one(stated, read):
    assert parse_published(stated) == read


@pytest.mark.parametrize(
    "stated",
    ["yesterday", "", "2024-02-30", "2024-03-08T25:00", "2024-03-08T10:00:00+24:00", "1850-01-01", "10000-01-01",
     "0000-00-00", "13/13/2024", "12", "March 32, 2024", "2024-03-08 IST"],
)  # fmt: skip
def test_what_is_not_a_time_is_none(stated):
    assert parse_published(stated) is None


def test_day_first_reads_slashes_and_dashes_day_first_but_never_an_impossible_date():
    assert parse_published("08/03/2024", day_first=True) == "2024-03-08"
    assert parse_published("08-03-2024", day_first=True) == "2024-03-08"
    assert parse_published("03/13/2024", day_first=True) == "2024-03-13"
    assert parse_published("08.03.2024", day_first=False) == "2024-03-08"


def test_numbers_are_unix_time_and_booleans_are_not():
    assert parse_published(1709892000) == "2024-03-08T10:00:00+00:00"
    assert parse_published(1709892000.9) == "2024-03-08T10:00:00+00:00"
    assert parse_published(True) is None and parse_published(None) is None
    assert parse_published(-1e15) is None


moments = st.datetimes(min_value=datetime(1901, 1, 2), max_value=datetime(2099, 12, 30))
offsets = st.one_of(st.none(), st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m))))


@given(moments, offsets)
def test_what_wiretrace_writes_reads_back_to_itself(moment, offset):
    written = iso(moment.replace(microsecond=0, tzinfo=offset))
    assert parse_published(written) == written
    assert datetime.fromisoformat(written).utcoffset() == (None if offset is None else offset.utcoffset(None))
