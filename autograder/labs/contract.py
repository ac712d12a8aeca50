"""The input forms each graded function promises (SPEC section 2 and its docstring), as data.

For every graded function: `inside(args, kwargs)` says whether a call is inside the
contract, and `FORMS` names each form of input the contract promises, as a predicate. The
test suite runs every check against the reference, records every call a check makes, and
fails when a check feeds an input outside the contract or a promised form is never
exercised by any check.
"""
from __future__ import annotations

import numpy as np


def _a(x):
    return np.asarray(x)


def _scalar(x):
    return np.ndim(x) == 0


def _linear(X, W, b):
    X, W = _a(X), _a(W)
    if X.ndim != 2 or W.ndim not in (1, 2) or W.shape[0] != X.shape[1]:
        return False
    return _scalar(b) if W.ndim == 1 else (_scalar(b) or _a(b).shape == (W.shape[1],))


def _targets_fit(X, y, W):
    return _a(y).shape == (_a(X).shape[0],) + _a(W).shape[1:]


def _probabilities(p, axis=-1):
    p = _a(p)
    return p.dtype.kind == "f" and np.all(p >= 0) and np.all(p <= 1)


def _labels01(y):
    return set(np.unique(_a(y)).tolist()) <= {0, 1}


def _batches(X, y, kw):
    m = _a(X).shape[0]
    size = kw.get("batch_size")
    return size is None or (isinstance(size, (int, np.integer)) and 1 <= size <= m)


def _big(values, at_least):
    return np.size(values) and float(np.max(np.abs(_a(values)))) >= at_least


INSIDE = {
    "lab1_linear_regression": {
        "predict": lambda a, kw: _linear(*a),
        "mse_loss": lambda a, kw: _a(a[0]).shape == _a(a[1]).shape and _a(a[0]).ndim in (1, 2),
        "mse_gradients": lambda a, kw: _linear(a[0], a[2], a[3]) and _targets_fit(a[0], a[1], a[2]),
        "gradient_descent_step": lambda a, kw: _a(a[0]).shape == _a(a[2]).shape and np.shape(a[1]) == np.shape(a[3]),
        "fit_linear_regression": lambda a, kw: _a(a[0]).ndim == 2 and _a(a[1]).shape[0] == _a(a[0]).shape[0]
        and _a(a[1]).ndim in (1, 2) and _batches(a[0], a[1], kw),
    },
    "lab2_binary_classification": {
        "sigmoid": lambda a, kw: np.all(np.abs(_a(a[0])) <= 1000),
        "bce_loss": lambda a, kw: _labels01(a[0]) and np.all((_a(a[1]) > 0) & (_a(a[1]) < 1)),
        "bce_dloss_dphat": lambda a, kw: _labels01(a[0]) and np.all((_a(a[1]) > 0) & (_a(a[1]) < 1)),
        "sigmoid_derivative": lambda a, kw: np.all((_a(a[0]) >= 0) & (_a(a[0]) <= 1)),
        "bce_gradients": lambda a, kw: _linear(a[0], a[2], a[3]) and _a(a[2]).ndim == 1 and _labels01(a[1]),
        "predict_proba": lambda a, kw: _linear(*a[:3]) and _a(a[1]).ndim == 1,
        "predict": lambda a, kw: _linear(*a[:3]) and _a(a[1]).ndim == 1,
        "accuracy": lambda a, kw: _a(a[0]).shape == _a(a[1]).shape and np.size(a[0]) > 0,
        "train_logistic_regression": lambda a, kw: _a(a[0]).ndim == 2 and _labels01(a[1]),
    },
    "lab3_multiclass_classification": {
        "softmax": lambda a, kw: _a(a[0]).ndim in (1, 2) and np.all(np.abs(_a(a[0])) <= 1000),
        "one_hot": lambda a, kw: _a(a[0]).ndim == 1 and np.all((_a(a[0]) >= 0) & (_a(a[0]) < a[1])),
        "cross_entropy_loss": lambda a, kw: _a(a[0]).shape == _a(a[1]).shape and _a(a[0]).ndim == 2
        and np.allclose(_a(a[0]).sum(axis=1), 1) and np.allclose(_a(a[1]).sum(axis=1), 1),
        "entropy": lambda a, kw: _a(a[0]).ndim == 1 and _probabilities(a[0]) and np.isclose(_a(a[0]).sum(), 1),
        "softmax_gradients": lambda a, kw: _linear(a[0], a[2], a[3]) and _a(a[2]).ndim == 2
        and _a(a[1]).shape == (_a(a[0]).shape[0], _a(a[2]).shape[1]),
        "predict_classes": lambda a, kw: _linear(*a) and _a(a[1]).ndim == 2,
        "train_softmax_regression": lambda a, kw: _a(a[0]).ndim == 2 and _a(a[1]).ndim == 1
        and np.all(_a(a[1]) < kw["num_classes"]) and _batches(a[0], a[1], kw),
    },
}


def _divides(kw, X, yes):
    size, m = kw.get("batch_size"), _a(X).shape[0]
    return size is not None and (m % size == 0) == yes


