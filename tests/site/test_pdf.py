"""The book's PDF (`make pdf`, typeset by LaTeX) read as a book.

It is the site's copy and not older than the site; it has a language; its
contents pages (numbered i, ii, ...) list every page of `_toc.yml` with the
page it starts on, the chapters numbered as the problems (chapters/05_1_...
is 5.1; pages after the chapters are appendices A, B, ...), and the outline
goes to the same pages; every page of the body has a running head with its
page number and its chapter (left pages) or section (right pages); every
font is text with a Unicode map (no Type 3 glyphs) and chapter 4's maths
reads as 𝛿 and 𝜕 (which fold to δ and ∂); no raw TeX; every figure is in
the PDF, none raster that the site shows as vector; the code of cells
tagged hide-input (collapsed on the web) is left out, every other cell's in.
The Persian edition's PDF (fa/) is, as the English one, the site's copy and
not older than it, with its language and text fonts; it is in Persian (its
text), with every page of the book in its outline under its Persian title.
"""

import functools
import json
import re
import string
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]
TOC = ROOT / "_toc.yml"
FRONT_TITLE = "Introduction"  # the root page's chapter (_ext/latex_book.py)
CHAPTER_FILE = re.compile(r"chapters/(\d+)(?:_(\d+))?_[^/]+")
RAW_TEX = ("\\frac", "$$", "\\begin{", "\\(", "\\[")
# A contents line: number, title, dot leaders, page number.
CONTENTS_LINE = re.compile(
    r"(?:(?P<number>[0-9A-Z]+(?:\.\d+)*)\s+)?(?P<title>.*?)[\s.]*\s(?P<page>\d+)"
)
ROMAN = re.compile(r"[ivxlc]+")
PART = re.compile(r"[IVXL]+")


def squash(text):
    """Text compared across HTML and PDF: compatibility forms folded (the
    maths italic 𝛿 is δ, a ligature its letters), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def toc_pages():
    """Docnames of the table of contents in reading order, as jupyter-book's
    sphinx-external-toc reads _toc.yml."""
    site_map = parse_toc_yaml(TOC)

    def walk(doc):
        yield doc
        for tree in site_map[doc].subtrees:
            for child in tree.files():
                yield from walk(child)

    return list(walk(site_map.root.docname))


def expected_numbers(docnames):
    """Chapter numbers as the book gives them: None for the root page."""
    numbers, appendix = [None], iter(string.ascii_uppercase)
    for doc in docnames[1:]:
        match = CHAPTER_FILE.fullmatch(doc)
        if match:
            major, minor = match.groups()
            numbers.append(
                str(int(major)) + (f".{int(minor)}" if minor else "")
            )
        else:
            numbers.append(next(appendix))
    return numbers


def edition(language, pdf_path, site_dir):
    """An edition's PDF and site: the English, or the Persian under fa/."""
    folder = "" if language == "en" else language
    return pdf_path.parent / folder / pdf_path.name, site_dir / folder


@functools.cache
def read_pdf(path):
    if not path.is_file():
        pytest.fail(f"no PDF at {path}: run `make pdf` after `make book`")
    return PdfReader(path)


def article(page):
    """A built page's <article>, its title (h1) without its link mark."""
    html = page.read_text(encoding="utf-8")
    found = BeautifulSoup(html, "html.parser").find("article")
    for anchor in found.h1.select("a.headerlink"):
        anchor.decompose()
    return found


def outline(reader):
    """{squashed title: page index} of every entry of the PDF's outline."""
    entries = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item)
                entries.setdefault(squash(item.title), page)

    walk(reader.outline)
    return entries


@pytest.fixture(scope="module")
def reader(pdf_path):
    return read_pdf(pdf_path)


@pytest.fixture(scope="module")
def texts(reader):
    return [page.extract_text() or "" for page in reader.pages]


@pytest.fixture(scope="module")
def site_pages(site_dir):
    """Per page of the TOC: docname, title, <img> sources, code text."""
    found = []
    for doc in toc_pages():
        page = article(site_dir / f"{doc}.html")
        images = [img["src"] for img in page.find_all("img")]
        code = "".join(pre.get_text() for pre in page.find_all("pre"))
        found.append((doc, page.h1.get_text().strip(), images, code))
    return found


@pytest.fixture(scope="module")
def contents(reader, texts):
    """(number, title, page index) of each line of the contents pages."""
    labels = reader.page_labels
    pages = [i for i, label in enumerate(labels) if ROMAN.fullmatch(label)]
    assert pages, f"no contents pages (numbered i, ii, ...): {labels[:8]}"
    body = pages[-1] + 1
    lines = []
    for line in "\n".join(texts[i] for i in pages).splitlines():
        match = CONTENTS_LINE.fullmatch(line.strip())
        if match and match["page"] in labels[body:]:
            index = labels.index(match["page"], body)
            lines.append((match["number"], match["title"], index))
    return lines


