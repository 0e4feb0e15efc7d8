/* The page data and the helpers every view uses. */

const data = JSON.parse(document.getElementById("wiretrace-data").textContent);
// Unpack the compact data (its layout: report/page.py) into objects.
for (const p of data.passages) {
  p.members = p.members.map(([doc, start, end, kind, sim, delay, par, diff, coverage, rewords, text]) => ({
    doc, start, end, kind: data.kinds[kind], sim, delay, par, diff, coverage, rewords, text,
  }));
  const [doc, confidence, evidence] = p.origin;
  p.origin = { doc, confidence, evidence };
}
for (const s of data.stories) {
  s.members = s.members.map(([doc, coverage, delay, shared, kinds]) => ({ doc, coverage, delay, shared, kinds }));
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
const plural = (n, word, many) => n + " " + (n === 1 ? word : many || word + "s");

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

// passage -> its text as its most complete copy has it (the origin's, among equals)
function fullestText(p) {
  let best = p.members.find((m) => m.kind === "origin") || p.members[0];
  for (const m of p.members) if (m.coverage > best.coverage) best = m;
  return memberText(best);
}

function passageColour(index) {
  const hue = (index * 137.508) % 360;
  return "hsl(" + hue.toFixed(1) + ", 75%, 84%)";
}

// text -> at most `n` characters (code points, so no emoji is cut in half), "…" if cut.
function shorten(text, n) {
  if (text.length <= n) return text;
  const chars = Array.from(text);
  return chars.length <= n ? text : chars.slice(0, n - 1).join("") + "\u2026";
}

function snippet(text) {
  return shorten(text, 240);
}

// passage -> the names of the outlets carrying it, "(unknown outlet)" included.
function carriers(p) {
  const names = p.outlets.map(outletName);
  if (p.members.some((m) => data.docs[m.doc].outlet === -1)) names.push(UNKNOWN);
  return names;
}

// names -> "a, b, c and 4 more"
function shortList(names, n) {
  if (names.length <= n) return names.join(", ");
  return names.slice(0, n).join(", ") + " and " + (names.length - n) + " more";
}

// one entry of a paginated list: <li data-id> holding a button row of meta items and a snippet
function listItem(className, id, meta, text) {
  const li = el("li", className);
  li.dataset.id = id;
  const row = el("button", "row", el("div", "meta", el("span", "id", id), ...meta), el("div", "snippet", text));
  row.type = "button";
  li.append(row);
  return { li, row };
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
