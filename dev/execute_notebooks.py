"""Re-execute notebooks in place so that their stored outputs are what the
code produces.

Run through `make outputs`. Two runs in a row give byte-identical files:
timing metadata is not recorded, the kernel gets a fixed hash seed, and the
JSON is written in one fixed form.
"""

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def coalesce_streams(cell) -> None:
    """Merge consecutive stdout (or stderr) chunks: the kernel splits prints
    at arbitrary points."""
    merged = []
    for output in cell.get("outputs", []):
        if (
            merged
            and output.output_type == "stream"
            and merged[-1].output_type == "stream"
            and merged[-1].name == output.name
        ):
            merged[-1].text += output.text
        else:
            merged.append(output)
    cell.outputs = merged


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        # wall-clock timestamps would make every run differ
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(
        env={
            **os.environ,
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        }
    )
    for index, cell in enumerate(nb.cells):
        # authoring tools assign random ids; keep diffs to what changed
        cell.id = f"cell-{index}"
        if cell.cell_type == "code":
            coalesce_streams(cell)
    normalise(nb)
    nbformat.write(nb, path)


def normalise(nb) -> None:
    """Only the metadata the book needs: no authoring-tool metadata, no
    Python version of the machine. JupyterLab's saves go through this too
    (dev/jupyter_lab_config.py), so opening and saving a chapter in `make
    lab` leaves it unchanged."""
    nb["metadata"] = nbformat.from_dict(
        {
            "kernelspec": {
                "display_name": "Python 3",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        }
    )


def main(paths: list[str]) -> None:
    if not paths:
        raise SystemExit("usage: execute_notebooks.py NOTEBOOK.ipynb ...")
    for p in paths:
        print(f"executing {p}", flush=True)
        execute(Path(p))


if __name__ == "__main__":
    main(sys.argv[1:])
