"""Realistic page furniture for the generated corpus (benchmarks.corpus, `furniture="realistic"`).

    site_names(n, seed) -> n distinct site names ("The Daily Times", "Gulf Observer", ...)
    Pages(seed, names, stories, filed).dress(outlet, published, parts) -> the article's parts
        with its site's furniture above, between and below them, each labelled "furniture"

On a real news page every article of an outlet carries the same furniture with small
variations (a count, a time, a date, the day's most-read headlines): a top menu naming
the site, section navigation, an edition line, a byline, "Published ... | Updated ..."
stamps, share and comment bars, "Most read" and "More from" lists, an app promotion and
footers, 8 to 15 lines an article. Across outlets the same kind of line has the same
shape, built from parts every site draws from one pool (its own menu sections, share
buttons, comment-bar phrases, footer links, date style) with its name and numbers in
it: two outlets' lines share some words and 3-word shingles, so they collide in
MinHash-LSH, but mostly fewer than the 8 aligned words verification asks for. Most of
these lines are not in the job's phrase list (transforms/boilerplate.py); a few are
("Skip to main content", "Advertisement", "Share | ...", "(c) 2024 ... All rights
reserved."), as on real sites.

Each outlet's site (`Site`) is drawn once; each article then draws its numbers and
headlines. A site's headline of a story is a few of the story's first paragraph's words,
in order. Everything comes from the seed, apart from the corpus's own random stream, so
the stories, copies and edits are those of the "simple" corpus of the same seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

PLACES = ["Daily", "Morning", "Evening", "Gulf", "Northern", "Southern", "Capital", "Coastal",
          "Valley", "City", "National", "Sunday", "Harbour", "Desert", "River", "Eastern"]  # fmt: skip
TITLES = ["Times", "Herald", "Observer", "Post", "Tribune", "Chronicle", "Gazette", "Courier",
          "Standard", "Mirror", "Express", "Sentinel", "Record", "Journal", "Star", "Ledger"]  # fmt: skip
# The pools sites draw their parts from, in the order a site prints the ones it has.
SECTIONS = ["News", "World", "Region", "Politics", "Business", "Economy", "Markets", "Sport", "Football",
            "Opinion", "Culture", "Lifestyle", "Science", "Health", "Video", "Podcasts", "Weather"]  # fmt: skip
SUBSECTIONS = ["Middle East", "Gulf", "Levant", "North Africa", "Africa", "Europe", "Americas", "Asia",
               "Iran", "Turkey", "Diplomacy", "Analysis", "Explainers"]  # fmt: skip
BUTTONS = ["Facebook", "X", "WhatsApp", "Telegram", "LinkedIn", "Reddit", "Email", "Print", "Copy link"]
# A comment bar: one phrase of each list (short: two sites with the same two share 7 words at most).
COMMENTS = (["Have your say", "Join the debate", "Comments are open", "Tell us more", "Your views"],
            ["Sign in", "House rules", "Newest first", "Report abuse", "Moderated"])  # fmt: skip
FOOTER = ["About us", "Contact", "Advertise", "Careers", "Corrections", "Ethics", "Accessibility",
          "Sitemap", "RSS feeds", "Archive", "Syndication", "Help"]  # fmt: skip
# An app promotion: one of each list.
APP = (["Get the", "Download the", "Try the", "Install the"],
       ["for breaking news alerts", "for live coverage", "to read offline", "for the daily puzzle",
        "for the evening edition"],
       ["free on iOS and Android", "on the App Store and Google Play", "for iPhone and Android",
        "download it free today"])  # fmt: skip
STAMPS = [("Published", "Updated"), ("First published", "Last modified"), ("Posted", "Updated"),
          ("Published", "Last updated"), ("Posted on", "Edited")]  # fmt: skip
READS = ["Most read on", "Trending on", "Most popular at", "Popular now on"]
FIRST = ["Sam", "Dana", "Omar", "Lina", "Karim", "Maya", "Hassan", "Nour", "Ali", "Sara", "Yusuf", "Rania"]
LAST = ["Lee", "Cole", "Haddad", "Nasser", "Khalil", "Said", "Mansour", "Aziz", "Farah", "Rahman", "Issa"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def site_names(n: int, seed: int = 7) -> list[str]:
    """n, seed -> n distinct site names, "The" before half of them (at most 256)."""
    pairs = [(place, title) for place in PLACES for title in TITLES]
    if n > len(pairs):
        raise ValueError(f"at most {len(pairs)} realistic outlets, not {n}")
    random.Random(f"sites:{seed}").shuffle(pairs)
    return [("The " if i % 2 == 0 else "") + f"{place} {title}" for i, (place, title) in enumerate(pairs[:n])]


def when(t: datetime, style: int) -> str:
    """a time, a site's date style (0-4) -> it as that site prints it."""
    month = MONTHS[t.month - 1]
    return [
        f"{month} {t.day}, {t.year} {t:%H:%M} GMT",
        f"{t:%d/%m/%Y %H:%M}",
        f"{t:%Y-%m-%d %H:%M} UTC",
        f"{t.day} {month[:3]} {t.year}, {t.hour % 12 or 12}.{t:%M}{'am' if t.hour < 12 else 'pm'}",
        f"{DAYS[t.weekday()][:3]} {t.day} {month} {t.year} {t:%H:%M}",
    ][style]


