"""Open every page of the built site in headless Chrome; fail on what a
reader would see broken, and on content wider than its column.

Usage: .venv/bin/python tools/check_site.py [--site _build/html]
           [--screenshots _build/screenshots]
           [--only PAGE ...] [--no-screenshots]
(the last two while working on pages: they leave part of the check out).

The browser is an installed Chrome or Chromium, never playwright's own
download: $CHROME_PATH if set, else /usr/bin/chromium, chromium-browser,
google-chrome, google-chrome-stable, or the macOS Google Chrome / Chromium
apps (tools/site_browser.py). The site is served from 127.0.0.1; every
request to any other host is aborted and fails the page, and Chromium's own
background networking is off.

Every .html page of the site is opened at two window widths, 1280x900 and
390x844 (a phone), and checked at each:
  * every formula is typeset by MathJax (each `.math` element holds an
    mjx-container, MathJax reports no merror and no undefined macro, no raw
    TeX such as `\\frac` or `$$` is left in the text);
  * every image has loaded (lazy images are made eager first);
  * the console shows no error, no script threw, no request failed, was
    blocked or got an HTTP error;
  * every exercise and solution block is visible, every `hide-input` cell
    is collapsed;
  * every relative link points to a file of the site and its #fragment to
    an id there (Sphinx checks {ref}/{eq}/{numref}/{cite} while building:
    `make book` runs with -n -W; this checks the final HTML);
  * layout: code cells (every `pre` outside outputs), cell outputs (each
    child of `.cell_output` but maths), display equations (every `div.math`,
    including sympy's LaTeX outputs, and any other display mjx-container)
    and tables are counted, and those wider than their box: scrollWidth >
    clientWidth + 1, or something they draw ends more than 1 px right of
    their own right edge or the article column's (overflow: visible).
    Collapsed cells are opened for the measurement. The page body must not
    scroll sideways (documentElement.scrollWidth > clientWidth).
Layout limits (constants below): at 1280 px nothing may overflow and the
body may not scroll sideways; at 390 px no body may scroll sideways and at
most PHONE_MAX_EQUATION_SHARE of the book's display equations may overflow
(code, outputs and tables may scroll sideways on a phone; they are counted).
Overflowing elements are listed (their first 60 characters) at 1280 px, and
the equations at 390 px.

Full-page screenshots (JPEG, in parts of SHOT_HEIGHT pixels), light and
dark (html[data-theme], as pydata-sphinx-theme 0.17 switches it), at both
widths go to --screenshots/<width>-<theme>/. The book's PDF is checked by
tests/site/test_pdf.py.

Prints one line per page, the layout counts, and ends with
`N passed, M failed` (pages, the book-wide phone limit); exits 1
on any failure.
"""

import argparse
import concurrent.futures
import dataclasses
import html.parser
import re
import shutil
import sys
import time
import urllib.parse
from pathlib import Path

import site_browser
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
WIDE = (1280, 900)  # window width and height, CSS pixels
PHONE = (390, 844)
THEMES = ("light", "dark")
CATEGORIES = ("code", "outputs", "equations", "tables")
# Layout limits.
WIDE_MAX_OVERFLOWING = 0  # per page and category, at 1280 px
PHONE_MAX_EQUATION_SHARE = 0.05  # of all display equations, at 390 px
BODY_MAY_SCROLL_SIDEWAYS = False  # at either width
TEXT_CHARS = 60  # how much of an overflowing element's text to print

SHOT_HEIGHT = 10000  # pixels per screenshot file
SHOT_QUALITY = 85  # JPEG: encodes faster than PNG; text stays legible
PAGE_TIMEOUT_MS = 60_000
MATHJAX_TIMEOUT_MS = 30_000

