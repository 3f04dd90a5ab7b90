"""The logistic function σ and the binary cross-entropy loss, naive and in a
form that cannot overflow (chapter 4 derives them; chapter 3's classifier
uses σ too).

Labels here are y in [0, 1] (chapter 3's s = ±1 is y = (1 + s)/2). The
public functions check their arguments; ``_sigmoid`` and
``_bce_with_logits`` are the same maths unchecked, for the training loops of
the package, which check their arguments once before the loop.
"""

from __future__ import annotations

import numpy as np

from .checks import as_array

__all__ = [
    "sigmoid",
    "bce_naive",
    "bce_with_logits",
]


def _labels_for(y: np.ndarray, of: np.ndarray, of_name: str) -> None:
    """One label per prediction: ``y`` has the shape of ``of``, or of its
    trailing axes (the same labels for each leading batch row). Broadcasting
    a (2,) prediction against (2, 1) labels would give a 2 x 2 loss."""
    if y.shape != of.shape[of.ndim - y.ndim :] or y.ndim > of.ndim:
        raise ValueError(
            f"y must have the shape of {of_name}, {of.shape}, or of its "
            f"trailing axes (one label per prediction), got shape {y.shape}"
        )


def sigmoid(z) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{−z}), evaluated without overflow: e^{−|z|} ≤ 1 in
    both branches."""
    return _sigmoid(as_array(z, "z"))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def bce_naive(y_hat, y) -> np.ndarray:
    """Binary cross-entropy from probabilities,
    −[y log ŷ + (1 − y) log(1 − ŷ)]: inf or nan once ŷ rounds to 0 or 1.

    ``y`` has the shape of ``y_hat`` or of its trailing axes.
    """
    y_hat = as_array(y_hat, "y_hat", "[0, 1]")
    y = as_array(y, "y", "[0, 1]")
    _labels_for(y, y_hat, "y_hat")
    return -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))


def bce_with_logits(z, y) -> np.ndarray:
    """Binary cross-entropy from the logit z: softplus(z) − y z
    = max(z, 0) − y z + log(1 + e^{−|z|}).

    ``y`` has the shape of ``z`` or of its trailing axes.

    Examples
    --------
    A logit of 1000 is a probability of 1 to float64; the naive loss of a
    label 0 is then inf, this one is the logit itself:

    >>> bce_with_logits([1000.0, -1000.0], [0.0, 0.0])
    array([1000.,    0.])
    """
    z, y = as_array(z, "z"), as_array(y, "y", "[0, 1]")
    _labels_for(y, z, "z")
    return _bce_with_logits(z, y)


def _bce_with_logits(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    # e^{−|z|} ≤ 1: no overflow
    return np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))
