"""A one-hidden-layer ReLU network for binary classification, with
backpropagation written out by hand (chapter 4).

The network of problem 4, for a batch of ``m`` examples stored as the
**columns** of ``X`` (shape ``D_x x m``), labels y in {0, 1}::

    Z1 = W1 X + b1 1ᵀ      (D_a1 x m)      A1 = ReLU(Z1)
    z2 = w2 A1 + b2 1ᵀ     (1 x m)         ŷ = σ(z2)
    J  = (1/m) Σ_i L(ŷ_i, y_i),  L = −[y log ŷ + (1 − y) log(1 − ŷ)]

``w2`` is a row (it is stored as a 1-D array of length ``D_a1``). Every
function also accepts parameters with extra *leading* axes, so that many
networks (seeds, initialisations) are evaluated and trained at once on the
same data; ``X`` and ``y`` are shared by all of them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .checks import _show, as_array, as_count, as_generator, as_number
from .logistic import _bce_with_logits, _sigmoid

__all__ = [
    "Params",
    "check_params",
    "check_data",
    "relu",
    "relu_derivative",
    "forward",
    "cost",
    "gradients",
    "init_params",
    "train",
    "accuracy",
    "train_logistic_regression",
    "two_circles",
]


class _Arrays(NamedTuple):
    W1: np.ndarray  # (*B, D_a1, D_x)
    b1: np.ndarray  # (*B, D_a1)
    w2: np.ndarray  # (*B, D_a1), the row w2 of z2 = w2 a1 + b2
    b2: np.ndarray  # (*B,)


class Params(_Arrays):
    """Parameters of the network: ``W1`` of shape ``(*B, D_a1, D_x)``,
    ``b1`` and the row ``w2`` of shape ``(*B, D_a1)``, ``b2`` of shape
    ``(*B,)``; each may carry the same leading batch axes ``B``.

    Made from arrays of finite numbers of those shapes, checked here: a
    ``TypeError`` or ``ValueError`` names the first one that is not.
    """

    __slots__ = ()

    def __new__(cls, W1, b1, w2, b2):
        W1, b1, w2, b2 = (
            as_array(p, name)
            for p, name in zip((W1, b1, w2, b2), _Arrays._fields, strict=True)
        )
        if W1.ndim < 2:
            raise ValueError(
                f"W1 must have shape (*B, D_a1, D_x), got {W1.shape}"
            )
        hidden, batch = W1.shape[:-1], W1.shape[:-2]
        for name, array, shape in (
            ("b1", b1, hidden),
            ("w2", w2, hidden),
            ("b2", b2, batch),
        ):
            if array.shape != shape:
                raise ValueError(
                    f"{name} must have shape {shape} to go with W1 of shape "
                    f"{W1.shape}, got {array.shape}"
                )
        return super().__new__(cls, W1, b1, w2, b2)


class Cache(NamedTuple):
    """Intermediate values of the forward pass, kept for the backward pass."""

    Z1: np.ndarray  # (*B, D_a1, m)
    A1: np.ndarray  # (*B, D_a1, m)
    z2: np.ndarray  # (*B, m)
    y_hat: np.ndarray  # (*B, m)


def check_params(params) -> Params:
    """``params`` as a :class:`Params` of float64 arrays; ``ValueError``
    naming the expected shapes otherwise."""
    if not isinstance(params, Params):
        raise TypeError(
            "params must be a dlmath.backprop.Params, "
            f"got {type(params).__name__}"
        )
    # checked again: its arrays may have been changed in place since
    return Params(*params)


def check_data(X, y, d_x: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``X`` of shape ``(D_x, m)`` (examples are columns) and labels ``y`` in
    [0, 1] of shape ``(m,)``."""
    X, y = as_array(X, "X"), as_array(y, "y", "[0, 1]")
    if X.ndim != 2 or y.shape != (X.shape[1],):
        raise ValueError(
            "expected X of shape (D_x, m) and y of shape (m,), "
            f"got {X.shape} and {y.shape}"
        )
    if d_x is not None and X.shape[0] != as_count(d_x, "d_x", 1):
        raise ValueError(_rows_of_X(d_x, X))
    return X, y


