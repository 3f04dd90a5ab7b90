"""Re-execute notebooks in place so that their stored outputs are what the
code produces.

Run through `make outputs`. Two runs in a row give byte-identical files:
timing metadata is not recorded, the kernel gets a fixed hash seed, and the
JSON is written in one fixed form.
"""

import os
import sys

import nbformat
from nbclient import NotebookClient


def execute(path: str) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        # wall-clock timestamps would make every run differ
        record_timing=False,
        # the kernel splits prints at arbitrary points; merged as nbval does
        coalesce_streams=True,
        resources={"metadata": {"path": os.path.dirname(path) or "."}},
    ).execute(
        env={
            **os.environ,
            "PYTHONHASHSEED": "0",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        }
    )
    for index, cell in enumerate(nb.cells):
        # authoring tools assign random ids; keep diffs to what changed
        cell.id = f"cell-{index}"
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


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: execute_notebooks.py NOTEBOOK.ipynb ...")
    for path in sys.argv[1:]:
        print(f"executing {path}", flush=True)
        execute(path)
