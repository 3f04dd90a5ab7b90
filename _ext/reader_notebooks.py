"""Sphinx extension: notebooks a reader can take away, and the package with
them.

At the end of the HTML build, for every chapter notebook, this writes a
*reader notebook* over the page's download (`_sources/chapters/*.ipynb`):
the same code cells and stored outputs, with the MyST markup turned into
plain Markdown that Jupyter, Colab, VS Code or GitHub render. Every
cross-reference becomes the text the site shows (read from the resolved
doctree, in order, so `{eq}` gives "(21)" as the page does), linked to the
page when the site's address is known; labelled equations get `\\tag{n}`
with the site's number; exercises and solutions become headed blocks; each
`literalinclude` becomes the code itself. A notebook with MyST left over is
not written: the build fails and names the construct.

It also builds the `dlmath` wheel (uv, the locked setuptools, no build
isolation, no network) into `_downloads/`, puts a first cell in each reader
notebook that installs exactly that wheel (sha256-pinned) when `dlmath` is
missing, writes `dlmath-book.zip` (reader notebooks, wheel, a hash lock
of what they need, README), and shows the version and downloads in the
footer. The site's address is `html.baseurl`, or `$BOOK_URL` (`make book
BOOK_URL=...`).
"""

import copy
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin

from docutils import nodes

ROOT = Path(__file__).resolve().parents[1]
# What a reader needs to run the chapters (the lock keeps their closure).
READER_PACKAGES = ("numpy", "sympy", "matplotlib", "ipykernel")
ARCHIVE = "dlmath-book.zip"
PDF = "dlmath-book.pdf"
PDF_LINK = f'<a href="{PDF}">{PDF}</a>'
NO_PDF = f"<code>{PDF}</code> (printed by <code>make pdf</code>)"

# MyST that plain Jupyter would show raw; the check after conversion.
MYST_LEFT = re.compile(
    r"\{[\w:-]+\}`"  # a role
    r"|^[ \t]*(`{3,}|:{3,})[ \t]*\{"  # a directive fence
    r"|^\([\w.:-]+\)=\s*$"  # a target
    r"|\$\$\s*\([\w.:-]+\)"  # an equation label
    r"|^:[\w-]+:",  # a directive option
    re.M,
)
ROLE = re.compile(r"\{(eq|ref|numref|prf:ref|cite(?::\w+)?)\}`([^`]*)`")
ADMONITION_TITLE = re.compile(
    r'<div class="(?:exercise|solution|proof)[^"]*admonition"[^>]*>\s*'
    r'(?:<p class="admonition-title"[^>]*>(.*?)</p>)?',
    re.S,
)
FENCE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<arg>.*?)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.M | re.S,
)
DISPLAY_MATH = re.compile(r"\$\$(.*?)\$\$(?:[ \t]*\(([\w.:-]+)\))?", re.S)
TARGET = re.compile(r"^\([\w.:-]+\)=[ \t]*\n", re.M)


def _config_inited(app, config):
    url = os.environ.get("BOOK_URL") or config.html_baseurl or ""
    config.html_baseurl = url if url.endswith("/") or not url else url + "/"


def _page_context(app, pagename, templatename, context, doctree):
    # the version on every page (the installed dlmath's, pyproject.toml's, as
    # on the API page), with the download that carries it
    archive = context["pathto"](ARCHIVE, 1)
    context["theme_extra_footer"] = (
        f'dlmath {version("dlmath")} · <a href="{archive}">{ARCHIVE}</a>: '
        "every chapter as a notebook, with the package"
    )
    # The PDF is printed from the built site (make pdf), so a plain `make
    # book` has none: then the intro names the command instead of linking,
    # and `make pdf` links it once it is there (link_pdf).
    printed = Path(app.outdir) / PDF, _printed_pdf(app)
    if not any(path.exists() for path in printed):
        context["body"] = context.get("body", "").replace(PDF_LINK, NO_PDF)


