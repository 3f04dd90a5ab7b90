"""Statistics over seeds: paired differences, bands, median verdicts."""

import numpy as np
import pytest

from dlmath.spread import (
    binomial_sd,
    format_band,
    median_verdict,
    paired_difference,
    quantile_band,
)


def test_paired_difference_by_hand():
    a = np.array([[3.0, 5.0, 7.0], [1.0, 1.0, 1.0]])
    b = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    mean, standard_error = paired_difference(a, b)
    # differences 2, 3, 4: mean 3, sample sd 1, standard error 1/sqrt(3)
    np.testing.assert_allclose(mean, [3.0, 0.0])
    np.testing.assert_allclose(standard_error, [1 / np.sqrt(3), 0.0])


def test_pairing_removes_what_the_seeds_share(rng):
    # a large per-seed effect common to both: unpaired it would swamp 0.1
    common = 10 * rng.standard_normal(200)
    a = common + 0.1 + 0.01 * rng.standard_normal(200)
    b = common + 0.01 * rng.standard_normal(200)
    mean, standard_error = paired_difference(a, b)
    assert abs(mean - 0.1) < 5 * standard_error
    assert standard_error < 0.002


def test_quantile_band_is_low_median_high_over_the_last_axis(rng):
    x = rng.standard_normal((4, 101))
    band = quantile_band(x, 0.1, 0.9)
    assert band.shape == (3, 4)
    np.testing.assert_array_equal(band[1], np.median(x, axis=-1))
    np.testing.assert_array_equal(
        band[[0, 2]], np.quantile(x, [0.1, 0.9], axis=-1)
    )
    assert np.all(band[0] <= band[1])
    assert np.all(band[1] <= band[2])


def test_format_band_prints_median_then_the_band():
    assert format_band([1.0, 2.0, 3.5]) == "2 [1, 4]"
    assert format_band(quantile_band([0.1, 0.2, 0.3]), ".2f") == (
        "0.20 [0.15, 0.25]"
    )
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        format_band([1.0, 2.0])


def test_median_verdict_says_which_median_is_lower_or_tie(rng):
    noise = rng.standard_normal(64)
    assert median_verdict(noise, noise + 5, ("Adam", "Adamax")) == (
        "Adam lower"
    )
    assert median_verdict(noise + 5, noise, ("Adam", "Adamax")) == (
        "Adamax lower"
    )
    assert median_verdict(noise, noise.copy()) == "tie"


def test_median_verdict_draws_the_line_at_three_standard_errors():
    a = np.array([-1.0, 1.0] * 32)  # median 0, sd 1
    margin = 3 * 1.25 * np.hypot(1.0, 1.0) / np.sqrt(64)
    assert median_verdict(a, a + 0.99 * margin) == "tie"
    assert median_verdict(a, a + 1.01 * margin) == "a lower"


def test_binomial_sd():
    assert binomial_sd(0.5, 100) == pytest.approx(0.05, rel=1e-15)
    assert binomial_sd(0.0, 10) == 0.0
    with pytest.raises(
        ValueError, match=r"share must be a number in \[0, 1\]"
    ):
        binomial_sd(1.2, 100)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: paired_difference(np.ones(3), np.ones(4)),
            "a and b must be paired",
        ),
        (
            lambda: paired_difference(np.ones(1), np.ones(1)),
            "a must have at least 2 seeds",
        ),
        (
            lambda: quantile_band(np.ones(3), low=0.6),
            "low must be a number in",
        ),
        (
            lambda: quantile_band([1.0, np.nan]),
            "x must hold only finite numbers: entry 1 is nan",
        ),
        (
            lambda: median_verdict(np.ones((2, 3)), np.ones((2, 3))),
            "a must be a non-empty 1-D array",
        ),
        (
            lambda: median_verdict(np.ones(3), np.ones(3), names=("one",)),
            "names must be two str",
        ),
    ],
)
def test_bad_arguments_are_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
