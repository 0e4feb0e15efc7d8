"""A finished run's output folder -> report.html beside its data files.

    render(run, pool, parts) -> str                          the page: one self-contained HTML file
    render_pieces(run, pool, parts) -> Iterator[str]         the same page, piece by piece
    write_report(folder, max_passages, ..., pool, parts) -> path  reads the folder, writes report.html

The page is Jinja2 with autoescaping: every title, outlet name, id and piece of article
text is escaped in the markup, and the page's data is embedded as JSON that cannot close
its <script> element (`tojson`). Its own CSS and JS are inlined and allowed by hash in
a Content-Security-Policy that forbids everything else (no network, no injected script).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from importlib import resources
from itertools import chain

import jinja2
from apache_beam.io.filesystems import FileSystems
from markupsafe import Markup

from report.charts import CELL, LABEL_WIDTH, bar_chart, heat_map
from report.diff import word_diffs
from report.load import Range, Run, in_parts, line_ranges, load_run, range_lines, row_of
from report.page import (
    UNKNOWN_OUTLET,
    diff_pairs,
    outlet_shares,
    outlet_totals,
    overview,
    page_data,
    shares_of,
    shown_doc_ids,
)
from report.story_data import light_row

REPORT = "report.html"
SCRIPTS = ["base.js", "compare.js", "passages.js", "articles.js", "stories.js", "outlets.js", "start.js"]  # in order
_SCRIPT_HEAD = """/* wiretrace report: draws the passage list, the article views and the side-by-side
 * comparison from the JSON data embedded in the page. Plain JS, no libraries.
 *
 * Every string from the data goes into the page as a text node or an attribute value
 * (textContent, setAttribute), never as markup: article text, titles, outlet names
 * and ids are shown exactly as they are, whatever they contain.
 */
