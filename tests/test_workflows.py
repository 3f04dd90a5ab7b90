"""The GitHub Actions workflows are valid against GitHub's schema, offline.

`make test` runs check-jsonschema on every workflow; this shows that the
check rejects a broken one (a misspelled key), so its "ok" means something.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# check-jsonschema is installed next to this interpreter (the venv's bin).
CHECKER = Path(sys.executable).parent / "check-jsonschema"


def test_there_are_workflows():
    assert WORKFLOWS, "no workflow under .github/workflows"


def test_a_misspelled_key_is_rejected(tmp_path):
    source = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    assert "    runs-on: " in source
    broken = tmp_path / "book.yml"
    broken.write_text(source.replace("    runs-on: ", "    run-on: ", 1))
    result = subprocess.run(
        [CHECKER, "--builtin-schema", "vendor.github-workflows", broken],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout
