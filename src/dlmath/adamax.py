"""Adamax as the p → ∞ limit of Adam's L^p second moment (Kingma & Ba 2015,
section 7.1), and the step-size bound of Adamax (chapter 5.3).

Gradient sequences have time on axis 0 (``g[0]`` is g_1) and any batch axes
after it. The optimisers themselves live in :mod:`dlmath.optimizers` and the
test problems of the chapter's experiments in :mod:`dlmath.problems`; this
module only analyses the optimisers.
"""

from __future__ import annotations

import numpy as np

from .checks import as_array, as_count, as_counts, as_number
from .optimizers import _check_optimizer, run

__all__ = [
    "logsumexp",
    "log_lp_moment",
    "lp_moment",
    "lp_moment_direct",
    "log_lp_moment_as_misprinted",
    "infinity_norm",
    "infinity_norm_recursion",
    "adamax_step_bound",
    "adam_step_supremum",
    "updates_for_gradients",
    "adam_folded_updates",
]


def _sequence(gradients, name: str = "gradients") -> np.ndarray:
    g = as_array(gradients, name)
    if g.ndim == 0 or g.shape[0] == 0:
        raise ValueError(
            f"{name} must have a non-empty time axis 0, shape (t, ...), "
            f"got shape {g.shape}"
        )
    return g


def _decay(name: str, value) -> float:
    return as_number(value, name, "(0, 1)")


def _orders(p) -> np.ndarray:
    orders = as_array(p, "p", "(0, inf)")
    if orders.ndim > 1:
        raise ValueError(
            f"p must be one number or a 1-D array, got shape {orders.shape}"
        )
    return orders


def _lags(g: np.ndarray) -> np.ndarray:
    """t − i for i = 1..t, on the time axis of ``g``."""
    t = g.shape[0]
    return (t - 1 - np.arange(t)).reshape((t,) + (1,) * (g.ndim - 1))


def _log_parts(gradients, beta2: float, p):
    """The checked arguments, in log space: β₂, the orders p, p on a leading
    axis of its own, log β₂^{t−i}, log|g_i|, and the shape that broadcasts p
    over the batch axes of g."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    orders = _orders(p)
    # log|0| = −∞: a zero gradient adds nothing to the sum
    with np.errstate(divide="ignore"):
        log_abs = np.log(np.abs(g))
    p_axis = orders.reshape(orders.shape + (1,) * g.ndim)
    batch_axes = orders.shape + (1,) * (g.ndim - 1)
    return beta2, orders, p_axis, _lags(g) * np.log(beta2), log_abs, batch_axes


def logsumexp(a, axis: int = 0) -> np.ndarray:
    """log Σ exp(a) along ``axis``, shifted by the maximum so that nothing
    overflows; −∞ where every term is −∞ (log 0), so −∞ is allowed in ``a``.
    """
    a = as_array(a, "a", "[-inf, inf)")
    as_count(axis, "axis")
    if axis >= a.ndim:
        raise ValueError(
            f"axis must be an axis of a, below {a.ndim}, got {axis}"
        )
    top = np.max(a, axis=axis, keepdims=True)
    # an all −∞ slice stays −∞ instead of becoming nan
    shift = np.where(np.isfinite(top), top, 0.0)
    # log 0 = −∞ is the right answer for an all −∞ slice
    with np.errstate(divide="ignore"):
        total = (
            np.log(np.sum(np.exp(a - shift), axis=axis, keepdims=True)) + shift
        )
    return np.squeeze(total, axis=axis)


def log_lp_moment(gradients, beta2: float, p) -> np.ndarray:
    """log of v_t^{1/p}, ``v_t = (1 − β₂^p) Σ_i β₂^{p(t−i)} |g_i|^p``
    (Kingma & Ba 2015, section 7.1), for the last t.

    Computed in log space: ``|g|^p`` overflows float64 for ``|g| = 3``
    already at p ≈ 650. The result has shape
    ``np.shape(p) + gradients.shape[1:]``; zero gradients everywhere give −∞
    (a zero moment).
    """
    beta2, orders, p_axis, log_weights, log_abs, batch_axes = _log_parts(
        gradients, beta2, p
    )
    # log(β₂^{p(t−i)} |g_i|^p)
    terms = p_axis * (log_weights + log_abs)
    # log(1 − β₂^p), accurate when β₂^p ≈ 0 or ≈ 1
    log_scale = np.log1p(-(beta2**orders)).reshape(batch_axes)
    return (log_scale + logsumexp(terms, axis=orders.ndim)) / orders.reshape(
        batch_axes
    )


def lp_moment(gradients, beta2: float, p) -> np.ndarray:
    """v_t^{1/p} of the L^p generalisation of Adam (Kingma & Ba 2015, section
    7.1), computed in log space."""
    return np.exp(log_lp_moment(gradients, beta2, p))


def lp_moment_direct(gradients, beta2: float, p: float) -> np.ndarray:
    """v_t^{1/p} from the unrolled sum as written, in plain float64:
    overflows or underflows for large p."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    p = as_number(p, "p", "(0, inf)")
    # the point here is to show the overflow
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return (
            (1 - beta2**p)
            * np.sum(beta2 ** (p * _lags(g)) * np.abs(g) ** p, axis=0)
        ) ** (1 / p)


def log_lp_moment_as_misprinted(gradients, beta2: float, p) -> np.ndarray:
    """log of ``(Σ_i β₂^{t−i} |g_i|^p)^{1/p}``: the unrolled sum with the
    weights *not* raised to the power p."""
    _, orders, p_axis, log_weights, log_abs, batch_axes = _log_parts(
        gradients, beta2, p
    )
    # log(β₂^{t−i} |g_i|^p): p misses the weight
    terms = log_weights + p_axis * log_abs
    return logsumexp(terms, axis=orders.ndim) / orders.reshape(batch_axes)


