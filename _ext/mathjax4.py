"""The book's maths typeset once, at build time, by MathJax 4: a page shows
its formulas as soon as its HTML is there, with no script to wait for.

At the end of the HTML build, every formula of every page (Sphinx's
`\\(...\\)` and `\\[...\\]` in `.math` elements) is typeset by the vendored
MathJax 4 in node (typeset_math.cjs, vendor/mathjax/node) into the same
CHTML that MathJax writes in a browser, with its hidden MathML copy, which
screen readers read. The stylesheet of all of them is `_static/mathjax.css`;
its font is the vendored New Computer Modern, served by the site. Each page
preloads the font files its maths draws with (_fonts_of_page), so that
they arrive with the page rather than after its first layout. A TeX error
or an unknown macro fails the build.

MathJax breaks a display formula into lines for one column width, and the
column is 736 px wide on a laptop and 291 px inside a box on a phone: a
display formula is typeset for each width of COLUMN_WIDTHS, and the page
keeps one copy per distinct set of lines. A CSS container query on its
block shows the copy made for the widest column that is not wider than the
block (MATH_CSS). A matrix is typeset whole, at its natural width, and its
block scrolls (book_page.js says why).

MathJax itself (vendor/mathjax, copied to _static/mathjax) is loaded only
when a reader asks for its menu: right click, or the context-menu key on a
formula (formulas are in the tab order). mathjax_static/mathjax_on_demand.js
then puts each formula's TeX (kept in its block's data-tex) back into the
page and starts MathJax on it, with the menu, lazy typesetting (what is on
screen first) and the hidden MathML; speech, Braille and the keyboard
explorer load when switched on in the menu, and from the next page on
MathJax starts at once (the script says why). Off by default, they also
keep file:// pages free of errors: browsers refuse MathJax's speech worker
there.
"""

import hashlib
import html
import json
import re
import shutil
import subprocess
import zlib
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util.fileutil import copy_asset

VENDORED = Path(__file__).resolve().parents[1] / "vendor" / "mathjax"
TYPESETTER = Path(__file__).with_name("typeset_math.cjs")
ON_DEMAND = Path(__file__).with_name("mathjax_static")
ENTRY = "mathjax/startup.js"
STYLESHEET = "mathjax.css"
FONT = "mathjax/fonts/mathjax-newcm-font/chtml/woff2"
COMPONENTS = ["input/tex", "output/chtml", "ui/lazy", "a11y/assistive-mml"]
CONFIG = {
    # the font's files next to MathJax, not on the CDN that is its default
    "loader": {"load": COMPONENTS, "paths": {"fonts": "[mathjax]/fonts"}},
    # break display maths (and long inline maths) at the column width
    "output": {"displayOverflow": "linebreak", "linebreaks": {"inline": True}},
}
# The widths (CSS px) of a display formula's block in this book's theme,
# measured in Chromium: the column, less an equation number's 3.5em, and
# inside an admonition, at 1280 px; the same on a 390-px phone; 224 is the
# narrowest block on a 390-px phone.
COLUMN_WIDTHS = [736, 680, 613, 546, 358, 291, 224]
# The maths' size against the text's, which the stylesheet sets from the
# text's x-height, as MathJax does in a browser: 1.273 with the text in
# DejaVu Sans (system-ui on Linux), 1.195 in Vazirmatn (the Persian
# edition), as MathJax in Chromium set them. Lines are broken for 1.273: in
# a face with a smaller x-height they come out shorter than the column; one
# with a larger x-height (none seen) would make them overflow.
MATH_SCALE = 1.273
MATH = re.compile(
    r'<(span|div) class="([^"]*\bmath notranslate nohighlight)"([^>]*)>'
    r"(.*?)</\1>",
    re.S,
)
EQNO = re.compile(r'\s*(<span class="eqno">.*?</span>)', re.S)
MATRIX = re.compile(r"\\begin\{(?:[pbBvV]?|small)matrix\}")
DELIMITERS = {r"\(": r"\)", r"\[": r"\]", "$$": "$$"}

# A copy made for a narrower block is shown only below the width of the
# copy before it (data-below), and a copy is hidden below the narrowest
# width it is right for (data-from); browsers without container queries
# show the widest copy.
MATH_CSS = "\n".join(
    [
        "div.math { container-type: inline-size; }",
        "mjx-container[data-below] { display: none; }",
        *(
            f"@container (width < {w}px) "
            f'{{ mjx-container[data-below="{w}"] {{ display: block; }} }}'
            for w in COLUMN_WIDTHS
        ),
        *(
            f"@container (width < {w}px) "
            f'{{ mjx-container[data-from="{w}"] {{ display: none; }} }}'
            for w in COLUMN_WIDTHS
        ),
    ]
)

