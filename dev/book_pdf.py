"""The whole book as one PDF, printed offline by headless Chrome; no TeX.

Usage: .venv/bin/python dev/book_pdf.py [--site _build/html]
                                          [--out _build/pdf/dlmath-book.pdf]

After `make book`. Every page of `_toc.yml` (the root, then each part's
chapters, in order) is opened from the built site on 127.0.0.1 with the
network off (dev/site_browser.py: an installed Chrome or Chromium, found
through $CHROME_PATH or the usual paths), MathJax is awaited, a print style
sheet is injected (no sidebars, buttons, search or prev/next; code wraps;
figures, wide formulas and tables scaled to the page), collapsed code cells
are opened (a PDF cannot expand them), and the page is printed with
page.pdf(outline=True, tagged=True). pypdf then merges the pages and builds:
  * the outline: one entry per page of the table of contents, with its
    sections (h2) and subsections (h3) nested, at the positions Chromium's
    own outline gives (checked heading by heading against the page);
  * links: those between pages of the book become links inside the PDF
    (Chromium writes them as http://127.0.0.1:PORT/... URLs);
  * page numbers running through the whole book, stamped from a second,
    numbers-only PDF that Chromium prints once the page count is known.
The PDF is written to --out and copied to the site as dlmath-book.pdf, so the
deployed book serves it. `make check-site` checks it (tests/site/test_pdf.py).

Why not jupyter-book's own route: `jupyter-book build . --builder pdfhtml`
(jupyter-book 1.0.4) crashes on this book in its singlehtml build with
"NotImplementedError: ... departing unknown node type: HideCodeCellNode"
(myst-nb's node for a `hide-input` cell).
"""

import argparse
import concurrent.futures
import dataclasses
import io
import re
import shutil
import sys
import time
import urllib.parse
from pathlib import Path

import site_browser
import yaml
from playwright.sync_api import sync_playwright
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, Fit, FloatObject, NameObject, NullObject

ROOT = Path(__file__).resolve().parents[1]
PDF_NAME = "dlmath-book.pdf"
WORKERS = 2  # browsers printing at once (the machine has 2 cores)
MATHJAX_TIMEOUT_MS = 30_000

PAPER = "A4"
MARGIN_MM = {"top": 14, "bottom": 17, "left": 14, "right": 14}
# The viewport is the printable width, so what the page measures before
# printing (wide formulas) is what the print lays out: A4 is 210 mm.
PRINT_WIDTH_PX = round(
    (210 - MARGIN_MM["left"] - MARGIN_MM["right"]) / 25.4 * 96
)
NUMBER_FROM_BOTTOM_MM = 7

PRINT_CSS = """
.bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary,
.bd-sidebar, .prev-next-area, .prev-next-footer, .bd-footer,
.bd-footer-article, .bd-footer-content, #searchbox, .bd-search,
.search-button, .search-button-field, .theme-switch-button, .skip-link,
.bd-header-announcement, .sidebar-toggle, .header-article-items,
#pst-back-to-top, .copybtn, a.headerlink, details.hide > summary
  { display: none !important; }
html, body { background: #fff !important; }
/* A blurred shadow is printed as a page-wide soft-mask image per page: it
   made the PDF twice as big and printing slower (2.9 MB -> 1.2 MB for one
   chapter). :not(#no-such-id) outranks the theme's own !important rules. */
:not(#no-such-id), :not(#no-such-id)::before, :not(#no-such-id)::after
  { box-shadow: none !important; text-shadow: none !important; }
/* An opened cell fades in (an animation from opacity 0): print it whole. */
:not(#no-such-id) { animation: none !important; transition: none !important; }
.bd-container, .bd-container__inner, .bd-page-width, .bd-main, .bd-content,
.bd-article-container, .bd-article
  { max-width: none !important; width: auto !important;
    margin-left: 0 !important; padding-left: 0 !important;
    padding-right: 0 !important; }
/* Flex items grow to their widest line unless allowed to shrink. */
.bd-container__inner, .bd-main, .bd-content, .bd-article-container,
.bd-article { min-width: 0 !important; }
pre, pre * { white-space: pre-wrap !important; overflow-wrap: anywhere; }
pre { overflow: visible !important; }
img { max-width: 100% !important; height: auto !important; }
.cell_output img, figure, div.math, table { break-inside: avoid; }
/* The theme keeps each admonition on one page; a solution runs for pages,
   and moving it whole leaves half-empty pages behind. */
div.solution, details.admonition, div.cell { break-inside: auto !important; }
/* Nor a code block: kept whole, it left its empty frame at the foot of the
   page before (a code block may run on over a page break, as in print). */
div.cell_input, div[class*="highlight"], pre {
  display: block !important; break-inside: auto !important;
}
h1, h2, h3, h4 { break-after: avoid; }
"""

