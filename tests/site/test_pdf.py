"""The book's PDF (`make pdf`) against the built site and `_toc.yml`.

It exists and the site serves the same file; it is not older than the
site; its outline has one top-level entry per page of the table of
contents, in order, each on the page that shows its title; every page ends
with its number; no raw TeX beyond what the code quotes; at least as many
images as the site's pages have figures; no link to the local server.
"""

import re
import unicodedata
import urllib.parse
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

TOC = Path(__file__).resolve().parents[2] / "_toc.yml"
RAW_TEX = ("\\frac", "$$", "\\begin{", "\\(", "\\[")


def squash(text):
    """Text compared across HTML and PDF: ligatures undone, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def toc_pages(toc_path):
    """Docnames of the table of contents in reading order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    docs = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            docs.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", doc) for doc in docs]


@pytest.fixture(scope="module")
def pages(site_dir):
    """(html file, its title, its figures, its code) per page of the TOC."""
    found = []
    for doc in toc_pages(TOC):
        html = site_dir / f"{doc}.html"
        article = BeautifulSoup(
            html.read_text(encoding="utf-8"), "html.parser"
        )
        article = article.find("article")
        title = article.find("h1")
        for anchor in title.select("a.headerlink"):
            anchor.decompose()
        code = "".join(pre.get_text() for pre in article.find_all("pre"))
        found.append(
            (html, title.get_text(), len(article.find_all("img")), code)
        )
    return found


@pytest.fixture(scope="module")
def reader(pdf_path, site_dir):
    if not pdf_path.is_file():
        pytest.fail(f"no PDF at {pdf_path}: run `make pdf` after `make book`")
    return PdfReader(pdf_path)


@pytest.fixture(scope="module")
def texts(reader):
    return [page.extract_text() or "" for page in reader.pages]


def test_site_serves_this_pdf(pdf_path, site_dir, reader):
    copy = site_dir / pdf_path.name
    assert copy.is_file(), f"{copy} is missing: run `make pdf`"
    assert copy.read_bytes() == pdf_path.read_bytes()


def test_pdf_is_newer_than_the_site(pdf_path, reader, pages):
    newest = max(html.stat().st_mtime for html, *_ in pages)
    assert pdf_path.stat().st_mtime >= newest, "run `make pdf` again"


def test_outline_is_the_table_of_contents(reader, texts, pages):
    outline = [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)  # a list holds an entry's children
    ]
    titles = [title for _, title, _, _ in pages]
    assert [squash(t) for t, _ in outline] == [squash(t) for t in titles]
    starts = [start for _, start in outline]
    assert starts == sorted(set(starts)), "chapters' pages not increasing"
    for title, start in outline:
        assert squash(title) in squash(texts[start]), f"{title} not on page"


def test_every_page_ends_with_its_number(texts):
    unnumbered = [
        (n, text[-40:])
        for n, text in enumerate(texts, start=1)
        if not text.rstrip().endswith(str(n))
    ]
    assert texts, "the PDF has no pages"
    assert unnumbered == []


@pytest.mark.parametrize("tex", RAW_TEX)
def test_no_raw_tex(texts, pages, tex):
    # Code may quote TeX (an assert on sympy.latex's output); any more than
    # the code holds is maths left untypeset.
    code = "".join(code for *_, code in pages)
    assert "".join(texts).count(tex) <= code.count(tex)


def test_every_figure_is_in_the_pdf(reader, pages):
    images, forms = set(), set()

    def walk(resources):  # image XObjects, also inside form XObjects
        xobjects = resources.get("/XObject") if resources else None
        for ref in xobjects.get_object().values() if xobjects else []:
            obj, key = ref.get_object(), getattr(ref, "idnum", None)
            if obj.get("/Subtype") == "/Image":
                images.add(key if key is not None else id(obj))
            elif obj.get("/Subtype") == "/Form" and key not in forms:
                forms.add(key)
                walk(obj.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    figures = sum(count for _, _, count, _ in pages)
    assert len(images) >= figures > 0


def test_no_link_to_the_local_server(reader):
    local = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A")
            uri = str(action.get_object().get("/URI", "")) if action else ""
            host = urllib.parse.urlsplit(uri).hostname
            if host in ("127.0.0.1", "localhost", "::1"):
                local.append(uri)
    assert local == []
