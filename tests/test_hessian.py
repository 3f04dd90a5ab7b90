import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlmath.calculus import numerical_gradient, numerical_hessian
from dlmath.checks import assert_close
from dlmath.hessian import (
    classify_stationary_point,
    loglog_slope,
    second_order_model,
)

dims = st.integers(min_value=1, max_value=6)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=40, deadline=None)
@given(n=dims, seed=seeds)
def test_model_of_a_quadratic_is_the_quadratic_itself(n, seed):
    rng = np.random.default_rng(seed)
    # Q not symmetric
    Q, b, x0 = (
        rng.standard_normal((n, n)),
        rng.standard_normal(n),
        rng.standard_normal(n),
    )

    def f(x):
        return x @ Q @ x + b @ x + 1.5

    model = second_order_model(f(x0), Q @ x0 + Q.T @ x0 + b, Q + Q.T, x0)
    points = rng.standard_normal((5, 3, n)) * 3.0  # a batch of far-away points
    assert_close(
        model(points),
        np.array([[f(p) for p in row] for row in points]),
        rtol=1e-10,
    )


def test_model_matches_value_gradient_and_hessian_at_the_expansion_point(rng):
    x0 = rng.standard_normal(3)
    g, H = rng.standard_normal(3), rng.standard_normal((3, 3))
    model = second_order_model(0.7, g, H, x0)
    assert model(x0) == 0.7
    assert_close(numerical_gradient(model, x0), g)
    # only the symmetric part
    assert_close(
        numerical_hessian(model, x0), H + H.T - (H + H.T) / 2, rtol=1e-6
    )


def test_model_error_of_a_cubic_shrinks_with_slope_three(rng):
    c = rng.standard_normal(2)
    x0, direction = rng.standard_normal(2), rng.standard_normal(2)

    def f(x):
        # one point (2,) or a batch (k, 2)
        return np.exp(x[..., 0]) * np.sin(x[..., 1]) + (x @ c) ** 3

    model = second_order_model(
        f(x0), numerical_gradient(f, x0), numerical_hessian(f, x0), x0
    )
    radii = np.logspace(-2, -1, 6)
    points = x0 + radii[:, None] * direction
    errors = np.abs(f(points) - model(points))
    assert 2.8 < loglog_slope(radii, errors) < 3.2


@settings(max_examples=30, deadline=None)
@given(
    p=st.floats(min_value=-3, max_value=5),
    c=st.floats(min_value=1e-3, max_value=1e3),
)
def test_loglog_slope_recovers_the_power(p, c):
    x = np.logspace(-3, 0, 7)
    assert loglog_slope(x, c * x**p) == pytest.approx(p, abs=1e-9)


def test_bad_shapes_are_rejected():
    with pytest.raises(ValueError, match="hessian"):
        second_order_model(1.0, np.zeros(2), np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="scalar"):
        second_order_model(
            np.zeros(2), np.zeros(2), np.zeros((2, 2)), np.zeros(2)
        )
    model = second_order_model(1.0, np.zeros(2), np.eye(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
        model(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="positive"):
        loglog_slope([1.0, 2.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="length"):
        loglog_slope([1.0, 2.0], [1.0])


@pytest.mark.parametrize(
    "hessian, kind",
    [
        (np.diag([1.0, 2.0]), "minimum"),
        (np.diag([-1.0, -3.0]), "maximum"),
        (np.array([[0.0, 1.0], [1.0, 0.0]]), "saddle"),
        (np.diag([1.0, 0.0]), "degenerate"),
        (np.diag([-1.0, 0.0]), "degenerate"),
        (np.zeros((2, 2)), "degenerate"),
        # opposite signs decide it whatever the zero eigenvalue
        (np.diag([1.0, 0.0, -1.0]), "saddle"),
        (np.array([[6.0, 3.0], [3.0, 0.0]]), "saddle"),
    ],
)
def test_classification_of_known_hessians(hessian, kind):
    assert classify_stationary_point(hessian) == kind


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (np.ones((2, 3)), ValueError, "non-empty square matrix"),
        (np.ones(2), ValueError, "non-empty square matrix"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), ValueError, "symmetric"),
        (np.array([[np.nan, 0.0], [0.0, 1.0]]), ValueError, "finite"),
        ("not a matrix", TypeError, "real number"),
        (np.zeros((0, 0)), ValueError, "must not be empty"),
    ],
)
def test_classification_rejects_bad_hessians(bad, error, message):
    with pytest.raises(error, match=f"^hessian .*{message}"):
        classify_stationary_point(bad)


@pytest.mark.parametrize("tol", [-1e-9, 1.0, float("nan")])
def test_classification_rejects_bad_tolerance(tol):
    with pytest.raises(ValueError, match=r"tol must be a number in \[0, 1\)"):
        classify_stationary_point(np.eye(2), tol=tol)


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(-10, 10),
    b=st.floats(-10, 10),
    c=st.floats(-10, 10),
)
def test_classification_of_2x2_hessians_follows_the_determinant_test(a, b, c):
    hessian = np.array([[a, b], [b, c]])
    determinant = a * c - b * b
    # away from det = 0, where rounding could flip the sign of an eigenvalue
    if abs(determinant) < 1e-6 * max(1.0, a * a + 2 * b * b + c * c):
        return
    expected = (
        "saddle" if determinant < 0 else ("minimum" if a > 0 else "maximum")
    )
    assert classify_stationary_point(hessian) == expected
