"""The notebook's own door (the check cell) says what `nnlabs check` says: blame where it
belongs, one timeout per function, a failure line that stands on its own, and a gradient
check that says what it differentiates."""
import time

import pytest

from autograder.judging.judge import judge
from autograder.labs import load_lab
from autograder.sandbox.limits import Limits
from autograder.faces.check_cell import ChecksFailed, check_in_notebook
from autograder.sandbox.student_process import StudentProcess

from conftest import LAB2

SIGMOID = "import numpy as np\ndef sigmoid(z):\n    z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n"     # stable: no overflow


def namespace(source):
    found = {}
    exec(compile(source, "<cell>", "exec"), found)
    return found


def test_a_function_whose_callee_is_a_stub_is_blocked_by_it_not_unwritten(capsys):
    ns = namespace(SIGMOID + "def predict_proba(X, W, b):\n    raise NotImplementedError()\n"
                   "def predict(X, W, b, threshold=0.5):\n"
                   "    return (predict_proba(X, W, b) > threshold).astype(int)\n")
    check_in_notebook(ns["predict"], lab_id=LAB2)           # blocked, not failed: the cell passes
    shown = capsys.readouterr().out
    assert "predict depends on predict_proba, which is not written yet" in shown
    assert "predict is not written yet" not in shown


def test_the_check_cell_stops_a_function_after_its_first_timeout():
    ns = namespace("def entropy(p):\n    while True:\n        pass\n")
    start = time.monotonic()
    with pytest.raises(ChecksFailed) as raised:
        check_in_notebook(ns["entropy"], lab_id="lab3_multiclass_classification", call_seconds=1.0)
    assert time.monotonic() - start < 2.5                  # one timeout, not one per check
    # the line nbgrader's Validate dialog shows alone: which check, and why
    assert "entropy.rain_examples" in str(raised.value) and "did not finish within 1 s" in str(raised.value)
    assert "see the table" not in str(raised.value)


def test_a_public_gradient_check_says_what_it_differentiates_in_every_door(capsys):
    source = SIGMOID + ("def bce_loss(y, p):\n    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"
                        "def bce_gradients(X, y, W, b):\n    p = sigmoid(X @ W + b)\n"
                        "    return X.T @ (p - y), float(np.sum(p - y))\n")
    with pytest.raises(ChecksFailed):
        check_in_notebook(namespace(source)["bce_gradients"], lab_id=LAB2)
    assert "gradient_check (checked against your own bce_loss" in capsys.readouterr().out
    lab = load_lab(LAB2, hidden=True)
    with StudentProcess([{"id": "c", "source": source}], list(lab.functions),
                        reference={f: getattr(lab.reference, f) for f in lab.functions}) as p:
        report = judge(lab, p, hidden=True, material=lab.material, functions=["bce_gradients"])
    public = next(c for c in report.checks if c.id == "bce_gradients.gradient_check")
    assert not public.passed and "checked against the course's bce_loss" in public.message


def test_an_endless_training_loop_is_reported_as_such_not_flagged():
    lab = load_lab(LAB2, hidden=True)
    source = SIGMOID + ("def bce_gradients(X, y, W, b):\n    p = sigmoid(X @ W + b)\n"
                        "    return X.T @ (p - y) / len(y), float(np.mean(p - y))\n"
                        "def train_logistic_regression(X, y, *, lr, epochs, seed=0):\n"
                        "    W, b = np.zeros(X.shape[1]), 0.0\n    while True:\n"
                        "        dW, db = bce_gradients(X, y, W, b)\n")
    with StudentProcess([{"id": "c", "source": source}], list(lab.functions), limits=Limits(reference_calls=300),
                        reference={f: getattr(lab.reference, f) for f in lab.functions}) as p:
        report = judge(lab, p, hidden=True, material=lab.material, functions=["train_logistic_regression"])
    stopped = [c for c in report.checks if not c.passed and "endless loop" in c.message]
    assert stopped and not report.flags, (report.flags, [c.message for c in report.checks])


def test_an_unreachable_scheduler_is_one_line_that_says_what_to_do(monkeypatch):
    from autograder.grading import workers
    monkeypatch.setattr(workers, "CONNECT_TIMEOUT", "2s")
    start = time.monotonic()
    with pytest.raises(SystemExit) as stopped:
        workers.DaskWorkers(lambda context, task: {}, {}, "tcp://127.0.0.1:9")     # nothing listens on port 9
    message = str(stopped.value)
    assert "cannot be reached" in message and "dask scheduler" in message and "\n" not in message
    assert time.monotonic() - start < 15
