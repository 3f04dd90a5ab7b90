"""Helpers for the executable textbook of deep-learning mathematics.

A module is one chapter's maths or a tool the chapters share; the README's
"Layout" section says in a line what each one is for. The public API is the
modules listed in ``__all__`` and, in each, the names of its own
``__all__``: ``dlmath.calculus.numerical_gradient``,
``dlmath.backprop.train``. Names stay with their module because several only
read right beside it (``backprop.train``, ``symbolic.matrix``). Every public
function refuses bad input with a ``TypeError`` or ``ValueError`` that names
the argument, before doing any work (:mod:`dlmath.checks`). Functions that
draw random numbers take a ``numpy.random.Generator`` named ``rng``.

>>> import dlmath
>>> dlmath.__version__ == __import__("importlib.metadata").metadata.version(
...     "dlmath"
... )
True
"""

from importlib.metadata import version as _version

from . import (
    adamax,
    backprop,
    beale,
    calculus,
    checks,
    figures,
    hessian,
    logistic,
    optimizers,
    problems,
    quadratic,
    spread,
    symbolic,
    symmetry,
)

# the version of the installed distribution: pyproject.toml's, which the
# wheel and the site show
__version__ = _version("dlmath")

__all__ = [
    "adamax",
    "backprop",
    "beale",
    "calculus",
    "checks",
    "figures",
    "hessian",
    "logistic",
    "optimizers",
    "problems",
    "quadratic",
    "spread",
    "symbolic",
    "symmetry",
]
