/* The Articles tab: the list, an article with its spans highlighted. */

/* ---------- articles ---------- */

const articleState = { page: 0, text: "", matches: null };

function articleItem(di) {
  const d = data.docs[di];
  const meta = [
    el("span", "", outletName(d.outlet)),
    el("span", "", d.published || "undated"),
    el("span", "", d.shared ? pct(d.shared) + " shared \u00b7 " + plural(d.stories.length, "story", "stories") : "no shared copy"),
  ];
  const { li, row } = listItem("article", d.id, meta, docLabel(d));
  row.addEventListener("click", () => openArticle(di, -1));
  return li;
}

function drawArticles() {
  const s = articleState;
  if (!s.matches) {
    const needle = s.text.trim().toLowerCase();
    s.matches = [];
    data.docs.forEach((d, i) => {
      const hay = (d.id + " " + (d.title || "") + " " + outletName(d.outlet)).toLowerCase();
      if (!needle || hay.includes(needle)) s.matches.push(i);
    });
  }
  const list = document.getElementById("article-list");
  list.replaceChildren(...s.matches.slice(s.page * PAGE_SIZE, (s.page + 1) * PAGE_SIZE).map(articleItem));
  document.getElementById("article-count").textContent = s.matches.length + " of " + data.docs.length + " articles";
  pager(document.getElementById("article-pager"), s.matches.length, s.page, (page) => {
    s.page = page;
    drawArticles();
  });
}

// spans covering one stretch -> the one to show: a passage in the report wins over one
// that is not, then the latest-starting one.
function topSpan(spans, a, b) {
  let best = null;
  for (const span of spans) {
    if (!(span[0] <= a && b <= span[1])) continue;
    const shown = span[2] >= 0, bestShown = best && best[2] >= 0;
    if (!best || shown > bestShown || (shown === bestShown && span[0] > best[0])) best = span;
  }
  return best;
}

// text, spans (UTF-16 offsets) -> nodes: plain text, and one <mark> per run of text
// whose top span is the same.
function highlighted(text, spans, onPick) {
  const cuts = new Set([0, text.length]);
  for (const [s, e] of spans) {
    cuts.add(s);
    cuts.add(e);
  }
  const points = Array.from(cuts).sort((a, b) => a - b);
  const runs = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k], b = points[k + 1], top = topSpan(spans, a, b);
    const last = runs[runs.length - 1];
    if (last && last.top === top) last.b = b;
    else runs.push({ a, b, top });
  }
  const nodes = [];
  for (const { a, b, top: best } of runs) {
    const piece = text.slice(a, b);
    if (!best) {
      nodes.push(piece);
      continue;
    }
    const [, , pi, origin, unshownId] = best;
    const pid = pi >= 0 ? data.passages[pi].id : unshownId;
    const role = origin ? "origin" : "copy";
    const mark = el("mark", origin ? "origin" : "", piece);
    mark.tabIndex = 0;
    mark.dataset.passage = pid;
    if (pi >= 0) {
      mark.style.background = passageColour(pi);
      mark.title = "passage " + pid + " (" + role + "): click to compare the copies";
      mark.addEventListener("click", () => onPick(pi, mark));
      mark.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          onPick(pi, mark);
        }
      });
    } else {
      mark.classList.add("unshown");
      mark.title = "passage " + pid + ": not in this report (see passages.jsonl)";
    }
    nodes.push(mark);
  }
  return nodes;
}

function openArticle(di, focusPassage) {
  const d = data.docs[di];
  showTab("articles");
  const view = document.getElementById("article-view");
  view.hidden = false;
  const head = el(
    "div",
    "doc-head",
    el("h2", "", docLabel(d)),
    el(
      "div",
      "meta note",
      d.id + " \u00b7 " + outletName(d.outlet) + " \u00b7 " + (d.published || "undated") + " \u00b7 " + d.chars + " characters \u00b7 " + pct(d.shared) + " shared copy",
      d.credits.length ? " \u00b7 credits " + d.credits.join(", ") : "",
    ),
  );
  if (d.stories.length) {
    const stories = el("div", "note", "Stories: ");
    for (const [si, coverage] of d.stories) {
      const s = data.stories[si];
      stories.append(button((agencyName(s.agency) || "story") + " " + s.id + " \u00b7 " + pct(coverage) + " of it", "link story-link", () => openStory(si)));
    }
    head.append(stories);
  }
  if (d.url) {
    const safe = /^https?:\/\//i.test(d.url);
    const link = safe ? el("a", "", d.url) : el("span", "", d.url);
    if (safe) {
      link.href = d.url;
      link.rel = "noopener noreferrer";
    }
    head.append(el("div", "note", link));
  }
  const compare = el("div", "compare-slot");
  const pick = (pi, mark) => {
    for (const m of view.querySelectorAll("mark.current")) m.classList.remove("current");
    if (mark) mark.classList.add("current");
    compare.replaceChildren(compareView(pi, di));
    compare.scrollIntoView({ block: "nearest" });
  };
  let body;
  if (d.text === null && !d.spans.length) {
    body = el("div", "doc-text", el("p", "empty", d.shared ? "This article's text is not in the report; see documents.jsonl." : "This article shares no copy with another outlet."));
  } else if (d.text !== null) {
    const u = docUnitsOf(di);
    const spans = d.spans.map(([s, e, ...rest]) => [u(s), u(e), ...rest]);
    body = el("div", "doc-text", ...highlighted(d.text, spans, pick));
  } else {
    body = el("div", "doc-text", el("p", "empty", "This run did not keep article text (documents_text: false); its shared spans:"));
    const found = [];
    data.passages.forEach((p, pi) => {
      for (const m of p.members) if (m.doc === di) found.push([m, pi]);
    });
    found.sort((x, y) => x[0].start - y[0].start || x[0].end - y[0].end);
    for (const [m, pi] of found) {
      const text = memberText(m);
      body.append(el("p", "", ...highlighted(text, [[0, text.length, pi, m.kind === "origin" ? 1 : 0]], pick)));
    }
  }
  view.replaceChildren(button("\u2190 All articles", "link", closeArticle), head, body, compare);
  document.getElementById("article-browser").hidden = true;
  window.scrollTo(0, 0);
  if (focusPassage >= 0) {
    const mark = Array.from(body.querySelectorAll("mark")).find((m) => m.dataset.passage === data.passages[focusPassage].id);
    pick(focusPassage, mark);
    if (mark) mark.scrollIntoView({ block: "center" });
  }
}

function closeArticle() {
  document.getElementById("article-view").hidden = true;
  document.getElementById("article-browser").hidden = false;
}

function setupArticleSearch() {
  const search = document.getElementById("article-text");
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      articleState.text = search.value;
      articleState.page = 0;
      articleState.matches = null;
      drawArticles();
    }, 120);
  });
}
