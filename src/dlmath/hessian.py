"""What the Hessian says (chapter 2): the second-order Taylor model
m(x₀ + d) = f(x₀) + gᵀd + ½ dᵀHd, the second-derivative test at a
stationary point, and the slope of an error curve on log-log axes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .checks import as_array, as_number, as_points, as_square_matrix

__all__ = [
    "second_order_model",
    "classify_stationary_point",
    "loglog_slope",
]


def second_order_model(
    value, gradient, hessian, x0
) -> Callable[[np.ndarray], np.ndarray]:
    """The quadratic model of f at x₀ from f(x₀), ∇f(x₀) and ∇²f(x₀),
    evaluated on points of shape ``(..., n)``.

    The Hessian is symmetrised first: dᵀHd only sees (H + Hᵀ)/2, so a
    non-symmetric H changes nothing.
    """
    value = as_array(value, "value")
    g = as_array(gradient, "gradient")
    H = as_array(hessian, "hessian")
    x0 = as_array(x0, "x0")
    if value.shape != ():
        raise ValueError(
            f"value must be a scalar f(x0), got shape {value.shape}"
        )
    if x0.ndim != 1 or g.shape != x0.shape or H.shape != x0.shape * 2:
        raise ValueError(
            "need x0 and gradient of shape (n,) and hessian (n, n), "
            f"got {x0.shape}, {g.shape}, {H.shape}"
        )
    H = 0.5 * (H + H.T)

    def model(points) -> np.ndarray:
        d = as_points(points, "points", x0.size) - x0
        return value + d @ g + 0.5 * np.einsum("...i,ij,...j->...", d, H, d)

    return model


def classify_stationary_point(hessian, tol: float = 1e-9) -> str:
    """Second-derivative test from the eigenvalues of a symmetric Hessian:
    'minimum', 'maximum', 'saddle' or 'degenerate'.

    An eigenvalue within ``tol`` times the largest ``|eigenvalue|`` of 0 makes
    the test inconclusive ('degenerate'), unless another pair of eigenvalues
    already has opposite signs (a saddle either way).
    """
    h = as_square_matrix(hessian, "hessian")
    tol = as_number(tol, "tol", "[0, 1)")
    scale = np.max(np.abs(h))
    if not np.allclose(h, h.T, rtol=0, atol=1e-12 * max(scale, 1.0)):
        raise ValueError("hessian must be symmetric")
    eigenvalues = np.linalg.eigvalsh(h)
    cutoff = tol * max(np.max(np.abs(eigenvalues)), np.finfo(float).tiny)
    positive, negative = (
        np.any(eigenvalues > cutoff),
        np.any(eigenvalues < -cutoff),
    )
    if positive and negative:
        return "saddle"
    if np.any(np.abs(eigenvalues) <= cutoff):
        return "degenerate"
    return "minimum" if positive else "maximum"


def loglog_slope(x, y) -> float:
    """Least-squares slope of log y against log x: the order p of an error
    that behaves like C xᵖ."""
    x = as_array(x, "x", "(0, inf)")
    y = as_array(y, "y", "(0, inf)")
    if x.ndim != 1 or x.shape != y.shape or x.size < 2:
        raise ValueError(
            "x and y must be 1-D of one length >= 2, "
            f"got {x.shape} and {y.shape}"
        )
    if np.all(x == x[0]):
        # a vertical line has no slope (LAPACK: "SVD did not converge")
        raise ValueError(
            f"x must hold two different values, got {x[0]:g} only"
        )
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])
