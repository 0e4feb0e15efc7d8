/* A copy against its origin: word differences, copies side by side, the timeline. */

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

// a passage's members -> columns: the origin, then one column per distinct copy text,
// its articles listed (60 copies of one wire paragraph are a few columns, not 60).
function copyColumns(p, origin, hereDoc) {
  const groups = new Map();
  for (const m of p.members) {
    if (m === origin || m.kind === "rewritten") continue;
    const key = m.doc === hereDoc ? "\u0000here" : memberText(m) + "\u0000" + m.kind;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  return [[origin], ...groups.values()];
}

function compareView(pi, hereDoc) {
  const p = data.passages[pi];
  const origin = p.members.find((m) => m.kind === "origin") || p.members[0];
  const box = el("div", "compare");
  box.dataset.passage = p.id;
  const agency = agencyName(p.agency);
  const columnsOf = copyColumns(p, origin, hereDoc);
  box.append(
    el(
      "h3",
      "",
      "Passage ",
      el("span", "id", p.id),
      agency ? " \u00b7 " + agency : "",
      " \u00b7 ",
      plural(p.members.length, "article"),
      columnsOf.length - 1 < p.members.length - 1 ? " \u00b7 " + plural(columnsOf.length - 1, "distinct text") + " besides the origin" : "",
    ),
    el(
      "div",
      "legend",
      el("span", "", el("ins", "", "added"), " words the copy adds"),
      el("span", "", el("del", "", "left out"), " words of the origin the copy leaves out"),
    ),
  );
  const columns = el("div", "columns");
  for (const group of columnsOf) {
    const m = group[0];
    const d = data.docs[m.doc];
    const column = el("div", "column" + (group.some((x) => x.doc === hereDoc) ? " here" : ""));
    column.dataset.doc = d.id;
    column.dataset.kind = m.kind;
    column.dataset.copies = String(group.length);
    const head = el(
      "header",
      "",
      el("b", "", outletName(d.outlet)),
      el("div", "", d.id),
      el("div", "", m.kind + " \u00b7 similarity " + m.sim.toFixed(2) + (m.doc === hereDoc ? " \u00b7 this article" : "")),
      el("div", "", (d.published || "undated") + (m.delay ? " (" + delayText(m.delay) + ")" : "")),
    );
    if (group.length > 1) {
      const names = group.slice(1).map((x) => outletName(data.docs[x.doc].outlet) + " (" + data.docs[x.doc].id + ")");
      head.append(el("div", "also", "and " + plural(group.length - 1, "more copy", "more copies") + " with this text: " + shortList(names, 8)));
    }
    const body = el("div", "body");
    const text = memberText(m);
    body.append(...(m.diff ? diffNodes(text, m.diff) : [text]));
    column.append(head, body);
    columns.append(column);
  }
  box.append(columns);
  const rewritten = p.members.filter((m) => m.kind === "rewritten");
  if (rewritten.length) box.append(rewordings(rewritten, hereDoc));
  return box;
}

// rewritten members -> a table apart from the copies: each rewrite beside the wire
// sentence it rewords
function rewordings(members, hereDoc) {
  const block = el("div", "rewordings");
  block.append(el("h4", "", "Reworded (" + plural(members.length, "sentence") + "): the same facts in the outlet's own words"));
  const table = el("table", "members");
  table.append(el("tr", "", ...["Outlet", "Article", "Similarity", "Its sentence", "The sentence it rewords"].map((h) => el("th", "", h))));
  for (const m of members) {
    const d = data.docs[m.doc];
    const row = el(
      "tr",
      m.doc === hereDoc ? "here" : "",
      el("td", "", outletName(d.outlet)),
      el("td", "", d.id),
      el("td", "num", m.sim.toFixed(2)),
      el("td", "reworded", memberText(m)),
      el("td", "source", m.rewords || ""),
    );
    row.dataset.doc = d.id;
    table.append(row);
  }
  block.append(table);
  return block;
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
    svg.append(svgEl("text", { x: 0, y: y + 4 }, shorten(label, 32)));
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