@pytest.fixture(scope="module")
def chapters(site_pages, contents, texts):
    """Per page of the TOC: its number, title, first and last page index."""
    numbers = expected_numbers([doc for doc, *_ in site_pages])
    titles = [FRONT_TITLE] + [title for _, title, *_ in site_pages[1:]]
    listed = {
        squash(title): (number, index) for number, title, index in contents
    }
    missing = [t for t in titles if squash(t) not in listed]
    assert missing == [], f"not in the contents: {missing}"
    found = [(*listed[squash(t)], t) for t in titles]
    starts = [start for _, start, _ in found] + [len(texts)]
    return [
        (number, expected, title, start, end - 1)
        for (number, start, title), expected, end in zip(
            found, numbers, starts[1:], strict=True
        )
    ]


@pytest.mark.parametrize("language", ["en", "fa"])
def test_site_serves_this_pdf_and_it_is_newer(language, pdf_path, site_dir):
    pdf, site = edition(language, pdf_path, site_dir)
    read_pdf(pdf)  # none: fails, naming `make pdf`
    assert (site / pdf.name).read_bytes() == pdf.read_bytes()
    newest = max(page.stat().st_mtime for page in site.rglob("*.html"))
    assert pdf.stat().st_mtime >= newest, "run `make pdf` again"


@pytest.mark.parametrize("language", ["en", "fa"])
def test_pdf_has_its_language_and_text_fonts(language, pdf_path, site_dir):
    reader = read_pdf(edition(language, pdf_path, site_dir)[0])
    lang = str(reader.trailer["/Root"].get("/Lang", ""))
    assert lang.partition("-")[0] == language
    # every font is text with a Unicode map
    fonts = {}
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            fonts[ref.idnum] = ref.get_object()
    type3 = [
        f.get("/Name") for f in fonts.values() if f["/Subtype"] == "/Type3"
    ]
    unmapped = [
        f.get("/BaseFont") for f in fonts.values() if "/ToUnicode" not in f
    ]
    assert fonts
    assert type3 == []
    assert unmapped == []


def test_contents_number_every_chapter_and_give_its_page(chapters, texts):
    for number, expected, title, start, _ in chapters:
        assert number == expected, f"{title}: numbered {number}"
        page = squash(texts[start]).casefold()
        assert squash(title).casefold() in page, (
            f"{title}: not on page {start + 1}, where the contents send it"
        )
        if number:  # the chapter's head names it as the contents do
            head = "chapter" if number[0].isdigit() else "appendix"
            assert f"{head}{number}".casefold() in page, (
                f"{title}: no '{head} {number}' on page {start + 1}"
            )


def test_sections_and_equations_are_numbered_within_their_chapter(
    chapters, contents, texts
):
    numbered = equations = 0
    for number, _, title, start, end in chapters[1:]:
        # An equation's number ends its line; the first in a chapter is 1.
        tags = re.findall(
            r"\(([0-9A-Z.]+)\.(\d+)\)$",
            "\n".join(texts[start : end + 1]),
            flags=re.MULTILINE,
        )
        if tags:
            assert tags[0] == (number, "1"), (
                f"{title}: first equation {tags[0]}"
            )
            equations += 1
        sections = [
            n
            for n, _, index in contents
            if n and n.startswith(f"{number}.") and start <= index <= end
        ]
        expected = [f"{number}.{k}" for k in range(1, len(sections) + 1)]
        assert sections == expected, title
        numbered += len(sections)
    assert numbered > 0
    assert equations > 0


def test_outline_goes_where_the_contents_do(reader, chapters):
    entries = outline(reader)
    for _, _, title, start, _ in chapters:
        assert entries.get(squash(title)) == start, f"outline: {title}"


def test_every_body_page_has_a_running_head(reader, texts, chapters, contents):
    labels = reader.page_labels
    # Chapters' and parts' first pages have no head (parts are numbered
    # I, II, ... in the contents).
    openings = {start for *_, start, _ in chapters} | {
        index for n, _, index in contents if n and PART.fullmatch(n)
    }
    headless = []
    for _, _, title, start, end in chapters:
        heads = {
            squash(f"{n}{t}").replace(".", "")
            for n, t, index in contents
            if n and start <= index <= end
        }
        for index in range(start, end + 1):
            if index in openings or not texts[index].strip():
                continue  # a chapter's or part's first page, or blank
            head, label = texts[index].splitlines()[0].strip(), labels[index]
            if int(label) % 2 == 0:  # a left page: number, then chapter
                ok = head.startswith(label) and squash(title) in squash(head)
            else:  # a right page: section (or chapter), then number
                text = squash(head.removesuffix(label))
                ok = head.endswith(label) and (
                    text.replace(".", "") in heads or squash(title) in text
                )
            if not ok:
                headless.append((index + 1, head))
    assert headless == []


