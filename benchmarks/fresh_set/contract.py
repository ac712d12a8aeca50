"""Inputs inside the contract of SPEC.md section 2, and how two answers are compared.

`cases(lab, function, rng)` lists (args, kwargs) for one graded function: every input
form the contract or the docstring promises (1-D and 2-D targets, scalar and array
inputs, large scores, exact zeros, thresholds met exactly, batch sizes that do not
divide m, ...). `differences(lab, function, fn, ref, rng)` runs an implementation and
the reference on them and says where they part: a different value, shape, or dtype
family, a raised exception, or an input modified in place.
"""
from __future__ import annotations

import copy
import warnings

import numpy as np

from .reference import LAB1, LAB2, LAB3

RTOL, ATOL = 1e-6, 1e-9
INTEGER_OUTPUTS = {(LAB2, "predict"), (LAB3, "predict_classes")}
FLOAT_OUTPUTS = {(LAB3, "one_hot")}


def _labels(rng, m, k=2):
    """Labels where every class occurs (so a trained model sees all of them)."""
    y = np.concatenate([np.arange(k), rng.integers(0, k, size=m - k)])
    return rng.permutation(y)


def _probabilities(rng, shape, low=0.02, high=0.98):
    return rng.uniform(low, high, size=shape)


def _lab1(function, rng):
    m, n, k = int(rng.integers(5, 12)), int(rng.integers(1, 5)), int(rng.integers(2, 4))
    X = rng.normal(size=(m, n))
    single = (X, rng.normal(size=n), float(rng.normal()))
    layer = (X, rng.normal(size=(n, k)), rng.normal(size=k))
    if function == "predict":
        return [(single, {}), (layer, {}), ((X[:1], single[1], single[2]), {})]
    if function == "mse_loss":
        return [((rng.normal(size=m), rng.normal(size=m)), {}),
                ((rng.normal(size=(m, k)), rng.normal(size=(m, k))), {})]
    if function == "mse_gradients":
        return [((X, rng.normal(size=m), single[1], single[2]), {}),
                ((X, rng.normal(size=(m, k)), layer[1], layer[2]), {}),
                ((X[:1], rng.normal(size=1), single[1], single[2]), {})]
    if function == "gradient_descent_step":
        lr = float(rng.uniform(0.01, 0.5))
        return [((single[1], single[2], rng.normal(size=n), float(rng.normal()), lr), {}),
                ((layer[1], layer[2], rng.normal(size=(n, k)), rng.normal(size=k), lr), {})]
    if function == "fit_linear_regression":
        m = int(rng.integers(7, 14))
        X = rng.normal(size=(m, n))
        y = X @ rng.normal(size=n) + rng.normal(scale=0.3, size=m) + 1.0
        Y = X @ rng.normal(size=(n, k)) + rng.normal(scale=0.3, size=(m, k))
        seed = int(rng.integers(0, 1000))
        divisor = next(d for d in (2, 3, 4, 5, 6, 7) if m % d)   # a batch size that does not divide m
        return [((X, y), dict(lr=0.1, epochs=4)),
                ((X, y), dict(lr=0.05, epochs=3, batch_size=1, seed=seed)),
                ((X, y), dict(lr=0.05, epochs=4, batch_size=divisor, seed=seed)),
                ((X, y), dict(lr=0.05, epochs=3, batch_size=m + 3, seed=seed)),
                ((X, y), dict(lr=0.05, epochs=3, batch_size=4, seed=seed)),
                ((X, Y), dict(lr=0.1, epochs=4)),
                ((X, Y), dict(lr=0.05, epochs=3, batch_size=divisor, seed=seed))]
    raise KeyError(function)


