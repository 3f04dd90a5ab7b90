"""The Beale module: derivatives against central differences, the minimum
and the saddle, outcomes, bad arguments."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlmath.beale import (
    GLOBAL_MINIMUM,
    SADDLE_LEVEL,
    beale,
    beale_gradient,
    beale_hessian,
    outcomes,
)
from dlmath.calculus import numerical_gradient, numerical_hessian
from dlmath.checks import relative_error
from dlmath.hessian import classify_stationary_point

coordinate = st.floats(-2.5, 2.5, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(coordinate, coordinate)
def test_gradient_matches_central_differences(x, y):
    point = np.array([x, y])
    analytic, numeric = beale_gradient(point), numerical_gradient(beale, point)
    # Central differences err by about 1e-16 F / eps + eps^2 F'''
    # (eps = 1e-6), i.e. absolutely, not relatively, near points where the
    # gradient vanishes: compare against the size of F as well.
    assert np.abs(analytic - numeric).max() <= 1e-7 * (
        1 + np.abs(analytic).max() + beale(point)
    )


@settings(max_examples=40, deadline=None)
@given(coordinate, coordinate)
def test_hessian_matches_central_differences(x, y):
    point = np.array([x, y])
    analytic, numeric = beale_hessian(point), numerical_hessian(beale, point)
    # Nested differences with eps = 1e-4: rounding ~ 1e-16 F / eps^2
    # = 1e-8 F, truncation ~ eps^2 F'''' ~ 1e-8 |F''''|.
    assert np.abs(analytic - numeric).max() <= 1e-5 * (
        1 + np.abs(analytic).max() + beale(point)
    )


def test_hessian_is_symmetric_and_the_jacobian_of_the_gradient(rng):
    points = rng.uniform(-3, 3, size=(5, 2))
    hessians = beale_hessian(points)
    assert np.array_equal(hessians, np.swapaxes(hessians, -1, -2))
    for point, hessian in zip(points, hessians, strict=True):
        jacobian = np.stack(
            [
                (beale_gradient(point + h) - beale_gradient(point - h)) / 2e-6
                for h in 1e-6 * np.eye(2)
            ],
            -1,
        )
        assert relative_error(jacobian, hessian) < 1e-6


def test_inlined_gradient_is_bitwise_the_residual_form(rng):
    # beale_gradient is inlined for speed; seeded optimiser runs in the
    # chapter depend on it giving exactly the bits of 2 sum r_i grad r_i as
    # built by _residuals.
    from dlmath.beale import _dot, _residuals

    points = rng.uniform(-4.5, 4.5, size=(50, 2))
    r, r_x, r_y, _, _ = _residuals(points)
    expected = np.stack([2 * _dot(r, r_x), 2 * _dot(r, r_y)], axis=-1)
    assert np.array_equal(beale_gradient(points), expected)


def test_functions_are_vectorised_over_leading_axes(rng):
    points = rng.uniform(-3, 3, size=(4, 3, 2))
    assert beale(points).shape == (4, 3)
    assert beale_gradient(points).shape == (4, 3, 2)
    assert beale_hessian(points).shape == (4, 3, 2, 2)
    assert np.array_equal(
        beale_gradient(points)[2, 1], beale_gradient(points[2, 1])
    )


def test_formula_by_direct_evaluation(rng):
    x, y = rng.uniform(-3, 3, size=2)
    # the coefficients of the problem statement, typed again on purpose
    direct = (
        (1.5 - x + x * y) ** 2
        + (2.25 - x + x * y**2) ** 2
        + (2.625 - x + x * y**3) ** 2
    )
    assert beale([x, y]) == pytest.approx(direct, rel=1e-12)


def test_global_minimum_has_zero_value_and_gradient_and_is_a_minimum():
    assert beale(GLOBAL_MINIMUM) == 0.0
    assert np.array_equal(beale_gradient(GLOBAL_MINIMUM), [0.0, 0.0])
    assert (
        classify_stationary_point(beale_hessian(GLOBAL_MINIMUM)) == "minimum"
    )


def test_lines_x0_and_y1_are_level_lines_through_the_saddle(rng):
    t = rng.uniform(-4, 4, size=10)
    assert np.allclose(
        beale(np.stack([np.zeros(10), t], -1)), SADDLE_LEVEL, rtol=1e-15
    )
    assert np.allclose(
        beale(np.stack([t, np.ones(10)], -1)), SADDLE_LEVEL, rtol=1e-15
    )
    assert np.array_equal(beale_gradient([0.0, 1.0]), [0.0, 0.0])
    assert classify_stationary_point(beale_hessian([0.0, 1.0])) == "saddle"


@pytest.mark.parametrize("bad", [np.ones(3), np.ones((4, 3)), 1.0])
def test_points_must_have_a_last_axis_of_two(bad):
    for f in (beale, beale_gradient, beale_hessian):
        with pytest.raises(ValueError, match=r"\(\.\.\., 2\)"):
            f(bad)


def test_points_must_be_numbers():
    with pytest.raises(TypeError, match="points must be a real number"):
        beale_gradient([["a", "b"]])


def test_diverged_points_give_non_finite_values_without_warnings():
    with np.errstate(all="raise"):
        assert not np.isfinite(beale([np.inf, 2.0]))
        assert not np.all(np.isfinite(beale_gradient([1e200, 1e200])))


def test_diverged_points_pass_the_checks_and_are_labelled_diverged():
    # the one place nan is accepted: an optimiser's iterates
    assert np.isnan(beale([np.nan, 1.0]))
    assert outcomes(np.array([[np.nan, 1.0], [np.inf, 0.0]])).tolist() == [
        "diverged",
        "diverged",
    ]


def test_outcomes_labels_each_final_point():
    final = np.array(
        [
            [3.0, 0.5005],
            [np.nan, 0.0],
            [2e3, 0.0],
            [-20.0, 1.05],
            [1.0, -1.0],
            [-1.0, 4.0],
        ]
    )
    assert outcomes(final).tolist() == [
        "minimum",
        "diverged",
        "diverged",
        "escaping",
        "elsewhere",
        "elsewhere",
    ]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"tol": 0.0}, "tol must be a positive finite number"),
        ({"bound": -1.0}, "bound must be a positive finite number"),
        ({"target": [1.0, 2.0, 3.0]}, r"target must have shape \(\.\.\., 2\)"),
    ],
)
def test_outcomes_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        outcomes(np.zeros((3, 2)), **kwargs)
