"""Paragraphs that are never wire reuse: site furniture, photo captions, agency credit lines.

Pure, no Beam. `boilerplate_reason(text)` names why a paragraph is boilerplate, or
returns None. Such paragraphs stay in the documents (their offsets and counts do not
change) but are never signed, so they can never become a passage.
"""

from __future__ import annotations

import re

_FURNITURE = re.compile(
    r"""^(?:
        skip\ to\ (?:main\ )?content | (?:-\ )?advertisement(?:\ -)? | menu | search | home | close
      | latest\ news | related\ news | related\ (?:articles|stories) | read\ more | most\ read
      | (?:share|follow\ us)\b.* | sign\ up\b.* | subscribe\b.*
      | .*\b(?:sign|signing|subscribe|subscribing|register|registering|join)\b.*\bnewsletters?\b.*
      | [^.]{0,30}\bnewsletters?\b[^.]{0,30}
      | .*\b(?:privacy\ policy|terms\ of\ (?:use|service)|cookie\ (?:policy|settings))\b.*
      | (?:©|\(c\)|copyright)\b.* | .*\ball\ rights\ reserved\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# "(Jonathan Ernst/Pool/AFP via Getty Images)" or "Photo: AFP" closing or opening a paragraph.
_CAPTION = re.compile(
    r"""(?:\((?:[^()]*/[^()]*|[^()]*\bvia\ getty\ images|[^()]*\b(?:photo|image|file\ photo)\b[^()]*)\)\s*$)
      | ^(?:photo|image|picture|file\ photo)\s*(?::|/|by)\s
      | \b(?:photo|image|picture)\s*:\s*[\w .&/-]{1,60}$
      | \bvia\ getty\ images\.?$
      | \b[A-Z]{2,}/[A-Z][\w.'-]*(?:\ [A-Z][\w.'-]*)*(?:/[A-Z][\w.'-]*)*\.?$""",
    re.IGNORECASE | re.VERBOSE,
)
_AGENCY_LINE = re.compile(
    r"""^\(?(?:
        .{1,60}\ contributed\ (?:to\ )?(?:this\ )?(?:report|reporting|story)
      | (?:additional\ )?reporting\ by\b.* | (?:writing|editing)\ by\b.*
      | with\ (?:afp|reuters|ap|dpa|efe|ansa|xinhua)
      | (?:source|sources):\ .{1,60}
    )\.?\)?\.?$""",
    re.IGNORECASE | re.VERBOSE,
)
BOILERPLATE_REASONS = ("furniture", "caption", "credit_line")
_CASE_TWINS = "\u0130\u0131\u017f\u212a"
_MAX_FURNITURE_WORDS = 30  # a long paragraph is not furniture, whatever words it contains


# Every line _FURNITURE matches holds one of these (lower case), every line _AGENCY_LINE
# matches one of the second: a line with none is not run through the regex (most are not).
_FURNITURE_WORDS = (
    "skip to", "advertisement", "menu", "search", "home", "close", "latest news", "related", "read more",
    "most read", "share", "follow us", "sign up", "subscribe", "newsletter", "privacy policy", "terms of",
    "cookie", "\u00a9", "(c)", "copyright", "all rights reserved",
)  # fmt: skip
_AGENCY_LINE_WORDS = ("contributed", "reporting by", "writing by", "editing by", "with ", "source")


def boilerplate_reason(text: str) -> str | None:
    """paragraph text -> "furniture", "caption" or "credit_line", or None for real text."""
    words = text.split()
    line = " ".join(words)
    if len(words) <= _MAX_FURNITURE_WORDS:
        lower = line.lower()
        twins = any(c in line for c in _CASE_TWINS)
        if (twins or any(w in lower for w in _FURNITURE_WORDS)) and _FURNITURE.match(line):
            return "furniture"
        if (twins or any(w in lower for w in _AGENCY_LINE_WORDS)) and _AGENCY_LINE.match(line):
            return "credit_line"
    if _may_be_caption(line) and _CAPTION.search(line):
        return "caption"
    return None


def _may_be_caption(line: str) -> bool:
    """False only where no branch of _CAPTION can match, tested without a regex search:
    every caption ends with ")", holds "/", ":" or "getty", or opens with a photo word.
    The letters that `re.IGNORECASE` also takes for i, s and k ("İ", "ı", "ſ", "K") go
    to the regex too."""
    if line.endswith(")") or "/" in line or ":" in line or any(c in line for c in _CASE_TWINS):
        return True
    lower = line.lower()
    return "getty" in lower or lower.startswith(("photo", "image", "picture", "file"))