def _lab2(function, rng):
    m, n = int(rng.integers(5, 12)), int(rng.integers(1, 5))
    X = rng.normal(size=(m, n))
    W, b = rng.normal(size=n), float(rng.normal())
    y = _labels(rng, m)
    if function == "sigmoid":
        return [((float(rng.normal(scale=3)),), {}), ((rng.normal(scale=4, size=m),), {}),
                ((rng.normal(scale=4, size=(3, 4)),), {}), ((rng.normal(scale=4, size=(2, 3, 2)),), {}),
                ((np.array([-1000.0, -750.0, -40.0, 0.0, 40.0, 750.0, 1000.0]),), {}),
                ((-1000.0,), {}), ((np.array([-3, 0, 2, 5]),), {}), ((3,), {})]
    if function == "bce_loss":
        return [((y, _probabilities(rng, m)), {}), ((y.astype(float), _probabilities(rng, m)), {}),
                ((np.array([1, 1, 0]), np.array([0.9, 0.6, 0.2])), {}),
                ((_labels(rng, 3000), _probabilities(rng, 3000, 0.3, 0.7)), {})]     # many samples
    if function == "bce_dloss_dphat":
        return [((y, _probabilities(rng, m)), {}), ((1, 0.3), {}), ((0, 0.8), {}),
                ((y.reshape(-1, 1).astype(float), _probabilities(rng, (m, 1))), {})]
    if function == "sigmoid_derivative":
        return [((float(rng.uniform(0.01, 0.99)),), {}), ((_probabilities(rng, m),), {}),
                ((_probabilities(rng, (3, 4)),), {}), ((np.array([0.0, 0.5, 1.0]),), {})]
    if function in ("bce_gradients",):
        return [((X, y, W, b), {}), ((X[:1], y[:1], W, b), {}), ((X, y.astype(float), W, b), {}),
                ((X * 100, y, W, b), {})]                                      # saturated probabilities
    if function == "predict_proba":
        return [((X, W, b), {}), ((X * 1000, W, b), {})]
    if function == "predict":
        X0 = np.vstack([X, np.zeros((2, n))])   # rows whose probability is exactly 0.5
        return [((X, W, b), {}), ((X, W, b), dict(threshold=0.3)), ((X, W, b, 0.7), {}),
                ((X0, W, 0.0), {})]
    if function == "accuracy":
        y_pred = np.where(rng.random(m) < 0.6, y, 1 - y)
        return [((y, y_pred), {}), ((y, y.copy()), {}), ((y, 1 - y), {}),
                ((np.array([0, 1, 1, 0, 1, 1, 1]), np.array([0, 1, 0, 0, 1, 1, 0])), {}),
                ((rng.integers(0, 4, size=m), rng.integers(0, 4, size=m)), {})]
    if function == "train_logistic_regression":
        m = int(rng.integers(8, 16))
        X = rng.normal(size=(m, n))
        y = (X @ rng.normal(size=n) + rng.normal(scale=0.5, size=m) > 0).astype(int)
        y[:2] = [0, 1]
        seed = int(rng.integers(0, 1000))
        return [((X, y), dict(lr=0.5, epochs=5, seed=seed)), ((X, y), dict(lr=0.1, epochs=3)),
                ((X, y.astype(float)), dict(lr=1.0, epochs=4, seed=seed))]
    raise KeyError(function)


def _lab3(function, rng):
    m, n, k = int(rng.integers(5, 12)), int(rng.integers(1, 5)), int(rng.integers(3, 6))
    X = rng.normal(size=(m, n))
    W, b = rng.normal(size=(n, k)), rng.normal(size=k)
    y = _labels(rng, m, k)
    if function == "softmax":
        return [((rng.normal(scale=2, size=k),), {}), ((rng.normal(scale=2, size=(m, k)),), {}),
                ((np.array([[1000.0, 999.0, -1000.0], [-1000.0, -999.0, -998.0]]),), {}),
                ((np.array([1000.0, 0.0, -1000.0]),), {}), ((rng.normal(size=(1, k)),), {})]
    if function == "one_hot":
        return [((y, k), {}), ((y, k + 2), {}), ((np.array([2, 0, 2]), 4), {}), ((y[:1], k), {})]
    if function == "cross_entropy_loss":
        Z = rng.normal(size=(m, k))
        P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        Q = np.exp(-Z) / np.exp(-Z).sum(axis=1, keepdims=True)
        Y = np.eye(k)[y]
        many = _labels(rng, 3000, k)
        Z0 = Y * 0.6 + (1 - Y) * 0.4 / (k - 1)            # a zero probability at one class with Y = 0 ...
        Z0[np.arange(m), (y + 1) % k] = 0.0
        Z0 /= Z0.sum(axis=1, keepdims=True)                # ... which counts nothing (the notebook says so)
        return [((Y, P), {}), ((Y[:1], P[:1]), {}), ((Q, P), {}),
                ((np.eye(k)[many], np.full((3000, k), 1.0 / k)), {}),          # many samples
                ((Y, Z0), {})]
    if function == "entropy":
        p = rng.dirichlet(np.ones(k))
        return [((p,), {}), ((np.array([0.0, 1.0]),), {}), ((np.array([0.5, 0.0, 0.25, 0.25]),), {}),
                ((np.array([0.5, 0.5]),), {}), ((np.full(k, 1.0 / k),), {})]
    if function == "softmax_gradients":
        Y = np.eye(k)[y]
        return [((X, Y, W, b), {}), ((X[:1], Y[:1], W, b), {}), ((X * 200, Y, W, b), {})]
    if function == "predict_classes":
        return [((X, W, b), {}), ((X[:1], W, b), {}), ((X, W, b * 50), {})]
    if function == "train_softmax_regression":
        m = int(rng.integers(9, 15))
        X = rng.normal(size=(m, n))
        y = _labels(rng, m, k)
        seed = int(rng.integers(0, 1000))
        divisor = next(d for d in (2, 3, 4, 5, 6, 7) if m % d)
        return [((X, y), dict(num_classes=k, lr=0.5, epochs=4)),
                ((X, y), dict(num_classes=k, lr=0.2, epochs=3, batch_size=1, seed=seed)),
                ((X, y), dict(num_classes=k, lr=0.3, epochs=4, batch_size=divisor, seed=seed)),
                ((X, y), dict(num_classes=k + 1, lr=0.3, epochs=3, batch_size=m + 2, seed=seed)),
                ((X, y), dict(num_classes=k, lr=0.3, epochs=3, batch_size=4, seed=seed))]
    raise KeyError(function)


