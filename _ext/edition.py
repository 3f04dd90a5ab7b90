"""The book's editions: English, and Persian from the catalogues in
``locales/fa/LC_MESSAGES`` (``BOOK_LANGUAGE=fa``; issue 20).

Maths is never a message: a display equation, a sympy output, or a
paragraph or title with no words outside its formulas and code is marked
untranslatable before Sphinx's i18n transform reads the catalogues, so a
translation can neither drop nor garble it. Neither is the API page's
reference, which autodoc builds from dlmath's docstrings (code
documentation stays English, as code does)."""

import os

from docutils import nodes
from sphinx.transforms import SphinxTransform


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


def _set_language(app, config) -> None:
    config.language = os.environ.get("BOOK_LANGUAGE", "en")


def setup(app):
    app.connect("config-inited", _set_language)
    app.add_transform(MathsIsNotAMessage)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
