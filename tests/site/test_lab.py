"""`make lab` in a real browser: JupyterLab (as root here, so with
--allow-root) renders the chapters' MyST with jupyterlab-myst, runs chapter 4
without an error, and a save without a change leaves the repository clean.
After Run All (twice) and a save, the notebook test names `make outputs`,
and that restores the committed file. About 1.5 minutes on 2 cores."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "chapters" / "04_backprop.ipynb"
SCREENSHOT = ROOT / "_build" / "screenshots" / "lab-04_backprop.png"
TOKEN = "dlmath-lab-test"
SETTINGS = {
    # every cell in the page, so that the checks below see all of them
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # nothing written behind the test's back
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    settings = tmp_path_factory.mktemp("lab-settings")
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    args = f"--no-browser --port {port} --IdentityProvider.token={TOKEN}"
    server = subprocess.Popen(
        ["make", "-s", "lab", f"LAB_ARGS={args} --ServerApp.ip=127.0.0.1"],
        cwd=ROOT,
        env={
            **os.environ,
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(settings / "workspaces"),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, ended below by its id
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            urlopen(f"{url}api/status?token={TOKEN}")
            break
        except OSError:
            assert server.poll() is None, "make lab exited"
            time.sleep(0.5)
    original = CHAPTER.read_bytes()
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    CHAPTER.write_bytes(original)


def save(page):
    before = CHAPTER.stat().st_mtime_ns
    page.keyboard.press("Control+s")
    for _ in range(100):
        time.sleep(0.5)
        now = CHAPTER.stat().st_mtime_ns
        # saved, and finished (the JSON and its last newline are two writes)
        if now != before and now == CHAPTER.stat().st_mtime_ns:
            time.sleep(0.5)
            if CHAPTER.stat().st_mtime_ns == now:
                return
    raise AssertionError("JupyterLab did not save the notebook")


def git_diff():
    return subprocess.run(
        ["git", "diff", "--", CHAPTER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_lab_renders_runs_and_saves_clean(lab, browser):
    assert git_diff() == "", "commit or restore chapter 4 first"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{lab}lab/tree/{CHAPTER.name}?token={TOKEN}")
    notebook = page.locator(".jp-NotebookPanel:visible .jp-Notebook")
    idle = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    idle.wait_for(timeout=60_000)
    notebook.click()
    # the kernel's info arrives after idle; JupyterLab then updates metadata
    page.wait_for_timeout(3000)

    # opened and saved unchanged: nothing to commit
    save(page)
    diff = git_diff()
    assert not diff, diff

    prompts = notebook.locator(".jp-CodeCell .jp-InputPrompt")
    code_cells = sum(
        c["cell_type"] == "code"
        for c in json.loads(CHAPTER.read_text())["cells"]
    )
    # Run All twice, as a reader who changed something and ran it again
    for run in (1, 2):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.locator('[data-command="runmenu:run-all"]').click()
        page.wait_for_function(
            """([n, run]) => [...document.querySelectorAll(
                  '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')]
                  .filter(p => (p.textContent.match(/\\[(\\d+)\\]/) || [])[1]
                               > (run - 1) * n).length === n""",
            arg=[code_cells, run],
            timeout=180_000,
        )
    assert prompts.count() == code_cells
    errors = notebook.locator(
        '[data-mime-type="application/vnd.jupyter.stderr"]'
    )
    assert errors.count() == 0, errors.all_inner_texts()
    text = notebook.inner_text()
    assert "{exercise}" not in text
    assert "{eq}`" not in text
    # jupyterlab-myst: the exercise blocks and typeset maths
    assert notebook.locator(".myst .exercise, .myst aside").count() > 0 or (
        "Exercise" in text
    )
    assert notebook.locator("mjx-container").count() > 0
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    notebook.locator(".jp-MarkdownCell").nth(6).scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT)

    # Run All and save: the notebook test fails and names the command
    save(page)
    page.close()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_notebooks.py", "-q"]
        + ["-k", "executed_once and 04_backprop", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stdout[-2000:]
    assert "not one clean run" in run.stdout, run.stdout[-2000:]
    assert "restore a clean run with: make outputs" in run.stdout
    # what make outputs does for this notebook restores the committed file
    subprocess.run(
        [sys.executable, "dev/execute_notebooks.py", CHAPTER],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert git_diff() == ""
