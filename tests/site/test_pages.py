"""What a reader would see broken on each page, at 1280 and 390 px.

Each page is opened once per width (the `visit` fixture) in the installed
Chromium with the network off; the probes below read what it shows and the
tests assert on it:
  * every formula typeset (by the build's MathJax, _ext/mathjax4.py): each
    `.math` element holds an mjx-container, its hidden MathML no merror and
    no undefined macro, and no raw TeX (`\\frac`, `$$`, ...) is left in the
    text;
  * every font of MathJax's that the page draws with preloaded by it;
  * every image loaded (lazy ones made eager first);
  * no console error, uncaught exception, failed, blocked or HTTP-error
    request;
  * every exercise and solution visible, every `hide-input` cell collapsed;
  * layout: code (every `pre` outside outputs), outputs (each child of
    `.cell_output` but maths), display equations and tables, each measured
    against its own box and the article column (scrollWidth > clientWidth
    + 1, or something it draws ends more than 1 px to the right); at 1280
    px none may overflow, at 390 px at most PHONE_MAX_EQUATION_SHARE of the
    book's display equations may (code, outputs and tables may scroll
    sideways on a phone); the page itself never scrolls sideways;
  * the dark theme applies (another background than the light one);
  * what a careful typesetter would not let through (issue 17;
    page_faults.js): matrices reflowed, printed columns run together,
    internal labels on show, clipped text, a line that starts with the
    punctuation after a formula, figure text smaller than MIN_FIGURE_PX,
    alt text that is a file name; and axe-core's accessibility rules
    (vendor/axe-core, refreshed by dev/vendor_npm.sh).
  * the edition: lang (and dir="rtl" under fa/), a visible link to the same
    page in the other edition, and a Persian page's prose in Persian.
Full-page screenshots, light and dark, go to _build/screenshots/WIDTH-THEME/
(JPEG, in parts of SHOT_HEIGHT px). Links and #anchors: pytest-check-links
(Makefile, check-site).
"""

from pathlib import Path

import pytest

HERE = Path(__file__).parent
AXE = HERE.parents[1] / "vendor" / "axe-core" / "axe.min.js"
FAULTS_JS = (HERE / "page_faults.js").read_text()
# The page's smallest text: code and printed outputs, 13 px (book.css; the
# theme's captions and footer are 14 px). Figure text is no smaller, at the
# width the figure is shown (on a phone a figure scrolls, it never shrinks).
MIN_FIGURE_PX = 13.0

CATEGORIES = ("code", "outputs", "equations", "tables")
PHONE_MAX_EQUATION_SHARE = 0.05  # of all display equations, at 390 px
TEXT_CHARS = 60  # of an overflowing element, in a failure's message
SHOT_HEIGHT = 10000  # px per screenshot file
SHOT_QUALITY = 85  # JPEG: encodes faster than PNG; text stays legible

