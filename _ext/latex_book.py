"""The book's PDF through Sphinx's LaTeX builder (`make pdf`, xelatex).

sphinx-jupyterbook-latex (loaded by `latex.use_jupyterbook_latex` in
_config.yml) turns the parts of _toc.yml into LaTeX parts and leaves out the
code of cells tagged hide-input, as the web page collapses it. This
extension, run after it, sets what it does not:
  * the class: _ext/dlmathbook.cls instead of its jupyterBook.cls;
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
The HTML builder is untouched: every setting here is a latex_* one, and the
converter runs only for builders that cannot show SVG.
"""

import re
import shutil
import subprocess

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.transforms.post_transforms.images import ImageConverter

# chapters/05_1_beale is chapter 5.1, chapters/04_backprop chapter 4.
CHAPTER_FILE = re.compile(r"chapters/(\d+)(?:_(\d+))?_[^/]+")
FRONT_TITLE = "Introduction"
FRONT_CHAPTER = rf"""\chapter*{{{FRONT_TITLE}}}
\addcontentsline{{toc}}{{chapter}}{{{FRONT_TITLE}}}
\markboth{{{FRONT_TITLE}}}{{{FRONT_TITLE}}}
"""
LANGUAGE = "en-GB"  # the book's spelling: optimiser, normalise

FONTS = r"""
\usepackage{fontspec}
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{DejaVu Sans Mono}[Scale=MatchLowercase]
"""

# After sphinx-jupyterbook-latex's preamble, which loads unicode-math, and
# after sphinx.sty. Running heads as in a printed book: page number outside,
# the chapter on a left page, the section on a right page; no footer.
PREAMBLE = rf"""
\setmathfont{{Latin Modern Math}}
\hypersetup{{pdflang={LANGUAGE}}}
\makeatletter
\fancypagestyle{{normal}}{{%
  \fancyhf{{}}%
  \fancyhead[LE]{{\py@HeaderFamily\thepage\hfill\nouppercase{{\leftmark}}}}%
  \fancyhead[RO]{{\py@HeaderFamily\nouppercase{{\rightmark}}\hfill\thepage}}%
  \renewcommand{{\headrulewidth}}{{0.4pt}}%
  \renewcommand{{\footrulewidth}}{{0pt}}}}
% A right page before the chapter's first section (or in a chapter without
% sections) heads with the chapter: LaTeX leaves it empty.
\renewcommand{{\chaptermark}}[1]{{%
  \markboth{{\@chapapp\ \thechapter.\ #1}}{{\@chapapp\ \thechapter.\ #1}}}}
% Equations, figures and tables numbered by the chapter's own number (5.2,
% A), not by Sphinx's \arabic{{chapter}} (6, 1).
\AtBeginDocument{{%
  \def\theequation{{\ifnum\c@chapter>\z@\thechapter.\fi\arabic{{equation}}}}%
  \def\thefigure{{\ifnum\c@chapter>\z@\thechapter.\fi\arabic{{figure}}}}%
  \def\thetable{{\ifnum\c@chapter>\z@\thechapter.\fi\arabic{{table}}}}}}
\makeatother
"""

# A solution (sphinx-exercise) runs for pages. In Sphinx's framed box its
# code cells are boxes inside a box, which cannot break: whole solutions
# moved to the next page and left half-empty pages. As in a printed book, a
# solution is a heading and text, ended by a box mark; exercises, theorems
# and definitions, a few lines each, keep their frame.
SOLUTIONS = r"""
\makeatletter
\newif\ifdlmath@solution
\def\dlmath@checksolution#1Solution#2\@nil{%
  \if\relax\detokenize{#1}\relax\dlmath@solutiontrue
  \else\dlmath@solutionfalse\fi}
\renewenvironment{sphinxnote}[1]
  {\dlmath@checksolution#1Solution\@nil
   \ifdlmath@solution
     \par\addvspace{\medskipamount}%
     \noindent{\py@HeaderFamily\color{TitleColor}#1}\par\nobreak\smallskip
   \else
     \def\spx@noticetype{note}%
     \begin{sphinxheavybox}\sphinxstylenotetitle{#1}%
   \fi}
  {\ifdlmath@solution
     \par\nobreak\noindent\hfill\ensuremath{\square}\par
     \addvspace{\medskipamount}%
   \else
     \end{sphinxheavybox}%
   \fi}
\makeatother
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
        self.document.insert(0, nodes.raw("", FRONT_CHAPTER, format="latex"))
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


def configure(app, config):
    config.latex_theme = "dlmathbook"
    config.latex_additional_files = [
        *config.latex_additional_files,
        "_ext/dlmathbook.cls",
    ]
    elements = config.latex_elements
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
        preamble=elements.get("preamble", "") + PREAMBLE + SOLUTIONS,
        makeindex="",  # no index: the book has no index entries
        printindex="",
    )
    config.latex_domain_indices = False  # nor sphinx-proof's "Proof Index"
    # A figure stored as SVG (vector) is preferred to its PNG, if both.
    config.nb_mime_priority_overrides = [
        *config.nb_mime_priority_overrides,
        ("latex", "image/svg+xml", 15),
    ]


def setup(app):
    # sphinx-jupyterbook-latex sets its class at the default priority, 500.
    app.connect("config-inited", configure, priority=900)
    app.add_post_transform(SvgToPdf)
    app.add_post_transform(ProblemNumbers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
