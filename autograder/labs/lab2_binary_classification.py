"""Lab 2 — from regression to a classifier: graded functions and public checks.

Fixed inputs live in `CASES` below; their expected outputs (and the outputs of known
mistakes on them) are stored as data in ``data/lab2_binary_classification.json``.
"""
import numpy as np

from ..judging import expect
from ..judging.checks import Lab
from ..judging.gradcheck import numeric_gradient
from .contract import a, big, labels01, linear
from .spec import Form, FunctionSpec, LabSpec, Property

NO_OVERFLOW = "no `nan`, no overflow"
SPEC = LabSpec("lab2_binary_classification", "From regression to a classifier", (
    FunctionSpec(
        "sigmoid", "sigmoid(z)", returns="z's shape (a float for a number)",
        inside=lambda x, kw: np.all(np.abs(a(x[0])) <= 1000),
        forms=(Form("a Python number", lambda x, kw: isinstance(x[0], (int, float)), "for a number or an array of any shape"),
               Form("a 1-D array", lambda x, kw: a(x[0]).ndim == 1, "for a number or an array of any shape"),
               Form("an array of 2 or more axes", lambda x, kw: a(x[0]).ndim >= 2, "for a number or an array of any shape"),
               Form("integer entries", lambda x, kw: a(x[0]).dtype.kind in "iu", "z: a number or a numpy array of any "
                    "shape, integers included"),
               Form("entries as large as ±1000", lambda x, kw: big(x[0], 700), "for every $z$ in $[-1000, 1000]$")),
        properties=(Property("no overflow", NO_OVERFLOW, "sigmoid_textbook"),)),
    FunctionSpec(
        "bce_loss", "bce_loss(y, p_hat)", returns="float",
        inside=lambda x, kw: labels01(x[0]) and np.all((a(x[1]) > 0) & (a(x[1]) < 1)),
        forms=(Form("one sample", lambda x, kw: np.size(x[0]) == 1, "y: (m,) true labels, each 0 or 1"),
               Form("many samples (the product of the likelihoods underflows)", lambda x, kw: np.size(x[0]) >= 2000,
                    "y: (m,) true labels, each 0 or 1"))),
    FunctionSpec(
        "bce_dloss_dphat", "bce_dloss_dphat(y, p_hat)", returns="the inputs' shape",
        inside=lambda x, kw: labels01(x[0]) and np.all((a(x[1]) > 0) & (a(x[1]) < 1)),
        forms=(Form("(m,) arrays", lambda x, kw: a(x[0]).ndim == 1, "labels (0 or 1), a number or an array"),)),
    FunctionSpec(
        "sigmoid_derivative", "sigmoid_derivative(p_hat)", returns="p_hat's shape",
        inside=lambda x, kw: np.all((a(x[0]) >= 0) & (a(x[0]) <= 1)),
        forms=(Form("(m,) probabilities", lambda x, kw: a(x[0]).ndim == 1, "a number or an array of sigmoid outputs"),
               Form("probabilities of 2 axes", lambda x, kw: a(x[0]).ndim == 2,
                    "a number or an array of sigmoid outputs"))),
    FunctionSpec(
        "bce_gradients", "bce_gradients(X, y, W, b)", calls=("sigmoid",), returns="(dW (n,), db float)",
        inside=lambda x, kw: linear(x[0], x[2], x[3]) and a(x[2]).ndim == 1 and labels01(x[1]),
        forms=(Form("one sample", lambda x, kw: a(x[0]).shape[0] == 1, "X: (m, n) features, one row per sample"),
               Form("many samples", lambda x, kw: a(x[0]).shape[0] >= 20, "X: (m, n) features, one row per sample"),
               Form("saturated scores (beyond ±700)", lambda x, kw: big(a(x[0]) @ a(x[2]) + x[3], 700),
                    "when $\\hat p$ gets very close to 0 or 1"))),
    FunctionSpec(
        "predict_proba", "predict_proba(X, W, b)", calls=("sigmoid",), returns="(m,) probabilities",
        inside=lambda x, kw: linear(*x[:3]) and a(x[1]).ndim == 1,
        forms=(Form("scores beyond ±709", lambda x, kw: big(a(x[0]) @ a(x[1]) + x[2], 709), NO_OVERFLOW),)),
    FunctionSpec(
        "predict", "predict(X, W, b, threshold=0.5)", calls=("sigmoid", "predict_proba"), plausible=("sigmoid",),
        returns="(m,) integer labels",
        inside=lambda x, kw: linear(*x[:3]) and a(x[1]).ndim == 1,
        forms=(Form("the default threshold", lambda x, kw: "threshold" not in kw and len(x) == 3,
                    "`predict(X, W, b, threshold=0.5)`"),
               Form("another threshold", lambda x, kw: kw.get("threshold", 0.5) != 0.5,
                    "a sample is labelled 1 when its probability is strictly above it")),
        properties=(Property("a probability equal to the threshold is class 0", "**1 where $\\hat p$ > threshold**",
                             "predict_ge"),)),
    FunctionSpec(
        "accuracy", "accuracy(y_true, y_pred)", returns="float in [0, 1]",
        inside=lambda x, kw: a(x[0]).shape == a(x[1]).shape and np.size(x[0]) > 0,
        forms=(Form("one label", lambda x, kw: np.size(x[0]) == 1, "y_true: (m,) true labels"),
               Form("many labels", lambda x, kw: np.size(x[0]) > 1, "y_true: (m,) true labels"))),
    FunctionSpec(
        "train_logistic_regression", "train_logistic_regression(X, y, *, lr, epochs, seed=0)",
        calls=("sigmoid", "bce_loss", "bce_gradients", "predict_proba", "predict", "accuracy"),
        plausible=("sigmoid", "predict"), returns="(W, b, history)",
        inside=lambda x, kw: a(x[0]).ndim == 2 and labels01(x[1]),
        forms=(Form("a seed", lambda x, kw: "seed" in kw, "seed: for the start values"),
               Form("no seed", lambda x, kw: "seed" not in kw, "seed=0"))),
))
LAB = Lab.from_spec(SPEC)
check = LAB.check

