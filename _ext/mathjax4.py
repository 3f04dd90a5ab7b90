"""Serve MathJax 4 from the built site: what is on screen typeset first,
display maths broken into lines, speech and Braille when a reader asks.

MathJax 4 breaks a display equation that is wider than its column into
several lines (MathJax 3 cannot: a long equation scrolls sideways, and on a
phone most of them did). The files are vendored in vendor/mathjax (refreshed
by dev/vendor_mathjax.sh) and copied to _static/mathjax after the build;
nothing is fetched from a CDN. They are copied, not put in a _static folder
of the book, because jupyter-book 1 adds a <script> tag for every .js file
it finds there.

The page loads MathJax's separate components, not the combined bundle
(tex-chtml.js, 1 MB, which holds the speech engine and the explorer):
  * ui/lazy typesets a formula when it comes within 500 px of the window,
    so the screen the reader looks at is typeset first, and off-screen
    formulas cost nothing until they are scrolled to (printing typesets
    them all: ui/lazy listens for print media);
  * a11y/assistive-mml gives every formula a hidden MathML copy, which
    screen readers read (as with MathJax 3);
  * the speech engine, Braille and the keyboard explorer (1.6 MB with their
    rules and worker) load only when a reader asks for them in MathJax's
    menu (right click, or the context-menu key on a focused formula);
    MathJax keeps the choice, and from the next page on every formula is
    typeset at once with them (STORED_SPEECH_JS says why). Off by default,
    they also keep file:// pages free of errors: browsers refuse MathJax's
    speech worker there.
"""

from pathlib import Path

from sphinx.util.fileutil import copy_asset

VENDORED = Path(__file__).resolve().parents[1] / "vendor" / "mathjax"
ENTRY = "mathjax/startup.js"
COMPONENTS = [
    "input/tex",
    "output/chtml",
    "ui/lazy",
    "ui/menu",
    "a11y/assistive-mml",
]

CONFIG = {
    "loader": {
        "load": COMPONENTS,
        # the menu asks for the speech engine (a11y/sre, 261 kB) up front;
        # it needs it only once speech or Braille is switched on, and the
        # explorer that they load depends on it itself
        "dependencies": {"ui/menu": []},
        # the font's files next to MathJax, not on the CDN that is its default
        "paths": {"fonts": "[mathjax]/fonts"},
    },
    # break display maths (and long inline maths) at the column width
    "output": {"displayOverflow": "linebreak", "linebreaks": {"inline": True}},
    "options": {
        # the menu's defaults would load the speech engine for every page
        "menuOptions": {
            "settings": {
                "enrich": False,
                "speech": False,
                "braille": False,
                "assistiveMml": True,
            }
        }
    },
}

# Runs after Sphinx's `window.MathJax = {...}` and before MathJax (deferred).
# A reader who switched speech or Braille on in MathJax's menu (MathJax keeps
# the choice in localStorage) gets them, with the semantic enrichment they
# need, from the next page on, every formula typeset at once: with ui/lazy,
# MathJax 4.1.3 enriches the formulas but attaches no speech to them (tried
# here; see mathjax/MathJax#3228), and switched on in an open page, the
# speech stays off until the page is loaded again (tried too).
STORED_SPEECH_JS = r"""
(() => {
  let stored = {};
  try {
    stored = JSON.parse(localStorage.getItem('MathJax-Menu-Settings')) || {};
  } catch (error) {}
  if (!stored.speech && !stored.braille) return;
  const config = window.MathJax;
  config.options.menuOptions.settings.enrich = true;
  config.loader.load = config.loader.load.filter((name) => name !== 'ui/lazy');
})();
"""


def copy_mathjax(app, exception):
    if exception is None:
        copy_asset(
            str(VENDORED), str(Path(app.outdir) / "_static" / "mathjax")
        )


def use_mathjax4(app, config):
    if not (VENDORED / "startup.js").is_file():
        raise FileNotFoundError(
            f"{VENDORED}/startup.js is missing: run dev/vendor_mathjax.sh"
        )
    config.mathjax_path = ENTRY
    # myst-parser adds its processHtmlClass option to this dict later
    config.mathjax3_config = {**CONFIG, **(config.mathjax3_config or {})}


def add_page_scripts(app, pagename, templatename, context, doctree):
    """On a page with maths: the stored speech choice, and the components
    preloaded (fetched while the page is parsed, not one after another)."""
    scripts = context.get("script_files") or []
    names = [str(getattr(script, "filename", script)) for script in scripts]
    if not any(name.endswith(ENTRY) for name in names):
        return
    app.builder.add_js_file("", body=STORED_SPEECH_JS)
    links = [
        f'<link rel="preload" as="script" href="'
        f'{context["pathto"](f"_static/mathjax/{name}.js", 1)}">'
        for name in ["core", *COMPONENTS]
    ]
    context["metatags"] = context.get("metatags", "") + "\n".join(links)


def setup(app):
    app.connect("config-inited", use_mathjax4)
    app.connect("html-page-context", add_page_scripts, priority=600)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