# Runs in the page after the load event; resolves to a JSON-able report.
CHECK_JS = r"""
async (mathjaxState) => {
  const out = {};
  const short = (text, n) => text.replace(/\s+/g, ' ').trim().slice(0, n);
  const maths = [...document.querySelectorAll('.math')];
  out.math = maths.length;
  out.mathjax = mathjaxState === 'typeset';
  out.mathErrors = [];
  if (mathjaxState !== 'typeset' && mathjaxState !== 'no MathJax')
    out.mathErrors.push(mathjaxState);
  if (out.mathjax) {
    // MathJax's own internal MathML: merror nodes (TeX syntax errors) and
    // the red mtext that `noundefined` puts in place of an undefined macro.
    const doc = MathJax.startup.document;
    for (const item of (doc && doc.math) || []) {
      if (!item.root || !item.root.walkTree) continue;
      item.root.walkTree((node) => {
        const tex = JSON.stringify(item.math.slice(0, 80));
        if (node.isKind('merror')) out.mathErrors.push('merror in ' + tex);
        if (node.isKind('mtext')
            && node.attributes.get('mathcolor') === 'red') {
          const text = node.childNodes
            .map((c) => (c.getText ? c.getText() : '')).join('');
          if (text.startsWith('\\'))
            out.mathErrors.push('undefined macro ' + text + ' in ' + tex);
        }
      });
    }
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
  return out;
}
"""

