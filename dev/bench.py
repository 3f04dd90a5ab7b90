"""Time the notebook suite against its floor; show the slowest cells.

Usage (the Makefile's `make bench`):

    bench.py [--pairs N] [--top N] NOTEBOOK.ipynb ... -- NBVAL FLAGS

The flags after `--` are the Makefile's NBVAL, so the suite is timed
exactly as `make notebooks` runs it; this file keeps no copy of them.

The floor is one notebook per chapter whose only cell holds that chapter's
import statements: what the suite would cost if the notebooks did nothing
but start a kernel and import. One untimed floor run warms the caches; then
suite and floor run in alternating pairs under the same flags (which goes
first alternates, so drift hits both alike); the medians of wall and CPU
time and their ratios are printed (target: at most 1.5), then the last
suite run's slowest cells, from pytest's --durations.

The floor notebooks sit in a temporary folder that is their own pytest
rootdir: nbval names a cell outside the rootdir `::Cell 0`, the names
collide, and pytest-xdist then runs one notebook in seven. So each run must
pass exactly as many items as its notebooks have code cells (the floor: one
per notebook), or the bench stops: it did not measure what it says.
"""

import argparse
import ast
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

TARGET_RATIO = 1.5
# No .pytest_cache: a cached last-failed list must not reorder runs.
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def code_cells(path):
    """Sources of the cells nbval turns into items: every code cell."""
    notebook = nbformat.read(path, as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def import_statements(source):
    """The top-level import statements of one cell, as source text."""
    python = TransformerManager().transform_cell(source)  # %magic, !shell
    return [
        ast.get_source_segment(python, node)
        for node in ast.parse(python).body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]


def write_floor(chapters, folder):
    """One imports-only notebook per chapter, written into `folder`."""
    paths = []
    for chapter in chapters:
        statements = []
        for source in code_cells(chapter):
            statements += [
                s for s in import_statements(source) if s not in statements
            ]
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("\n".join(statements))],
            metadata=nbformat.read(chapter, as_version=4).metadata,
        )
        paths.append(folder / f"floor_{chapter.name}")
        nbformat.write(notebook, paths[-1])
    return paths


def run(notebooks, flags, rootdir, extra=()):
    """(wall s, CPU s, output) of one pytest run in which every cell passed."""
    cells = sum(len(code_cells(path)) for path in notebooks)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # kernels too
    start = time.perf_counter()
    process = subprocess.run(
        [*PYTEST, *map(str, notebooks), *flags, "--rootdir", rootdir, *extra],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    lines = process.stdout.strip().splitlines() or [""]
    passed = re.search(r"(\d+) passed", lines[-1])
    if process.returncode or not passed or int(passed[1]) != cells:
        sys.exit(
            f"bench: expected {cells} cells of {len(notebooks)} notebooks to "
            f"pass under {rootdir}, pytest says {lines[-1]!r} (exit "
            f"{process.returncode}):\n{process.stdout[-3000:]}"
        )
    return seconds, cpu, process.stdout


def main(argv):
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        sys.exit("bench: expected nbval flags after `--`: bench.py NB -- F")
    at = argv.index("--")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("notebooks", nargs="+", type=Path)
    options, flags = parser.parse_args(argv[:at]), argv[at + 1 :]
    if options.pairs < 1:
        parser.error("--pairs must be at least 1")
    suite, floor = [], []
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        floor_notebooks = write_floor(options.notebooks, Path(folder))
        run(floor_notebooks, flags, folder)  # untimed: compiles, caches
        for pair in range(options.pairs):
            order = ("suite", "floor") if pair % 2 == 0 else ("floor", "suite")
            for which in order:
                if which == "suite":
                    durations = [f"--durations={options.top}"]
                    suite.append(run(options.notebooks, flags, ".", durations))
                else:
                    floor.append(run(floor_notebooks, flags, folder))
            print(
                f"pair {pair + 1}/{options.pairs} ({order[0]} first): suite "
                f"{suite[-1][0]:5.1f} s, floor {floor[-1][0]:5.1f} s (CPU "
                f"{suite[-1][1]:.1f} s, {floor[-1][1]:.1f} s)",
                flush=True,
            )
    wall = [statistics.median(r[0] for r in runs) for runs in (suite, floor)]
    cpu = [statistics.median(r[1] for r in runs) for runs in (suite, floor)]
    print(
        f"\n{len(options.notebooks)} notebooks and {len(floor_notebooks)} "
        f"floor notebooks; every cell passed in each run\n"
        f"flags: {' '.join(flags)}\n"
        f"median of {options.pairs} pairs: suite {wall[0]:.1f} s, floor "
        f"(start + imports) {wall[1]:.1f} s, ratio {wall[0] / wall[1]:.2f} "
        f"(target <= {TARGET_RATIO}); CPU s: {cpu[0]:.1f}, {cpu[1]:.1f}, "
        f"ratio {cpu[0] / cpu[1]:.2f}\n"
    )
    slowest = suite[-1][2].split("slowest", 1)[-1].splitlines()[1:]
    print("slowest (last suite run):", *slowest[: options.top], sep="\n")


if __name__ == "__main__":
    main(sys.argv[1:])
