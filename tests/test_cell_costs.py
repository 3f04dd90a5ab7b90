"""tools/cell_costs.py: it times every cell, and knows a figure cell."""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location(
    "cell_costs", ROOT / "tools" / "cell_costs.py"
)
cell_costs = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(cell_costs)


def notebook(tmp_path, *sources) -> Path:
    cells = [nbformat.v4.new_code_cell(s) for s in sources]
    path = tmp_path / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_rendering_is_counted_in_the_figure_cell_only(tmp_path):
    path = notebook(
        tmp_path,
        "import matplotlib.pyplot as plt",
        "x = sum(range(10))",
        "fig, ax = plt.subplots()\n_ = ax.plot([1, 2])\nfig.tight_layout()",
    )
    costs = cell_costs.measure_once(path)
    assert len(costs) == 3
    (_, render_0, _), (_, render_1, _), (cpu, render, tight) = costs
    assert render_0 == render_1 == 0.0
    assert 0 < tight < cpu
    assert 0 < render < cpu


def test_a_cell_that_escapes_the_timer_is_reported(tmp_path):
    path = notebook(
        tmp_path,
        "x = 1",
        'get_ipython().events.unregister("post_run_cell", _post)',
    )
    with pytest.raises(RuntimeError, match="timed 1 cells, .* has 2"):
        cell_costs.measure_once(path)


def test_totals_put_each_second_in_one_kind():
    costs = {"a": [[1.0, 0.0, 0.0], [2.0, 0.5, 0.25], [4.0, 0.0, 0.0]]}
    assert cell_costs.totals(costs) == {
        "imports": 1.0,
        "render": 0.5,
        "tight_layout": 0.25,
        "figure cells, rest": 1.25,
        "other": 4.0,
    }


def test_medians_are_taken_per_cell_and_per_column():
    runs = [[[1.0, 0.0, 0.0]], [[3.0, 1.0, 0.0]], [[2.0, 0.5, 0.0]]]
    assert cell_costs.median_costs(runs) == [[2.0, 0.5, 0.0]]
