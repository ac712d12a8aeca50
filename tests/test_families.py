"""Kinds of mistakes named on code nobody wrote down: the mistake families of
`solutions/mistakes/families.py`, the structural causes of `autograder/judging/diagnosis.py`, the
pass/fail split of `expect.Cases` and the loop deviations of `solutions/loops.py`. Each
names its mistake on a buggy implementation, and nothing on a correct one or on another
mistake."""
import numpy as np
import pytest

from autograder.judging import diagnosis, expect
from autograder.judging.checks import CheckFailed, mistake_outputs
from solutions import lab1_linear_regression as ref1
from solutions import lab2_binary_classification as ref2
from solutions import lab3_multiclass_classification as ref3
from solutions import loops
from solutions.mistakes import families
from tests.test_expect import context, failure

FAMILIES = {1: families.for_lab("lab1_linear_regression", ref1),
            2: families.for_lab("lab2_binary_classification", ref2),
            3: families.for_lab("lab3_multiclass_classification", ref3)}
RNG = np.random.default_rng(0)
X, W, W2 = RNG.normal(size=(6, 3)), RNG.normal(size=3), RNG.normal(size=(3, 2))


def named(lab, function, student, *args, **kwargs):
    """The family messages whose output on these inputs is the student's."""
    got = student(*args, **kwargs)
    return diagnosis.recognised(got, mistake_outputs(FAMILIES[lab][function], list(args), kwargs))


def message(lab, function, start):
    found = [m for m, _ in FAMILIES[lab][function] if m.startswith(start)]
    assert found, start
    return found[0]


# ---------------------------------------------------------------- families
def test_the_linear_part_written_wrongly_is_named_and_a_correct_or_other_bug_is_not():
    elementwise = message(1, "predict", "X * W")
    first = message(1, "predict", "only the first feature")
    first_bias = message(1, "predict", "only the first bias")
    assert named(1, "predict", lambda X, W, b: X * W + b, X, W, 0.5) == [elementwise]
    assert named(1, "predict", lambda X, W, b: X[:, 0] * W[0] + b, X, W, 0.5) == [first]
    assert named(1, "predict", lambda X, W, b: X @ W + np.atleast_1d(b)[0], X, W2, np.array([0.1, 0.7])) == \
        [first_bias]
    assert named(1, "predict", lambda X, W, b: np.dot(X, W) + b, X, W, 0.5) == []
    assert named(1, "predict", lambda X, W, b: X @ W, X, W, 0.5) == []          # the bias missing: not these
    # the same kinds in lab 2: the scores inside the sigmoid, the bias outside it
    assert named(2, "predict_proba", lambda X, W, b: ref2.sigmoid(X * W + b), X, W, 0.5) == \
        [message(2, "predict_proba", "X * W")]
    assert named(2, "predict_proba", lambda X, W, b: ref2.sigmoid(X @ W) + b, X, W, 0.5) == \
        [message(2, "predict_proba", "the bias is added after")]
    assert named(2, "predict_proba", lambda X, W, b: ref2.sigmoid(X @ W + b), X, W, 0.5) == []


