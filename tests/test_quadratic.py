import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlmath.calculus import numerical_gradient
from dlmath.optimizers import GradientDescent, run
from dlmath.quadratic import (
    BOUNDARY,
    DIVERGING,
    MONOTONE,
    ONE_STEP,
    OSCILLATING,
    check_spd,
    classify_step,
    classify_trajectory,
    convergence_rate,
    gd_errors,
    minimiser,
    optimal_rate,
    optimal_step,
    quadratic_from_eigenvalues,
    quadratic_grad_fn,
    quadratic_value,
    random_orthogonal,
    slowest_direction,
)

eigenvalue_lists = st.lists(st.floats(0.1, 10.0), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    eigenvalues=eigenvalue_lists,
    fraction=st.floats(0.05, 0.99),
    batch=st.integers(1, 5),
    steps=st.integers(0, 25),
)
def test_closed_form_matches_gradient_descent_run(
    seed, eigenvalues, fraction, batch, steps
):
    rng = np.random.default_rng(seed)
    Q, _ = quadratic_from_eigenvalues(eigenvalues, rng)
    n = len(eigenvalues)
    c = rng.standard_normal(n)
    # inside the stability interval, so nothing overflows
    lr = fraction * 2 / max(eigenvalues)
    x0 = rng.standard_normal((batch, n))
    trajectory = run(
        GradientDescent(lr=lr), quadratic_grad_fn(Q, c), x0, steps
    )
    x_star = minimiser(Q, c)
    expected = gd_errors(Q, x0 - x_star, lr, steps)
    assert expected.shape == trajectory.shape
    np.testing.assert_allclose(
        trajectory - x_star,
        expected,
        rtol=0,
        atol=1e-9 * (1 + np.abs(x_star).max()),
    )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), eigenvalues=eigenvalue_lists)
def test_quadratic_has_the_requested_spectrum_and_orthonormal_eigenvectors(
    seed, eigenvalues
):
    Q, U = quadratic_from_eigenvalues(eigenvalues, np.random.default_rng(seed))
    np.testing.assert_allclose(U.T @ U, np.eye(len(eigenvalues)), atol=1e-12)
    np.testing.assert_allclose(
        Q @ U, U * np.asarray(eigenvalues), atol=1e-10 * max(eigenvalues)
    )
    np.testing.assert_array_equal(Q, Q.T)


def test_value_has_the_gradient_of_the_grad_fn_and_its_minimum_at_x_star(
    rng,
):
    Q, _ = quadratic_from_eigenvalues([0.5, 1.0, 3.0], rng)
    c = rng.standard_normal(3)
    x = rng.standard_normal(3)
    np.testing.assert_allclose(
        numerical_gradient(lambda v: quadratic_value(v, Q, c), x),
        quadratic_grad_fn(Q, c)(x),
        rtol=1e-7,
    )
    x_star = minimiser(Q, c)
    points = x_star + rng.standard_normal((20, 3))
    assert quadratic_value(points, Q, c).shape == (20,)
    assert np.all(
        quadratic_value(points, Q, c) > quadratic_value(x_star, Q, c)
    )
    # c = None is c = 0
    assert quadratic_value(x, Q) == quadratic_value(x, Q, np.zeros(3))


def test_minimiser_is_where_the_gradient_vanishes(rng):
    Q, _ = quadratic_from_eigenvalues([0.5, 1.0, 3.0, 7.0], rng)
    c = rng.standard_normal((3, 4))  # a batch of linear terms
    x_star = minimiser(Q, c)
    assert x_star.shape == (3, 4)
    for row, ci in zip(x_star, c, strict=True):
        np.testing.assert_allclose(
            quadratic_grad_fn(Q, ci)(row), 0, atol=1e-12
        )


@settings(max_examples=60, deadline=None)
@given(eigenvalues=eigenvalue_lists, lr=st.floats(1e-3, 5.0))
def test_rate_is_the_largest_factor_over_the_whole_spectrum(eigenvalues, lr):
    lam = np.asarray(eigenvalues)
    assert convergence_rate(lam, lr) == pytest.approx(
        np.abs(1 - lr * lam).max(), rel=1e-14
    )


