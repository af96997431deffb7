// Classic script loaded in <head>: applies saved display preferences before first paint, so a
// dark-mode user never sees a white flash and a collapsed sidebar does not slide shut on every
// load. Kept tiny and dependency-free; theme.js and sidebar.js own the logic after load.
(function () {
  var choice = 'system';
  try { choice = localStorage.getItem('theme') || 'system'; } catch (e) { /* storage blocked */ }
  var dark = choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.dataset.themeChoice = choice;
  try {
    if (localStorage.getItem('sidebar') === 'closed') document.documentElement.dataset.sidebar = 'closed';
  } catch (e) { /* storage blocked */ }
})();