def test_a_formula_with_one_operation_changed_is_named():
    z = np.array([-40.0, -12.0, -1.0, 0.5, 3.0, 25.0])
    assert named(2, "sigmoid", lambda z: 1 + np.exp(-z), z) == [message(2, "sigmoid", "operator precedence")]
    with np.errstate(all="ignore"):
        assert named(2, "sigmoid", lambda z: 1 / (1 - np.exp(-z)), np.array([-1.0, 0.0, 2.0])) == \
            [message(2, "sigmoid", "the denominator is 1 - e^(-z)")]
    clipped = named(2, "sigmoid", lambda z: 1 / (1 + np.exp(-np.clip(z, -10, 10))), z)
    assert clipped and all(c.startswith("the sigmoid is cut off") for c in clipped)
    assert named(2, "sigmoid", ref2.sigmoid, z) == []
    assert named(2, "sigmoid", lambda z: np.tanh(z), z) == []
    y, p = np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.65, 0.4])
    with np.errstate(all="ignore"):
        assert named(2, "bce_dloss_dphat", lambda y, p: (1 - y) // (1 - p) - y // p, y, p) == \
            [message(2, "bce_dloss_dphat", "// is floor division")]
    assert named(2, "bce_loss", lambda y, p: -np.log(np.mean(p ** y * (1 - p) ** (1 - y))), y, p) == \
        [message(2, "bce_loss", "the log is taken of the mean likelihood")]
    e = np.array([0.09, 0.81, 0.1])
    assert named(1, "mse_loss", lambda y, h: np.var(y - h), e, np.array([0.5, 0.2, -0.3])) == \
        [message(1, "mse_loss", "the mean error is subtracted")]


def test_an_epsilon_is_named_only_when_it_is_the_one_used():
    p = np.array([0.2, 0.0, 0.5, 0.3])
    eps = message(3, "entropy", "an epsilon of 0.001 ")
    assert named(3, "entropy", lambda p: -np.sum(p * np.log(p + 1e-3)), p) == [eps]
    assert named(3, "entropy", lambda p: -np.sum(p * np.log(p + 2e-3)), p) == []      # no epsilon of ours
    assert named(3, "entropy", lambda p: -np.sum(p * np.log(p + 1e-12)), p) == []     # the reference's own value


def test_the_accuracy_mixed_up_with_other_measures_and_the_classes_with_their_probabilities():
    t, p = np.array([1, 0, 1, 1, 0, 1, 0]), np.array([1, 1, 1, 0, 0, 0, 0])
    assert named(2, "accuracy", lambda t, p: np.sum(t[p == 1] == 1) / np.sum(p == 1), t, p) == \
        [message(2, "accuracy", "that is the precision")]
    assert named(2, "accuracy", lambda t, p: t == p, t, p) == [message(2, "accuracy", "the array of matches")]
    assert named(2, "accuracy", lambda t, p: np.mean(t == p), t, p) == []
    Wk, bk = RNG.normal(size=(3, 4)), RNG.normal(size=4)
    assert named(3, "predict_classes", lambda X, W, b: ref3.softmax(X @ W + b), X, Wk, bk) == \
        [message(3, "predict_classes", "the probabilities")]


def test_softmax_shifted_by_its_minimum_and_summed_without_keepdims():
    Z = np.array([[800.0, -800.0, 0.0], [1.0, 2.0, 3.0], [-5.0, 0.0, 5.0]])
    with np.errstate(all="ignore"):
        e = np.exp(Z - Z.min(axis=-1, keepdims=True))
        assert named(3, "softmax", lambda Z: e / e.sum(axis=-1, keepdims=True), Z) == \
            [message(3, "softmax", "each row is shifted by less than its maximum")]
    S = RNG.normal(size=(4, 4))
    assert named(3, "softmax", lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1), S) == \
        [message(3, "softmax", "the row sums are divided without keepdims")]
    ours = [m for m, _ in FAMILIES[3]["softmax"][-2:]]
    assert not set(named(3, "softmax", ref3.softmax, S)) & set(ours)


def test_cross_entropy_averaged_over_the_samples_too_early():
    Y = np.eye(3)[[0, 1, 2, 1]]
    P = RNG.dirichlet(np.ones(3), size=4)
    assert named(3, "cross_entropy_loss", lambda Y, P: -np.sum(Y.mean(0) * np.log(P.mean(0))), Y, P) == \
        [message(3, "cross_entropy_loss", "Y and P are averaged")]
    assert named(3, "cross_entropy_loss", lambda Y, P: -np.sum(Y.mean(0) * np.log(P).mean(0)), Y, P) == \
        [message(3, "cross_entropy_loss", "mean(Y) is multiplied")]


def test_the_bce_gradient_without_its_sigmoid_with_a_factor_two_or_unstable_at_saturation():
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    X = RNG.normal(size=(7, 3))                 # m / n is not 2: a factor 2 is not a denominator n here

    def linear(X, y, W, b):
        e = X @ W + b - y
        return X.T @ e / len(y), float(np.mean(e))
    assert named(2, "bce_gradients", linear, X, y, W, 0.3) == [message(2, "bce_gradients", "the sigmoid is missing")]
    doubled = named(2, "bce_gradients", lambda *a: tuple(2 * np.asarray(v) for v in ref2.bce_gradients(*a)),
                    X, y, W, 0.3)
    assert doubled == [message(2, "bce_gradients", "a factor 2")]
    Xs = X.copy()
    Xs[:, 0] = [400.0, -400.0, 380.0, 5.0, -360.0, 1.0, 2.0]

    def chain(X, y, W, b):
        p = ref2.sigmoid(X @ W + b)
        with np.errstate(all="ignore"):
            dz = ((1 - y) / (1 - p) - y / p) * p * (1 - p)
        return X.T @ dz / len(y), float(np.mean(dz))
    assert named(2, "bce_gradients", chain, Xs, y, np.array([2.5, 0.1, -0.2]), 0.3) == \
        [message(2, "bce_gradients", "the gradient is nan where the scores saturate")]
    assert named(2, "bce_gradients", chain, X, y, W, 0.3) == []          # not saturated: the reference's output


