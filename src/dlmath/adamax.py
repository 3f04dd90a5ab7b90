"""Adamax as the p → ∞ limit of Adam's L^p second moment (Kingma & Ba 2015, section 7.1), and small
experiments comparing Adam with Adamax.

Gradient sequences have time on axis 0 (``g[0]`` is g_1) and any batch axes after it. The optimisers
themselves live in :mod:`dlmath.optimizers`; this module only analyses them.
"""

from __future__ import annotations

import numpy as np

from .checks import as_count, as_finite_array
from .optimizers import run


def _sequence(gradients, name: str = "gradients") -> np.ndarray:
    g = as_finite_array(gradients, name)
    if g.ndim == 0 or g.shape[0] == 0:
        raise ValueError(
            f"{name} must have a non-empty time axis 0, shape (t, ...), got shape {g.shape}"
        )
    return g


def _decay(name: str, value) -> float:
    if not (isinstance(value, (int, float, np.floating)) and 0 < value < 1):
        raise ValueError(f"{name} must be a number in (0, 1), got {value!r}")
    return float(value)


def _orders(p) -> np.ndarray:
    orders = as_finite_array(p, "p")
    if orders.ndim > 1 or np.any(orders <= 0):
        raise ValueError(
            f"p must be a positive number or a 1-D array of them, got {p!r}"
        )
    return orders


