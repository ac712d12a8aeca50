"""Lab 1 — from a straight line to a neuron: graded functions and public checks."""
import numpy as np

from ..judging import expect
from ..judging.checks import Lab
from ..judging.gradcheck import numeric_gradient
from .contract import a, batches, divides, linear, scalar, targets_fit
from .spec import Form, FunctionSpec, LabSpec, Property

SPEC = LabSpec("lab1_linear_regression", "From a straight line to a neuron", (
    FunctionSpec(
        "predict", "predict(X, W, b)", returns="(m,) for W (n,), (m, k) for W (n, k)",
        inside=lambda x, kw: linear(*x),
        forms=(Form("W (n,) and a scalar b", lambda x, kw: a(x[1]).ndim == 1 and scalar(x[2]),
                    "W: (n,) weights for one output"),
               Form("W (n, k) and b (k,)", lambda x, kw: a(x[1]).ndim == 2 and a(x[2]).ndim == 1,
                    "or an array of shape (k,) for k outputs"))),
    FunctionSpec(
        "mse_loss", "mse_loss(y, y_hat)", returns="float",
        inside=lambda x, kw: a(x[0]).shape == a(x[1]).shape and a(x[0]).ndim in (1, 2),
        forms=(Form("(m,) targets", lambda x, kw: a(x[0]).ndim == 1, "y: the true values, shape (m,) or (m, k)"),
               Form("(m, k) targets", lambda x, kw: a(x[0]).ndim == 2, "y: the true values, shape (m,) or (m, k)"))),
    FunctionSpec(
        "mse_gradients", "mse_gradients(X, y, W, b)", calls=("predict", "mse_loss"), plausible=("mse_loss",),
        returns="(dW, db)",
        inside=lambda x, kw: linear(x[0], x[2], x[3]) and targets_fit(x[0], x[1], x[2]),
        forms=(Form("(m,) y, W (n,), float b", lambda x, kw: a(x[2]).ndim == 1 and scalar(x[3]),
                    "y: (m,) true values when W is (n,)"),
               Form("(m, k) y, W (n, k), b (k,)", lambda x, kw: a(x[2]).ndim == 2 and a(x[3]).ndim == 1,
                    "(m, k) when W is (n, k)"))),
    FunctionSpec(
        "gradient_descent_step", "gradient_descent_step(W, b, dW, db, lr)", returns="(new_W, new_b)",
        inside=lambda x, kw: a(x[0]).shape == a(x[2]).shape and np.shape(x[1]) == np.shape(x[3]),
        forms=(Form("W (n,), float b", lambda x, kw: a(x[0]).ndim == 1 and scalar(x[1]),
                    "dW, db: their gradients (same shapes)"),
               Form("W (n, k), b (k,)", lambda x, kw: a(x[0]).ndim == 2 and a(x[1]).ndim == 1,
                    "dW, db: their gradients (same shapes)")),
        properties=(Property("new objects, W and b unchanged", "Return **new** arrays: do not modify `W` or `b` "
                             "in place", "step_in_place"),)),
    FunctionSpec(
        "fit_linear_regression", "fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0)",
        calls=("predict", "mse_loss", "mse_gradients", "gradient_descent_step"), returns="(W, b, history)",
        inside=lambda x, kw: a(x[0]).ndim == 2 and a(x[1]).shape[0] == a(x[0]).shape[0]
        and a(x[1]).ndim in (1, 2) and batches(x[0], x[1], kw),
        forms=(Form("full batch", lambda x, kw: kw.get("batch_size") is None,
                    "batch_size: None for full-batch gradient descent (one step per epoch)"),
               Form("a batch_size that divides m", lambda x, kw: divides(kw, x[0], True),
                    "otherwise the number of samples per step (1 gives plain SGD)"),
               Form("a batch_size that does not divide m", lambda x, kw: divides(kw, x[0], False),
                    "(the last batch may be smaller)"),
               Form("(m, k) targets", lambda x, kw: a(x[1]).ndim == 2, "y: (m,) targets, or (m, k) for k outputs"))),
))
LAB = Lab.from_spec(SPEC)
check = LAB.check