# ---------------------------------------------------------------- structural causes
def test_a_result_reduced_to_one_number_or_kept_per_sample_is_pinned_by_its_values():
    expected = np.array([0.09, 0.25, 0.1875, 0.0099])
    text = diagnosis.difference(np.float64(expected.mean()), expected, what="d", show=False)
    assert "Likely cause: you returned one number, the mean of the values expected" in text
    per_sample = np.array([0.2, -0.5, 0.1, 0.45])
    text = diagnosis.difference(per_sample, float(per_sample.sum()), what="db", show=False)
    # said of axis 0, not of "samples": an entropy's terms run over outcomes, not samples
    assert "Likely cause: you kept the values along axis 0 where their sum is expected" in text
    assert "sample" not in text
    text = diagnosis.difference(per_sample.reshape(2, 2), per_sample.reshape(2, 2).mean(axis=0), what="db", show=False)
    assert "their mean is expected" in text
    # another number, or whole numbers that agree by chance, pin nothing
    assert "Likely cause" not in diagnosis.difference(np.float64(0.3), expected, what="d", show=False)
    labels = np.array([1, 1, 1, 0, 0])
    assert "Likely cause" not in diagnosis.difference(labels, 0.6, what="accuracy", show=False)


def test_values_right_and_type_wrong_is_pinned_only_when_every_value_is_right():
    right = np.array([1, 0, 1, 1])
    exc = failure(expect.wrong_type, context(), right.astype(bool), right, "must be integers", "an integer dtype")
    assert "Likely cause: your values are right, only their type is not: dtype bool" in str(exc)
    exc = failure(expect.wrong_type, context(), np.array([1.0, 1.0, 1.0, 1.0]), right, "must be integers", "ints")
    assert "Likely cause" not in str(exc)


# ---------------------------------------------------------------- the pass/fail split of the cases
ONE, MANY = {"outputs": "W of shape (n,)"}, {"outputs": "W of shape (n, k)"}


def split_message(runs, controls=()):
    ctx = context()
    with pytest.raises(CheckFailed) as info:
        with expect.Cases(ctx) as cases:
            for got, expected, form in runs:
                if got is None:
                    cases.run(lambda ctx: ctx.fail("your f raised ValueError: operands could not be broadcast"),
                              form=form)
                else:
                    cases.run(expect.values, got, expected, what="f", form=form)
            for got, expected, form in controls:
                cases.control(expect.values, got, expected, what="f", form=form)
    return str(info.value)


def test_right_for_one_form_and_wrong_for_the_other_is_pinned_even_when_it_raised():
    a, b = np.array([1.0, 2.0]), np.array([[1.0, 2.0], [3.0, 4.0]])
    text = split_message([(a, a, ONE), (None, None, MANY), (a, a, ONE), (b.T, b, MANY)])
    assert "Likely cause: your f is right for W of shape (n,) but fails for W of shape (n, k)" in text
    # a control case gives the evidence when the check's own cases all have the failing form
    text = split_message([(None, None, MANY)], controls=[(a, a, ONE)])
    assert "is right for W of shape (n,) but fails for W of shape (n, k)" in text
    # every form fails, or one form both passes and fails: nothing is pinned
    assert "Likely cause" not in split_message([(a + 1, a, ONE), (None, None, MANY)])
    assert "Likely cause" not in split_message([(a, a, ONE), (a + 1, a, ONE), (None, None, MANY)])


def test_a_split_names_nothing_when_two_axes_explain_it_or_an_edge_form_passes():
    a = np.array([1.0, 2.0])
    small, big = expect.Edge("X of shape (1, 1)"), "larger X"
    both = [(a, a, {"outputs": "one", "size": big}), (None, None, {"outputs": "k", "size": small})]
    assert "Likely cause" not in split_message(both)
    # an edge form (one sample) that passes while the rest fails pins nothing
    edge = [(a, a, {"size": small}), (a + 1, a, {"size": big}), (a + 2, a, {"size": big})]
    assert "Likely cause" not in split_message(edge)
    edge_fails = [(None, None, {"size": small}), (a, a, {"size": big}), (a, a, {"size": big})]
    assert "is right for larger X but fails for X of shape (1, 1): the contract's inputs include this edge form" in split_message(edge_fails)


