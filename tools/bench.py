"""Time the notebook suite against its floor, in one run.

The floor is the same number of notebooks that only import numpy, sympy and matplotlib, run
under the same nbval flags: it is what kernel start-up and imports cost by themselves. The
ratio suite / floor says how much the chapters' own work adds. Target: at most 1.5.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NBVAL = [
    "--nbval",
    "--nbval-current-env",
    "--nbval-sanitize-with",
    "tests/sanitize.cfg",
    "-n",
    "2",
    "--dist",
    "loadscope",
    "-q",
    "-p",
    "no:cacheprovider",
]
FLOOR_SOURCE = (
    "import matplotlib.pyplot as plt\nimport numpy as np\nimport sympy as sp"
)


def floor_notebooks(count: int, folder: Path) -> list[str]:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    )
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3",
            "language": "python",
            "name": "python3",
        }
    }
    # stored outputs, as for the chapters
    NotebookClient(nb, kernel_name="python3").execute()
    paths = []
    for i in range(count):
        path = folder / f"floor_{i:02d}.ipynb"
        nbformat.write(nb, path)
        paths.append(str(path))
    return paths


def timed(paths: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", *paths, *NBVAL, "--rootdir", "."],
        check=True,
    )
    return time.perf_counter() - start


def main(notebooks: list[str]) -> None:
    if not notebooks:
        raise SystemExit("usage: bench.py NOTEBOOK.ipynb ...")
    with tempfile.TemporaryDirectory() as tmp:
        floor = timed(floor_notebooks(len(notebooks), Path(tmp)))
        suite = timed(notebooks)
    print(f"notebooks: {len(notebooks)}")
    print(
        f"suite: {suite:.1f} s   floor (imports only): {floor:.1f} s   ratio: {suite / floor:.2f} (target <= 1.5)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
