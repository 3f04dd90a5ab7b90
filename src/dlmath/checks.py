"""Checks: of the arguments a helper is given, and of a result against another.

Arguments. Every public function checks its arguments with the functions
below, so one bad input gets one error wherever it is passed:

* ``TypeError`` when the value is not of the kind expected (a string for a
  number, a bool for a count, a float for a count, an int for a Generator);
  ``ValueError`` when it is of the right kind but out of range or of the
  wrong shape;
* the message names the parameter and what was expected, then what was
  given: ``"lr must be a positive finite number, got 0.0"``; for an array,
  where its first bad entry is and what it holds, never the whole array
  (a message stays short whatever the size of the input);
* every check runs before any work, and before any function the caller
  passed in is called.

Empty arrays are refused unless a function says it accepts them: a mean,
a median or a comparison over no numbers has no value.

The NaN rule: nan is never a valid value, and every check refuses it; so are
±inf unless the interval asked for includes them (``"(0, inf]"``). The one
exception is ``interval=None`` (in ``as_array``, ``as_points``),
which lets any real number through. It is for points that come from an
optimiser's iterates: the Beale function, its derivatives and ``outcomes``,
the gradient oracles of :mod:`dlmath.problems`, and the gradients inside
``optimizers.run``. A diverging run produces inf, then nan, and must be
reported as diverged, not stopped by an error. A function that accepts
non-finite input says so in its docstring.

Results. :func:`assert_close` compares two computations of one quantity and
shows both when they disagree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "assert_close",
    "compare",
    "relative_error",
]

# Columns of printed text that the book's code column shows without
# scrolling (ruff's line length; see _static/book.css).
REPORT_WIDTH = 79


_INTERVAL = re.compile(
    r"^([\[(])\s*(-?inf|[-+0-9.e]+)\s*,\s*(-?inf|[-+0-9.e]+)\s*([\])])$"
)
# the common intervals, said in words: "a positive finite number"
_WORDS = {
    "(-inf, inf)": "finite",
    "(0, inf)": "positive finite",
    "[0, inf)": "non-negative finite",
}


@functools.cache
def _bounds(interval: str) -> tuple[str, float, float, str]:
    match = _INTERVAL.match(interval)
    if match is None:
        raise ValueError(
            f'interval must look like "[0, 1)" or "(0, inf]", got {interval!r}'
        )
    left, low, high, right = match.groups()
    return left, float(low), float(high), right


def _contains(interval: str, values) -> np.ndarray:
    """Whether each value lies in ``interval``, e.g. "[0, 1)"; nan is in
    none."""
    left, low, high, right = _bounds(interval)
    above = values >= low if left == "[" else values > low
    below = values <= high if right == "]" else values < high
    return above & below


def _in_words(interval: str, noun: str) -> str:
    """``noun`` qualified by the interval, in words where there are words
    for it: "positive finite number", "number in [0, 1)"."""
    if interval in _WORDS:
        return f"{_WORDS[interval]} {noun}"
    return f"{noun} in {interval}"


# The longest repr of a given value that a message quotes.
_SHOWN = 60


def _show(value) -> str:
    """``repr(value)``, cut short: a message names what was given, it does
    not reproduce it."""
    if isinstance(value, np.ndarray) and value.size > 1:
        return f"an array of shape {value.shape}"
    text = repr(value)
    if len(text) <= _SHOWN:
        return text
    return f"{text[: _SHOWN - 5]}... ({type(value).__name__})"


def _first_bad(array: np.ndarray, good: np.ndarray) -> str:
    """Where the first entry of ``array`` outside ``good`` is, and what it
    is: "entry 3 is nan", "entry (1, 0) is -2.0"."""
    flat = int(np.argmin(np.ravel(good)))
    value = np.ravel(array)[flat]
    if array.ndim == 0:
        where = "got"
    elif array.ndim == 1:
        where = f"entry {flat} is"
    else:
        index = np.unravel_index(flat, array.shape)
        where = f"entry {tuple(int(i) for i in index)} is"
    return f"{where} {_show(value.item())}"


def _is_real_scalar(value) -> bool:
    # bool is an int to Python, but True is never meant as a number here
    return isinstance(
        value, (int, float, np.integer, np.floating)
    ) and not isinstance(value, (bool, np.bool_))


def _is_real(value) -> bool:
    """An entry of an object array that is a real number: a float, an int, or
    a sympy number, which float() converts; not None, a bool, a string or a
    complex number, which it would convert to nan or refuse."""
    return not (
        value is None
        or isinstance(value, (bool, np.bool_, str, bytes, complex))
    )


def as_count(value, name: str, minimum: int = 0) -> int:
    """``value`` as an int of at least ``minimum``: a size, a step count or
    a seed.

    ``TypeError`` unless an int (a numpy integer will do; a bool or a float,
    even 3.0, will not); ``ValueError`` below ``minimum``.
    """
    expected = {0: "a non-negative integer", 1: "a positive integer"}.get(
        minimum, f"an integer of at least {minimum}"
    )
    if not isinstance(value, (int, np.integer)) or isinstance(
        value, (bool, np.bool_)
    ):
        raise TypeError(f"{name} must be {expected}, got {_show(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be {expected}, got {_show(value)}")
    return int(value)


def as_counts(value, name: str, minimum: int = 0) -> np.ndarray:
    """``value`` as an int64 array (or a 0-d one) of counts, each at least
    ``minimum``: as :func:`as_count`, entry by entry."""
    expected = {0: "non-negative integers", 1: "positive integers"}.get(
        minimum, f"integers of at least {minimum}"
    )
    try:
        array = np.asarray(value)
    except ValueError as exc:  # a ragged list
        raise TypeError(
            f"{name} must hold only {expected}, got {_show(value)}"
        ) from exc
    if array.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold only {expected}, got {_show(value)}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if np.any(array < minimum):
        raise ValueError(
            f"{name} must hold only {expected}: "
            + _first_bad(array, array >= minimum)
        )
    return array.astype(np.int64)


def as_number(value, name: str, interval: str = "(-inf, inf)") -> float:
    """``value`` as a float in ``interval`` ("(0, inf)", "[0, 1)", ...).

    ``TypeError`` unless a real number (an int, a float or a numpy scalar;
    not a bool, not a string); ``ValueError`` outside the interval. The
    default interval asks only for a finite number.
    """
    expected = "a " + _in_words(interval, "number")
    if not _is_real_scalar(value):
        raise TypeError(f"{name} must be {expected}, got {_show(value)}")
    if not _contains(interval, float(value)):
        raise ValueError(f"{name} must be {expected}, got {_show(value)}")
    return float(value)


def as_array(
    value,
    name: str,
    interval: str | None = "(-inf, inf)",
    allow_empty: bool = False,
) -> np.ndarray:
    """``value`` as a float64 array whose every entry lies in ``interval``.

    ``TypeError`` unless it holds real numbers (ints or floats, not bools,
    strings or complex numbers); ``ValueError`` if it is empty (unless
    ``allow_empty``) or an entry lies outside the interval, naming the first
    such entry. The default asks for finite entries; ``interval=None`` lets
    inf and nan through (for an optimiser's iterates: see the module
    docstring).
    """
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "iufO" or (
            array.dtype.kind == "O" and not all(map(_is_real, array.flat))
        ):
            raise TypeError
        array = array.astype(np.float64, copy=False)
    except (TypeError, ValueError) as exc:
        given = (
            f"an array of dtype {value.dtype}"
            if isinstance(value, np.ndarray)
            else type(value).__name__
        )
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, "
            f"got {given}"
        ) from exc
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if interval is not None:
        inside = _contains(interval, array)
        if not np.all(inside):
            expected = _in_words(interval, "numbers")
            raise ValueError(
                f"{name} must hold only {expected}: "
                + _first_bad(array, inside)
            )
    return array


def as_points(
    value,
    name: str,
    dim: int,
    interval: str | None = "(-inf, inf)",
    dim_from: str | None = None,
) -> np.ndarray:
    """``value`` as a float64 array of shape ``(..., dim)``: a batch of
    points, one per row, as the optimisers step them.

    The entries are checked as by :func:`as_array`; ``ValueError`` unless
    the last axis has length ``dim``. ``dim_from`` names the argument that
    set ``dim``, for the message (either of the two may be the wrong one).
    """
    array = as_array(value, name, interval)
    if array.ndim == 0 or array.shape[-1] != dim:
        source = f" (as {dim_from} says)" if dim_from else ""
        raise ValueError(
            f"{name} must have shape (..., {dim}){source}, "
            f"got shape {array.shape}"
        )
    return array


def as_vector(
    value, name: str, interval: str | None = "(-inf, inf)"
) -> np.ndarray:
    """``value`` as a non-empty 1-D float64 array, entries checked as by
    :func:`as_array`."""
    array = as_array(value, name, interval)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D array, got shape {array.shape}"
        )
    return array


def as_square_matrix(value, name: str) -> np.ndarray:
    """``value`` as a non-empty square float64 matrix of finite numbers."""
    array = as_array(value, name)
    rows, columns = array.shape if array.ndim == 2 else (0, None)
    if rows != columns or rows == 0:
        raise ValueError(
            f"{name} must be a non-empty square matrix, "
            f"got shape {array.shape}"
        )
    return array


def as_generator(value, name: str = "rng") -> np.random.Generator:
    """``value`` if it is a numpy Generator (``np.random.default_rng(seed)``).

    ``TypeError`` otherwise: a seed or the legacy ``np.random`` module would
    make the results depend on how the caller seeded, not on one generator.
    """
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy Generator, got {type(value).__name__}"
        )
    return value


def as_flag(value, name: str) -> bool:
    """``value`` if it is ``True`` or ``False``; ``TypeError`` otherwise (a 0
    or a "no" would pass a truth test and mean something else)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_show(value)}")
    return bool(value)


