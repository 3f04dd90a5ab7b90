"""The chapters as a reader takes them away: a downloaded notebook, or the
archive, run outside the repository in a venv that has only numpy, sympy,
matplotlib and ipykernel (at the lock's versions), every output compared
with the stored one by nbval in strict mode.

The download test builds its own copy of the book with BOOK_URL pointing at
a server on 127.0.0.1, as `make book BOOK_URL=...` does, so that the
notebook installs the wheel from that server. About a minute on 2 cores.
"""

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "_ext"))
import reader_notebooks  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
DOWNLOADED = "04_backprop"  # the chapter a reader downloads from its page
FROM_ARCHIVE = "01_matrix_calculus"

# MyST that plain Jupyter shows raw (written here independently of the
# extension's own check, which refuses to write such a notebook).
MYST = {
    "role": r"\{[\w:-]+\}`",
    "directive fence": r"^[ \t]*(?:`{3,}|:{3,})[ \t]*\{[\w:-]+\}",
    "target": r"^\([\w.:-]+\)=[ \t]*$",
    "equation label": r"\$\$[ \t]*\([\w.:-]+\)",
    "directive option": r"^:(?:label|class|nonumber|pyobject|caption):",
}


def markdown(notebook: dict) -> str:
    cells = notebook["cells"]
    return "\n".join(
        "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
    )


def notebooks_in_site(site_dir: Path) -> dict[str, dict]:
    found = {
        path.name: json.loads(path.read_text())
        for path in (site_dir / "_sources" / "chapters").glob("*.ipynb")
    }
    with zipfile.ZipFile(site_dir / reader_notebooks.ARCHIVE) as zf:
        for name in zf.namelist():
            if name.endswith(".ipynb"):
                found["archive/" + name] = json.loads(zf.read(name))
    return found


def test_no_myst_left_in_reader_notebooks(site_dir):
    notebooks = notebooks_in_site(site_dir)
    assert len(notebooks) == 2 * len(CHAPTERS), sorted(notebooks)
    left = [
        (name, kind, match.group(0))
        for name, notebook in notebooks.items()
        for kind, pattern in MYST.items()
        for match in re.finditer(pattern, markdown(notebook), re.M)
    ]
    print(
        f"MyST constructs left in {len(notebooks)} reader notebooks:",
        len(left),
    )
    assert left == []


def test_reader_notebooks_keep_every_code_cell_and_output(site_dir):
    for path in CHAPTERS:
        source = json.loads(path.read_text())
        reader = json.loads(
            (site_dir / "_sources" / "chapters" / path.name).read_text()
        )
        first, *cells = reader["cells"]
        assert "import dlmath" in "".join(first["source"])

        def code(cells):
            return [
                (c["source"], c["outputs"])
                for c in cells
                if c["cell_type"] == "code"
            ]

        assert code(cells) == code(source["cells"]), path.name