def headline(rng: random.Random, paragraph: list[str]) -> str:
    """a story's first paragraph (sentences) -> a headline: 5 to 8 of its words, in order."""
    words = [word.strip(".,") for word in " ".join(paragraph).split()]
    picked = sorted(rng.sample(range(len(words)), min(len(words), rng.randint(5, 8))))
    text = " ".join(words[i].lower() for i in picked)
    return text[:1].upper() + text[1:]


def some(rng: random.Random, pool: list[str], low: int, high: int) -> list[str]:
    """-> between low and high of pool's items, in pool order."""
    return sorted(rng.sample(pool, rng.randint(low, high)), key=pool.index)


@dataclass(frozen=True)
class Site:
    """One outlet's page template: what is the same in every article it publishes."""

    name: str
    menu: tuple[str, ...]
    section: str
    nav: tuple[str, ...]
    buttons: tuple[str, ...]
    comments: tuple[str, str]
    footer: tuple[str, ...]
    app: tuple[str, str, str] | None  # how it asks, what for, where from (None: no app promotion)
    stamp: tuple[str, str]
    reads: str  # what it calls its most-read list
    staff: tuple[str, ...]
    date_style: int
    volume: int
    founded: int
    edition: bool  # prints a "Vol. 51, No. 312" line
    skip_link: bool  # opens with "Skip to main content" (a phrase-list line)
    share_caught: bool  # its share bar opens with "Share" (a phrase-list line)
    copyright: bool  # closes with "(c) 2024 ... All rights reserved." (a phrase-list line)


def draw_site(rng: random.Random, name: str) -> Site:
    """rng, site name -> its page template."""
    return Site(
        name=name,
        menu=("Home", *some(rng, SECTIONS, 6, 9)),
        section=rng.choice(["World", "News", "Middle East", "International"]),
        nav=tuple(some(rng, SUBSECTIONS, 5, 7)),
        buttons=tuple(some(rng, BUTTONS, 4, 6)),
        comments=(rng.choice(COMMENTS[0]), rng.choice(COMMENTS[1])),
        footer=tuple(some(rng, FOOTER, 4, 6)),
        app=tuple(rng.choice(part) for part in APP) if rng.random() < 0.5 else None,
        stamp=rng.choice(STAMPS),
        reads=rng.choice(READS),
        staff=tuple(f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(6)),
        date_style=rng.randrange(5),
        volume=rng.randint(12, 160),
        founded=rng.randint(1890, 2015),
        edition=rng.random() < 0.5,
        skip_link=rng.random() < 0.3,
        share_caught=rng.random() < 0.3,
        copyright=rng.random() < 0.4,
    )


