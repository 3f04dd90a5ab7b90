"""Sphinx extension: how the book's pages set type (issue 17).

* Punctuation stays with the inline formula before it: a word joiner
  (U+2060) between the formula and a following ",", ".", ";", ":" or ")"
  forbids the line break there (HTML only; LaTeX keeps punctuation with
  maths by itself).
* book_page.js: a matrix is typeset whole and scrolls in its own box rather
  than being line-broken into run-together entries; the theme's buttons
  whose accessible name misses their visible text are named by that text.
"""

from pathlib import Path

from docutils import nodes

STATIC = Path(__file__).parent / "book_page_static"
JOINER = "\u2060"
CLOSING_PUNCTUATION = ",.;:!?)]"


def _keep_punctuation_with_maths(app, doctree, docname):
    if app.builder.format != "html":
        return
    for formula in doctree.findall(nodes.math):
        parent = formula.parent
        index = parent.index(formula)
        if index + 1 >= len(parent):
            continue
        after = parent[index + 1]
        if isinstance(after, nodes.Text) and after[:1] in CLOSING_PUNCTUATION:
            parent[index + 1] = nodes.Text(JOINER + after.astext())


def _add_static(app):
    app.config.html_static_path.append(str(STATIC))
    # after window.MathJax's configuration (priority 500), before MathJax
    # itself runs (deferred): the script amends the configuration.
    app.add_js_file("book_page.js", priority=501)


def setup(app):
    app.connect("builder-inited", _add_static)
    app.connect("doctree-resolved", _keep_punctuation_with_maths)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
