"""Time the notebook suite against its floor; show where the time goes.

Usage (the Makefile's `make bench`):

    bench.py [--pairs N] [--top N] NOTEBOOK.ipynb ... -- NBVAL FLAGS ...

The flags after `--` are the Makefile's NBVAL, so the suite is timed
exactly as `make notebooks` runs it; this file keeps no copy of them.

The floor is one notebook per chapter whose only cell holds that
chapter's import statements: what the suite would cost if the notebooks
did nothing but start a kernel and import. Suite and floor run in
alternating pairs under the same flags; the medians and their ratio
are printed (target: ratio at most 1.5), then the slowest cells.

One untimed floor run comes first, to warm the caches.

The floor notebooks sit in a temporary folder that is their own pytest
rootdir: nbval names a cell outside the rootdir `::Cell 0`, the names
collide, and pytest-xdist then runs one notebook in seven. Every run is
checked against its junit xml: each cell of each notebook passed once.
"""

import argparse
import ast
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

TARGET_RATIO = 1.5
# Per-cell time in the junit xml: the cell's execution only (the call
# phase); kernel start-up is in the setup of cell 0, not counted there.
JUNIT_OPTIONS = ["-o", "junit_duration_report=call"]
# No .pytest_cache: a cached last-failed list must not reorder runs.
PYTEST_OPTIONS = ["-q", "-p", "no:cacheprovider"]


class BenchError(RuntimeError):
    """The bench did not measure what it says it measured."""


@dataclass(frozen=True)
class CellResult:
    notebook: str  # junit classname, e.g. "chapters.01_calculus.ipynb"
    cell: int  # nbval's index among the notebook's code cells
    passed: bool
    seconds: float


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time of the whole pytest process
    cpu_seconds: float  # user + system, pytest, workers and kernels
    cells: list[CellResult]


def children_cpu_seconds() -> float:
    """CPU time of all waited-for descendants so far (kernels included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def split_arguments(argv: list[str]) -> tuple[list[str], list[str]]:
    """Split `bench options and notebooks -- pytest flags` at `--`."""
    if "--" not in argv:
        raise ValueError(
            "expected the nbval flags after `--`, e.g. "
            "bench.py chapters/*.ipynb -- $(NBVAL)"
        )
    at = argv.index("--")
    flags = argv[at + 1 :]
    if not flags:
        raise ValueError("expected at least one nbval flag after `--`")
    return argv[:at], flags


def import_statements(source: str) -> list[str]:
    """The top-level import statements of one cell, as source text."""
    # IPython syntax (%magic, !shell) is not Python; lower it first.
    python = TransformerManager().transform_cell(source)
    tree = ast.parse(python)
    return [
        ast.get_source_segment(python, node)
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    ]


def code_cells(path: Path) -> list[str]:
    """Sources of the cells nbval turns into items: every code cell."""
    notebook = nbformat.read(path, as_version=4)
    return [c.source for c in notebook.cells if c.cell_type == "code"]


def floor_source(path: Path) -> str:
    """Every import statement of a notebook, in order, once each."""
    statements = []
    for index, source in enumerate(code_cells(path)):
        try:
            found = import_statements(source)
        except SyntaxError as error:
            raise ValueError(
                f"{path}: code cell {index} is not valid Python: {error}"
            ) from error
        statements += [s for s in found if s not in statements]
    return "\n".join(statements)


def write_floor(chapters: list[Path], folder: Path) -> list[Path]:
    """One imports-only notebook per chapter, written into `folder`."""
    paths = []
    for chapter in chapters:
        cell = nbformat.v4.new_code_cell(floor_source(chapter))
        notebook = nbformat.v4.new_notebook(cells=[cell])
        notebook.metadata = chapter_metadata(chapter)
        path = folder / f"floor_{chapter.name}"
        nbformat.write(notebook, path)
        paths.append(path)
    return paths


def chapter_metadata(path: Path) -> dict:
    return nbformat.read(path, as_version=4).metadata


def junit_name(path: Path, rootdir: Path) -> str:
    """The classname pytest's junit xml gives a notebook's cells."""
    try:
        relative = path.resolve().relative_to(rootdir.resolve())
    except ValueError:
        raise ValueError(
            f"{path} is outside the pytest rootdir {rootdir}: nbval would "
            "name its cells `::Cell N`, and the names would collide"
        ) from None
    return relative.as_posix().replace("/", ".")


def parse_junit(text: str) -> list[CellResult]:
    """Cell results from pytest's junit xml (nbval names: `Cell N`)."""
    results = []
    for case in ET.fromstring(text).iter("testcase"):
        name = case.get("name", "")
        if not name.startswith("Cell ") or not name[5:].isdigit():
            raise BenchError(f"not an nbval cell in the junit xml: {name!r}")
        outcome = {child.tag for child in case}
        results.append(
            CellResult(
                notebook=case.get("classname", ""),
                cell=int(name[5:]),
                passed=not outcome & {"failure", "error", "skipped"},
                seconds=float(case.get("time", "nan")),
            )
        )
    return results