# The font files a page draws its maths with (filled in at FONTS_MARK once
# the page's maths is typeset), fetched while the page is parsed rather than
# when its first layout finds them; not from file://, where browsers refuse
# a font's preload (CORS) with an error.
PRELOAD_JS = """
if (location.protocol !== 'file:')
  for (const name of [/* the page's fonts */])
    document.head.append(Object.assign(document.createElement('link'), {
      rel: 'preload', as: 'font', type: 'font/woff2', crossOrigin: '',
      href: FOLDER + name}));
"""
FONTS_MARK = "[/* the page's fonts */]"
# In MathJax's stylesheet: a face's file, and the face a class draws with.
FONT_FILE = re.compile(
    r'font-family: (MJX-[\w-]+);\s*src: url\("[^"]*/([\w-]+\.woff2)"\)'
)
CLASS_FONT = re.compile(
    r"^\.([\w-]+) \{\s*font-family: MJX-NCM-ZERO, (MJX-[\w-]+);", re.M
)
CLASSES = re.compile(r'<mjx-[^>]* class="([^"]*)"')


def _fonts_of_page(text, css):
    """The font files `text` (a page, its maths typeset) draws with, as
    `css` (MathJax's stylesheet) assigns them: the zero-width face always,
    the line-break face where a formula breaks, a class's face where the
    class is used."""
    files = dict(FONT_FILE.findall(css))
    faces = {"MJX-NCM-ZERO"}
    if "<mjx-break" in text:
        faces.add("MJX-BRK")
    of_class = dict(CLASS_FONT.findall(css))
    for classes in set(CLASSES.findall(text)):
        faces.update(of_class[c] for c in classes.split() if c in of_class)
    return sorted(files[face] for face in faces)


def _tex(inner):
    """The TeX of a `.math` element's text, without its delimiters; a line
    break in it is a space, as in TeX (the editions' catalogues wrap a
    sentence's formulas differently), where no % comment ends there."""
    text = html.unescape(inner).strip()
    if "%" not in text:
        text = re.sub(r"[ \t]*\n\s*", " ", text)
    for opening, closing in DELIMITERS.items():
        if text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : -len(closing)]
    return text  # an environment (\begin{align}...) stands alone


def _typeset(items, font_url, cache=None):
    """MathJax's output for each (tex, display) of `items`, and the
    stylesheet of them all. With a `cache` folder, a job typeset before
    (the same formulas, settings, typesetter and MathJax: the other
    edition's, or an earlier build's) is read from there."""
    job = {
        "fontURL": font_url,
        "widths": COLUMN_WIDTHS,
        "scale": MATH_SCALE,
        # a matrix is typeset whole, never line-broken (book_page.js says why)
        "items": [[t, d, bool(MATRIX.search(t))] for t, d in sorted(items)],
    }
    key = hashlib.sha256(
        json.dumps(job).encode()
        + TYPESETTER.read_bytes()
        + (VENDORED / "SHA256SUMS").read_bytes()
    ).hexdigest()
    cached = cache / f"{key}.json" if cache else None
    if cached and cached.is_file():
        result = json.loads(cached.read_text(encoding="utf-8"))
    else:
        result = _run_typesetter(job)
        if cached:
            cache.mkdir(parents=True, exist_ok=True)
            for old in cache.glob("*.json"):
                old.unlink()
            cached.write_text(json.dumps(result), encoding="utf-8")
    keys = (tuple(item[:2]) for item in job["items"])
    by_item = dict(zip(keys, result["html"], strict=True))
    return [by_item[tuple(item)] for item in items], result["css"]