def logsumexp(a, axis: int = 0) -> np.ndarray:
    """log Σ exp(a) along ``axis``, shifted by the maximum so that nothing overflows; −∞ where every term is −∞."""
    a = np.asarray(a, dtype=np.float64)
    if np.any(np.isnan(a)) or np.any(a == np.inf):
        raise ValueError(
            "logsumexp needs terms in [-inf, inf), got nan or +inf"
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
    """log of v_t^{1/p}, v_t = (1 − β₂^p) Σ_i β₂^{p(t−i)} |g_i|^p (Kingma & Ba 2015, section 7.1), for the last t.

    Computed in log space: |g|^p overflows float64 for |g| = 3 already at p ≈ 650. The result has
    shape ``np.shape(p) + gradients.shape[1:]``; zero gradients everywhere give −∞ (a zero moment).
    """
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    orders = _orders(p)
    t = g.shape[0]
    # t − i for i = 1..t
    lags = (t - 1 - np.arange(t)).reshape((t,) + (1,) * (g.ndim - 1))
    # log|0| = −∞: a zero gradient adds nothing to the sum
    with np.errstate(divide="ignore"):
        log_abs = np.log(np.abs(g))
    # p on a leading axis of its own
    p_axis = orders.reshape(orders.shape + (1,) * g.ndim)
    # log(β₂^{p(t−i)} |g_i|^p)
    terms = p_axis * (lags * np.log(beta2) + log_abs)
    # p, then broadcast over the batch axes of g
    batch_axes = orders.shape + (1,) * (g.ndim - 1)
    # log(1 − β₂^p), accurate when β₂^p ≈ 0 or ≈ 1
    log_scale = np.log1p(-(beta2**orders)).reshape(batch_axes)
    return (log_scale + logsumexp(terms, axis=orders.ndim)) / orders.reshape(
        batch_axes
    )


def lp_moment(gradients, beta2: float, p) -> np.ndarray:
    """v_t^{1/p} of the L^p generalisation of Adam (Kingma & Ba 2015, section 7.1), computed in log space."""
    return np.exp(log_lp_moment(gradients, beta2, p))


def lp_moment_direct(gradients, beta2: float, p: float) -> np.ndarray:
    """v_t^{1/p} from the unrolled sum as written, in plain float64: overflows or underflows for large p."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    (p,) = _orders([p])
    t = g.shape[0]
    lags = (t - 1 - np.arange(t)).reshape((t,) + (1,) * (g.ndim - 1))
    # the point here is to show the overflow
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return (
            (1 - beta2**p)
            * np.sum(beta2 ** (p * lags) * np.abs(g) ** p, axis=0)
        ) ** (1 / p)


def log_lp_moment_as_misprinted(gradients, beta2: float, p) -> np.ndarray:
    """log of (Σ_i β₂^{t−i} |g_i|^p)^{1/p}: the unrolled sum with the weights *not* raised to the power p."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    orders = _orders(p)
    t = g.shape[0]
    lags = (t - 1 - np.arange(t)).reshape((t,) + (1,) * (g.ndim - 1))
    with np.errstate(divide="ignore"):
        log_abs = np.log(np.abs(g))
    p_axis = orders.reshape(orders.shape + (1,) * g.ndim)
    # log(β₂^{t−i} |g_i|^p): p misses the weight
    terms = lags * np.log(beta2) + p_axis * log_abs
    return logsumexp(terms, axis=orders.ndim) / orders.reshape(
        orders.shape + (1,) * (g.ndim - 1)
    )


def lp_moment_recursion(gradients, beta2: float, p: float) -> np.ndarray:
    """v_t^{1/p} from the recursion v_t = β₂^p v_{t−1} + (1 − β₂^p)|g_t|^p, v_0 = 0 (plain float64, small p)."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    (p,) = _orders([p])
    v = np.zeros(g.shape[1:])
    for g_t in g:
        # L^p second moment
        v = beta2**p * v + (1 - beta2**p) * np.abs(g_t) ** p
    return v ** (1 / p)


def infinity_norm(gradients, beta2: float) -> np.ndarray:
    """u_t = max(β₂^{t−1}|g_1|, …, β₂|g_{t−1}|, |g_t|) for every t (Kingma & Ba 2015, eq. after (7)), shape of g."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    t = np.arange(g.shape[0]).reshape((-1,) + (1,) * (g.ndim - 1))
    # log β₂^{t−i}|g_i| = t log β₂ + (log|g_i| − i log β₂): the max over i ≤ t is a running max of the
    # second term, O(t) instead of the O(t²) table of all lags; in logs so that β₂^{−i} cannot overflow
    # log 0 = −∞: a zero gradient never wins the max
    with np.errstate(divide="ignore"):
        shifted = np.log(np.abs(g)) - t * np.log(beta2)
    return np.exp(t * np.log(beta2) + np.maximum.accumulate(shifted, axis=0))


def infinity_norm_recursion(gradients, beta2: float) -> np.ndarray:
    """u_t = max(β₂ u_{t−1}, |g_t|), u_0 = 0 (Kingma & Ba 2015, Algorithm 2), for every t."""
    g = _sequence(gradients)
    beta2 = _decay("beta2", beta2)
    u = np.empty_like(g)
    previous = np.zeros(g.shape[1:])
    for t, g_t in enumerate(g):
        # exponentially weighted infinity norm
        previous = u[t] = np.maximum(beta2 * previous, np.abs(g_t))
    return u


def adamax_step_bound(beta1: float, beta2: float, t) -> np.ndarray:
    """The largest |Δθ_t| / α that Adamax can take at step t: (1 − β₁)/(1 − β₁^t) · Σ_{k<t} (β₁/β₂)^k.

    Attained by gradients of one sign that shrink by the factor β₂ per step; it exceeds 1 for t ≥ 2
    because β₂ < 1 (β₁ < β₂ only keeps its limit β₂(1 − β₁)/(β₂ − β₁) finite).
    """
    beta1 = _decay("beta1", beta1)
    beta2 = _decay("beta2", beta2)
    steps = np.asarray(t)
    if not np.issubdtype(steps.dtype, np.integer) or np.any(steps < 1):
        raise ValueError(
            f"t must be a positive integer or array of them, got {t!r}"
        )
    ratio = beta1 / beta2
    geometric = (
        steps.astype(np.float64)
        if ratio == 1
        else (1 - ratio**steps) / (1 - ratio)
    )
    return (1 - beta1) / (1 - beta1**steps) * geometric


def updates_for_gradients(optimizer, gradients) -> np.ndarray:
    """The updates Δθ_t = θ_t − θ_{t−1} that ``optimizer`` makes when fed the recorded gradients g_1, g_2, … in turn."""
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
    """Adam's updates in the paper's efficient form (Kingma & Ba 2015, end of section 2):
    α_t = α √(1 − β₂^t)/(1 − β₁^t), Δθ_t = −α_t m_t / (√v_t + ε̂); ``eps_hat`` is one number or one per step."""
    g = _sequence(gradients)
    beta1 = _decay("beta1", beta1)
    beta2 = _decay("beta2", beta2)
    eps = (
        np.broadcast_to(as_finite_array(eps_hat, "eps_hat"), g.shape[:1])
        if np.ndim(eps_hat) <= 1
        else None
    )
    if eps is None or np.any(eps < 0) or not lr > 0:
        raise ValueError(
            f"lr must be positive and eps_hat non-negative, one number or one per step, got {lr!r}, {eps_hat!r}"
        )
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


def noisy_quadratic(curvatures, noise_scale, seed: int, tail_df=np.inf):
    """Gradient oracle of f(x) = ½ Σ_j h_j x_j² plus noise σ ξ, ξ Student-t with ``tail_df`` degrees of freedom (∞: Gaussian).

    ``noise_scale`` and ``tail_df`` broadcast against x, so rows of one batch may see different noise.
    Each call draws fresh noise for every row of x (one row per seed) from a generator seeded here.
    """
    h = as_finite_array(curvatures, "curvatures")
    if h.ndim != 1 or np.any(h <= 0):
        raise ValueError(
            f"curvatures must be a 1-D array of positive numbers, got {curvatures!r}"
        )
    sigma = as_finite_array(noise_scale, "noise_scale")
    df = np.asarray(tail_df, dtype=np.float64)
    if np.any(sigma < 0) or np.any(np.isnan(df)) or np.any(df <= 0):
        raise ValueError(
            f"noise_scale must be >= 0 and tail_df > 0 (inf for Gaussian), got {noise_scale!r}, {tail_df!r}"
        )
    gaussian = np.isinf(df)
    rng = np.random.default_rng(seed)

    def grad(x):
        if x.shape[-1] != h.shape[0]:
            raise ValueError(
                f"x must have {h.shape[0]} parameters on its last axis, got shape {x.shape}"
            )
        # df = 1 is a placeholder where Gaussian
        student = rng.standard_t(np.where(gaussian, 1.0, df), size=x.shape)
        noise = np.where(gaussian, rng.standard_normal(x.shape), student)
        return h * x + sigma * noise  # true gradient plus noise

    return grad


def quadratic_loss(x, curvatures) -> np.ndarray:
    """f(x) = ½ Σ_j h_j x_j² along the last axis."""
    return 0.5 * np.sum(
        as_finite_array(curvatures, "curvatures") * np.asarray(x) ** 2, axis=-1
    )


def sparse_regression(
    probabilities, target, batch: int, seed: int, noise_scale: float = 0.0
):
    """Gradient oracle of mean-squared-error linear regression whose feature j is non-zero with probability p_j.

    Features are Bernoulli(p_j) × N(0, 1); labels y = x·w* + σ·noise. One mini-batch of ``batch`` examples per
    call and per row of w, so coordinate j gets a non-zero gradient in about a fraction 1 − (1 − p_j)^batch of the steps.
    """
    probs = as_finite_array(probabilities, "probabilities")
    w_star = as_finite_array(target, "target")
    if (
        probs.ndim != 1
        or np.any((probs <= 0) | (probs > 1))
        or w_star.shape != probs.shape
    ):
        raise ValueError(
            f"probabilities must be 1-D in (0, 1] and target of the same shape, got {probs!r}, {w_star!r}"
        )
    as_count(batch, "batch", 1)
    rng = np.random.default_rng(seed)

    def grad(w):
        if w.shape[-1] != probs.shape[0]:
            raise ValueError(
                f"w must have {probs.shape[0]} parameters on its last axis, got shape {w.shape}"
            )
        shape = w.shape[:-1] + (batch, probs.shape[0])
        # feature j active with probability p_j
        features = (rng.random(shape) < probs) * rng.standard_normal(shape)
        labels = features @ w_star + noise_scale * rng.standard_normal(
            shape[:-1]
        )
        residuals = np.einsum("...bj,...j->...b", features, w) - labels
        # ∇ of the mean of ½ residual²
        return np.einsum("...bj,...b->...j", features, residuals) / batch

    return grad
