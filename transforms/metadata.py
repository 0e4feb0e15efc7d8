"""Metadata that a plain-text article states plainly: outlet, publication time, title.

Pure, no Beam. Only the first and last few lines are looked at, and only patterns
that leave no doubt; anything else stays None.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import NamedTuple

from transforms.dates import parse_published
from transforms.text import split_paragraphs

_HEAD_LINES = 6
_TAIL_LINES = 8

# "2023-11-05 22:15:05 - Source: Shafaq News"
_ISO_TIME = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[ T](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?![\d:])"
)
_SOURCE = re.compile(r"\bSource:\s*(?P<outlet>[^\s].{1,60}?)\s*$")
# "From The Epoch Times" alone on a line
_FROM = re.compile(r"^From\s+(?P<outlet>(?:The\s+)?[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,5})\s*$")
# "Shafaq News/ U.S. Secretary ..." at the start of the first paragraph
_SLASH_LEAD = re.compile(r"^(?P<outlet>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})\s*/\s+\S")
# "Wednesday, December 6, 2023" alone on a line
# ... or "Nov. 5, 2023", "Sept 30, 2024" (abbreviated months, with or without a full stop)
_LONG_DATE = re.compile(
    r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+)?"
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
    r"\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})$"
)
# Lines that are site furniture, never a title.
_FURNITURE = re.compile(
    r"^(?:skip to (?:main )?content|advertisement|- advertisement -|menu|search|home|latest news|related news)$",
    re.IGNORECASE,
)


class TextMetadata(NamedTuple):
    outlet: str | None
    published: str | None
    title: str | None


def _published(line: str) -> str | None:
    """a line of an article's head -> the publication time it starts with (an ISO time,
    "2023-11-05 22:15:05 - Source: ...") or is (a written date alone), in ISO 8601."""
    m = _ISO_TIME.match(line)
    if m:
        return parse_published(m.group(0))
    return parse_published(line) if _LONG_DATE.match(line) else None


@lru_cache(maxsize=1 << 16)
def published_key(published: str | None) -> tuple[int, str]:
    """ISO 8601 time -> a sort key by instant (an offset is applied; no offset is read as UTC);
    unknown times sort last. Cached: passages sort their members by it, over and over."""
    if not published:
        return (1, "")
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return (1, published)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return (0, moment.isoformat())


def instant(published: str | None) -> datetime | None:
    """ISO 8601 time -> the instant in UTC (naive; no offset is read as UTC), None if unknown."""
    key = published_key(published)
    return datetime.fromisoformat(key[1]) if key[0] == 0 else None


def is_metadata(line: str) -> bool:
    """a line -> whether it states metadata (a time, a source, a "From ...") or is site
    furniture: no title, no first sentence."""
    return bool(_published(line) or _SOURCE.search(line) or _FROM.match(line) or _FURNITURE.match(line))


def _title(lines: list[str]) -> str | None:
    for line in lines:
        if is_metadata(line):
            continue
        words = line.split()
        if len(words) <= 25 and not line.rstrip().endswith((".", "!", "?", ":", '"', "\u201d")):
            return line
        return None
    return None


def extract_metadata(text: str) -> TextMetadata:
    """article text -> (outlet, published, title) found in it, None where not plain."""
    lines = [text[s:e] for s, e in split_paragraphs(text)]
    head, tail = lines[:_HEAD_LINES], lines[-_TAIL_LINES:]
    outlet = published = None
    for line in head:
        published = published or _published(line)
        m = _SOURCE.search(line)
        if m and not outlet:
            outlet = m.group("outlet").rstrip(".,;")
    for line in tail:
        m = _FROM.match(line)
        if m and not outlet:
            outlet = m.group("outlet")
    if not outlet:
        for line in head:
            if is_metadata(line):
                continue
            m = _SLASH_LEAD.match(line)
            if m:
                outlet = m.group("outlet")
            break
    return TextMetadata(outlet=outlet, published=published, title=_title(head))
