"""The worked examples of the lecture material, reproduced by the reference solutions.

Where a slide's arithmetic is wrong, the test states the right value (and the labs say so).
"""
import importlib
import types

import numpy as np
import pytest

LABS = {1: "lab1_linear_regression", 2: "lab2_binary_classification", 3: "lab3_multiclass_classification"}


def implementation(lab, *bug_names):
    """The reference of a lab as a namespace, with some functions swapped for catalog bugs."""
    reference = importlib.import_module(f"solutions.{LABS[lab]}")
    names = {name: getattr(reference, name) for name in dir(reference) if not name.startswith("_")}
    entries = {e.name: e for e in importlib.import_module(f"solutions.mistakes.{LABS[lab]}").CATALOG.entries}
    for bug in bug_names:
        names[entries[bug].function] = entries[bug].implementation
    return types.SimpleNamespace(**names)


lab1, lab2, lab3 = implementation(1), implementation(2), implementation(3)


def sgd_step(lab1, W, b, x, y, lr):
    dW, db = lab1.mse_gradients(np.array([[x]]), np.array([y]), W, b)
    return dW, db, lab1.gradient_descent_step(W, b, dW, db, lr)


def check_two_sgd_steps_of_the_linear_regression_example(lab1=lab1):
    W, b = np.zeros(1), 0.0
    dW, db, (W, b) = sgd_step(lab1, W, b, 5.0, 5.0, 0.01)             # pick x=5, y=5
    np.testing.assert_allclose([dW[0], db], [-50.0, -10.0])
    np.testing.assert_allclose([W[0], b], [0.5, 0.1])
    dW, db, (W, b) = sgd_step(lab1, W, b, 9.0, 17.0, 0.01)            # pick x=9, y=17
    np.testing.assert_allclose([dW[0], db], [-223.2, -24.8])
    np.testing.assert_allclose([W[0], b], [2.732, 0.348])


def check_two_batch_gradient_descent_steps_of_the_linear_regression_example(lab1=lab1):
    X, y = np.array([[1.0], [2.0], [3.0]]), np.array([0.99, 3.00, 5.01])
    W, b = np.zeros(1), 0.0
    dW, db = lab1.mse_gradients(X, y, W, b)
    # slide: per-sample dL/dw = -1.98, -12.02, -30.09 and dL/db = -1.98, -6.01, -10.03 (rounded data)
    np.testing.assert_allclose([dW[0], db], [np.mean([-1.98, -12.0, -30.06]), np.mean([-1.98, -6.0, -10.02])])
    W, b = lab1.gradient_descent_step(W, b, dW, db, 0.1)
    np.testing.assert_allclose([W[0], b], [1.468, 0.600], atol=2e-3)
    assert np.allclose(lab1.predict(X, W, b), [2.07, 3.54, 5.01], atol=0.01)      # the slide's second table
    dW, db = lab1.mse_gradients(X, y, W, b)
    W, b = lab1.gradient_descent_step(W, b, dW, db, 0.1)
    np.testing.assert_allclose([W[0], b], [1.327, 0.493], atol=3e-3)


def check_fitting_with_one_full_batch_equals_those_steps(lab1=lab1):
    X, y = np.array([[1.0], [2.0], [3.0]]), np.array([0.99, 3.00, 5.01])
    W, b, history = lab1.fit_linear_regression(X, y, lr=0.1, epochs=2)
    np.testing.assert_allclose([W[0], b], [1.327, 0.493], atol=3e-3)
    assert history[0] == pytest.approx(np.mean(y ** 2))


def check_the_logistic_matrix_example(lab2=lab2):
    X, w, b = np.array([[1, 2], [3, 4], [5, 6]]), np.array([1.0, 2.0]), -10.0
    np.testing.assert_allclose(X @ w + b, [-5, 1, 7])
    p = lab2.predict_proba(X, w, b)
    np.testing.assert_allclose(p, [0.0067, 0.7311, 0.9991], atol=1e-4)   # the slide rounds to 0.01, 0.73, 1.
    np.testing.assert_array_equal(lab2.predict(X, w, b), [0, 1, 1])


