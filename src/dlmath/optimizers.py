"""First-order optimisers behind one small interface, stepping many starting points at once.

Every optimiser is a frozen dataclass of hyper-parameters with two methods:

* ``init(x) -> state`` for parameters ``x`` of shape ``(..., d)`` (any leading batch axes);
* ``step(x, grad_fn, state) -> (x_next, state_next)``, where ``grad_fn`` maps an array of shape
  ``(..., d)`` to the gradients, row by row.

``step`` takes the gradient *function*, not a gradient, because Nesterov momentum evaluates it
at a look-ahead point. :func:`run` iterates ``step`` and returns the whole trajectory. All state
is explicit; nothing is global; every operation is elementwise over the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from .checks import as_count, as_finite_array

GradFn = Callable[[np.ndarray], np.ndarray]


def _positive(name: str, value: float) -> None:
    if not (
        isinstance(value, (int, float)) and np.isfinite(value) and value > 0
    ):
        raise ValueError(
            f"{name} must be a positive finite number, got {value!r}"
        )


def _in_unit_interval(name: str, value: float) -> None:
    if not (isinstance(value, (int, float)) and 0 <= value < 1):
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")


def _check_moment_rates(optimizer) -> None:
    """The hyper-parameters Adam and Adamax share: a positive lr and decay rates in [0, 1)."""
    _positive("lr", optimizer.lr)
    _in_unit_interval("beta1", optimizer.beta1)
    _in_unit_interval("beta2", optimizer.beta2)


def _gradient(grad_fn: GradFn, x: np.ndarray) -> np.ndarray:
    g = np.asarray(grad_fn(x), dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(
            f"grad_fn must return the shape of x, {x.shape}, got {g.shape}"
        )
    return g


@dataclass(frozen=True)
class GradientDescent:
    """x_{t+1} = x_t − η ∇f(x_t)."""

    lr: float

    def __post_init__(self):
        _positive("lr", self.lr)

    def init(self, x):
        return ()

    def step(self, x, grad_fn: GradFn, state):
        return x - self.lr * _gradient(grad_fn, x), state


@dataclass(frozen=True)
class Momentum:
    """Heavy ball (Polyak 1964) or Nesterov (1983) momentum, in the velocity form of Sutskever et al. (2013).

    Heavy ball: v_{t+1} = μ v_t − η ∇f(x_t),            x_{t+1} = x_t + v_{t+1}.
    Nesterov:   v_{t+1} = μ v_t − η ∇f(x_t + μ v_t),    x_{t+1} = x_t + v_{t+1}.
    """

    lr: float
    beta: float = 0.9
    nesterov: bool = False

    def __post_init__(self):
        _positive("lr", self.lr)
        _in_unit_interval("beta", self.beta)

    def init(self, x):
        return np.zeros_like(x)  # velocity

    def step(self, x, grad_fn: GradFn, velocity):
        # Nesterov: gradient after the coasting step
        look_ahead = x + self.beta * velocity if self.nesterov else x
        velocity = self.beta * velocity - self.lr * _gradient(
            grad_fn, look_ahead
        )
        return x + velocity, velocity


class AdamState(NamedTuple):
    m: np.ndarray  # first moment (running mean of g)
    # second moment (running mean of g², Adam) or infinity norm u (Adamax)
    v: np.ndarray
    t: int  # steps taken


@dataclass(frozen=True)
class Adam:
    """Adam, Kingma & Ba (2015), Algorithm 1, with ε added to sqrt(v̂) as in the paper."""

    lr: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self):
        _check_moment_rates(self)
        _positive("eps", self.eps)

    def init(self, x):
        return AdamState(np.zeros_like(x), np.zeros_like(x), 0)

    def step(self, x, grad_fn: GradFn, state: AdamState):
        g = _gradient(grad_fn, x)
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g  # biased first moment
        # biased second raw moment
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        m_hat = m / (1 - self.beta1**t)  # bias corrections
        v_hat = v / (1 - self.beta2**t)
        return x - self.lr * m_hat / (np.sqrt(v_hat) + self.eps), AdamState(
            m, v, t
        )


@dataclass(frozen=True)
class Adamax:
    """Adamax, Kingma & Ba (2015), Algorithm 2: Adam with the infinity norm u_t = max(β₂ u_{t−1}, |g_t|).

    The paper divides by u_t with no ε. Where u_t is exactly 0 every gradient so far was 0 in
    that coordinate, so m_t = 0 too; the step there is taken as 0 (the value Adam's step tends
    to), not 0/0. Anywhere else the division is done as written, so a nan or inf gradient gives
    a nan step, as in gradient descent, Adam and PyTorch's Adamax: a diverging run shows as
    diverged. An ``eps`` > 0 divides by u_t + ε instead, as Keras does (PyTorch puts ε inside
    the max: u_t = max(β₂ u_{t−1}, |g_t| + ε)).
    """

    lr: float = 0.002
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 0.0

    def __post_init__(self):
        _check_moment_rates(self)
        if not (
            isinstance(self.eps, (int, float))
            and np.isfinite(self.eps)
            and self.eps >= 0
        ):
            raise ValueError(
                f"eps must be a non-negative finite number, got {self.eps!r}"
            )

    def init(self, x):
        return AdamState(np.zeros_like(x), np.zeros_like(x), 0)

    def step(self, x, grad_fn: GradFn, state: AdamState):
        g = _gradient(grad_fn, x)
        t = state.t + 1
        m = self.beta1 * state.m + (1 - self.beta1) * g  # biased first moment
        # exponentially weighted infinity norm
        u = np.maximum(self.beta2 * state.v, np.abs(g))
        # 0 only where no gradient yet: not where u is nan (nan > 0 is False)
        step = np.divide(
            m, u + self.eps, out=np.zeros_like(m), where=u != 0
        )
        return x - self.lr / (1 - self.beta1**t) * step, AdamState(m, u, t)


def run(optimizer, grad_fn: GradFn, x0, num_steps: int) -> np.ndarray:
    """The trajectory ``[x_0, x_1, …, x_T]`` of ``optimizer`` from ``x0``, shape ``(T + 1,) + x0.shape``.

    ``x0`` may hold many starting points, one per row of its leading axes; they are stepped together.
    """
    if not all(hasattr(optimizer, name) for name in ("init", "step")):
        raise TypeError(
            f"optimizer must have init and step methods, got {type(optimizer).__name__}"
        )
    if not callable(grad_fn):
        raise TypeError(
            f"grad_fn must be callable, got {type(grad_fn).__name__}"
        )
    as_count(num_steps, "num_steps")
    x = as_finite_array(x0, "x0")
    if x.ndim == 0:
        raise ValueError(
            "x0 must have at least one axis (the parameters), got a scalar"
        )
    trajectory = np.empty((num_steps + 1,) + x.shape)
    trajectory[0] = x
    state = optimizer.init(x)
    for t in range(num_steps):
        x, state = optimizer.step(x, grad_fn, state)
        trajectory[t + 1] = x
    return trajectory