CHECK_JS = r"""
async (mathjaxState) => {
  const out = {};
  const short = (text, n) => text.replace(/\s+/g, ' ').trim().slice(0, n);
  const maths = [...document.querySelectorAll('.math')];
  out.math = maths.length;
  out.mathjax = mathjaxState === 'typeset';
  out.mathErrors = [];
  if (mathjaxState !== 'typeset' && mathjaxState !== 'no maths')
    out.mathErrors.push(mathjaxState);
  // In each formula's hidden MathML (the build's or MathJax's): merror (a
  // TeX error) and the red mtext that MathJax's `noundefined` puts in place
  // of an undefined macro.
  for (const m of document.querySelectorAll('mjx-assistive-mml math')) {
    const tex = JSON.stringify((m.closest('.math')?.dataset.tex
                                || m.textContent).slice(0, 80));
    if (m.querySelector('merror')) out.mathErrors.push('merror in ' + tex);
    for (const t of m.querySelectorAll('mtext[mathcolor="red"]'))
      if (t.textContent.startsWith('\\'))
        out.mathErrors.push('undefined macro ' + t.textContent + ' in ' + tex);
  }
  for (const e of document.querySelectorAll('mjx-merror, [data-mjx-error]'))
    out.mathErrors.push('mjx-merror: ' + (e.getAttribute('data-mjx-error')
                                          || e.textContent).slice(0, 120));
  out.untypeset = maths.filter((m) => !m.querySelector('mjx-container'))
                       .map((m) => short(m.textContent, 80));
  out.mathErrors = [...new Set(out.mathErrors)];
  // Raw TeX left in the visible text (outside code and typeset maths).
  const skip = 'pre, code, script, style, textarea, mjx-container, '
             + 'mjx-assistive-mml, .math';
  const rawTex = new RegExp(String.raw`\\(?:frac|sum|prod|int|partial|nabla`
    + String.raw`|mathbf|mathrm|operatorname|begin|end|left|right|top|alpha`
    + String.raw`|beta|eta|lambda|sigma|theta|epsilon|sqrt|cdot|times|in|le`
    + String.raw`|ge)\b|\$\$|\\\(|\\\[`);
  out.rawTex = [];
  const walker = document.createTreeWalker(document.body,
                                           NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest(skip)) continue;
    if (rawTex.test(n.textContent)) out.rawTex.push(short(n.textContent, 100));
  }
  // Images: load lazy ones now, wait for all; each must have a real size.
  const imgs = [...document.images];
  for (const img of imgs) if (img.loading === 'lazy') img.loading = 'eager';
  await Promise.all(imgs.map((img) => img.complete ? null
    : new Promise((r) => { img.addEventListener('load', r);
                           img.addEventListener('error', r);
                           setTimeout(r, 15000); })));
  out.images = imgs.length;
  out.brokenImages = imgs.filter((i) => !(i.complete && i.naturalWidth > 0))
                         .map((i) => i.getAttribute('src'));
  // Problem statements and solutions readable; scaffolding collapsed.
  const blocks = [...document.querySelectorAll('div.exercise, div.solution')];
  out.exercises = blocks.length;
  out.hiddenBlocks = blocks
    .filter((b) => !b.checkVisibility() || b.closest('details:not([open])'))
    .map((b) => (b.id || b.className) + ': ' + short(b.textContent, 60));
  const hideInput = [...document.querySelectorAll('.cell.tag_hide-input')];
  out.hideInput = hideInput.length;
  out.notCollapsed = hideInput.filter((c) => {
    const src = c.querySelector('.cell_input');
    return !src || !src.closest('details:not([open])');
  }).map((c) => short(c.textContent, 60));
  await document.fonts.ready;
  // MathJax's fonts, each fetched by the preload the build wrote into the
  // page for it, not found by the first layout that needs it
  out.fontsFoundLate = performance.getEntriesByType('resource')
    .filter((e) => e.initiatorType === 'css' && /\/mjx-[^/]*$/.test(e.name))
    .map((e) => e.name.split('/').pop());
  return out;
}
"""