def top_lines(rng: random.Random, site: Site, published: datetime) -> list[str]:
    """-> the lines above an article: skip link, menu, section navigation, edition, byline, stamp."""
    updated = published + timedelta(minutes=rng.randint(5, 600))
    writers = rng.sample(site.staff, 2)
    lines = ["Skip to main content"] * site.skip_link
    lines.append(f"{site.name} {rng.randint(2, 99)} | {' | '.join(site.menu)}")
    lines.append(f"{site.section} | {' | '.join(site.nav)} | Live {rng.randint(1, 9)}")
    if site.edition:
        number = published.timetuple().tm_yday + 40
        date = f"{DAYS[published.weekday()]}, {MONTHS[published.month - 1]} {published.day}, {published.year}"
        lines.append(f"Vol. {site.volume}, No. {number} \u00b7 {date}")
    lines.append(
        [
            f"By {writers[0]} | {updated:%H:%M} GMT",
            f"By {writers[0]} and {writers[1]}, {site.name} | {rng.randint(2, 9)} min read",
            f"{writers[0]}, {site.section} correspondent",
        ][site.date_style % 3]
    )
    first, then = site.stamp
    stamp = f"{first} {when(published, site.date_style)}"
    if site.date_style in (1, 3):  # a short date: the time of the update too
        stamp += f" | {then} {updated:%H:%M}"
    return [*lines, stamp]


def middle_lines(rng: random.Random, site: Site, headlines: list[str]) -> list[str]:
    """-> the lines between an article's paragraphs: a read-more link, related links, an advert."""
    lines = [f"Read more: {rng.choice(headlines)}"]
    if rng.random() < 0.5:
        lines.append(f"Related on {site.name}: {' | '.join(rng.sample(headlines, 2))}")
    if rng.random() < 0.3:
        lines.append("Advertisement")
    return lines


def bottom_lines(rng: random.Random, site: Site, published: datetime, read: list[str], more: list[str]) -> list[str]:
    """-> the lines below an article: share and comment bars, the day's most read, more
    from the site, an app promotion and footers."""
    comments = rng.randint(0, 240)
    share = " | ".join(site.buttons)
    ranked = " ".join(f"{k}. {h}" for k, h in enumerate(read, 1))
    lines = [
        f"Share | {share}" if site.share_caught else share,
        f"{site.name} | {comments} comments | {' | '.join(site.comments)}",
        f"{site.reads} {site.name} {ranked}",
        f"More from {site.name} | {' | '.join(more)}",
    ]
    if site.app:
        ask, why, where = site.app
        lines.append(f"{ask} {site.name} app {why}, {where}")
    lines.append(f"{site.name} | {' | '.join(site.footer)} | Since {site.founded}")
    if site.copyright:
        lines.append(f"\u00a9 {published.year} {site.name}. All rights reserved.")
    return lines


class Pages:
    """Every outlet's site and headlines, drawn from the seed (see the module)."""

    def __init__(self, seed: int, names: list[str], stories: list[list[list[str]]], filed: list[datetime]):
        self.seed, self.stories = seed, stories
        self.rng = random.Random(f"furniture:{seed}")
        self.sites = {name: draw_site(self.rng, name) for name in names}
        self.by_day: dict[int, list[int]] = {}
        for s, t in enumerate(filed):
            self.by_day.setdefault(t.toordinal(), []).append(s)

    def recent(self, outlet: str, published: datetime, what: str, k: int) -> list[str]:
        """-> the outlet's headlines of k stories filed that day or the day before, the same
        for every article of `outlet` that day (its most read, its "more from")."""
        day = published.toordinal()
        pool = self.by_day.get(day, []) + self.by_day.get(day - 1, [])
        pool = pool if len(pool) >= k else list(range(len(self.stories)))
        rng = random.Random(f"{what}:{self.seed}:{outlet}:{day}")
        picked = rng.sample(pool, min(k, len(pool)))
        return [headline(random.Random(f"{self.seed}:{outlet}:{s}"), self.stories[s][0]) for s in picked]

    def dress(self, outlet: str, published: datetime, parts: list[tuple[str, object]]) -> list[tuple[str, object]]:
        """an article's parts [(text, label)] -> the same with the "furniture" ones replaced
        by its site's: some above, some between its paragraphs, some below, all "furniture"."""
        site, rng = self.sites[outlet], self.rng
        body = [part for part in parts if part[1] != "furniture"]
        for line in middle_lines(rng, site, self.recent(outlet, published, "related", 6)):
            body.insert(rng.randint(2, max(2, len(body) - 1)), (line, "furniture"))
        read, more = self.recent(outlet, published, "read", 4), self.recent(outlet, published, "more", 3)
        top = [(line, "furniture") for line in top_lines(rng, site, published)]
        return top + body + [(line, "furniture") for line in bottom_lines(rng, site, published, read, more)]
