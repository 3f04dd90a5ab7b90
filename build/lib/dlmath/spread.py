"""How a result spreads over seeds: paired differences, quantile bands, a
verdict on two medians, and the spread of a share (chapters 3, 5.1 to 5.3).

The experiments repeat one computation over many seeds (or starting points)
and report a spread with every centre, so that a difference can be told from
noise. Seeds are on the last axis of every array here.
"""

from __future__ import annotations

import numpy as np

from .checks import as_array, as_count, as_number, as_vector


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
    number formatted by ``spec`` (".2f", ".2g", ...)."""
    band = as_array(band, "band")
    if band.shape != (3,):
        raise ValueError(
            "band must be one band [low, median, high] of shape (3,), "
            f"got shape {band.shape}"
        )
    low, median, high = band
    return f"{median:{spec}} [{low:{spec}}, {high:{spec}}]"


def median_verdict(a, b, names=("a", "b")) -> str:
    """'tie', or which of two samples over seeds has the lower median:
    "<name> lower".

    A tie when the medians differ by less than 3 standard errors of their
    difference, each median's standard error taken as 1.25 σ/√n (√(π/2) ≈
    1.25 for normal samples).
    """
    a, b = _pair(a, b, minimum=2)
    as_vector(a, "a")
    if len(names) != 2:
        raise ValueError(f"names must name a and b, got {names!r}")
    difference = np.median(a) - np.median(b)
    margin = 3 * 1.25 * np.hypot(a.std(), b.std()) / np.sqrt(a.size)
    if abs(difference) < margin:
        return "tie"
    return f"{names[1]} lower" if difference > 0 else f"{names[0]} lower"


def binomial_sd(share: float, n: int) -> float:
    """√(p(1 − p)/n): the standard deviation of the share p of n independent
    runs that end one way."""
    p = as_number(share, "share", "[0, 1]")
    n = as_count(n, "n", 1)
    return float(np.sqrt(p * (1 - p) / n))
