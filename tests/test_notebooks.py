"""The committed notebooks are what one clean run produced (nbval then
checks that the outputs match), and they follow the book's conventions."""

import json
import re
from pathlib import Path

import pytest

from dlmath.checks import REPORT_WIDTH

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def code_cells(path):
    cells = json.loads(path.read_text())["cells"]
    return [
        c
        for c in cells
        if c["cell_type"] == "code" and "".join(c["source"]).strip()
    ]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under chapters/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_was_executed_once_in_order(path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert None not in counts, (
        f"{path.name}: code cell {counts.index(None)} was never executed"
    )
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not one clean run"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_unexpected_error_output(path):
    for index, cell in enumerate(code_cells(path)):
        if "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell["outputs"]:
            assert output["output_type"] != "error", (
                f"{path.name}: cell {index} raised {output.get('ename')}"
            )
            assert output.get("name") != "stderr", (
                f"{path.name}: cell {index} wrote to stderr: {output['text']}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_memory_address_in_outputs(path):
    for index, cell in enumerate(code_cells(path)):
        text = json.dumps(cell["outputs"])
        assert not re.search(r" at 0x[0-9a-f]{6,}", text), (
            f"{path.name}: cell {index} prints a memory address"
        )


def test_every_notebook_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    for path in NOTEBOOKS:
        assert f"file: chapters/{path.stem}" in toc, (
            f"{path.name} is not in _toc.yml"
        )


# Tags that hide a cell's source on the rendered page (myst-nb,
# sphinx-togglebutton).
HIDING_TAGS = {"hide-input", "hide-cell", "remove-input", "remove-cell"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_imports_are_collapsed_and_checks_stay_visible(path):
    cells = code_cells(path)
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in cells]
    assert cells, f"{path.name}: no code cell"
    assert "hide-input" in tags[0], (
        f"{path.name}: the first code cell (the imports) lacks the tag "
        "hide-input"
    )
    for index, (cell, cell_tags) in enumerate(zip(cells, tags, strict=True)):
        if re.search(r"\bassert\b", "".join(cell["source"])):
            hiding = cell_tags & HIDING_TAGS
            assert not hiding, (
                f"{path.name}: code cell {index} asserts but is hidden by "
                f"{hiding}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_printed_lines_fit_the_code_column(path):
    # a longer line scrolls sideways on the page and hides its end (often a
    # check's verdict); the width is the one Comparison wraps its verdict at
    for index, cell in enumerate(code_cells(path)):
        for output in cell["outputs"]:
            if output["output_type"] == "stream":
                text = "".join(output["text"])
            else:
                data = output.get("data", {})
                # maths and figures are laid out by MathJax and the browser
                if {"text/latex", "image/png", "text/html"} & data.keys():
                    continue
                text = "".join(data.get("text/plain", ""))
            for line in text.split("\n"):
                assert len(line) <= REPORT_WIDTH, (
                    f"{path.name}: code cell {index} prints a line of"
                    f" {len(line)} characters: {line!r}"
                )
