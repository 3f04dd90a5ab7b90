"""First-order optimisers behind one small interface, stepping many starting
points at once (chapters 5.1 to 5.3).

Every optimiser is a frozen dataclass of hyper-parameters with two methods:

* ``init(x) -> state`` for parameters ``x`` of shape ``(..., d)`` (any
  leading batch axes);
* ``step(x, grad_fn, state) -> (x_next, state_next)``, where ``grad_fn`` maps
  an array of shape ``(..., d)`` to the gradients, row by row.

``step`` takes the gradient *function*, not a gradient, because Nesterov
momentum evaluates it at a look-ahead point. :func:`run` iterates ``step``
and returns the whole trajectory. All state is explicit; nothing is global;
every operation is elementwise over the batch.

Names across the package: a function that evaluates a gradient returns an
array and is called ``…_gradient`` (``beale_gradient(points)``); one that
builds a ``grad_fn`` for :func:`run` is called ``…_grad_fn``
(``quadratic_grad_fn(Q, c)``, ``noisy_quadratic_grad_fn(...)``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .checks import as_array, as_callable, as_count, as_flag, as_number

__all__ = [
    "GradientDescent",
    "Momentum",
    "Adam",
    "Adamax",
    "run",
]

GradFn = Callable[[np.ndarray], np.ndarray]


def _gradient(grad_fn: GradFn, x: np.ndarray) -> np.ndarray:
    # inf and nan pass: a diverging run must show as diverged, not stop
    g = as_array(grad_fn(x), "grad_fn(x)", interval=None)
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
        as_number(self.lr, "lr", "(0, inf)")

    def init(self, x):
        return ()

    def step(self, x, grad_fn: GradFn, state):
        return x - self.lr * _gradient(grad_fn, x), state


@dataclass(frozen=True)
class Momentum:
    """Heavy ball (Polyak 1964) or Nesterov (1983) momentum, in the velocity
    form of Sutskever et al. (2013)::

        heavy ball: v_{t+1} = μ v_t − η ∇f(x_t)
        Nesterov:   v_{t+1} = μ v_t − η ∇f(x_t + μ v_t)
        both:       x_{t+1} = x_t + v_{t+1}
    """

    lr: float
    beta: float = 0.9
    nesterov: bool = False

    def __post_init__(self):
        as_number(self.lr, "lr", "(0, inf)")
        as_number(self.beta, "beta", "[0, 1)")
        # nesterov="no" would run Nesterov
        as_flag(self.nesterov, "nesterov")

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


class _Moments:
    """What Adam and Adamax share: the checks of lr, β₁, β₂ and ε, a state of
    two moments, and the first moment."""

    # ε = 0 is allowed where the method is defined without it
    _eps_interval = "(0, inf)"

    def __post_init__(self):
        as_number(self.lr, "lr", "(0, inf)")
        as_number(self.beta1, "beta1", "[0, 1)")
        as_number(self.beta2, "beta2", "[0, 1)")
        as_number(self.eps, "eps", self._eps_interval)

    def init(self, x):
        return AdamState(np.zeros_like(x), np.zeros_like(x), 0)

    def _first_moment(self, x, grad_fn: GradFn, state: AdamState):
        """g_t, t, and the biased first moment
        m_t = β₁ m_{t−1} + (1 − β₁) g_t."""
        g = _gradient(grad_fn, x)
        return g, state.t + 1, self.beta1 * state.m + (1 - self.beta1) * g


@dataclass(frozen=True)
class Adam(_Moments):
    """Adam, Kingma & Ba (2015), Algorithm 1, with ε added to sqrt(v̂) as in
    the paper."""

    lr: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def step(self, x, grad_fn: GradFn, state: AdamState):
        g, t, m = self._first_moment(x, grad_fn, state)
        # biased second raw moment
        v = self.beta2 * state.v + (1 - self.beta2) * g**2
        m_hat = m / (1 - self.beta1**t)  # bias corrections
        v_hat = v / (1 - self.beta2**t)
        step = self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return x - step, AdamState(m, v, t)


@dataclass(frozen=True)
class Adamax(_Moments):
    """Adamax, Kingma & Ba (2015), Algorithm 2: Adam with the infinity norm
    ``u_t = max(β₂ u_{t−1}, |g_t|)``.

    The paper divides by u_t with no ε. Where u_t is exactly 0 every gradient
    so far was 0 in that coordinate, so m_t = 0 too; the step there is taken
    as 0 (the value Adam's step tends to), not 0/0. Anywhere else the
    division is done as written, so a nan or inf gradient gives a nan step,
    as in gradient descent, Adam and PyTorch's Adamax: a diverging run shows
    as diverged. An ``eps`` > 0 divides by u_t + ε instead, as Keras does;
    with ``eps_in_max`` it goes inside the max instead, as PyTorch does:
    ``u_t = max(β₂ u_{t−1}, |g_t| + ε)``, and the step is m_t / u_t.
    """

    lr: float = 0.002
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 0.0
    eps_in_max: bool = False  # PyTorch's placement of ε, not Keras's
    _eps_interval = "[0, inf)"  # the paper's Adamax has no ε

    def __post_init__(self):
        super().__post_init__()
        as_flag(self.eps_in_max, "eps_in_max")

    def step(self, x, grad_fn: GradFn, state: AdamState):
        g, t, m = self._first_moment(x, grad_fn, state)
        in_max, added = (self.eps, 0.0) if self.eps_in_max else (0.0, self.eps)
        # exponentially weighted infinity norm
        u = np.maximum(self.beta2 * state.v, np.abs(g) + in_max)
        # 0 only where no gradient yet: not where u is nan (nan > 0 is False)
        step = np.divide(m, u + added, out=np.zeros_like(m), where=u != 0)
        return x - self.lr / (1 - self.beta1**t) * step, AdamState(m, u, t)


def _check_optimizer(optimizer) -> None:
    """``TypeError`` unless ``optimizer`` is an optimiser *instance*, with
    ``init`` and ``step`` methods (``Adam()``, not the class ``Adam``)."""
    if isinstance(optimizer, type):
        raise TypeError(
            f"optimizer must be an instance such as {optimizer.__name__}(), "
            f"got the class {optimizer.__name__}"
        )
    if not all(
        callable(getattr(optimizer, name, None)) for name in ("init", "step")
    ):
        raise TypeError(
            "optimizer must have init and step methods, "
            f"got {type(optimizer).__name__}"
        )


def run(optimizer, grad_fn: GradFn, x0, num_steps: int) -> np.ndarray:
    """The trajectory ``[x_0, x_1, …, x_T]`` of ``optimizer`` from ``x0``,
    shape ``(T + 1,) + x0.shape``.

    ``x0`` may hold many starting points, one per row of its leading axes;
    they are stepped together. ``x0`` must be finite; the gradients along
    the way may be inf or nan, and then so are the iterates after them.

    Parameters
    ----------
    optimizer : GradientDescent, Momentum, Adam or Adamax
        An instance (``Adam()``, not ``Adam``), or any object with the
        ``init`` and ``step`` methods of the module docstring.
    grad_fn : callable
        Maps an array of the shape of ``x0`` to the gradients, row by row.
    x0 : array_like
        Starting points, shape ``(..., d)``: finite real numbers.
    num_steps : int
        The number of steps T, at least 0.

    Returns
    -------
    numpy.ndarray
        The trajectory, shape ``(T + 1,) + x0.shape``.

    Examples
    --------
    Gradient descent with η = 0.25 on f(x) = x², whose gradient is 2x,
    halves x at every step:

    >>> run(GradientDescent(lr=0.25), lambda x: 2 * x, [1.0], 3)[:, 0]
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    _check_optimizer(optimizer)
    as_callable(grad_fn, "grad_fn")
    as_count(num_steps, "num_steps")
    x = as_array(x0, "x0")
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