# Runs in the page after MathJax, under print media, before page.pdf.
PREPARE_JS = r"""
() => {
  const root = document.documentElement;
  root.dataset.theme = 'light';
  root.dataset.mode = 'light';
  // A PDF cannot expand a collapsed cell: show its code.
  for (const d of document.querySelectorAll('details')) d.open = true;
  // Scale down what is wider than the column instead of cutting it off.
  const fit = (inner, box) => {
    const wide = inner.scrollWidth, room = box.clientWidth;
    if (room > 0 && wide > room + 1) {
      inner.style.zoom = Math.floor(100 * room / wide) / 100;
      return true;
    }
    return false;
  };
  let equations = 0, tables = 0;
  for (const c of document.querySelectorAll('mjx-container[display="true"]')) {
    const m = c.querySelector(':scope > mjx-math');
    if (m && fit(m, c)) equations++;
  }
  for (const t of document.querySelectorAll('article table'))
    if (fit(t, t.parentElement)) tables++;
  const column = document.querySelector('article') || document.body;
  const right = column.getBoundingClientRect().right;
  const stillWide = [...document.querySelectorAll(
      'mjx-container[display="true"], article table')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1
                   || e.getBoundingClientRect().right > right + 1)
    .map((e) => (e.textContent || '').slice(0, 60));
  // Chromium writes a named destination only for an id that some link of
  // the page points to; an empty link per id gives every one of them a
  // destination, so that links from other pages can land on it.
  const anchors = document.createElement('div');
  for (const el of document.querySelectorAll('article [id]')) {
    const a = document.createElement('a');
    a.href = '#' + encodeURIComponent(el.id);
    anchors.append(a);
  }
  document.body.append(anchors);
  const text = (h) => {
    const copy = h.cloneNode(true);
    for (const x of copy.querySelectorAll('.headerlink')) x.remove();
    return copy.textContent.replace(/\s+/g, ' ').trim();
  };
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter((h) => h.checkVisibility())
    .map((h) => ({level: +h.tagName[1], text: text(h),
                  inArticle: !!h.closest('article'),
                  hasMath: !!h.querySelector('mjx-container, .math')}));
  const h1 = document.querySelector('article h1');
  return {title: h1 ? text(h1) : document.title, headings,
          fitted: {equations, tables}, stillWide};
}
"""


@dataclasses.dataclass
class Printed:
    """One page of the book, printed on its own."""

    docname: str
    pdf: bytes
    title: str
    headings: list
    fitted: dict
    still_wide: list
    seconds: dict  # time to load and typeset, and to print


@dataclasses.dataclass
class Section:
    depth: int  # 1 for a section (h2), 2 for a subsection (h3)
    title: str
    page: int  # within its own page's PDF
    left: float
    top: float


def toc_documents(toc_path):
    """Docnames of `_toc.yml` in reading order: root, then parts' chapters.

    Follows `chapters` with or without `parts`, and nested `sections`.
    """
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf-8"))
    if not isinstance(toc, dict) or "root" not in toc:
        raise ValueError(f"{toc_path}: expected a jb-book toc with a root")
    docs = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "glob" in entry:
                raise ValueError(
                    f"{toc_path}: glob entries are not supported, got {entry}"
                )
            if "file" in entry:
                docs.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    docs = [re.sub(r"\.(md|ipynb)$", "", d) for d in docs]
    if len(set(docs)) != len(docs):
        raise ValueError(f"{toc_path}: a page is listed twice: {docs}")
    return docs