FORMS = {
    "lab1_linear_regression": {
        "predict": {"W (n,) and a scalar b": lambda a, kw: _a(a[1]).ndim == 1 and _scalar(a[2]),
                    "W (n, k) and b (k,)": lambda a, kw: _a(a[1]).ndim == 2 and _a(a[2]).ndim == 1},
        "mse_loss": {"(m,) targets": lambda a, kw: _a(a[0]).ndim == 1,
                     "(m, k) targets": lambda a, kw: _a(a[0]).ndim == 2},
        "mse_gradients": {"(m,) y, W (n,), float b": lambda a, kw: _a(a[2]).ndim == 1 and _scalar(a[3]),
                          "(m, k) y, W (n, k), b (k,)": lambda a, kw: _a(a[2]).ndim == 2 and _a(a[3]).ndim == 1},
        "gradient_descent_step": {"W (n,), float b": lambda a, kw: _a(a[0]).ndim == 1 and _scalar(a[1]),
                                  "W (n, k), b (k,)": lambda a, kw: _a(a[0]).ndim == 2 and _a(a[1]).ndim == 1},
        "fit_linear_regression": {
            "full batch": lambda a, kw: kw.get("batch_size") is None,
            "a batch_size that divides m": lambda a, kw: _divides(kw, a[0], True),
            "a batch_size that does not divide m": lambda a, kw: _divides(kw, a[0], False),
            "(m, k) targets": lambda a, kw: _a(a[1]).ndim == 2,
        },
    },
    "lab2_binary_classification": {
        "sigmoid": {"a Python number": lambda a, kw: isinstance(a[0], (int, float)),
                    "a 1-D array": lambda a, kw: _a(a[0]).ndim == 1,
                    "an array of 2 or more axes": lambda a, kw: _a(a[0]).ndim >= 2,
                    "integer entries": lambda a, kw: _a(a[0]).dtype.kind in "iu",
                    "entries as large as ±1000": lambda a, kw: _big(a[0], 700)},
        "bce_loss": {"one sample": lambda a, kw: np.size(a[0]) == 1,
                     "many samples (the product of the likelihoods underflows)": lambda a, kw: np.size(a[0]) >= 2000},
        "bce_dloss_dphat": {"(m,) arrays": lambda a, kw: _a(a[0]).ndim == 1},
        "sigmoid_derivative": {"(m,) probabilities": lambda a, kw: _a(a[0]).ndim == 1,
                               "probabilities of 2 axes": lambda a, kw: _a(a[0]).ndim == 2},
        "bce_gradients": {"one sample": lambda a, kw: _a(a[0]).shape[0] == 1,
                          "many samples": lambda a, kw: _a(a[0]).shape[0] >= 20,
                          "saturated scores (beyond ±700)": lambda a, kw: _big(_a(a[0]) @ _a(a[2]) + a[3], 700)},
        "predict_proba": {"scores beyond ±709": lambda a, kw: _big(_a(a[0]) @ _a(a[1]) + a[2], 709)},
        "predict": {"the default threshold": lambda a, kw: "threshold" not in kw and len(a) == 3,
                    "another threshold": lambda a, kw: kw.get("threshold", 0.5) != 0.5},
        "accuracy": {"one label": lambda a, kw: np.size(a[0]) == 1, "many labels": lambda a, kw: np.size(a[0]) > 1},
        "train_logistic_regression": {"a seed": lambda a, kw: "seed" in kw, "no seed": lambda a, kw: "seed" not in kw},
    },
    "lab3_multiclass_classification": {
        "softmax": {"(k,) scores": lambda a, kw: _a(a[0]).ndim == 1,
                    "(m, k) scores": lambda a, kw: _a(a[0]).ndim == 2,
                    "scores near ±1000": lambda a, kw: _big(a[0], 999)},
        "one_hot": {"labels that miss some classes": lambda a, kw: len(np.unique(a[0])) < a[1]},
        "cross_entropy_loss": {"one-hot Y": lambda a, kw: set(np.unique(a[0]).tolist()) <= {0.0, 1.0},
                               "rows of probabilities as Y": lambda a, kw: not set(np.unique(a[0]).tolist()) <= {0.0, 1.0},
                               "many samples (the product of the probabilities underflows)":
                                   lambda a, kw: _a(a[0]).shape[0] >= 2000},
        "entropy": {"zero probabilities": lambda a, kw: np.any(_a(a[0]) == 0),
                    "positive probabilities": lambda a, kw: np.all(_a(a[0]) > 0)},
        "softmax_gradients": {"one sample": lambda a, kw: _a(a[0]).shape[0] == 1,
                              "saturated scores (beyond ±700)": lambda a, kw: _big(_a(a[0]) @ _a(a[2]) + a[3], 700)},
        "predict_classes": {"one sample": lambda a, kw: _a(a[0]).shape[0] == 1,
                            "many samples": lambda a, kw: _a(a[0]).shape[0] > 1},
        "train_softmax_regression": {
            "full batch": lambda a, kw: kw.get("batch_size") is None,
            "a batch_size that divides m": lambda a, kw: _divides(kw, a[0], True),
            "a batch_size that does not divide m": lambda a, kw: _divides(kw, a[0], False),
            "labels that miss a class": lambda a, kw: len(np.unique(a[1])) < kw["num_classes"],
        },
    },
}