def _rows_of_X(d_x: int, X: np.ndarray) -> str:
    return (
        f"X must have shape ({d_x}, m): d_x = {d_x} rows, one per column of "
        f"W1 (examples are columns), got shape {X.shape}"
    )


def _batch_shape(batch) -> tuple[int, ...]:
    """The leading axes ``B`` of a batch of networks, as a tuple of sizes."""
    if not isinstance(batch, (tuple, list)):
        raise TypeError(
            f"batch must be a tuple of sizes such as (2,) or (), "
            f"got {_show(batch)}"
        )
    return tuple(as_count(size, "batch", 1) for size in batch)


def relu(z) -> np.ndarray:
    """ReLU(z) = max(z, 0), elementwise."""
    return np.maximum(as_array(z, "z"), 0.0)


def relu_derivative(z, at_zero: float = 0.0) -> np.ndarray:
    """dReLU/dz elementwise: 1 for z > 0, 0 for z < 0 and ``at_zero`` at 0
    (any value in [0, 1] is a subgradient of ReLU there)."""
    as_number(at_zero, "at_zero", "[0, 1]")
    return _relu_derivative(as_array(z, "z"), at_zero)


def _relu_derivative(z: np.ndarray, at_zero: float) -> np.ndarray:
    return np.where(z > 0, 1.0, np.where(z < 0, 0.0, at_zero))


def _forward(params: Params, X: np.ndarray) -> Cache:
    W1, b1, w2, b2 = params
    Z1 = W1 @ X + b1[..., :, None]  # (*B, D_a1, m)
    A1 = np.maximum(Z1, 0.0)  # ReLU(Z1)
    # the row w2 times A1
    z2 = np.einsum("...k,...km->...m", w2, A1) + b2[..., None]
    return Cache(Z1, A1, z2, _sigmoid(z2))


def forward(params: Params, X) -> Cache:
    """The forward pass of the module docstring for every network in
    ``params`` at once."""
    params = check_params(params)
    X = as_array(X, "X")
    if X.ndim != 2 or X.shape[0] != params.W1.shape[-1]:
        raise ValueError(_rows_of_X(params.W1.shape[-1], X))
    return _forward(params, X)


def cost(params: Params, X, y):
    """J = (1/m) Σ_i L⁽ⁱ⁾, computed from the logits with the stable loss;
    shape ``B``."""
    params = check_params(params)
    X, y = check_data(X, y, params.W1.shape[-1])
    return _bce_with_logits(_forward(params, X).z2, y).mean(axis=-1)


def _backward(
    params: Params,
    X: np.ndarray,
    y: np.ndarray,
    cache: Cache,
    relu_at_zero: float,
) -> Params:
    m = X.shape[1]
    # ∂J/∂z2 = δ1 δ2, after the cancellation of ŷ(1 − ŷ)
    dz2 = (cache.y_hat - y) / m
    grad_w2 = np.einsum("...m,...km->...k", dz2, cache.A1)  # dz2 A1ᵀ
    grad_b2 = dz2.sum(axis=-1)
    # w2ᵀ dz2: δ3ᵀ times the upstream row
    dA1 = params.w2[..., :, None] * dz2[..., None, :]
    # the diagonal Jacobian δ4 as a product
    dZ1 = dA1 * _relu_derivative(cache.Z1, relu_at_zero)
    # Σ_i dZ1[:, i] x⁽ⁱ⁾ᵀ: the contraction of the 3-tensor δ5
    grad_W1 = dZ1 @ X.T
    return Params._make((grad_W1, dZ1.sum(axis=-1), grad_w2, grad_b2))


def gradients(params: Params, X, y, relu_at_zero: float = 0.0) -> Params:
    """∂J/∂W1, ∂J/∂b1, ∂J/∂w2, ∂J/∂b2, each laid out like its parameter
    (batched backpropagation)."""
    params = check_params(params)
    as_number(relu_at_zero, "relu_at_zero", "[0, 1]")
    X, y = check_data(X, y, params.W1.shape[-1])
    return _backward(params, X, y, _forward(params, X), relu_at_zero)