LAYOUT_JS = r"""
(textChars) => {
  const root = document.documentElement;
  const short = (t) => (t || '').replace(/\s+/g, ' ').trim()
                                .slice(0, textChars);
  const body = {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth};
  // What sticks out of the window: the outermost elements past its edge
  // (not fixed ones, such as a closed drawer, which do not scroll).
  const fixed = (e) => {
    for (; e; e = e.parentElement)
      if (getComputedStyle(e).position === 'fixed') return true;
    return false;
  };
  body.widest = [...document.body.querySelectorAll('*')]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1
                   && e.parentElement.getBoundingClientRect().right
                      <= root.clientWidth + 1 && !fixed(e))
    .slice(0, 5)
    .map((e) => ({text: [e.tagName.toLowerCase(), ...e.classList].join('.')
                        + ' ' + short(e.textContent),
                  by: Math.round(e.getBoundingClientRect().right
                                 - root.clientWidth)}));
  // A collapsed cell is measured as a reader who opens it sees it.
  const closed = [...document.querySelectorAll('details:not([open])')];
  for (const d of closed) d.open = true;
  const article = document.querySelector('article.bd-article')
                  || document.querySelector('main') || document.body;
  const columnRight = article.getBoundingClientRect().right;
  // a formula's TeX: its block keeps it (data-tex)
  const label = (el) => {
    const id = el.id ? '#' + el.id + ' ' : '';
    const block = el.closest('[data-tex]');
    return id + short(block ? block.dataset.tex : el.textContent);
  };
  // Right edge of everything `el` draws: boxes and text, scrolled or not;
  // MathJax's hidden copy for screen readers excluded.
  const drawnRight = (el) => {
    let right = el.getBoundingClientRect().right;
    const skipHidden = {acceptNode: (n) => n.nodeType === 1
      && n.matches('mjx-assistive-mml') ? NodeFilter.FILTER_REJECT
                                        : NodeFilter.FILTER_ACCEPT};
    const walker = document.createTreeWalker(
      el, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, skipHidden);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      let rects;
      if (n.nodeType === 3) {
        if (!n.data.trim()) continue;
        range.selectNodeContents(n);
        rects = range.getClientRects();
      } else rects = n.getClientRects();
      for (const r of rects)
        if (r.width > 0 && r.height > 0) right = Math.max(right, r.right);
    }
    return right;
  };
  const measure = (el) => {
    const edge = Math.min(el.getBoundingClientRect().right, columnRight);
    const past = drawnRight(el) - edge;
    const scrolled = el.scrollWidth - el.clientWidth;
    return {text: label(el), by: Math.round(Math.max(past, scrolled)),
            overflows: scrolled > 1 || past > 1};
  };
  const all = (selector) => [...article.querySelectorAll(selector)];
  const outside = (selector) => (e) => !e.closest(selector);
  const groups = {
    code: all('pre').filter(outside('.cell_output')),
    outputs: all('.cell_output > *').filter((e) => !e.matches('div.math')),
    // a matrix is typeset whole and scrolls in its own box, with a cue
    // (book_page.js; test_no_typesetting_fault checks it is never reflowed)
    equations: [...all('div.math:not(.book-matrix)'),
                ...all('mjx-container[display="true"]')
                  .filter(outside('div.math'))],
    tables: all('table').filter(outside('.cell_output')),
  };
  const categories = {};
  for (const [name, elements] of Object.entries(groups)) {
    const shown = elements.filter((e) => e.checkVisibility());
    const measured = shown.map(measure);
    categories[name] = {total: shown.length,
                        overflowing: measured.filter((m) => m.overflows)};
  }
  for (const d of closed) d.open = false;
  return {body, categories};
}
"""

PERSIAN_SHARE = 0.75  # of a Persian page's letters; names stay Latin
EDITION_JS = r"""
() => {
  const root = document.documentElement;
  const link = document.querySelector('a.book-language-switch');
  // prose: the article's text less what stays English in both editions
  // (code, maths, autodoc's docstrings, citations, index entries, the
  // glossary's table of both languages)
  const article = document.querySelector(
    'article.bd-article, .bd-search-container').cloneNode(true);
  const kept = 'script, style, noscript, pre, code, kbd, .math, '
             + 'mjx-container, dl.py, [lang="en"], .citation, '
             + '.bibtex-citation, table.indextable, .genindex-jumpbox, '
             + '.modindex-jumpbox, .book-glossary';
  for (const e of article.querySelectorAll(kept)) e.remove();
  const text = article.textContent;
  const count = (re) => (text.match(re) || []).length;
  return {lang: root.lang, dir: root.dir,
          other: link && link.checkVisibility() ? link.href : null,
          // letters of words; single letters are symbols (A, x), not prose
          persian: count(/[\u0600-\u06ff]/g),
          latin: (text.match(/[A-Za-z]{2,}/g) || []).join('').length,
          latinWords: [...new Set(text.match(/[A-Za-z]{4,}/g) || [])]
            .slice(0, 20)};
}
"""

THEME_JS = r"""
(theme) => {
  // What pydata-sphinx-theme 0.17 does when the reader picks a theme: the
  // style sheets follow html[data-theme]; localStorage keeps the choice.
  const root = document.documentElement;
  root.dataset.mode = theme;
  root.dataset.theme = theme;
  localStorage.setItem('mode', theme);
  localStorage.setItem('theme', theme);
  return getComputedStyle(document.body).backgroundColor;
}
"""


