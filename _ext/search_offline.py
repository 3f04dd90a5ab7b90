"""Sphinx extension: search snippets on a site opened from file://.

Sphinx's search page shows each result with a snippet of the page, which it
fetches with fetch(); browsers refuse fetch() on file:// URLs, so a book
opened from the file system (as `make book` tells the reader to do) showed
"Failed to fetch" page errors and no snippets. After the build this writes
_static/search-texts.js, the text of every page's main column (its section
ids kept, for snippets of a section), and the search page gets
search_offline_static/search_offline.js, which on file:// only loads it
with a <script> tag (which file:// allows) and answers the search's fetch()
of a page from it. Over HTTP nothing changes and the file is never loaded.
"""

import json
from pathlib import Path

from bs4 import BeautifulSoup

STATIC = Path(__file__).parent / "search_offline_static"
TEXTS = "_static/search-texts.js"  # search_offline.js loads it by this name
BLOCKS = {"p", "div", "li", "tr", "br", "pre", "dt", "dd", "table"}
BLOCKS |= {"h1", "h2", "h3", "h4", "h5", "h6", "section"}


def page_text(source):
    """The text of the element with role="main", its sections' ids kept:
    what Sphinx's search reads a snippet from (in a section, if it can)."""
    main = BeautifulSoup(source, "html.parser").find(attrs={"role": "main"})
    if main is None:  # a redirect (index.html)
        return '<div role="main"></div>'
    for unread in main.select("script, style, .headerlink"):
        unread.decompose()
    for tag in main.find_all(True):
        if tag.name == "section" and tag.get("id"):
            tag.attrs = {"id": tag["id"]}
            continue
        if tag.name in BLOCKS:
            tag.insert_before("\n")
        tag.unwrap()
    main.name, main.attrs = "div", {"role": "main"}
    return str(main)


def write_texts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    texts = {
        path.relative_to(out).as_posix(): page_text(path.read_text("utf-8"))
        for path in sorted(out.rglob("*.html"))
        if not path.relative_to(out).parts[0].startswith("_")
    }
    (out / TEXTS).write_text(
        "window.BOOK_PAGE_TEXTS = " + json.dumps(texts) + ";\n"
    )


def add_static(app):
    app.config.html_static_path.append(str(STATIC))


def add_fetch_shim(app, pagename, templatename, context, doctree):
    if pagename == "search":  # added to this page only
        app.builder.add_js_file("search_offline.js")


def setup(app):
    app.connect("builder-inited", add_static)
    app.connect("html-page-context", add_fetch_shim)
    app.connect("build-finished", write_texts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
