"""The logistic function and the binary cross-entropy, naive and stable."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlmath.calculus import numerical_gradient, numerical_jacobian
from dlmath.checks import assert_close
from dlmath.logistic import bce_naive, bce_with_logits, sigmoid


def test_gradient_of_cost_by_logit_is_prediction_minus_label_over_m(rng):
    z, y = 3 * rng.standard_normal(6), rng.integers(0, 2, 6).astype(float)
    fd = numerical_gradient(lambda v: bce_with_logits(v, y).mean(), z)
    assert_close(fd, (sigmoid(z) - y) / 6)


def test_sigmoid_jacobian_is_diagonal_sigma_times_one_minus_sigma(rng):
    z = 2 * rng.standard_normal(5)
    s = sigmoid(z)
    assert_close(numerical_jacobian(sigmoid, z), np.diag(s * (1 - s)))


@settings(max_examples=60, deadline=None)
@given(z=st.floats(-15, 15), y=st.sampled_from([0.0, 1.0, 0.3]))
def test_stable_loss_agrees_with_naive_loss_where_naive_is_accurate(z, y):
    naive = bce_naive(1 / (1 + np.exp(-z)), y)
    # the naive form loses digits as |z| grows
    assert_close(bce_with_logits(z, y), naive, rtol=1e-9)


@pytest.mark.parametrize("z", [-1e4, -800.0, -40.0, 40.0, 800.0, 1e4])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_stable_loss_is_finite_and_exact_at_extreme_logits(z, y):
    loss = bce_with_logits(z, y)
    wrong_side = (z > 0) != (y == 1)
    assert np.isfinite(loss)
    if wrong_side:
        # a confident wrong answer costs |z|
        assert loss == pytest.approx(abs(z), rel=1e-12)
    else:
        assert 0 <= loss < 1e-15


def test_naive_loss_breaks_where_the_sigmoid_rounds_to_one():
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isinf(bce_naive(1 / (1 + np.exp(-40.0)), 0.0))


def test_sigmoid_is_finite_without_overflow_warnings():
    # underflow to 0 is harmless
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = sigmoid(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
    assert np.array_equal(s, [0.0, 0.0, 0.5, 1.0, 1.0])


def test_sigmoid_of_minus_z_is_one_minus_sigmoid_of_z(rng):
    # the form chapter 3's gradient uses: σ(−m) = 1 − σ(m)
    z = 30 * rng.standard_normal(50)
    assert_close(sigmoid(-z), 1 - sigmoid(z), rtol=1e-12)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: bce_naive(np.array([0.5, 1.5]), 1.0),
            r"y_hat must hold only numbers in \[0, 1\]: entry 1 is 1.5",
        ),
        (
            lambda: bce_with_logits(0.0, np.array([0.0, 2.0])),
            r"y must hold only numbers in \[0, 1\]: entry 1 is 2.0",
        ),
        (
            lambda: sigmoid(np.array([0.0, np.nan])),
            "z must hold only finite numbers: entry 1 is nan",
        ),
    ],
)
def test_probabilities_and_labels_outside_0_1_or_nan_are_value_errors(
    call, message
):
    with pytest.raises(ValueError, match=message):
        call()
