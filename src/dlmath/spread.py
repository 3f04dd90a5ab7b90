"""How a result spreads over seeds: paired differences, quantile bands, a
paired verdict on two methods, and the spread of a share (chapters 3, 5.1 to
5.3).

The experiments repeat one computation over many seeds (or starting points)
and report a spread with every centre, so that a difference can be told from
noise. Seeds are on the last axis of every array here. Where two methods run
on the same seeds, they are compared seed by seed (:func:`paired_comparison`):
what the seeds share cancels in the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import comb

import numpy as np

from .checks import _show, as_array, as_count, as_number, as_text, as_vector

__all__ = [
    "paired_difference",
    "quantile_band",
    "format_band",
    "sign_test",
    "median_interval",
    "paired_comparison",
    "binomial_sd",
]


def _samples(value, name: str, minimum: int = 1) -> np.ndarray:
    x = as_array(value, name)
    if x.ndim == 0 or x.shape[-1] < minimum:
        raise ValueError(
            f"{name} must have at least {minimum} seeds on its last axis, "
            f"got shape {x.shape}"
        )
    return x


def _pair(a, b, minimum: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = _samples(a, "a", minimum), _samples(b, "b", minimum)
    if a.shape != b.shape:
        raise ValueError(
            "a and b must be paired, one value per seed each: equal shapes, "
            f"got {a.shape} and {b.shape}"
        )
    return a, b


def paired_difference(a, b) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error over the seeds of the paired difference a − b
    (a and b computed with the same seeds), one pair per leading index."""
    a, b = _pair(a, b, minimum=2)
    difference = a - b
    standard_error = difference.std(axis=-1, ddof=1) / np.sqrt(
        difference.shape[-1]
    )
    return difference.mean(axis=-1), standard_error


def quantile_band(x, low: float = 0.25, high: float = 0.75) -> np.ndarray:
    """``[low quantile, median, high quantile]`` over the seeds, stacked on a
    new first axis: the band drawn or printed around a median (default: the
    quartiles)."""
    x = _samples(x, "x")
    low = as_number(low, "low", "[0, 0.5)")
    high = as_number(high, "high", "(0.5, 1]")
    return np.quantile(x, [low, 0.5, high], axis=-1)


def format_band(band, spec: str = ".0f") -> str:
    """A band of :func:`quantile_band` as text, "median [low, high]", each
    number formatted by ``spec`` (".2f", ".2g", ...).

    Examples
    --------
    >>> format_band(quantile_band([1.0, 2.0, 3.0, 4.0, 5.0]))
    '3 [2, 4]'
    """
    band = as_array(band, "band")
    spec = as_text(spec, "spec")
    if band.shape != (3,):
        raise ValueError(
            "band must be one band [low, median, high] of shape (3,), "
            f"got shape {band.shape}"
        )
    low, median, high = band
    if not low <= median <= high:
        raise ValueError(
            "band must be ordered, low <= median <= high, got "
            f"[{low:g}, {median:g}, {high:g}]"
        )
    try:
        return f"{median:{spec}} [{low:{spec}}, {high:{spec}}]"
    except ValueError:
        raise ValueError(
            f'spec must be a format spec for a float such as ".2f", '
            f"got {_show(spec)}"
        ) from None


def _binomial_tail(k: int, n: int) -> Fraction:
    """P(X ≤ k) for X ~ Binomial(n, 1/2), exactly."""
    return Fraction(sum(comb(n, j) for j in range(k + 1)), 2**n)


def sign_test(lower: int, higher: int) -> float:
    """The exact two-sided p-value of the sign test: the probability, if
    either sign were equally likely in each of the ``lower + higher`` untied
    pairs, of a split at least as uneven as this one."""
    lower = as_count(lower, "lower")
    higher = as_count(higher, "higher")
    n = lower + higher
    if n == 0:
        return 1.0
    return float(min(Fraction(1), 2 * _binomial_tail(min(lower, higher), n)))


