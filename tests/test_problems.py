"""The gradient oracles of the test problems of chapter 5.3."""

import numpy as np
import pytest

from dlmath.calculus import numerical_gradient
from dlmath.problems import noisy_quadratic_grad_fn, sparse_regression_grad_fn
from dlmath.quadratic import quadratic_value


def test_noise_free_oracles_give_the_true_gradients(rng):
    h = np.array([0.5, 2.0, 4.0])
    x = rng.standard_normal((2, 3))
    oracle = noisy_quadratic_grad_fn(h, 0.0, rng=np.random.default_rng(0))(x)
    for row, g in zip(x, oracle, strict=True):
        np.testing.assert_allclose(
            g,
            numerical_gradient(lambda v: quadratic_value(v, np.diag(h)), row),
            rtol=1e-7,
        )
    grad = sparse_regression_grad_fn(
        np.array([1.0, 0.5, 0.1]),
        np.ones(3),
        batch=4,
        rng=np.random.default_rng(0),
    )
    # zero residual at w = w*
    np.testing.assert_allclose(grad(np.ones((5, 3))), 0.0, atol=1e-15)


def test_rare_features_get_rare_gradients():
    grad = sparse_regression_grad_fn(
        np.array([1.0, 0.01]),
        np.ones(2),
        batch=1,
        rng=np.random.default_rng(1),
    )
    g = grad(np.zeros((20000, 2)))
    assert 0.005 < np.mean(g[:, 1] != 0) < 0.015
    assert np.mean(g[:, 0] != 0) > 0.99


def test_heavy_tailed_and_gaussian_noise_in_one_batch(rng):
    grad = noisy_quadratic_grad_fn(
        np.ones(1),
        1.0,
        rng=np.random.default_rng(2),
        tail_df=np.array([np.inf, 1.0]).reshape(2, 1, 1),
    )
    g = grad(np.zeros((2, 5000, 1)))
    assert np.max(np.abs(g[0])) < 6  # Gaussian
    assert np.max(np.abs(g[1])) > 100  # Cauchy


def test_the_oracles_draw_the_same_noise_from_generators_seeded_alike(rng):
    x = rng.standard_normal((4, 3))
    first, second = (
        noisy_quadratic_grad_fn(np.ones(3), 1.0, rng=np.random.default_rng(7))
        for _ in range(2)
    )
    np.testing.assert_array_equal(first(x), second(x))
    assert not np.array_equal(
        first(x),
        noisy_quadratic_grad_fn(np.ones(3), 1.0, rng=np.random.default_rng(8))(
            x
        ),
    )


def test_the_oracles_pass_a_diverged_iterate_through():
    # an optimiser's iterates: nan is reported, not refused
    grad = noisy_quadratic_grad_fn(
        np.ones(2), 0.0, rng=np.random.default_rng(0)
    )
    assert np.all(np.isnan(grad(np.array([np.nan, np.nan]))))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: noisy_quadratic_grad_fn(
                [1.0, -1.0], 1.0, rng=np.random.default_rng(0)
            ),
            ValueError,
            "curvatures must hold only positive",
        ),
        (
            lambda: noisy_quadratic_grad_fn(
                np.ones(2), -1.0, rng=np.random.default_rng(0)
            ),
            ValueError,
            "noise_scale must hold only non-negative",
        ),
        (
            lambda: noisy_quadratic_grad_fn(
                np.ones(2), 1.0, rng=np.random.default_rng(0), tail_df=0.0
            ),
            ValueError,
            "tail_df must hold only numbers in \\(0, inf\\]",
        ),
        (
            lambda: noisy_quadratic_grad_fn(
                np.ones(2), 1.0, rng=np.random.default_rng(0)
            )(np.zeros((3, 4))),
            ValueError,
            "x must have shape \\(\\.\\.\\., 2\\)",
        ),
        (
            lambda: noisy_quadratic_grad_fn(np.ones(2), 1.0, rng=1),
            TypeError,
            "rng must be a numpy Generator",
        ),
        (
            lambda: sparse_regression_grad_fn(
                [0.0, 1.0], np.ones(2), batch=1, rng=np.random.default_rng(0)
            ),
            ValueError,
            "probabilities must hold only numbers in \\(0, 1\\]",
        ),
        (
            lambda: sparse_regression_grad_fn(
                np.ones(2), np.ones(3), batch=1, rng=np.random.default_rng(0)
            ),
            ValueError,
            "target must have the shape of probabilities",
        ),
        (
            lambda: sparse_regression_grad_fn(
                np.ones(2), np.ones(2), batch=0, rng=np.random.default_rng(0)
            ),
            ValueError,
            "batch must be a positive integer",
        ),
    ],
)
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
