"""Gradient descent on a quadratic h(x) = ½ xᵀQx + cᵀx with Q symmetric
positive definite (chapter 5.2).

With Q = U diag(λ) Uᵀ and r_t = x_t − x*, gradient descent with step η gives
r_t = U diag((1 − ηλ_i)^t) Uᵀ r_0: every eigen-component decays (or grows) on
its own, by the factor 1 − ηλ_i per step. Everything here follows from that
formula.

Vectors are rows: a batch of points has shape ``(..., n)``, as in
:func:`dlmath.optimizers.run`.
"""

from __future__ import annotations

import numpy as np

from .checks import (
    as_array,
    as_count,
    as_generator,
    as_number,
    as_points,
    as_square_matrix,
    as_vector,
)

__all__ = [
    "check_spd",
    "random_orthogonal",
    "quadratic_from_eigenvalues",
    "quadratic_value",
    "minimiser",
    "quadratic_grad_fn",
    "gd_errors",
    "convergence_rate",
    "optimal_step",
    "optimal_rate",
    "classify_step",
    "slowest_direction",
    "classify_trajectory",
    "ONE_STEP",
    "MONOTONE",
    "OSCILLATING",
    "BOUNDARY",
    "DIVERGING",
    "FACTOR_TOL",
]

# Labels of :func:`classify_step` and :func:`classify_trajectory`.
ONE_STEP = "converges in one step"
MONOTONE = "converges monotonically"
OSCILLATING = "converges, oscillating"
BOUNDARY = "oscillates, neither converges nor diverges"
DIVERGING = "diverges, oscillating"

# A per-step factor within this of 1 in size counts as 1 (the boundary case,
# ηλ_max = 2), and one within this of 0 counts as 0 (ηλ_max = 1: the
# component is gone after one step), in the prediction and in a run alike.
# Far above the rounding of η·λ_max: for η = 2/λ_max the float product is
# 1.9999999999999998, not 2, for about 14 % of λ_max values, and at
# η = 1/λ_max a run leaves rounding noise of about 1e-16 |ρ_0|. Far below
# the margin of any step one would choose.
FACTOR_TOL = 1e-9


def _eigenvalues(eigenvalues) -> np.ndarray:
    # positive: Q positive definite
    return as_vector(eigenvalues, "eigenvalues", "(0, inf)")


def _step_sizes(lr) -> np.ndarray:
    return as_array(lr, "lr", "(0, inf)")


def _broadcast(shape: tuple, name: str, **shapes) -> tuple:
    """``shape`` broadcast with each of ``shapes``; ``ValueError`` naming
    the first that does not broadcast."""
    for key, other in shapes.items():
        try:
            shape = np.broadcast_shapes(shape, other)
        except ValueError:
            raise ValueError(
                f"{key} of shape {other} must broadcast against {name}, "
                f"of shape {shape}"
            ) from None
    return shape


def check_spd(Q, rtol: float = 1e-10) -> np.ndarray:
    """``Q`` as a float64 array; ``ValueError`` unless it is square,
    symmetric and positive definite (to ``rtol``, relative to its largest
    entry)."""
    Q = as_square_matrix(Q, "Q")
    rtol = as_number(rtol, "rtol", "[0, 1)")
    scale = max(np.abs(Q).max(), np.finfo(float).tiny)
    if np.abs(Q - Q.T).max() > rtol * scale:
        # xᵀQx > 0 for all x ≠ 0 does not make Q symmetric; the formulas
        # here need Q = Qᵀ.
        raise ValueError(
            "Q must be symmetric: the gradient of ½xᵀQx is ½(Q + Qᵀ)x, not Qx"
        )
    if np.linalg.eigvalsh(Q).min() <= 0:
        raise ValueError(
            "Q must be positive definite: "
            "its smallest eigenvalue is not positive"
        )
    return Q


def random_orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    """A Haar-random n x n orthogonal matrix: QR of a Gaussian matrix, signs
    fixed (Mezzadri 2007)."""
    as_count(n, "n", 1)
    rng = as_generator(rng)
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    # without the sign fix QR is not Haar-distributed
    return q * np.sign(np.diag(r))


