"""The unit tests follow two conventions that make a failure say what
failed: every ``pytest.raises`` names the message it expects (``match``),
and no ``assert`` joins two checks with ``and`` (split, each half fails on
its own line)."""

import ast
from pathlib import Path

import pytest

TESTS = sorted(Path(__file__).resolve().parent.rglob("test_*.py"))


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(), filename=str(path))


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
        for node in ast.walk(_tree(path))
        if _is_raises(node)
        and "match" not in {keyword.arg for keyword in node.keywords}
    ]
    assert missing == [], (
        f"{path.name}: pytest.raises without match: {missing}"
    )


@pytest.mark.parametrize("path", TESTS, ids=lambda p: p.name)
def test_no_assert_joins_two_checks_with_and(path):
    compound = [
        node.lineno
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Assert)
        and isinstance(node.test, ast.BoolOp)
        and isinstance(node.test.op, ast.And)
    ]
    assert compound == [], f"{path.name}: assert a and b, lines {compound}"
