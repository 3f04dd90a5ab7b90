"""Mirror symmetry as an inductive bias (chapter 3): the pairing Laplacian,
R(w) = wᵀSw, and logistic regression penalised by it.

Images of shape ``(height, width)`` are flattened row by row into vectors of
length ``d = height * width``. Mirroring flips each row left to right; it
pairs pixel ``(r, c)`` with ``(r, width - 1 - c)`` and leaves the middle
column of an odd width in place. Examples are the **rows** of ``X`` (shape
``(..., n, d)``) and labels are s = ±1. Every function that trains or
evaluates works on a leading batch axis (one row per seed, or per seed and
size), so that many independent runs are one numpy computation.
"""

from __future__ import annotations

import math

import numpy as np

from .checks import (
    _show,
    as_array,
    as_count,
    as_flag,
    as_generator,
    as_number,
    as_points,
    as_vector,
)
from .logistic import _sigmoid

__all__ = [
    "mirror_permutation",
    "mirror_matrix",
    "mirror_pairs",
    "pairing_laplacian",
    "symmetry_penalty",
    "symmetric_template",
    "make_dataset",
    "logistic_loss",
    "logistic_gradient",
    "augment_with_mirror",
    "train_penalised_logistic",
    "gaussian_accuracy",
    "learning_curves",
]


def _check_shape(height, width) -> tuple[int, int]:
    return as_count(height, "height", 1), as_count(width, "width", 1)


def mirror_permutation(height: int, width: int) -> np.ndarray:
    """Index array ``m`` with ``m[p]`` the pixel that the left-right mirror
    sends pixel ``p`` to (row-major)."""
    height, width = _check_shape(height, width)
    index = np.arange(height * width).reshape(height, width)
    return index[:, ::-1].ravel()


def mirror_matrix(height: int, width: int) -> np.ndarray:
    """The ``d x d`` permutation matrix P with ``(P w)[p] = w[mirror(p)]``;
    P = Pᵀ = P⁻¹."""
    height, width = _check_shape(height, width)
    return np.eye(height * width)[mirror_permutation(height, width)]


def mirror_pairs(height: int, width: int) -> np.ndarray:
    """The unordered pairs ``(p, mirror(p))`` with ``p < mirror(p)``, shape
    ``(height * (width // 2), 2)``."""
    m = mirror_permutation(height, width)
    p = np.arange(m.size)
    # each pair once; a middle-column pixel is its own mirror and pairs with
    # nothing
    keep = p < m
    return np.stack([p[keep], m[keep]], axis=1)


def pairing_laplacian(height: int, width: int) -> np.ndarray:
    """Graph Laplacian S = Σ_pairs (e_p − e_q)(e_p − e_q)ᵀ of the
    mirror-pairing graph, so wᵀSw = Σ (w_p − w_q)²."""
    height, width = _check_shape(height, width)
    S = np.zeros((height * width, height * width))
    for p, q in mirror_pairs(height, width):
        # each edge adds +1 on both diagonal entries and −1 on both
        # off-diagonal ones
        S[[p, q], [p, q]] += 1.0
        S[[p, q], [q, p]] -= 1.0
    return S


def symmetry_penalty(w, height: int, width: int) -> np.ndarray:
    """R(w) = Σ_pairs (w_p − w_mirror(p))², for weights of shape
    ``(..., height * width)``."""
    height, width = _check_shape(height, width)
    w = _weights(w, height * width, "height * width")
    pairs = mirror_pairs(height, width)
    return np.sum((w[..., pairs[:, 0]] - w[..., pairs[:, 1]]) ** 2, axis=-1)


def _weights(w, d: int, dim_from: str) -> np.ndarray:
    return as_points(w, "w", d, dim_from=dim_from)


def symmetric_template(
    rng: np.random.Generator, height: int, width: int
) -> np.ndarray:
    """A random mirror-symmetric image (flattened), scaled to unit norm: the
    class template t = Pt."""
    height, width = _check_shape(height, width)
    rng = as_generator(rng)
    t = rng.standard_normal(height * width)
    # symmetrise: t and its mirror image are equal
    t = t + t[mirror_permutation(height, width)]
    return t / np.linalg.norm(t)


def make_dataset(
    rng: np.random.Generator,
    template,
    n: int,
    amplitude: float,
    noise: float,
    batch: int = 1,
):
    """Images x = a·s·t + σ·ε with labels s = ±1 equally likely and ε
    standard normal.

    Returns ``(X, s)`` of shapes ``(batch, n, d)`` and ``(batch, n)``. With t
    mirror-symmetric and ε isotropic, the distribution of (x, s) does not
    change when x is mirrored.
    """
    rng = as_generator(rng)
    t = _template(template)
    as_count(n, "n", 1)
    as_count(batch, "batch", 1)
    as_number(amplitude, "amplitude", "[0, inf)")
    as_number(noise, "noise", "(0, inf)")
    s = rng.choice([-1.0, 1.0], size=(batch, n))
    X = amplitude * s[..., None] * t + noise * rng.standard_normal(
        (batch, n, t.size)
    )
    return X, s


