"""Realistic page furniture for the generated corpus (benchmarks.corpus, `furniture="realistic"`).

    site_names(n, seed) -> n distinct site names ("The Daily Times", "Gulf Observer", ...)
    Pages(seed, names, stories, filed).dress(outlet, published, parts) -> the article's parts
        with its site's furniture around and between them, each line labelled "furniture"

On a real news page every article of an outlet carries the same furniture with small
variations (a count, a time, a date, the day's most-read headlines): a top menu naming
the site, section navigation, an edition line, a byline, "Published ... | Updated ..."
stamps, share and comment bars, "Most read" and "More from" lists, an app promotion and
footers. Across outlets the same lines differ only by the site's name or a number, so
they share most of their words: they collide in MinHash-LSH and fail verification.
Most of these lines are not in the job's phrase list (transforms/boilerplate.py); a few
are ("Advertisement", "Share | ...", "(c) 2024 ... All rights reserved"), as on real sites.

Each outlet's site (`Site`) is drawn once: its sections, staff, date format and which
optional lines it has; each article then draws its numbers, times and headlines. A
headline is a few of its story's first paragraph's words, in order: lists of them name
the same wire stories at different outlets. Everything comes from the seed: the corpus's
own random stream is never touched, so the stories, copies and edits are those of the
"simple" corpus of the same seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

PLACES = ["Daily", "Morning", "Evening", "Gulf", "Northern", "Southern", "Capital", "Coastal",
          "Valley", "City", "National", "Sunday", "Harbour", "Desert", "River", "Eastern"]  # fmt: skip
TITLES = ["Times", "Herald", "Observer", "Post", "Tribune", "Chronicle", "Gazette", "Courier",
          "Standard", "Mirror", "Express", "Sentinel", "Record", "Journal", "Star", "Ledger"]  # fmt: skip
MENUS = [
    "Home | World | Business | Sport | Opinion | Culture | Science | Video",
    "Home | News | World | Politics | Business | Sport | Lifestyle | Opinion | Podcasts",
    "Home | Latest | World | Region | Economy | Sport | Culture | Opinion | Weather",
]
NAVS = [
    "World | Middle East | Africa | Europe | Americas | Asia Pacific",
    "News | World | Middle East | Diplomacy | Conflict | Analysis | Explainers",
    "World | Region | Gulf | Levant | North Africa | Iran | Turkey",
]
FIRST = ["Sam", "Dana", "Omar", "Lina", "Karim", "Maya", "Hassan", "Nour", "Ali", "Sara", "Yusuf", "Rania"]
LAST = ["Lee", "Cole", "Haddad", "Nasser", "Khalil", "Said", "Mansour", "Aziz", "Farah", "Rahman", "Issa"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def site_names(n: int, seed: int = 7) -> list[str]:
    """n, seed -> n distinct site names, "The" before about half of them (up to 256)."""
    pairs = [(place, title) for place in PLACES for title in TITLES]
    random.Random(f"sites:{seed}").shuffle(pairs)
    if n > len(pairs):
        raise ValueError(f"at most {len(pairs)} realistic outlets, not {n}")
    return [("The " if i % 2 == 0 else "") + f"{place} {title}" for i, (place, title) in enumerate(pairs[:n])]


def when(t: datetime, style: int) -> str:
    """a time, a site's date style (0-4) -> it as that site prints it."""
    month = MONTHS[t.month - 1]
    return [
        f"{month} {t.day}, {t.year} {t:%H:%M} GMT",
        f"{t:%d/%m/%Y %H:%M}",
        f"{t:%Y-%m-%d %H:%M} UTC",
        f"{t.day} {month[:3]} {t.year}, {t.hour % 12 or 12}.{t:%M}{'am' if t.hour < 12 else 'pm'}",
        f"{DAYS[t.weekday()]} {t.day} {month} {t.year} {t:%H:%M} GMT",
    ][style]


def headline(rng: random.Random, paragraph: list[str]) -> str:
    """a story's first paragraph (sentences) -> a headline: 5 to 8 of its words, in order."""
    words = " ".join(paragraph).rstrip(".").split()
    picked = sorted(rng.sample(range(len(words)), min(len(words), rng.randint(5, 8))))
    text = " ".join(words[i].lower() for i in picked)
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Site:
    """One outlet's page template: what is the same in every article it publishes."""

    name: str
    menu: str
    nav: str
    staff: tuple[str, ...]
    date_style: int
    volume: int
    founded: int
    edition: bool  # prints a "Vol. 51, No. 312" line
    skip_link: bool  # opens with "Skip to main content" (a phrase-list line)
    share_caught: bool  # its share bar opens with "Share" (a phrase-list line)
    copyright: bool  # closes with "(c) 2024 ... All rights reserved." (a phrase-list line)
    app: bool  # promotes its app
    most_read: str  # what it calls its most-read list


def draw_site(rng: random.Random, name: str) -> Site:
    """rng, site name -> its page template."""
    staff = tuple(f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(6))
    return Site(
        name, rng.choice(MENUS), rng.choice(NAVS), staff, rng.randrange(5), rng.randint(12, 160),
        rng.randint(1890, 2015), rng.random() < 0.5, rng.random() < 0.3, rng.random() < 0.3,
        rng.random() < 0.4, rng.random() < 0.5, rng.choice(["Most read on", "Trending on", "Most popular at"]),
    )  # fmt: skip


