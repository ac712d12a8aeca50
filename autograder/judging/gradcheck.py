"""Numeric gradient checking: central differences and the relative error between gradients."""
from __future__ import annotations

import numpy as np

STEP = 1e-5


def numeric_gradient(f, x, h: float = STEP) -> np.ndarray:
    """Central-difference gradient of the scalar function `f` at `x`.

    `f` is called with perturbed float64 *copies* of `x`; the caller's array is never
    changed. Works for a scalar `x` too (returns a 0-d array).
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += h
        minus[index] -= h
        grad[index] = (float(f(plus)) - float(f(minus))) / (2 * h)
    return grad


def relative_error(analytic, numeric) -> float:
    """max over entries of |a - n| / max(1e-8, |a| + |n|)."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n)), initial=0.0))