(function () {
"use strict";
"""


def _static(*path: str) -> str:
    return resources.files("report").joinpath("static", *path).read_text(encoding="utf-8")


def page_script() -> str:
    """-> the page's script: report/static/js/*.js in order, in one function scope."""
    return _SCRIPT_HEAD + "\n".join(_static("js", name) for name in SCRIPTS) + "})();\n"


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _delay(seconds) -> str:
    """seconds or None -> '3 h 20 min' style, '' if None."""
    if seconds is None:
        return ""
    minutes = round(float(seconds) / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["delay"] = _delay
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    return env


def render(run: Run, pool: Executor | None = None, parts: int = 1) -> str:
    """Run -> the report page as one HTML string (deterministic: same files, same bytes).
    With `parts` > 1, documents.jsonl is read in that many parts, all but the first in
    `pool` (report.load.in_parts); else once, from Run.documents()."""
    return "".join(render_pieces(run, pool, parts))


_DATA_SLOT = Markup("\x00wiretrace-data\x00")  # where the page's JSON data goes


def render_pieces(run: Run, pool: Executor | None = None, parts: int = 1) -> Iterator[str]:
    """Run -> the report page (as render) in pieces: the markup around the data, and the
    data's JSON an entry at a time, so that a page of hundreds of megabytes is never one
    string (nor several copies of one) in memory."""
    css, js = _static("report.css"), page_script()
    wanted = shown_doc_ids(run.passages)
    diffs = None
    if parts > 1:
        ranges = line_ranges(run.folder, "documents", parts)
        read = in_parts(documents_part, ranges, pool, run.agencies, wanted)
        shares = shares_of(totals for totals, _, _ in read)
        carrying = [row_of(line) for _, kept, _ in read for line in kept]
        others = [row for _, _, light in read for row in light]
        pairs = diff_pairs(run.passages)
        cut = [pairs[len(pairs) * k // parts : len(pairs) * (k + 1) // parts] for k in range(parts)]
        diffs = dict(zip(pairs, chain.from_iterable(in_parts(word_diffs, cut, pool)), strict=True))
    else:
        carrying, others = [], []  # the rows of documents carrying a shown passage, light rows of the others
        shares = outlet_shares(_keeping(run.documents(), wanted, carrying, others), run.agencies)
    ov = overview(run.summary, shares, run.agencies, run.outlet_pairs)
    unknown = next((s.articles for s in ov.shares if s.outlet == UNKNOWN_OUTLET), 0)
    data = page_data(run.passages, carrying, diffs, run.stories, others)
    del carrying, others
    page = (
        _environment()
        .get_template("report.html.j2")
        .render(
            summary=run.summary,
            ov=ov,
            unknown_articles=unknown,
            shown=len(run.passages),
            bars=bar_chart(ov.shares),
            heat=heat_map(ov.outlet_pairs),
            label_width=LABEL_WIDTH,
            cell=CELL,
            top_agency=max((n for _, n in ov.agencies), default=1),
            data=_DATA_SLOT,
            css=Markup(css),
            js=Markup(js),
            style_hash=_csp_hash(css),
            script_hash=_csp_hash(js),
        )
    )
    head, tail = page.split(_DATA_SLOT)
    yield head
    yield from json_pieces(data)
    yield tail


_JSON = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}


def _html_safe(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def json_pieces(data: dict) -> Iterator[str]:
    """the page's data -> its JSON in pieces, an entry of each list at a time: together,
    the same characters as Jinja2's `tojson` of it (sorted keys, no spaces, and < > & '
    escaped, so that nothing in it can close its <script> element)."""
    yield "{"
    for n, key in enumerate(sorted(data)):
        yield ("," if n else "") + json.dumps(key) + ":"
        value = data[key]
        if isinstance(value, list):
            yield "["
            for k, item in enumerate(value):
                yield ("," if k else "") + _html_safe(json.dumps(item, **_JSON))
            yield "]"
        else:
            yield _html_safe(json.dumps(value, **_JSON))
    yield "}"


def _keeping(documents: Iterable[dict], wanted: set[str], kept: list[dict], light: list[dict]) -> Iterator[dict]:
    """documents.jsonl rows -> the same rows, appending those whose doc_id is `wanted` to
    `kept`, and the light rows of the others to `light`, on the way: the file, hundreds
    of megabytes, is read and parsed once."""
    for doc in documents:
        if doc["doc_id"] in wanted:
            kept.append(doc)
        else:
            light.append(light_row(doc))
        yield doc


def documents_part(ranges: list[Range], agencies: dict, wanted: set[str]) -> tuple[dict, list[str], list[dict]]:
    """byte ranges of documents.jsonl, {passage_id: agency}, the doc_ids to keep ->
    (outlet_totals of their rows, the lines of those whose doc_id is wanted, in order:
    lines, which cost next to nothing to send back from another process; and the light
    rows of the others, report.story_data.light_row)."""
    kept: list[str] = []
    light: list[dict] = []

    def rows():
        for line in range_lines(ranges):
            row = row_of(line)
            if row["doc_id"] in wanted:
                kept.append(line)
            else:
                light.append(light_row(row))
            yield row

    return outlet_totals(rows(), agencies), kept, light


WRITE_CHARS = 1 << 20  # the report is written in pieces of about this many characters


def _batched(pieces: Iterable[str], size: int) -> Iterator[str]:
    """strings -> the same characters in strings of about `size` (fewer, larger writes)."""
    batch, held = [], 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(batch)
            batch, held = [], 0
    if batch:
        yield "".join(batch)


def write_report(
    folder: str,
    max_passages: int | None = None,
    summary: dict | None = None,
    pool: Executor | None = None,
    parts: int = 1,
) -> str:
    """output folder of a finished run -> writes folder/report.html (atomically); its path.

    `max_passages` defaults to the run's own config (report_max_passages); `summary` is
    for a run still in its staging folder, before summary.json is written. `pool`,
    `parts`: passages.jsonl and documents.jsonl are read in `parts` at once, all but
    the first in `pool` (a concurrent.futures Executor of processes); the same page.
    """
    pieces = render_pieces(load_run(folder, max_passages, summary, pool, parts), pool, parts)
    path, partial = FileSystems.join(folder, REPORT), FileSystems.join(folder, "_" + REPORT + ".partial")
    try:
        with FileSystems.create(partial, mime_type="text/html") as f:
            for piece in _batched(pieces, WRITE_CHARS):
                f.write(piece.encode("utf-8"))
        FileSystems.rename([partial], [path])  # replaces an older report.html in one step where the filesystem can
    finally:
        if FileSystems.exists(partial):
            FileSystems.delete([partial])
    return path