_X = np.array([[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [3.0, 0.0, 1.0], [-2.0, 1.0, 0.5], [0.0, 0.7, -0.3]])
_W = np.array([0.5, -1.0, 2.0])
_W2 = np.array([[0.5, 1.0], [-1.0, 0.0], [2.0, -0.5]])
_b2 = np.array([0.3, -0.7])
_y = np.array([1.0, -2.0, 4.0, 0.5, 1.5])
_Y2 = np.array([[1.0, 0.0], [-2.0, 1.0], [4.0, 2.0], [0.5, -1.0], [1.5, 0.5]])
_XF = np.array([[0.1, 1.0], [1.2, -0.4], [-0.7, 0.3], [0.9, 0.8], [-1.1, -0.6], [0.4, -1.3], [1.5, 0.2]])
_yF = _XF @ np.array([1.5, -2.0]) + 0.5 + np.array([0.1, -0.2, 0.05, 0.0, 0.15, -0.1, 0.02])

CASES = {
    "predict.known_values": ("predict", [_X, _W, 0.25], {}),
    "predict.several_outputs": ("predict", [_X, _W2, _b2], {}),
    "mse_loss.known_values": ("mse_loss", [_y, np.array([1.5, -1.0, 3.0, 0.5, 2.5])], {}),
    "mse_loss.several_outputs": ("mse_loss", [_Y2, _Y2 + np.array([[0.5, -1.0]])], {}),
    "mse_gradients.known_values": ("mse_gradients", [_X, _y, _W, 0.25], {}),
    "mse_gradients.several_outputs": ("mse_gradients", [_X, _Y2, _W2, _b2], {}),
    "gradient_descent_step.known_values": ("gradient_descent_step",
                                           [_W, 0.25, np.array([0.2, -0.4, 1.0]), -0.5, 0.1], {}),
    "fit_linear_regression.full_batch": ("fit_linear_regression", [_XF, _yF], {"lr": 0.1, "epochs": 5}),
    "fit_linear_regression.mini_batches": ("fit_linear_regression", [_XF, _yF],
                                           {"lr": 0.05, "epochs": 4, "batch_size": 3, "seed": 2}),
}


# ---------------------------------------------------------------- predict
@check("predict")
def check_predict_known_values(ctx):
    expect.stored(ctx, "predict.known_values", "predict(X, W, b) for a (5, 3) X and W of shape (3,)")


@check("predict")
def check_predict_several_outputs(ctx):
    expect.stored(ctx, "predict.several_outputs", "predict(X, W, b) for W of shape (3, 2) and b of shape (2,)")


@check("predict")
def check_predict_does_not_modify_inputs(ctx):
    expect.untouched(ctx, _X.copy(), _W.copy(), 0.25)


# ---------------------------------------------------------------- mse_loss
@check("mse_loss")
def check_mse_loss_known_values(ctx):
    expect.stored(ctx, "mse_loss.known_values", "mse_loss(y, y_hat)", sizes={"m": 5})


@check("mse_loss")
def check_mse_loss_returns_a_number(ctx):
    expect.number(ctx, ctx.call(_y, _y + 1), "mse_loss(y, y_hat)")


@check("mse_loss")
def check_mse_loss_zero_for_perfect_predictions(ctx):
    expect.values(ctx, ctx.call(_y, _y.copy()), 0.0, what="mse_loss(y, y) (perfect predictions)")


@check("mse_loss")
def check_mse_loss_several_outputs(ctx):
    expect.stored(ctx, "mse_loss.several_outputs", "mse_loss over a (5, 2) y (mean over all 10 entries)",
                  sizes={"m": 5, "k": 2, "m*k": 10})


# ---------------------------------------------------------------- mse_gradients
@check("mse_gradients")
def check_mse_gradients_returns_shapes(ctx):
    got = ctx.call(_X, _y, _W, 0.25)
    expect.gradient_shapes(ctx, got, (3,), "W")
    expect.number(ctx, got[1], "db for a scalar b")
    got = ctx.call(_X, _Y2, _W2, _b2)
    expect.gradient_shapes(ctx, got, (3, 2), "W", b_shape=(2,), hint=": sum over the samples only")


@check("mse_gradients")
def check_mse_gradients_known_values(ctx):
    expect.stored(ctx, "mse_gradients.known_values", parts=("dW", "db"), sizes={"m": 5})


@check("mse_gradients")
def check_mse_gradients_several_outputs(ctx):
    expect.stored(ctx, "mse_gradients.several_outputs", parts=("dW for W of shape (3, 2)", "db"),
                  sizes={"m": 5, "k": 2, "m*k": 10})


@check("mse_gradients")
def check_mse_gradients_gradient_check(ctx):
    """Your analytic gradient against central differences of the loss."""
    loss, forward = expect.loss_of(ctx, "mse_loss"), ctx.other("predict")
    got = ctx.call(_X, _y, _W, 0.25)
    expect.gradient_shapes(ctx, got, (3,), "W")
    expect.gradient(ctx, got[0], numeric_gradient(lambda W: loss(_y, forward(_X, W, 0.25)), _W), "dW")
    expect.gradient(ctx, got[1], numeric_gradient(lambda b: loss(_y, forward(_X, _W, b)), 0.25), "db")


@check("mse_gradients")
def check_mse_gradients_does_not_modify_inputs(ctx):
    expect.untouched(ctx, _X.copy(), _y.copy(), _W.copy(), 0.25)


# ---------------------------------------------------------------- gradient_descent_step
@check("gradient_descent_step")
def check_gradient_descent_step_known_values(ctx):
    expect.stored(ctx, "gradient_descent_step.known_values", parts=("new W", "new b"))


@check("gradient_descent_step")
def check_gradient_descent_step_returns_new_objects(ctx):
    expect.untouched(ctx, _W.copy(), 0.25, np.array([0.2, -0.4, 1.0]), -0.5, 0.1)


@check("gradient_descent_step")
def check_gradient_descent_step_learning_rate_scales_the_step(ctx):
    W, dW = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    small = ctx.call(W, 0.0, dW, 1.0, 0.01)
    big = ctx.call(W, 0.0, dW, 1.0, 1.0)
    expect.parts(ctx, small, (W - 0.01 * dW, -0.01), ("W after a step with lr=0.01", "b"))
    expect.parts(ctx, big, (W - dW, -1.0), ("W after a step with lr=1", "b"))


# ---------------------------------------------------------------- fit_linear_regression
@check("fit_linear_regression")
def check_fit_linear_regression_returns_parameters_and_history(ctx):
    got = ctx.call(_XF, _yF, lr=0.1, epochs=3)
    expect.training_output(ctx, got, n=2, epochs=3, entry_size=None)


@check("fit_linear_regression")
def check_fit_linear_regression_starts_from_zero(ctx):
    got = ctx.call(_XF, _yF, lr=0.1, epochs=0)
    expect.training_output(ctx, got, n=2, epochs=0, entry_size=None)
    expect.values(ctx, got[0], np.zeros(2), what="W after 0 epochs")
    expect.values(ctx, got[1], 0.0, what="b after 0 epochs")


@check("fit_linear_regression")
def check_fit_linear_regression_full_batch_trajectory(ctx):
    expect.stored(ctx, "fit_linear_regression.full_batch", parts=("W", "b", "history"),
                  training={"n": 2, "epochs": 5, "entry_size": None})


@check("fit_linear_regression")
def check_fit_linear_regression_mini_batch_trajectory(ctx):
    """7 samples in batches of 3: two batches of 3, then one of 1, every epoch."""
    expect.stored(ctx, "fit_linear_regression.mini_batches", parts=("W", "b", "history"),
                  training={"n": 2, "epochs": 4, "entry_size": None})


@check("fit_linear_regression")
def check_fit_linear_regression_loss_decreases(ctx):
    got = ctx.call(_XF, _yF, lr=0.1, epochs=12)
    expect.training_output(ctx, got, n=2, epochs=12, entry_size=None)
    expect.decreasing_loss(ctx, got, epochs=12, pairs=False)
