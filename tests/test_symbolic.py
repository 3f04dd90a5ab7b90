import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from dlmath import symbolic as sym

dims = st.integers(min_value=1, max_value=4)


@settings(max_examples=20, deadline=None)
@given(m=dims, n=dims)
def test_jacobian_of_linear_map_is_numerator_layout(m, n):
    A, x = sym.matrix("a", m, n), sym.vector("x", n)
    assert sym.jacobian(A * x, x) == A


@settings(max_examples=10, deadline=None)
@given(m=dims, n=dims)
def test_matrix_symbol_derivative_is_the_transpose(m, n):
    A_expr, x_expr = sp.MatrixSymbol("A", m, n), sp.MatrixSymbol("x", n, 1)
    A, x = sym.matrix("a", m, n), sym.vector("x", n)
    same = dict(zip(A_expr.as_explicit(), A, strict=True))
    denominator = sp.Matrix((A_expr * x_expr).diff(x_expr).as_explicit()).subs(
        same
    )
    assert denominator == sym.jacobian(A * x, x).T


def test_scalar_derivative_is_a_row():
    x = sym.vector("x", 3)
    assert sym.jacobian((x.T * x)[0, 0], x).shape == (1, 3)


def test_chain_rule_for_generic_inner_function():
    z = sym.vector("z", 2)
    A, x = sym.matrix("a", 3, 4), sym.function_vector("x", 4, list(z))
    assert sym.is_zero(sym.jacobian(A * x, z) - A * sym.jacobian(x, z))


def test_inverse_derivative_identity_and_its_scalar_style_impostor():
    t = sp.Symbol("t")
    M = sym.function_matrix("a", 2, 2, t)
    rule = -M.inv() * M.diff(t) * M.inv()
    assert sym.is_zero(M.inv().diff(t) - rule)
    assert not sym.is_zero(M.inv().diff(t) + M.inv() ** 2 * M.diff(t))


@pytest.mark.parametrize(
    "bad, error", [(0, ValueError), (-1, ValueError), (2.5, TypeError)]
)
def test_bad_dimension_names_a_positive_integer(bad, error):
    with pytest.raises(error, match="rows must be a positive integer"):
        sym.matrix("a", bad, 2)


def test_jacobian_of_a_matrix_is_a_value_error():
    A, x = sym.matrix("a", 2, 3), sym.vector("x", 3)
    with pytest.raises(ValueError, match="scalar or a non-empty vector"):
        sym.jacobian(A * x * x.T, x)
