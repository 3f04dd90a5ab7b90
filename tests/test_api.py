"""Every public function of dlmath refuses bad input clearly.

The public API is ``dlmath.__all__``: modules, each with its own ``__all__``.
For every exported callable (and every function one of them returns for the
caller to call, such as a gradient oracle) ``SPECS`` below holds a good call
and, for each parameter, what a bad value of it looks like. The property
test replaces one argument of the good call by a bad value that hypothesis
draws (wrong type, wrong shape, nan, inf, empty, out of range, a flag that
is not a bool) and asserts a ``TypeError`` or ``ValueError`` whose message
names the argument and is short, raised before any callable the caller
passed in is called.

An exported callable without a specification, or a parameter without one,
fails ``test_every_export_has_a_specification``; a public-looking function
defined in a module but missing from its ``__all__`` fails
``test_every_public_function_is_exported``. So a function added to a module
is either covered here or the suite says what is missing.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dlmath
from dlmath import backprop, optimizers

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# A message names what was expected and where the input went wrong; it
# never reproduces the input (a 100,001-entry list once gave 500,042
# characters).
MAX_MESSAGE = 300

# Public-looking names that are not API: the argument checks of
# dlmath.checks (machinery of the package, given the name to report), and
# result types the package builds and returns (documented where returned).
INTERNAL = {
    "optimizers": {"AdamState"},
    "backprop": {"Cache"},
    "spread": {"PairedComparison"},
    "checks": {
        "Comparison",
        "as_array",
        "as_callable",
        "as_count",
        "as_counts",
        "as_flag",
        "as_generator",
        "as_number",
        "as_points",
        "as_square_matrix",
        "as_text",
        "as_vector",
    },
}


def exported() -> dict[str, Callable]:
    """``"module.name"`` for every callable that ``dlmath`` exports."""
    found = {}
    for module_name in dlmath.__all__:
        module = getattr(dlmath, module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if callable(value):
                found[f"{module_name}.{name}"] = value
    return found


class Spy:
    """A callable argument that records whether it was called."""

    def __init__(self, function: Callable):
        self.function = function
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


# --- what a bad value of each kind of parameter looks like

NOT_A_NUMBER = ["0.1", None, True, np.bool_(False), [0.1], 1j, object()]
NOT_AN_ARRAY = ["abc", None, {"a": 1}, [1.0, "x"], [[1.0], [1.0, 2.0]], 1j]


def number(interval: str = "(-inf, inf)") -> Callable:
    """Bad values of a real number in ``interval``: other kinds, nan, ±inf
    (unless inside), and values just outside each finite end."""
    left, low, high, right = dlmath.checks._bounds(interval)
    outside = [np.nan]
    if low > -np.inf:
        outside += [low - 1.0, np.nextafter(low, -np.inf), -np.inf]
        if left == "(":
            outside.append(low)
    elif left == "(":
        outside.append(-np.inf)
    if high < np.inf:
        outside += [high + 1.0, np.nextafter(high, np.inf), np.inf]
        if right == ")":
            outside.append(high)
    elif right == ")":
        outside.append(np.inf)
    return lambda good: st.sampled_from(NOT_A_NUMBER + outside)


def count(minimum: int = 0) -> Callable:
    bad = [2.0, 1.5, True, "3", None, np.float64(3.0)]
    return lambda good: (
        st.sampled_from(bad) | st.integers(-(10**6), minimum - 1)
    )


def flag() -> Callable:
    bad = [0, 1, "no", "yes", None, 1.0, np.array([True, False])]
    return lambda good: st.sampled_from(bad)


def generator() -> Callable:
    bad = [0, 12345, None, "rng", np.random.RandomState(0), np.random]
    return lambda good: st.sampled_from(bad)


def user_callable() -> Callable:
    return lambda good: st.sampled_from([1, "f", None, np.ones(2)])


def text() -> Callable:
    return lambda good: st.sampled_from([1, None, b"x", ["a"], 1.5])


def array(
    interval: str | None = "(-inf, inf)", shapes=(), none_ok: bool = False
) -> Callable:
    """Bad values of an array like the good one: other kinds, empty, wrong
    shapes (``shapes``: a list, or a function of the good value), and one
    entry outside ``interval`` (nan, ±inf, out of range) at a position
    hypothesis picks. ``none_ok``: None is a valid value (a default)."""

    def strategy(good):
        good = np.asarray(good, dtype=np.float64)
        bad_shapes = shapes(good) if callable(shapes) else list(shapes)
        not_arrays = [v for v in NOT_AN_ARRAY if not (none_ok and v is None)]
        kinds = [
            st.sampled_from(not_arrays),
            st.just(np.zeros((0,) + good.shape[1:])),
            st.just(np.array([1.0, 2.0], dtype=np.complex128)),
            st.just(np.ones(good.shape, dtype=bool)),
        ]
        if bad_shapes:
            kinds.append(st.sampled_from([np.ones(s) for s in bad_shapes]))
        if interval is not None:
            left, low, high, right = dlmath.checks._bounds(interval)
            outside = [np.nan]
            outside += [-np.inf] if left == "(" or low > -np.inf else []
            outside += [np.inf] if right == ")" or high < np.inf else []
            outside += [low - 1.0] if np.isfinite(low) else []
            outside += [low] if left == "(" and np.isfinite(low) else []
            outside += [high + 1.0] if np.isfinite(high) else []
            outside += [high] if right == ")" and np.isfinite(high) else []
            kinds.append(_poisoned(good, outside))
        return st.one_of(kinds)

    strategy.interval = interval  # for the test of long inputs
    return strategy


def _poisoned(good: np.ndarray, outside: list):
    """``good`` with one entry, chosen by hypothesis, set to a bad value;
    sometimes tiled to a long list first (the message must stay short)."""

    @st.composite
    def build(draw):
        base = good
        if draw(st.booleans()) and good.ndim == 1:
            base = np.tile(good, 5000)  # the shape is wrong; still refused
        base = np.array(base)
        if base.ndim == 0:
            return draw(st.sampled_from(outside))
        index = draw(st.integers(0, base.size - 1))
        base.flat[index] = draw(st.sampled_from(outside))
        return base if draw(st.booleans()) else base.tolist()

    return build()


def values(*bad) -> Callable:
    """Bad values listed one by one, for what the kinds above do not say."""
    return lambda good: st.sampled_from(list(bad))


def either(*kinds: Callable) -> Callable:
    return lambda good: st.one_of([kind(good) for kind in kinds])


# --- good calls and bad arguments of every exported function


@dataclass
class Spec:
    """A good call (``good()`` makes fresh arguments, with Spies for the
    callables) and, per parameter, a function of the good value that gives
    a strategy of bad values. ``call`` makes the call (default: the
    function with the keyword arguments); ``names`` overrides the name a
    message must contain for a parameter."""

    good: Callable[[], dict]
    bad: dict[str, Callable]
    call: Callable | None = None
    names: dict[str, str] = field(default_factory=dict)


def _rng():
    return np.random.default_rng(0)


def _spd():
    return np.array([[2.0, 0.5], [0.5, 1.0]])


def _net():
    return backprop.init_params(_rng(), 2, 3)


def _data2():
    X = np.array([[0.0, 1.0, -1.0], [1.0, 0.5, 2.0]])
    return X, np.array([0.0, 1.0, 1.0])


def _images():
    rng = _rng()
    return rng.standard_normal((2, 4, 6)), np.tile([1.0, -1.0], (2, 2))


def _grads():
    return np.array([[1.0, -2.0], [0.5, 3.0], [-1.0, 0.1]])


X_SYM = sp.symbols("x1 x2")
POINTS = [[0.0, 1.0], [3.0, 0.5]]
PAIR_SHAPES = [(1,), (2, 1), (4,), (1, 3)]
LABELS_01 = "[0, 1]"

SPECS: dict[str, Spec] = {
    # checks
    **{
        f"checks.{name}": Spec(
            lambda: dict(
                actual=[1.0, 2.0], expected=[1.0, 2.0], rtol=1e-7, name="x"
            ),
            dict(
                actual=array(shapes=[(3,), (2, 1)]),
                expected=array(shapes=[(3,), (2, 1)]),
                rtol=number("(0, inf)"),
                name=text(),
            ),
        )
        for name in ("assert_close", "compare")
    },
    "checks.relative_error": Spec(
        lambda: dict(actual=[1.0, 2.0], expected=[1.0, 2.0]),
        dict(
            actual=array(shapes=[(3,), (2, 1)]),
            expected=array(shapes=[(3,), (2, 1)]),
        ),
    ),
    # calculus
    **{
        f"calculus.{name}": Spec(
            lambda: dict(
                f=Spy(lambda x: np.sum(x**3)), x=[1.0, 2.0], eps=1e-4
            ),
            dict(
                f=user_callable(),
                x=array(),
                # 1e-300: x ± eps == x, every difference would be 0
                eps=either(number("(0, inf)"), values(1e-300, 1e-17)),
            ),
        )
        for name in (
            "numerical_jacobian",
            "numerical_gradient",
            "numerical_hessian",
        )
    },
    "calculus.central_difference_errors": Spec(
        lambda: dict(
            f=Spy(lambda x: x**3),
            x=[1.0, 2.0],
            exact=np.diag([3.0, 12.0]),
            steps=[1e-3, 1e-4],
            method=Spy(dlmath.calculus.numerical_jacobian),
        ),
        dict(
            f=user_callable(),
            x=array(),
            # (2,) would be right for numerical_gradient: it is compared
            # with the first result, after one call of f
            exact=array(shapes=[(3,), (3, 3), (2, 3)]),
            steps=array("(0, inf)", shapes=[(2, 1), ()]),
            method=user_callable(),
        ),
    ),
    # symbolic
    "symbolic.matrix": Spec(
        lambda: dict(name="A", rows=2, cols=3),
        dict(name=text(), rows=count(1), cols=count(1)),
    ),
    "symbolic.vector": Spec(
        lambda: dict(name="x", n=2, real=True),
        dict(name=text(), n=count(1), real=flag()),
        names=dict(real="assumptions"),
    ),
    "symbolic.function_vector": Spec(
        lambda: dict(name="f", n=2, args=list(X_SYM)),
        dict(
            name=text(),
            n=count(1),
            args=values(None, 3, "x", [1.0], [X_SYM[0] ** 2]),
        ),
    ),
    "symbolic.function_matrix": Spec(
        lambda: dict(name="F", rows=2, cols=2, arg=X_SYM[0]),
        dict(
            name=text(),
            rows=count(1),
            cols=count(1),
            arg=values(None, "t", 1.0, [X_SYM[0]], X_SYM[0] + 1),
        ),
    ),
    "symbolic.jacobian": Spec(
        lambda: dict(outputs=X_SYM[0] * X_SYM[1], variables=list(X_SYM)),
        dict(
            outputs=values(
                None, "x1", {"a": 1}, sp.ones(2, 2), np.ones(2), object()
            ),
            variables=values(
                None,
                "x1",
                [],
                sp.Matrix([[X_SYM[0], X_SYM[1]], [X_SYM[1], X_SYM[0]]]),
                [X_SYM[0] ** 2],
                [1.0],
            ),
        ),
    ),
    "symbolic.is_zero": Spec(
        lambda: dict(expr=X_SYM[0] - X_SYM[0]),
        dict(expr=values(None, "0", {"a": 1}, [0], np.zeros(2), object())),
    ),
    # spread
    "spread.paired_difference": Spec(
        lambda: dict(a=[1.0, 2.0, 3.0], b=[0.5, 2.5, 2.0]),
        dict(a=array(shapes=PAIR_SHAPES), b=array(shapes=PAIR_SHAPES)),
    ),
    "spread.quantile_band": Spec(
        lambda: dict(x=[1.0, 2.0, 3.0], low=0.1, high=0.9),
        dict(x=array(), low=number("[0, 0.5)"), high=number("(0.5, 1]")),
    ),
    "spread.format_band": Spec(
        lambda: dict(band=[1.0, 2.0, 3.0], spec=".2f"),
        dict(
            band=either(
                array(shapes=[(2,), (3, 1), (4,)]),
                values([3.0, 2.0, 1.0], [1.0, 3.0, 2.0]),
            ),
            spec=either(text(), values("q", ".2z", "{}")),
        ),
    ),
    "spread.sign_test": Spec(
        lambda: dict(lower=3, higher=9),
        dict(lower=count(0), higher=count(0)),
    ),
    "spread.median_interval": Spec(
        lambda: dict(differences=np.linspace(-1.0, 2.0, 20), confidence=0.9),
        dict(
            differences=either(
                array(shapes=[(2, 20)]), values([1.0, 2.0], [0.5])
            ),
            confidence=number("(0, 1)"),
        ),
    ),
    "spread.paired_comparison": Spec(
        lambda: dict(
            a=np.linspace(0.0, 1.0, 20),
            b=np.linspace(0.1, 0.9, 20),
            names=("p", "q"),
            level=0.05,
            confidence=0.9,
        ),
        dict(
            a=array(shapes=PAIR_SHAPES + [(2, 20)]),
            b=array(shapes=PAIR_SHAPES + [(2, 20)]),
            names=values(None, "pq", ("p",), ("p", "q", "r"), (1, 2)),
            level=number("(0, 1)"),
            confidence=number("(0, 1)"),
        ),
    ),
    "spread.binomial_sd": Spec(
        lambda: dict(share=0.3, n=10),
        dict(share=number("[0, 1]"), n=count(1)),
    ),
    # logistic
    "logistic.sigmoid": Spec(lambda: dict(z=[0.0, 1.0]), dict(z=array())),
    "logistic.bce_naive": Spec(
        lambda: dict(y_hat=[0.2, 0.7], y=[0.0, 1.0]),
        dict(
            y_hat=array(LABELS_01, shapes=[(3,), (2, 1)]),
            y=array(LABELS_01, shapes=[(3,), (2, 1), (1, 2)]),
        ),
    ),
    "logistic.bce_with_logits": Spec(
        lambda: dict(z=[0.2, -3.0], y=[0.0, 1.0]),
        dict(
            z=array(shapes=[(3,), (2, 1)]),
            y=array(LABELS_01, shapes=[(3,), (2, 1), (1, 2)]),
        ),
    ),
    # hessian
    "hessian.second_order_model": Spec(
        lambda: dict(
            value=1.0,
            gradient=[1.0, 2.0],
            hessian=_spd(),
            x0=[0.0, 1.0],
        ),
        dict(
            value=array(shapes=[(1,), (2,)]),
            gradient=array(shapes=[(3,), (2, 1), ()]),
            hessian=array(shapes=[(2,), (3, 3), (2, 3)]),
            x0=array(shapes=[(3,), (2, 1), ()]),
        ),
    ),
    "hessian.second_order_model()": Spec(
        lambda: dict(points=POINTS),
        dict(points=array(shapes=[(3,), (2, 3), ()])),
        call=lambda kwargs: dlmath.hessian.second_order_model(
            1.0, [1.0, 2.0], _spd(), [0.0, 1.0]
        )(**kwargs),
    ),
    "hessian.classify_stationary_point": Spec(
        lambda: dict(hessian=_spd(), tol=1e-9),
        dict(
            hessian=either(
                array(shapes=[(2,), (2, 3)]), values([[1.0, 2.0], [0.0, 1.0]])
            ),
            tol=number("[0, 1)"),
        ),
    ),
    "hessian.loglog_slope": Spec(
        lambda: dict(x=[1.0, 2.0, 4.0], y=[1.0, 4.0, 16.0]),
        dict(
            x=either(
                array("(0, inf)", shapes=[(2,), (3, 1), (1,)]),
                values([1.0, 1.0, 1.0]),
            ),
            y=array("(0, inf)", shapes=[(2,), (3, 1), (1,)]),
        ),
    ),
    # figures
    "figures.network_graph": Spec(
        lambda: dict(d_x="n", d_a1="h"),
        dict(d_x=text(), d_a1=text()),
    ),
    "figures.draw_graph": Spec(
        lambda: dict(
            ax=plt.figure().add_subplot(),
            nodes={"a": (0.0, 0.0, "A"), "b": (1.0, 0.0, "B")},
            edges=[("a", "b", "e")],
            highlight=("a",),
        ),
        dict(
            ax=values(None, 1, "ax", plt),
            nodes=values(
                None,
                [("a", 0.0)],
                {"a": (0.0, 0.0)},
                {"a": (0.0, np.nan, "A"), "b": (1.0, 0.0, "B")},
                {"a": ("0", 0.0, "A"), "b": (1.0, 0.0, "B")},
                {},
            ),
            edges=values(None, [("a", "c", "e")], [("a",)], "ab", [1]),
            highlight=values(None, "c", ["c"], 1),
        ),
    ),
    # no argument to get wrong: the call sets matplotlib's style
    "figures.use_book_figures": Spec(lambda: dict(), dict()),
    # optimizers
    "optimizers.GradientDescent": Spec(
        lambda: dict(lr=0.1), dict(lr=number("(0, inf)"))
    ),
    "optimizers.Momentum": Spec(
        lambda: dict(lr=0.1, beta=0.9, nesterov=True),
        dict(lr=number("(0, inf)"), beta=number("[0, 1)"), nesterov=flag()),
    ),
    "optimizers.Adam": Spec(
        lambda: dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8),
        dict(
            lr=number("(0, inf)"),
            beta1=number("[0, 1)"),
            beta2=number("[0, 1)"),
            eps=number("(0, inf)"),
        ),
    ),
    "optimizers.Adamax": Spec(
        lambda: dict(lr=0.1, beta1=0.9, beta2=0.999, eps=0.0, eps_in_max=True),
        dict(
            lr=number("(0, inf)"),
            beta1=number("[0, 1)"),
            beta2=number("[0, 1)"),
            eps=number("[0, inf)"),
            eps_in_max=flag(),
        ),
    ),
    "optimizers.run": Spec(
        lambda: dict(
            optimizer=optimizers.Adam(),
            grad_fn=Spy(lambda x: 2 * x),
            x0=[1.0, 2.0],
            num_steps=3,
        ),
        dict(
            optimizer=values(
                None, optimizers.Adam, "adam", np.zeros(2), lambda x: x
            ),
            grad_fn=user_callable(),
            x0=array(shapes=[()]),
            num_steps=count(0),
        ),
    ),
    # problems
    "problems.noisy_quadratic_grad_fn": Spec(
        lambda: dict(
            curvatures=[1.0, 2.0],
            noise_scale=[[0.1], [1.0]],
            rng=_rng(),
            tail_df=np.inf,
        ),
        dict(
            curvatures=array("(0, inf)", shapes=[(2, 1), ()]),
            noise_scale=array("[0, inf)", shapes=[(3,), (2, 3)]),
            rng=generator(),
            tail_df=array("(0, inf]", shapes=[(3,), (2, 3)]),
        ),
    ),
    "problems.noisy_quadratic_grad_fn()": Spec(
        lambda: dict(x=[[1.0, 2.0], [3.0, 4.0]]),
        dict(x=either(array(None, shapes=[(3,), (2, 3), (3, 2), ()]))),
        call=lambda kwargs: dlmath.problems.noisy_quadratic_grad_fn(
            [1.0, 2.0], [[0.1], [1.0]], _rng()
        )(**kwargs),
    ),
    "problems.sparse_regression_grad_fn": Spec(
        lambda: dict(
            probabilities=[1.0, 0.1],
            target=[1.0, 1.0],
            batch=4,
            rng=_rng(),
            noise_scale=0.1,
        ),
        dict(
            probabilities=array("(0, 1]", shapes=[(2, 1), ()]),
            target=array(shapes=[(3,), (2, 1)]),
            batch=count(1),
            rng=generator(),
            noise_scale=number("[0, inf)"),
        ),
    ),
    "problems.sparse_regression_grad_fn()": Spec(
        lambda: dict(w=[[1.0, 2.0], [3.0, 4.0]]),
        dict(w=array(None, shapes=[(3,), (2, 3), ()])),
        call=lambda kwargs: dlmath.problems.sparse_regression_grad_fn(
            [1.0, 0.1], [1.0, 1.0], 4, _rng()
        )(**kwargs),
    ),
    # quadratic
    "quadratic.check_spd": Spec(
        lambda: dict(Q=_spd(), rtol=1e-10),
        dict(
            Q=either(
                array(shapes=[(2,), (2, 3)]),
                values([[1.0, 0.0], [0.0, -1.0]], [[1.0, 2.0], [0.0, 1.0]]),
            ),
            rtol=number("[0, 1)"),
        ),
    ),
    "quadratic.random_orthogonal": Spec(
        lambda: dict(n=3, rng=_rng()), dict(n=count(1), rng=generator())
    ),
    "quadratic.quadratic_from_eigenvalues": Spec(
        lambda: dict(eigenvalues=[1.0, 2.0], rng=_rng()),
        dict(
            eigenvalues=array("(0, inf)", shapes=[(2, 1), ()]),
            rng=generator(),
        ),
    ),
    "quadratic.quadratic_value": Spec(
        lambda: dict(x=POINTS, Q=_spd(), c=[1.0, 0.0]),
        dict(
            x=array(shapes=[(3,), (2, 3), ()]),
            Q=array(shapes=[(2,), (3, 3)]),
            c=array(shapes=[(3,), (3, 2)], none_ok=True),
        ),
    ),
    "quadratic.minimiser": Spec(
        lambda: dict(Q=_spd(), c=[1.0, 0.0]),
        dict(Q=array(shapes=[(2,), (3, 3)]), c=array(shapes=[(3,), ()])),
    ),
    "quadratic.quadratic_grad_fn": Spec(
        lambda: dict(Q=_spd(), c=[1.0, 0.0]),
        dict(Q=array(shapes=[(2,), (3, 3)]), c=array(shapes=[(3,), ()])),
    ),
    "quadratic.quadratic_grad_fn()": Spec(
        lambda: dict(x=POINTS),
        dict(x=array(None, shapes=[(3,), (2, 3), ()])),
        call=lambda kwargs: dlmath.quadratic.quadratic_grad_fn(
            _spd(), [1.0, 0.0]
        )(*kwargs.values()),
    ),
    "quadratic.gd_errors": Spec(
        lambda: dict(Q=_spd(), r0=POINTS, lr=[[0.1], [0.2]], num_steps=3),
        dict(
            Q=array(shapes=[(2,), (3, 3)]),
            r0=array(shapes=[(3,), (2, 3), ()]),
            lr=array("(0, inf)", shapes=[(3,), (3, 3)]),
            num_steps=count(0),
        ),
    ),
    **{
        f"quadratic.{name}": Spec(
            lambda: dict(eigenvalues=[1.0, 4.0], lr=[0.1, 0.5]),
            dict(
                eigenvalues=array("(0, inf)", shapes=[(2, 1), ()]),
                lr=array("(0, inf)"),
            ),
        )
        for name in ("convergence_rate", "classify_step", "slowest_direction")
    },
    **{
        f"quadratic.{name}": Spec(
            lambda: dict(eigenvalues=[1.0, 4.0]),
            dict(eigenvalues=array("(0, inf)", shapes=[(2, 1), ()])),
        )
        for name in ("optimal_step", "optimal_rate")
    },
    "quadratic.classify_trajectory": Spec(
        lambda: dict(rho_max=[[1.0, 2.0], [0.5, -1.0], [0.25, 0.5]]),
        dict(
            rho_max=either(
                array(shapes=[(2, 2), ()]), values([[0.0, 1.0]] * 3)
            )
        ),
    ),
    # beale
    **{
        f"beale.{name}": Spec(
            lambda: dict(points=POINTS),
            dict(points=array(None, shapes=[(3,), (2, 3), ()])),
        )
        for name in ("beale", "beale_gradient", "beale_hessian")
    },
    "beale.outcomes": Spec(
        lambda: dict(
            final_points=POINTS, target=[3.0, 0.5], tol=1e-2, bound=1e3
        ),
        dict(
            final_points=array(None, shapes=[(3,), (2, 3), ()]),
            target=array(shapes=[(3,), (2, 2), ()]),
            tol=number("(0, inf)"),
            bound=number("(0, inf)"),
        ),
    ),
    # symmetry
    **{
        f"symmetry.{name}": Spec(
            lambda: dict(height=2, width=3),
            dict(height=count(1), width=count(1)),
        )
        for name in (
            "mirror_permutation",
            "mirror_matrix",
            "mirror_pairs",
            "pairing_laplacian",
        )
    },
    "symmetry.symmetry_penalty": Spec(
        lambda: dict(w=np.ones((2, 6)), height=2, width=3),
        dict(
            w=array(shapes=[(5,), (2, 5), ()]),
            height=count(1),
            width=count(1),
        ),
    ),
    "symmetry.symmetric_template": Spec(
        lambda: dict(rng=_rng(), height=2, width=3),
        dict(rng=generator(), height=count(1), width=count(1)),
    ),
    "symmetry.make_dataset": Spec(
        lambda: dict(
            rng=_rng(),
            template=np.ones(6),
            n=4,
            amplitude=1.0,
            noise=0.5,
            batch=2,
        ),
        dict(
            rng=generator(),
            template=array(shapes=[(2, 3), ()]),
            n=count(1),
            amplitude=number("[0, inf)"),
            noise=number("(0, inf)"),
            batch=count(1),
        ),
    ),
    **{
        f"symmetry.{name}": Spec(
            lambda: dict(
                w=np.ones((2, 6)),
                X=_images()[0],
                s=_images()[1],
                l2=0.1,
                symmetry=0.5,
                shape=(2, 3),
            ),
            dict(
                w=array(shapes=[(5,), (3, 6), ()]),
                X=array(shapes=[(2, 4, 5), (4, 6), (2, 3, 6)]),
                s=either(
                    array(shapes=[(2, 3), (4,)]), values(np.zeros((2, 4)))
                ),
                l2=number("[0, inf)"),
                symmetry=number("[0, inf)"),
                shape=values(None, (3, 3), (6,), "23", (2.0, 3.0), (-2, -3)),
            ),
        )
        for name in ("logistic_loss", "logistic_gradient")
    },
    "symmetry.augment_with_mirror": Spec(
        lambda: dict(X=_images()[0], s=_images()[1], height=2, width=3),
        dict(
            X=array(shapes=[(2, 4, 5), (6,), (2, 3, 6)]),
            s=either(array(shapes=[(2, 3)]), values(np.zeros((2, 4)))),
            height=either(count(1), values(3)),
            width=count(1),
        ),
    ),
    "symmetry.train_penalised_logistic": Spec(
        lambda: dict(
            X=_images()[0],
            s=_images()[1],
            l2=0.1,
            symmetry=0.5,
            shape=(2, 3),
            steps=3,
        ),
        dict(
            X=array(shapes=[(6,), (2, 3, 6)]),
            s=either(array(shapes=[(2, 3)]), values(np.zeros((2, 4)))),
            l2=number("(0, inf)"),
            symmetry=number("[0, inf)"),
            shape=values(None, (3, 3), (6,), "23", (2.0, 3.0)),
            steps=count(0),
        ),
    ),
    "symmetry.gaussian_accuracy": Spec(
        lambda: dict(
            w=np.ones((2, 6)), template=np.ones(6), amplitude=1.0, noise=0.5
        ),
        dict(
            w=either(array(shapes=[(5,), ()]), values(np.zeros(6))),
            template=array(shapes=[(5,), (2, 3), ()]),
            amplitude=number("[0, inf)"),
            noise=number("(0, inf)"),
        ),
    ),
    "symmetry.learning_curves": Spec(
        lambda: dict(
            X=_images()[0],
            s=_images()[1],
            sizes=[2, 4],
            template=np.ones(6),
            amplitude=1.0,
            noise=0.5,
            shape=(2, 3),
            l2=0.1,
            symmetry=0.5,
            augment=True,
            steps=3,
        ),
        dict(
            X=array(shapes=[(4, 6), (2, 4, 5)]),
            s=either(array(shapes=[(2, 3)]), values(np.zeros((2, 4)))),
            sizes=values(None, [], [0], [5], [2.0], "2", 3, [True]),
            template=array(shapes=[(5,), (2, 3), ()]),
            amplitude=number("[0, inf)"),
            noise=number("(0, inf)"),
            shape=values(None, (3, 3), (6,), "23", (2.0, 3.0)),
            l2=number("(0, inf)"),
            symmetry=number("[0, inf)"),
            augment=flag(),
            steps=count(0),
        ),
    ),
    # backprop
    "backprop.Params": Spec(
        lambda: _net()._asdict(),
        dict(
            W1=array(shapes=[(3,), ()]),
            b1=array(shapes=[(2,), (3, 1), ()]),
            w2=array(shapes=[(2,), (1, 3), ()]),
            b2=array(shapes=[(1,), (3,)]),
        ),
    ),
    "backprop.check_params": Spec(
        lambda: dict(params=_net()),
        dict(params=values(None, tuple(_net()), list(_net()), "params")),
    ),
    "backprop.check_data": Spec(
        lambda: dict(X=_data2()[0], y=_data2()[1], d_x=2),
        dict(
            X=array(shapes=[(3,), (2, 2), (2, 3, 1)]),
            y=array(LABELS_01, shapes=[(2,), (3, 1)]),
            d_x=values(0, -1, 1.5, 2.0, True, "2", 3),
        ),
    ),
    "backprop.relu": Spec(lambda: dict(z=[0.0, 1.0]), dict(z=array())),
    "backprop.relu_derivative": Spec(
        lambda: dict(z=[0.0, 1.0], at_zero=0.5),
        dict(z=array(), at_zero=number("[0, 1]")),
    ),
    "backprop.forward": Spec(
        lambda: dict(params=_net(), X=_data2()[0]),
        dict(
            params=values(None, tuple(_net()), "params"),
            X=array(shapes=[(3, 3), (3,), ()]),
        ),
    ),
    **{
        f"backprop.{name}": Spec(
            lambda: dict(params=_net(), X=_data2()[0], y=_data2()[1]),
            dict(
                params=values(None, tuple(_net()), "params"),
                X=array(shapes=[(3, 3), (3,), ()]),
                y=array(LABELS_01, shapes=[(2,), (3, 1)]),
            ),
        )
        for name in ("cost", "accuracy")
    },
    "backprop.gradients": Spec(
        lambda: dict(
            params=_net(), X=_data2()[0], y=_data2()[1], relu_at_zero=0.0
        ),
        dict(
            params=values(None, tuple(_net()), "params"),
            X=array(shapes=[(3, 3), (3,), ()]),
            y=array(LABELS_01, shapes=[(2,), (3, 1)]),
            relu_at_zero=number("[0, 1]"),
        ),
    ),
    "backprop.init_params": Spec(
        lambda: dict(rng=_rng(), d_x=2, d_a1=3, batch=(2,)),
        dict(
            rng=generator(),
            d_x=count(1),
            d_a1=count(1),
            batch=values(None, 2, (0,), (2.0,), "2", (-1, 2)),
        ),
    ),
    "backprop.train": Spec(
        lambda: dict(
            params=_net(), X=_data2()[0], y=_data2()[1], lr=0.1, steps=3
        ),
        dict(
            params=values(None, tuple(_net()), "params"),
            X=array(shapes=[(3, 3), (3,), ()]),
            y=array(LABELS_01, shapes=[(2,), (3, 1)]),
            lr=number("(0, inf)"),
            steps=count(0),
        ),
    ),
    "backprop.train_logistic_regression": Spec(
        lambda: dict(
            X=_data2()[0], y=_data2()[1], lr=0.1, steps=3, batch=(2,)
        ),
        dict(
            X=array(shapes=[(3,), ()]),
            y=array(LABELS_01, shapes=[(2,), (3, 1)]),
            lr=number("(0, inf)"),
            steps=count(0),
            batch=values(None, 2, (0,), (2.0,), "2", (-1, 2)),
        ),
    ),
    "backprop.two_circles": Spec(
        lambda: dict(rng=_rng(), m=6, noise=0.1, radii=(0.5, 1.0)),
        dict(
            rng=generator(),
            m=count(2),
            noise=number("[0, inf)"),
            radii=array("(0, inf)", shapes=[(3,), (2, 1), ()]),
        ),
    ),
    # adamax
    "adamax.logsumexp": Spec(
        lambda: dict(a=[[0.0, 1.0], [2.0, -np.inf]], axis=1),
        dict(
            a=array("[-inf, inf)"),
            axis=either(count(0), values(2, 5)),
        ),
    ),
    **{
        f"adamax.{name}": Spec(
            lambda: dict(gradients=_grads(), beta2=0.99, p=[1.0, 2.0]),
            dict(
                gradients=array(shapes=[()]),
                beta2=number("(0, 1)"),
                p=array("(0, inf)", shapes=[(2, 2)]),
            ),
        )
        for name in (
            "log_lp_moment",
            "lp_moment",
            "log_lp_moment_as_misprinted",
        )
    },
    "adamax.lp_moment_direct": Spec(
        lambda: dict(gradients=_grads(), beta2=0.99, p=2.0),
        dict(
            gradients=array(shapes=[()]),
            beta2=number("(0, 1)"),
            p=number("(0, inf)"),
        ),
    ),
    **{
        f"adamax.{name}": Spec(
            lambda: dict(gradients=_grads(), beta2=0.99),
            dict(gradients=array(shapes=[()]), beta2=number("(0, 1)")),
        )
        for name in ("infinity_norm", "infinity_norm_recursion")
    },
    "adamax.adamax_step_bound": Spec(
        lambda: dict(beta1=0.9, beta2=0.999, t=[1, 10]),
        dict(
            beta1=number("(0, 1)"),
            beta2=number("(0, 1)"),
            t=either(count(1), values([1.0, 2.0], [], [0, 1], "1")),
        ),
    ),
    "adamax.adam_step_supremum": Spec(
        lambda: dict(beta1=0.9, beta2=0.999, t=[1, 10]),
        dict(
            beta1=number("(0, 1)"),
            beta2=number("(0, 1)"),
            t=either(count(1), values([1.0, 2.0], [], [0, 1], "1")),
        ),
    ),
    "adamax.updates_for_gradients": Spec(
        lambda: dict(optimizer=optimizers.Adamax(), gradients=_grads()),
        dict(
            optimizer=values(None, optimizers.Adamax, "adamax", 1),
            gradients=array(shapes=[()]),
        ),
    ),
    "adamax.adam_folded_updates": Spec(
        lambda: dict(
            gradients=_grads(),
            lr=0.1,
            beta1=0.9,
            beta2=0.999,
            eps_hat=[1e-8, 1e-8, 1e-8],
        ),
        dict(
            gradients=array(shapes=[()]),
            lr=number("(0, inf)"),
            beta1=number("(0, 1)"),
            beta2=number("(0, 1)"),
            eps_hat=array("[0, inf)", shapes=[(2,), (3, 1)]),
        ),
    ),
}


def spies(kwargs: dict) -> list[Spy]:
    return [value for value in kwargs.values() if isinstance(value, Spy)]


def _call(target: str, kwargs: dict):
    spec = SPECS[target]
    if spec.call is not None:
        return spec.call(kwargs)
    return exported()[target](**kwargs)


def targets() -> list[str]:
    """Every exported callable, and every returned callable with a spec."""
    return sorted(set(exported()) | set(SPECS))


def parameters(target: str) -> list[str]:
    spec = SPECS.get(target)
    if spec is None:  # fails in the test, naming the function
        return ["(no specification)"]
    return sorted(spec.bad)


CASES = [(t, p) for t in targets() for p in parameters(t)]


@pytest.mark.parametrize("target", targets())
def test_the_good_call_succeeds(target):
    """Each specification's good call is good: the bad calls differ from it
    in one argument only."""
    if target not in SPECS:
        pytest.fail(f"no bad-input specification for {target}")
    kwargs = SPECS[target].good()
    _call(target, kwargs)
    plt.close("all")


@pytest.mark.parametrize("target, parameter", CASES)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(data=st.data())
def test_a_bad_argument_is_refused_clearly(target, parameter, data):
    if target not in SPECS:
        pytest.fail(f"no bad-input specification for {target}")
    spec = SPECS[target]
    kwargs = spec.good()
    kwargs[parameter] = data.draw(
        spec.bad[parameter](kwargs.get(parameter)), label=parameter
    )
    watched = spies(kwargs)
    name = spec.names.get(parameter, parameter)
    try:
        # the message names the argument (as a word: "x" is not "x0")
        with pytest.raises(
            (TypeError, ValueError),
            match=rf"(?<![\w.]){re.escape(name)}(?!\w)",
        ) as refused:
            _call(target, kwargs)
    finally:
        plt.close("all")
    message = str(refused.value)
    assert len(message) <= MAX_MESSAGE, (
        f"{target}: a message of {len(message)} characters"
    )
    called = [spy.function for spy in watched if spy.calls]
    assert not called, f"{target}: a callable was called before the refusal"


ARRAY_CASES = [
    (target, parameter)
    for target, parameter in CASES
    if getattr(SPECS[target].bad.get(parameter), "interval", None) is not None
]


@pytest.mark.parametrize("target, parameter", ARRAY_CASES)
def test_a_long_input_with_one_nan_gets_a_short_message(target, parameter):
    """The issue's case: a 100,001-entry list with one nan at the end once
    gave a message of 500,042 characters."""
    spec = SPECS[target]
    kwargs = spec.good()
    kwargs[parameter] = [1.0] * 100_000 + [np.nan]
    name = spec.names.get(parameter, parameter)
    with pytest.raises(
        (TypeError, ValueError), match=rf"(?<![\w.]){re.escape(name)}(?!\w)"
    ) as refused:
        _call(target, kwargs)
    plt.close("all")
    assert len(str(refused.value)) <= MAX_MESSAGE


def test_every_export_has_a_specification():
    """A function added to ``__all__`` without a specification here, or a
    parameter added without one, fails here by name."""
    missing = sorted(set(exported()) - set(SPECS))
    assert missing == [], f"no bad-input specification for {missing}"
    unspecified = []
    for target, function in exported().items():
        signature = inspect.signature(function)
        for name, parameter in signature.parameters.items():
            if parameter.kind is parameter.VAR_KEYWORD:
                continue  # covered by example keywords (symbolic.vector)
            if name not in SPECS[target].bad:
                unspecified.append(f"{target}({name})")
    assert unspecified == [], f"parameters without bad values: {unspecified}"


def test_every_public_function_is_exported():
    """A function defined in a dlmath module without a leading underscore is
    in the module's ``__all__`` (so the property test covers it), unless it
    is one of the argument checks of ``dlmath.checks``."""
    forgotten = []
    for module_name in dlmath.__all__:
        module = getattr(dlmath, module_name)
        for name, value in vars(module).items():
            defined_here = (
                getattr(value, "__module__", None) == module.__name__
            )
            if (
                defined_here
                and callable(value)
                and not name.startswith("_")
                and name not in module.__all__
                and name not in INTERNAL.get(module_name, ())
            ):
                forgotten.append(f"{module_name}.{name}")
    assert forgotten == [], f"public but not in __all__: {forgotten}"


def test_every_module_of_the_package_is_exported():
    import pkgutil

    modules = {info.name for info in pkgutil.iter_modules(dlmath.__path__)}
    assert modules == set(dlmath.__all__)
