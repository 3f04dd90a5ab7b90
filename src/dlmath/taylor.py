"""The second-order Taylor model m(x₀ + d) = f(x₀) + gᵀd + ½ dᵀHd, and the slope of an error curve."""

from __future__ import annotations

from typing import Callable

import numpy as np

from .checks import as_finite_array


def second_order_model(
    value, gradient, hessian, x0
) -> Callable[[np.ndarray], np.ndarray]:
    """The quadratic model of f at x₀ from f(x₀), ∇f(x₀) and ∇²f(x₀), evaluated on points of shape ``(..., n)``.

    The Hessian is symmetrised first: dᵀHd only sees (H + Hᵀ)/2, so a non-symmetric H changes nothing.
    """
    value = as_finite_array(value, "value")
    g = as_finite_array(gradient, "gradient")
    H = as_finite_array(hessian, "hessian")
    x0 = as_finite_array(x0, "x0")
    if value.shape != ():
        raise ValueError(
            f"value must be a scalar f(x0), got shape {value.shape}"
        )
    if x0.ndim != 1 or g.shape != x0.shape or H.shape != x0.shape * 2:
        raise ValueError(
            f"need x0 and gradient of shape (n,) and hessian (n, n), got {x0.shape}, {g.shape}, {H.shape}"
        )
    H = 0.5 * (H + H.T)

    def model(points) -> np.ndarray:
        p = as_finite_array(points, "points")
        if p.shape[-1:] != x0.shape:
            raise ValueError(
                f"points must have shape (..., {x0.size}), got {p.shape}"
            )
        d = p - x0
        return value + d @ g + 0.5 * np.einsum("...i,ij,...j->...", d, H, d)

    return model


def loglog_slope(x, y) -> float:
    """Least-squares slope of log y against log x: the order p of an error that behaves like C xᵖ."""
    x = as_finite_array(x, "x")
    y = as_finite_array(y, "y")
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(
            f"x and y must be 1-D of one length >= 2, got {x.shape} and {y.shape}"
        )
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be positive to take logarithms")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])