def chromium_outline(reader):
    """Chromium's outline, flattened in order: (depth, title, page, dest)."""
    flat = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                flat.append((depth, item.title, page, item))

    walk(reader.outline, 0)
    return flat


def _squash(text):
    return re.sub(r"\s+", "", text or "")


def sections_of(printed, reader):
    """Sections and subsections of one printed page, where Chromium put them.

    Chromium's outline has one entry per visible heading, in document order
    (its titles lose spaces at line breaks); the page's own headings give
    the titles and levels. They are paired one to one, and the pairing is
    checked: same count, and each title found in Chromium's.
    """
    outline = chromium_outline(reader)
    headings = printed.headings
    if len(outline) != len(headings):
        raise RuntimeError(
            f"{printed.docname}: Chromium's outline has {len(outline)} "
            f"entries, the page {len(headings)} visible headings:\n"
            f"  {[t for _, t, _, _ in outline]}\n"
            f"  {[h['text'] for h in headings]}"
        )
    sections = []
    for heading, (_, title, page, dest) in zip(headings, outline, strict=True):
        if not heading["hasMath"] and (
            _squash(heading["text"]) not in _squash(title)
        ):
            raise RuntimeError(
                f"{printed.docname}: heading {heading['text']!r} paired "
                f"with Chromium's outline entry {title!r}"
            )
        if heading["inArticle"] and heading["level"] in (2, 3):
            sections.append(
                Section(
                    heading["level"] - 1,
                    heading["text"],
                    page,
                    float(dest.left or 0),
                    float(dest.top or 0),
                )
            )
    return sections


def print_page(page, base, docname):
    """Open one page of the site and print it to PDF bytes."""
    start = time.monotonic()
    page.emulate_media(media="screen")
    page.goto(urllib.parse.urljoin(base, f"{docname}.html"))
    state = page.evaluate(site_browser.MATHJAX_READY_JS, MATHJAX_TIMEOUT_MS)
    if state not in ("typeset", "no MathJax"):
        raise RuntimeError(f"{docname}: {state}")
    page.emulate_media(media="print")
    page.add_style_tag(content=PRINT_CSS)
    info = page.evaluate(PREPARE_JS)
    page.evaluate("document.fonts.ready.then(() => true)")
    loaded = time.monotonic()
    margin = {side: f"{mm}mm" for side, mm in MARGIN_MM.items()}
    pdf = page.pdf(
        format=PAPER,
        margin=margin,
        print_background=True,
        outline=True,
        tagged=True,
    )
    seconds = {"load": loaded - start, "print": time.monotonic() - loaded}
    return Printed(
        docname,
        pdf,
        info["title"],
        info["headings"],
        info["fitted"],
        info["stillWide"],
        seconds,
    )


def print_pages(base, docnames):
    """Print `docnames` in one browser; returns them as Printed."""
    blocked = []
    with sync_playwright() as playwright:
        browser = site_browser.launch(playwright)
        try:
            context = site_browser.offline_context(
                browser,
                base,
                blocked,
                color_scheme="light",
                viewport={"width": PRINT_WIDTH_PX, "height": 1000},
            )
            page = context.new_page()
            printed = [print_page(page, base, d) for d in docnames]
        finally:
            browser.close()
    if blocked:
        raise RuntimeError(f"pages asked for other hosts: {blocked}")
    return printed


def print_all(base, docnames, workers=WORKERS):
    """Every page printed, `workers` browsers at once, in docnames' order."""
    shares = [docnames[i::workers] for i in range(workers)]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = pool.map(print_pages, [base] * workers, shares)
        by_name = {p.docname: p for share in results for p in share}
    return [by_name[d] for d in docnames]