_X = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.8, 2.2, 0.1], [0.0, -0.4, 1.1]])
_y = np.array([1.0, 0.0, 1.0, 0.0])
_W = np.array([0.4, -0.3, 0.8])
_P = np.array([0.9, 0.2, 0.65, 0.4])
_XT = np.array([[0.2, 1.0], [1.1, -0.3], [-1.2, 0.4], [0.9, 1.4], [-0.5, -1.1], [1.6, 0.2]])
_yT = np.array([1.0, 1.0, 0.0, 1.0, 0.0, 1.0])

# Public fixed inputs: key -> (function, args, kwargs).
CASES = {
    "sigmoid.known_values": ("sigmoid", [np.array([-4.0, -1.0, 0.0, 0.5, 2.0, 6.0])], {}),
    "sigmoid.large_inputs": ("sigmoid", [np.array([-1000.0, -700.0, -50.0, 0.0, 50.0, 700.0, 1000.0])], {}),
    "bce_loss.known_values": ("bce_loss", [_y, _P], {}),
    "bce_dloss_dphat.known_values": ("bce_dloss_dphat", [_y, _P], {}),
    "sigmoid_derivative.known_values": ("sigmoid_derivative", [np.array([0.1, 0.5, 0.75, 0.99])], {}),
    "bce_gradients.known_values": ("bce_gradients", [_X, _y, _W, 0.2], {}),
    "predict_proba.known_values": ("predict_proba", [_X, _W, 0.2], {}),
    "predict.known_values": ("predict", [_X, _W, 0.2], {}),
    "predict.custom_threshold": ("predict", [_X, _W, 0.2], {"threshold": 0.7}),
    "accuracy.known_values": ("accuracy", [np.array([1, 0, 1, 1, 0]), np.array([1, 1, 1, 0, 0])], {}),
    "train_logistic_regression.known_trajectory": (
        "train_logistic_regression", [_XT, _yT], {"lr": 0.5, "epochs": 6, "seed": 1}),
}


# ---------------------------------------------------------------- sigmoid
@check("sigmoid")
def check_sigmoid_known_values(ctx):
    expect.stored(ctx, "sigmoid.known_values", "sigmoid(z) for z = [-4, -1, 0, 0.5, 2, 6]")


@check("sigmoid")
def check_sigmoid_keeps_input_shape(ctx):
    expect.number(ctx, ctx.call(0.0), "sigmoid(0.0)")
    expect.values(ctx, ctx.call(0.0), 0.5, what="sigmoid(0.0)")
    z = np.linspace(-3, 3, 6).reshape(2, 3)
    got = expect.as_array(ctx, ctx.call(z), "sigmoid of a (2, 3) array")
    if got.shape != (2, 3):
        ctx.fail(f"sigmoid of a (2, 3) array should have shape (2, 3), yours has shape {got.shape}: "
                 "apply the function elementwise and keep the input's shape.")


@check("sigmoid")
def check_sigmoid_symmetric_and_increasing(ctx):
    z = np.linspace(-8, 8, 33)
    s = expect.as_array(ctx, ctx.call(z), "sigmoid(z)")
    s_neg = expect.as_array(ctx, ctx.call(-z), "sigmoid(-z)")
    expect.values(ctx, s_neg, 1 - s, what="sigmoid(-z), which must equal 1 - sigmoid(z),")
    if s.shape != z.shape or not np.all(np.diff(s) > 0):
        ctx.fail("sigmoid must increase strictly with z; yours does not on z = linspace(-8, 8, 33).")