def test_a_named_mistake_comes_before_the_split():
    a = np.array([1.0, 2.0])
    ctx = context()
    with pytest.raises(CheckFailed) as info:
        with expect.Cases(ctx) as cases:
            cases.run(expect.values, a, a, what="f", form=ONE)
            cases.run(expect.values, 2 * a, a, what="f", form=MANY, mistakes=[(2 * a, "the factor")])
    assert "Likely cause: the factor" in str(info.value) and "fails for" not in str(info.value)


# ---------------------------------------------------------------- training loops
XL = np.random.default_rng(1).normal(size=(10, 2))
YL = np.random.default_rng(2).integers(0, 3, size=10)


@pytest.mark.parametrize("deviation", ["extra_epoch", "loss_only", "confidence", "loss_running"])
def test_the_simulated_loop_family_names_its_deviation_and_not_the_contract(deviation):
    kwargs = {"num_classes": 3, "lr": 0.2, "epochs": 3, "batch_size": 4, "seed": 1}
    members = loops.family(loops.LAB3, ref3, "train_softmax_regression")
    got = loops.simulate(loops.LAB3, ref3, XL, YL, kwargs, deviation=deviation)
    from autograder.judging.checks import stored_form
    outputs = mistake_outputs(members, [XL, YL], kwargs)
    assert diagnosis.recognised(stored_form(got), outputs)[0] == loops.DEVIATIONS[deviation]
    correct = stored_form(ref3.train_softmax_regression(XL, YL, **kwargs))
    assert diagnosis.recognised(correct, outputs) == []


def test_a_trace_shows_a_loss_recorded_another_way_while_its_accuracy_is_right():
    kwargs = {"num_classes": 3, "lr": 0.2, "epochs": 3, "batch_size": 4, "seed": 1}
    trace = []
    m, T = len(YL), ref3.one_hot(YL, 3)
    W, b, history = np.zeros((2, 3)), np.zeros(3), []
    rng = np.random.default_rng(1)
    for _ in range(3):
        acc = float(np.mean(ref3.predict_classes(XL, W, b) == YL))
        order, losses = rng.permutation(m), []
        for i in range(0, m, 4):
            rows = order[i:i + 4]
            losses.append(ref3.cross_entropy_loss(T[rows], ref3.softmax(XL[rows] @ W + b)))
            trace.append({"name": "softmax_gradients", "args": [XL[rows], T[rows], W.copy(), b.copy()], "kwargs": {},
                          "answered": True})
            dW, db = ref3.softmax_gradients(XL[rows], T[rows], W, b)
            W, b = W - 0.2 * dW, b - 0.2 * db
        history.append((float(np.mean(losses)), acc))
    assert loops.diagnose_trace(loops.LAB3, ref3, XL, YL, kwargs, trace, (W, b, history)) == \
        [loops.DEVIATIONS["loss_running"]]


def test_an_exception_from_an_empty_batch_is_pinned_by_the_trace_and_no_other_is():
    empty = [{"name": "mse_gradients", "args": [np.zeros((4, 2)), np.zeros(4), np.zeros(2), 0.0], "kwargs": {},
              "answered": True},
             {"name": "mse_gradients", "args": [np.zeros((0, 2)), np.zeros(0), np.zeros(2), 0.0], "kwargs": {},
              "answered": True}]
    error = "RuntimeError: mse_gradients: ZeroDivisionError: float division by zero"
    assert "empty batch" in loops.diagnose_raised(empty, error)[0]
    assert loops.diagnose_raised(empty[:1], error) == []
    assert loops.diagnose_raised(empty, "ValueError: your own code failed") == []


def test_a_mistake_whose_output_is_the_expected_one_here_names_nothing():
    """A student a little off beyond a tight tolerance is not the mistake that, on these
    inputs, gives the expected output itself."""
    expected = np.array([1e-300, 0.5, 1.0])
    got = expected + np.array([1e-11, 0.0, 0.0])
    mistakes = [(expected.copy(), "a mistake that is right on these inputs")]
    text = diagnosis.difference(got, expected, what="f", show=False, mistakes=mistakes, atol=1e-12)
    assert text and "Likely cause" not in text


