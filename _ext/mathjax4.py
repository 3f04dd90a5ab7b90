"""Serve MathJax 4 from the built site, with display maths broken into lines.

MathJax 4 breaks a display equation that is wider than its column into
several lines (MathJax 3 cannot: a long equation scrolls sideways, and on a
phone most of them did). The files are vendored in vendor/mathjax (refreshed
by dev/vendor_mathjax.sh) and copied to _static/mathjax after the build,
as sphinx-mathjax-offline does for MathJax 3; nothing is fetched from a CDN.
They are copied, not put in a _static folder of the book, because
jupyter-book 1 adds a <script> tag for every .js file it finds there.
"""

from pathlib import Path

from sphinx.util.fileutil import copy_asset

VENDORED = Path(__file__).resolve().parents[1] / "vendor" / "mathjax"

CONFIG = {
    # the font's files next to MathJax, not on the CDN that is its default
    "loader": {"paths": {"fonts": "[mathjax]/fonts"}},
    # break display maths (and long inline maths) at the column width
    "output": {"displayOverflow": "linebreak", "linebreaks": {"inline": True}},
}


def copy_mathjax(app, exception):
    if exception is None:
        copy_asset(
            str(VENDORED), str(Path(app.outdir) / "_static" / "mathjax")
        )


def use_mathjax4(app, config):
    if not (VENDORED / "tex-chtml.js").is_file():
        raise FileNotFoundError(
            f"{VENDORED}/tex-chtml.js is missing: run dev/vendor_mathjax.sh"
        )
    config.mathjax_path = "mathjax/tex-chtml.js"
    # myst-parser adds its processHtmlClass option to this dict later
    config.mathjax3_config = {**CONFIG, **(config.mathjax3_config or {})}


def setup(app):
    app.connect("config-inited", use_mathjax4)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
