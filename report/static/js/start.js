/* Start: fill the lists, show the overview, say when the first screen is drawn. */

/* ---------- start ---------- */

setupStoryFilters();
setupPassageFilters();
setupArticleSearch();
setupOutlets();
drawStories();
drawPassages();
drawArticles();
showTab("stories");
requestAnimationFrame(() => {
  // the next frame: the first screen is drawn
  window.wiretraceReadyAt = performance.now();
  document.documentElement.dataset.ready = "true";
});