def as_text(value, name: str) -> str:
    """``value`` if it is a ``str``; ``TypeError`` otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_show(value)}")
    return value


def as_callable(value, name: str) -> Callable:
    """``value`` if it can be called; ``TypeError`` otherwise."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    return value


@dataclass(frozen=True)
class Comparison:
    """Two values of one quantity and their relative error
    ``‖a − b‖ / max(‖a‖, ‖b‖)``."""

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
    """``‖actual − expected‖ / max(‖actual‖, ‖expected‖)`` (Frobenius norms);
    0 when both are 0."""
    a = as_array(actual, "actual")
    e = as_array(expected, "expected")
    if a.shape != e.shape:
        raise ValueError(
            "actual and expected must have one shape, cannot compare "
            f"shapes {a.shape} and {e.shape}"
        )
    scale = max(np.linalg.norm(a), np.linalg.norm(e))
    return 0.0 if scale == 0.0 else float(np.linalg.norm(a - e) / scale)


def compare(
    actual, expected, rtol: float = 1e-7, name: str = "value"
) -> Comparison:
    """Relative error of ``actual`` against ``expected``, with both kept for
    the report."""
    rtol = as_number(rtol, "rtol", "(0, inf)")
    name = as_text(name, "name")
    a = as_array(actual, "actual")
    e = as_array(expected, "expected")
    return Comparison(name, a, e, relative_error(a, e), rtol)


