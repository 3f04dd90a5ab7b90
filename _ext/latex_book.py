"""The book's PDF through Sphinx's LaTeX builder (`make pdf`, xelatex).

sphinx-jupyterbook-latex (loaded by `latex.use_jupyterbook_latex` in
_config.yml) turns the parts of _toc.yml into LaTeX parts and leaves out the
code of cells tagged hide-input, as the web page collapses it. This
extension, run after it, sets what it does not:
  * the class: _ext/dlmathbook.cls instead of its jupyterBook.cls, and the
    preamble's TeX in _ext/dlmathbook.sty (dlmathbook-persian.sty);
  * A4, 11 pt, FreeSerif text (it has the Greek letters, operators and
    Unicode sub- and superscripts that the API page's docstrings use;
    Latin Modern has none of them), Latin Modern maths (unicode-math:
    formulas are Unicode text in the PDF, searchable and copyable), DejaVu
    Sans Mono for code (it has the ∂, ≈ and Greek letters the cells print);
  * the PDF's language (/Lang), for screen readers and hyphenation;
  * the root page as an unnumbered Introduction before part I;
  * chapters numbered as the problem set is (chapters/05_1_beale is
    chapter 5.1, its sections 5.1.1, its equations 5.1.1, ...), pages after
    the chapters (errata, references) as appendices, the references in
    their own chapter (not a second "Bibliography"), no index pages;
  * running heads (chapter on left pages, section on right), no blank
    pages, solutions as headed text rather than boxes that cannot break;
  * SVG figures converted to PDF by rsvg-convert (Debian's librsvg2-bin),
    so they stay vector; PNG figures are included as they are.
The Persian edition (BOOK_LANGUAGE=fa, _ext/edition.py) is typeset right to
left: polyglossia's Persian with bidi (Debian's texlive-lang-arabic), the
Amiri font that TeX Live ships with it, English runs (names, code, Latin
words) set left to right in English, as are code cells and maths.
The HTML builder is untouched: every setting here is a latex_* one, and the
converter runs only for builders that cannot show SVG.
"""

import re
import shutil
import subprocess

from docutils import nodes
from docutils.writers.latex2e import Babel
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.post_transforms.images import ImageConverter
from sphinx_exercise.nodes import solution_node

# chapters/05_1_beale is chapter 5.1, chapters/04_backprop chapter 4.
CHAPTER_FILE = re.compile(r"chapters/(\d+)(?:_(\d+))?_[^/]+")
FRONT_TITLE = {"en": "Introduction", "fa": "پیشگفتار"}
FRONT_CHAPTER = r"""\chapter*{{{0}}}
\addcontentsline{{toc}}{{chapter}}{{{0}}}
\markboth{{{0}}}{{{0}}}
"""
PDF_LANGUAGE = {"en": "en-GB", "fa": "fa"}  # en-GB: optimiser, normalise
# polyglossia's name for Persian: docutils leaves "fa" out (babel's old
# "farsi" is commented out there), and Sphinx would then warn and set the
# book in English.
Babel.language_codes.setdefault("fa", "persian")
# A run of words in another script (Latin, Greek, symbols) inside a Persian
# sentence: a name, an English phrase, a docstring's "∇f(x)ᵀ". Its words
# start with neither punctuation (but an opening bracket, so that "entrywise
# (Hadamard) product" stays one run) nor a space, and it stops at the first
# Persian one.
_PERSIAN = "\\s\u0600-\u06ff\u200c-\u200f\ufb50-\ufefe«»"
_WORD = rf"\(?[^{_PERSIAN}().,;:!?'\"–—-][^{_PERSIAN}]*"
LATIN_RUN = re.compile(rf"{_WORD}(?:[ ]+{_WORD})*")
PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")
ISOLATES = re.compile("[\u2066-\u2069]")
PERSIAN_RUN = re.compile(
    "[\u0600-\u06ff\u200c]+(?:[ ]+[\u0600-\u06ff\u200c]+)*"
)
ENGLISH_BLOCKS = (nodes.literal_block, thebibliography, addnodes.desc)

FONTS = r"""
\usepackage{fontspec}
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase]
"""