def cases(lab: str, function: str, rng) -> list:
    return {LAB1: _lab1, LAB2: _lab2, LAB3: _lab3}[lab](function, rng)


def same(got, expected) -> bool:
    """Does `got` equal the reference answer `expected` (values, shapes, structure)?"""
    if isinstance(expected, (tuple, list)):
        return (isinstance(got, (tuple, list)) and len(got) == len(expected)
                and all(same(g, e) for g, e in zip(got, expected)))
    try:
        g, e = np.asarray(got), np.asarray(expected)
    except Exception:
        return False
    if g.shape != e.shape or g.dtype.kind not in "biuf":
        return False
    return bool(np.allclose(g.astype(float), e.astype(float), rtol=RTOL, atol=ATOL, equal_nan=True))


def unchanged(now, before) -> bool:
    """Exactly equal, entry by entry: an input modified in place by even 1e-12 is modified."""
    if isinstance(before, dict):
        return isinstance(now, dict) and now.keys() == before.keys() and all(
            unchanged(now[k], before[k]) for k in before)
    if isinstance(before, (tuple, list)):
        return len(now) == len(before) and all(unchanged(a, b) for a, b in zip(now, before))
    return bool(np.array_equal(np.asarray(now), np.asarray(before), equal_nan=True))


# The functions whose notebook asks for no overflow and no nan (a warning is a difference).
NO_OVERFLOW = {("lab2_binary_classification", "sigmoid"), ("lab3_multiclass_classification", "softmax")}


def differences(lab: str, function: str, fn, ref, rng) -> list:
    """How `fn` parts from `ref` on this draw of the contract's inputs (empty: it agrees)."""
    found = []
    for index, (args, kwargs) in enumerate(cases(lab, function, rng)):
        kept = copy.deepcopy((args, kwargs))
        expected = ref(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        try:
            with warnings.catch_warnings(record=True) as seen, \
                    np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
                warnings.simplefilter("always")
                got = fn(*args, **kwargs)
        except Exception as exc:
            found.append(f"case {index}: raised {type(exc).__name__}: {exc}")
            continue
        if (lab, function) in NO_OVERFLOW and seen:
            found.append(f"case {index}: warned ({seen[0].category.__name__}: {seen[0].message}) where the "
                         "notebook asks for no overflow")
        if not unchanged((args, kwargs), kept):
            found.append(f"case {index}: modified its input in place")
        if not same(got, expected):
            found.append(f"case {index}: returned a different value")
        elif (lab, function) in INTEGER_OUTPUTS and np.asarray(got).dtype.kind not in "iu":
            found.append(f"case {index}: labels of dtype {np.asarray(got).dtype}, not integers")
        elif (lab, function) in FLOAT_OUTPUTS and np.asarray(got).dtype.kind != "f":
            found.append(f"case {index}: dtype {np.asarray(got).dtype}, not float")
    return found