@check("sigmoid")
def check_sigmoid_stable_for_large_inputs(ctx):
    expect.stored(ctx, "sigmoid.large_inputs", "sigmoid(z) for z = [-1000, -700, -50, 0, 50, 700, 1000]",
                  atol=1e-12)
    expect.quiet_call(ctx, ctx.lab.case("sigmoid.large_inputs").args,
                      "sigmoid(z) for z = [-1000, -700, -50, 0, 50, 700, 1000]",
                      "np.exp overflows for z far from 0 (the notebook asks for no overflow): use a formula "
                      "on each side of zero so that np.exp only sees numbers <= 0, e.g. np.exp(-np.abs(z))")


@check("sigmoid")
def check_sigmoid_does_not_modify_input(ctx):
    expect.untouched(ctx, np.array([-2.0, 0.0, 3.0]))


# ---------------------------------------------------------------- bce_loss
@check("bce_loss")
def check_bce_loss_known_values(ctx):
    expect.stored(ctx, "bce_loss.known_values", "bce_loss(y, p_hat)", sizes={"m": 4})


@check("bce_loss")
def check_bce_loss_returns_a_number(ctx):
    expect.number(ctx, ctx.call(_y, _P), "bce_loss(y, p_hat)")


@check("bce_loss")
def check_bce_loss_confused_classifier_gives_ln2(ctx):
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    got = ctx.call(y, np.full(5, 0.5))
    expect.values(ctx, got, np.log(2), what="the loss of a classifier that always says p_hat = 0.5",
                  sizes={"m": 5})


# ---------------------------------------------------------------- bce_dloss_dphat
@check("bce_dloss_dphat")
def check_bce_dloss_dphat_known_values(ctx):
    expect.stored(ctx, "bce_dloss_dphat.known_values", "bce_dloss_dphat(y, p_hat)")


@check("bce_dloss_dphat")
def check_bce_dloss_dphat_matches_numeric_derivative(ctx):
    """Numeric check against one sample's loss (your bce_loss, or the reference when grading)."""
    loss = ctx.other("bce_loss")
    got = expect.as_array(ctx, ctx.call(_y, _P), "bce_dloss_dphat(y, p_hat)")
    numeric = np.array([numeric_gradient(lambda p: loss(np.array([y_i]), np.array([p])), p_i)
                        for y_i, p_i in zip(_y, _P)])
    expect.gradient(ctx, got, numeric, "dL/dp_hat")


# ---------------------------------------------------------------- sigmoid_derivative
@check("sigmoid_derivative")
def check_sigmoid_derivative_known_values(ctx):
    expect.stored(ctx, "sigmoid_derivative.known_values", "sigmoid_derivative(p_hat)")


@check("sigmoid_derivative")
def check_sigmoid_derivative_matches_numeric_derivative(ctx):
    sig = ctx.other("sigmoid")
    z = np.array([-3.0, -0.5, 0.0, 1.2, 4.0])
    p = np.asarray(sig(z), dtype=np.float64)
    got = expect.as_array(ctx, ctx.call(p), "sigmoid_derivative(sigmoid(z))")
    numeric = np.array([numeric_gradient(lambda t: sig(np.array([t]))[0], zi) for zi in z])
    expect.gradient(ctx, got, numeric, "dp_hat/dz")


@check("sigmoid_derivative")
def check_sigmoid_derivative_peaks_at_one_half(ctx):
    expect.values(ctx, ctx.call(np.array([0.5])), np.array([0.25]), what="sigmoid_derivative at p_hat = 0.5")


# ---------------------------------------------------------------- bce_gradients
@check("bce_gradients")
def check_bce_gradients_returns_shapes(ctx):
    expect.gradient_shapes(ctx, ctx.call(_X, _y, _W, 0.2), (3,), "W")


@check("bce_gradients")
def check_bce_gradients_known_values(ctx):
    expect.stored(ctx, "bce_gradients.known_values", parts=("dW", "db"), sizes={"m": 4})


@check("bce_gradients")
def check_bce_gradients_gradient_check(ctx):
    """Your analytic gradient against central differences of the loss."""
    loss, sig = expect.loss_of(ctx, "bce_loss"), ctx.other("sigmoid")
    got = ctx.call(_X, _y, _W, 0.2)
    expect.gradient_shapes(ctx, got, (3,), "W")
    numeric_dW = numeric_gradient(lambda W: loss(_y, sig(_X @ W + 0.2)), _W)
    numeric_db = numeric_gradient(lambda b: loss(_y, sig(_X @ _W + b)), 0.2)
    expect.gradient(ctx, got[0], numeric_dW, "dW")
    expect.gradient(ctx, got[1], numeric_db, "db")