# bidi, which polyglossia's Persian loads, must come after every package it
# patches (colortbl, hyperref, ...), so Sphinx's early \setmainlanguage is
# put off to the end of the preamble (_ext/dlmathbook-persian.sty).
DEFER_LANGUAGE = r"""\usepackage{polyglossia}
\let\DlmathSetMainLanguage\setmainlanguage
\def\setmainlanguage#1{}
"""
# After sphinx.sty and sphinx-jupyterbook-latex's preamble: running heads,
# numbering, solutions (_ext/dlmathbook.sty) and, for the Persian edition,
# right to left (_ext/dlmathbook-persian.sty).
PREAMBLE = r"""
\hypersetup{{pdflang={0}}}
\usepackage{1}{{dlmathbook}}
"""


class SvgToPdf(ImageConverter):
    """SVG to PDF with rsvg-convert: a vector figure stays vector."""

    conversion_rules = [("image/svg+xml", "application/pdf")]

    def is_available(self):
        return shutil.which("rsvg-convert") is not None

    def convert(self, _from, _to):
        subprocess.run(
            ["rsvg-convert", "--format=pdf", "--output", _to, _from],
            check=True,
        )
        return True


class ProblemNumbers(SphinxPostTransform):
    """Chapter numbers from the notebooks' names; later pages appendices."""

    builders = ("latex",)
    default_priority = 900  # after sphinx-jupyterbook-latex's (700)

    def run(self):
        # The root page (intro.md) opens the book before part I: an
        # unnumbered chapter, in the contents, the outline and the heads.
        front = FRONT_CHAPTER.format(FRONT_TITLE[self.config.language])
        self.document.insert(0, nodes.raw("", front, format="latex"))
        chapters_seen = appendix = False
        for start in self.document.findall(addnodes.start_of_file):
            docname = start.get("docname", "")
            if docname not in self.env.all_docs:
                continue  # a part (sphinx-jupyterbook-latex names it so)
            number = CHAPTER_FILE.fullmatch(docname)
            if number:
                major, minor = number.groups()
                label = str(int(major)) + (f".{int(minor)}" if minor else "")
                tex = rf"\renewcommand{{\thechapter}}{{{label}}}"
                chapters_seen = True
            elif chapters_seen and not appendix:
                tex, appendix = r"\appendix", True
            else:
                continue
            start.insert(0, nodes.raw("", tex + "\n", format="latex"))
        for solution in list(self.document.findall(solution_node)):
            solution.parent.insert(
                solution.parent.index(solution), _latex(r"\DlmathSolutionNext")
            )


class EnglishRuns(SphinxPostTransform):
    """In the Persian edition, English left to right (bidi would reverse
    the order of its words in a right-to-left line): code cells and the
    bibliography as blocks; inline code, a citation, a link or any inline
    element without Persian as a unit; and a run of Latin script inside a
    Persian sentence."""

    builders = ("latex",)
    default_priority = 910

    def run(self):
        if self.config.language != "fa":
            # the English edition's Persian (the glossary): right to left
            for text in list(self.document.findall(nodes.Text)):
                if PERSIAN_RUN.search(text) and not isinstance(
                    text.parent, (nodes.math, nodes.FixedTextElement)
                ):
                    _wrap_runs(
                        text, PERSIAN_RUN, r"{\DlmathPersian\beginR %s\endR}"
                    )
            return
        # the Persian web pages' direction isolates (_ext/edition.py, in the
        # doctrees that the two builders share): bidi does their work here
        for text in list(self.document.findall(nodes.Text)):
            if ISOLATES.search(text):
                text.parent.replace(text, nodes.Text(ISOLATES.sub("", text)))
        # bidi cannot patch tabulary as Sphinx uses it ("Missing number,
        # treated as zero" at \end{tabulary}); longtable it can.
        # Its columns are as wide as their longest text (up to 60
        # characters a line): without widths, longtable does not wrap.
        for table in self.document.findall(nodes.table):
            table["classes"] += ["longtable", "colwidths-given"]
            columns = list(table.findall(nodes.colspec))
            widths = [4] * len(columns)
            for row in table.findall(nodes.row):
                for i, entry in enumerate(row.children[: len(columns)]):
                    widths[i] = max(widths[i], min(len(entry.astext()), 60))
            for colspec, width in zip(columns, widths, strict=True):
                colspec["colwidth"] = width
        for node in list(self.document.findall(_english_block)):
            _wrap(node, r"\begin{english}", r"\end{english}")
        # a code listing's caption is set inside its block: Persian again
        for caption in list(self.document.findall(nodes.caption)):
            if isinstance(caption.parent, nodes.container) and any(
                isinstance(c, nodes.literal_block) for c in caption.parent
            ):
                caption.insert(0, _latex(r"\textpersian{"))
                caption.append(_latex("}"))
        done = set()
        for node in list(self.document.findall(nodes.Element)):
            if node.parent in done or _english_block(node):
                done.add(node)
            elif (
                isinstance(node, nodes.Inline)
                and not isinstance(node, (nodes.math, nodes.raw))
                and not PERSIAN_LETTER.search(node.astext())
                and LATIN_RUN.search(node.astext())
            ):
                _wrap(node, r"\textenglish{", "}")
                done.add(node)
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if isinstance(parent, (nodes.math, nodes.FixedTextElement)):
                continue
            if parent in done:  # English, but for a heading napoleon gives
                if PERSIAN_RUN.search(text):
                    _wrap_runs(text, PERSIAN_RUN, r"\textpersian{%s}")
            elif LATIN_RUN.search(text) and not isinstance(
                parent, nodes.label
            ):
                _wrap_runs(text, LATIN_RUN, r"\textenglish{%s}")


