"""Training loops read from their trace (solutions.loops): each deviation from the contract
is named from what the loop asked of the graded gradient; the contract's loop is named nothing."""
import warnings

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
    for epoch in range(epochs):
        order = once if mistake == "same_order" else rng.permutation(m)
        if mistake == "array_split":
            batches = np.array_split(order, -(-m // batch_size))
        elif mistake == "one_batch":            # one random batch, one step, per epoch
            batches = [rng.choice(m, batch_size, replace=False)]
        elif mistake == "drop_last":
            batches = [order[i:i + batch_size] for i in range(0, m - batch_size + 1, batch_size)]
        else:
            batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]
        if mistake == "history_first_batch":
            history.append(ref.mse_loss(y[batches[0]], ref.predict(X[batches[0]], W, b)))
        elif mistake != "history_after" and not (mistake == "history_missing_last" and epoch == epochs - 1):
            history.append(ref.mse_loss(y, ref.predict(X, W, b)))
        for rows in batches:
            dW, db = mse_gradients(X[rows], y[rows], W, b)
            if mistake == "asked_twice":            # dW and db from two calls on the same batch: no mistake
                db = mse_gradients(X[rows], y[rows], W, b)[1]
            step = lr * lr if mistake == "lr_twice" else lr
            if mistake == "bias_after_weights":     # W first, then db asked for at the new W
                W = W - step * dW
                _, db = mse_gradients(X[rows], y[rows], W, b)
                b = b - step * db
                continue
            W, b = W - step * dW, b - step * db
        if mistake == "history_after":
            history.append(ref.mse_loss(y, ref.predict(X, W, b)))
    if mistake == "history_extra_final":
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
    got, trace = student_fit(X, y, mistake="asked_twice", **KWARGS)        # the same batch asked for twice
    assert loops.diagnose_trace(loops.LAB1, ref, X, y, KWARGS, trace, got) == []
    got, trace = student_fit(X, y, **KWARGS)
    assert np.allclose(got[0], ref.fit_linear_regression(X, y, **KWARGS)[0])
    assert loops.diagnose_trace(loops.LAB1, ref, X, y, KWARGS, trace, got) == []
    assert loops.diagnose_trace(loops.LAB1, ref, X, y, KWARGS, [], got) == []


@pytest.mark.parametrize("mistake", ["same_order", "array_split", "lr_twice", "history_after"])
def test_the_simulated_family_gives_the_output_of_the_same_mistake(mistake):
    got, _ = student_fit(X, y, mistake=mistake, **KWARGS)
    simulated = loops.simulate(loops.LAB1, ref, X, y, KWARGS, deviation=mistake)
    assert all(np.allclose(a, b) for a, b in zip(got, simulated))


NEW = ["one_batch", "drop_last", "bias_after_weights", "history_first_batch", "history_extra_final",
       "history_missing_last"]


@pytest.mark.parametrize("mistake", NEW)
def test_the_trace_names_each_new_deviation_and_only_it(mistake):
    got, trace = student_fit(X, y, mistake=mistake, **KWARGS)
    assert loops.diagnose_trace(loops.LAB1, ref, X, y, KWARGS, trace, got) == [loops.DEVIATIONS[mistake]]


def test_one_random_batch_per_epoch_is_never_told_that_its_last_batch_is_dropped():
    """9 samples in batches of 5: one batch per epoch is also what dropping the last batch
    leaves; the whole pattern (one step per epoch) is what the message says, every epoch."""
    X9, y9 = X[:9], y[:9]
    kwargs = {"lr": 0.1, "epochs": 3, "batch_size": 5, "seed": 2}
    for mistake in ("one_batch", "drop_last"):
        got, trace = student_fit(X9, y9, mistake=mistake, **kwargs)
        said = loops.diagnose_trace(loops.LAB1, ref, X9, y9, kwargs, trace, got)
        assert said == [loops.DEVIATIONS["one_batch"]], (mistake, said)
    # with two batches or more per epoch the two are told apart
    for mistake in ("one_batch", "drop_last"):
        got, trace = student_fit(X, y, mistake=mistake, **KWARGS)
        assert loops.diagnose_trace(loops.LAB1, ref, X, y, KWARGS, trace, got) == [loops.DEVIATIONS[mistake]]


@pytest.mark.parametrize("mistake", ["bias_after_weights", "history_extra_final", "history_missing_last",
                                     "history_first_batch"])
def test_a_loop_computed_inline_is_named_by_the_simulated_family(mistake):
    from autograder.judging import diagnosis
    from autograder.judging.checks import mistake_outputs, stored_form
    got, _ = student_fit(X, y, mistake=mistake, **KWARGS)
    outputs = mistake_outputs(loops.family(loops.LAB1, ref, "fit_linear_regression"), [X, y], KWARGS)
    assert diagnosis.recognised(stored_form(got), outputs) == [loops.DEVIATIONS[mistake]]


def test_an_empty_last_batch_is_named_from_the_trace_and_from_the_output():
    from autograder.judging import diagnosis
    from autograder.judging.checks import mistake_outputs, stored_form
    kwargs = {"lr": 0.1, "epochs": 2, "batch_size": 5, "seed": 1}       # 5 divides 10: m // 5 + 1 batches
    # a loop that calls the gradient: the reference refuses the empty batch
    calls = [{"name": "mse_gradients", "args": [X[:5], y[:5], np.zeros(2), 0.0], "kwargs": {}, "answered": True},
             {"name": "mse_gradients", "args": [X[:0], y[:0], np.ones(2), 0.1], "kwargs": {}, "answered": True}]
    said = loops.diagnose_raised(calls, "RuntimeError: mse_gradients: ZeroDivisionError: float division by zero",
                                 loops.LAB1)
    assert said and "empty batch" in said[0]
    # a loop that computes the gradient inline: numpy's mean over no samples is nan
    def inline(X, y, *, lr, epochs, batch_size, seed):
        rng = np.random.default_rng(seed)
        W, b, history = np.zeros(X.shape[1]), 0.0, []
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for _ in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                order = rng.permutation(len(y))
                for i in range(len(y) // batch_size + 1):
                    rows = order[i * batch_size:(i + 1) * batch_size]
                    r = X[rows] @ W + b - y[rows]
                    W, b = W - lr * 2 * X[rows].T @ r / len(rows), b - lr * 2 * np.mean(r)
        return W, b, history
    outputs = mistake_outputs(loops.family(loops.LAB1, ref, "fit_linear_regression"), [X, y], kwargs)
    assert diagnosis.recognised(stored_form(inline(X, y, **kwargs)), outputs) == [loops.DEVIATIONS["empty_batch"]]
    # when batch_size does not divide m, m // batch_size + 1 batches are the contract's: nothing is named
    kwargs["batch_size"] = 4
    outputs = mistake_outputs(loops.family(loops.LAB1, ref, "fit_linear_regression"), [X, y], kwargs)
    assert diagnosis.recognised(stored_form(inline(X, y, **kwargs)), outputs,
                                stored_form(ref.fit_linear_regression(X, y, **kwargs))) == []


# ---------------------------------------------------------------- labs 2 and 3: what history records, the targets
def test_an_accuracy_recorded_as_a_percentage_is_named():
    from autograder.judging import diagnosis
    from autograder.judging.checks import mistake_outputs, stored_form
    from solutions import lab2_binary_classification as ref2
    X2 = np.random.default_rng(3).normal(size=(12, 2))
    y2 = (X2[:, 0] > 0).astype(float)
    kwargs = {"lr": 0.3, "epochs": 4, "seed": 5}
    W, b, history = ref2.train_logistic_regression(X2, y2, **kwargs)
    percent = (W, b, [(loss, 100 * acc) for loss, acc in history])
    outputs = mistake_outputs(loops.family(loops.LAB2, ref2, "train_logistic_regression"), [X2, y2], kwargs)
    assert diagnosis.recognised(stored_form(percent), outputs) == [loops.DEVIATIONS["accuracy_percent"]]


def test_an_accuracy_that_counts_ties_as_right_is_named():
    from autograder.judging import diagnosis
    from autograder.judging.checks import mistake_outputs, stored_form
    from solutions import lab3_multiclass_classification as ref3
    X3 = np.random.default_rng(4).normal(size=(9, 2))
    y3 = np.random.default_rng(5).integers(0, 3, size=9)
    kwargs = {"num_classes": 3, "lr": 0.2, "epochs": 3}
    W, b, history = ref3.train_softmax_regression(X3, y3, **kwargs)
    ties = (W, b, [(history[0][0], 1.0)] + list(history[1:]))         # at the zero start every class ties
    outputs = mistake_outputs(loops.family(loops.LAB3, ref3, "train_softmax_regression"), [X3, y3], kwargs)
    assert diagnosis.recognised(stored_form(ties), outputs) == [loops.DEVIATIONS["accuracy_ties"]]


def test_batches_one_hot_encoded_with_too_few_columns_are_told_in_words():
    from solutions import lab3_multiclass_classification as ref3
    X3 = np.random.default_rng(4).normal(size=(6, 2))
    y3 = np.array([0, 1, 2, 0, 1, 1])
    kwargs = {"num_classes": 3, "lr": 0.2, "epochs": 2, "batch_size": 3}
    rows = np.array([0, 1, 4])
    call = {"name": "softmax_gradients", "args": [X3[rows], np.eye(2)[y3[rows]], np.zeros((2, 3)), np.zeros(3)],
            "kwargs": {}, "answered": True}
    error = ("RuntimeError: softmax_gradients: ValueError: operands could not be broadcast together with shapes "
             "(3,3) (3,2)")
    said = loops.diagnose_raised([call], error, loops.LAB3, ref3, X3, y3, kwargs)
    assert said == ["the targets your loop passed to softmax_gradients have 2 columns where num_classes is 3: "
                    "one-hot encode every batch with num_classes columns (the rows of one_hot(y, num_classes)), "
                    "whatever labels the batch holds"]
    # the student's own code raising names nothing
    assert loops.diagnose_raised([call], "ValueError: your own code", loops.LAB3, ref3, X3, y3, kwargs) == []
