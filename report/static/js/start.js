/* Start: fill the lists, show the overview, say when the first screen is drawn. */

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
