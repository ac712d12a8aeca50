"""Training loops read from their trace (solutions.loops): each deviation from the contract
is named from what the loop asked of the graded gradient; the contract's loop is named nothing."""
import numpy as np
import pytest

from solutions import lab1_linear_regression as ref
from solutions import loops


def student_fit(X, y, *, lr, epochs, batch_size=None, seed=0, mistake=None):
    """A student's fit that calls the graded gradient (here the reference, as the judge
    answers it), with one mistake switched on; returns its output and its trace."""
    trace = []

    def mse_gradients(Xb, yb, W, b):
        trace.append({"name": "mse_gradients", "args": [Xb.copy(), yb.copy(), np.copy(W), b], "kwargs": {},
                      "answered": True})
        return ref.mse_gradients(Xb, yb, W, b)
    m, n = X.shape
    W, b, history = np.zeros(n), 0.0, []
    rng = np.random.default_rng(seed)
    once = rng.permutation(m) if mistake == "same_order" else None
    for _ in range(epochs):
        if mistake != "history_after":
            history.append(ref.mse_loss(y, ref.predict(X, W, b)))
        order = once if mistake == "same_order" else rng.permutation(m)
        if mistake == "array_split":
            batches = np.array_split(order, -(-m // batch_size))
        else:
            batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]
        for rows in batches:
            dW, db = mse_gradients(X[rows], y[rows], W, b)
            step = lr * lr if mistake == "lr_twice" else lr
            W, b = W - step * dW, b - step * db
        if mistake == "history_after":
            history.append(ref.mse_loss(y, ref.predict(X, W, b)))
    return (W, b, history), trace


X = np.random.default_rng(1).normal(size=(10, 2))
y = X @ np.array([1.0, -2.0]) + 0.3
KWARGS = {"lr": 0.1, "epochs": 3, "batch_size": 4, "seed": 5}


@pytest.mark.parametrize("mistake", ["same_order", "array_split", "lr_twice", "history_after"])
def test_each_deviation_is_named_from_the_trace(mistake):
    got, trace = student_fit(X, y, mistake=mistake, **KWARGS)
    assert loops.diagnose_trace(loops.LAB1, ref, X, y, KWARGS, trace, got) == [loops.DEVIATIONS[mistake]]


def test_the_contracts_loop_is_named_nothing_and_an_inline_loop_is_left_to_its_output():
    got, trace = student_fit(X, y, **KWARGS)
    assert np.allclose(got[0], ref.fit_linear_regression(X, y, **KWARGS)[0])
    assert loops.diagnose_trace(loops.LAB1, ref, X, y, KWARGS, trace, got) == []
    assert loops.diagnose_trace(loops.LAB1, ref, X, y, KWARGS, [], got) == []


@pytest.mark.parametrize("mistake", ["same_order", "array_split", "lr_twice", "history_after"])
def test_the_simulated_family_gives_the_output_of_the_same_mistake(mistake):
    got, _ = student_fit(X, y, mistake=mistake, **KWARGS)
    simulated = loops.simulate(loops.LAB1, ref, X, y, KWARGS, deviation=mistake)
    assert all(np.allclose(a, b) for a, b in zip(got, simulated))
