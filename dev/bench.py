"""Time the notebook suite against its floor; show the slowest cells.

Usage (`make bench`): bench.py PAIRS NOTEBOOK.ipynb ... -- NBVAL FLAGS

The flags after `--` are the Makefile's NBVAL, so the suite is timed
exactly as `make notebooks` runs it. The floor is one notebook per chapter
whose only cell holds that chapter's import statements: a kernel's start
and the imports. After one untimed floor run (caches), suite and floor run
in PAIRS alternating pairs (which goes first alternates, so drift hits both
alike); the medians of wall and CPU time and their ratios are printed
(target: at most 1.5), then the last suite run's slowest cells (pytest's
--durations: nbval's items are cells).

The floor notebooks sit in a temporary folder that is their own pytest
rootdir: nbval names a cell outside the rootdir `::Cell 0`, the names
collide, and pytest-xdist then runs one notebook in seven. So each run must
pass exactly as many items as its notebooks have code cells, or the bench
stops: it did not measure what it says.
"""

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
TOP = 15  # slowest cells shown
# No .pytest_cache: a cached last-failed list must not reorder runs.
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def code_cells(path):
    notebook = nbformat.read(path, as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def write_floor(chapter, folder):
    """An imports-only notebook for `chapter`, written into `folder`."""
    statements = []
    for source in code_cells(chapter):
        python = TransformerManager().transform_cell(source)  # %magic, !sh
        for node in ast.parse(python).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                statement = ast.get_source_segment(python, node)
                if statement not in statements:
                    statements.append(statement)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("\n".join(statements))],
        metadata=nbformat.read(chapter, as_version=4).metadata,
    )
    nbformat.write(notebook, folder / f"floor_{chapter.name}")
    return folder / f"floor_{chapter.name}"


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
    last = (process.stdout.strip().splitlines() or [""])[-1]
    passed = re.search(r"(\d+) passed", last)
    if process.returncode or not passed or int(passed[1]) != cells:
        sys.exit(
            f"bench: expected {cells} cells of {len(notebooks)} notebooks to "
            f"pass under {rootdir}, pytest says {last!r} (exit "
            f"{process.returncode}):\n{process.stdout[-3000:]}"
        )
    return seconds, cpu, process.stdout


def main(pairs, notebooks, flags):
    suite, floor = [], []
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        floors = [write_floor(path, Path(folder)) for path in notebooks]
        run(floors, flags, folder)  # untimed: compiles, caches
        for pair in range(pairs):
            first = "suite" if pair % 2 == 0 else "floor"
            if first == "floor":
                floor.append(run(floors, flags, folder))
            suite.append(run(notebooks, flags, ".", [f"--durations={TOP}"]))
            if first == "suite":
                floor.append(run(floors, flags, folder))
            print(
                f"pair {pair + 1}/{pairs} ({first} first): suite "
                f"{suite[-1][0]:5.1f} s, floor "
                f"{floor[-1][0]:5.1f} s (CPU {suite[-1][1]:.1f} s, "
                f"{floor[-1][1]:.1f} s)",
                flush=True,
            )
    wall = [statistics.median(r[0] for r in runs) for runs in (suite, floor)]
    cpu = [statistics.median(r[1] for r in runs) for runs in (suite, floor)]
    print(
        f"\n{len(notebooks)} notebooks and {len(floors)} floor notebooks; "
        f"every cell passed in each run\nflags: {' '.join(flags)}\n"
        f"median of {pairs} pairs: suite {wall[0]:.1f} s, floor "
        f"(start + imports) {wall[1]:.1f} s, ratio {wall[0] / wall[1]:.2f} "
        f"(target <= {TARGET_RATIO}); CPU s: {cpu[0]:.1f}, {cpu[1]:.1f}, "
        f"ratio {cpu[0] / cpu[1]:.2f}\n"
    )
    slowest = suite[-1][2].split("slowest", 1)[-1].splitlines()[1:]
    print("slowest (last suite run):", *slowest[:TOP], sep="\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--" not in args or len(args) < 3 or not args[0].isdigit():
        sys.exit("usage: bench.py PAIRS NOTEBOOK.ipynb ... -- NBVAL FLAGS")
    at = args.index("--")
    if int(args[0]) < 1 or at < 2 or at == len(args) - 1:
        sys.exit("bench: PAIRS >= 1, notebooks, then flags after `--`")
    main(int(args[0]), [Path(a) for a in args[1:at]], args[at + 1 :])
