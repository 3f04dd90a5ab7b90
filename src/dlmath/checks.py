"""Comparing two computations of the same quantity, with the numbers shown when they disagree."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Columns of printed text that the book's code column shows without
# scrolling (ruff's line length; see _static/book.css).
REPORT_WIDTH = 79


def as_finite_array(value, name: str) -> np.ndarray:
    """``value`` as a float64 array; ``ValueError`` if it holds NaN or infinity."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be a real number or array of real numbers, got {type(value).__name__}"
        ) from exc
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {array!r}")
    return array


def as_count(value, name: str, minimum: int = 0) -> int:
    """``value`` as an int of at least ``minimum`` (a size, a step count); ``ValueError`` otherwise.

    Booleans are refused although Python counts them as ints: ``True`` is never meant as a size.
    """
    if (
        not isinstance(value, (int, np.integer))
        or isinstance(value, (bool, np.bool_))
        or value < minimum
    ):
        expected = {0: "a non-negative integer", 1: "a positive integer"}.get(
            minimum, f"an integer of at least {minimum}"
        )
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class Comparison:
    """Two values of one quantity and their relative error ``‖a − b‖ / max(‖a‖, ‖b‖)``."""

    name: str
    actual: np.ndarray
    expected: np.ndarray
    relative_error: float
    rtol: float

    @property
    def ok(self) -> bool:
        return self.relative_error <= self.rtol

    def __str__(self) -> str:
        # Printed text is compared verbatim by nbval on other machines,
        # where the last bits of a float64 sum may differ: an agreement
        # prints its tolerance, not rounding-level digits.
        if self.ok:
            verdict = f"agree, relative error below {self.rtol:.0e}"
        else:
            verdict = (
                f"DISAGREE, relative error {self.relative_error:.2g}"
                f" (tolerance {self.rtol:.0e})"
            )
        line = f"{self.name}: {verdict}"
        # the verdict goes on a line of its own rather than past the page
        if len(line) > REPORT_WIDTH:
            return f"{self.name}:\n    {verdict}"
        return line


def relative_error(actual, expected) -> float:
    """``‖actual − expected‖ / max(‖actual‖, ‖expected‖)`` (Frobenius norms); 0 when both are 0."""
    a = as_finite_array(actual, "actual")
    e = as_finite_array(expected, "expected")
    if a.shape != e.shape:
        raise ValueError(
            f"cannot compare shapes {a.shape} and {e.shape}: expected equal shapes"
        )
    scale = max(np.linalg.norm(a), np.linalg.norm(e))
    return 0.0 if scale == 0.0 else float(np.linalg.norm(a - e) / scale)


def compare(
    actual, expected, rtol: float = 1e-7, name: str = "value"
) -> Comparison:
    """Relative error of ``actual`` against ``expected``, with both kept for the report."""
    if not rtol > 0:
        raise ValueError(f"rtol must be positive, got {rtol}")
    a = as_finite_array(actual, "actual")
    e = as_finite_array(expected, "expected")
    return Comparison(name, a, e, relative_error(a, e), float(rtol))


def assert_close(
    actual, expected, rtol: float = 1e-7, name: str = "value"
) -> Comparison:
    """``compare``, raising ``AssertionError`` with both values when the relative error exceeds ``rtol``.

    The default tolerance is CS231n's "good" threshold for central-difference gradient checks.
    """
    result = compare(actual, expected, rtol, name)
    if not result.ok:
        raise AssertionError(
            f"{result}\nactual:\n{result.actual}\nexpected:\n{result.expected}"
        )
    return result
