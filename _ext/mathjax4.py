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
  * MathJax's menu, and with it the speech engine (336 kB, a third of
    MathJax's bytes), is loaded when a reader first asks for it (right
    click, or the context-menu key on a formula); speech, Braille and the
    keyboard explorer (1.6 MB with their rules and worker) load only when
    switched on in it. MathJax keeps the choice, and from the next page on
    every formula is typeset at once with them (MENU_JS says why). Off by
    default, they also keep file:// pages free of errors: browsers refuse
    MathJax's speech worker there.
"""

from pathlib import Path

from sphinx.util.fileutil import copy_asset

VENDORED = Path(__file__).resolve().parents[1] / "vendor" / "mathjax"
ENTRY = "mathjax/startup.js"
COMPONENTS = ["input/tex", "output/chtml", "ui/lazy", "a11y/assistive-mml"]
# the font's data and main face, fetched while the page is parsed rather
# than once MathJax has typeset the first formula
FONT = "mathjax/fonts/mathjax-newcm-font"

CONFIG = {
    # the font's files next to MathJax, not on the CDN that is its default
    "loader": {"load": COMPONENTS, "paths": {"fonts": "[mathjax]/fonts"}},
    # break display maths (and long inline maths) at the column width
    "output": {"displayOverflow": "linebreak", "linebreaks": {"inline": True}},
}

# Runs after Sphinx's `window.MathJax = {...}` and before MathJax (deferred).
# MathJax's menu needs its speech engine: 336 kB, a third of MathJax's
# bytes, so it is loaded when a reader first asks for it (right click, or
# the context-menu key on a formula, which is in the tab order as the menu
# puts it): then MathJax starts again with the menu on the page's TeX, and
# the menu opens on the formula asked about. A reader who switched speech or
# Braille on in it (MathJax keeps the choice in localStorage) gets the menu,
# with the semantic enrichment they need, from the next page on, every
# formula typeset at once: with ui/lazy, MathJax 4.1.3 enriches the formulas
# but attaches no speech to them (tried here; see mathjax/MathJax#3228), and
# switched on in an open page, the speech stays off until the page is
# loaded again (tried too).
MENU_JS = r"""
(() => {
  const config = window.MathJax;
  const menu = {settings: {enrich: false, speech: false, braille: false,
                          assistiveMml: true}};
  let stored = {};
  try {
    stored = JSON.parse(localStorage.getItem('MathJax-Menu-Settings')) || {};
  } catch (error) {}
  if (stored.speech || stored.braille) {
    menu.settings.enrich = true;
    config.options = {...config.options, menuOptions: menu};
    config.loader.load = config.loader.load
      .filter((name) => name !== 'ui/lazy').concat('ui/menu');
    return;
  }
  // the font's main face, which a page from file:// may not preload (CORS)
  const data = document.querySelector('link[href$="-font/chtml.js"]');
  if (data && location.protocol !== 'file:')
    document.head.append(Object.assign(document.createElement('link'), {
      rel: 'preload', as: 'font', crossOrigin: '',
      href: data.href.replace(/\.js$/, '/woff2/mjx-ncm-n.woff2')}));
  const focusable = (math) => { math.typesetRoot.tabIndex = 0; };
  config.options = config.options || {};
  (config.options.renderActions = config.options.renderActions || {})
    .tabOrder = [210, (doc) => [...doc.math].forEach(focusable), focusable];
  // a11y/assistive-mml sets a menu option, which the document, without the
  // menu, would warn about
  config.startup = {...config.startup, ready() {
    delete MathJax.config.options.menuOptions;
    MathJax.startup.defaultReady();
  }};
  const open = async (event) => {
    const box = event.target.closest && event.target.closest('mjx-container');
    if (!box || !MathJax.startup || !MathJax.startup.document) return;
    event.preventDefault();
    document.removeEventListener('contextmenu', open);
    const host = box.parentElement, {clientX, clientY} = event;
    await MathJax.loader.load('ui/menu');
    MathJax.config.options.menuOptions = menu;
    MathJax.startup.document.state(0, true);  // the TeX back in the page
    MathJax.startup.getComponents();  // a document with the menu
    await MathJax.typesetPromise();
    for (let t = 0; host.querySelector('mjx-lazy') && t < 100; t++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const again = host.querySelector('mjx-container');
    if (!again) return;
    again.focus();
    again.dispatchEvent(new MouseEvent('contextmenu',
      {bubbles: true, cancelable: true, clientX, clientY}));
  };
  document.addEventListener('contextmenu', open);
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
    """On a page with maths: the menu on demand, and MathJax's files
    preloaded (fetched while the page is parsed, not one after another;
    startup.js too, which as a deferred script would come last)."""
    scripts = context.get("script_files") or []
    names = [str(getattr(script, "filename", script)) for script in scripts]
    if not any(name.endswith(ENTRY) for name in names):
        return
    app.builder.add_js_file("", body=MENU_JS)
    files = [f"mathjax/{name}.js" for name in ["startup", "core", *COMPONENTS]]
    files.append(f"{FONT}/chtml.js")  # MENU_JS preloads its main face
    context["metatags"] = context.get("metatags", "") + "\n".join(
        f'<link rel="preload" as="script" '
        f'href="{context["pathto"]("_static/" + path, 1)}">'
        for path in files
    )


def setup(app):
    app.connect("config-inited", use_mathjax4)
    app.connect("html-page-context", add_page_scripts, priority=600)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
