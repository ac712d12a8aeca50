"""The fresh held-out-style set: its independent reference is right, and every entry is
labelled truthfully (a bug parts from the reference on some input inside the contract, a
correct variant agrees with it on many random inputs)."""
from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

SET_DIR = Path(__file__).resolve().parent.parent / "benchmarks" / "fresh_set"


def load_set():
    """The benchmarks/fresh_set folder as a package (its runner, fresh_set.py, has the same name)."""
    if "fresh_set_data" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fresh_set_data", SET_DIR / "__init__.py",
                                                      submodule_search_locations=[str(SET_DIR)])
        package = importlib.util.module_from_spec(spec)
        sys.modules["fresh_set_data"] = package
        spec.loader.exec_module(package)
    return {name: importlib.import_module(f"fresh_set_data.{name}")
            for name in ("reference", "contract", "lab1", "lab2", "lab3")}


FRESH = load_set()
reference, contract = FRESH["reference"], FRESH["contract"]
LAB1, LAB2, LAB3 = reference.LAB1, reference.LAB2, reference.LAB3
ENTRIES = [(lab, entry) for lab, module in ((LAB1, "lab1"), (LAB2, "lab2"), (LAB3, "lab3"))
           for entry in FRESH[module].ENTRIES]
R1, R2, R3 = (reference.namespace(lab) for lab in (LAB1, LAB2, LAB3))


def numeric_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (f(up) - f(down)) / (2 * h)
    return grad


def relative_error(a, n):
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    return float(np.max(np.abs(a - n) / np.maximum(1e-8, np.abs(a) + np.abs(n))))


# ---- the reference ------------------------------------------------------------------------

def test_reference_hand_computed_values():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert np.allclose(R1["predict"](X, np.array([1.0, -1.0]), 0.5), [-0.5, -0.5])
    assert R1["mse_loss"](np.array([1.0, 2.0, 3.0]), np.array([1.5, 2.0, 2.0])) == pytest.approx(1.25 / 3)
    # the lecture's batch example: x = 1, 2, 3, y = 0.99, 3.00, 5.01, theta = (0, 0)
    dW, db = R1["mse_gradients"](np.array([[1.0], [2.0], [3.0]]), np.array([0.99, 3.0, 5.01]), np.zeros(1), 0.0)
    assert dW == pytest.approx([-2 * (0.99 + 6.0 + 15.03) / 3]) and db == pytest.approx(-2 * 9.0 / 3)
    assert isinstance(db, float)
    W, b = np.ones(2), 1.0
    new_W, new_b = R1["gradient_descent_step"](W, b, np.array([2.0, -2.0]), 4.0, 0.25)
    assert np.allclose(new_W, [0.5, 1.5]) and new_b == 0.0 and np.all(W == 1.0)
    assert R2["sigmoid"](0.0) == 0.5 and R2["sigmoid"](np.log(3.0)) == pytest.approx(0.75)
    assert np.all(np.isfinite(R2["sigmoid"](np.array([-1000.0, 1000.0]))))
    assert R2["bce_loss"](np.array([1, 0]), np.array([0.8, 0.4])) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    assert R2["bce_dloss_dphat"](1, 0.25) == pytest.approx(-4.0)
    assert R2["bce_dloss_dphat"](0, 0.75) == pytest.approx(4.0)
    assert R2["sigmoid_derivative"](0.5) == 0.25
    assert list(R2["predict"](np.zeros((2, 1)), np.ones(1), 0.0)) == [0, 0]   # p = 0.5 is not above 0.5
    assert R2["accuracy"](np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])) == 0.75
    assert np.allclose(R3["softmax"](np.array([0.0, np.log(3.0)])), [0.25, 0.75])
    assert np.allclose(R3["softmax"](np.array([[1000.0, 1000.0]])), [[0.5, 0.5]])
    assert R3["one_hot"](np.array([2, 0]), 3).tolist() == [[0, 0, 1], [1, 0, 0]]
    Y, P = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.8, 0.2], [0.25, 0.75]])
    assert R3["cross_entropy_loss"](Y, P) == pytest.approx(-(np.log(0.8) + np.log(0.75)) / 2)
    assert R3["entropy"](np.array([0.5, 0.5])) == pytest.approx(np.log(2))
    assert R3["entropy"](np.array([0.0, 1.0])) == 0.0
    assert list(R3["predict_classes"](np.eye(2), np.array([[0.0, 1.0], [2.0, 0.0]]), np.zeros(2))) == [1, 0]


@pytest.mark.parametrize("k", [None, 3])
def test_reference_mse_gradients_match_finite_differences(k):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(7, 4))
    y = rng.normal(size=7 if k is None else (7, k))
    W = rng.normal(size=4 if k is None else (4, k))
    b = 0.3 if k is None else rng.normal(size=k)
    dW, db = R1["mse_gradients"](X, y, W, b)
    loss = lambda W_, b_: R1["mse_loss"](y, R1["predict"](X, W_, b_))  # noqa: E731
    assert relative_error(dW, numeric_gradient(lambda w: loss(w, b), W)) < 1e-6
    assert relative_error(db, numeric_gradient(lambda c: loss(W, c if k else float(c)), b)) < 1e-6


