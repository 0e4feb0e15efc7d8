/* The Passages tab: filters, the paginated list, a passage's details. */

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
    if (outlet !== null && !(outlet >= 0 ? p.outlets.includes(outlet) : carriers(p).includes(UNKNOWN))) return;
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
  const agency = agencyName(p.agency);
  const meta = [
    agency ? el("span", "tag agency", agency) : el("span", "tag", "no agency"),
    el("span", "", plural(p.size, "article") + " in " + shortList(carriers(p), 4)),
    el("span", "", "origin: " + outletName(origin.outlet)),
    el("span", "", p.first ? "first " + p.first : "undated"),
  ];
  const { li, row } = listItem("passage", p.id, meta, snippet(passageText(p)));
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
  if (data.docs.some((d) => d.outlet === -1)) outlet.append(new Option(UNKNOWN, "-1"));
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
