"""A stated publication time, in any of the forms feeds and exports use -> one ISO 8601
form. Pure, no Beam.

In: a string (or a number of Unix seconds). Out: `YYYY-MM-DDTHH:MM:SS` with its UTC
offset (`+HH:MM`) when the input states one, without one when it does not, or
`YYYY-MM-DD` when only the day is known; None when the value is not a time.

Read:
- ISO 8601 and RFC 3339: `2024-03-08`, `2024-03-08T10:00`, `2024-03-08 10:00:05.123Z`,
  `2024-03-08T10:00:00+0530`; also `2024/03/08`;
- RFC 2822, as RSS has it: `Fri, 08 Mar 2024 10:00:00 GMT`, `... +0100`;
- Unix time: a JSON number, or a string of 9-10 digits (seconds) or 12-13 (milliseconds),
  read as UTC;
- written dates: `March 8, 2024`, `Mar. 8, 2024`, `8 March 2024`, `Friday, March 8, 2024`,
  each optionally followed by a time (`10:05`, `10:05 PM`) and a zone (`GMT`, `UTC`,
  `+01:00`);
- numeric dates with the year last: `08.03.2024` is day first (8 March), as everywhere
  dots are used; `08/03/2024` and `08-03-2024` are month first (August 3), as US exports
  and spreadsheets write them, unless `day_first`, and whichever order is the only valid
  one when a number is over 12 (`13/03/2024` is 13 March either way).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_YEARS = (1900, 2100)
# Zone names that name one offset (hours); ambiguous ones (IST, BST) are not read.
_ZONES = {
    "Z": 0, "UTC": 0, "GMT": 0, "UT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "JST": 9, "AEST": 10, "AEDT": 11,
}  # fmt: skip
_TZ = rf"(?P<tz>{'|'.join(sorted(_ZONES, key=len, reverse=True))}|[+-]\d{{2}}(?::?\d{{2}})?)"
_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
_ISO = re.compile(
    r"(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})"
    rf"(?:(?:[T ]|,?\s+)(?:{_TIME})\s*{_TZ}?)?",
    re.IGNORECASE,
)
_YEAR_LAST = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    rf"(?:(?:[T ]|,?\s+)(?:{_TIME})\s*(?P<ampm>[AP]\.?M\.?)?\s*{_TZ}?)?",
    re.IGNORECASE,
)
_MONTH_NAMES = "january february march april may june july august september october november december".split()
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TAIL = rf"(?:(?:,?\s+(?:at\s+)?)(?:{_TIME})\s*(?P<ampm>[AP]\.?M\.?)?\s*{_TZ}?)?"
_WRITTEN = (
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TAIL}", re.IGNORECASE),
    re.compile(rf"{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>\d{{4}}){_TAIL}", re.IGNORECASE),
)
_UNIX = re.compile(r"\d{9,10}(?:\.\d+)?|\d{12,13}")
_RFC2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")


def _month(name: str) -> int | None:
    lower = name.lower()
    for i, full in enumerate(_MONTH_NAMES):
        if lower == full or (len(lower) >= 3 and full.startswith(lower)) or (lower == "sept" and i == 8):
            return i + 1
    return None


def _offset(tz: str | None) -> timezone | None:
    """ "Z", "GMT", "+05:30", "-0800", "+01" -> the offset; None when no zone is stated;
    raises ValueError for an offset of a day or more."""
    if not tz:
        return None
    upper = tz.upper()
    if upper in _ZONES:
        return timezone(timedelta(hours=_ZONES[upper])) if _ZONES[upper] else timezone.utc
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(tz)
    sign = -1 if tz[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _hour(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(hour)
    pm = ampm.lower().startswith("p")
    return hour % 12 + (12 if pm else 0)


def iso(moment: date | datetime) -> str:
    """a date, or a time with or without a zone -> the one form wiretrace writes."""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    text = moment.replace(microsecond=0, tzinfo=None).isoformat()
    offset = moment.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _built(y: int, mo: int, d: int, m: re.Match) -> str | None:
    """year, month, day and a match with optional h, mi, s, ampm, tz groups -> iso(), or None."""
    try:
        day = date(y, mo, d)
        if not _YEARS[0] <= y <= _YEARS[1]:
            return None
        groups = m.groupdict()
        if groups.get("h") is None:
            return iso(day)
        hour = _hour(int(groups["h"]), groups.get("ampm"))
        moment = datetime(y, mo, d, hour, int(groups["mi"]), int(groups.get("s") or 0), tzinfo=_offset(groups["tz"]))
    except ValueError:
        return None
    return iso(moment)


def from_unix(seconds: float) -> str | None:
    """Unix time (seconds, or milliseconds from 1e11 on) -> iso() in UTC, None out of range."""
    if seconds >= 1e11:
        seconds /= 1000
    try:
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    return iso(moment) if _YEARS[0] <= moment.year <= _YEARS[1] else None


def _year_last(m: re.Match, day_first: bool) -> str | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    first_is_day = m["sep"] == "." or day_first
    if a > 12 >= b:
        first_is_day = True
    elif b > 12 >= a:
        first_is_day = False
    d, mo = (a, b) if first_is_day else (b, a)
    return _built(y, mo, d, m)


def parse_published(value: str | int | float | None, day_first: bool = False) -> str | None:
    """a stated publication time (see the module) -> its ISO 8601 form; None if it is not one."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return from_unix(float(value))
    text = " ".join(value.split())
    if not text:
        return None
    if _UNIX.fullmatch(text):
        return from_unix(float(text))
    m = _ISO.fullmatch(text)
    if m:
        return _built(int(m["y"]), int(m["mo"]), int(m["d"]), m)
    m = _YEAR_LAST.fullmatch(text)
    if m:
        return _year_last(m, day_first)
    if _RFC2822.match(text):
        try:
            return iso(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    for pattern in _WRITTEN:
        m = pattern.fullmatch(text)
        if m:
            month = _month(m["month"])
            return _built(int(m["y"]), month, int(m["d"]), m) if month else None
    return None