@check("bce_gradients")
def check_bce_gradients_does_not_modify_inputs(ctx):
    expect.untouched(ctx, _X.copy(), _y.copy(), _W.copy(), 0.2)


# ---------------------------------------------------------------- predict_proba
@check("predict_proba")
def check_predict_proba_known_values(ctx):
    expect.stored(ctx, "predict_proba.known_values", "predict_proba(X, W, b)")


@check("predict_proba")
def check_predict_proba_probabilities_in_range(ctx):
    got = expect.as_array(ctx, ctx.call(_X * 300, _W, 0.2), "predict_proba of large scores")
    if got.shape != (4,) or not np.all(np.isfinite(got)) or np.any((got < 0) | (got > 1)):
        ctx.fail(f"predict_proba must return 4 finite probabilities in [0, 1] for 4 samples; yours returned "
                 f"{expect.short(got)} with shape {got.shape}.")


# ---------------------------------------------------------------- predict
@check("predict")
def check_predict_known_values(ctx):
    expect.stored(ctx, "predict.known_values", "predict(X, W, b)")


@check("predict")
def check_predict_uses_threshold(ctx):
    expect.stored(ctx, "predict.custom_threshold", "predict(X, W, b, threshold=0.7)")


@check("predict")
def check_predict_a_probability_equal_to_the_threshold_is_0(ctx):
    X, W = np.array([[0.0, 0.0], [2.0, 1.0], [-1.0, 0.0], [0.0, 0.0]]), np.array([1.0, 0.5])
    got = ctx.call(X, W, 0.0)           # scores 0, 2.5, -1, 0: probabilities 0.5, 0.92, 0.27, 0.5
    expect.values(ctx, got, np.array([0, 1, 0, 0]), what="predict(X, W, b) where two probabilities are exactly 0.5",
                  mistakes=[(np.array([1, 1, 0, 1]), "p_hat >= threshold counts a probability equal to the "
                                                     "threshold as class 1: the label is 1 only where p_hat > threshold")])


@check("predict")
def check_predict_integer_labels(ctx):
    got = expect.as_array(ctx, ctx.call(_X, _W, 0.2), "predict(X, W, b)")
    if got.dtype.kind not in "iu":
        expect.wrong_type(ctx, got, ctx.lab.case("predict.known_values").expected,
                          f"predict must return integer labels 0/1, but yours has dtype {got.dtype}: "
                          "convert with .astype(int).", "an integer dtype")


# ---------------------------------------------------------------- accuracy
@check("accuracy")
def check_accuracy_known_values(ctx):
    expect.stored(ctx, "accuracy.known_values", "accuracy(y_true, y_pred)", sizes={"m": 5})


@check("accuracy")
def check_accuracy_returns_a_number(ctx):
    got = ctx.call(np.array([0, 1, 1]), np.array([0, 1, 0]))
    expect.number(ctx, got, "accuracy(y_true, y_pred)")
    expect.values(ctx, got, 2 / 3, what="accuracy([0, 1, 1], [0, 1, 0])", sizes={"m": 3})


# ---------------------------------------------------------------- train_logistic_regression
@check("train_logistic_regression")
def check_train_logistic_regression_returns_parameters_and_history(ctx):
    got = ctx.call(_XT, _yT, lr=0.1, epochs=4, seed=0)
    expect.training_output(ctx, got, n=2, epochs=4, entry_size=2)


@check("train_logistic_regression")
def check_train_logistic_regression_starts_from_seeded_random(ctx):
    got = ctx.call(_XT, _yT, lr=0.1, epochs=0, seed=3)
    expect.training_output(ctx, got, n=2, epochs=0, entry_size=2)
    rng = np.random.default_rng(3)
    W0 = rng.random(2) - 0.5
    b0 = rng.random() - 0.5
    expect.values(ctx, got[0], W0, what="W after 0 epochs with seed=3 (rng.random(n) - 0.5)")
    expect.values(ctx, got[1], b0, what="b after 0 epochs with seed=3 (rng.random() - 0.5, drawn after W)")


@check("train_logistic_regression")
def check_train_logistic_regression_known_trajectory(ctx):
    expect.stored(ctx, "train_logistic_regression.known_trajectory", parts=("W", "b", "history"),
                  training={"n": 2, "epochs": 6, "entry_size": 2})


@check("train_logistic_regression")
def check_train_logistic_regression_loss_decreases(ctx):
    got = ctx.call(_XT, _yT, lr=0.5, epochs=12, seed=0)
    expect.training_output(ctx, got, n=2, epochs=12, entry_size=2)
    expect.decreasing_loss(ctx, got, epochs=12, pairs=True)
