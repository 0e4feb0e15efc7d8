"""The report leads with stories, in a real browser (Debian's chromium via playwright):
the story list and its filters, a story's page, an outlet's page, every article in the
article list, site-furniture titles replaced, and 60 copies side by side."""

import json
import random

import pytest
from playwright.sync_api import expect

from pipeline.cli import run
from tests.test_report_browser import Watched, _rows

WIRE = [
    "Rescue teams pulled two more survivors from the rubble of the collapsed hospital on Tuesday, officials said.",
    "The health ministry said at least forty people had died and the search would go on through the night.",
    "Engineers warned that the damaged wing of the building could still fall and kept crowds away from it.",
]
WORDS = "harbour council vote budget ferry bridge tide school plan road museum grant tram vote water".split()


def _own(rng, n=14):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


@pytest.fixture(scope="module")
def crowded_run(tmp_path_factory):
    """60 outlets run one AFP story (most verbatim, some with a changed word); three
    articles carry a site-furniture title; one article shares nothing at all."""
    rng = random.Random(5)
    rows = [{"id": "afp-1", "outlet": "AFP", "published": "2024-05-01T06:00:00Z", "text": "\n\n".join(WIRE)}]
    for k in range(60):
        first = WIRE[0] if k % 4 else WIRE[0].replace("two more", "2 more")
        text = f"{_own(rng)}\n\n{first}\n\n{WIRE[1]}\n\n{_own(rng)}"
        title = "Next" if k < 3 else f"Hospital rescue, report {k}"
        rows.append(
            {
                "id": f"copy-{k:02d}",
                "outlet": f"Outlet {k:02d}",
                "published": f"2024-05-01T{7 + k // 10:02d}:{k % 60:02d}:00Z",
                "title": title,
                "text": text,
            }
        )
    rows.append({"id": "alone", "outlet": "Outlet 99", "title": "Harbour plans", "text": f"{_own(rng)}\n\n{_own(rng)}"})
    folder = tmp_path_factory.mktemp("crowded")
    corpus = folder / "in.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = folder / "out"
    assert run(["run", "--input", str(corpus), "--output", str(out), "--quiet"]) == 0
    return out


def test_the_report_opens_on_the_stories_and_filters_them_by_agency_and_date(browser, seeds_run):
    stories = _rows(seeds_run / "stories.jsonl")
    w = Watched(browser, seeds_run / "report.html")
    page = w.page
    expect(page.locator("#stories")).to_be_visible()
    expect(page.locator("#story-list > li")).to_have_count(len(stories))
    page.select_option("#story-agency", label="AFP")
    expect(page.locator("#story-list > li")).to_have_count(sum(s["agency"] == "AFP" for s in stories))
    page.select_option("#story-agency", label="all agencies")
    page.fill("#story-from", "2023-11-06")
    page.dispatch_event("#story-from", "change")
    later = [s for s in stories if s["first_published"] and s["first_published"]["published"][:10] >= "2023-11-06"]
    expect(page.locator("#story-list > li")).to_have_count(len(later))
    w.assert_quiet()


def test_a_story_page_shows_its_text_paragraph_by_paragraph_and_who_ran_it(browser, seeds_run):
    reuters = next(s for s in _rows(seeds_run / "stories.jsonl") if s["agency"] == "Reuters")
    w = Watched(browser, seeds_run / "report.html")
    page = w.page
    page.click(f"#story-list > li[data-id={reuters['story_id']}] button.row")
    view = page.locator("#story-view")
    expect(view).to_be_visible()
    expect(view.locator(".story-paragraph")).to_have_count(len(reuters["passages"]))
    rows = view.locator("table.members tr")
    expect(rows).to_have_count(len(reuters["members"]) + 1)
    text = view.inner_text()
    assert "First published: Shafaq News" in text and "credits:Reuters" in text
    for m in reuters["members"]:
        assert f"{100 * m['coverage']:.1f}%" in text
    view.locator(".story-paragraph").first.get_by_text("compare the copies").click()
    expect(view.locator(".compare")).to_have_count(1)
    w.assert_quiet()


def test_an_outlet_page_says_what_it_took_from_the_wire(browser, seeds_run):
    w = Watched(browser, seeds_run / "report.html")
    page = w.page
    w.tab("outlets")
    page.select_option("#outlet-pick", label="Shafaq News")
    view = page.locator("#outlet-view")
    assert "What Shafaq News took from the wire" in view.inner_text()
    link = view.locator("button.story-link")
    expect(link).to_have_count(1)
    assert link.inner_text().startswith("Reuters s")
    link.click()
    expect(page.locator("#story-view")).to_be_visible()
    w.assert_quiet()


def test_sixty_copies_stay_readable_side_by_side(browser, crowded_run):
    passages = _rows(crowded_run / "passages.jsonl")
    widest = max(passages, key=lambda p: p["size"])
    assert widest["size"] == 61
    w = Watched(browser, crowded_run / "report.html")
    page = w.page
    w.tab("passages")
    item = page.locator(f"#passage-list > li[data-id={widest['passage_id']}]")
    item.locator("button.row").click()
    item.get_by_text("Compare the copies side by side").click()
    box = item.locator(".compare")
    texts = {m["text"] for m in widest["members"] if m["kind"] != "origin"}
    expect(box.locator(".column")).to_have_count(1 + len(texts))  # the origin, then one per distinct text
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")  # nothing runs off the right edge
    assert "more copies with this text" in box.inner_text()
    copies = box.locator(".column").evaluate_all("cs => cs.map(c => Number(c.dataset.copies))")
    assert sum(copies) == widest["size"]
    w.assert_quiet()


def test_every_article_is_listed_and_furniture_titles_give_way_to_a_first_sentence(browser, crowded_run):
    documents = _rows(crowded_run / "documents.jsonl")
    w = Watched(browser, crowded_run / "report.html")
    page = w.page
    w.tab("articles")
    assert page.inner_text("#article-count").startswith(f"{len(documents)} of {len(documents)} articles")
    page.fill("#article-text", "Outlet 99")
    expect(page.locator("#article-list > li")).to_have_count(1)
    assert "no shared copy" in page.inner_text("#article-list > li")
    page.click("#article-list > li button.row")
    assert "shares no copy with another outlet" in page.inner_text("#article-view")
    w.page.click("#article-view >> text=All articles")
    page.fill("#article-text", "copy-00")
    expect(page.locator("#article-list > li")).to_have_count(1)
    shown = page.inner_text("#article-list > li .snippet")
    assert shown != "Next" and len(shown.split()) >= 4  # the first sentence of its own text
    w.assert_quiet()
