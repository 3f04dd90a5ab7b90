"""The unit tests follow a convention that makes a failure say what failed:
every ``pytest.raises`` names the message it expects (``match``). (The
other, no ``assert`` joining two checks with ``and``, is ruff's PT018,
selected for tests/ in pyproject.toml. Ruff's PT011 would not do for this
one: it lets a tuple of exceptions through without a match.)"""

import ast
from pathlib import Path

import pytest

TESTS = sorted(Path(__file__).resolve().parent.rglob("test_*.py"))


def _is_raises(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "raises"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "pytest"
    )


@pytest.mark.parametrize("path", TESTS, ids=lambda p: p.name)
def test_every_pytest_raises_has_a_match(path):
    missing = [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if _is_raises(node)
        and "match" not in {keyword.arg for keyword in node.keywords}
    ]
    assert missing == [], (
        f"{path.name}: pytest.raises without match: {missing}"
    )
