"""The book opened from the file system (file://), as `make book` tells the
reader to do: no page error, no console error, the formulas on the first
screen typeset, and the search page showing its results with snippets
(browsers refuse fetch() on file://; _ext/search_offline.py answers it)."""

from pathlib import Path
from urllib.parse import urlparse

import pytest

# The first screen's formulas untypeset (typeset at build time, they are
# there at once; the 20 s are for MathJax when it runs in the page).
FIRST_SCREEN_JS = r"""
async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const raw = /\\\(|\\\[|\$\$/;
  const untypeset = () => [...document.querySelectorAll('.math')]
    .filter((el) => {
      const r = el.getBoundingClientRect();
      if (!(r.width > 0 && r.bottom > 0 && r.top < innerHeight)) return false;
      // a display formula may hold one copy per column width, one shown
      const box = [...el.querySelectorAll('mjx-container')]
        .find((b) => b.getBoundingClientRect().width > 0);
      return !box || box.querySelector('mjx-lazy') || raw.test(el.innerText);
    }).map((el) => el.textContent.slice(0, 60));
  for (let t = 0; t < 20000 && untypeset().length; t += 100) await sleep(100);
  return untypeset();
}
"""


def open_file_page(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on(
        "console",
        lambda m: m.type == "error" and errors.append(f"console: {m.text}"),
    )
    if 'http-equiv="Refresh"' in Path(urlparse(url).path).read_text():
        # index.html only redirects: check the page it leads to
        with page.expect_navigation(url=lambda u: u != url):
            page.goto(url, wait_until="load")
    else:
        page.goto(url, wait_until="load")
    return page, errors


def test_page_from_file_system(browser, site_dir, page_path):
    url = Path(site_dir, page_path).resolve().as_uri()
    page, errors = open_file_page(browser, url)
    untypeset = page.evaluate(FIRST_SCREEN_JS)
    page.close()
    assert not errors, errors
    assert not untypeset, f"raw TeX on the first screen: {untypeset}"


# in every chapter, in each edition's language
@pytest.mark.parametrize(
    "edition, word", [("", "gradient"), ("fa/", "گرادیان")]
)
def test_search_snippets_from_file_system(browser, site_dir, edition, word):
    url = Path(site_dir, edition, "search.html").resolve().as_uri()
    page, errors = open_file_page(browser, f"{url}?q={word}")
    page.wait_for_selector("#search-results li", timeout=30000)
    page.wait_for_function(
        "() => document.querySelector('#search-results p.search-summary')"
        " && !/Searching/.test("
        "document.querySelector('#search-results h2').textContent)",
        timeout=30000,
    )
    results = page.locator("#search-results li").count()
    # a result for an object (the API page) shows its description instead
    pages = page.locator("#search-results li:not(:has(> span))").count()
    snippets = page.locator("#search-results li p.context").all_inner_texts()
    page.close()
    assert not errors, errors
    assert pages > 1, f"{pages} page results of {results} for {word!r}"
    assert len(snippets) == pages, f"{len(snippets)} of {pages} snippets"
    assert all(word in s.lower() for s in snippets), snippets