def check_the_softmax_matrix_example(lab3=lab3):
    X = np.array([[1, 2], [3, 4], [5, 6]])
    W, b = np.array([[1, 3], [2, 4]]), np.array([-10, -20])
    Z = X @ W + b
    np.testing.assert_array_equal(Z, [[-5, -9], [1, 5], [7, 19]])
    np.testing.assert_allclose(lab3.softmax(Z), [[9.82e-01, 1.80e-02], [1.80e-02, 9.82e-01], [6.14e-06, 1.0]],
                               rtol=2e-3)


def check_the_softmax_of_the_five_activations(lab3=lab3):
    p = lab3.softmax(np.array([0.5, 0.5, 10, 5, 7]))
    np.testing.assert_allclose(p, [7.0837e-05, 7.0837e-05, 9.4636e-01, 6.3766e-03, 4.7117e-02], rtol=1e-4)
    assert [f"{v:.3f}" for v in p] == ["0.000", "0.000", "0.946", "0.006", "0.047"]


def check_the_two_cross_entropy_examples(lab3=lab3):
    apple = lab3.cross_entropy_loss(np.array([[1, 0, 0]]), np.array([[0.8, 0.1, 0.1]]))
    orange = lab3.cross_entropy_loss(np.array([[0, 0, 1]]), np.array([[0.25, 0.25, 0.5]]))
    assert round(apple, 3) == 0.223 and round(orange, 3) == 0.693


def check_the_two_entropy_examples_with_the_sahara_value_corrected(lab3=lab3):
    sahara = lab3.entropy(np.array([0.01, 0.99]))
    kuala_lumpur = lab3.entropy(np.array([0.5, 0.5]))
    assert round(kuala_lumpur, 3) == 0.693
    # the slide says 0.036: -(0.01 ln 0.01 + 0.99 ln 0.99) = 0.04605 + 0.00995 = 0.056
    assert round(sahara, 3) == 0.056


def check_the_binary_cross_entropy_of_a_confused_classifier(lab2=lab2):
    assert lab2.bce_loss(np.array([1.0, 0.0]), np.array([0.5, 0.5])) == pytest.approx(np.log(2))


CHECKS = [(name[len("check_"):], fn) for name, fn in sorted(globals().items()) if name.startswith("check_")]


@pytest.mark.parametrize("check", [fn for _, fn in CHECKS], ids=[name for name, _ in CHECKS])
def test_the_reference_reproduces_the_example(check):
    check()


WRONG = [
    ("check_two_sgd_steps_of_the_linear_regression_example", 1, "grads_no_two"),
    ("check_two_sgd_steps_of_the_linear_regression_example", 1, "step_ascent"),
    ("check_two_batch_gradient_descent_steps_of_the_linear_regression_example", 1, "grads_sum"),
    ("check_fitting_with_one_full_batch_equals_those_steps", 1, "fit_history_after"),
    ("check_the_logistic_matrix_example", 2, "proba_no_bias"),
    ("check_the_softmax_matrix_example", 3, "softmax_axis0"),
    ("check_the_softmax_of_the_five_activations", 3, "softmax_by_max"),
    ("check_the_two_cross_entropy_examples", 3, "ce_log2"),
    ("check_the_two_entropy_examples_with_the_sahara_value_corrected", 3, "entropy_log2"),
    ("check_the_binary_cross_entropy_of_a_confused_classifier", 2, "bce_loss_sum"),
]


@pytest.mark.parametrize("check_name, lab, bug", WRONG, ids=[f"{c[len('check_'):]}-{b}" for c, _, b in WRONG])
def test_a_wrong_implementation_fails_the_example(check_name, lab, bug):
    with pytest.raises(AssertionError):
        globals()[check_name](implementation(lab, bug))
