"""JupyterLab's configuration for `make lab`: every save of a notebook goes
through the same metadata normalisation as `make outputs`, so that opening
a chapter and saving it leaves `git diff` empty (JupyterLab would otherwise
write the kernel's display name and Python version)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "dev"))
from execute_notebooks import normalise  # noqa: E402


def normalise_before_save(model, **kwargs):
    if model.get("type") == "notebook" and model.get("content"):
        normalise(model["content"])


c = get_config()  # noqa: F821 (defined by Jupyter's config loader)
c.FileContentsManager.pre_save_hook = normalise_before_save
# Offline like the rest of the book: no news feed, no update check, and
# the front end does not ask about them (dev/lab-settings/overrides.json).
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.app_settings_dir = str(ROOT / "dev" / "lab-settings")
