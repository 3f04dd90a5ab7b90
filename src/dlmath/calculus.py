"""Numerical derivatives by central differences, in numerator layout, and
how their error depends on the step.

Numerator layout: the derivative of an output of shape ``S`` by an input of
shape ``T`` has shape ``S + T``; for a vector function ``f: R^n -> R^m``
that is the m x n Jacobian whose rows are outputs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .checks import (
    _first_bad,
    as_array,
    as_callable,
    as_number,
    as_vector,
    relative_error,
)

__all__ = [
    "numerical_jacobian",
    "numerical_gradient",
    "numerical_hessian",
    "central_difference_errors",
]


def _evaluate(f: Callable, x: np.ndarray) -> np.ndarray:
    return as_array(f(x), "f(x)")


def _step(eps, x: np.ndarray, name: str = "eps") -> float:
    """``eps`` checked as a step at ``x``: positive, and large enough that
    x ± eps differs from x in every entry and stays finite (eps = 1e-300
    would make every difference 0 and the derivative silently 0)."""
    eps = as_number(eps, name, "(0, inf)")
    with np.errstate(over="ignore"):
        forward, backward = x + eps, x - eps
    moved = (forward != x) & (backward != x)
    if not np.all(moved):
        raise ValueError(
            f"{name}: {eps:g} is below the float64 spacing at x: x ± eps == x "
            "at " + _first_bad(x, moved).replace(" is ", " = ")
        )
    finite = np.isfinite(forward) & np.isfinite(backward)
    if not np.all(finite):
        raise ValueError(
            f"{name}: {eps:g} is too large: x ± eps overflows at "
            + _first_bad(x, finite).replace(" is ", " = ")
        )
    return eps


def numerical_jacobian(f: Callable, x, eps: float = 1e-6) -> np.ndarray:
    """Central-difference derivative of ``f`` at ``x``:
    ``J[i..., j...] = ∂f_i/∂x_j``, shape ``f(x).shape + x.shape``.

    Each entry is ``(f(x + eps e_j) − f(x − eps e_j)) / (2 eps)``, exact for
    quadratics and with error O(eps²) otherwise.
    """
    as_callable(f, "f")
    x = as_array(x, "x")
    eps = _step(eps, x)
    out_shape = _evaluate(f, x).shape
    columns = np.empty(out_shape + (x.size,))
    for j in range(x.size):
        step = np.zeros(x.size)
        step[j] = eps
        step = step.reshape(x.shape)
        forward, backward = _evaluate(f, x + step), _evaluate(f, x - step)
        if forward.shape != out_shape or backward.shape != out_shape:
            raise ValueError(
                f"f must return one shape for all inputs, "
                f"got {out_shape} and {forward.shape}"
            )
        columns[..., j] = (forward - backward) / (2 * eps)
    return columns.reshape(out_shape + x.shape)


def numerical_gradient(f: Callable, x, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar ``f`` at ``x``, with the shape
    of ``x``.

    This is the numerator-layout derivative (a row for a column ``x``) laid
    out like ``x``.

    Parameters
    ----------
    f : callable
        Maps an array of the shape of ``x`` to a real number.
    x : array_like
        The point: finite real numbers, any shape.
    eps : float
        The step; positive, and large enough that x ± eps differs from x in
        every entry (else every difference would be 0).

    Returns
    -------
    numpy.ndarray
        ∂f/∂x, of the shape of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from dlmath.checks import assert_close
    >>> x = np.array([1.0, -2.0, 0.5])
    >>> print(assert_close(numerical_gradient(lambda v: v @ v, x), 2 * x))
    value: agree, relative error below 1e-07
    >>> numerical_gradient(lambda v: v @ v, x, 1e-300)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: eps: 1e-300 is below the float64 spacing at x: ...
    """
    as_callable(f, "f")
    x = as_array(x, "x")
    _step(eps, x)
    value = _evaluate(f, x)
    if value.shape != ():
        raise ValueError(
            f"f must return a scalar for a gradient, got shape {value.shape}"
        )
    return numerical_jacobian(f, x, eps)


def numerical_hessian(f: Callable, x, eps: float = 1e-4) -> np.ndarray:
    """Hessian of a scalar ``f`` at ``x`` as the central-difference Jacobian
    of its central-difference gradient.

    The larger default step balances the O(eps²) truncation of the two
    nested differences against the rounding error, which grows like
    machine-epsilon / eps².
    """
    as_callable(f, "f")
    x = as_array(x, "x")
    _step(eps, x)
    return numerical_jacobian(
        lambda point: numerical_gradient(f, point, eps), x, eps
    )


def central_difference_errors(
    f: Callable, x, exact, steps, method: Callable = numerical_jacobian
) -> np.ndarray:
    """Relative error of ``method(f, x, h)`` against ``exact`` for each step
    size ``h`` in ``steps``.

    ``method`` is :func:`numerical_jacobian` (or :func:`numerical_gradient`),
    whose error falls like eps² on the right and whose rounding error grows
    like machine-epsilon / eps on the left, or :func:`numerical_hessian`,
    whose rounding error grows like machine-epsilon / eps².

    Every argument is checked before ``f`` is called: ``exact`` must end
    with the shape of ``x`` (the input axes of a derivative), and its full
    shape is compared with the first result, before any other step.
    """
    as_callable(f, "f")
    x = as_array(x, "x")
    exact = as_array(exact, "exact")
    steps = as_vector(steps, "steps", "(0, inf)")
    as_callable(method, "method")
    if x.ndim and exact.shape[exact.ndim - x.ndim :] != x.shape:
        raise ValueError(
            f"exact must end with the shape of x, {x.shape} (a derivative "
            f"by x), got shape {exact.shape}"
        )
    for h in steps:
        _step(h, x, "steps")
    errors = []
    for h in steps:
        result = as_array(method(f, x, float(h)), "method(f, x, h)")
        if result.shape != exact.shape:
            raise ValueError(
                f"exact must have the shape of method(f, x, h), "
                f"{result.shape}, got shape {exact.shape}"
            )
        errors.append(relative_error(result, exact))
    return np.array(errors)
