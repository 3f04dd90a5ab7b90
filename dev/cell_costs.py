"""CPU seconds of every code cell, run in a kernel as nbval runs it.

Usage: cell_costs.py [--repeats N] [--top N] NOTEBOOK.ipynb ...

Where `make bench` says how long the suite takes, this says what the
time is spent on: for each cell, the kernel's CPU seconds (steadier than
wall time on a shared machine), of which how many went into rendering
figures to PNG (the inline backend's print_figure) and into
Figure.tight_layout. Medians over the repeats; each repeat is a fresh
kernel. Nothing is written back to the notebooks.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# Runs first in the kernel: a timer per cell, and timers around the two
# matplotlib calls that lay out and render figures.
SETUP = """
import functools as _functools, time as _time
import matplotlib.backend_bases as _backend_bases
import matplotlib.figure as _figure
_costs = {"cells": [], "start": None, "render": 0.0, "tight": 0.0}
def _timed(key, method):
    @_functools.wraps(method)
    def timed(*args, **kwargs):
        start = _time.process_time()
        try:
            return method(*args, **kwargs)
        finally:
            _costs[key] += _time.process_time() - start
    return timed
_canvas = _backend_bases.FigureCanvasBase
_canvas.print_figure = _timed("render", _canvas.print_figure)
_figure.Figure.tight_layout = _timed("tight", _figure.Figure.tight_layout)
def _pre(info):
    _costs.update(start=_time.process_time(), render=0.0, tight=0.0)
def _post(result):
    if _costs["start"] is not None:
        _costs["cells"].append([_time.process_time() - _costs["start"],
                                _costs["render"], _costs["tight"]])
    _costs["start"] = None
get_ipython().events.register("pre_run_cell", _pre)
get_ipython().events.register("post_run_cell", _post)
"""
# Runs last: stop timing, hand the numbers over.
FINISH = """
if _post in get_ipython().events.callbacks["post_run_cell"]:
    get_ipython().events.unregister("post_run_cell", _post)
import json as _json
with open({path!r}, "w") as _out:
    _json.dump(_costs["cells"], _out)
"""


def code_sources(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def measure_once(path: Path) -> list[list[float]]:
    """[cpu, render, tight] seconds for each code cell, one fresh kernel."""
    notebook = nbformat.read(path, as_version=4)
    count = sum(c.cell_type == "code" for c in notebook.cells)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "costs.json"
        notebook.cells.insert(0, nbformat.v4.new_code_cell(SETUP))
        finish = FINISH.format(path=str(out))
        notebook.cells.append(nbformat.v4.new_code_cell(finish))
        client = NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        # as dev/execute_notebooks.py runs them
        backend = "module://matplotlib_inline.backend_inline"
        client.execute(
            env={**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": backend}
        )
        costs = json.loads(out.read_text())
    if len(costs) != count:
        raise RuntimeError(
            f"{path}: timed {len(costs)} cells, the notebook has {count}"
        )
    return costs


def median_costs(runs: list[list[list[float]]]) -> list[list[float]]:
    """Per cell and per column, the median over runs."""
    return [
        [statistics.median(column) for column in zip(*cell, strict=True)]
        for cell in zip(*runs, strict=True)
    ]


def first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines()]
    code = [line for line in lines if line and not line.startswith("#")]
    return code[0] if code else ""


def totals(costs: dict[str, list[list[float]]]) -> dict[str, float]:
    """Seconds by kind: imports (cell 0), figures, everything else."""
    kinds = dict.fromkeys(
        ["imports", "render", "tight_layout", "figure cells, rest", "other"],
        0.0,
    )
    for cells in costs.values():
        for index, (cpu, render, tight) in enumerate(cells):
            if index == 0:
                kinds["imports"] += cpu
            elif render > 0:
                kinds["render"] += render
                kinds["tight_layout"] += tight
                kinds["figure cells, rest"] += cpu - render - tight
            else:
                kinds["other"] += cpu
    return kinds


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("notebooks", nargs="+", type=Path)
    options = parser.parse_args(argv)
    if options.repeats < 1:
        parser.error("--repeats must be at least 1")
    costs, rows = {}, []
    for path in options.notebooks:
        runs = [measure_once(path) for _ in range(options.repeats)]
        costs[path.stem] = median_costs(runs)
        for index, source in enumerate(code_sources(path)):
            rows.append((path.stem, index, *costs[path.stem][index], source))
    kinds = totals(costs)
    print(f"CPU seconds, median of {options.repeats} kernels per notebook:")
    print("  " + ", ".join(f"{k} {v:.2f}" for k, v in kinds.items()))
    print(f"  total {sum(kinds.values()):.2f}")
    print(f"\n{'cpu':>5} {'render':>6} {'tight':>5}  {'notebook':<20} cell")
    for stem, index, cpu, render, tight, source in sorted(
        rows, key=lambda row: -row[2]
    )[: options.top]:
        print(
            f"{cpu:5.2f} {render:6.2f} {tight:5.2f}  {stem:<20} {index:4}  "
            f"{first_line(source)[:30]}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