def quadratic_from_eigenvalues(
    eigenvalues, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``(Q, U)`` with Q = U diag(λ) Uᵀ for a random orthogonal U; the
    columns of U are the eigenvectors."""
    lam = _eigenvalues(eigenvalues)
    U = random_orthogonal(lam.size, rng)
    Q = (U * lam) @ U.T
    # symmetric to the last bit, so check_spd accepts it
    return (Q + Q.T) / 2, U


def quadratic_value(x, Q, c=None) -> np.ndarray:
    """h(x) = ½ xᵀQx + cᵀx for rows x of shape (..., n); ``c`` = None is 0."""
    Q = check_spd(Q)
    x = as_points(x, "x", Q.shape[0])
    if c is None:
        return 0.5 * np.einsum("...i,ij,...j->...", x, Q, x)
    c = as_points(c, "c", Q.shape[0], dim_from="Q")
    _broadcast(x.shape[:-1], "x's batch axes", c=c.shape[:-1])
    return 0.5 * np.einsum("...i,ij,...j->...", x, Q, x) + np.einsum(
        "...i,...i->...", x, c
    )


def minimiser(Q, c) -> np.ndarray:
    """x* = −Q⁻¹c, the zero of ∇h(x) = Qx + c; ``c`` may be a batch of shape
    (..., n)."""
    Q = check_spd(Q)
    c = as_points(c, "c", Q.shape[0], dim_from="Q")
    # one solve for every row of c
    return -np.linalg.solve(Q, c[..., None])[..., 0]


def quadratic_grad_fn(Q, c):
    """The function x ↦ ∇h(x) = Qx + c on rows x of shape (..., n), for
    :func:`dlmath.optimizers.run`; Q and c are checked once, here."""
    Q = check_spd(Q)
    c = as_array(c, "c")
    if c.shape != (Q.shape[0],):
        raise ValueError(
            f"c must have shape ({Q.shape[0]},), got shape {c.shape}"
        )

    def grad(x):
        # an optimiser's iterates: inf and nan pass (checks module docstring)
        x = as_points(x, "x", Q.shape[0], interval=None, dim_from="Q")
        return x @ Q + c  # rows: (Qx)ᵀ = xᵀQᵀ = xᵀQ for symmetric Q

    return grad


def gd_errors(Q, r0, lr, num_steps: int) -> np.ndarray:
    """r_t = U diag((1 − ηλ_i)^t) Uᵀ r_0 for t = 0..T, shape
    (T + 1,) + broadcast(lr, r0 batch) + (n,).

    ``lr`` may be an array; it broadcasts against the batch axes of ``r0``
    (shape (..., n)).
    """
    Q = check_spd(Q)
    r0 = as_points(r0, "r0", Q.shape[0], dim_from="Q")
    eta = _step_sizes(lr)
    as_count(num_steps, "num_steps")
    batch = _broadcast(r0.shape[:-1], "r0's batch axes", lr=eta.shape)
    lam, U = np.linalg.eigh(Q)
    # 1 − ηλ_i, per step size
    factors = np.broadcast_to(1 - eta[..., None] * lam, batch + lam.shape)
    t = np.arange(num_steps + 1).reshape((-1,) + (1,) * factors.ndim)
    rho0 = r0 @ U  # ρ_0 = Uᵀ r_0, as rows
    # ρ_t = (1 − ηλ_i)^t ρ_0, back to r_t = U ρ_t
    return (factors**t * rho0) @ U.T


def convergence_rate(eigenvalues, lr) -> np.ndarray:
    """``max_i |1 − ηλ_i|``: the factor by which the worst eigen-component of
    the error shrinks per step."""
    lam = _eigenvalues(eigenvalues)
    eta = _step_sizes(lr)
    # |1 − ηλ| is convex in λ, so its maximum over the spectrum is at λ_min
    # or λ_max.
    return np.maximum(np.abs(1 - eta * lam.min()), np.abs(1 - eta * lam.max()))


def optimal_step(eigenvalues) -> float:
    """η* = 2 / (λ_min + λ_max), where ``|1 − ηλ_min| = |1 − ηλ_max|`` and the
    rate is smallest."""
    lam = _eigenvalues(eigenvalues)
    return float(2 / (lam.min() + lam.max()))


def optimal_rate(eigenvalues) -> float:
    """The rate at η*: (κ − 1)/(κ + 1) with κ = λ_max/λ_min."""
    lam = _eigenvalues(eigenvalues)
    kappa = lam.max() / lam.min()
    return float((kappa - 1) / (kappa + 1))


def classify_step(eigenvalues, lr) -> np.ndarray:
    """Predicted behaviour of gradient descent from a generic start, from the
    factor 1 − ηλ_max.

    The λ_max component of the error is multiplied by q = 1 − ηλ_max each
    step: ηλ_max = 1 gives q = 0, gone in one step; ηλ_max < 1 gives q in
    (0, 1), monotone; 1 < ηλ_max < 2 flips its sign each step but shrinks
    it; ηλ_max = 2 flips it with constant size; ηλ_max > 2 grows it. One
    rule, ``_behaviour``, labels both this prediction and a run
    (:func:`classify_trajectory`), with one tolerance, FACTOR_TOL = 1e-9: a
    factor within it of 0 in size counts as 0 and one within it of 1 counts
    as 1, so η = 1/λ_max and η = 2/λ_max are the one-step and the boundary
    case however their product with λ_max rounds.

    Examples
    --------
    >>> classify_step([1.0, 4.0], [0.1, 0.25, 0.4, 0.5, 0.6])
    array(['converges monotonically', 'converges in one step',
           'converges, oscillating',
           'oscillates, neither converges nor diverges',
           'diverges, oscillating'], dtype=object)
    """
    lam = _eigenvalues(eigenvalues)
    eta = _step_sizes(lr)
    factor = 1 - eta * lam.max()
    return _behaviour(np.abs(factor), np.abs(factor), factor < 0)


def slowest_direction(eigenvalues, lr) -> np.ndarray:
    """Which eigen-direction converges last: 'min' (η < η*), 'max' (η > η*)
    or 'tie' (η = η*, to rounding)."""
    lam = _eigenvalues(eigenvalues)
    eta = _step_sizes(lr)
    at_min, at_max = np.abs(1 - eta * lam.min()), np.abs(1 - eta * lam.max())
    # η* = 2/(λ_min + λ_max) is itself rounded
    tie = np.isclose(at_min, at_max, rtol=1e-12, atol=0)
    return np.where(
        tie, "tie", np.where(at_min > at_max, "min", "max")
    ).astype(object)


def classify_trajectory(rho_max) -> np.ndarray:
    """Observed behaviour from the λ_max eigen-component ρ_t of the error,
    shape (T + 1, ...), T ≥ 2.

    The first factor is ``|ρ_1 / ρ_0|``; the per-step size is the geometric
    mean ``(|ρ_T| / |ρ_0|)^{1/T}``, computed from logarithms; oscillating means
    that the sign flips at every step until ρ reaches 0 (if it does), read
    from the signs, never from products of neighbours (which underflow).
    One rule, ``_behaviour``, labels these and the predicted factor of
    :func:`classify_step`: a first factor within FACTOR_TOL = 1e-9 of 0
    means the component is gone after one step (what follows is rounding),
    and a size within FACTOR_TOL of 1 counts as 1 (neither converges nor
    diverges).

    Examples
    --------
    >>> classify_trajectory([[1.0, 1.0], [-0.5, 0.5], [0.25, 0.25]])
    array(['converges, oscillating', 'converges monotonically'], dtype=object)
    >>> classify_trajectory((-1e-15) ** np.arange(13.0))
    'converges in one step'
    """
    rho = as_array(rho_max, "rho_max")
    if rho.ndim == 0 or rho.shape[0] < 3:
        raise ValueError(
            "rho_max must have at least 3 steps along axis 0, "
            f"got shape {rho.shape}"
        )
    if np.any(rho[0] == 0):
        raise ValueError(
            "rho_max must start away from 0, or nothing can be observed"
        )
    steps = rho.shape[0] - 1
    with np.errstate(divide="ignore"):  # log 0 = −∞: a size of 0
        log_size = np.log(np.abs(rho))
    first = np.exp(log_size[1] - log_size[0])
    per_step = np.exp((log_size[-1] - log_size[0]) / steps)
    sign = np.sign(rho)
    # a flip at every step; a 0 reached stays 0 under gradient descent
    alternates = np.all((sign[1:] * sign[:-1] < 0) | (sign[1:] == 0), axis=0)
    labels = _behaviour(first, per_step, alternates)
    return labels if labels.ndim else labels.item()


def _behaviour(first, size, oscillates) -> np.ndarray:
    """The one rule for both predicted and observed behaviour of the λ_max
    component.

    ``first`` is the size of its first step's factor, ``size`` the factor by
    which it shrinks or grows per step, ``oscillates`` whether it flips sign
    each step. A first factor within FACTOR_TOL of 0 counts as 0: gone in
    one step, whatever the signs of the rounding after it. A size within
    FACTOR_TOL of 1 counts as exactly 1: neither converging nor diverging.
    Not oscillating and not shrinking (impossible for gradient descent with
    ηλ_max > FACTOR_TOL) is 'other'.
    """
    shrinks, grows = size < 1 - FACTOR_TOL, size > 1 + FACTOR_TOL
    return np.where(
        first <= FACTOR_TOL,
        ONE_STEP,
        np.where(
            oscillates,
            np.where(
                shrinks, OSCILLATING, np.where(grows, DIVERGING, BOUNDARY)
            ),
            np.where(shrinks, MONOTONE, "other"),
        ),
    ).astype(object)
