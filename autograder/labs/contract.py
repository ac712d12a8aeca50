"""The words the labs' contracts are written in: predicates on a call's inputs.

Each lab module declares its graded functions as `spec.FunctionSpec`s whose `inside` and
`forms` are built from these (`lab1_linear_regression.SPEC`, ...).
"""
from __future__ import annotations

import numpy as np


def a(x):
    return np.asarray(x)


def scalar(x):
    return np.ndim(x) == 0


def linear(X, W, b):
    X, W = a(X), a(W)
    if X.ndim != 2 or W.ndim not in (1, 2) or W.shape[0] != X.shape[1]:
        return False
    return scalar(b) if W.ndim == 1 else (scalar(b) or a(b).shape == (W.shape[1],))


def targets_fit(X, y, W):
    return a(y).shape == (a(X).shape[0],) + a(W).shape[1:]


def probabilities(p, axis=-1):
    p = a(p)
    return p.dtype.kind == "f" and np.all(p >= 0) and np.all(p <= 1)


def labels01(y):
    return set(np.unique(a(y)).tolist()) <= {0, 1}


def batches(X, y, kw):
    m = a(X).shape[0]
    size = kw.get("batch_size")
    return size is None or (isinstance(size, (int, np.integer)) and 1 <= size <= m)


def big(values, at_least):
    return np.size(values) and float(np.max(np.abs(a(values)))) >= at_least


def divides(kw, X, yes):
    size, m = kw.get("batch_size"), a(X).shape[0]
    return size is not None and (m % size == 0) == yes