def assert_close(
    actual, expected, rtol: float = 1e-7, name: str = "value"
) -> Comparison:
    """``compare``, raising ``AssertionError`` with both values when the
    relative error exceeds ``rtol``.

    The default tolerance is CS231n's "good" threshold for central-difference
    gradient checks.

    Parameters
    ----------
    actual, expected : array_like
        Two computations of one quantity: real numbers of one shape, finite,
        not empty.
    rtol : float
        The largest relative error ‖actual − expected‖ / max(‖actual‖,
        ‖expected‖) that counts as agreement; positive.
    name : str
        What is compared, for the printed verdict.

    Returns
    -------
    Comparison
        Both values, the relative error and the tolerance; ``str()`` of it is
        one line that states the tolerance, never rounding-level digits.

    Raises
    ------
    AssertionError
        When they disagree, showing both values.
    TypeError, ValueError
        For a bad argument, naming it.

    Examples
    --------
    >>> print(assert_close([1.0, 2.0], [1.0, 2.0 + 1e-12], name="sum"))
    sum: agree, relative error below 1e-07
    >>> a, b = [1.0, 2.0], [1.0, -2.0]
    >>> assert_close(a, b, name="sign")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    AssertionError: sign: DISAGREE, relative error 1.8 (tolerance 1e-07)
    actual:
    ...
    """
    result = compare(actual, expected, rtol, name)
    if not result.ok:
        raise AssertionError(
            f"{result}\nactual:\n{result.actual}\nexpected:\n{result.expected}"
        )
    return result