def venv(folder: Path, lock: Path) -> Path:
    """A venv in `folder` with exactly the hash lock `lock` (wheels only,
    from uv's cache as `pip install --require-hashes -r` would)."""
    subprocess.run([sys._base_executable, "-m", "venv", folder], check=True)
    subprocess.run(
        [BIN / "uv", "pip", "install", "--quiet", "--require-hashes"]
        + ["--only-binary", ":all:", "--python", folder / "bin" / "python"]
        + ["-r", lock],
        cwd=lock.parent,  # where the lock's ./wheel paths start
        check=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    return folder


def fresh_venv(folder: Path) -> Path:
    """A venv with only numpy, sympy, matplotlib and ipykernel at the lock's
    versions (and what they need), and a kernel spec for it."""
    lock = folder / "reader-lock.txt"
    lock.write_text(
        reader_notebooks.reader_lock((ROOT / "requirements.txt").read_text())
    )
    python = venv(folder / "venv", lock) / "bin" / "python"
    missing = subprocess.run(
        [python, "-c", "import dlmath"], stderr=subprocess.DEVNULL
    )
    assert missing.returncode != 0, "the fresh venv already has dlmath"
    subprocess.run(
        [python, "-m", "ipykernel", "install", "--prefix"]
        + [folder / "kernel", "--name", "reader-venv"],
        check=True,
        capture_output=True,
    )
    return python.parents[1]


def nbval(notebook: Path, kernels: Path) -> None:
    """Runs the notebook in the fresh venv's kernel, strict nbval, with no
    package index (the wheel comes from the site or the archive) and nothing
    of the repository on the path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"JUPYTER_PATH": str(kernels), "PIP_NO_INDEX": "1"}
    run = subprocess.run(
        [BIN / "python", "-m", "pytest", notebook.name, "--nbval"]
        + ["--nbval-kernel-name", "reader-venv", "-p", "no:cacheprovider"]
        + ["--nbval-sanitize-with", ROOT / "tests" / "sanitize.cfg"]
        + ["--rootdir", notebook.parent, "-q", "-p", "no:randomly"],
        cwd=notebook.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    cells = json.loads(notebook.read_text())["cells"]
    code_cells = sum(c["cell_type"] == "code" for c in cells)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"{code_cells} passed" in run.stdout, run.stdout[-500:]


@pytest.fixture(scope="module")
def book_served_with_its_address(tmp_path_factory, serve):
    """The book built with BOOK_URL = a server on 127.0.0.1 serving it."""
    html = tmp_path_factory.mktemp("book") / "_build" / "html"
    html.mkdir(parents=True)
    server = serve(html)
    build = subprocess.run(
        [BIN / "jupyter-book", "build", ROOT, "--path-output"]
        + [html.parents[1], "--builder", "html", "-W", "-n", "--keep-going"],
        env={**os.environ, "BOOK_URL": server.url},
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout[-3000:]
    return server


def test_downloaded_chapter_runs_in_a_bare_venv(
    book_served_with_its_address, browser, tmp_path
):
    server = book_served_with_its_address
    page = browser.new_page()
    page.goto(urljoin(server.url, f"chapters/{DOWNLOADED}.html"))
    # the page's download button, as a reader clicks it
    link = page.locator("a.btn-download-source-button")
    href = urljoin(page.url, link.get_attribute("href"))
    page.close()
    notebook = tmp_path / "reader" / f"{DOWNLOADED}.ipynb"
    notebook.parent.mkdir()
    notebook.write_bytes(urlopen(href).read())
    assert ROOT not in notebook.parents
    venv = fresh_venv(tmp_path)
    server.requests.clear()
    nbval(notebook, tmp_path / "kernel" / "share" / "jupyter")
    # dlmath came from the site, as the wheel its first cell pins
    assert any(r.endswith(".whl") for r in server.requests), server.requests
    where = [venv / "bin" / "python", "-c", "import dlmath as d; print(d)"]
    assert str(venv) in subprocess.check_output(where, text=True)


def test_archive_runs_with_no_site_address(site_dir, tmp_path):
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(site_dir / reader_notebooks.ARCHIVE) as zf:
        zf.extractall(folder)
    (book,) = folder.iterdir()
    notebook = book / f"{FROM_ARCHIVE}.ipynb"
    first = "".join(json.loads(notebook.read_text())["cells"][0]["source"])
    assert "url = None" in first, "build the site with no BOOK_URL"
    fresh_venv(tmp_path)
    nbval(notebook, tmp_path / "kernel" / "share" / "jupyter")


def test_archive_readme_installs_the_lock_and_the_package(site_dir, tmp_path):
    with zipfile.ZipFile(site_dir / reader_notebooks.ARCHIVE) as zf:
        zf.extractall(tmp_path)
    book = tmp_path / "dlmath-book"
    readme = (book / "README.md").read_text()
    assert reader_notebooks.ARCHIVE_INSTALL in readme
    assert ".venv/bin/jupyter lab" in readme
    # the README's first command, with uv in place of pip (same lock, same
    # hash checks, from uv's cache), run in the unpacked folder
    bin = venv(book / ".venv", book / "requirements.txt") / "bin"
    subprocess.run([bin / "python", "-c", "import dlmath"], check=True)
    subprocess.run(
        [bin / "jupyter", "lab", "-h"], check=True, stdout=subprocess.DEVNULL
    )


def test_no_address_says_where_to_get_dlmath(site_dir, tmp_path):
    notebook = site_dir / "_sources" / "chapters" / f"{FROM_ARCHIVE}.ipynb"
    first = "".join(json.loads(notebook.read_text())["cells"][0]["source"])
    # the base interpreter, isolated: no dlmath, nothing of the repository
    run = subprocess.run(
        [sys._base_executable, "-I", "-c", first],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    message = run.stderr.strip().splitlines()[-1]
    assert message.startswith("ModuleNotFoundError: dlmath is missing: get ")
    assert reader_notebooks.ARCHIVE in message


def test_the_intro_links_the_pdf_only_when_it_is_there(site_dir):
    intro = (site_dir / "intro.html").read_text()
    if (site_dir / reader_notebooks.PDF).exists():
        assert reader_notebooks.PDF_LINK in intro
    else:
        assert f'href="{reader_notebooks.PDF}"' not in intro
        assert reader_notebooks.NO_PDF in intro
