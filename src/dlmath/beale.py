"""The Beale function (Beale 1958), its derivatives, vectorised over points, and what a stationary point is.

Written as a sum of squared residuals, F(x, y) = Σᵢ rᵢ², rᵢ = cᵢ − x (1 − yⁱ), c = (1.5, 2.25, 2.625),
so that the gradient is 2 Σ rᵢ ∇rᵢ and the Hessian 2 Σ (∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ) (Gauss–Newton part plus
curvature of the residuals). Every function takes points of shape ``(..., 2)``, the last axis
holding (x, y), and works row by row, so one call evaluates a whole batch of optimiser iterates.
Non-finite points are allowed (a diverging optimiser produces them) and give non-finite values.
"""

from __future__ import annotations

import numpy as np

COEFFICIENTS = np.array([1.5, 2.25, 2.625])  # c_i, i = 1, 2, 3
GLOBAL_MINIMUM = np.array([3.0, 0.5])  # F = 0 there, the only zero of F
# F on the lines x = 0 and y = 1, which cross at the saddle (0, 1)
SADDLE_LEVEL = 909 / 64


def _points(points) -> np.ndarray:
    try:
        p = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"points must be real numbers, got {type(points).__name__}"
        ) from exc
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(
            f"points must have shape (..., 2), the last axis holding (x, y), got {p.shape}"
        )
    return p


def _residuals(p: np.ndarray):
    """r_i, ∂r_i/∂x, ∂r_i/∂y, ∂²r_i/∂x∂y, ∂²r_i/∂y² for i = 1, 2, 3, each a tuple of three arrays (∂²r_i/∂x² = 0)."""
    x, y = p[..., 0], p[..., 1]
    # Powers by multiplication, not np.power: IEEE products round the same on every CPU, so seeded
    # optimiser runs (which can be chaotic) give the same numbers everywhere.
    # a diverged iterate gives inf/nan, not a warning
    with np.errstate(over="ignore", invalid="ignore"):
        y2 = y * y
        y3 = y2 * y
        r = (1.5 - x + x * y, 2.25 - x + x * y2, 2.625 - x + x * y3)
        r_x = (y - 1, y2 - 1, y3 - 1)
        r_y = (x, 2 * x * y, 3 * x * y2)
        r_xy = (np.ones_like(y), 2 * y, 3 * y2)
        r_yy = (np.zeros_like(y), 2 * x, 6 * x * y)
    return r, r_x, r_y, r_xy, r_yy


def _dot(a, b):
    """Σ_i a_i b_i over i = 1, 2, 3, in a fixed order."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def beale(points) -> np.ndarray:
    """F(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², shape ``points.shape[:-1]``."""
    r = _residuals(_points(points))[0]
    with np.errstate(over="ignore", invalid="ignore"):
        return _dot(r, r)


def beale_gradient(points) -> np.ndarray:
    """∇F = 2 Σᵢ rᵢ ∇rᵢ, laid out like ``points`` (..., 2): the column gradient, row by row."""
    p = _points(points)
    x, y = p[..., 0], p[..., 1]
    # Inlined rather than built from _residuals: optimisers call this thousands of times, and
    # the Hessian-only terms and a second errstate cost a third of the time. The products and
    # sums are the same, in the same order, so the results are bitwise those of _residuals.
    with np.errstate(over="ignore", invalid="ignore"):
        y2 = y * y
        y3 = y2 * y
        r1, r2, r3 = 1.5 - x + x * y, 2.25 - x + x * y2, 2.625 - x + x * y3
        gradient = np.empty(p.shape)
        gradient[..., 0] = 2 * (r1 * (y - 1) + r2 * (y2 - 1) + r3 * (y3 - 1))
        gradient[..., 1] = 2 * (r1 * x + r2 * (2 * x * y) + r3 * (3 * x * y2))
    return gradient


def beale_hessian(points) -> np.ndarray:
    """∇²F = 2 Σᵢ (∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ), shape (..., 2, 2), symmetric by construction."""
    r, r_x, r_y, r_xy, r_yy = _residuals(_points(points))
    with np.errstate(over="ignore", invalid="ignore"):
        f_xx = 2 * _dot(r_x, r_x)  # r_i is linear in x: no curvature term
        f_xy = 2 * (_dot(r_x, r_y) + _dot(r, r_xy))
        f_yy = 2 * (_dot(r_y, r_y) + _dot(r, r_yy))
        return np.stack(
            [np.stack([f_xx, f_xy], axis=-1), np.stack([f_xy, f_yy], axis=-1)],
            axis=-2,
        )


def classify_stationary_point(hessian, tol: float = 1e-9) -> str:
    """Second-derivative test from the eigenvalues of a symmetric Hessian: 'minimum', 'maximum', 'saddle' or 'degenerate'.

    An eigenvalue within ``tol`` times the largest |eigenvalue| of 0 makes the test inconclusive
    ('degenerate'), unless another pair of eigenvalues already has opposite signs (a saddle either way).
    """
    h = (
        np.asarray(hessian, dtype=np.float64)
        if not isinstance(hessian, str)
        else None
    )
    if h is None or h.ndim != 2 or h.shape[0] != h.shape[1] or h.shape[0] == 0:
        raise ValueError(
            f"hessian must be a non-empty square matrix, got {getattr(h, 'shape', hessian)!r}"
        )
    if not np.all(np.isfinite(h)):
        raise ValueError("hessian must be finite")
    if not (isinstance(tol, (int, float)) and 0 <= tol < 1):
        raise ValueError(f"tol must be in [0, 1), got {tol!r}")
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


def outcomes(
    final_points, target=GLOBAL_MINIMUM, tol: float = 1e-2, bound: float = 1e3
) -> np.ndarray:
    """Where each run ended: 'minimum', 'diverged', 'escaping' or 'elsewhere', one label per point.

    'minimum': within ``tol`` of ``target``. 'diverged': non-finite or a coordinate beyond ``bound``.
    'escaping': in the quadrant x < 0, y > 1 below the saddle level F(0, 1) = 909/64; the quadrant's
    edges x = 0 and y = 1 lie on that level and it holds no stationary point, so a method that never
    increases F and takes steps too short to jump over an edge stays in it, sliding off towards
    x = −∞. For methods that can increase F (momentum, Adam, Adamax, or gradient descent with a
    large step) the label only says where the run is now. 'elsewhere': anything else.
    """
    p = _points(final_points)
    t = np.asarray(target, dtype=np.float64)
    if t.shape != (2,):
        raise ValueError(
            f"target must be one point of shape (2,), got {t.shape}"
        )
    for name, value in (("tol", tol), ("bound", bound)):
        if not (
            isinstance(value, (int, float))
            and np.isfinite(value)
            and value > 0
        ):
            raise ValueError(
                f"{name} must be a positive finite number, got {value!r}"
            )
    with np.errstate(over="ignore", invalid="ignore"):
        distance = np.linalg.norm(p - t, axis=-1)
        diverged = ~np.all(np.isfinite(p), axis=-1) | (
            np.max(np.abs(p), axis=-1) > bound
        )
        escaping = (
            (p[..., 0] < 0) & (p[..., 1] > 1) & (beale(p) < SADDLE_LEVEL)
        )
    labels = np.where(escaping, "escaping", "elsewhere")
    labels = np.where(distance <= tol, "minimum", labels)
    return np.where(diverged, "diverged", labels)