# Counts code, outputs, display equations and tables, and which of them are
# wider than their box; and whether the body scrolls sideways.
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
  // MathJax 3 and 4 both keep each formula's TeX with its container.
  const tex = new Map();
  const doc = window.MathJax && MathJax.startup && MathJax.startup.document;
  for (const item of (doc && doc.math) || [])
    if (item.typesetRoot) tex.set(item.typesetRoot, item.math);
  const label = (el) => {
    const c = el.matches('mjx-container') ? el
                                          : el.querySelector('mjx-container');
    const id = el.id ? '#' + el.id + ' ' : '';
    return id + short(c && tex.has(c) ? tex.get(c) : el.textContent);
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
    equations: [...all('div.math'),
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
# Every page starts in the light theme, whatever the last one was left in.
LIGHT_FIRST_JS = (
    "localStorage.setItem('mode', 'light');"
    "localStorage.setItem('theme', 'light');"
)


class LinkParser(html.parser.HTMLParser):
    """A page's ids, its links, and the target of its meta refresh."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.redirect = set(), [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
        # index.html redirects: <meta http-equiv="Refresh" content="0;
        # url=intro.html">.
        refresh = (attrs.get("http-equiv") or "").lower() == "refresh"
        if tag == "meta" and refresh:
            match = re.search(
                r"url=(.*)", attrs.get("content") or "", re.IGNORECASE
            )
            if match:
                self.redirect = match.group(1).strip().strip("'\"")
                self.links.append(self.redirect)


def parse_pages(pages):
    parsed = {}
    for page in pages:
        parser = LinkParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        parsed[page] = parser
    return parsed


def broken_links(site, pages):
    """Relative links of every page whose file or #fragment is missing."""
    parsed = parse_pages(pages)

    def ids_of(path):
        if path not in parsed:
            parsed.update(parse_pages([path]))
        return parsed[path].ids

    broken = {}
    for page in pages:
        for href in parsed[page].links:
            url = urllib.parse.urlsplit(href)
            if url.scheme or url.netloc or href.startswith("//"):
                continue  # external (http, mailto): not ours, and offline
            target = page
            if url.path:
                target = page.parent / urllib.parse.unquote(url.path)
                target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            if site.resolve() not in target.parents or not target.is_file():
                broken.setdefault(page, []).append(f"{href} (no such file)")
                continue
            fragment = urllib.parse.unquote(url.fragment)
            if (
                fragment
                and target.suffix == ".html"
                and fragment not in ids_of(target)
            ):
                broken.setdefault(page, []).append(
                    f"{href} (no id {fragment!r} in {target.name})"
                )
    redirects = {
        page: parsed[page].redirect for page in pages if parsed[page].redirect
    }
    return broken, redirects


def _browser_probe(url):
    """The browser's own /favicon.ico request (the site declares none)."""
    return urllib.parse.urlsplit(url).path == "/favicon.ico"


class PageEvents:
    """Console errors, exceptions and failed requests of the current page."""

    def __init__(self, page, base):
        self.base, self.problems = base, []
        page.on("console", self._console)
        page.on("pageerror", self._exception)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message):
        if message.type not in ("error", "assert"):
            return
        if _browser_probe(message.location.get("url", "")):
            return
        self.problems.append(f"console.{message.type}: {message.text[:200]}")

    def _exception(self, error):
        first = (str(error) or error.name).splitlines()[0][:200]
        self.problems.append(f"uncaught exception: {first}")

    def _failed(self, request):
        if not site_browser.is_local(request.url, self.base):
            self.problems.append(
                f"blocked request to another host: {request.url}"
            )
        elif not _browser_probe(request.url):
            self.problems.append(
                f"request failed ({request.failure}): {request.url}"
            )

    def _response(self, response):
        if response.status >= 400 and not _browser_probe(response.url):
            self.problems.append(f"HTTP {response.status}: {response.url}")


@dataclasses.dataclass
class Visit:
    """What one page showed at one width."""

    report: dict
    layout: dict  # None for a redirect page (measured as its target)
    problems: list
    opened: bool  # it answered 200, and the page's checks ran in it
    shots: int
    seconds: dict  # spent opening, checking, measuring, photographing


def open_page(page, url, redirect):
    """Navigate; a redirect page is checked as where the reader lands.

    Returns a problem, or None if the page (and its target) opened.
    """
    response = page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    if response is None or not response.ok:
        status = response.status if response else "no response"
        return f"the page did not open: {status}"
    if redirect:
        target = urllib.parse.urljoin(url, redirect)
        page.wait_for_url(target, wait_until="load", timeout=PAGE_TIMEOUT_MS)
    return None


def screenshots(page, width, shots, stem):
    """Full-page JPEGs in each theme, SHOT_HEIGHT pixels a file.

    Returns (files written, {theme: the body's background colour}). The
    viewport is made as tall as the page (a capture beyond the viewport
    shifts the sticky sidebars), then restored. With shots None, only the
    themes are switched (and their backgrounds read).
    """
    if shots is None:
        return 0, {theme: page.evaluate(THEME_JS, theme) for theme in THEMES}
    height = page.evaluate("document.documentElement.scrollHeight")
    viewport = page.viewport_size
    page.set_viewport_size({"width": width, "height": height})
    files, backgrounds = 0, {}
    for theme in THEMES:
        backgrounds[theme] = page.evaluate(THEME_JS, theme)
        for part, top in enumerate(range(0, height, SHOT_HEIGHT), start=1):
            clip = {
                "x": 0,
                "y": top,
                "width": width,
                "height": min(SHOT_HEIGHT, height - top),
            }
            suffix = "" if part == 1 else f".part{part}"
            path = shots / f"{width}-{theme}" / f"{stem}{suffix}.jpg"
            page.screenshot(
                path=path,
                clip=clip,
                type="jpeg",
                quality=SHOT_QUALITY,
                animations="disabled",
            )
            files += 1
    page.set_viewport_size(viewport)
    return files, backgrounds


def visit(page, events, base, rel, redirect, width, shots):
    """Open, check, measure and photograph one page at one width."""
    events.problems.clear()
    report, layout, problems, files = {}, None, [], 0
    clock = Stopwatch()
    opened = False
    try:
        failure = open_page(page, base + rel, redirect)
        if failure:
            raise PlaywrightError(failure)
        state = page.evaluate(
            site_browser.MATHJAX_READY_JS, MATHJAX_TIMEOUT_MS
        )
        clock.lap("open")
        report = page.evaluate(CHECK_JS, state)
        opened = True
        clock.lap("check")
        if not redirect:
            layout = page.evaluate(LAYOUT_JS, TEXT_CHARS)
        clock.lap("measure")
        stem = rel[: -len(".html")].replace("/", "__")
        files, backgrounds = screenshots(page, width, shots, stem)
        if backgrounds["light"] == backgrounds["dark"]:
            problems.append(
                f"the dark theme did not apply (background "
                f"{backgrounds['dark']} in both)"
            )
        clock.lap("screenshots")
    except PlaywrightError as error:
        problems.append(str(error).splitlines()[0])
    problems += report_problems(report)
    problems += events.problems
    return Visit(
        report,
        layout,
        list(dict.fromkeys(problems)),
        opened,
        files,
        clock.laps,
    )


class Stopwatch:
    def __init__(self):
        self.laps, self._last = {}, time.monotonic()

    def lap(self, name):
        now = time.monotonic()
        self.laps[name] = now - self._last
        self._last = now


def report_problems(report):
    problems = [
        f"formula not typeset: {t!r}" for t in report.get("untypeset", [])
    ]
    problems += [f"MathJax error: {t}" for t in report.get("mathErrors", [])]
    problems += [f"raw TeX in text: {t!r}" for t in report.get("rawTex", [])]
    problems += [
        f"image did not load: {s}" for s in report.get("brokenImages", [])
    ]
    problems += [
        f"exercise/solution hidden: {t}"
        for t in report.get("hiddenBlocks", [])
    ]
    problems += [
        f"hide-input cell not collapsed: {t!r}"
        for t in report.get("notCollapsed", [])
    ]
    if report.get("math") and not report.get("mathjax"):
        problems.append("page has formulas but MathJax did not typeset")
    return problems


def visit_all(base, rels, redirects, shots):
    """Pages `rels` at both window sizes, in one browser.

    Returns {size: {rel: Visit}}.
    """
    visits = {size: {} for size in (WIDE, PHONE)}
    with sync_playwright() as playwright:
        browser = site_browser.launch(playwright)
        try:
            for size in (WIDE, PHONE):
                blocked = []
                context = site_browser.offline_context(
                    browser,
                    base,
                    blocked,
                    color_scheme="light",
                    viewport={"width": size[0], "height": size[1]},
                )
                context.add_init_script(LIGHT_FIRST_JS)
                page = context.new_page()
                events = PageEvents(page, base)
                for rel in rels:
                    visits[size][rel] = visit(
                        page,
                        events,
                        base,
                        rel,
                        redirects.get(rel),
                        size[0],
                        shots,
                    )
                context.close()
        finally:
            browser.close()
    return visits


def visit_everything(base, rels, redirects, shots, workers=2):
    """All pages at both sizes, `workers` browsers at once (two cores)."""
    by_size = sorted(rels, key=lambda rel: -len(rel))  # chapters first
    shares = [by_size[i::workers] for i in range(workers)]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = list(
            pool.map(
                lambda share: visit_all(base, share, redirects, shots), shares
            )
        )
    return {
        size: {rel: v for result in results for rel, v in result[size].items()}
        for size in (WIDE, PHONE)
    }


def layout_failures(layout, width):
    """Per-page layout problems at `width` (the book-wide limit is apart)."""
    if layout is None:
        return []
    problems = []
    body = layout["body"]
    if (
        not BODY_MAY_SCROLL_SIDEWAYS
        and body["scrollWidth"] > body["clientWidth"]
    ):
        widest = "; ".join(
            f"{w['text']!r} (+{w['by']} px)" for w in body["widest"]
        )
        problems.append(
            f"at {width} px the page scrolls sideways "
            f"({body['scrollWidth']} > {body['clientWidth']} "
            f"px): {widest}"
        )
    if width == WIDE[0]:
        for name in CATEGORIES:
            over = layout["categories"][name]["overflowing"]
            if len(over) > WIDE_MAX_OVERFLOWING:
                problems.append(
                    f"at {width} px {len(over)} {name} wider than their box:"
                )
                problems += [
                    f"    {o['text']!r} (+{o['by']} px)" for o in over
                ]
    return problems


def count_line(visit):
    layout = visit.layout
    if not visit.opened:
        return "not measured: the page did not open"
    if layout is None:
        return "measured as the page it redirects to"
    parts = [
        f"{name} {len(c['overflowing'])}/{c['total']}"
        for name, c in layout["categories"].items()
    ]
    body = layout["body"]
    scrolls = body["scrollWidth"] > body["clientWidth"]
    parts.append(
        f"body {body['scrollWidth']} px wide" if scrolls else "body fits"
    )
    return ", ".join(parts)


def totals(layouts):
    """Overflowing and total per category over pages, and scrolling bodies."""
    summed = {name: [0, 0] for name in CATEGORIES}
    scrolling = measured = 0
    for layout in layouts:
        if layout is None:
            continue
        measured += 1
        for name in CATEGORIES:
            summed[name][0] += len(layout["categories"][name]["overflowing"])
            summed[name][1] += layout["categories"][name]["total"]
        body = layout["body"]
        scrolling += body["scrollWidth"] > body["clientWidth"]
    return summed, scrolling, measured


def site_pages(site, only):
    """The site's HTML pages (not _static's or _sources'), or `only`."""
    if only:
        missing = [p for p in only if not (site / p).is_file()]
        if missing:
            raise ValueError(f"--only expects pages of {site}, got {missing}")
        return [site / p for p in only]
    return [
        p
        for p in sorted(site.rglob("*.html"))
        if not {"_static", "_sources"} & set(p.relative_to(site).parts)
    ]


def print_page(rel, wide, phone):
    problems = list(dict.fromkeys(wide.problems + phone.problems))
    report = wide.report or phone.report
    counts = (
        f"{report.get('math', '?')} formulas, "
        f"{report.get('images', '?')} images, "
        f"{report.get('exercises', '?')} exercise/solution blocks, "
        f"{report.get('hideInput', '?')} hidden inputs"
    )
    print(f"{'FAIL' if problems else 'ok  '} {rel}: {counts}")
    print(f"     {WIDE[0]:4d} px: {count_line(wide)}")
    print(f"     {PHONE[0]:4d} px: {count_line(phone)}")
    for problem in problems:
        print(f"     {problem}")
    if phone.layout:
        over = phone.layout["categories"]["equations"]["overflowing"]
        for o in over:
            print(
                f"     equation wider than its box at {PHONE[0]} px: "
                f"{o['text']!r} (+{o['by']} px)"
            )
    return not problems


def print_totals(visits):
    print("layout, whole site:")
    for (width, _), by_page in visits.items():
        summed, scrolling, measured = totals(
            v.layout for v in by_page.values()
        )
        cells = ", ".join(
            f"{name} {over}/{total}" for name, (over, total) in summed.items()
        )
        print(
            f"  {width:4d} px: {cells}; {scrolling} of {measured} pages "
            f"scroll sideways"
        )


def phone_equation_check(phone_visits):
    summed, _, _ = totals(v.layout for v in phone_visits.values())
    over, total = summed["equations"]
    share = over / total if total else 0.0
    ok = share <= PHONE_MAX_EQUATION_SHARE
    print(
        f"{'ok  ' if ok else 'FAIL'} equations at {PHONE[0]} px: {over} "
        f"of {total} wider than their box ({100 * share:.1f} %, limit "
        f"{100 * PHONE_MAX_EQUATION_SHARE:.0f} %)"
    )
    return ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build/html")
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=None,
        help="default: screenshots/ next to the site",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        help="check only these pages (relative to the site)",
    )
    parser.add_argument(
        "--no-screenshots",
        action="store_true",
        help="while working on pages: about 2x faster",
    )
    args = parser.parse_args(argv)
    start = time.monotonic()
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"no built site at {site}: run `make book` first")
    shots = (args.screenshots or site.parent / "screenshots").resolve()
    shutil.rmtree(shots, ignore_errors=True)
    for size in (WIDE, PHONE):
        for theme in THEMES:
            (shots / f"{size[0]}-{theme}").mkdir(parents=True)
    if args.no_screenshots:
        shots = None
    site_browser.find_chrome()  # before any thread: exits if none
    pages = site_pages(site, args.only)
    links, redirects = broken_links(site, pages)
    rels = [p.relative_to(site).as_posix() for p in pages]
    redirects = {
        p.relative_to(site).as_posix(): target
        for p, target in redirects.items()
    }

    with site_browser.serve(site) as server:
        visits = visit_everything(server.base, rels, redirects, shots)

    passed = failed = 0
    for page, rel in zip(pages, rels, strict=True):
        wide, phone = visits[WIDE][rel], visits[PHONE][rel]
        wide.problems[:0] = [f"broken link {b}" for b in links.get(page, [])]
        wide.problems += layout_failures(wide.layout, WIDE[0])
        phone.problems += layout_failures(phone.layout, PHONE[0])
        if print_page(rel, wide, phone):
            passed += 1
        else:
            failed += 1
        sys.stdout.flush()
    print_totals(visits)

    if phone_equation_check(visits[PHONE]):
        passed += 1
    else:
        failed += 1
    opened = {
        size[0]: sum(v.opened for v in by_page.values())
        for size, by_page in visits.items()
    }
    files = sum(
        v.shots for by_page in visits.values() for v in by_page.values()
    )
    if any(n != len(pages) for n in opened.values()) or not pages:
        failed += 1
        print(f"FAIL pages opened, by width: {opened}; {len(pages)} found")
    else:
        print(
            f"opened all {len(pages)} pages at {WIDE[0]} and {PHONE[0]} "
            f"px; {files} screenshots"
            + (f" in {shots}" if shots else " (--no-screenshots)")
        )
    spent = {}
    for by_page in visits.values():
        for v in by_page.values():
            for name, seconds in v.seconds.items():
                spent[name] = spent.get(name, 0.0) + seconds
    print(
        f"{time.monotonic() - start:.1f} s in all; in the browsers: "
        + ", ".join(f"{name} {s:.1f} s" for name, s in spent.items())
    )
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