# ---------------------------------------------------------------- a typo, a precedence, a dropped weight, one part
def test_one_term_of_the_binary_cross_entropy_written_with_another_quantity_is_named():
    y, p = np.array([1.0, 0.0, 1.0, 0.0, 1.0]), np.array([0.8, 0.3, 0.6, 0.1, 0.45])
    second_log = named(2, "bce_loss", lambda y, p: float(-np.mean(y * np.log(p) + (1 - y) * np.log(p))), y, p)
    assert second_log == ["the second term's log is written ln(p_hat) instead of ln(1 - p_hat): the loss is "
                          "-mean(y ln(p_hat) + (1 - y) ln(1 - p_hat))"]
    assert named(2, "bce_loss", lambda y, p: float(-np.mean(y * np.log(p) + 1 - y * np.log(1 - p))), y, p) == \
        [message(2, "bce_loss", "operator precedence: 1 - y * np.log(1 - p_hat)")]
    assert not [m for m in named(2, "bce_loss", ref2.bce_loss, y, p) if "is written" in m or "precedence" in m]


def test_a_derivative_missing_its_parentheses_is_named_by_operator_precedence():
    y, p = np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.65, 0.4])
    assert named(2, "bce_dloss_dphat", lambda y, p: 1 - y / (1 - p) - y / p, y, p) == \
        [message(2, "bce_dloss_dphat", "operator precedence: 1 - y / (1 - p_hat)")]
    assert not [m for m in named(2, "bce_dloss_dphat", ref2.bce_dloss_dphat, y, p) if "precedence" in m]


def test_a_cross_entropy_that_keeps_only_the_entries_equal_to_1_is_named_on_soft_targets_only():
    Y, P = RNG.dirichlet(np.ones(3), size=4), RNG.dirichlet(np.ones(3), size=4)
    ones_only = lambda Y, P: float(-np.sum(np.log(P[Y == 1])) / len(Y))          # noqa: E731
    assert named(3, "cross_entropy_loss", ones_only, Y, P) == \
        [message(3, "cross_entropy_loss", "only the entries where Y is exactly 1 count")]
    hard = np.eye(3)[[0, 2, 1, 1]]                # one-hot targets: the same loss as the contract's
    assert message(3, "cross_entropy_loss", "only the entries") not in named(3, "cross_entropy_loss", ones_only, hard, P)


def test_a_sign_slip_in_one_part_of_a_gradient_names_that_part_only():
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    Xb = RNG.normal(size=(6, 3))

    def dW_flipped(X, y, W, b):
        dW, db = ref2.bce_gradients(X, y, W, b)
        return -dW, db
    assert named(2, "bce_gradients", dW_flipped, Xb, y, W, 0.3) == \
        [message(2, "bce_gradients", "dW's sign is flipped while db is right")]
    Y = np.eye(4)[[0, 1, 3, 2, 1, 0]]
    Wk, bk = RNG.normal(size=(3, 4)), RNG.normal(size=4)

    def db_flipped(X, Y, W, b):
        dW, db = ref3.softmax_gradients(X, Y, W, b)
        return dW, -db
    assert named(3, "softmax_gradients", db_flipped, Xb, Y, Wk, bk) == \
        [message(3, "softmax_gradients", "db's sign is flipped while dW is right")]


def test_a_step_without_the_learning_rate_on_one_parameter_names_that_parameter():
    Wv, dW = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    assert named(1, "gradient_descent_step", lambda W, b, dW, db, lr: (W - lr * dW, b - db), Wv, 0.4, dW, -0.2,
                 0.1) == [message(1, "gradient_descent_step", "the learning rate is left out of b's step")]


def test_an_inline_softmax_whose_row_sums_or_maxima_lose_their_axis_is_named_where_it_broadcasts():
    Xs, Ws, bs = RNG.normal(size=(4, 3)), RNG.normal(size=(3, 4)), RNG.normal(size=4)   # m == k: no error
    Y = np.eye(4)[[0, 1, 3, 2]]

    def sums_without_keepdims(X, Y, W, b):
        Z = X @ W + b
        e = np.exp(Z - Z.max(axis=1, keepdims=True))
        dZ = (e / e.sum(axis=1) - Y) / len(X)
        return X.T @ dZ, dZ.sum(axis=0)
    assert named(3, "softmax_gradients", sums_without_keepdims, Xs, Y, Ws, bs) == \
        [message(3, "softmax_gradients", "the softmax's row sums are divided without keepdims")]
