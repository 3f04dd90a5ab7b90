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

from .checks import as_count


def _check_dims(**dims: int) -> None:
    for name, value in dims.items():
        as_count(value, name, 1)


def matrix(
    name: str, rows: int, cols: int, **assumptions
) -> sp.ImmutableMatrix:
    """An explicit ``rows x cols`` matrix of scalar symbols ``name_{ij}``
    (indices from 1)."""
    _check_dims(rows=rows, cols=cols)
    return sp.ImmutableMatrix(
        rows,
        cols,
        lambda i, j: sp.Symbol(f"{name}_{{{i + 1}{j + 1}}}", **assumptions),
    )


def vector(name: str, n: int, **assumptions) -> sp.ImmutableMatrix:
    """An explicit ``n x 1`` column of scalar symbols ``name_i``."""
    _check_dims(n=n)
    return sp.ImmutableMatrix(
        n, 1, lambda i, _: sp.Symbol(f"{name}_{i + 1}", **assumptions)
    )


def function_vector(
    name: str, n: int, args: Sequence[sp.Symbol]
) -> sp.ImmutableMatrix:
    """An ``n x 1`` column of *undefined* functions ``name_i(args)``: a
    generic vector function of ``args``."""
    _check_dims(n=n)
    return sp.ImmutableMatrix(
        n, 1, lambda i, _: sp.Function(f"{name}_{i + 1}")(*args)
    )


def function_matrix(
    name: str, rows: int, cols: int, arg: sp.Symbol
) -> sp.ImmutableMatrix:
    """A ``rows x cols`` matrix of undefined functions ``name_{ij}(arg)``: a
    generic matrix function of ``arg``."""
    _check_dims(rows=rows, cols=cols)
    return sp.ImmutableMatrix(
        rows, cols, lambda i, j: sp.Function(f"{name}_{{{i + 1}{j + 1}}}")(arg)
    )


def jacobian(outputs, variables) -> sp.Matrix:
    """Numerator-layout derivative: entry ``(i, j)`` is
    ``∂ outputs_i / ∂ variables_j``.

    A scalar output gives a ``1 x n`` row; outputs and variables may be
    columns, rows or lists.
    """
    out = (
        sp.Matrix([outputs])
        if not isinstance(outputs, (sp.MatrixBase, list, tuple))
        else sp.Matrix(outputs)
    )
    var = sp.Matrix(variables)
    if 1 not in out.shape:
        raise ValueError(
            "outputs must be a scalar or a vector, "
            f"got a {out.shape[0]}x{out.shape[1]} matrix"
        )
    if 1 not in var.shape:
        raise ValueError(
            "variables must be a vector, "
            f"got a {var.shape[0]}x{var.shape[1]} matrix"
        )
    return out.reshape(len(out), 1).jacobian(var.reshape(len(var), 1))


def is_zero(expr) -> bool:
    """True when ``expr`` (a scalar or a matrix) is identically zero.

    ``cancel`` first: it treats every function application as an unknown and
    decides rational identities exactly and fast; ``simplify`` only for what
    cancel leaves.
    """
    entries = expr if isinstance(expr, sp.MatrixBase) else [expr]
    return all(sp.cancel(e) == 0 or sp.simplify(e) == 0 for e in entries)
