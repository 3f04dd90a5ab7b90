"""Sphinx extension: the reference list keyed as the text cites (issue 17).

The chapters cite author and year ("Kingma and Ba, 2015", sphinxcontrib-
bibtex's author_year style), but pybtex's default label style keyed the list
"[KB15]". The style "book" keys each entry by the same author and year, so a
reader finds a citation in the list by what it says. Two sources of the same
authors and year carry a and b in their year field (references.bib), so the
text and the list agree on those too.

The list's entries are marked role="doc-biblioentry" by docutils, a role
WAI-ARIA deprecated (DPUB-ARIA 1.1): they become "listitem", the role their
role="list" container requires (axe: aria-deprecated-role,
aria-required-children).
"""

import re

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle


def _surname(person):
    return " ".join(person.last_names).replace("{", "").replace("}", "")


def author_year(entry):
    """'Kingma and Ba, 2015'; 'Zhang et al., 2023' for three or more."""
    people = entry.persons.get("author") or entry.persons.get("editor", [])
    names = [_surname(person) for person in people]
    if len(names) > 2:
        who = f"{names[0]} et al."
    else:
        who = " and ".join(names)
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield author_year(entry)


class AuthorYearOrder(BaseSortingStyle):
    """The list in the order of its labels (braces of a corporate author,
    as in {PyTorch Contributors}, do not sort it last)."""

    def sorting_key(self, entry):
        return author_year(entry).lower(), entry.fields.get("title", "")


class BookStyle(PlainStyle):
    default_label_style = "author_year"
    default_sorting_style = "author_year"


register_plugin("pybtex.style.labels", "author_year", AuthorYearLabels)
register_plugin("pybtex.style.sorting", "author_year", AuthorYearOrder)
register_plugin("pybtex.style.formatting", "book", BookStyle)

_BIBLIOENTRY = re.compile(
    r'(<div class="citation"[^>]*) role="doc-biblioentry"'
)


def _list_items(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = _BIBLIOENTRY.sub(
            r'\1 role="listitem"', context["body"]
        )


def setup(app):
    app.connect("html-page-context", _list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
