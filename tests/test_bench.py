"""The bench's own checks: it must notice when it did not measure it all."""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location(
    "bench", ROOT / "tools" / "bench.py"
)
bench = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench)


def junit(cases: list[str]) -> str:
    """A junit xml document holding the given <testcase> elements."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><testsuites>'
        f'<testsuite name="pytest">{"".join(cases)}</testsuite></testsuites>'
    )


def case(notebook: str, cell: int, seconds: float = 0.5, body="") -> str:
    return (
        f'<testcase classname="{notebook}" name="Cell {cell}" '
        f'time="{seconds}">{body}</testcase>'
    )


def test_flags_after_the_separator_are_passed_through_verbatim():
    own, flags = bench.split_arguments(
        ["--pairs", "5", "a.ipynb", "--", "--nbval", "-n", "2"]
    )
    assert own == ["--pairs", "5", "a.ipynb"]
    assert flags == ["--nbval", "-n", "2"]


@pytest.mark.parametrize("argv", [["a.ipynb"], ["a.ipynb", "--"]])
def test_missing_nbval_flags_are_refused(argv):
    with pytest.raises(ValueError, match="nbval flag"):
        bench.split_arguments(argv)


def test_floor_keeps_the_imports_and_nothing_else():
    source = (
        "%matplotlib inline\n"
        "import numpy as np\n"
        "from dlmath.adamax import (\n"
        "    lp_moment,\n"
        "    lp_moment_direct,\n"
        ")\n"
        "rng = np.random.default_rng(0)\n"
        "print(rng.standard_normal())\n"
    )
    assert bench.import_statements(source) == [
        "import numpy as np",
        "from dlmath.adamax import (\n"
        "    lp_moment,\n"
        "    lp_moment_direct,\n"
        ")",
    ]


def test_floor_takes_each_import_of_every_cell_once(tmp_path):
    cells = [
        nbformat.v4.new_code_cell("import numpy as np\nx = np.ones(3)"),
        nbformat.v4.new_markdown_cell("import sympy"),
        nbformat.v4.new_code_cell("import numpy as np\nimport sympy as sp"),
    ]
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert bench.floor_source(path) == "import numpy as np\nimport sympy as sp"


def test_a_notebook_outside_the_rootdir_is_refused(tmp_path):
    with pytest.raises(ValueError, match="collide"):
        bench.junit_name(tmp_path / "floor.ipynb", ROOT)


def test_junit_name_is_the_dotted_path_below_the_rootdir():
    path = ROOT / "chapters" / "02_hessian.ipynb"
    assert bench.junit_name(path, ROOT) == "chapters.02_hessian.ipynb"


def test_junit_cells_are_read_with_their_outcome_and_time():
    text = junit(
        [
            case("a.ipynb", 0, 1.25),
            case("a.ipynb", 1, 0.5, "<failure message='x'/>"),
            case("b.ipynb", 0, 0.0, "<skipped message='y'/>"),
        ]
    )
    assert bench.parse_junit(text) == [
        bench.CellResult("a.ipynb", 0, True, 1.25),
        bench.CellResult("a.ipynb", 1, False, 0.5),
        bench.CellResult("b.ipynb", 0, False, 0.0),
    ]


def test_a_complete_run_passes_the_check():
    results = bench.parse_junit(
        junit([case("a.ipynb", 0), case("a.ipynb", 1), case("b.ipynb", 0)])
    )
    bench.check_complete(results, {"a.ipynb": 2, "b.ipynb": 1})


def test_colliding_floor_ids_are_caught():
    # What nbval + xdist did to seven floor notebooks outside the rootdir:
    # one item, named "::Cell 0", ran in place of seven.
    results = bench.parse_junit(junit([case("", 0)]))
    expected = {f"floor_{i}.ipynb": 1 for i in range(7)}
    with pytest.raises(bench.BenchError, match="7 cells .* 1 passed"):
        bench.check_complete(results, expected)


@pytest.mark.parametrize(
    "body", ["<failure message='x'/>", "<error message='x'/>", "<skipped/>"]
)
def test_a_cell_that_did_not_pass_is_caught(body):
    results = bench.parse_junit(
        junit([case("a.ipynb", 0), case("a.ipynb", 1, body=body)])
    )
    with pytest.raises(bench.BenchError, match=r"\('a.ipynb', 1\)"):
        bench.check_complete(results, {"a.ipynb": 2})


def test_a_cell_reported_twice_is_caught():
    results = bench.parse_junit(
        junit([case("a.ipynb", 0), case("a.ipynb", 0)])
    )
    with pytest.raises(bench.BenchError, match="more than once"):
        bench.check_complete(results, {"a.ipynb": 1})


def test_a_testcase_that_is_not_an_nbval_cell_is_refused():
    text = junit(['<testcase classname="t" name="test_x" time="1"/>'])
    with pytest.raises(bench.BenchError, match="test_x"):
        bench.parse_junit(text)


def test_cell_times_are_medians_over_runs():
    runs = [
        bench.Run(1.0, 1.0, [bench.CellResult("a.ipynb", 0, True, t)])
        for t in (3.0, 1.0, 2.0)
    ]
    assert bench.median_cell_seconds(runs) == {("a.ipynb", 0): 2.0}