def test_chapter_4_maths_is_text(texts, chapters):
    ((_, _, _, start, end),) = [c for c in chapters if c[0] == "4"]
    # The maths font's italic δ and ∂ are the Unicode maths letters 𝛿 and 𝜕
    # (U+1D6FF, U+1D715), which fold (NFKC) to δ and ∂; the code's ∂ and δ
    # are plain, so these two come only from typeset formulas.
    chapter_4 = "".join(texts[start : end + 1])
    assert "𝛿" in chapter_4
    assert "𝜕" in chapter_4
    assert squash("𝛿𝜕") == "δ∂"


@pytest.mark.parametrize("tex", RAW_TEX)
def test_no_raw_tex(texts, site_pages, tex):
    # Code may quote TeX (an assert on sympy.latex's output); any more than
    # the code holds is maths left untypeset.
    code = "".join(code for *_, code in site_pages)
    assert "".join(texts).count(tex) <= code.count(tex)


def test_every_figure_is_in_and_vector_stays_vector(
    reader, site_pages, site_dir
):
    raster, forms = set(), set()

    def walk(resources):  # images and forms (an included PDF is a form)
        xobjects = resources.get("/XObject") if resources else None
        for ref in xobjects.get_object().values() if xobjects else []:
            obj, key = ref.get_object(), ref.idnum
            if obj.get("/Subtype") == "/Image":
                raster.add(key)
            elif obj.get("/Subtype") == "/Form" and key not in forms:
                forms.add(key)
                walk(obj.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    figures = [
        (doc, src) for doc, _, images, _ in site_pages for src in images
    ]
    vector = [(d, s) for d, s in figures if s.endswith(".svg")]
    # An SVG may carry pixel data of its own (a heat map drawn by imshow, a
    # colour bar): that stays raster in print; nothing else may. (An
    # image's transparency mask hangs from the image, not the page.)
    pixels = sum(
        (site_dir / doc).parent.joinpath(src).read_text().count("<image ")
        for doc, src in vector
    )
    assert len(raster) <= len(figures) - len(vector) + pixels
    assert len(raster) + len(forms) >= len(figures) > 0


def code_cells():
    """(hidden, first line) of every code cell of the chapters."""
    cells = []
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"]).splitlines()
            lines = [line for line in source if line.strip()]
            if cell["cell_type"] == "code" and lines:
                tags = cell.get("metadata", {}).get("tags", [])
                cells.append(("hide-input" in tags, lines[0][:60]))
    return cells


def test_collapsed_cells_are_left_out_and_the_rest_are_in(texts):
    text = squash("".join(texts))
    cells = code_cells()
    printed = [
        line for hidden, line in cells if hidden and squash(line) in text
    ]
    lost = [
        line
        for hidden, line in cells
        if not hidden and squash(line) not in text
    ]
    assert any(hidden for hidden, _ in cells)
    assert printed == []
    assert lost == []


def letters(reader):
    """(Persian, Latin) letters of the PDF's text."""
    text = "".join(page.extract_text() for page in reader.pages)
    persian = sum("\u0600" <= c <= "\u06ff" for c in text)
    return persian, sum(c.isascii() and c.isalpha() for c in text)


def test_persian_pdf_is_in_persian(pdf_path, site_dir, reader):
    # The prose leaves English for Persian; code, outputs and docstrings
    # stay (in the build of 2026-12-05: 177k Latin letters in English;
    # 93k Latin and 81k Persian in Persian).
    _, latin_en = letters(reader)
    farsi, latin = letters(read_pdf(edition("fa", pdf_path, site_dir)[0]))
    assert latin <= 0.6 * latin_en, f"{latin} of {latin_en} still Latin"
    assert farsi >= 0.5 * (latin_en - latin), f"{farsi} Persian letters"


def test_persian_outline_has_every_page_under_its_persian_title(
    pdf_path, site_dir
):
    pdf, site = edition("fa", pdf_path, site_dir)
    titles = outline(read_pdf(pdf))
    missing = []
    for doc in toc_pages()[1:]:  # the root page is the Introduction
        title = article(site / f"{doc}.html").h1.get_text().strip()
        if squash(title) not in titles:
            missing.append(title)
    assert missing == []
