"""Browser tests (pytest + Selenium + Chromium). A package, so its module names never clash with other suites."""
