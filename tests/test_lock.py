"""The lock requirements.txt pins what requirements.in pins (`make lock`).

The rest of the lock is checked where it is used: the install's `uv pip
sync --require-hashes` refuses a pin without a hash and a file whose hash
differs, and `make lock` checks that every pin has a wheel for each
supported platform and Python.
"""

import re
from pathlib import Path

# PEP 503 names: `Jinja2`, `jinja2` and `jinja_2` are one package (packaging
# comes with pytest).
from packaging.utils import canonicalize_name as canonical

ROOT = Path(__file__).resolve().parents[1]
# name[extras]==version, then an optional environment marker.
PIN = re.compile(r"([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def direct_lines():
    text = (ROOT / "requirements.in").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def test_every_direct_dependency_is_pinned_exactly():
    assert [line for line in direct_lines() if not PIN.fullmatch(line)] == []


def test_the_lock_pins_what_requirements_in_pins():
    direct = {
        canonical(name): version
        for name, version in (
            PIN.match(line).groups() for line in direct_lines()
        )
    }
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    locked_as_direct = {}
    # One block per pin: `name==version ... \` at column 0, then its hashes
    # and uv's "# via" lines, "-r requirements.in" among them if direct.
    for block in re.split(r"\n(?=[^\s#])", text):
        pin = PIN.match(block)
        if pin and "-r requirements.in" in block:
            locked_as_direct[canonical(pin[1])] = pin[2]
    assert locked_as_direct == direct, "run `make lock`"