def check_complete(
    results: list[CellResult], expected: dict[str, int]
) -> None:
    """Every expected cell passed exactly once, and nothing else ran."""
    ran = [(r.notebook, r.cell) for r in results if r.passed]
    wanted = [(nb, i) for nb, count in expected.items() for i in range(count)]
    problems = []
    missing = sorted(set(wanted) - set(ran))
    if missing:
        problems.append(f"{len(missing)} cells did not pass: {missing[:5]}")
    extra = sorted(set(ran) - set(wanted))
    if extra:
        problems.append(f"unexpected cells: {extra[:5]}")
    if len(ran) != len(set(ran)):
        problems.append("some cells are reported more than once")
    if problems:
        raise BenchError(
            f"expected {len(wanted)} cells of {len(expected)} notebooks "
            f"to pass, {len(ran)} passed; " + "; ".join(problems)
        )


def run_pytest(
    notebooks: list[Path],
    flags: list[str],
    rootdir: Path,
    junit: Path,
) -> Run:
    """Run the notebooks under pytest once; check every cell passed."""
    expected = {
        junit_name(path, rootdir): len(code_cells(path)) for path in notebooks
    }
    command = [
        *(sys.executable, "-m", "pytest"),
        *map(str, notebooks),
        *flags,
        *PYTEST_OPTIONS,
        *JUNIT_OPTIONS,
        *("--rootdir", str(rootdir), f"--junitxml={junit}"),
    ]
    cpu_start, start = children_cpu_seconds(), time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    cpu_seconds = children_cpu_seconds() - cpu_start
    if not junit.exists():
        raise BenchError(
            f"pytest wrote no junit xml (exit {process.returncode}):\n"
            + process.stdout[-3000:]
            + process.stderr[-3000:]
        )
    cells = parse_junit(junit.read_text())
    junit.unlink()
    try:
        check_complete(cells, expected)
    except BenchError as error:
        raise BenchError(f"{error}\n{process.stdout[-3000:]}") from None
    if process.returncode != 0:
        raise BenchError(
            f"pytest exit {process.returncode}:\n{process.stdout[-3000:]}"
        )
    return Run(seconds, cpu_seconds, cells)


def median_cell_seconds(runs: list[Run]) -> dict[tuple[str, int], float]:
    """Each cell's median execution time over several runs."""
    times: dict[tuple[str, int], list[float]] = {}
    for run in runs:
        for cell in run.cells:
            times.setdefault((cell.notebook, cell.cell), []).append(
                cell.seconds
            )
    return {key: statistics.median(t) for key, t in times.items()}


def first_line(source: str) -> str:
    """The first line of a cell that is not blank or a comment."""
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    return source.strip().splitlines()[0] if source.strip() else ""


def slowest_cells_table(
    runs: list[Run],
    labels: dict[tuple[str, int], tuple[str, str]],
    top: int,
) -> list[str]:
    """The `top` slowest cells: seconds, notebook, cell, first line.

    `labels` maps (junit classname, cell) to (notebook stem, first line).
    """
    medians = median_cell_seconds(runs)
    slowest = sorted(medians.items(), key=lambda item: -item[1])[:top]
    lines = [f"{'s':>6}  {'notebook':<22} {'cell':>4}  first line"]
    for key, seconds in slowest:
        stem, code = labels[key]
        lines.append(f"{seconds:6.2f}  {stem:<22} {key[1]:>4}  {code[:40]}")
    return lines


def notebook_totals(runs: list[Run]) -> list[str]:
    """Median summed cell time per notebook (kernel start excluded)."""
    totals: dict[str, float] = {}
    for (notebook, _), seconds in median_cell_seconds(runs).items():
        totals[notebook] = totals.get(notebook, 0.0) + seconds
    return [
        f"{seconds:6.2f}  {notebook}"
        for notebook, seconds in sorted(totals.items(), key=lambda i: -i[1])
    ]


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        usage="bench.py [--pairs N] [--top N] NOTEBOOK ... -- NBVAL FLAGS",
    )
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("notebooks", nargs="+", type=Path)
    options = parser.parse_args(argv)
    if options.pairs < 1:
        parser.error("--pairs must be at least 1")
    return options


def main(argv: list[str]) -> None:
    own, flags = split_arguments(argv)
    options = parse_options(own)
    chapters = options.notebooks
    suite_root = Path.cwd()
    labels = {
        (junit_name(path, suite_root), index): (path.stem, first_line(source))
        for path in chapters
        for index, source in enumerate(code_cells(path))
    }
    suite_runs, floor_runs = [], []
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        floor_root = Path(tmp)
        floor = write_floor(chapters, floor_root)
        junit = floor_root / "junit.xml"
        # Untimed: the first run after an install compiles .pyc files and
        # builds matplotlib's font cache, once, for whichever runs first.
        run_pytest(floor, flags, floor_root, junit)
        for pair in range(options.pairs):
            # Alternate which goes first, so drift hits both alike.
            order = ["suite", "floor"] if pair % 2 == 0 else ["floor", "suite"]
            for which in order:
                if which == "suite":
                    suite_runs.append(
                        run_pytest(chapters, flags, suite_root, junit)
                    )
                else:
                    floor_runs.append(
                        run_pytest(floor, flags, floor_root, junit)
                    )
            print(
                f"pair {pair + 1}/{options.pairs} ({order[0]} first): "
                f"suite {suite_runs[-1].seconds:5.1f} s, "
                f"floor {floor_runs[-1].seconds:5.1f} s "
                f"(CPU {suite_runs[-1].cpu_seconds:.1f} s, "
                f"{floor_runs[-1].cpu_seconds:.1f} s)",
                flush=True,
            )
    suite = statistics.median(r.seconds for r in suite_runs)
    floor_seconds = statistics.median(r.seconds for r in floor_runs)
    suite_cpu = statistics.median(r.cpu_seconds for r in suite_runs)
    floor_cpu = statistics.median(r.cpu_seconds for r in floor_runs)
    cells = len(suite_runs[0].cells)
    print(
        f"\n{len(chapters)} notebooks, {cells} cells; every cell passed in "
        f"each run, and each of the {len(floor)} floor notebooks ran"
    )
    print(f"flags: {' '.join(flags)}")
    print(
        f"median of {options.pairs} pairs: suite {suite:.1f} s, "
        f"floor (start + imports) {floor_seconds:.1f} s, "
        f"ratio {suite / floor_seconds:.2f} (target <= {TARGET_RATIO})"
    )
    # CPU time moves less than wall time when other work shares the cores.
    print(
        f"CPU seconds, same medians: suite {suite_cpu:.1f}, "
        f"floor {floor_cpu:.1f}, ratio {suite_cpu / floor_cpu:.2f}"
    )
    print(
        "\nslowest cells (median execution seconds; "
        "cell = index among code cells):"
    )
    print("\n".join(slowest_cells_table(suite_runs, labels, options.top)))
    print("\nsummed cell time per notebook (median; kernel start excluded):")
    print("\n".join(notebook_totals(suite_runs)))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (ValueError, BenchError) as error:
        raise SystemExit(f"bench: {error}") from None