def _template(template) -> np.ndarray:
    # a flattened image
    return as_vector(template, "template")


def _data(X, s):
    X = as_array(X, "X")
    s = as_array(s, "s")
    if X.ndim < 2 or s.shape != X.shape[:-1]:
        raise ValueError(
            "X must have shape (..., n, d) and s shape (..., n), "
            f"got {X.shape} and {s.shape}"
        )
    if not np.all(np.abs(s) == 1):
        raise ValueError("labels s must be +1 or -1")
    return X, s


def _checked(w, X, s, l2: float, symmetry: float, shape):
    """The arguments of the loss and its gradient, checked."""
    X, s = _data(X, s)
    w = _weights(w, X.shape[-1], "X")
    try:
        np.broadcast_shapes(w.shape[:-1], X.shape[:-2])
    except ValueError:
        raise ValueError(
            f"w's batch axes {w.shape[:-1]} must broadcast against X's, "
            f"{X.shape[:-2]}"
        ) from None
    as_number(l2, "l2", "[0, inf)")
    as_number(symmetry, "symmetry", "[0, inf)")
    _check_image_shape(shape, X.shape[-1], symmetry)
    return w, X, s


def _margins(w, X, s) -> np.ndarray:
    """m = s wᵀx, one per example."""
    return s * (X @ w[..., None])[..., 0]


def _mirror(symmetry: float, shape, d: int):
    """The mirror permutation when the penalty is on, else None."""
    return mirror_permutation(*_image_shape(shape, d)) if symmetry else None


def logistic_loss(
    w, X, s, l2: float = 0.0, symmetry: float = 0.0, shape=None
) -> np.ndarray:
    """Mean logistic loss log(1 + exp(−s wᵀx)) + (l2/2)‖w‖² + symmetry · wᵀSw,
    one value per batch row."""
    w, X, s = _checked(w, X, s, l2, symmetry, shape)
    margins = _margins(w, X, s)
    loss = np.logaddexp(0.0, -margins).mean(axis=-1) + 0.5 * l2 * np.sum(
        w**2, axis=-1
    )
    if symmetry:
        loss = loss + symmetry * symmetry_penalty(
            w, *_image_shape(shape, X.shape[-1])
        )
    return loss


def logistic_gradient(
    w, X, s, l2: float = 0.0, symmetry: float = 0.0, shape=None
) -> np.ndarray:
    """Gradient of :func:`logistic_loss` by w: −mean σ(−m) s x + l2 w +
    2·symmetry·S w, with m = s wᵀx."""
    w, X, s = _checked(w, X, s, l2, symmetry, shape)
    mirror = _mirror(symmetry, shape, X.shape[-1])
    return _gradient(w, X, s, l2, symmetry, mirror)


def _gradient(w, X, s, l2, symmetry, mirror) -> np.ndarray:
    """:func:`logistic_gradient` of checked arguments: the maths alone, for
    the training loop, which checks its arguments once."""
    weight = _sigmoid(-_margins(w, X, s))  # σ(−m)
    grad = -((weight * s)[..., None, :] @ X)[..., 0, :] / X.shape[-2] + l2 * w
    if symmetry:
        grad = grad + 2.0 * symmetry * (w - w[..., mirror])  # S w = (I − P) w
    return grad


def _image_shape(shape, d: int) -> tuple[int, int]:
    """``shape`` as (height, width) of images of ``d`` pixels."""
    expected = f"(height, width), two positive integers with product {d}"
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise TypeError(f"shape must be {expected}, got {_show(shape)}")
    for size in shape:
        try:
            as_count(size, "shape", 1)
        except (TypeError, ValueError):
            raise ValueError(
                f"shape must be {expected}, got {_show(shape)}"
            ) from None
    if shape[0] * shape[1] != d:
        raise ValueError(f"shape must be {expected}, got {_show(shape)}")
    return int(shape[0]), int(shape[1])


def _check_image_shape(shape, d: int, symmetry: float) -> None:
    """``shape`` is needed when the penalty is on, and checked whenever it
    is given."""
    if symmetry and shape is None:
        raise ValueError(
            "shape must be (height, width) when symmetry > 0, got None"
        )
    if shape is not None:
        _image_shape(shape, d)


def augment_with_mirror(X, s, height: int, width: int):
    """Data augmentation: the training set followed by its mirrored copies,
    same labels."""
    X, s = _data(X, s)
    height, width = _check_shape(height, width)
    if X.shape[-1] != height * width:
        raise ValueError(
            f"X must have height * width = {height * width} pixels per "
            f"image (its last axis), got shape {X.shape}"
        )
    mirrored = X[..., mirror_permutation(height, width)]
    return np.concatenate([X, mirrored], axis=-2), np.concatenate(
        [s, s], axis=-1
    )