def test_rate_is_the_measured_per_step_shrinking_of_the_slowest_component(rng):
    lam = np.array([1.0, 3.0, 8.0])
    Q, U = quadratic_from_eigenvalues(lam, rng)
    r0 = U[:, 0] + U[:, 2]  # only the λ_min and λ_max components
    for lr in (0.05, 0.2, 0.24):
        r = gd_errors(Q, r0, lr, 200)
        measured = (np.linalg.norm(r[200]) / np.linalg.norm(r[150])) ** (
            1 / 50
        )
        assert measured == pytest.approx(convergence_rate(lam, lr), rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(eigenvalues=eigenvalue_lists)
def test_optimal_step_minimises_the_rate_over_a_grid(eigenvalues):
    lam = np.asarray(eigenvalues)
    grid = np.linspace(1e-3, 2.5 / lam.max(), 2001)
    best = convergence_rate(lam, optimal_step(lam))
    assert np.all(convergence_rate(lam, grid) >= best - 1e-12)
    assert best == pytest.approx(optimal_rate(lam), rel=1e-12, abs=1e-15)


def test_optimal_rate_for_a_condition_number_of_ten():
    assert optimal_rate([1.0, 4.0, 10.0]) == pytest.approx(9 / 11)
    assert optimal_step([1.0, 4.0, 10.0]) == pytest.approx(2 / 11)


def test_classification_of_step_sizes_around_the_stability_boundary():
    lam = [1.0, 10.0]
    labels = classify_step(lam, [0.05, 0.1, 0.15, 0.2, 0.21])
    assert list(labels) == [
        MONOTONE,
        ONE_STEP,
        OSCILLATING,
        BOUNDARY,
        DIVERGING,
    ]


def test_slowest_direction_switches_at_the_optimal_step():
    lam = [1.0, 10.0]
    assert list(slowest_direction(lam, [0.1, 2 / 11, 0.19])) == [
        "min",
        "tie",
        "max",
    ]


def test_observed_behaviour_matches_the_prediction(rng):
    lam = np.array([1.0, 4.0, 10.0])
    Q, U = quadratic_from_eigenvalues(lam, rng)
    lrs = np.array([0.03, 0.08, 0.13, 0.19, 0.205, 0.25])
    # (T+1, 6, 50, 3)
    r = gd_errors(Q, rng.standard_normal((50, 3)), lrs[:, None], 12)
    observed = classify_trajectory(r @ U[:, 2])
    predicted = classify_step(lam, lrs)
    assert np.all(observed == predicted[:, None])


def test_random_orthogonal_is_orthogonal_and_seeded():
    a = random_orthogonal(5, np.random.default_rng(3))
    np.testing.assert_allclose(a @ a.T, np.eye(5), atol=1e-12)
    np.testing.assert_array_equal(
        a, random_orthogonal(5, np.random.default_rng(3))
    )


@pytest.mark.parametrize(
    "bad, message",
    [
        # xᵀQx = |x|² > 0, but not symmetric
        (np.array([[1.0, 1.0], [-1.0, 1.0]]), "Q must be symmetric"),
        # symmetric, eigenvalue −1
        (np.array([[1.0, 2.0], [2.0, 1.0]]), "Q must be positive definite"),
        # positive semi-definite only
        (np.zeros((2, 2)), "Q must be positive definite"),
        (np.ones((2, 3)), "Q must be a non-empty square matrix"),  # not square
        (np.ones(3), "Q must be a non-empty square matrix"),  # not a matrix
    ],
)
def test_check_spd_rejects_matrices_that_are_not_symmetric_positive_definite(
    bad, message
):
    with pytest.raises(ValueError, match=message):
        check_spd(bad)


def test_bad_arguments_raise_value_errors(rng):
    Q, _ = quadratic_from_eigenvalues([1.0, 2.0, 3.0], rng)
    with pytest.raises(ValueError, match="c must have shape"):
        minimiser(Q, np.ones(2))
    with pytest.raises(ValueError, match="c must have shape"):
        quadratic_grad_fn(Q, np.ones((1, 3)))
    with pytest.raises(ValueError, match="r0 must have shape"):
        gd_errors(Q, np.ones(4), 0.1, 3)
    with pytest.raises(ValueError, match="num_steps"):
        gd_errors(Q, np.ones(3), 0.1, -1)
    with pytest.raises(ValueError, match="lr must hold only positive"):
        convergence_rate([1.0, 2.0], [0.1, 0.0])
    with pytest.raises(
        ValueError, match="eigenvalues must hold only positive"
    ):
        optimal_step([1.0, -2.0])
    with pytest.raises(ValueError, match="non-empty 1-D"):
        quadratic_from_eigenvalues(np.ones((2, 2)), rng)
    with pytest.raises(ValueError, match="at least 3 steps"):
        classify_trajectory(np.ones((2, 4)))
    with pytest.raises(TypeError, match="Generator"):
        random_orthogonal(3, 0)


def test_step_and_trajectory_agree_at_the_float_stability_boundary():
    # 2/49 * 49 rounds to 1.9999999999999998: exactly at the boundary in
    # exact arithmetic, a hair inside it in float64.
    lam = np.array([1.0, 49.0])
    lr = 2 / lam.max()
    assert lr * lam.max() != 2
    Q, U = quadratic_from_eigenvalues(lam, np.random.default_rng(0))
    path = run(
        GradientDescent(lr), quadratic_grad_fn(Q, np.zeros(2)), np.ones(2), 12
    )
    assert classify_step(lam, lr) == BOUNDARY
    assert classify_trajectory(path @ U[:, -1]) == BOUNDARY


def test_step_and_trajectory_agree_at_two_over_lambda_max_for_any_lambda():
    # About 14 % of these products round below 2, some above.
    lam_max = np.linspace(1.5, 100.0, 400)
    products = 2 / lam_max * lam_max
    assert np.any(products < 2)
    assert np.any(products == 2)
    for top in lam_max:
        lam = np.array([1.0, top])
        Q, U = quadratic_from_eigenvalues(lam, np.random.default_rng(1))
        rho = gd_errors(Q, np.ones(2), 2 / top, 12) @ U[:, -1]
        assert classify_trajectory(rho) == classify_step(lam, 2 / top)


def test_step_and_trajectory_agree_at_one_over_lambda_max_for_any_lambda():
    # ηλ_max = 1: q = 1 − ηλ_max is 0, or 1e-16 by rounding, and a run
    # leaves rounding noise of either sign in the λ_max component; both say
    # "gone in one step" (FACTOR_TOL).
    lam_max = np.linspace(1.5, 100.0, 200)
    factors = 1 - 1 / lam_max * lam_max
    assert np.any(factors > 0)  # rounding
    assert np.any(factors == 0)
    for top in lam_max:
        lam = np.array([1.0, top])
        Q, U = quadratic_from_eigenvalues(lam, np.random.default_rng(2))
        path = run(
            GradientDescent(1 / top),
            quadratic_grad_fn(Q, np.zeros(2)),
            np.ones(2),
            12,
        )
        assert classify_step(lam, 1 / top) == ONE_STEP
        assert classify_trajectory(path @ U[:, -1]) == ONE_STEP


def test_the_classifier_reads_signs_not_products_that_underflow():
    # neighbours' products (1e-15)² ... underflow to -0.0 long before the
    # terms do: the sign pattern is read from the signs
    rho = (-1e-6) ** np.arange(60.0)  # terms down to 1e-354: some are 0
    assert rho[-1] == 0
    assert classify_trajectory(rho) == OSCILLATING
    assert classify_step([1.0], 1 + 1e-6) == OSCILLATING
    # below the tolerance, gone in one step, whatever the signs
    assert classify_trajectory((-1e-15) ** np.arange(13.0)) == ONE_STEP
    assert classify_step([1.0], 1 + 1e-15) == ONE_STEP
