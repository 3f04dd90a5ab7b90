import re

import numpy as np
import pytest

from dlmath import symbolic as sym
from dlmath.adamax import adam_folded_updates
from dlmath.backprop import cost, init_params, train, two_circles
from dlmath.checks import (
    as_array,
    as_callable,
    as_count,
    as_counts,
    as_flag,
    as_generator,
    as_number,
    as_points,
    assert_close,
    compare,
    relative_error,
)
from dlmath.optimizers import GradientDescent
from dlmath.quadratic import random_orthogonal
from dlmath.symmetry import logistic_loss, make_dataset, symmetric_template


def test_relative_error_is_scale_free():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a * (1 + 1e-9), a) == pytest.approx(1e-9, rel=1e-6)
    assert relative_error(1e6 * a * (1 + 1e-9), 1e6 * a) == pytest.approx(
        1e-9, rel=1e-6
    )


def test_relative_error_of_two_zeros_is_zero():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_assert_close_reports_both_values_when_it_fails():
    with pytest.raises(AssertionError, match="flipped sign") as failure:
        assert_close([1.0, 2.0], [1.0, -2.0], name="flipped sign")
    message = str(failure.value)
    assert "DISAGREE" in message
    assert "-2." in message
    assert "2." in message


def test_compare_keeps_both_values():
    result = compare([1.0, 2.0], [1.0, 2.5], rtol=1e-3)
    assert not result.ok
    np.testing.assert_array_equal(result.actual, [1.0, 2.0])
    np.testing.assert_array_equal(result.expected, [1.0, 2.5])
    assert "0.19" in str(result)  # |(0, -0.5)| / |(1, 2.5)| = 0.186


def test_mismatched_shapes_are_a_value_error():
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(2, 1\)"):
        compare(np.ones(2), np.ones((2, 1)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_a_value_error(bad):
    with pytest.raises(ValueError, match="actual must hold only finite"):
        compare([1.0, bad], [1.0, 2.0])


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="real number"):
        compare({"a": 1}, [1.0])


def test_tolerance_must_be_positive():
    with pytest.raises(ValueError, match="rtol must be a positive finite"):
        compare([1.0], [1.0], rtol=0)


# --- the vocabulary of argument checks


@pytest.mark.parametrize("bad", [2.5, 3.0, True, np.bool_(True), "3", None])
def test_a_count_of_the_wrong_kind_is_a_type_error(bad):
    with pytest.raises(
        TypeError, match="steps must be a non-negative integer, got"
    ):
        as_count(bad, "steps")


def test_a_count_below_its_minimum_is_a_value_error():
    with pytest.raises(
        ValueError, match="steps must be a non-negative integer, got -1"
    ):
        as_count(-1, "steps")
    with pytest.raises(ValueError, match="m must be an integer of at least 2"):
        as_count(1, "m", 2)


def test_a_count_accepts_numpy_integers_and_returns_an_int():
    assert as_count(np.int64(3), "n", 1) == 3
    assert type(as_count(np.int64(3), "n", 1)) is int


def test_counts_check_every_entry():
    np.testing.assert_array_equal(as_counts([1, 2], "t", 1), [1, 2])
    with pytest.raises(ValueError, match="t must hold only positive integers"):
        as_counts([1, 0], "t", 1)
    with pytest.raises(TypeError, match="t must hold only positive integers"):
        as_counts([1.0, 2.0], "t", 1)


@pytest.mark.parametrize(
    "interval, inside, outside",
    [
        ("(-inf, inf)", [-1e308, 0.0, 1e308], [np.inf, -np.inf, np.nan]),
        ("(0, inf)", [1e-300, 5.0], [0.0, -1.0, np.inf, np.nan]),
        ("[0, inf)", [0.0, 5.0], [-1e-300, np.inf, np.nan]),
        ("[0, 1)", [0.0, 0.5], [1.0, -0.1, np.nan]),
        ("(0, 1]", [1.0, 1e-9], [0.0, 1.5, np.nan]),
        ("(0, inf]", [np.inf, 2.0], [0.0, np.nan]),
        ("[-inf, inf)", [-np.inf, 0.0], [np.inf, np.nan]),
    ],
)
def test_an_interval_holds_what_it_says_and_never_nan(
    interval, inside, outside
):
    for value in inside:
        as_array(value, "x", interval)
    if np.all(np.isfinite(inside)):
        for value in inside:
            assert as_number(value, "x", interval) == value
    for value in outside:
        with pytest.raises(ValueError, match="x must"):
            as_array([value], "x", interval)
        with pytest.raises(ValueError, match="x must"):
            as_number(value, "x", interval)


def test_number_messages_name_the_parameter_and_what_was_expected():
    cases = [
        ("(0, inf)", 0.0, "lr must be a positive finite number, got 0.0"),
        ("[0, inf)", -1, "eps must be a non-negative finite number, got -1"),
        ("(-inf, inf)", np.nan, "x0 must be a finite number, got nan"),
        ("[0, 1)", 1.0, r"beta must be a number in \[0, 1\), got 1.0"),
    ]
    for interval, value, message in cases:
        name = message.split()[0]
        with pytest.raises(ValueError, match=f"^{message}$"):
            as_number(value, name, interval)


@pytest.mark.parametrize("bad", ["0.1", True, None, [0.1], np.array(0.1)])
def test_a_number_of_the_wrong_kind_is_a_type_error(bad):
    with pytest.raises(TypeError, match="lr must be a positive finite number"):
        as_number(bad, "lr", "(0, inf)")


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        ["a", "b"],
        np.array([True, False]),
        [1 + 2j],
        None,
        [[1], [1, 2]],
    ],
)
def test_an_array_of_the_wrong_kind_is_a_type_error(bad):
    with pytest.raises(
        TypeError, match="x must be a real number or an array of real numbers"
    ):
        as_array(bad, "x")