def numbers_html(count):
    """`count` A4 pages, each blank but for its number at the bottom."""
    pages = "".join(
        f'<div class="p"><span>{n}</span></div>' for n in range(1, count + 1)
    )
    return f"""<!doctype html><meta charset="utf-8"><style>
@page {{ size: {PAPER}; margin: 0 }}
html, body {{ margin: 0 }}
.p {{ height: 296.5mm; position: relative; break-after: page; }}
.p:last-child {{ break-after: auto; }}
.p span {{ position: absolute; left: 0; right: 0; text-align: center;
  bottom: {NUMBER_FROM_BOTTOM_MM}mm; font: 9pt sans-serif; color: #444; }}
</style>{pages}"""


def print_numbers(count):
    """A PDF of `count` pages holding only their page numbers."""
    blocked = []
    with sync_playwright() as playwright:
        browser = site_browser.launch(playwright)
        try:
            page = site_browser.offline_context(
                browser, "http://127.0.0.1/", blocked
            ).new_page()
            page.set_content(numbers_html(count))
            pdf = page.pdf(
                format=PAPER,
                prefer_css_page_size=True,
                margin={"top": "0", "bottom": "0", "left": "0", "right": "0"},
            )
        finally:
            browser.close()
    if blocked:
        raise RuntimeError(f"the numbers page asked for {blocked}")
    numbers = PdfReader(io.BytesIO(pdf))
    if len(numbers.pages) != count:
        raise RuntimeError(
            f"the numbers PDF has {len(numbers.pages)} pages, expected {count}"
        )
    return numbers


@dataclasses.dataclass
class Placed:
    """A printed page's place in the merged book."""

    printed: Printed
    start: int
    count: int
    dests: dict  # id -> (page within the page's PDF, left, top)


def named_dests(reader):
    dests = {}
    for name, dest in reader.named_destinations.items():
        dests[str(name).lstrip("/")] = (
            reader.get_destination_page_number(dest),
            float(dest.left or 0),
            float(dest.top or 0),
        )
    return dests


def link_target(annotation, placed, by_path, base):
    """Where a link annotation of `placed` points inside the book.

    Returns (Placed, fragment) for a link within the book, "outside" for a
    link to a file of the local site that is not in the book, None for a
    link to the web (kept as it is).
    """
    dest = annotation.get("/Dest")
    if isinstance(dest, str):
        return placed, urllib.parse.unquote(str(dest).lstrip("/"))
    action = annotation.get("/A")
    action = action.get_object() if action is not None else {}
    uri = action.get("/URI")
    if action.get("/S") != "/URI" or not uri:
        return None
    if not site_browser.is_local(str(uri), base):
        return None
    parts = urllib.parse.urlsplit(str(uri))
    path = urllib.parse.unquote(parts.path).lstrip("/")
    target = by_path.get(path)
    if target is None:
        return "outside"
    return target, urllib.parse.unquote(parts.fragment)


def relink(writer, placed_pages, base):
    """Point links between pages of the book at places inside the PDF.

    Returns counts: to an exact place, to a page's first page (the id was
    not found), and dropped (local files outside the book).
    """
    by_path = {f"{p.printed.docname}.html": p for p in placed_pages}
    counts = {"exact": 0, "page start": 0, "dropped": 0}
    for placed in placed_pages:
        for number in range(placed.start, placed.start + placed.count):
            page = writer.pages[number]
            if "/Annots" not in page:
                continue
            kept = ArrayObject()
            for ref in page["/Annots"]:
                annotation = ref.get_object()
                target = link_target(annotation, placed, by_path, base)
                if target == "outside":
                    counts["dropped"] += 1
                    continue
                if target is not None:
                    annotation.pop(NameObject("/A"), None)
                    annotation[NameObject("/Dest")] = _explicit_dest(
                        writer, *target, counts
                    )
                kept.append(ref)
            page[NameObject("/Annots")] = kept
    return counts


def _explicit_dest(writer, target, fragment, counts):
    if fragment in target.dests:
        page, left, top = target.dests[fragment]
        counts["exact"] += 1
        ref = writer.pages[target.start + page].indirect_reference
        return ArrayObject(
            [
                ref,
                NameObject("/XYZ"),
                FloatObject(left),
                FloatObject(top),
                NullObject(),
            ]
        )
    counts["page start"] += 1
    ref = writer.pages[target.start].indirect_reference
    return ArrayObject([ref, NameObject("/Fit")])