def infinity_norm(gradients, beta2: float) -> np.ndarray:
    """``u_t = max(β₂^{t−1}|g_1|, …, β₂|g_{t−1}|, |g_t|)`` for every t
    (Kingma & Ba 2015, eq. after (7)), shape of g."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    t = np.arange(g.shape[0]).reshape((-1,) + (1,) * (g.ndim - 1))
    # log β₂^{t−i}|g_i| = t log β₂ + (log|g_i| − i log β₂): the max over i ≤ t
    # is a running max of the second term, O(t) instead of the O(t²) table of
    # all lags; in logs so that β₂^{−i} cannot overflow.
    # log 0 = −∞: a zero gradient never wins the max
    with np.errstate(divide="ignore"):
        shifted = np.log(np.abs(g)) - t * np.log(beta2)
    return np.exp(t * np.log(beta2) + np.maximum.accumulate(shifted, axis=0))


def infinity_norm_recursion(gradients, beta2: float) -> np.ndarray:
    """``u_t = max(β₂ u_{t−1}, |g_t|)``, u_0 = 0 (Kingma & Ba 2015,
    Algorithm 2), for every t."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    u = np.empty_like(g)
    previous = np.zeros(g.shape[1:])
    for t, g_t in enumerate(g):
        # exponentially weighted infinity norm
        previous = u[t] = np.maximum(beta2 * previous, np.abs(g_t))
    return u


def adamax_step_bound(beta1: float, beta2: float, t) -> np.ndarray:
    """The largest ``|Δθ_t| / α`` that Adamax can take at step t:
    (1 − β₁)/(1 − β₁^t) · Σ_{k<t} (β₁/β₂)^k.

    Attained by gradients of one sign that shrink by the factor β₂ per step;
    it exceeds 1 for t ≥ 2 because β₂ < 1 (β₁ < β₂ only keeps its limit
    β₂(1 − β₁)/(β₂ − β₁) finite).
    """
    beta1 = _decay("beta1", beta1)
    beta2 = _decay("beta2", beta2)
    steps = as_counts(t, "t", 1)
    ratio = beta1 / beta2
    geometric = (
        steps.astype(np.float64)
        if ratio == 1
        else (1 - ratio**steps) / (1 - ratio)
    )
    return (1 - beta1) / (1 - beta1**steps) * geometric


def adam_step_supremum(beta1: float, beta2: float, t) -> np.ndarray:
    """The largest ``|Δθ_t| / α`` that Adam (with ε = 0) can take at step t:
    (1 − β₁)/(1 − β₁^t) · √((1 − β₂^t)/(1 − β₂)) · √(Σ_{k<t} (β₁²/β₂)^k).

    Cauchy–Schwarz on m_t = (1 − β₁) Σ_k β₁^k g_{t−k} against
    v_t = (1 − β₂) Σ_k β₂^k g_{t−k}²; attained by gradients of one sign that
    grow by the factor β₂/β₁ per step. Its limit is finite when β₁² < β₂.
    """
    beta1 = _decay("beta1", beta1)
    beta2 = _decay("beta2", beta2)
    steps = as_counts(t, "t", 1)
    ratio = beta1**2 / beta2
    geometric = (
        steps.astype(np.float64)
        if ratio == 1
        else (1 - ratio**steps) / (1 - ratio)
    )
    return (
        (1 - beta1)
        / (1 - beta1**steps)
        * np.sqrt((1 - beta2**steps) / (1 - beta2) * geometric)
    )


def updates_for_gradients(optimizer, gradients) -> np.ndarray:
    """The updates Δθ_t = θ_t − θ_{t−1} that ``optimizer`` makes when fed the
    recorded gradients g_1, g_2, … in turn."""
    _check_optimizer(optimizer)
    g = _sequence(gradients)
    # run needs a parameter axis
    flat = g.reshape(g.shape[0], -1) if g.ndim > 1 else g[:, np.newaxis]
    calls = iter(flat)
    trajectory = run(
        optimizer,
        lambda x: next(calls),
        np.zeros(flat.shape[1:]),
        flat.shape[0],
    )
    return np.diff(trajectory, axis=0).reshape(g.shape)


def adam_folded_updates(
    gradients, lr: float, beta1: float, beta2: float, eps_hat
) -> np.ndarray:
    """Adam's updates in the paper's efficient form (Kingma & Ba 2015, end of
    section 2): α_t = α √(1 − β₂^t)/(1 − β₁^t), Δθ_t = −α_t m_t / (√v_t + ε̂);
    ``eps_hat`` is one number or one per step."""
    g = _sequence(gradients)
    lr = as_number(lr, "lr", "(0, inf)")
    beta1 = _decay("beta1", beta1)
    beta2 = _decay("beta2", beta2)
    eps = as_array(eps_hat, "eps_hat", "[0, inf)")
    if eps.ndim > 1 or (eps.ndim == 1 and eps.shape != g.shape[:1]):
        raise ValueError(
            f"eps_hat must be one number or one per step, shape "
            f"({g.shape[0]},), got shape {eps.shape}"
        )
    eps = np.broadcast_to(eps, g.shape[:1])
    m = np.zeros(g.shape[1:])
    v = np.zeros(g.shape[1:])
    updates = np.empty_like(g)
    for t, g_t in enumerate(g, start=1):
        # biased moments, never corrected themselves
        m = beta1 * m + (1 - beta1) * g_t
        v = beta2 * v + (1 - beta2) * g_t**2
        # both bias corrections folded into α_t
        step_size = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        updates[t - 1] = -step_size * m / (np.sqrt(v) + eps[t - 1])
    return updates