def init_params(
    rng: np.random.Generator, d_x: int, d_a1: int, batch: tuple = ()
) -> Params:
    """He initialisation (variance 2/fan-in) for the weights, zero biases, for
    ``batch`` networks at once."""
    rng = as_generator(rng)
    as_count(d_x, "d_x", 1)
    as_count(d_a1, "d_a1", 1)
    batch = _batch_shape(batch)
    W1 = rng.standard_normal(batch + (d_a1, d_x)) * np.sqrt(2.0 / d_x)
    w2 = rng.standard_normal(batch + (d_a1,)) * np.sqrt(2.0 / d_a1)
    return Params(W1, np.zeros(batch + (d_a1,)), w2, np.zeros(batch))


def train(
    params: Params, X, y, lr: float, steps: int
) -> tuple[Params, np.ndarray]:
    """Full-batch gradient descent with :func:`gradients`; returns the last
    parameters and J at every step, shape ``(steps + 1, *B)``."""
    as_number(lr, "lr", "(0, inf)")
    as_count(steps, "steps")
    params = check_params(params)
    X, y = check_data(X, y, params.W1.shape[-1])
    history = []
    for _ in range(steps + 1):
        # one forward pass gives J and the gradient at the same point
        cache = _forward(params, X)
        history.append(_bce_with_logits(cache.z2, y).mean(axis=-1))
        if len(history) > steps:
            break
        grads = _backward(params, X, y, cache, 0.0)
        # _make: no checks inside the loop (Params checks its arguments)
        params = Params._make(
            p - lr * g for p, g in zip(params, grads, strict=True)
        )
    return params, np.array(history)


def accuracy(params: Params, X, y):
    """Fraction of examples with (ŷ > 1/2) == y; shape ``B``."""
    params = check_params(params)
    X, y = check_data(X, y, params.W1.shape[-1])
    return ((_forward(params, X).z2 > 0) == (y > 0.5)).mean(axis=-1)


def train_logistic_regression(
    X, y, lr: float, steps: int, batch: tuple = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The network's baseline without a hidden layer: logistic regression
    ŷ = σ(w x + b) from zero by plain gradient descent, like :func:`train`.

    Examples are columns and labels {0, 1}, as everywhere in this module;
    ∂J/∂w = (ŷ − y) Xᵀ / m. Returns w, b and J at every step.
    """
    X, y = check_data(X, y)
    as_number(lr, "lr", "(0, inf)")
    as_count(steps, "steps")
    batch = _batch_shape(batch)
    w, b = np.zeros(batch + (X.shape[0],)), np.zeros(batch)
    history = []
    for _ in range(steps):
        z = w @ X + b[..., None]
        history.append(_bce_with_logits(z, y).mean(axis=-1))
        dz = (_sigmoid(z) - y) / X.shape[1]
        w, b = w - lr * dz @ X.T, b - lr * dz.sum(axis=-1)
    history.append(_bce_with_logits(w @ X + b[..., None], y).mean(axis=-1))
    return w, b, np.array(history)


def two_circles(
    rng: np.random.Generator, m: int, noise: float = 0.1, radii=(0.5, 1.0)
) -> tuple[np.ndarray, np.ndarray]:
    """``m`` points on two noisy concentric circles, label 1 on the outer
    one: X of shape (2, m), y of shape (m,)."""
    rng = as_generator(rng)
    as_count(m, "m", 2)
    as_number(noise, "noise", "[0, inf)")
    radii = as_array(radii, "radii", "(0, inf)")
    if radii.shape != (2,):
        raise ValueError(
            f"radii must be (inner, outer), got shape {radii.shape}"
        )
    # alternate labels: classes of equal size
    y = (np.arange(m) % 2).astype(np.float64)
    angle = rng.uniform(0, 2 * np.pi, m)
    radius = np.where(y == 1, radii[1], radii[0])
    X = radius * np.stack(
        [np.cos(angle), np.sin(angle)]
    ) + noise * rng.standard_normal((2, m))
    return X, y
