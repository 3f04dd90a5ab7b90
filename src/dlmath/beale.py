"""The Beale function (Beale 1958, chapter 5.1), its derivatives, vectorised
over points, and where an optimiser's run on it ended.

Written as a sum of squared residuals, F(x, y) = Σᵢ rᵢ², rᵢ = cᵢ − x (1 − yⁱ),
c = (1.5, 2.25, 2.625), so that the gradient is 2 Σ rᵢ ∇rᵢ and the Hessian
2 Σ (∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ) (Gauss–Newton part plus curvature of the
residuals). Every function takes points of shape ``(..., 2)``, the last axis
holding (x, y), and works row by row, so one call evaluates a whole batch of
optimiser iterates. Non-finite points are allowed (a diverging optimiser
produces them) and give non-finite values.
"""

from __future__ import annotations

import numpy as np

from .checks import as_number, as_points

__all__ = [
    "beale",
    "beale_gradient",
    "beale_hessian",
    "outcomes",
    "COEFFICIENTS",
    "GLOBAL_MINIMUM",
    "SADDLE_LEVEL",
]

# c_i, i = 1, 2, 3: Python floats, the exact binary values 1.5, 2.25, 2.625
COEFFICIENTS = (1.5, 2.25, 2.625)
GLOBAL_MINIMUM = np.array([3.0, 0.5])  # F = 0 there, the only zero of F
# F on the lines x = 0 and y = 1, which cross at the saddle (0, 1)
SADDLE_LEVEL = 909 / 64


def _points(points, name: str = "points") -> np.ndarray:
    # a diverged run's iterates are inf or nan: let them through
    return as_points(points, name, 2, interval=None)


def _residuals(p: np.ndarray):
    """r_i, ∂r_i/∂x, ∂r_i/∂y, ∂²r_i/∂x∂y, ∂²r_i/∂y² for i = 1, 2, 3, each a
    tuple of three arrays (∂²r_i/∂x² = 0)."""
    x, y = p[..., 0], p[..., 1]
    c1, c2, c3 = COEFFICIENTS
    # Powers by multiplication, not np.power: IEEE products round the same on
    # every CPU, so seeded optimiser runs (which can be chaotic) give the same
    # numbers everywhere.
    # a diverged iterate gives inf/nan, not a warning
    with np.errstate(over="ignore", invalid="ignore"):
        y2 = y * y
        y3 = y2 * y
        r = (c1 - x + x * y, c2 - x + x * y2, c3 - x + x * y3)
        r_x = (y - 1, y2 - 1, y3 - 1)
        r_y = (x, 2 * x * y, 3 * x * y2)
        r_xy = (np.ones_like(y), 2 * y, 3 * y2)
        r_yy = (np.zeros_like(y), 2 * x, 6 * x * y)
    return r, r_x, r_y, r_xy, r_yy


def _dot(a, b):
    """Σ_i a_i b_i over i = 1, 2, 3, in a fixed order."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def beale(points) -> np.ndarray:
    """F(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²,
    shape ``points.shape[:-1]``."""
    r = _residuals(_points(points))[0]
    with np.errstate(over="ignore", invalid="ignore"):
        return _dot(r, r)


def beale_gradient(points) -> np.ndarray:
    """∇F = 2 Σᵢ rᵢ ∇rᵢ, laid out like ``points`` (..., 2): the column
    gradient, row by row."""
    p = _points(points)
    x, y = p[..., 0], p[..., 1]
    c1, c2, c3 = COEFFICIENTS
    # Inlined rather than built from _residuals: optimisers call this
    # thousands of times, and the Hessian-only terms and a second errstate
    # cost a third of the time. The products and sums are the same, in the
    # same order, so the results are bitwise those of _residuals.
    with np.errstate(over="ignore", invalid="ignore"):
        y2 = y * y
        y3 = y2 * y
        r1, r2, r3 = c1 - x + x * y, c2 - x + x * y2, c3 - x + x * y3
        gradient = np.empty(p.shape)
        gradient[..., 0] = 2 * (r1 * (y - 1) + r2 * (y2 - 1) + r3 * (y3 - 1))
        gradient[..., 1] = 2 * (r1 * x + r2 * (2 * x * y) + r3 * (3 * x * y2))
    return gradient


def beale_hessian(points) -> np.ndarray:
    """∇²F = 2 Σᵢ (∇rᵢ ∇rᵢᵀ + rᵢ ∇²rᵢ), shape (..., 2, 2), symmetric by
    construction."""
    r, r_x, r_y, r_xy, r_yy = _residuals(_points(points))
    with np.errstate(over="ignore", invalid="ignore"):
        f_xx = 2 * _dot(r_x, r_x)  # r_i is linear in x: no curvature term
        f_xy = 2 * (_dot(r_x, r_y) + _dot(r, r_xy))
        f_yy = 2 * (_dot(r_y, r_y) + _dot(r, r_yy))
        return np.stack(
            [np.stack([f_xx, f_xy], axis=-1), np.stack([f_xy, f_yy], axis=-1)],
            axis=-2,
        )


def outcomes(
    final_points, target=GLOBAL_MINIMUM, tol: float = 1e-2, bound: float = 1e3
) -> np.ndarray:
    """Where each run ended: 'minimum', 'diverged', 'escaping' or 'elsewhere',
    one label per point.

    'minimum': within ``tol`` of ``target``. 'diverged': non-finite or a
    coordinate beyond ``bound``. 'escaping': in the quadrant x < 0, y > 1
    below the saddle level F(0, 1) = 909/64; the quadrant's edges x = 0 and
    y = 1 lie on that level and it holds no stationary point, so a method
    that never increases F and takes steps too short to jump over an edge
    stays in it, sliding off towards x = −∞. For methods that can increase F
    (momentum, Adam, Adamax, or gradient descent with a large step) the label
    only says where the run is now. 'elsewhere': anything else.
    """
    p = _points(final_points, "final_points")
    t = as_points(target, "target", 2)
    if t.shape != (2,):
        raise ValueError(
            f"target must be one point of shape (2,), got shape {t.shape}"
        )
    as_number(tol, "tol", "(0, inf)")
    as_number(bound, "bound", "(0, inf)")
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
