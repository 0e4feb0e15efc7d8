/* The Outlets tab: what one outlet took from the wire, article by article. */

/* ---------- outlets ---------- */

function outletArticles(oi) {
  const out = [];
  data.docs.forEach((d, i) => {
    if (d.outlet === oi) out.push(i);
  });
  return out.sort((a, b) => (data.docs[a].published || "").localeCompare(data.docs[b].published || "") || a - b);
}

function drawOutlet(oi) {
  const view = document.getElementById("outlet-view");
  if (oi === null) {
    view.replaceChildren(el("p", "note", "Pick an outlet to see what it took from the wire."));
    return;
  }
  const articles = outletArticles(oi);
  const withStories = articles.filter((i) => data.docs[i].stories.length);
  const agencies = new Map();
  for (const i of withStories) {
    for (const [si] of data.docs[i].stories) {
      const name = agencyName(data.stories[si].agency) || "no agency named";
      agencies.set(name, (agencies.get(name) || 0) + 1);
    }
  }
  const byAgency = Array.from(agencies.entries()).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const head = el(
    "div",
    "doc-head",
    el("h2", "", "What " + outletName(oi) + " took from the wire"),
    el(
      "p",
      "note",
      plural(articles.length, "article") + ", " + withStories.length + " of them carrying wire stories" +
        (byAgency.length ? " \u00b7 " + byAgency.map(([name, n]) => name + " " + n).join(", ") : ""),
    ),
  );
  const table = el("table", "members");
  table.append(el("tr", "", ...["Article", "Published", "Shared copy", "Stories carried (coverage)"].map((h) => el("th", "", h))));
  for (const i of articles) {
    const d = data.docs[i];
    const stories = el("td", "");
    for (const [si, coverage] of d.stories) {
      const s = data.stories[si];
      const label = (agencyName(s.agency) || "story") + " " + s.id + " \u00b7 " + pct(coverage);
      stories.append(button(label, "link story-link", () => openStory(si)), " ");
    }
    if (!d.stories.length) stories.append(el("span", "muted", "none"));
    table.append(
      el("tr", "", el("td", "", button(docLabel(d), "link", () => openArticle(i, -1))), el("td", "", d.published || "undated"),
        el("td", "num", pct(d.shared)), stories),
    );
  }
  view.replaceChildren(head, table);
}

function setupOutlets() {
  const select = document.getElementById("outlet-pick");
  data.outlets.forEach((name, i) => select.append(new Option(name, String(i))));
  if (data.docs.some((d) => d.outlet === -1)) select.append(new Option(UNKNOWN, "-1"));
  select.addEventListener("change", () => drawOutlet(select.value === "" ? null : Number(select.value)));
  drawOutlet(null);
}