def screenshots(page, width, folder, stem):
    """Full-page JPEGs in each theme; returns {theme: body background}.

    The viewport is made as tall as the page (a capture beyond the viewport
    shifts the sticky sidebars), then restored.
    """
    height = page.evaluate("document.documentElement.scrollHeight")
    viewport = page.viewport_size
    page.set_viewport_size({"width": width, "height": height})
    backgrounds = {}
    for theme in ("light", "dark"):
        backgrounds[theme] = page.evaluate(THEME_JS, theme)
        (folder / f"{width}-{theme}").mkdir(parents=True, exist_ok=True)
        for part, top in enumerate(range(0, height, SHOT_HEIGHT), start=1):
            suffix = "" if part == 1 else f".part{part}"
            page.screenshot(
                path=folder / f"{width}-{theme}" / f"{stem}{suffix}.jpg",
                clip={
                    "x": 0,
                    "y": top,
                    "width": width,
                    "height": min(SHOT_HEIGHT, height - top),
                },
                type="jpeg",
                quality=SHOT_QUALITY,
                animations="disabled",
            )
    page.set_viewport_size(viewport)
    return backgrounds


@pytest.fixture(scope="session")
def visit(browser, site_url, site_dir, open_page):
    """visit(page_path, width): what the page showed, measured once."""
    shots = site_dir.parent / "screenshots"
    seen = {}

    def visit(page_path, width):
        if (page_path, width) in seen:
            return seen[page_path, width]
        page = open_page(browser, site_url, page_path, width)
        try:
            report = page.evaluate(CHECK_JS, page.mathjax)
            report["layout"] = page.evaluate(LAYOUT_JS, TEXT_CHARS)
            report["landed"] = page.url
            report |= page.evaluate(FAULTS_JS, {"minFigurePx": MIN_FIGURE_PX})
            page.add_script_tag(path=str(AXE))
            report["axe"] = [
                f"{v['id']} ({v['impact']}): {len(v['nodes'])} "
                f"{v['nodes'][0]['target']}"
                for v in page.evaluate(
                    "async () => (await axe.run(document)).violations"
                )
            ]
            report["edition"] = page.evaluate(EDITION_JS)
            stem = page_path.removesuffix(".html").replace("/", "__")
            report["backgrounds"] = screenshots(page, width, shots, stem)
            report["problems"] = page.problems
        finally:
            page.context.close()
        seen[page_path, width] = report
        return report

    return visit


def test_formulas_are_typeset(visit, page_path, width):
    seen = visit(page_path, width)
    assert {
        "untypeset": seen["untypeset"],
        "MathJax errors": seen["mathErrors"],
        "raw TeX in the text": seen["rawTex"],
        "MathJax typeset": seen["mathjax"] or not seen["math"],
    } == {
        "untypeset": [],
        "MathJax errors": [],
        "raw TeX in the text": [],
        "MathJax typeset": True,
    }


def test_maths_fonts_are_preloaded(visit, page_path, width):
    # a face found by the page's first layout arrives after its text
    assert visit(page_path, width)["fontsFoundLate"] == []


def test_images_load(visit, page_path, width):
    assert visit(page_path, width)["brokenImages"] == []


def test_no_console_error_or_failed_request(visit, page_path, width):
    assert visit(page_path, width)["problems"] == []


def test_exercises_shown_and_scaffolding_collapsed(visit, page_path, width):
    seen = visit(page_path, width)
    assert {
        "hidden exercises or solutions": seen["hiddenBlocks"],
        "hide-input cells not collapsed": seen["notCollapsed"],
    } == {
        "hidden exercises or solutions": [],
        "hide-input cells not collapsed": [],
    }


def test_page_does_not_scroll_sideways(visit, page_path, width):
    body = visit(page_path, width)["layout"]["body"]
    assert body["scrollWidth"] <= body["clientWidth"], body["widest"]


@pytest.mark.parametrize("category", CATEGORIES)
def test_fits_its_column_at_1280(visit, page_path, category):
    measured = visit(page_path, 1280)["layout"]["categories"][category]
    assert measured["overflowing"] == []


def test_dark_theme_applies(visit, page_path, width):
    backgrounds = visit(page_path, width)["backgrounds"]
    assert backgrounds["light"] != backgrounds["dark"]