def train_penalised_logistic(
    X, s, l2: float, symmetry: float = 0.0, shape=None, steps: int = 200
) -> np.ndarray:
    """The weights minimising :func:`logistic_loss`, one weight row per batch
    row: full-batch gradient descent with Nesterov momentum from w = 0.

    Examples are rows, labels ±1, and l2 > 0 (it makes the loss strongly
    convex). The step is 1/L with L = ‖X‖₂²/(4n) + l2 + 4·symmetry, an upper
    bound on the curvature of each row's loss (σ' ≤ 1/4, and S has
    eigenvalues 0 and 2), and the momentum (√κ − 1)/(√κ + 1) with κ = L/l2,
    the standard choice for a strongly convex loss (Nesterov 2004, scheme
    2.2.19).
    """
    X, s = _data(X, s)
    as_number(l2, "l2", "(0, inf)")
    as_number(symmetry, "symmetry", "[0, inf)")
    _check_image_shape(shape, X.shape[-1], symmetry)
    as_count(steps, "steps")
    n = X.shape[-2]
    # ‖X‖₂² is the largest eigenvalue of the d x d Gram matrix XᵀX, cheaper
    # than an SVD of X
    gram_top = np.linalg.eigvalsh(np.swapaxes(X, -1, -2) @ X)[..., -1]
    lipschitz = gram_top / (4 * n) + l2 + 4 * symmetry
    step = (1.0 / lipschitz)[..., None]
    root_kappa = np.sqrt(lipschitz / l2)[..., None]
    momentum = (root_kappa - 1) / (root_kappa + 1)
    mirror = _mirror(symmetry, shape, X.shape[-1])
    w = np.zeros(X.shape[:-2] + X.shape[-1:])
    previous = w
    for _ in range(steps):
        look_ahead = w + momentum * (w - previous)
        previous, w = (
            w,
            look_ahead
            - step * _gradient(look_ahead, X, s, l2, symmetry, mirror),
        )
    return w


def gaussian_accuracy(
    w, template, amplitude: float, noise: float
) -> np.ndarray:
    """Exact test accuracy of sign(wᵀx) on the data of :func:`make_dataset`:
    Φ(a wᵀt / (σ‖w‖))."""
    t = _template(template)
    w = _weights(w, t.size, "template")
    as_number(amplitude, "amplitude", "[0, inf)")
    as_number(noise, "noise", "(0, inf)")
    norm = np.linalg.norm(w, axis=-1)
    if np.any(norm == 0):
        raise ValueError("w = 0 has no decision boundary")
    z = amplitude * (w @ t) / (noise * norm)
    # Φ(z) = (1 + erf(z/√2)) / 2 for the margin of a Gaussian point along w
    return 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))


def learning_curves(
    X,
    s,
    sizes,
    template,
    amplitude: float,
    noise: float,
    shape,
    l2: float,
    symmetry: float = 0.0,
    augment: bool = False,
    steps: int = 150,
) -> np.ndarray:
    """Exact test accuracy after training on the first n examples of each
    batch row, for each n in ``sizes``.

    ``X`` and ``s`` hold one training set per row (seed), of shapes
    ``(batch, N, d)`` and ``(batch, N)``; the sets for different n are
    nested. Returns an array of shape ``(len(sizes), batch)``.
    """
    X, s = _data(X, s)
    if X.ndim != 3:
        raise ValueError(f"X must have shape (batch, N, d), got {X.shape}")
    if not isinstance(sizes, (list, tuple, np.ndarray)) or len(sizes) == 0:
        raise TypeError(
            f"sizes must be a non-empty list of sizes, got {_show(sizes)}"
        )
    sizes = [as_count(n, f"sizes[{i}]", 1) for i, n in enumerate(sizes)]
    if max(sizes) > X.shape[1]:
        raise ValueError(
            f"sizes must lie in 1..{X.shape[1]} (the examples in X), "
            f"got {_show(sizes)}"
        )
    t = _template(template)
    if t.size != X.shape[-1]:
        raise ValueError(
            f"template must have the {X.shape[-1]} pixels of an image of X, "
            f"got shape {t.shape}"
        )
    as_number(amplitude, "amplitude", "[0, inf)")
    as_number(noise, "noise", "(0, inf)")
    as_number(l2, "l2", "(0, inf)")
    as_number(symmetry, "symmetry", "[0, inf)")
    # augment="no" would augment
    augment = as_flag(augment, "augment")
    _check_image_shape(shape, X.shape[-1], symmetry or augment)
    as_count(steps, "steps")
    accuracies = []
    # a loop over a handful of sizes; every seed is trained at once
    for n in sizes:
        Xn, sn = X[:, :n], s[:, :n]
        if augment:
            Xn, sn = augment_with_mirror(Xn, sn, *shape)
        W = train_penalised_logistic(Xn, sn, l2, symmetry, shape, steps)
        accuracies.append(gaussian_accuracy(W, template, amplitude, noise))
    return np.array(accuracies)