def _printed_pdf(app) -> Path:
    """This edition's PDF as `make pdf` leaves it (fa/ for the Persian)."""
    edition = "" if app.config.language == "en" else app.config.language
    return ROOT / "_build" / "pdf" / edition / PDF


def link_pdf(site: Path) -> None:
    """The intro's link to the PDF, once the PDF is in the site."""
    if (site / PDF).exists():
        for page in site.glob("*.html"):
            text = page.read_text()
            if NO_PDF in text:
                page.write_text(text.replace(NO_PDF, PDF_LINK))


def build_wheel(outdir: Path) -> Path:
    """The dlmath wheel, built by the locked setuptools (no isolation)."""
    from uv import find_uv_bin

    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("dlmath-*.whl"):
        old.unlink()
    # setuptools' work folder: a module left there from an earlier build
    # would go into the wheel
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    subprocess.run(
        [find_uv_bin(), "build", "--wheel", "--no-build-isolation", "--quiet"]
        + ["--python", sys.executable, "--out-dir", str(outdir), str(ROOT)],
        check=True,
        env={**os.environ, "UV_OFFLINE": "1", "SOURCE_DATE_EPOCH": "0"},
    )
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    (outdir / ".gitignore").unlink(missing_ok=True)  # uv's, not the site's
    (wheel,) = outdir.glob(f"dlmath-{version('dlmath')}-*.whl")
    return wheel


def reader_lock(lock_text: str, roots=READER_PACKAGES) -> str:
    """The entries of the hash lock that `roots` need, found from its
    `# via` annotations (so every platform's markers are kept)."""
    entries, parents = {}, {}
    for block in re.split(r"\n(?=[a-z0-9])", lock_text):
        match = re.match(r"([a-z0-9._-]+)==", block)
        if not match:
            continue
        name = match.group(1)
        pin = block.split("    # via")[0].rstrip()
        entries[name] = pin
        via = re.findall(r"#\s+(?:via\s+)?([a-z0-9._-]+)\s*$", block, re.M)
        parents[name] = {v for v in via if v != "via"}
    needed, more = set(), set(roots)
    while more:  # what the needed ones need, until nothing is new
        needed |= more
        more = {n for n, ps in parents.items() if ps & needed} - needed
    return "\n".join(entries[n] for n in sorted(needed)) + "\n"


# The book's first cell in every reader notebook.
FIRST_CELL = """\
# The book's package, dlmath: used if installed, else installed
# from the wheel next to this notebook or from the book's site,
# exactly the one that produced the outputs below (sha256-pinned).
import importlib
import pathlib
import subprocess
import sys

try:
    import dlmath
except ModuleNotFoundError:
    wheel = pathlib.Path({name!r})
    url = {url}
    source = wheel.resolve().as_uri() if wheel.exists() else url
    if source is None:
        raise ModuleNotFoundError(
            "dlmath is missing: get {name} from the archive {archive} on "
            "the book's site, or run make venv in a clone of the book's "
            "repository."
        ) from None
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", "--no-warn-script-location",
         f"dlmath @ {{source}}#sha256={sha256}"],
        capture_output=True, text=True,
    )
    if pip.returncode:
        raise RuntimeError("installing dlmath failed:\\n" + pip.stderr)
    importlib.invalidate_caches()
    import dlmath"""


def first_cell(site: str, wheel: Path, sha256: str) -> dict:
    url = site and repr(urljoin(site, "_downloads/" + wheel.name))
    source = FIRST_CELL.format(
        name=wheel.name,
        url=url or "None  # the book was built with no site address",
        archive=ARCHIVE,
        sha256=sha256,
    )
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": "install-dlmath",
        "metadata": {"tags": ["hide-input"]},
        "outputs": [],
        "source": source.splitlines(keepends=True),
    }


