"""Lab 1 — from a straight line to a neuron: graded functions and public checks."""
import numpy as np

from ..checks import GradedFunction, Lab
from ..gradcheck import numeric_gradient
from . import common

LAB = Lab("lab1_linear_regression", "From a straight line to a neuron", [
    GradedFunction("predict", "predict(X, W, b)"),
    GradedFunction("mse_loss", "mse_loss(y, y_hat)"),
    GradedFunction("mse_gradients", "mse_gradients(X, y, W, b)", calls=("predict", "mse_loss")),
    GradedFunction("gradient_descent_step", "gradient_descent_step(W, b, dW, db, lr)"),
    GradedFunction("fit_linear_regression", "fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0)",
                   calls=("predict", "mse_loss", "mse_gradients", "gradient_descent_step")),
])
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


def _expect_case(ctx, key, what, **kw):
    return common.expect_case(ctx, LAB, key, what, **kw)


def _expect_pair_case(ctx, key, names, sizes=None):
    return common.expect_parts_case(ctx, LAB, key, names, sizes=sizes)


# ---------------------------------------------------------------- predict
@check("predict", "known_values")
def _(ctx):
    _expect_case(ctx, "predict.known_values", "predict(X, W, b) for a (5, 3) X and W of shape (3,)")


@check("predict", "several_outputs")
def _(ctx):
    _expect_case(ctx, "predict.several_outputs", "predict(X, W, b) for W of shape (3, 2) and b of shape (2,)")


@check("predict", "does_not_modify_inputs")
def _(ctx):
    common.expect_inputs_untouched(ctx, _X.copy(), _W.copy(), 0.25)


# ---------------------------------------------------------------- mse_loss
@check("mse_loss", "known_values")
def _(ctx):
    _expect_case(ctx, "mse_loss.known_values", "mse_loss(y, y_hat)", sizes={"m": 5})


@check("mse_loss", "returns_a_number")
def _(ctx):
    common.expect_number(ctx, ctx.call(_y, _y + 1), "mse_loss(y, y_hat)")


@check("mse_loss", "zero_for_perfect_predictions")
def _(ctx):
    ctx.expect(ctx.call(_y, _y.copy()), 0.0, what="mse_loss(y, y) (perfect predictions)")


@check("mse_loss", "several_outputs")
def _(ctx):
    _expect_case(ctx, "mse_loss.several_outputs", "mse_loss over a (5, 2) y (mean over all 10 entries)",
                 sizes={"m": 5, "k": 2, "m*k": 10})


# ---------------------------------------------------------------- mse_gradients
@check("mse_gradients", "returns_shapes")
def _(ctx):
    got = ctx.call(_X, _y, _W, 0.25)
    common.expect_gradient_shapes(ctx, got, (3,), "W")
    common.expect_number(ctx, got[1], "db for a scalar b")
    got = ctx.call(_X, _Y2, _W2, _b2)
    common.expect_gradient_shapes(ctx, got, (3, 2), "W", b_shape=(2,), hint=": sum over the samples only")


@check("mse_gradients", "known_values")
def _(ctx):
    _expect_pair_case(ctx, "mse_gradients.known_values", ("dW", "db"), sizes={"m": 5})


@check("mse_gradients", "several_outputs")
def _(ctx):
    _expect_pair_case(ctx, "mse_gradients.several_outputs", ("dW for W of shape (3, 2)", "db"),
                      sizes={"m": 5, "k": 2, "m*k": 10})


@check("mse_gradients", "gradient_check")
def _(ctx):
    """Your analytic gradient against central differences of the loss."""
    loss, forward = ctx.other("mse_loss"), ctx.other("predict")
    got = ctx.call(_X, _y, _W, 0.25)
    common.expect_gradient_shapes(ctx, got, (3,), "W")
    common.expect_gradient(ctx, got[0], numeric_gradient(lambda W: loss(_y, forward(_X, W, 0.25)), _W), "dW")
    common.expect_gradient(ctx, got[1], numeric_gradient(lambda b: loss(_y, forward(_X, _W, b)), 0.25), "db")


@check("mse_gradients", "does_not_modify_inputs")
def _(ctx):
    common.expect_inputs_untouched(ctx, _X.copy(), _y.copy(), _W.copy(), 0.25)


# ---------------------------------------------------------------- gradient_descent_step
@check("gradient_descent_step", "known_values")
def _(ctx):
    _expect_pair_case(ctx, "gradient_descent_step.known_values", ("new W", "new b"))


@check("gradient_descent_step", "returns_new_objects")
def _(ctx):
    common.expect_inputs_untouched(ctx, _W.copy(), 0.25, np.array([0.2, -0.4, 1.0]), -0.5, 0.1)


@check("gradient_descent_step", "learning_rate_scales_the_step")
def _(ctx):
    W, dW = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    small = ctx.call(W, 0.0, dW, 1.0, 0.01)
    big = ctx.call(W, 0.0, dW, 1.0, 1.0)
    common.expect_parts(ctx, small, (W - 0.01 * dW, -0.01), ("W after a step with lr=0.01", "b"))
    common.expect_parts(ctx, big, (W - dW, -1.0), ("W after a step with lr=1", "b"))


# ---------------------------------------------------------------- fit_linear_regression
@check("fit_linear_regression", "returns_parameters_and_history")
def _(ctx):
    got = ctx.call(_XF, _yF, lr=0.1, epochs=3)
    common.expect_training_output(ctx, got, n=2, epochs=3, entry_size=None)


@check("fit_linear_regression", "starts_from_zero")
def _(ctx):
    got = ctx.call(_XF, _yF, lr=0.1, epochs=0)
    common.expect_training_output(ctx, got, n=2, epochs=0, entry_size=None)
    ctx.expect(got[0], np.zeros(2), what="W after 0 epochs")
    ctx.expect(got[1], 0.0, what="b after 0 epochs")


@check("fit_linear_regression", "full_batch_trajectory")
def _(ctx):
    common.expect_parts_case(ctx, LAB, "fit_linear_regression.full_batch", ("W", "b", "history"),
                             training={"n": 2, "epochs": 5, "entry_size": None})


@check("fit_linear_regression", "mini_batch_trajectory")
def _(ctx):
    """7 samples in batches of 3: two batches of 3, then one of 1, every epoch."""
    common.expect_parts_case(ctx, LAB, "fit_linear_regression.mini_batches", ("W", "b", "history"),
                             training={"n": 2, "epochs": 4, "entry_size": None})


@check("fit_linear_regression", "loss_decreases")
def _(ctx):
    got = ctx.call(_XF, _yF, lr=0.1, epochs=30)
    common.expect_training_output(ctx, got, n=2, epochs=30, entry_size=None)
    losses = common.plain(got[2]).astype(np.float64)
    if not losses[-1] < losses[0]:
        ctx.fail(f"the loss went from {losses[0]:.4f} to {losses[-1]:.4f} in 30 epochs: it should go down. "
                 "Check the sign of the update (W - lr * dW).")
