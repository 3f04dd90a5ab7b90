"""The book's editions: English, and Persian from the catalogues in
``locales/fa/LC_MESSAGES`` (``BOOK_LANGUAGE=fa``; issue 20).

Maths is never a message: a display equation, a sympy output, or a
paragraph or title with no words outside its formulas and code is marked
untranslatable before Sphinx's i18n transform reads the catalogues, so a
translation can neither drop nor garble it. Neither is the API page's
reference, which autodoc builds from dlmath's docstrings (code
documentation stays English, as code does). Nor is a cell of the glossary's
table (class ``book-glossary``): it already holds both languages.

Both editions are one site (`make book`): Persian under fa/. Every page
links the same page of the other edition (relative, so file:// works).
The Persian pages are right-to-left (edition_static/edition-fa.css, the
Vazirmatn font from vendor/vazirmatn), with the theme's and extensions'
own words from their Persian catalogues, or ours in locales/fa where they
ship none (booktheme.po, exercise.po, sphinx.po); the `fa` tag selects
`{only} fa` blocks."""

import os
import re
import shutil
from pathlib import Path

import sphinx_proof
import sphinx_togglebutton
from babel.messages.pofile import read_po
from docutils import nodes
from sphinx import addnodes, locale
from sphinx.domains.python import PythonModuleIndex
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import CatalogRepository, docname_to_domain
from sphinx_proof.domain import ProofIndex

LANGUAGE = os.environ.get("BOOK_LANGUAGE", "en")
# the other edition: its root from this one's, its language, its name
OTHER = {"en": ("fa/", "fa", "فارسی"), "fa": ("../", "en", "English")}
STATIC = Path(__file__).parent / "edition_static"
FONTS = Path(__file__).resolve().parents[1] / "vendor" / "vazirmatn"
OURS = ("booktheme", "exercise")  # no Persian catalogue of their own
# registered before this extension loads, so while the language was "en"
THEIRS = {
    "proof": Path(sphinx_proof.__file__).parent / "translations/locales",
    "togglebutton": Path(sphinx_togglebutton.__file__).parent
    / "translations/locales",
}
# sphinx-book-theme's templates say these in English only
UNTRANSLATED = {
    '"Toggle primary sidebar"': '"فهرست کتاب"',
    '"Toggle secondary sidebar"': '"فهرست صفحه"',
    'aria-label="Main"': 'aria-label="متن اصلی"',
    'aria-label="Page"': 'aria-label="صفحه"',
}
LABEL = re.compile(r"(?<![\u2066\w])\d+(?:\.\w+)+")
# the footer of _ext/reader_notebooks.py; its archive is the English site's
FOOTER = ": every chapter as a notebook, with the package"
FOOTER_FA = ": همهٔ فصل‌ها به‌صورت نوت‌بوک، همراه با بسته"


def _no_prose(node: nodes.TextElement) -> bool:
    """Nothing to translate: formulas, code, numbers and punctuation only."""
    words = [
        c.astext()
        for c in node.children
        if not isinstance(c, (nodes.math, nodes.literal))
    ]
    return not any(ch.isalpha() for w in words for ch in w)


class MathsIsNotAMessage(SphinxTransform):
    default_priority = 10  # before sphinx.transforms.i18n.Locale (20)

    def apply(self) -> None:
        for node in self.document.findall(nodes.TextElement):
            if (
                isinstance(node, nodes.math_block)
                or (
                    isinstance(node, (nodes.paragraph, nodes.title))
                    and _no_prose(node)
                )
                or "docstring of " in (node.source or "")  # autodoc's
            ):
                node["translatable"] = False
            if "docstring of " in (node.source or ""):
                node["classes"].append("language-en")  # lang="en" in HTML
        for table in self.document.findall(nodes.table):
            if "book-glossary" in table["classes"]:
                for node in table.findall(nodes.TextElement):
                    node["translatable"] = False


def _isolate_labels(app, doctree, *_) -> None:
    """A number with a dot and more after it ("4.a", "5.1") reads backwards
    in a right-to-left line ("a.4"): isolated, it stays left to right."""
    if app.config.language == "en" or app.builder.format != "html":
        return
    for text in list(doctree.findall(nodes.Text)):
        if LABEL.search(text) and not any(
            isinstance(up, (nodes.FixedTextElement, nodes.literal, nodes.math))
            for up in _ancestors(text)
        ):
            text.parent.replace(
                text,
                nodes.Text(LABEL.sub(lambda m: f"\u2066{m[0]}\u2069", text)),
            )


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