def test_an_array_keeps_its_shape_and_becomes_float64():
    array = as_array([[1, 2], [3, 4]], "x")
    assert array.dtype == np.float64
    assert array.shape == (2, 2)
    # object arrays of real numbers (sympy results, say) convert too
    assert as_array(np.array([1, 2.5], dtype=object), "x").dtype == np.float64


def test_the_nan_rule_has_one_exception_the_iterates_of_a_run():
    with pytest.raises(ValueError, match="x must hold only finite numbers"):
        as_array([0.0, np.nan], "x")
    passed = as_array([np.nan, np.inf, -np.inf], "x", interval=None)
    assert np.isnan(passed[0])
    assert np.all(np.isinf(passed[1:]))


def test_points_must_have_the_last_axis_asked_for():
    assert as_points(np.zeros((4, 3, 2)), "points", 2).shape == (4, 3, 2)
    for bad in (np.zeros(3), np.zeros((2, 3)), 1.0):
        with pytest.raises(
            ValueError, match=r"points must have shape \(\.\.\., 2\)"
        ):
            as_points(bad, "points", 2)


@pytest.mark.parametrize("bad", [0, None, np.random, np.random.RandomState(0)])
def test_only_a_numpy_generator_is_a_generator(bad):
    with pytest.raises(TypeError, match="rng must be a numpy Generator, got"):
        as_generator(bad)
    rng = np.random.default_rng(0)
    assert as_generator(rng) is rng


def test_a_callable_check_names_the_parameter():
    with pytest.raises(TypeError, match="f must be callable, got ndarray"):
        as_callable(np.ones(2), "f")


def test_a_malformed_interval_is_a_programming_error():
    with pytest.raises(ValueError, match="interval must look like"):
        as_number(1.0, "x", "0 to 1")


# --- one bad input, one error, in every module


def _refused_alike(calls, error, message):
    """Every call raises ``error`` with exactly ``message``."""
    for call in calls:
        with pytest.raises(error, match=f"^{re.escape(message)}$"):
            call()


def test_a_zero_learning_rate_gets_one_message_in_three_modules():
    X, y = two_circles(np.random.default_rng(0), 4)
    params = init_params(np.random.default_rng(0), 2, 3)
    _refused_alike(
        [
            lambda: GradientDescent(lr=0.0),
            lambda: train(params, X, y, lr=0.0, steps=1),
            lambda: adam_folded_updates(np.ones(2), 0.0, 0.9, 0.9, 0.0),
        ],
        ValueError,
        "lr must be a positive finite number, got 0.0",
    )


def test_a_seed_for_a_generator_gets_one_message_in_four_modules():
    _refused_alike(
        [
            lambda: random_orthogonal(3, 0),
            lambda: symmetric_template(0, 2, 2),
            lambda: init_params(0, 3, 4),
            lambda: two_circles(0, 4),
        ],
        TypeError,
        "rng must be a numpy Generator, got int",
    )


def test_a_nan_in_the_data_gets_one_message_in_two_modules():
    # symmetry.logistic_loss accepted nan before the checks were shared
    X = np.array([[0.0, np.nan]])
    _refused_alike(
        [
            lambda: logistic_loss(np.zeros(2), X, np.ones(1)),
            lambda: cost(
                init_params(np.random.default_rng(0), 1, 2), X, np.ones(2)
            ),
        ],
        ValueError,
        "X must hold only finite numbers: entry (0, 1) is nan",
    )


def test_a_float_count_gets_one_message_in_three_modules():
    _refused_alike(
        [
            lambda: random_orthogonal(2.0, None),
            lambda: sym.vector("x", 2.0),
            lambda: make_dataset(np.random.default_rng(0), [1.0], 2.0, 1, 1),
        ],
        TypeError,
        "n must be a positive integer, got 2.0",
    )


def test_a_verdict_that_would_pass_the_page_width_gets_its_own_line():
    short = str(compare([1.0], [1.0], name="x"))
    assert short == "x: agree, relative error below 1e-07"
    long_name = "a quantity with a name as long as the ones the chapters use"
    wrapped = str(compare([1.0], [2.0], name=long_name)).split("\n")
    assert wrapped[0] == long_name + ":"
    assert wrapped[1].startswith("    DISAGREE, relative error 0.5")
    assert max(map(len, wrapped)) <= 79


@pytest.mark.parametrize("bad", [0, 1, "no", None, np.array([True])])
def test_a_flag_must_be_true_or_false(bad):
    with pytest.raises(TypeError, match="flag must be True or False"):
        as_flag(bad, "flag")
    assert as_flag(np.bool_(True), "flag") is True
