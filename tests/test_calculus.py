import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlmath.calculus import (
    central_difference_errors,
    numerical_gradient,
    numerical_hessian,
    numerical_jacobian,
)
from dlmath.checks import assert_close

dims = st.integers(min_value=1, max_value=6)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=40, deadline=None)
@given(m=dims, n=dims, seed=seeds)
def test_jacobian_of_linear_map_is_its_matrix(m, n, seed):
    rng = np.random.default_rng(seed)
    A, x = rng.standard_normal((m, n)), rng.standard_normal(n)
    J = numerical_jacobian(lambda v: A @ v, x)
    assert J.shape == (m, n)  # numerator layout: rows are outputs
    assert_close(J, A, rtol=1e-8)


@settings(max_examples=40, deadline=None)
@given(m=dims, n=dims, seed=seeds)
def test_jacobian_of_elementwise_nonlinearity_composed_with_linear_map(
    m, n, seed
):
    rng = np.random.default_rng(seed)
    A, x = rng.standard_normal((m, n)), rng.standard_normal(n)
    exact = np.diag(np.cos(A @ x)) @ A
    assert_close(numerical_jacobian(lambda v: np.sin(A @ v), x), exact)


@settings(max_examples=40, deadline=None)
@given(m=dims, n=dims, seed=seeds)
def test_gradient_of_bilinear_form_is_row_y_transpose_A(m, n, seed):
    rng = np.random.default_rng(seed)
    A, x, y = (
        rng.standard_normal((m, n)),
        rng.standard_normal(n),
        rng.standard_normal(m),
    )
    g = numerical_gradient(lambda v: y @ A @ v, x)
    assert g.shape == x.shape
    assert_close(g, y @ A, rtol=1e-8)


@settings(max_examples=25, deadline=None)
@given(n=dims, seed=seeds)
def test_hessian_of_quadratic_form_is_symmetrised_matrix(n, seed):
    rng = np.random.default_rng(seed)
    # Q not symmetric on purpose
    Q, x = rng.standard_normal((n, n)), rng.standard_normal(n)
    assert_close(numerical_hessian(lambda v: v @ Q @ v, x), Q + Q.T, rtol=1e-6)


def test_jacobian_by_a_matrix_has_output_shape_then_input_shape(rng):
    X = rng.standard_normal((2, 3))
    B = rng.standard_normal((3, 4))
    J = numerical_jacobian(lambda M: M @ B, X)
    assert J.shape == (2, 4, 2, 3)
    # d(XB)_{ik} / dX_{jl} = [i == j] B_{lk}
    exact = np.einsum("ij,lk->ikjl", np.eye(2), B)
    assert_close(J, exact, rtol=1e-8)


def test_jacobian_by_a_scalar_has_the_output_shape(rng):
    C = rng.standard_normal((2, 3))
    assert_close(
        numerical_jacobian(lambda t: np.exp(t) * C, 0.3), np.exp(0.3) * C
    )


def test_error_sweep_has_truncation_on_the_right_and_rounding_on_the_left():
    steps = np.array([1e-12, 1e-6, 1e-1])
    errors = central_difference_errors(np.exp, 1.0, np.exp(1.0), steps)
    assert errors[1] < errors[0]
    assert errors[1] < errors[2]


def test_error_sweep_of_the_hessian_uses_the_hessian_at_each_step(rng):
    x = rng.standard_normal(3)

    def f(v):
        return np.sin(v[0]) * v[1] ** 3 + np.exp(v[2] * v[0])

    # the sweep at step 1e-3 is then exactly this estimate: error 0
    exact = numerical_hessian(f, x, 1e-3)
    errors = central_difference_errors(
        f, x, exact, [1e-6, 1e-3, 1e-1], method=numerical_hessian
    )
    assert errors[1] == 0.0
    assert errors[0] > 1e-9
    assert errors[2] > 1e-9


def test_non_callable_is_a_type_error():
    with pytest.raises(TypeError, match="callable"):
        numerical_jacobian(np.ones(3), np.zeros(3))


@pytest.mark.parametrize(
    "eps, error",
    [(0.0, ValueError), (-1e-6, ValueError), (np.nan, ValueError)]
    + [("1e-6", TypeError), (True, TypeError)],
)
def test_bad_step_names_a_positive_finite_number(eps, error):
    with pytest.raises(error, match="eps must be a positive finite number"):
        numerical_jacobian(np.sin, np.zeros(2), eps=eps)


def test_non_finite_point_is_a_value_error():
    with pytest.raises(ValueError, match="x must hold only finite numbers"):
        numerical_jacobian(np.sin, np.array([0.0, np.nan]))


def test_function_that_leaves_the_domain_is_a_value_error():
    with (
        np.errstate(divide="ignore"),
        pytest.raises(ValueError, match=r"f\(x\) must hold only finite"),
    ):
        numerical_jacobian(np.log, np.array([0.0]))


def test_gradient_of_vector_function_is_a_value_error():
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda v: 2 * v, np.ones(3))
