/* wiretrace report: draws the passage list, the article views and the side-by-side
 * comparison from the JSON data embedded in the page. Plain JS, no libraries.
 *
 * Every string from the data goes into the page as a text node or an attribute value
 * (textContent, setAttribute), never as markup: article text, titles, outlet names
 * and ids are shown exactly as they are, whatever they contain.
 */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("wiretrace-data").textContent);
  // Unpack the compact data (its layout: report/page.py) into objects.
  for (const p of data.passages) {
    p.members = p.members.map(([doc, start, end, kind, sim, delay, par, diff, text]) => ({
      doc, start, end, kind: data.kinds[kind], sim, delay, par, diff, text,
    }));
    const [doc, confidence, evidence] = p.origin;
    p.origin = { doc, confidence, evidence };
  }
  const PAGE_SIZE = 50;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const UNKNOWN = "(unknown outlet)";

  /* ---------- small helpers ---------- */

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function button(label, className, onClick) {
    const b = el("button", className, label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  const outletName = (i) => (i >= 0 ? data.outlets[i] : UNKNOWN);
  const agencyName = (i) => (i >= 0 ? data.agencies[i] : null);
  const pct = (x) => (100 * x).toFixed(1) + "%";
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  function delayText(seconds) {
    if (seconds === null || seconds === undefined) return "undated";
    if (seconds < 60) return seconds === 0 ? "first" : "+" + Math.round(seconds) + " s";
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return "+" + minutes + " min";
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return "+" + hours + " h" + (minutes % 60 ? " " + (minutes % 60) + " min" : "");
    const days = Math.floor(hours / 24);
    return "+" + days + " d" + (hours % 24 ? " " + (hours % 24) + " h" : "");
  }

  // Offsets count code points, JavaScript strings UTF-16 units: text -> (code point offset -> unit offset).
  function unitsOf(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
    const map = [0];
    let units = 0;
    for (const ch of text) {
      units += ch.length;
      map.push(units);
    }
    return (i) => map[Math.min(i, map.length - 1)];
  }

  const docUnits = new Map();
  function docUnitsOf(di) {
    if (!docUnits.has(di)) docUnits.set(di, unitsOf(data.docs[di].text));
    return docUnits.get(di);
  }

  function memberText(m) {
    if (m.text !== undefined) return m.text;
    const u = docUnitsOf(m.doc);
    return data.docs[m.doc].text.slice(u(m.start), u(m.end));
  }

  function passageText(p) {
    return p.text !== null ? p.text : memberText(p.members.find((m) => m.kind === "origin") || p.members[0]);
  }

  function passageColour(index) {
    const hue = (index * 137.508) % 360;
    return "hsl(" + hue.toFixed(1) + ", 75%, 84%)";
  }

  function snippet(text) {
    return text.length > 240 ? text.slice(0, 239) + "\u2026" : text;
  }

  function docLabel(d) {
    return d.title || d.id;
  }

  /* ---------- tabs ---------- */

  const tabs = Array.from(document.querySelectorAll("nav.tabs button"));

  function showTab(name) {
    for (const b of tabs) b.setAttribute("aria-selected", String(b.dataset.tab === name));
    for (const section of document.querySelectorAll("section.tab")) section.hidden = section.id !== name;
  }

  for (const b of tabs) b.addEventListener("click", () => showTab(b.dataset.tab));

  /* ---------- pager ---------- */

  function pager(container, total, page, onPage) {
    container.replaceChildren();
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const prev = button("Previous", "", () => onPage(page - 1));
    prev.disabled = page <= 0;
    const next = button("Next", "", () => onPage(page + 1));
    next.disabled = page >= pages - 1;
    container.append(prev, el("span", "", "Page " + (page + 1) + " of " + pages), next);
  }

  /* ---------- the word diff of a copy against its origin ---------- */

  // diff: n > 0 unchanged chars of the copy, n < 0 added chars, "text" origin words left out.
  // (lengths in code points)
  function diffNodes(text, diff) {
    const u = unitsOf(text);
    const out = [];
    let at = 0;
    for (const item of diff) {
      if (typeof item === "string") {
        out.push(el("del", "", item), " ");
        continue;
      }
      const piece = text.slice(u(at), u(at + Math.abs(item)));
      out.push(item > 0 ? piece : el("ins", "", piece));
      at += Math.abs(item);
    }
    if (u(at) < text.length) out.push(text.slice(u(at)));
    return out;
  }

  /* ---------- side-by-side copies ---------- */

  function compareView(pi, hereDoc) {
    const p = data.passages[pi];
    const origin = p.members.find((m) => m.kind === "origin") || p.members[0];
    const others = p.members.filter((m) => m !== origin);
    const box = el("div", "compare");
    box.dataset.passage = p.id;
    const agency = agencyName(p.agency);
    box.append(
      el("h3", "", "Passage ", el("span", "id", p.id), agency ? " \u00b7 " + agency : "", " \u00b7 ", plural(p.members.length, "article")),
      el(
        "div",
        "legend",
        el("span", "", el("ins", "", "added"), " words the copy adds"),
        el("span", "", el("del", "", "left out"), " words of the origin the copy leaves out"),
      ),
    );
    const columns = el("div", "columns");
    for (const m of [origin, ...others]) {
      const d = data.docs[m.doc];
      const column = el("div", "column" + (m.doc === hereDoc ? " here" : ""));
      column.dataset.doc = d.id;
      column.dataset.kind = m.kind;
      const head = el(
        "header",
        "",
        el("b", "", outletName(d.outlet)),
        el("div", "", d.id),
        el("div", "", m.kind + " \u00b7 similarity " + m.sim.toFixed(2) + (m.doc === hereDoc ? " \u00b7 this article" : "")),
        el("div", "", (d.published || "undated") + (m.delay ? " (" + delayText(m.delay) + ")" : "")),
      );
      const body = el("div", "body");
      const text = memberText(m);
      body.append(...(m.diff ? diffNodes(text, m.diff) : [text]));
      column.append(head, body);
      columns.append(column);
    }
    box.append(columns);
    return box;
  }

  /* ---------- timeline: first publication to each copy ---------- */

  function timeline(p) {
    const rows = p.members
      .map((m, i) => ({ m, i }))
      .sort((a, b) => (a.m.delay ?? Infinity) - (b.m.delay ?? Infinity) || a.i - b.i);
    const dated = rows.filter((r) => r.m.delay !== null);
    const last = Math.max(1, ...dated.map((r) => r.m.delay));
    const left = 250, width = 380, rowH = 20, top = 22;
    const svg = svgEl("svg", { width: left + width + 110, height: top + rows.length * rowH + 6, role: "img", class: "timeline" });
    svg.append(svgEl("title", {}, "Timeline of passage " + p.id));
    svg.append(svgEl("text", { x: left, y: 12, class: "muted" }, p.first ? "first published " + p.first : "no publication dates"));
    svg.append(svgEl("line", { x1: left, y1: top - 4, x2: left, y2: top + rows.length * rowH, stroke: "#bbb" }));
    rows.forEach((r, k) => {
      const y = top + k * rowH + 12;
      const d = data.docs[r.m.doc];
      const label = outletName(d.outlet) + " \u00b7 " + d.id;
      svg.append(svgEl("text", { x: 0, y: y + 4 }, label.length > 32 ? label.slice(0, 31) + "\u2026" : label));
      if (r.m.delay === null) {
        svg.append(svgEl("text", { x: left + 6, y: y + 4, class: "muted" }, "undated"));
        return;
      }
      const x = left + (width * r.m.delay) / last;
      svg.append(svgEl("line", { x1: left, y1: y, x2: x, y2: y, stroke: "#9ecae1", "stroke-width": 3 }));
      svg.append(svgEl("circle", { cx: x, cy: y, r: 5, fill: r.m.kind === "origin" ? "#08306b" : "#3182bd" }));
      svg.append(svgEl("text", { x: x + 9, y: y + 4 }, delayText(r.m.delay) + (r.m.kind === "origin" ? " (origin)" : "")));
    });
    return svg;
  }

  /* ---------- passages ---------- */

  const passageState = { page: 0, outlet: "", agency: "", text: "", matches: null };
  let lowered = null;

  function filteredPassages() {
    const s = passageState;
    const outlet = s.outlet === "" ? null : Number(s.outlet);
    const agency = s.agency === "" ? null : Number(s.agency);
    const needle = s.text.trim().toLowerCase();
    if (needle && !lowered) lowered = data.passages.map((p) => passageText(p).toLowerCase());
    const out = [];
    data.passages.forEach((p, i) => {
      if (outlet !== null && !p.outlets.includes(outlet)) return;
      if (agency !== null && p.agency !== agency) return;
      if (needle && !lowered[i].includes(needle)) return;
      out.push(i);
    });
    return out;
  }

  function passageDetail(pi) {
    const p = data.passages[pi];
    const origin = data.docs[p.origin.doc];
    const detail = el("div", "detail");
    detail.append(
      el(
        "p",
        "",
        el("b", "", "Origin: "),
        outletName(origin.outlet) + " \u00b7 " + origin.id + " \u00b7 confidence " + p.origin.confidence.toFixed(2),
        " \u00b7 evidence: " + (p.origin.evidence.length ? p.origin.evidence.join(", ") : "none"),
      ),
      el("p", "", el("b", "", "Agency: "), agencyName(p.agency) || "none named"),
      timeline(p),
    );
    const table = el("table", "members");
    table.append(
      el("tr", "", ...["Article", "Outlet", "Published", "After first", "Kind", "Similarity", "Characters", "Paragraphs"].map((h) => el("th", "", h))),
    );
    for (const m of p.members) {
      const d = data.docs[m.doc];
      const open = button(d.id, "link", () => openArticle(m.doc, pi));
      table.append(
        el(
          "tr",
          "",
          el("td", "", open),
          el("td", "", outletName(d.outlet)),
          el("td", "", d.published || "undated"),
          el("td", "", delayText(m.delay)),
          el("td", "", m.kind),
          el("td", "num", m.sim.toFixed(2)),
          el("td", "num", m.start + "\u2013" + m.end),
          el("td", "", m.par.join(", ")),
        ),
      );
    }
    const slot = el("div", "");
    const compare = button("Compare the copies side by side", "link", () => slot.replaceChildren(compareView(pi, -1)));
    detail.append(table, el("p", "", compare), slot);
    return detail;
  }

  function passageItem(pi) {
    const p = data.passages[pi];
    const origin = data.docs[p.origin.doc];
    const li = el("li", "passage");
    li.dataset.id = p.id;
    const agency = agencyName(p.agency);
    const row = el(
      "button",
      "row",
      el(
        "div",
        "meta",
        el("span", "id", p.id),
        agency ? el("span", "tag agency", agency) : el("span", "tag", "no agency"),
        el("span", "", plural(p.outlets.length, "outlet") + " \u00b7 " + plural(p.size, "article")),
        el("span", "", "origin: " + outletName(origin.outlet)),
        el("span", "", p.first ? "first " + p.first : "undated"),
      ),
      el("div", "snippet", snippet(passageText(p))),
    );
    row.type = "button";
    row.setAttribute("aria-expanded", "false");
    let detail = null;
    row.addEventListener("click", () => {
      const open = row.getAttribute("aria-expanded") !== "true";
      row.setAttribute("aria-expanded", String(open));
      if (open && !detail) {
        detail = passageDetail(pi);
        li.append(detail);
      }
      if (detail) detail.hidden = !open;
    });
    li.append(row);
    return li;
  }

  function drawPassages() {
    const s = passageState;
    if (!s.matches) s.matches = filteredPassages();
    const list = document.getElementById("passage-list");
    const shown = s.matches.slice(s.page * PAGE_SIZE, (s.page + 1) * PAGE_SIZE);
    list.replaceChildren(...shown.map(passageItem));
    document.getElementById("passage-count").textContent =
      s.matches.length + " of " + data.passages.length + " passages" + (s.matches.length ? "" : ": none match");
    pager(document.getElementById("passage-pager"), s.matches.length, s.page, (page) => {
      s.page = page;
      drawPassages();
      list.scrollIntoView();
    });
  }

  function setupPassageFilters() {
    const outlet = document.getElementById("filter-outlet");
    data.outlets.forEach((name, i) => outlet.append(new Option(name, String(i))));
    const agency = document.getElementById("filter-agency");
    data.agencies.forEach((name, i) => agency.append(new Option(name, String(i))));
    agency.append(new Option("no agency named", "-1"));
    const search = document.getElementById("filter-text");
    const refilter = () => {
      passageState.outlet = outlet.value;
      passageState.agency = agency.value;
      passageState.text = search.value;
      passageState.page = 0;
      passageState.matches = null;
      drawPassages();
    };
    outlet.addEventListener("change", refilter);
    agency.addEventListener("change", refilter);
    let timer = 0;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refilter, 120);
    });
  }

  /* ---------- articles ---------- */

  const articleState = { page: 0, text: "", matches: null };

  function articleItem(di) {
    const d = data.docs[di];
    const li = el("li", "article");
    li.dataset.id = d.id;
    const row = el(
      "button",
      "row",
      el(
        "div",
        "meta",
        el("span", "id", d.id),
        el("span", "", outletName(d.outlet)),
        el("span", "", d.published || "undated"),
        el("span", "", pct(d.shared) + " shared \u00b7 " + d.spans.length + " spans"),
      ),
      el("div", "snippet", docLabel(d)),
    );
    row.type = "button";
    row.addEventListener("click", () => openArticle(di, -1));
    li.append(row);
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

  // text, spans (UTF-16 offsets) -> nodes: plain text, and a <mark> per stretch covered
  // by a span (the latest-starting span wins where two overlap).
  function highlighted(text, spans, onPick) {
    const cuts = new Set([0, text.length]);
    for (const [s, e] of spans) {
      cuts.add(s);
      cuts.add(e);
    }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const nodes = [];
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      let best = null;
      for (const span of spans) if (span[0] <= a && b <= span[1] && (!best || span[0] > best[0])) best = span;
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
    if (d.text !== null) {
      const u = docUnitsOf(di);
      const spans = d.spans.map(([s, e, ...rest]) => [u(s), u(e), ...rest]);
      body = el("div", "doc-text", ...highlighted(d.text, spans, pick));
    } else {
      body = el("div", "doc-text", el("p", "empty", "This run did not keep article text (documents_text: false); its shared spans:"));
      data.passages.forEach((p, pi) => {
        for (const m of p.members) {
          if (m.doc !== di) continue;
          const text = memberText(m);
          body.append(el("p", "", ...highlighted(text, [[0, text.length, pi, m.kind === "origin" ? 1 : 0]], pick)));
        }
      });
    }
    view.replaceChildren(button("\u2190 All articles", "link", closeArticle), head, body, compare);
    document.getElementById("article-browser").hidden = true;
    if (focusPassage >= 0) {
      const mark = Array.from(body.querySelectorAll("mark")).find((m) => m.dataset.passage === data.passages[focusPassage].id);
      pick(focusPassage, mark);
      if (mark) mark.scrollIntoView({ block: "center" });
    }
    window.scrollTo(0, 0);
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

  /* ---------- start ---------- */

  setupPassageFilters();
  setupArticleSearch();
  drawPassages();
  drawArticles();
  showTab("overview");
  requestAnimationFrame(() => {
    // the next frame: the first screen is drawn
    window.wiretraceReadyAt = performance.now();
    document.documentElement.dataset.ready = "true";
  });
})();