def top_lines(rng: random.Random, site: Site, published: datetime) -> list[str]:
    """-> the lines above an article: skip link, menu, section navigation, edition, byline, stamp."""
    updated = published + timedelta(minutes=rng.randint(5, 600))
    writers = rng.sample(site.staff, 2)
    lines = ["Skip to main content"] * site.skip_link
    lines += [f"{site.name} {rng.randint(2, 99)} | {site.menu}", f"{site.nav} | Live {rng.randint(1, 9)}"]
    if site.edition:
        day = published.timetuple().tm_yday
        date = f"{MONTHS[published.month - 1]} {published.day}, {published.year}"
        lines.append(f"Vol. {site.volume}, No. {day + 40} \u00b7 {DAYS[published.weekday()]}, {date}")
    byline = [
        f"By {writers[0]} | Updated {updated:%H:%M} GMT",
        f"By {writers[0]} and {writers[1]}, {site.name} | {rng.randint(2, 9)} min read",
        f"{writers[0]}, Middle East correspondent, {site.name} | {updated:%H:%M} GMT",
    ][site.date_style % 3]
    return lines + [byline, f"Published {when(published, site.date_style)} | Updated {when(updated, site.date_style)}"]


def middle_lines(rng: random.Random, site: Site, headlines: list[str]) -> list[str]:
    """-> the lines between an article's paragraphs: a read-more link, related links, an advert."""
    lines = [f"Read more: {rng.choice(headlines)}"]
    if rng.random() < 0.5:
        lines.append(f"Related on {site.name}: {' | '.join(rng.sample(headlines, 2))}")
    if rng.random() < 0.3:
        lines.append("Advertisement")
    return lines


def bottom_lines(rng: random.Random, site: Site, published: datetime, day: list[str], more: list[str]) -> list[str]:
    """-> the lines below an article: share and comment bars, the day's most read, more
    from the site, an app promotion and footers."""
    comments = rng.randint(0, 240)
    share = (
        f"Share | Facebook | X | WhatsApp | Email | Comments ({comments})"
        if site.share_caught
        else f"Facebook | X | WhatsApp | LinkedIn | Email | Print | {comments} comments"
    )
    ranked = " ".join(f"{k}. {h}" for k, h in enumerate(day[:4], 1))
    lines = [
        share,
        f"{comments} comments | Join the conversation | Sign in to comment, and read our community rules "
        f"before you post on {site.name}",
        f"{site.most_read} {site.name} {ranked}",
        f"More from {site.name} | {' | '.join(more)}",
    ]
    if site.app:
        lines.append(f"Get the {site.name} app for breaking news alerts and the {rng.randint(5, 9)} am briefing")
    lines.append(
        f"{site.name} | About us | Contact | Advertise | Careers | Corrections | Ethics | Founded {site.founded}"
    )
    if site.copyright:
        lines.append(f"\u00a9 {published.year} {site.name}. All rights reserved.")
    return lines


class Pages:
    """Every outlet's site and every story's headline, drawn from the seed (see the module)."""

    def __init__(self, seed: int, names: list[str], stories: list[list[list[str]]], filed: list[datetime]):
        self.seed = seed
        self.rng = random.Random(f"furniture:{seed}")
        self.sites = {name: draw_site(self.rng, name) for name in names}
        self.headlines = [headline(self.rng, story[0]) for story in stories]
        self.by_day: dict[int, list[int]] = {}
        for s, t in enumerate(filed):
            self.by_day.setdefault(t.toordinal(), []).append(s)

    def recent(self, outlet: str, published: datetime, what: str, k: int) -> list[str]:
        """-> k headlines of stories filed that day or the day before, the same for every
        article of `outlet` that day (its "most read", its "more from")."""
        day = published.toordinal()
        pool = self.by_day.get(day, []) + self.by_day.get(day - 1, [])
        pool = pool if len(pool) >= k else list(range(len(self.headlines)))
        rng = random.Random(f"{what}:{self.seed}:{outlet}:{day}")
        return [self.headlines[s] for s in rng.sample(pool, min(k, len(pool)))]

    def dress(self, outlet: str, published: datetime, parts: list[tuple[str, object]]) -> list[tuple[str, object]]:
        """an article's parts [(text, label)] -> the same with the "furniture" ones replaced
        by its site's: some above, some between its paragraphs, some below, all "furniture"."""
        site, rng = self.sites[outlet], self.rng
        body = [part for part in parts if part[1] != "furniture"]
        for line in middle_lines(rng, site, self.recent(outlet, published, "related", 6)):
            body.insert(rng.randint(2, max(2, len(body) - 1)), (line, "furniture"))
        day, more = self.recent(outlet, published, "most read", 4), self.recent(outlet, published, "more", 3)
        top = [(line, "furniture") for line in top_lines(rng, site, published)]
        return top + body + [(line, "furniture") for line in bottom_lines(rng, site, published, day, more)]
