"""Sphinx extension: the theme's icons from a 3 kB font, not 1.6 MB.

pydata-sphinx-theme loads Font Awesome's fontawesome.js (1.49 MB) on every
page to draw the few icons of its chrome (menu, search, theme switch,
download, arrows), and its style sheet draws a few more (admonition titles)
with Font Awesome's solid font (156 kB). templates/static/webpack-macros.html
drops the script: the theme's style sheet already draws every `fa-*` icon
class with that font. After the build, this writes _static/icons-solid.woff,
the solid font cut down to the glyphs the site uses (the icon classes in the
built pages, those the theme's script adds, and the glyphs the style sheets
name in a `content` or a variable); icons_static/icons.css declares it
under the theme's own font name, so that it replaces the full font (the
last @font-face wins).
"""

import re
from pathlib import Path

from fontTools import subset
from sphinx.errors import ExtensionError

# pydata-sphinx-theme.js adds a close button to its version banner
ADDED_BY_SCRIPTS = {"xmark"}
# classes that size or move an icon rather than name one
MODIFIER = re.compile(
    r"(\d*x[sl]?|\dx|lg|sm|fw|ul|li|border|inverse|spin|pulse|beat|fade|"
    r"bounce|shake|flip.*|rotate.*|stack.*|pull-.*)"
)
# the private-use area, where Font Awesome's glyphs are
GLYPH = r"\\(f[0-9a-f]{3}|e[0-9a-f]{3})"
# .fa-bars:before,.fa-navicon:before{content:"\f0c9"}
ICON_RULE = re.compile(
    r"((?:\.fa-[a-z0-9-]+:before,?)+)\{content:\"" + GLYPH + r"\"\}"
)
ANY_CONTENT = re.compile(r"content:\s*\"" + GLYPH + r"\"")
STATIC = Path(__file__).parent / "icons_static"  # icons.css


def glyphs_used(styles, pages):
    """Code points of the solid font that `pages` (HTML text) draw with
    solid icon classes, and those `styles` (CSS text) name otherwise."""
    by_icon, named = {}, set()
    for rule in ICON_RULE.finditer(styles):
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", rule[1]):
            by_icon[name] = int(rule[2], 16)
    icon_rules = {m.span() for m in ICON_RULE.finditer(styles)}
    for m in ANY_CONTENT.finditer(styles):
        if not any(a <= m.start() < b for a, b in icon_rules):
            named.add(int(m[1], 16))
    # the theme's variables hold glyphs as characters: --pst-icon-bell:""
    named |= {ord(c) for c in re.findall("[\ue000-\uf8ff]", styles)}
    solid = set(ADDED_BY_SCRIPTS)
    for classes in re.findall(r'class="([^"]*)"', pages):
        names = classes.split()
        if "fa-solid" not in names and "fas" not in names:
            continue
        for name in (n[3:] for n in names if n.startswith("fa-")):
            if name in by_icon:
                solid.add(name)
            elif name != "solid" and not MODIFIER.fullmatch(name):
                raise ExtensionError(f"no Font Awesome icon fa-{name}")
    missing = ADDED_BY_SCRIPTS - by_icon.keys()
    if missing:
        raise ExtensionError(f"no Font Awesome glyph for {sorted(missing)}")
    return {by_icon[name] for name in solid}, named


def write_icons(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    styles = "\n".join(p.read_text("utf-8") for p in static.rglob("*.css"))
    pages = "\n".join(
        p.read_text("utf-8") for p in Path(app.outdir).rglob("*.html")
    )
    drawn, named = glyphs_used(styles, pages)
    codes = drawn | named
    options = subset.Options()
    options.flavor = "woff"  # zlib: woff2 would need brotli
    options.layout_features = []
    options.name_IDs = ["*"]  # the font's licence text stays in the font
    font = subset.load_font(
        str(static / "vendor/fontawesome/webfonts/fa-solid-900.ttf"), options
    )
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=codes)
    cutter.subset(font)
    lacking = drawn - set(font.getBestCmap())
    if lacking:  # the pages would show these icons as empty boxes
        raise ExtensionError(
            f"the solid icon font has no glyph for {sorted(map(hex, lacking))}"
        )
    subset.save_font(font, str(static / "icons-solid.woff"), options)
    # the theme copies the script anyway; no page loads it now
    for stale in (static / "scripts").glob("fontawesome.js*"):
        stale.unlink()


def add_templates_and_static(app, config):
    config.templates_path = [
        str(Path(__file__).parent / "templates"),
        *config.templates_path,
    ]
    config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("config-inited", add_templates_and_static)
    app.add_css_file("icons.css")
    app.connect("build-finished", write_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
