"""Wire agencies an article itself credits. Pure, no Beam.

An article credits an agency in three plain ways:
- a dateline: "— Baghdad (AFP)", "WASHINGTON (AP) —", "BAGHDAD (Reuters) -";
- a byline: "By Reuters", "By Jane Doe, AFP";
- a closing credit: "Reuters contributed to this report", "with AFP", "Source: AFP".

An agency named only inside a photo credit ("(Jonathan Ernst/Pool/AFP via Getty
Images)", "Photo: AFP") is not an article credit: captions and parenthesised photo
credits are removed before anything is looked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from transforms.boilerplate import boilerplate_reason
from transforms.text import split_paragraphs

# Canonical name -> the aliases an article may use (matched case-sensitively as words,
# so that "AP" is not found inside "map" and "PA" not in "Pa.").
DEFAULT_AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Reuters": ("Reuters", "REUTERS", "Thomson Reuters"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "ANSA": ("ANSA",),
    "EFE": ("EFE", "Agencia EFE"),
    "Xinhua": ("Xinhua", "XINHUA", "Xinhua News Agency"),
    "PA": ("PA", "PA Media", "Press Association"),
    "UPI": ("UPI", "United Press International"),
    "Bloomberg": ("Bloomberg",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Anadolu": ("Anadolu", "Anadolu Agency", "AA"),
    "IRNA": ("IRNA", "Islamic Republic News Agency"),
    "APP": ("APP", "Associated Press of Pakistan"),
    "AAP": ("AAP", "Australian Associated Press"),
}

_HEAD_LINES = 8
_TAIL_LINES = 8
# "(Jonathan Ernst/Pool/AFP via Getty Images)", "(Photo: AFP)", "(AFP Photo)".
_PHOTO_CREDIT = re.compile(r"\([^()]*(?:/|\bvia\b|\bphoto\b|\bimages?\b|\bfile\b)[^()]*\)", re.IGNORECASE)


class Agencies:
    """The agency list and the patterns built from it."""

    def __init__(self, extra: Mapping[str, Iterable[str]] | None = None):
        names = {k: tuple(v) for k, v in DEFAULT_AGENCIES.items()}
        for name, aliases in (extra or {}).items():
            names[name] = tuple(dict.fromkeys((*names.get(name, ()), name, *aliases)))
        self.canonical = {alias: name for name, aliases in names.items() for alias in (name, *aliases)}
        alias = "|".join(re.escape(a) for a in sorted(self.canonical, key=len, reverse=True))
        a = rf"(?<!\w)(?P<agency>{alias})(?!\w)"
        # Every pattern needs an alias as a word somewhere: a line without one is skipped.
        self.any_alias = re.compile(a)
        dash = r"[-\u2013\u2014:]"
        self.patterns = [
            # Dateline: "— Baghdad (AFP)", "WASHINGTON (AP) —", "Gaza City, Nov 5 (Reuters) -".
            re.compile(rf"^\s*(?:{dash}\s*)?[A-Z][\w .,'\u2019-]{{0,40}}\(\s*{a}\s*\)\s*(?:{dash}|$)"),
            re.compile(rf"^\s*\(\s*{a}\s*\)\s*{dash}"),
            # Byline: "By Reuters", "By Jane Doe, AFP", "By Jane Doe (AP)".
            re.compile(rf"^\s*By\s+(?:[A-Z][\w.'\u2019-]*,?\s+){{0,4}}?\(?{a}\s*\)?\s*$"),
            # Closing credits.
            re.compile(rf"^\s*\(?\s*(?:[\w.,'\u2019 ]{{0,60}}\s)?{a}\s+(?:[Cc]ontributed|[Rr]eporting)\b"),
            re.compile(rf"^\s*\(?\s*(?:[Ww]ith|[Ss]ources?:)\s+{a}\s*\)?\.?\s*$"),
            re.compile(rf"^\s*\(?\s*(?:[Aa]dditional\s+)?[Rr]eporting\s+by\s+(?:[\w.'\u2019 ,;]{{0,80}}\s)?{a}\b"),
            re.compile(rf"^\s*[-\u2013\u2014]?\s*{a}\s*$"),
        ]

    def credits(self, text: str) -> tuple[str, ...]:
        """article text -> the agencies it credits, sorted, each once."""
        lines = [text[s:e] for s, e in split_paragraphs(text)]
        lines = lines[:_HEAD_LINES] + lines[max(_HEAD_LINES, len(lines) - _TAIL_LINES) :]
        found = set()
        for line in lines:
            # No agency named and no parenthesis (so no photo credit to cut out): no credit.
            if "(" not in line and not self.any_alias.search(line):
                continue
            if boilerplate_reason(line) == "caption":
                continue
            line = _PHOTO_CREDIT.sub("", line)
            for pattern in self.patterns:
                m = pattern.match(line)
                if m:
                    found.add(self.canonical[m.group("agency")])
        return tuple(sorted(found))

    def name(self, outlet: str | None) -> str | None:
        """an outlet name -> the agency it is, if it is one (the agency's own wire)."""
        return self.canonical.get(outlet.strip()) if outlet else None
