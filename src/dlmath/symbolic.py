"""sympy helpers: explicit symbolic matrices (immutable, so they can key a
substitution) and derivatives in numerator layout.

sympy has two derivatives of matrix expressions, in opposite layouts:
``MatrixSymbol`` expressions differentiate in *denominator* layout
(``(A*x).diff(x) == A.T``), while ``Matrix.jacobian`` is *numerator* layout
(rows are outputs). This book uses numerator layout; :func:`jacobian` is the
one to call.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from .checks import _show, as_count, as_flag, as_text

__all__ = [
    "matrix",
    "vector",
    "function_vector",
    "function_matrix",
    "jacobian",
    "is_zero",
]


def _check_dims(**dims: int) -> None:
    for name, value in dims.items():
        as_count(value, name, 1)


def _check_assumptions(assumptions: dict) -> None:
    # sympy would take real="yes" as true
    for key, value in assumptions.items():
        as_flag(value, f"assumptions[{key!r}]")


def _check_symbols(values, name: str) -> list:
    """``values`` as a list of what sympy differentiates by: symbols and
    applied undefined functions."""
    if isinstance(values, sp.Basic) and not isinstance(values, sp.MatrixBase):
        values = [values]
    if not isinstance(values, (list, tuple, sp.MatrixBase)):
        raise TypeError(
            f"{name} must be a sympy symbol or a list of them, "
            f"got {_show(values)}"
        )
    if isinstance(values, sp.MatrixBase):
        if 1 not in values.shape:
            raise ValueError(
                f"{name} must be a vector, "
                f"got a {values.shape[0]}x{values.shape[1]} matrix"
            )
        values = list(values)
    if len(values) == 0:
        raise ValueError(f"{name} must not be empty")
    for i, value in enumerate(values):
        if not isinstance(value, (sp.Symbol, sp.core.function.AppliedUndef)):
            raise TypeError(
                f"{name} must hold sympy symbols (or undefined functions), "
                f"entry {i} is {_show(value)}"
            )
    return list(values)


def _check_expression(value, name: str):
    """``value`` if sympy can differentiate it: a sympy expression or
    matrix, or a Python number; not a string (which sympy would parse)."""
    if isinstance(value, (sp.Basic, sp.MatrixBase)) or (
        isinstance(value, (int, float)) and not isinstance(value, bool)
    ):
        return value
    raise TypeError(
        f"{name} must be a sympy expression or matrix, got {_show(value)}"
    )


def matrix(
    name: str, rows: int, cols: int, **assumptions
) -> sp.ImmutableMatrix:
    """An explicit ``rows x cols`` matrix of scalar symbols ``name_{ij}``
    (indices from 1)."""
    as_text(name, "name")
    _check_dims(rows=rows, cols=cols)
    _check_assumptions(assumptions)
    return sp.ImmutableMatrix(
        rows,
        cols,
        lambda i, j: sp.Symbol(f"{name}_{{{i + 1}{j + 1}}}", **assumptions),
    )


def vector(name: str, n: int, **assumptions) -> sp.ImmutableMatrix:
    """An explicit ``n x 1`` column of scalar symbols ``name_i``."""
    as_text(name, "name")
    _check_dims(n=n)
    _check_assumptions(assumptions)
    return sp.ImmutableMatrix(
        n, 1, lambda i, _: sp.Symbol(f"{name}_{i + 1}", **assumptions)
    )


def function_vector(
    name: str, n: int, args: Sequence[sp.Symbol]
) -> sp.ImmutableMatrix:
    """An ``n x 1`` column of *undefined* functions ``name_i(args)``: a
    generic vector function of ``args``."""
    as_text(name, "name")
    _check_dims(n=n)
    args = _check_symbols(args, "args")
    return sp.ImmutableMatrix(
        n, 1, lambda i, _: sp.Function(f"{name}_{i + 1}")(*args)
    )


def function_matrix(
    name: str, rows: int, cols: int, arg: sp.Symbol
) -> sp.ImmutableMatrix:
    """A ``rows x cols`` matrix of undefined functions ``name_{ij}(arg)``: a
    generic matrix function of ``arg``."""
    as_text(name, "name")
    _check_dims(rows=rows, cols=cols)
    if not isinstance(arg, sp.Symbol):
        raise TypeError(f"arg must be a sympy Symbol, got {_show(arg)}")
    return sp.ImmutableMatrix(
        rows, cols, lambda i, j: sp.Function(f"{name}_{{{i + 1}{j + 1}}}")(arg)
    )


def jacobian(outputs, variables) -> sp.Matrix:
    """Numerator-layout derivative: entry ``(i, j)`` is
    ``∂ outputs_i / ∂ variables_j``.

    A scalar output gives a ``1 x n`` row; outputs and variables may be
    columns, rows or lists.

    Examples
    --------
    >>> A, x = matrix("A", 2, 3), vector("x", 3)
    >>> jacobian(A * x, x) == A
    True
    """
    if isinstance(outputs, (list, tuple)):
        for i, entry in enumerate(outputs):
            _check_expression(entry, f"outputs[{i}]")
        out = sp.Matrix(outputs)
    else:
        out = sp.Matrix([_check_expression(outputs, "outputs")])
        if isinstance(outputs, sp.MatrixBase):
            out = sp.Matrix(outputs)
    if 1 not in out.shape or len(out) == 0:
        raise ValueError(
            "outputs must be a scalar or a non-empty vector, "
            f"got a {out.shape[0]}x{out.shape[1]} matrix"
        )
    var = sp.Matrix(_check_symbols(variables, "variables"))
    return out.reshape(len(out), 1).jacobian(var)


def is_zero(expr) -> bool:
    """True when ``expr`` (a scalar or a matrix) is identically zero.

    ``cancel`` first: it treats every function application as an unknown and
    decides rational identities exactly and fast; ``simplify`` only for what
    cancel leaves.
    """
    entries = (
        expr
        if isinstance(expr, sp.MatrixBase)
        else [_check_expression(expr, "expr")]
    )
    return all(sp.cancel(e) == 0 or sp.simplify(e) == 0 for e in entries)