class TocCaptions(SphinxTransform):
    """The parts' captions, from the root page's catalogue: Sphinx
    translates at priority 20, before sphinx-external-toc adds them."""

    default_priority = 101  # after external-toc's InsertToctrees (100)

    def apply(self) -> None:
        if self.config.language == "en":
            return
        domain = docname_to_domain(self.env.docname, False)
        dirs = [str(Path(self.env.srcdir, d)) for d in self.config.locale_dirs]
        catalogue, _ = locale.init(dirs, self.config.language, domain)
        for toctree in self.document.findall(addnodes.toctree):
            if caption := toctree.get("rawcaption"):
                toctree.apply_translated_message(
                    caption, catalogue.gettext(caption)
                )


def _persian(app) -> None:
    """Sphinx read its catalogue, and the extensions loaded before this one
    theirs, in English: again, in Persian."""
    app._init_i18n()  # Sphinx's own words, ours (sphinx.po) first
    locales = app.config.locale_dirs
    repository = CatalogRepository(app.srcdir, locales, "fa", "utf-8")
    for catalogue in repository.catalogs:
        if catalogue.domain in OURS and catalogue.is_outdated():
            catalogue.write_mo("fa")
    for domain in OURS:
        app.add_message_catalog(domain, str(Path(app.srcdir, locales[0])))
    for domain, folder in THEIRS.items():
        app.add_message_catalog(domain, str(folder))
    app.tags.add("fa")
    # index pages whose titles their modules fixed in English at import
    words = locale.get_translation("sphinx")
    PythonModuleIndex.localname = str(words("Python Module Index"))
    PythonModuleIndex.shortname = str(words("modules"))
    ProofIndex.localname = "نمایهٔ تعریف‌ها و قضیه‌ها"
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("edition-fa.css")
    app.config.nb_code_prompt_show = "نمایش کد"
    app.config.nb_code_prompt_hide = "پنهان کردن کد"


def _page_context(app, pagename, templatename, context, doctree) -> None:
    root = context["pathto"]("index").rsplit("index", 1)[0]
    other, language, name = OTHER[app.config.language]
    context["book_other_edition"] = {
        "url": f"{root}{other}{pagename}.html",
        "language": language,
        "name": name,
    }


def _footer(app, pagename, templatename, context, doctree) -> None:
    """Persian, with the English site's archive (reader_notebooks.py)."""
    if app.config.language == "fa":
        root = context["pathto"]("index").rsplit("index", 1)[0]
        footer = context.get("theme_extra_footer", "")
        footer = footer.replace(f'href="{root}', f'href="{root}../').replace(
            FOOTER, FOOTER_FA
        )
        context["theme_extra_footer"] = footer


def _config_inited(app, config) -> None:
    config.language = LANGUAGE
    config.templates_path.append(str(Path(__file__).parent / "templates"))
    header = config.html_theme_options.setdefault(
        "article_header_end", ["article-header-buttons.html"]
    )
    header.insert(0, "language-switch.html")
    if LANGUAGE == "fa":  # the book's title, as the intro translates it
        config.html_theme_options["search_bar_text"] = "جست‌وجو در کتاب…"
        config.author = "نویسندگان dlmath"  # The dlmath authors
        intro = Path(app.srcdir, config.locale_dirs[0], "fa/LC_MESSAGES")
        with (intro / "intro.po").open("rb") as po:
            title = read_po(po).get(config.html_title)
        config.html_title = title.string if title else config.html_title
        for listener in list(app.events.listeners["build-finished"]):
            if listener.handler.__module__ == "reader_notebooks":
                app.disconnect(listener.id)  # the English site's, once


def _build_finished(app, exception) -> None:
    if exception is not None or app.config.language != "fa":
        return
    out = Path(app.outdir)
    for page in out.rglob("*.html"):
        text = page.read_text()
        for english, persian in UNTRANSLATED.items():
            text = text.replace(english, persian)
        page.write_text(
            text.replace('<html lang="fa"', '<html lang="fa" dir="rtl"', 1)
        )
    shutil.copytree(FONTS, out / "_static" / "vazirmatn", dirs_exist_ok=True)


def setup(app):
    app.config.language = LANGUAGE  # before the extensions' catalogues
    if LANGUAGE == "fa":
        _persian(app)
    app.connect("config-inited", _config_inited)
    # before the theme renders its templates (500), after the footer is set
    app.connect("html-page-context", _page_context, priority=400)
    app.connect("html-page-context", _footer, priority=600)
    app.connect("build-finished", _build_finished)
    # before the titles are collected for the contents (500), and once more
    # for the titles that sphinx-exercise writes later
    app.connect("doctree-read", _isolate_labels, priority=400)
    app.connect("doctree-resolved", _isolate_labels)
    app.add_transform(MathsIsNotAMessage)
    app.add_transform(TocCaptions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