def _run_typesetter(job):
    if shutil.which("node") is None:
        raise ExtensionError("the book's maths is typeset by Node.js: no node")
    done = subprocess.run(
        ["node", str(TYPESETTER), str(VENDORED)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ExtensionError(f"typeset_math.cjs failed:\n{done.stderr}")
    result = json.loads(done.stdout)
    if result["errors"]:
        raise ExtensionError("TeX errors:\n" + "\n".join(result["errors"]))
    return result


def _parts(match):
    """A `.math` element's tag, classes, other attributes, equation number
    and TeX source (with its delimiters, as in the page), typeset or not."""
    tag, classes, attributes, inner = match.groups()
    eqno = EQNO.match(inner)
    kept = re.search(r' data-tex="([^"]*)"', attributes)
    if kept:  # typeset by an earlier build, which kept the TeX
        source = html.unescape(kept[1])
        attributes = attributes.replace(kept[0], "")
    else:
        source = html.unescape(EQNO.sub("", inner, count=1)).strip()
    return tag, classes, attributes, eqno[1] if eqno else "", source


def _block(match, typeset):
    """A `.math` element with its formula typeset, its TeX in data-tex."""
    tag, classes, attributes, eqno, source = _parts(match)
    out = typeset[_tex(source), tag == "div"]
    if tag == "div":
        copies = []
        for i, (box, narrowest) in enumerate(out):
            marks = f' data-from="{narrowest}"' if i < len(out) - 1 else ""
            if i:
                marks += f' data-below="{out[i - 1][1]}"'
            copies.append(
                box.replace("<mjx-container", "<mjx-container" + marks, 1)
            )
        out = "".join(copies)
        if MATRIX.search(source):
            classes += " book-matrix"
    return (
        f'<{tag} class="{classes}"{attributes} '
        f'data-tex="{html.escape(source)}">{eqno}{out}</{tag}>'
    )


def typeset_pages(app, exception):
    """Typeset the formulas of every page of this build (the stylesheet
    must hold every formula's characters): its documents', and the search
    and index pages' (a title with maths in their navigation)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = {}
    documents = (
        outdir / app.builder.get_target_uri(d) for d in app.env.found_docs
    )
    for page in sorted({*documents, *outdir.glob("*.html")}):
        if page.suffix == ".html" and page.is_file():
            pages[page] = page.read_text(encoding="utf-8")
    wanted = {}  # in order, once each
    for text in pages.values():
        for match in MATH.finditer(text):
            tag, *_, source = _parts(match)
            wanted[_tex(source), tag == "div"] = None
    if not wanted:
        return
    items = list(wanted)
    cache = Path(app.srcdir) / "_build" / ".typeset-maths"
    # the font's URL from _static/, where the stylesheet is
    html_of_items, css = _typeset(items, FONT, cache)
    typeset = dict(zip(items, html_of_items, strict=True))
    for page, text in pages.items():
        text = MATH.sub(lambda m: _block(m, typeset), text)
        fonts = json.dumps(_fonts_of_page(text, css))
        page.write_text(text.replace(FONTS_MARK, fonts), encoding="utf-8")
    css += "\n" + MATH_CSS + "\n"
    (outdir / "_static" / STYLESHEET).write_text(css, encoding="utf-8")


def copy_mathjax(app, exception):
    if exception is None:
        copy_asset(
            str(VENDORED),
            str(Path(app.outdir) / "_static" / "mathjax"),
            excluded=lambda path: path.startswith("node"),
        )


def use_mathjax4(app, config):
    if not (VENDORED / "startup.js").is_file():
        raise FileNotFoundError(
            f"{VENDORED}/startup.js is missing: run dev/vendor_mathjax.sh"
        )
    config.mathjax_path = ENTRY
    # myst-parser adds its processHtmlClass option to this dict later
    config.mathjax3_config = {**CONFIG, **(config.mathjax3_config or {})}


def load_on_demand(app, pagename, templatename, context, doctree):
    """On a page with maths, MathJax only when a reader asks for it
    (mathjax_static/mathjax_on_demand.js), and its font preloaded."""
    scripts = context.get("script_files") or []
    entry = [
        s for s in scripts if str(getattr(s, "filename", s)).endswith(ENTRY)
    ]
    if not entry:
        return
    for script in entry:
        scripts.remove(script)
    app.builder.add_js_file("mathjax_on_demand.js", defer="defer")
    folder = context["pathto"](f"_static/{FONT}/", 1)
    app.builder.add_js_file(
        "", body=PRELOAD_JS.replace("FOLDER", json.dumps(folder))
    )


def add_static(app):
    app.config.html_static_path.append(str(ON_DEMAND))


def setup(app):
    app.connect("config-inited", use_mathjax4)
    app.connect("builder-inited", add_static)
    app.connect("html-page-context", load_on_demand, priority=600)
    app.add_css_file(STYLESHEET)  # on every page: any may show maths
    app.connect("build-finished", typeset_pages)
    app.connect("build-finished", copy_mathjax)
    # a change to this extension has Sphinx write every page again
    version = zlib.crc32(
        Path(__file__).read_bytes()
        + TYPESETTER.read_bytes()
        + (ON_DEMAND / "mathjax_on_demand.js").read_bytes()
    )
    return {
        "env_version": version,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
