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


def sigmoid(z) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{−z}), evaluated without overflow: e^{−|z|} ≤ 1 in
    both branches."""
    return _sigmoid(as_array(z, "z"))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def bce_naive(y_hat, y) -> np.ndarray:
    """Binary cross-entropy from probabilities,
    −[y log ŷ + (1 − y) log(1 − ŷ)]: inf or nan once ŷ rounds to 0 or 1."""
    y_hat = as_array(y_hat, "y_hat", "[0, 1]")
    y = as_array(y, "y", "[0, 1]")
    return -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))


def bce_with_logits(z, y) -> np.ndarray:
    """Binary cross-entropy from the logit z: softplus(z) − y z
    = max(z, 0) − y z + log(1 + e^{−|z|})."""
    return _bce_with_logits(as_array(z, "z"), as_array(y, "y", "[0, 1]"))


def _bce_with_logits(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    # e^{−|z|} ≤ 1: no overflow
    return np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))