def test_reference_bce_and_softmax_gradients_match_finite_differences():
    rng = np.random.default_rng(6)
    X, y, W = rng.normal(size=(9, 3)), rng.integers(0, 2, size=9), rng.normal(size=3)
    loss = lambda W_, b_: R2["bce_loss"](y, R2["sigmoid"](X @ W_ + b_))  # noqa: E731
    dW, db = R2["bce_gradients"](X, y, W, -0.2)
    assert relative_error(dW, numeric_gradient(lambda w: loss(w, -0.2), W)) < 1e-6
    assert relative_error(db, numeric_gradient(lambda c: loss(W, float(c)), -0.2)) < 1e-6
    # the chain rule of the lab: dL/dz = dL/dp * dp/dz = p - y
    p = R2["sigmoid"](X @ W - 0.2)
    assert np.allclose(R2["bce_dloss_dphat"](y, p) * R2["sigmoid_derivative"](p), p - y)
    Y = R3["one_hot"](rng.integers(0, 4, size=9), 4)
    W3, b3 = rng.normal(size=(3, 4)), rng.normal(size=4)
    loss3 = lambda W_, b_: R3["cross_entropy_loss"](Y, R3["softmax"](X @ W_ + b_))  # noqa: E731
    dW3, db3 = R3["softmax_gradients"](X, Y, W3, b3)
    assert relative_error(dW3, numeric_gradient(lambda w: loss3(w, b3), W3)) < 1e-6
    assert relative_error(db3, numeric_gradient(lambda c: loss3(W3, c), b3)) < 1e-6


def test_reference_training_loops_follow_the_contract():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(10, 2))
    y = X @ np.array([1.0, -2.0]) + 0.5
    W, b, history = R1["fit_linear_regression"](X, y, lr=0.1, epochs=3, batch_size=4, seed=3)
    assert history[0] == pytest.approx(np.mean(y ** 2))            # W = 0, b = 0 at the start
    assert len(history) == 3 and isinstance(b, float) and history[2] < history[0]
    # the same fit written out step by step: one rng, one permutation per epoch, batches 4, 4, 2
    W_, b_, gen = np.zeros(2), 0.0, np.random.default_rng(3)
    for _ in range(3):
        order = gen.permutation(10)
        for rows in (order[:4], order[4:8], order[8:]):
            dW, db = R1["mse_gradients"](X[rows], y[rows], W_, b_)
            W_, b_ = R1["gradient_descent_step"](W_, b_, dW, db, 0.1)
    assert np.allclose(W, W_) and b == pytest.approx(b_)
    W, b, history = R2["train_logistic_regression"](X, (y > 0).astype(int), lr=0.5, epochs=2, seed=1)
    start = np.random.default_rng(1)
    W0 = start.random(2) - 0.5
    b0 = start.random() - 0.5
    p0 = R2["sigmoid"](X @ W0 + b0)
    assert history[0] == pytest.approx((R2["bce_loss"]((y > 0), p0), np.mean((p0 > 0.5) == (y > 0))))
    W, b, history = R3["train_softmax_regression"](X, (y > 0).astype(int), num_classes=3, lr=0.5, epochs=2)
    assert history[0][0] == pytest.approx(np.log(3)) and W.shape == (2, 3) and b.shape == (3,)


# ---- the entries ----------------------------------------------------------------------------

def test_entries_are_well_formed():
    names = [(lab, e.name) for lab, e in ENTRIES]
    assert len(names) == len(set(names))
    for lab, entry in ENTRIES:
        assert entry.function in reference.SOURCES[lab]
        assert f"def {entry.function}(" in entry.source


def entry_function(lab, entry):
    return reference.namespace(lab, entry.source)[entry.function]


def reference_function(lab, function):
    return reference.namespace(lab)[function]


@pytest.mark.parametrize("lab,entry", [pytest.param(lab, e, id=f"{e.function}-{e.name}")
                                       for lab, e in ENTRIES if e.is_bug])
def test_every_bug_parts_from_the_reference_inside_the_contract(lab, entry):
    fn, ref = entry_function(lab, entry), reference_function(lab, entry.function)
    found = []
    for seed in range(4):
        found += contract.differences(lab, entry.function, fn, ref, np.random.default_rng(seed))
    assert found, f"{entry.name} agrees with the reference on every input: it is not a bug"


@pytest.mark.parametrize("lab,entry", [pytest.param(lab, e, id=f"{e.function}-{e.name}")
                                       for lab, e in ENTRIES if not e.is_bug])
def test_every_correct_variant_agrees_with_the_reference(lab, entry):
    fn, ref = entry_function(lab, entry), reference_function(lab, entry.function)
    for seed in range(10):
        found = contract.differences(lab, entry.function, fn, ref, np.random.default_rng(100 + seed))
        assert not found, f"{entry.name}: {found}"


def test_a_known_bug_is_caught_and_the_reference_agrees_with_itself():
    """The labelling check can fail: the reference passes it, a summed loss does not."""
    rng = np.random.default_rng(0)
    ref = reference_function(LAB1, "mse_loss")
    assert contract.differences(LAB1, "mse_loss", ref, ref, rng) == []
    summed = lambda y, y_hat: float(np.sum((y - y_hat) ** 2))  # noqa: E731
    assert contract.differences(LAB1, "mse_loss", summed, ref, rng)