def test_few_equations_overflow_on_a_phone(visit, page_paths):
    over, total, landed = [], 0, set()
    for page_path in page_paths:
        seen = visit(page_path, 390)
        if seen["landed"] in landed:
            continue  # index.html redirects to a page counted already
        landed.add(seen["landed"])
        equations = seen["layout"]["categories"]["equations"]
        total += equations["total"]
        over += [(page_path, o) for o in equations["overflowing"]]
    assert total > 0, "no display equation found: the probe is broken"
    assert len(over) <= PHONE_MAX_EQUATION_SHARE * total, over


# what page_faults.js and axe-core found, by kind (the test's id)
FAULTS = {
    "reflowed matrix": "matrices",  # or one MathJax could not typeset
    "printed columns touching": "touching",
    "internal label on show": "labels",  # eq-..., sec-..., ex-...
    "clipped text": "clipped",
    "line starting with a formula's punctuation": "punctuation",
    "figure text too small": "figureText",
    "file name as alt text": "altPaths",
    "axe-core violation": "axe",
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_no_typesetting_fault(visit, page_path, width, fault):
    assert visit(page_path, width)[fault] == []


def test_edition_language_switch_and_prose(visit, site_url, page_path, width):
    seen = visit(page_path, width)
    edition, here = seen["edition"], seen["landed"].removeprefix(site_url)
    persian = here.startswith("fa/")
    other = here.removeprefix("fa/") if persian else "fa/" + here
    assert (edition["lang"], edition["dir"], edition["other"]) == (
        "fa" if persian else "en",
        "rtl" if persian else "",
        site_url + other,
    )
    letters = edition["persian"] + edition["latin"]
    if persian:
        assert edition["persian"] >= PERSIAN_SHARE * letters, edition


@pytest.mark.parametrize("edition", ["", "fa/"])
@pytest.mark.parametrize("toggle", ["primary", "secondary"])
def test_header_buttons_open_the_sidebars_on_a_phone(
    browser, site_url, open_page, edition, toggle
):
    # the article header's navigation and contents buttons, the only ones
    # a phone shows, open their drawer (the theme wires a hidden copy)
    page = open_page(
        browser, site_url, f"{edition}chapters/04_backprop.html", 390
    )
    page.locator(f".{toggle}-toggle:visible").click()
    drawer = page.locator(f"#pst-{toggle}-sidebar-modal")
    assert drawer.evaluate("dialog => dialog.open")
    page.context.close()


def test_mathjax_menu_loads_on_a_right_click(browser, site_url, open_page):
    # the page's maths is typeset at build time; MathJax itself is loaded
    # when a reader asks for its menu, which opens on that formula
    page = open_page(browser, site_url, "chapters/04_backprop.html", 1280)
    assert page.evaluate("() => !window.MathJax.startup")
    page.locator("div.math mjx-container:visible").first.click(button="right")
    page.locator(".CtxtMenu_Menu").wait_for(state="visible", timeout=30000)
    assert page.problems == []
    page.context.close()


def test_speech_switched_on_in_the_menu_is_read(browser, site_url, open_page):
    # a reader who switched speech on in MathJax's menu (MathJax keeps it in
    # localStorage): from the next page on, every formula is spoken
    context = browser.new_context()
    context.add_init_script(
        "localStorage.setItem('MathJax-Menu-Settings', '{\"speech\": true}')"
    )
    page = open_page(
        context, site_url, "chapters/01_matrix_calculus.html", 390
    )
    assert page.mathjax == "typeset"
    unspoken = page.evaluate(
        "() => [...document.querySelectorAll('.math > mjx-container')]"
        ".filter((box) => !box.dataset.semanticSpeech).length"
    )
    assert unspoken == 0
    assert page.problems == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_first_visit_is_drawn_in_the_system_colours(browser, site_url, scheme):
    # nothing stored yet: the theme follows the system's colour scheme from
    # the first frame drawn, not from when its deferred script runs
    # (_ext/templates/static/webpack-macros.html)
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.add_init_script(
        "requestAnimationFrame(function frame() {"
        "  if (!document.body) return requestAnimationFrame(frame);"
        "  window.firstFrameTheme = document.documentElement.dataset.theme;"
        "})"
    )
    page.goto(site_url + "chapters/04_backprop.html", wait_until="load")
    assert page.evaluate("() => window.firstFrameTheme") == scheme
    context.close()