def median_interval(
    differences, confidence: float = 0.99
) -> tuple[float, float, float]:
    """A distribution-free interval for the median of ``differences``:
    ``(low, high, coverage)``, the order statistics d_(k) and d_(n+1−k) with
    the largest k whose coverage 1 − 2 P(Binomial(n, 1/2) < k) is at least
    ``confidence``; that coverage is returned too (it is exact for any
    continuous distribution, and at least that with ties)."""
    d = np.sort(as_vector(differences, "differences"))
    confidence = as_number(confidence, "confidence", "(0, 1)")
    n = d.size
    k = 0
    while k + 1 <= n // 2 and 1 - 2 * _binomial_tail(k, n) >= confidence:
        k += 1
    if k == 0:
        raise ValueError(
            f"differences must have enough seeds for a {confidence:g} "
            f"interval of their median, got {n}"
        )
    coverage = float(1 - 2 * _binomial_tail(k - 1, n))
    return float(d[k - 1]), float(d[n - k]), coverage


@dataclass(frozen=True)
class PairedComparison:
    """Two methods run on the same seeds, compared seed by seed: how often
    each ended lower, the sign test on that split, and the median of the
    paired differences a − b with its interval."""

    names: tuple[str, str]
    lower: tuple[int, int]  # seeds on which a, resp. b, ended lower
    ties: int
    p_value: float
    median_difference: float
    interval: tuple[float, float]
    coverage: float
    level: float

    @property
    def band(self) -> tuple[float, float, float]:
        """``(low, median, high)`` of the paired differences, the interval
        around their median, in the order :func:`format_band` prints."""
        return (self.interval[0], self.median_difference, self.interval[1])

    @property
    def verdict(self) -> str:
        """'tie' unless the sign test rejects an even split at ``level``;
        then "<name> lower" for the one lower on more seeds."""
        if self.p_value >= self.level:
            return "tie"
        first, second = self.lower
        return f"{self.names[0] if first > second else self.names[1]} lower"

    def __str__(self) -> str:
        (a, b), (lower_a, lower_b) = self.names, self.lower
        low, high = self.interval
        return (
            f"{a} lower on {lower_a}, {b} on {lower_b} of "
            f"{lower_a + lower_b + self.ties} seeds, sign test "
            f"p = {self.p_value:.2g}: {self.verdict}; median {a} - {b} "
            f"{self.median_difference:.2g} [{low:.2g}, {high:.2g}] "
            f"({self.coverage:.0%})"
        )


def paired_comparison(
    a, b, names=("a", "b"), level: float = 0.01, confidence: float = 0.99
) -> PairedComparison:
    """Compare a and b, one value per seed each (the same seeds), by the
    signs of a − b and the median of a − b.

    Seeds where a − b = 0 are ties and leave the sign test; the verdict is
    a tie unless its exact two-sided p-value is below ``level``.
    """
    a, b = _pair(a, b, minimum=2)
    a, b = as_vector(a, "a"), as_vector(b, "b")
    if not (
        isinstance(names, (tuple, list))
        and len(names) == 2
        and all(isinstance(name, str) for name in names)
    ):
        raise ValueError(
            f"names must be two str, one for a and one for b, got "
            f"{_show(names)}"
        )
    level = as_number(level, "level", "(0, 1)")
    difference = a - b
    lower = (int(np.sum(difference < 0)), int(np.sum(difference > 0)))
    low, high, coverage = median_interval(difference, confidence)
    return PairedComparison(
        names=tuple(names),
        lower=lower,
        ties=int(np.sum(difference == 0)),
        p_value=sign_test(*lower),
        median_difference=float(np.median(difference)),
        interval=(low, high),
        coverage=coverage,
        level=level,
    )


def binomial_sd(share: float, n: int) -> float:
    """√(p(1 − p)/n): the standard deviation of the share p of n independent
    runs that end one way."""
    p = as_number(share, "share", "[0, 1]")
    n = as_count(n, "n", 1)
    return float(np.sqrt(p * (1 - p) / n))
