// Classic script loaded in <head>: applies the saved theme before first paint so a dark-mode
// user never sees a white flash. Kept tiny and dependency-free; theme.js owns the logic after load.
(function () {
  var choice = 'system';
  try { choice = localStorage.getItem('theme') || 'system'; } catch (e) { /* storage blocked */ }
  var dark = choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.dataset.themeChoice = choice;
})();
