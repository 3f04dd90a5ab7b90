"""Mirror symmetry as an inductive bias: the pairing Laplacian R(w) = wᵀSw and logistic regression with it.

Images of shape ``(height, width)`` are flattened row by row into vectors of length
``d = height * width``. Mirroring flips each row left to right; it pairs pixel ``(r, c)`` with
``(r, width - 1 - c)`` and leaves the middle column of an odd width in place. Every function
that trains or evaluates works on a leading batch axis (one row per seed, or per seed and size),
so that many independent runs are one numpy computation.
"""

from __future__ import annotations

import math

import numpy as np

from .checks import as_count


def _check_shape(height, width) -> tuple[int, int]:
    for name, value in (("height", height), ("width", width)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise TypeError(
                f"{name} must be an integer, got {type(value).__name__}"
            )
        if value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(height), int(width)


def mirror_permutation(height: int, width: int) -> np.ndarray:
    """Index array ``m`` with ``m[p]`` the pixel that the left-right mirror sends pixel ``p`` to (row-major)."""
    height, width = _check_shape(height, width)
    index = np.arange(height * width).reshape(height, width)
    return index[:, ::-1].ravel()


def mirror_matrix(height: int, width: int) -> np.ndarray:
    """The ``d x d`` permutation matrix P with ``(P w)[p] = w[mirror(p)]``; P = Pᵀ = P⁻¹."""
    return np.eye(height * width)[mirror_permutation(height, width)]


def mirror_pairs(height: int, width: int) -> np.ndarray:
    """The unordered pairs ``(p, mirror(p))`` with ``p < mirror(p)``, shape ``(height * (width // 2), 2)``."""
    m = mirror_permutation(height, width)
    p = np.arange(m.size)
    # each pair once; a middle-column pixel is its own mirror and pairs with nothing
    keep = p < m
    return np.stack([p[keep], m[keep]], axis=1)


def pairing_laplacian(height: int, width: int) -> np.ndarray:
    """Graph Laplacian S = Σ_pairs (e_p − e_q)(e_p − e_q)ᵀ of the mirror-pairing graph, so wᵀSw = Σ (w_p − w_q)²."""
    height, width = _check_shape(height, width)
    S = np.zeros((height * width, height * width))
    for p, q in mirror_pairs(height, width):
        # each edge adds +1 on both diagonal entries and −1 on both off-diagonal ones
        S[[p, q], [p, q]] += 1.0
        S[[p, q], [q, p]] -= 1.0
    return S


def symmetry_penalty(w, height: int, width: int) -> np.ndarray:
    """R(w) = Σ_pairs (w_p − w_mirror(p))², for weights of shape ``(..., height * width)``."""
    w = _weights(w, height * width)
    pairs = mirror_pairs(height, width)
    return np.sum((w[..., pairs[:, 0]] - w[..., pairs[:, 1]]) ** 2, axis=-1)


def _weights(w, d: int) -> np.ndarray:
    w = np.asarray(w, dtype=np.float64)
    if w.ndim == 0 or w.shape[-1] != d:
        raise ValueError(f"weights must have shape (..., {d}), got {w.shape}")
    return w


def symmetric_template(
    rng: np.random.Generator, height: int, width: int
) -> np.ndarray:
    """A random mirror-symmetric image (flattened), scaled to unit norm: the class template t = Pt."""
    height, width = _check_shape(height, width)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy Generator, got {type(rng).__name__}"
        )
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
    """Images x = a·s·t + σ·ε with labels s = ±1 equally likely and ε standard normal.

    Returns ``(X, s)`` of shapes ``(batch, n, d)`` and ``(batch, n)``. With t mirror-symmetric and ε
    isotropic, the distribution of (x, s) does not change when x is mirrored.
    """
    t = np.asarray(template, dtype=np.float64)
    if t.ndim != 1:
        raise ValueError(
            f"template must be a 1-D flattened image, got shape {t.shape}"
        )
    as_count(n, "n", 1)
    as_count(batch, "batch", 1)
    if not (amplitude >= 0 and noise > 0):
        raise ValueError(
            f"need amplitude >= 0 and noise > 0, got {amplitude}, {noise}"
        )
    s = rng.choice([-1.0, 1.0], size=(batch, n))
    X = amplitude * s[..., None] * t + noise * rng.standard_normal(
        (batch, n, t.size)
    )
    return X, s


