"""Check that the lock requirements.txt agrees with requirements.in.

Usage: python3 tools/check_lock.py [--direct requirements.in]
                                   [--lock requirements.txt]

requirements.in lists the direct dependencies, each pinned exactly;
requirements.txt is generated from it by `make lock` (uv pip compile
--generate-hashes). They disagree when a pin was edited, added or removed
in one file and the lock was not regenerated. Checked, offline and with the
standard library only (it runs before anything is installed):
  * every direct pin is in the lock, at that version, as a direct pin;
  * every package the lock says came from requirements.in is still there;
  * every pin of the lock is exact and carries at least one sha256 hash.
Exits 1 with one line per disagreement, 0 with a one-line summary.
"""

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECT_SOURCE = "-r requirements.in"

# name[extras]==version, then an optional environment marker.
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?"
    r"\s*==\s*(?P<version>[^\s;\\]+)\s*(?:;[^\\]*)?\\?$"
)
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


@dataclass
class LockEntry:
    name: str
    version: str
    hashes: int = 0
    sources: list[str] = field(default_factory=list)


def canonical(name: str) -> str:
    """PEP 503 name: `Jinja2`, `jinja2` and `jinja_2` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_direct(text: str) -> dict[str, str]:
    """requirements.in -> {canonical name: version}; only exact pins."""
    pins = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        if not match:
            raise ValueError(
                f"requirements.in line {number}: expected an exact pin "
                f"`name==version`, got {raw.strip()!r}"
            )
        pins[canonical(match["name"])] = match["version"]
    return pins


def parse_lock(text: str) -> list[LockEntry]:
    """requirements.txt as written by uv pip compile --generate-hashes."""
    entries: list[LockEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if raw[0] not in " #":
            match = PIN.match(stripped)
            if not match:
                raise ValueError(
                    f"requirements.txt line {number}: expected an exact "
                    f"pin `name==version`, got {stripped!r}"
                )
            entries.append(
                LockEntry(canonical(match["name"]), match["version"])
            )
        elif entries and stripped.startswith("--hash="):
            entries[-1].hashes += len(HASH.findall(stripped))
        elif entries and raw.startswith("    #"):
            # "# via a", or "# via" followed by one "#   a" line per source.
            source = stripped.lstrip("#").strip()
            source = source.removeprefix("via").strip()
            if source:
                entries[-1].sources.append(source)
    return entries


def disagreements(direct_text: str, lock_text: str) -> list[str]:
    """Every way the lock and the direct list disagree, one line each."""
    direct = parse_direct(direct_text)
    entries = parse_lock(lock_text)
    if not entries:
        return ["requirements.txt pins no package"]
    problems = []
    locked: dict[str, set[str]] = {}
    # uv annotates each pin with where it came from: "-r requirements.in".
    from_direct = set()
    for entry in entries:
        locked.setdefault(entry.name, set()).add(entry.version)
        if DIRECT_SOURCE in entry.sources:
            from_direct.add(entry.name)
        if entry.hashes == 0:
            problems.append(f"{entry.name}=={entry.version} has no hash")
        if DIRECT_SOURCE in entry.sources and entry.name not in direct:
            problems.append(
                f"{entry.name} is in the lock as a direct dependency but "
                f"not in requirements.in"
            )
    for name, version in sorted(direct.items()):
        if name not in locked:
            problems.append(
                f"{name}=={version} is in requirements.in but not locked"
            )
        elif locked[name] != {version}:
            found = ", ".join(sorted(locked[name]))
            problems.append(
                f"{name}: requirements.in pins {version}, the lock {found}"
            )
        elif name not in from_direct:
            problems.append(
                f"{name}=={version} is in requirements.in but the lock "
                f"has it only as an indirect dependency"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--direct", type=Path, default=ROOT / "requirements.in"
    )
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.txt")
    args = parser.parse_args(argv)
    direct_text = args.direct.read_text()
    lock_text = args.lock.read_text()
    try:
        problems = disagreements(direct_text, lock_text)
    except ValueError as error:
        problems = [str(error)]
    if problems:
        print(
            f"{args.lock.name} disagrees with {args.direct.name}:",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print("Regenerate the lock with `make lock`.", file=sys.stderr)
        return 1
    packages = {entry.name for entry in parse_lock(lock_text)}
    print(
        f"{args.lock.name} agrees with {args.direct.name}: "
        f"{len(parse_direct(direct_text))} direct pins, "
        f"{len(packages)} locked packages, every pin hashed"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
