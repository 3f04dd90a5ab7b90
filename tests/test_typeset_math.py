"""The build's typesetting of the book's maths (_ext/mathjax4.py, with the
vendored MathJax 4 in node): what a page gets, and what fails the build."""

import importlib.util
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

SOURCE = Path(__file__).parents[1] / "_ext" / "mathjax4.py"
spec = importlib.util.spec_from_file_location("mathjax4", SOURCE)
mathjax4 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mathjax4)

LONG = " + ".join(f"a_{{{i}}} x^{{{i}}}" for i in range(40))
ITEMS = [
    ("x^2", False),
    ("e^{-z}", True),
    (f"f(x) = {LONG}", True),
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}" + " + 1" * 60, True),
]


@pytest.fixture(scope="module")
def typeset():
    html, css = mathjax4._typeset(ITEMS, "fonts")
    return dict(zip(ITEMS, html, strict=True)), css


def test_inline_formula_is_chtml_with_hidden_mathml(typeset):
    html = typeset[0][ITEMS[0]]
    assert html.startswith("<mjx-container")
    assert 'tabindex="0"' in html  # MathJax's menu opens from the keyboard
    assert "<mjx-assistive-mml" in html
    assert "<msup>" in html
    assert "data-latex" not in html  # the page keeps the TeX once


def test_short_display_formula_has_one_copy(typeset):
    copies = typeset[0][ITEMS[1]]
    assert [width for _, width in copies] == [mathjax4.COLUMN_WIDTHS[-1]]


def test_long_display_formula_has_a_copy_per_line_breaking(typeset):
    copies = typeset[0][ITEMS[2]]
    widths = [width for _, width in copies]
    lines = [html.count("<mjx-linebox") for html, _ in copies]
    assert len(copies) >= 3
    assert widths == sorted(widths, reverse=True)
    assert set(widths) <= set(mathjax4.COLUMN_WIDTHS)
    # a narrower column: more lines, never fewer
    assert lines == sorted(lines)
    assert lines[0] < lines[-1]


def test_matrix_is_typeset_whole(typeset):
    (html, _), *others = typeset[0][ITEMS[3]]
    assert others == []
    assert "<mjx-mtable" in html
    assert "<mjx-linebox" not in html


def test_stylesheet_sizes_maths_by_the_texts_x_height(typeset):
    css = typeset[1]
    assert 'url("fonts/mjx-ncm-n.woff2")' in css
    assert "font-size: calc(1ex / 0.442)" in css


@pytest.mark.parametrize(
    "tex, message",
    [(r"\frac{a}{", "Missing close brace"), (r"\sigmoid(x)", r"\sigmoid")],
)
def test_tex_error_fails_the_build(tex, message):
    with pytest.raises(ExtensionError, match="TeX errors") as error:
        mathjax4._typeset([(tex, False)], "fonts")
    assert message in str(error.value)


def test_a_page_preloads_the_fonts_its_maths_draws_with():
    long_inline = f"f(x) = {LONG}"
    items = [("x^2", False), (long_inline, False), (r"\sum_i x_i", True)]
    html, css = mathjax4._typeset(items, "fonts")
    short, long_line, ((big_operator, _),) = html
    assert mathjax4._fonts_of_page(short, css) == [
        "mjx-ncm-n.woff2",
        "mjx-ncm-zero.woff2",
    ]
    # inline maths that may break across lines: the line-break face too
    assert "mjx-ncm-brk.woff2" in mathjax4._fonts_of_page(long_line, css)
    # a big operator draws with a face of its own
    assert "mjx-ncm-lo.woff2" in mathjax4._fonts_of_page(big_operator, css)
