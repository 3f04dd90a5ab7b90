"""Statistics over seeds: paired differences, bands, paired verdicts."""

import itertools
from math import comb

import numpy as np
import pytest

from dlmath.spread import (
    binomial_sd,
    format_band,
    median_interval,
    paired_comparison,
    paired_difference,
    quantile_band,
    sign_test,
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


def sign_test_by_enumeration(lower, higher):
    """Two-sided sign test by listing all 2^n equally likely sign patterns
    and counting those at least as far from an even split as the one seen."""
    n = lower + higher
    seen = abs(lower - n / 2)
    extreme = sum(
        abs(sum(pattern) - n / 2) >= seen
        for pattern in itertools.product((0, 1), repeat=n)
    )
    return extreme / 2**n


@pytest.mark.parametrize(
    "lower, higher", [(0, 0), (1, 0), (3, 3), (2, 9), (12, 1), (0, 14)]
)
def test_sign_test_against_enumerating_every_sign_pattern(lower, higher):
    assert sign_test(lower, higher) == pytest.approx(
        sign_test_by_enumeration(lower, higher), rel=1e-12
    )
    assert sign_test(lower, higher) == sign_test(higher, lower)


def test_sign_test_of_the_issues_two_splits():
    # 21 against 43 of 64 and 31 against 69 of 100, by Python integers
    tail_64 = sum(comb(64, k) for k in range(22))
    tail_100 = sum(comb(100, k) for k in range(32))
    assert sign_test(21, 43) == pytest.approx(2 * tail_64 / 2**64, rel=1e-12)
    assert sign_test(69, 31) == pytest.approx(2 * tail_100 / 2**100, rel=1e-12)


def coverage_by_enumeration(n, k):
    """P(d_(k) <= median <= d_(n+1-k)) for n draws of a continuous variable:
    each draw falls below the median with probability 1/2, independently,
    and the interval holds the median when k to n - k of them do."""
    covering = sum(
        k <= sum(pattern) <= n - k
        for pattern in itertools.product((0, 1), repeat=n)
    )
    return covering / 2**n


@pytest.mark.parametrize("n", [6, 9, 14])
@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95])
def test_median_interval_takes_the_narrowest_order_statistics_that_cover(
    n, confidence
):
    d = np.arange(n, dtype=float) * 1.5  # sorted, so d_(j) = 1.5 (j - 1)
    low, high, coverage = median_interval(d[::-1], confidence)
    k = int(round(low / 1.5)) + 1
    assert high == d[n - k]
    assert coverage == pytest.approx(coverage_by_enumeration(n, k))
    assert coverage >= confidence
    # one order statistic further in would cover less than asked
    if k + 1 <= n // 2:
        assert coverage_by_enumeration(n, k + 1) < confidence


def test_median_interval_covers_as_often_as_it_says(rng):
    # exponential differences, median ln 2: a skewed case
    samples = rng.exponential(size=(4000, 30))
    covered = [
        low <= np.log(2) <= high
        for low, high, _ in (median_interval(row, 0.9) for row in samples)
    ]
    coverage = median_interval(samples[0], 0.9)[2]
    # 4000 trials: a binomial sd of about 0.005, so 4 sd is 0.02
    assert abs(np.mean(covered) - coverage) < 0.02


def test_median_interval_refuses_too_few_seeds():
    with pytest.raises(ValueError, match="differences must have enough"):
        median_interval([1.0, 2.0, 3.0], 0.99)


def test_paired_comparison_by_hand():
    a = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    b = a + np.array([1.0, 1.0, 2.0, 0.5, 3.0, 0.0, 1.5, -1.0])
    result = paired_comparison(a, b, ("A", "B"), level=0.1, confidence=0.9)
    # a - b: -1 -1 -2 -0.5 -3 0 -1.5 1: six lower, one higher, one tie
    assert result.lower == (6, 1)
    assert result.ties == 1
    assert result.p_value == pytest.approx(16 / 128)
    assert result.verdict == "tie"  # 0.125 is not below 0.1
    assert result.median_difference == -1.0
    # n = 8 at 0.9: k = 2, coverage 1 - 2 * 9/256
    assert result.interval == (-2.0, 0.0)
    assert result.coverage == pytest.approx(1 - 18 / 256)
    assert format_band(result.band, ".1f") == "-1.0 [-2.0, 0.0]"
    assert "A lower on 6, B on 1 of 8 seeds" in str(result)


def test_paired_comparison_names_the_method_lower_on_more_seeds(rng):
    noise = rng.standard_normal(64)
    assert paired_comparison(noise, noise + 5, ("Adam", "Adamax")).verdict == (
        "Adam lower"
    )
    assert paired_comparison(noise + 5, noise, ("Adam", "Adamax")).verdict == (
        "Adamax lower"
    )
    assert paired_comparison(noise, noise.copy()).verdict == "tie"


def test_pairing_sees_a_small_effect_that_the_seeds_spread_hides(rng):
    # a per-seed effect common to both swamps the difference of the medians
    common = 10 * rng.standard_normal(100)
    a = common + 0.01 * rng.standard_normal(100)
    b = common + 0.05 + 0.01 * rng.standard_normal(100)
    assert abs(np.median(a) - np.median(b)) < np.std(a) / 10
    result = paired_comparison(a, b)
    assert result.verdict == "a lower"
    low, high = result.interval
    assert low < -0.05 < high


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
    ],
)
def test_bad_arguments_are_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: sign_test(-1, 3), ValueError, "lower must be"),
        (lambda: sign_test(2, 3.0), TypeError, "higher must be"),
        (
            lambda: median_interval(np.ones((2, 9))),
            ValueError,
            "differences must be a non-empty 1-D",
        ),
        (
            lambda: median_interval(np.ones(9), 1.0),
            ValueError,
            "confidence must be",
        ),
        (
            lambda: paired_comparison(np.ones(9), np.ones(8)),
            ValueError,
            "a and b must be paired",
        ),
        (
            lambda: paired_comparison(np.ones((2, 9)), np.ones((2, 9))),
            ValueError,
            "a must be a non-empty 1-D",
        ),
        (
            lambda: paired_comparison(np.ones(9), np.ones(9), ("one",)),
            ValueError,
            "names must be two str",
        ),
        (
            lambda: paired_comparison(np.ones(9), np.ones(9), level=0),
            ValueError,
            "level must be",
        ),
        (
            lambda: paired_comparison(np.ones(9), [np.nan] * 9),
            ValueError,
            "b must hold only finite",
        ),
    ],
)
def test_paired_statistics_refuse_bad_input_naming_it(call, error, message):
    with pytest.raises(error, match=message):
        call()