class Resolved:
    """What the site shows for one chapter, in document order, read from
    its resolved doctree."""

    def __init__(self, app, docname):
        env = app.env
        doctree = env.get_and_resolve_doctree(docname, app.builder)
        page = urljoin(app.config.html_baseurl, docname + ".html")
        self.site = bool(app.config.html_baseurl)
        self.refs = []  # (kind, target, text, url)
        self.titles = []  # exercise and solution titles
        self.listings = []  # (source path, code, caption number)
        numbers = env.toc_fignumbers.get(docname, {})
        self.tags = {  # by node id: "equation-" and the label, lowercased
            node_id: ".".join(map(str, number))
            for node_id, number in numbers.get("displaymath", {}).items()
        }
        # titles as the page shows them (sphinx-proof numbers its own in
        # the HTML writer), in order
        page_html = (Path(app.outdir) / (docname + ".html")).read_text()
        for title in ADMONITION_TITLE.findall(page_html):
            text = html.unescape(re.sub(r"<[^>]+>", "", title))
            text = re.sub(r"\\\((.*?)\\\)", r"$\1$", text)
            self.titles.append(re.sub(r"\s+", " ", text).strip())
        for node in doctree.findall():
            if isinstance(node, nodes.literal_block) and node.get("source"):
                ids = node.parent.get("ids", [])
                num = numbers.get("code-block", {}).get(ids[0] if ids else "")
                self.listings.append((node["source"], node.astext(), num))
            elif isinstance(node, nodes.reference) and node.get("internal"):
                if any(
                    type(up).__name__.endswith("_title")
                    or isinstance(up, nodes.title)
                    for up in _ancestors(node)
                ):
                    continue  # a title's own link, not a reference
                uri = node.get("refuri") or "#" + node.get("refid", "")
                url = urljoin(page, uri)
                anchor = url.partition("#")[2]
                if anchor.startswith("equation-"):
                    kind, target = "eq", anchor
                elif "bibtex-citation" in node.parent.get("classes", []):
                    kind, target = "cite", None
                    node = node.parent
                elif anchor:
                    kind, target = "ref", anchor
                else:
                    continue
                self.refs.append((kind, target, node.astext(), url))


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def to_markdown(text: str, site: Resolved, state: dict, labels) -> str:
    """One markdown cell's MyST as plain Markdown."""

    def role(match):
        kind, target = match.group(1), match.group(2)
        kind = {"numref": "ref", "prf:ref": "ref"}.get(kind, kind)
        kind = kind.split(":")[0]  # cite:p, cite:t
        target = re.sub(r".*<(.*)>$", r"\1", target)
        anchor = labels.get(target, (None, target))[1]
        if kind == "eq":
            anchor = nodes.make_id("equation-" + target)
        refs = site.refs
        index = state["ref"]
        state["ref"] += 1
        got, got_target, shown, url = refs[index]
        if got != kind or got_target not in (None, target, anchor):
            raise ValueError(
                f"reference {index} is {{{kind}}}`{target}` in the source "
                f"but {got} {got_target} on the page"
            )
        return f"[{shown}]({url})" if site.site else shown

    def math(match):
        body, label = match.group(1), match.group(2)
        if label is None:
            return match.group(0)
        number = site.tags[nodes.make_id("equation-" + label)]
        return f"$${body.rstrip()}\n\\tag{{{number}}}\n$$"

    def directive(match):
        name, arg, body = match["name"], match["arg"], match["body"]
        options = dict(re.findall(r"^:([\w-]+):[ \t]*(.*)$", body, re.M))
        body = re.sub(r"^:[\w-]+:.*\n?", "", body, flags=re.M).strip()
        if name == "solution-end":
            return ""
        if name in ("exercise", "solution-start") or name.startswith("prf:"):
            # a proof has no title line on the page, only "Proof."
            title = site.titles[state["title"]] or "Proof."
            state["title"] += 1
            if not body:
                return f"**{title}**\n"
            lines = body.split("\n")
            quoted = "\n".join(f"> {line}".rstrip() for line in lines)
            return f"> **{title}**\n>\n{quoted}\n"
        if name == "literalinclude":
            path, code, number = site.listings[state["listing"]]
            state["listing"] += 1
            if Path(path).resolve() != (ROOT / "chapters" / arg).resolve():
                raise ValueError(f"listing {path} is not {arg}")
            caption = options.get("caption", "")
            if number:
                caption = f"Listing {'.'.join(map(str, number))}: {caption}"
            return f"*{caption}*\n\n```python\n{code}\n```\n"
        raise ValueError(f"no plain Markdown for the directive {{{name}}}")

    text = TARGET.sub("", text)
    text = DISPLAY_MATH.sub(math, text)
    text = FENCE.sub(directive, text)
    text = ROLE.sub(role, text)
    return text.strip("\n")


