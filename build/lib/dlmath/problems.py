"""Test problems for the optimisers: gradient oracles that draw fresh noise
at every call (the experiments of chapter 5.3).

Each ``…_grad_fn`` returns a ``grad_fn`` for :func:`dlmath.optimizers.run`:
it maps parameters of shape ``(..., d)``, one row per seed, to noisy
gradients of that shape, from a generator seeded when the oracle is made.
"""

from __future__ import annotations

import numpy as np

from .checks import as_array, as_count, as_number, as_points, as_vector


def noisy_quadratic_grad_fn(
    curvatures, noise_scale, seed: int, tail_df=np.inf
):
    """Gradient oracle of f(x) = ½ Σ_j h_j x_j² plus noise σ ξ, ξ Student-t
    with ``tail_df`` degrees of freedom (∞: Gaussian).

    ``noise_scale`` and ``tail_df`` broadcast against x, so rows of one batch
    may see different noise. f itself is
    ``quadratic_value(x, np.diag(curvatures))`` of :mod:`dlmath.quadratic`.
    """
    h = as_vector(curvatures, "curvatures", "(0, inf)")
    sigma = as_array(noise_scale, "noise_scale", "[0, inf)")
    # inf degrees of freedom: Gaussian
    df = as_array(tail_df, "tail_df", "(0, inf]")
    gaussian = np.isinf(df)
    rng = np.random.default_rng(as_count(seed, "seed"))

    def grad(x):
        # an optimiser's iterates: inf and nan pass (checks module docstring)
        x = as_points(x, "x", h.shape[0], interval=None)
        # df = 1 is a placeholder where Gaussian
        student = rng.standard_t(np.where(gaussian, 1.0, df), size=x.shape)
        noise = np.where(gaussian, rng.standard_normal(x.shape), student)
        return h * x + sigma * noise  # true gradient plus noise

    return grad


def sparse_regression_grad_fn(
    probabilities, target, batch: int, seed: int, noise_scale: float = 0.0
):
    """Gradient oracle of mean-squared-error linear regression whose feature
    j is non-zero with probability p_j.

    Features are Bernoulli(p_j) × N(0, 1); labels y = x·w* + σ·noise. One
    mini-batch of ``batch`` examples per call and per row of w, so coordinate
    j gets a non-zero gradient in about a fraction 1 − (1 − p_j)^batch of the
    steps.
    """
    probs = as_vector(probabilities, "probabilities", "(0, 1]")
    w_star = as_array(target, "target")
    if w_star.shape != probs.shape:
        raise ValueError(
            f"target must have the shape of probabilities, {probs.shape}, "
            f"got shape {w_star.shape}"
        )
    as_count(batch, "batch", 1)
    noise_scale = as_number(noise_scale, "noise_scale", "[0, inf)")
    rng = np.random.default_rng(as_count(seed, "seed"))

    def grad(w):
        # an optimiser's iterates: inf and nan pass (checks module docstring)
        w = as_points(w, "w", probs.shape[0], interval=None)
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
