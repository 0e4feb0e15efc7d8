"""The generated corpus's page furniture (benchmarks.corpus, benchmarks.furniture): the
default ("simple") corpus is the one every published figure was measured on, byte for
byte; the "realistic" one dresses each outlet's articles in its own site's furniture,
lines of one shape across outlets that differ by the site's name and numbers, most of
them not in the job's phrase list, all of them boilerplate in the truth."""

import dataclasses
import hashlib
import json
import re
from collections import defaultdict

import pytest

from benchmarks.corpus import AGENCIES, generate
from benchmarks.furniture import site_names
from transforms.boilerplate import boilerplate_reason

# sha256 of generate(n, seed)'s rows and truths (as JSON, keys sorted), taken from the
# generator before the furniture option existed: the figures in docs/benchmarks.md.
SIMPLE_CORPUS = {
    (300, 7): "e6103c39c095c1cf7a73df647abe08fd3417b503922b50c1d3c08dcc4b60609d",
    (500, 3): "97f22811f8fe93c5b06a95423dceec10abc9a4a98cfe9a28b2ce096f09a83a6b",
}
# Furniture lines of one kind at every site: the site's name ("SITE") and numbers vary.
SHAPES = {
    "menu": r"SITE \d+ \| Home( \| [A-Z][\w ]+)+",
    "stamp": r"(Published|First published|Posted|Posted on) [\w ,/-]+ \d{1,2}[:.]\d{2}(am|pm| GMT| UTC)?"
    r"( \| (Updated|Last modified|Last updated|Edited) \d{2}:\d{2})?",
    "most read": r"(Most read on|Trending on|Most popular at|Popular now on) SITE 1\. .+ 2\. .+ 3\. .+ 4\. .+",
    "more from": r"More from SITE( \| [A-Z][^|]+){3}",
    "footer": r"SITE( \| [A-Z][\w ]+)+ \| Since \d{4}",
}


def corpus_hash(rows, truths) -> str:
    """rows, truths -> sha256 of both as JSON with sorted keys."""
    h = hashlib.sha256()
    h.update(json.dumps(rows, sort_keys=True).encode())
    h.update(json.dumps([dataclasses.asdict(t) for t in truths], sort_keys=True).encode())
    return h.hexdigest()


def furniture_lines(row, truth) -> list[str]:
    """-> the texts of an article's boilerplate spans that are page furniture (not photo
    captions or agency credit lines, which the truth also counts as boilerplate)."""
    texts = [row["text"][a:b] for a, b in truth.boilerplate]
    return [t for t in texts if "via Getty Images" not in t and not re.search(r"contributed to|reporting by", t)]


@pytest.fixture(scope="module")
def realistic():
    return generate(600, 7, furniture="realistic")


def test_simple_corpus_is_the_one_the_figures_were_measured_on():
    for (n, seed), expected in SIMPLE_CORPUS.items():
        assert corpus_hash(*generate(n, seed)) == expected
        assert corpus_hash(*generate(n, seed, furniture="simple")) == expected


def test_unknown_furniture_is_refused():
    with pytest.raises(ValueError, match="furniture"):
        generate(10, 7, furniture="fancy")


def test_realistic_corpus_is_deterministic(realistic):
    again = generate(600, 7, furniture="realistic")
    assert corpus_hash(*again) == corpus_hash(*realistic)
    assert corpus_hash(*generate(600, 8, furniture="realistic")) != corpus_hash(*realistic)


def test_realistic_corpus_carries_the_simple_corpus_stories(realistic):
    """only the furniture and the outlets' names change: the same documents, times,
    stories and copied text, so the two corpora's figures compare."""
    simple_rows, simple_truths = generate(600, 7)
    simple = zip(simple_rows, simple_truths, strict=True)
    for (row, truth), (plain, plain_truth) in zip(zip(*realistic, strict=True), simple, strict=True):
        assert (row["id"], row["published"], truth.story) == (plain["id"], plain["published"], plain_truth.story)
        copied = [row["text"][c.start : c.end] for c in truth.copied]
        assert copied == [plain["text"][c.start : c.end] for c in plain_truth.copied]
    assert row["text"] != plain["text"]


def test_outlets_have_distinct_site_names(realistic):
    assert len(set(site_names(256))) == 256
    names = site_names(40)
    assert len(set(names)) == 40 and not any(re.search(r"\d|Outlet", n) for n in names)
    outlets = {row["outlet"] for row in realistic[0]} - set(AGENCIES)
    assert outlets <= set(names) and len(outlets) >= 35


def test_articles_carry_8_to_15_furniture_lines_above_between_and_below(realistic):
    rows, truths = realistic
    between = 0
    articles = [(row, truth) for row, truth in zip(rows, truths, strict=True) if not truth.wire]
    for row, truth in articles:
        lines = furniture_lines(row, truth)
        assert 8 <= len(lines) <= 15
        assert sum(len(line.split()) >= 10 for line in lines) >= 3  # several long ones
        assert all("\n" not in line and line.strip() == line for line in lines)
        paragraphs = row["text"].split("\n\n")
        is_furniture = [p in lines for p in paragraphs]
        assert is_furniture[0] and is_furniture[-1]
        body = [i for i, f in enumerate(is_furniture) if not f]
        between += any(is_furniture[i] for i in range(body[0], body[-1]))
    assert between >= 0.9 * len(articles)


def test_furniture_shares_a_shape_across_outlets_and_differs_by_name_and_number(realistic):
    rows, truths = realistic
    found = defaultdict(lambda: defaultdict(list))  # kind -> outlet -> its lines of that kind
    masked = defaultdict(set)  # a line with the site's name and numbers masked -> outlets
    for row, truth in zip(rows, truths, strict=True):
        for line in furniture_lines(row, truth):
            site = line.replace(row["outlet"], "SITE")
            masked[re.sub(r"\d+", "0", site)].add(row["outlet"])
            for kind, shape in SHAPES.items():
                if re.fullmatch(shape, site):
                    found[kind][row["outlet"]].append(line)
    outlets = {row["outlet"] for row, truth in zip(rows, truths, strict=True) if not truth.wire}
    for kind in SHAPES:
        assert len(found[kind]) >= 0.9 * len(outlets), kind  # every site has one
        printers = defaultdict(set)
        for outlet, lines in found[kind].items():
            for line in lines:
                printers[line].add(outlet)
        assert all(len(at) == 1 for at in printers.values()), kind  # no two sites print one text
    # Within an outlet the menu recurs in every article, its number varying.
    varied = [o for o, lines in found["menu"].items() if len(lines) >= 5 and len(set(lines)) >= 3]
    assert len(varied) >= 0.8 * len([o for o, lines in found["menu"].items() if len(lines) >= 5])
    # Lines that differ only by the site's name or a number, at several outlets.
    shared = [m for m, at in masked.items() if len(at) >= 3 and "All rights reserved" not in m]
    assert len(shared) >= 10


def test_few_realistic_furniture_lines_are_in_the_phrase_list(realistic):
    lines = [line for row, truth in zip(*realistic, strict=True) for line in furniture_lines(row, truth)]
    caught = sum(boilerplate_reason(line) is not None for line in lines) / len(lines)
    assert 0.02 < caught < 0.2, caught  # a few, as on real sites; most reach LSH
    simple = [line for row, truth in zip(*generate(600, 7), strict=True) for line in furniture_lines(row, truth)]
    assert all(boilerplate_reason(line) for line in simple)  # the simple corpus's five: all caught