def _wrap_runs(text: nodes.Text, runs: re.Pattern, tex: str) -> None:
    """Each run of the text in ``tex`` ("...%s...")."""
    before, after = tex.split("%s")
    pieces, start = [], 0
    for run in runs.finditer(text):
        kept = _balanced(run.group())
        pieces += [nodes.Text(text[start : run.start()]), _latex(before)]
        pieces += [nodes.Text(kept), _latex(after)]
        start = run.start() + len(kept)
    pieces.append(nodes.Text(text[start:]))
    text.parent.replace(text, [p for p in pieces if p.astext()])


def _english_block(node: nodes.Node) -> bool:
    """Code, the bibliography, and the API page's docstrings (English: the
    class _ext/edition.py gives them, lang="en" on the web)."""
    return isinstance(node, ENGLISH_BLOCKS) or (
        isinstance(node, nodes.paragraph)
        and "language-en" in node["classes"]
        and not PERSIAN_LETTER.search(node.astext())
    )


def _balanced(run: str) -> str:
    """The run without the Persian sentence's punctuation at its end: a
    full stop, or the bracket closing "(name)" around it."""
    while run[-1] in ".,;:!?'\"–—-" or (
        run[-1] == ")" and run.count(")") > run.count("(")
    ):
        run = run[:-1]
    return run


def _latex(tex: str) -> nodes.raw:
    return nodes.raw("", tex, format="latex")


def _wrap(node: nodes.Node, before: str, after: str) -> None:
    index = node.parent.index(node)
    node.parent.insert(index + 1, _latex(after))
    node.parent.insert(index, _latex(before))


def configure(app, config):
    config.latex_theme = "dlmathbook"
    config.latex_additional_files = [
        *config.latex_additional_files,
        "_ext/dlmathbook.cls",
        "_ext/dlmathbook.sty",
        "_ext/dlmathbook-persian.sty",
    ]
    elements = config.latex_elements
    if config.language == "fa":
        elements["polyglossia"] = DEFER_LANGUAGE
    elements.update(
        papersize="a4paper",
        pointsize="11pt",
        # Chapters open on the next page, left or right: on screen, where
        # the book is read, a blank page is only a gap.
        extraclassoptions="openany",
        fontpkg=FONTS,
        # LaTeX's own chapter heads, "Chapter 5.1": fncychap's Bjarne style
        # spells the counter ("Chapter Six" for 5.2).
        fncychap="",
        preamble=elements.get("preamble", "")
        + PREAMBLE.format(
            PDF_LANGUAGE[config.language],
            "[persian]" if config.language == "fa" else "",
        ),
        makeindex="",  # no index: the book has no index entries
        printindex="",
    )
    config.latex_domain_indices = False  # nor sphinx-proof's "Proof Index"
    # A figure stored as SVG (vector) is preferred to its PNG, if both.
    config.nb_mime_priority_overrides = [
        *config.nb_mime_priority_overrides,
        ("latex", "image/svg+xml", 15),
    ]


def _persian_title_page(app, env) -> None:
    """The title page as _ext/edition.py translates it (set here, after
    jupyter-book has put its own title into latex_documents)."""
    if app.config.language == "fa":
        app.config.latex_documents = [
            (start, target, app.config.html_title, app.config.author, *rest)
            for start, target, _, _, *rest in app.config.latex_documents
        ]


def setup(app):
    # sphinx-jupyterbook-latex sets its class at the default priority, 500.
    app.connect("config-inited", configure, priority=900)
    app.connect("env-updated", _persian_title_page)
    app.add_post_transform(SvgToPdf)
    app.add_post_transform(ProblemNumbers)
    app.add_post_transform(EnglishRuns)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
