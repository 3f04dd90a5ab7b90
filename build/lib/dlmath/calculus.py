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
    as_array,
    as_callable,
    as_number,
    as_vector,
    relative_error,
)


def _evaluate(f: Callable, x: np.ndarray) -> np.ndarray:
    return as_array(f(x), "f(x)")


def numerical_jacobian(f: Callable, x, eps: float = 1e-6) -> np.ndarray:
    """Central-difference derivative of ``f`` at ``x``:
    ``J[i..., j...] = ∂f_i/∂x_j``, shape ``f(x).shape + x.shape``.

    Each entry is ``(f(x + eps e_j) − f(x − eps e_j)) / (2 eps)``, exact for
    quadratics and with error O(eps²) otherwise.
    """
    as_callable(f, "f")
    x = as_array(x, "x")
    eps = as_number(eps, "eps", "(0, inf)")
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
    """
    as_callable(f, "f")
    x = as_array(x, "x")
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
    x = as_array(x, "x")
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
    """
    as_callable(method, "method")
    steps = as_vector(steps, "steps", "(0, inf)")
    return np.array(
        [relative_error(method(f, x, float(h)), exact) for h in steps]
    )