def reader_notebook(app, docname, source: Path, install: dict) -> dict:
    notebook = json.loads(source.read_text())
    site = Resolved(app, docname)
    labels = {
        label: (doc, anchor)
        for label, (doc, anchor, _) in app.env.get_domain("std").labels.items()
    }
    state = {"ref": 0, "title": 0, "listing": 0}
    cells = [install]
    for cell in notebook["cells"]:
        cell = copy.deepcopy(cell)
        if cell["cell_type"] == "markdown":
            markdown = to_markdown(
                "".join(cell["source"]), site, state, labels
            )
            left = MYST_LEFT.search(markdown)
            if left:
                raise ValueError(
                    f"{docname}: MyST left: {left.group(0)!r} in "
                    f"{markdown[max(left.start() - 60, 0) : left.end() + 9]!r}"
                )
            cell["source"] = markdown.splitlines(keepends=True)
        cells.append(cell)
    if state["ref"] != len(site.refs):
        raise ValueError(
            f"{docname}: {state['ref']} references in the source, "
            f"{len(site.refs)} on the page"
        )
    notebook["cells"] = cells
    return notebook


ARCHIVE_INSTALL = (
    "python3 -m venv .venv && "
    ".venv/bin/pip install --require-hashes -r requirements.txt"
)
ARCHIVE_README = """\
# {title}: the chapters as notebooks

Jupyter notebooks of the book, with the `dlmath` package they import
(`{wheel}`) and a hash lock of what they need (`requirements.txt`: numpy,
sympy, matplotlib, ipykernel, JupyterLab and the package). With Python 3.11
or newer, in this folder, two commands: the first installs, the second opens
the notebooks.

    {install}
    .venv/bin/jupyter lab

(On Windows: `.venv\\Scripts\\pip` and `.venv\\Scripts\\jupyter`.)
"""


def _build_finished(app, exception):
    if exception or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    pdf = _printed_pdf(app)
    if pdf.exists() and not (outdir / PDF).exists():
        (outdir / PDF).write_bytes(pdf.read_bytes())
    wheel = build_wheel(outdir / "_downloads")
    sha256 = hashlib.sha256(wheel.read_bytes()).hexdigest()
    install = first_cell(app.config.html_baseurl, wheel, sha256)
    lock = reader_lock(
        (ROOT / "requirements.txt").read_text(),
        READER_PACKAGES + ("jupyterlab",),
    )
    lock += f"./{wheel.name} \\\n    --hash=sha256:{sha256}\n"
    folder = "dlmath-book/"
    with zipfile.ZipFile(outdir / ARCHIVE, "w", zipfile.ZIP_DEFLATED) as zf:
        for docname in sorted(app.env.found_docs):
            source = ROOT / (docname + ".ipynb")
            if not docname.startswith("chapters/") or not source.exists():
                continue
            notebook = reader_notebook(app, docname, source, install)
            text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
            (outdir / "_sources" / (docname + ".ipynb")).write_text(text)
            zf.writestr(folder + source.name, text)
        zf.write(wheel, folder + wheel.name)
        zf.writestr(folder + "requirements.txt", lock)
        title = app.config.html_title or app.config.project
        zf.writestr(
            folder + "README.md",
            ARCHIVE_README.format(
                title=title, wheel=wheel.name, install=ARCHIVE_INSTALL
            ),
        )


if __name__ == "__main__":  # make pdf: python _ext/reader_notebooks.py SITE
    link_pdf(Path(sys.argv[1]))


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