def _data(X, s):
    X = np.asarray(X, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    if X.ndim < 2 or s.shape != X.shape[:-1]:
        raise ValueError(
            f"X must have shape (..., n, d) and s shape (..., n), got {X.shape} and {s.shape}"
        )
    if not np.all(np.abs(s) == 1):
        raise ValueError("labels s must be +1 or -1")
    return X, s


def logistic_loss(
    w, X, s, l2: float = 0.0, symmetry: float = 0.0, shape=None
) -> np.ndarray:
    """Mean logistic loss log(1 + exp(−s wᵀx)) + (l2/2)‖w‖² + symmetry · wᵀSw, one value per batch row."""
    X, s = _data(X, s)
    w = _weights(w, X.shape[-1])
    margins = s * (X @ w[..., None])[..., 0]
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
    """Gradient of :func:`logistic_loss` by w: −mean σ(−m) s x + l2 w + 2·symmetry·S w, with m = s wᵀx."""
    X, s = _data(X, s)
    w = _weights(w, X.shape[-1])
    margins = s * (X @ w[..., None])[..., 0]
    # σ(−m), without overflow for large |m|
    weight = 0.5 * (1.0 - np.tanh(0.5 * margins))
    grad = -((weight * s)[..., None, :] @ X)[..., 0, :] / X.shape[-2] + l2 * w
    if symmetry:
        mirror = mirror_permutation(*_image_shape(shape, X.shape[-1]))
        grad = grad + 2.0 * symmetry * (w - w[..., mirror])  # S w = (I − P) w
    return grad


def _image_shape(shape, d: int) -> tuple[int, int]:
    if shape is None or len(shape) != 2 or shape[0] * shape[1] != d:
        raise ValueError(
            f"shape must be (height, width) with height * width = {d} when symmetry > 0, got {shape!r}"
        )
    return _check_shape(*shape)


def augment_with_mirror(X, s, height: int, width: int):
    """Data augmentation: the training set followed by its mirrored copies, same labels."""
    X, s = _data(X, s)
    if X.shape[-1] != height * width:
        raise ValueError(
            f"images must have {height * width} pixels, got {X.shape[-1]}"
        )
    mirrored = X[..., mirror_permutation(height, width)]
    return np.concatenate([X, mirrored], axis=-2), np.concatenate(
        [s, s], axis=-1
    )


def train_logistic(
    X, s, l2: float, symmetry: float = 0.0, shape=None, steps: int = 200
) -> np.ndarray:
    """Batched full-batch gradient descent with Nesterov momentum from w = 0, one weight row per batch row.

    The step is 1/L with L = ‖X‖₂²/(4n) + l2 + 4·symmetry, an upper bound on the curvature of each
    row's loss (σ' ≤ 1/4, and S has eigenvalues 0 and 2), and the momentum (√κ − 1)/(√κ + 1) with
    κ = L/l2, the standard choice for a strongly convex loss (Nesterov 2004, scheme 2.2.19).
    """
    X, s = _data(X, s)
    if not l2 > 0:
        raise ValueError(
            f"l2 must be positive (it makes the loss strongly convex), got {l2}"
        )
    if symmetry < 0:
        raise ValueError(f"symmetry must be non-negative, got {symmetry}")
    n = X.shape[-2]
    # ‖X‖₂² is the largest eigenvalue of the d x d Gram matrix XᵀX, cheaper than an SVD of X
    gram_top = np.linalg.eigvalsh(np.swapaxes(X, -1, -2) @ X)[..., -1]
    lipschitz = gram_top / (4 * n) + l2 + 4 * symmetry
    step = (1.0 / lipschitz)[..., None]
    root_kappa = np.sqrt(lipschitz / l2)[..., None]
    momentum = (root_kappa - 1) / (root_kappa + 1)
    w = np.zeros(X.shape[:-2] + X.shape[-1:])
    previous = w
    for _ in range(steps):
        look_ahead = w + momentum * (w - previous)
        previous, w = (
            w,
            look_ahead
            - step * logistic_gradient(look_ahead, X, s, l2, symmetry, shape),
        )
    return w


def gaussian_accuracy(
    w, template, amplitude: float, noise: float
) -> np.ndarray:
    """Exact test accuracy of sign(wᵀx) on the data of :func:`make_dataset`: Φ(a wᵀt / (σ‖w‖))."""
    t = np.asarray(template, dtype=np.float64)
    w = _weights(w, t.size)
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
    """Exact test accuracy after training on the first n examples of each batch row, for each n in ``sizes``.

    ``X`` and ``s`` hold one training set per row (seed), of shapes ``(batch, N, d)`` and ``(batch, N)``;
    the sets for different n are nested. Returns an array of shape ``(len(sizes), batch)``.
    """
    X, s = _data(X, s)
    if X.ndim != 3:
        raise ValueError(f"X must have shape (batch, N, d), got {X.shape}")
    sizes = [int(n) for n in sizes]
    if not sizes or min(sizes) < 1 or max(sizes) > X.shape[1]:
        raise ValueError(f"sizes must lie in 1..{X.shape[1]}, got {sizes}")
    accuracies = []
    # a loop over a handful of sizes; every seed is trained at once
    for n in sizes:
        Xn, sn = X[:, :n], s[:, :n]
        if augment:
            Xn, sn = augment_with_mirror(Xn, sn, *shape)
        W = train_logistic(Xn, sn, l2, symmetry, shape, steps)
        accuracies.append(gaussian_accuracy(W, template, amplitude, noise))
    return np.array(accuracies)
