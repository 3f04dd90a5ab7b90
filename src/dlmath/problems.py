"""Test problems for the optimisers: gradient oracles that draw fresh noise
at every call (the experiments of chapter 5.3).

Each ``…_grad_fn`` returns a ``grad_fn`` for :func:`dlmath.optimizers.run`:
it maps parameters of shape ``(..., d)``, one row per seed, to noisy
gradients of that shape, drawing from the generator ``rng`` it was given
(as every function of the package that draws random numbers does).
"""

from __future__ import annotations

import numpy as np

from .checks import (
    as_array,
    as_count,
    as_generator,
    as_number,
    as_points,
    as_vector,
)

__all__ = [
    "noisy_quadratic_grad_fn",
    "sparse_regression_grad_fn",
]


def _broadcast(shape: tuple, name: str, **arrays) -> tuple:
    """The shape of ``arrays`` broadcast with ``shape``; ``ValueError``
    naming the first array that does not broadcast."""
    for key, value in arrays.items():
        try:
            shape = np.broadcast_shapes(shape, value.shape)
        except ValueError:
            raise ValueError(
                f"{key} of shape {value.shape} must broadcast against "
                f"{name} of shape {shape}"
            ) from None
    return shape


def noisy_quadratic_grad_fn(
    curvatures, noise_scale, rng: np.random.Generator, tail_df=np.inf
):
    """Gradient oracle of f(x) = ½ Σ_j h_j x_j² plus noise σ ξ, ξ Student-t
    with ``tail_df`` degrees of freedom (∞: Gaussian), drawn from ``rng``.

    ``noise_scale`` and ``tail_df`` broadcast against x, so rows of one batch
    may see different noise; they must broadcast against the curvatures
    here, and against x when the oracle is called. f itself is
    ``quadratic_value(x, np.diag(curvatures))`` of :mod:`dlmath.quadratic`.
    """
    h = as_vector(curvatures, "curvatures", "(0, inf)")
    sigma = as_array(noise_scale, "noise_scale", "[0, inf)")
    # inf degrees of freedom: Gaussian
    df = as_array(tail_df, "tail_df", "(0, inf]")
    rng = as_generator(rng)
    _broadcast(h.shape, "curvatures", noise_scale=sigma, tail_df=df)
    gaussian = np.isinf(df)

    def grad(x):
        # an optimiser's iterates: inf and nan pass (checks module docstring)
        x = as_points(x, "x", h.shape[0], interval=None)
        if _broadcast(x.shape, "x", noise_scale=sigma, tail_df=df) != x.shape:
            raise ValueError(
                f"x of shape {x.shape} must have room for noise_scale of "
                f"shape {sigma.shape} and tail_df of shape {df.shape}"
            )
        # df = 1 is a placeholder where Gaussian
        student = rng.standard_t(np.where(gaussian, 1.0, df), size=x.shape)
        noise = np.where(gaussian, rng.standard_normal(x.shape), student)
        return h * x + sigma * noise  # true gradient plus noise

    return grad


def sparse_regression_grad_fn(
    probabilities,
    target,
    batch: int,
    rng: np.random.Generator,
    noise_scale: float = 0.0,
):
    """Gradient oracle of mean-squared-error linear regression whose feature
    j is non-zero with probability p_j.

    Features are Bernoulli(p_j) × N(0, 1); labels y = x·w* + σ·noise. One
    mini-batch of ``batch`` examples per call and per row of w, so coordinate
    j gets a non-zero gradient in about a fraction 1 − (1 − p_j)^batch of the
    steps. Features and noise are drawn from ``rng``.
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
    rng = as_generator(rng)

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