def assemble(printed_pages, base):
    """Merge the printed pages into one PdfWriter with outline and links."""
    writer = PdfWriter()
    placed_pages = []
    for printed in printed_pages:
        reader = PdfReader(io.BytesIO(printed.pdf))
        start = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        placed = Placed(printed, start, len(reader.pages), named_dests(reader))
        placed_pages.append(placed)
        chapter = writer.add_outline_item(
            title=printed.title, page_number=start, fit=Fit.fit()
        )
        parent = {0: chapter}
        for section in sections_of(printed, reader):
            item = writer.add_outline_item(
                title=section.title,
                page_number=start + section.page,
                parent=parent.get(section.depth - 1, chapter),
                fit=Fit.xyz(section.left, section.top),
                is_open=False,
            )
            parent[section.depth] = item
    links = relink(writer, placed_pages, base)
    return writer, placed_pages, links


def stamp_numbers(writer, numbers):
    """Overlay page i of `numbers` on page i of the book."""
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number, over=True)
        page.compress_content_streams()  # merging leaves them uncompressed


def build(site, out, toc_path, config_path):
    """Print, merge, number; write `out` and the site's copy. Returns info."""
    site_browser.find_chrome()  # before any thread: exits if none
    docnames = toc_documents(toc_path)
    missing = [d for d in docnames if not (site / f"{d}.html").is_file()]
    if missing:
        raise ValueError(
            f"pages of {toc_path} missing from the site {site}: {missing}"
        )
    timings = {}
    start = time.monotonic()
    with site_browser.serve(site) as server:
        printed = print_all(server.base, docnames)
        timings["print"] = time.monotonic() - start
        writer, placed, links = assemble(printed, server.base)
        timings["merge"] = time.monotonic() - start - timings["print"]
        if server.errors:
            raise RuntimeError(f"the site answered {server.errors}")
    numbers = print_numbers(len(writer.pages))
    stamp_numbers(writer, numbers)
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))
    writer.add_metadata(
        {
            "/Title": str(config.get("title", "")),
            "/Author": str(config.get("author", "")),
        }
    )
    writer.page_mode = "/UseOutlines"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as stream:
        writer.write(stream)
    shutil.copyfile(out, site / PDF_NAME)
    timings["total"] = time.monotonic() - start
    return {
        "pages": len(writer.pages),
        "placed": placed,
        "links": links,
        "timings": timings,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build/html")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "_build" / "pdf" / PDF_NAME
    )
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    parser.add_argument("--config", type=Path, default=ROOT / "_config.yml")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"no built site at {site}: run `make book` first")
    info = build(site, args.out.resolve(), args.toc, args.config)
    for p in info["placed"]:
        fitted = p.printed.fitted
        print(
            f"{p.start + 1:4d}-{p.start + p.count:<4d} "
            f"{p.printed.docname}: {p.printed.title}"
            + (
                f" (scaled to fit: {fitted['equations']} formulas, "
                f"{fitted['tables']} tables)"
                if fitted["equations"] or fitted["tables"]
                else ""
            )
            + f"; {p.printed.seconds['load']:.1f} s to load, "
            f"{p.printed.seconds['print']:.1f} s to print"
        )
        for text in p.printed.still_wide:
            print(f"          still wider than the page: {text!r}")
    links, t = info["links"], info["timings"]
    print(
        f"links inside the book: {links['exact']} to their place, "
        f"{links['page start']} to the page's start; "
        f"{links['dropped']} to files outside the book dropped"
    )
    size = args.out.stat().st_size / 1e6
    print(
        f"{args.out} ({size:.1f} MB, {info['pages']} pages), copied to "
        f"{site / PDF_NAME}; printed in {t['print']:.1f} s, merged in "
        f"{t['merge']:.1f} s, {t['total']:.1f} s in all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
