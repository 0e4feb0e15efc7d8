/* The Stories tab: wire stories, filtered by agency and date; a story's page. */

/* ---------- stories ---------- */

const storyState = { page: 0, agency: "", from: "", to: "", text: "", matches: null };

function storyFirst(s) {
  return s.first ? s.first[1] : null;
}

function medianCoverage(s) {
  const values = s.members.map((m) => m.coverage).sort((a, b) => a - b);
  if (!values.length) return 0;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

function storyOutlets(s) {
  const names = new Set(s.members.map((m) => outletName(data.docs[m.doc].outlet)));
  return Array.from(names).sort();
}

function storyText(s) {
  return s.paragraphs.map((p) => (typeof p === "number" ? fullestText(data.passages[p]) : p || "")).join(" ");
}

function filteredStories() {
  const st = storyState;
  const agency = st.agency === "" ? null : Number(st.agency);
  const needle = st.text.trim().toLowerCase();
  const out = [];
  data.stories.forEach((s, i) => {
    if (agency !== null && s.agency !== agency) return;
    const day = (storyFirst(s) || "").slice(0, 10);
    if (st.from && (!day || day < st.from)) return;
    if (st.to && (!day || day > st.to)) return;
    if (needle && !storyText(s).toLowerCase().includes(needle)) return;
    out.push(i);
  });
  return out;
}

function storyItem(si) {
  const s = data.stories[si];
  const agency = agencyName(s.agency);
  const outlets = storyOutlets(s);
  const meta = [
    agency ? el("span", "tag agency", agency) : el("span", "tag", "no agency"),
    el("span", "", storyFirst(s) ? "first seen " + storyFirst(s) : "undated"),
    el("span", "", plural(s.members.length, "article") + " in " + plural(outlets.length, "outlet")),
    el("span", "", "median coverage " + pct(medianCoverage(s))),
  ];
  const { li, row } = listItem("story", s.id, meta, snippet(storyText(s)));
  row.addEventListener("click", () => openStory(si));
  return li;
}

function drawStories() {
  const st = storyState;
  if (!st.matches) st.matches = filteredStories();
  const list = document.getElementById("story-list");
  list.replaceChildren(...st.matches.slice(st.page * PAGE_SIZE, (st.page + 1) * PAGE_SIZE).map(storyItem));
  document.getElementById("story-count").textContent =
    st.matches.length + " of " + data.stories.length + " stories" + (st.matches.length ? "" : ": none match");
  pager(document.getElementById("story-pager"), st.matches.length, st.page, (page) => {
    st.page = page;
    drawStories();
    list.scrollIntoView();
  });
}

// passage i -> the outlets carrying it, and how many articles
function carriedBy(pi) {
  const p = data.passages[pi];
  return plural(new Set(p.members.map((m) => m.doc)).size, "article") + ": " + shortList(carriers(p), 6);
}

function openStory(si) {
  const s = data.stories[si];
  showTab("stories");
  const view = document.getElementById("story-view");
  const agency = agencyName(s.agency);
  const first = s.first && s.first[0] >= 0 ? data.docs[s.first[0]] : null;
  const origin = s.origin[0] >= 0 ? data.docs[s.origin[0]] : null;
  const head = el(
    "div",
    "doc-head",
    el("h2", "", (agency ? agency + " story " : "Story ") + s.id),
    el("p", "", el("b", "", "First published: "), first ? outletName(first.outlet) + " \u00b7 " + first.id + " \u00b7 " + s.first[1] : "undated"),
    el(
      "p",
      "",
      el("b", "", "Origin: "),
      origin ? outletName(origin.outlet) + " \u00b7 " + origin.id : "not in this report",
      " \u00b7 confidence " + s.origin[1].toFixed(2) + " \u00b7 evidence: " + (s.origin[2].join(", ") || "none"),
    ),
  );
  const text = el("div", "story-text");
  s.paragraphs.forEach((p, k) => {
    const para = el("div", "story-paragraph");
    if (typeof p === "number") {
      para.append(
        el("p", "", fullestText(data.passages[p])),
        el("div", "note", "carried by " + carriedBy(p) + " \u00b7 ", button("compare the copies", "link", () => {
          slot.replaceChildren(compareView(p, -1));
          slot.scrollIntoView({ block: "nearest" });
        })),
      );
    } else {
      para.append(el("p", "", p || "(paragraph " + (k + 1) + ": see passages.jsonl)"), el("div", "note", "not among the passages this report holds"));
    }
    text.append(para);
  });
  const slot = el("div", "compare-slot");
  const table = el("table", "members");
  table.append(el("tr", "", ...["Outlet", "Article", "Published", "After first", "Coverage", "Characters", "Kinds"].map((h) => el("th", "", h))));
  for (const m of s.members) {
    const d = data.docs[m.doc];
    table.append(
      el(
        "tr",
        "",
        el("td", "", outletName(d.outlet)),
        el("td", "", button(docLabel(d), "link", () => openArticle(m.doc, -1))),
        el("td", "", d.published || "undated"),
        el("td", "", m.delay === null ? "undated" : delayText(60 * m.delay)),
        el("td", "num", el("span", "bar", ""), " " + pct(m.coverage)),
        el("td", "num", String(m.shared)),
        el("td", "", m.kinds),
      ),
    );
  }
  for (const bar of table.querySelectorAll("span.bar")) bar.style.width = "0";
  Array.from(table.querySelectorAll("tr")).slice(1).forEach((tr, k) => {
    tr.querySelector("span.bar").style.width = (3 * s.members[k].coverage).toFixed(2) + "rem";
  });
  view.replaceChildren(
    button("\u2190 All stories", "link", closeStory),
    head,
    el("h3", "", "The story, paragraph by paragraph"),
    text,
    slot,
    el("h3", "", "Who ran it (" + plural(s.members.length, "article") + ")"),
    table,
  );
  view.hidden = false;
  document.getElementById("story-browser").hidden = true;
  window.scrollTo(0, 0);
}

function closeStory() {
  document.getElementById("story-view").hidden = true;
  document.getElementById("story-browser").hidden = false;
}

function setupStoryFilters() {
  const agency = document.getElementById("story-agency");
  data.agencies.forEach((name, i) => agency.append(new Option(name, String(i))));
  agency.append(new Option("no agency named", "-1"));
  const from = document.getElementById("story-from");
  const to = document.getElementById("story-to");
  const search = document.getElementById("story-text-filter");
  const refilter = () => {
    storyState.agency = agency.value;
    storyState.from = from.value;
    storyState.to = to.value;
    storyState.text = search.value;
    storyState.page = 0;
    storyState.matches = null;
    drawStories();
  };
  for (const input of [agency, from, to]) input.addEventListener("change", refilter);
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refilter, 120);
  });
}
