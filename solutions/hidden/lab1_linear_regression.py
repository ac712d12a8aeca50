"""Hidden checks of lab 1 (instructor only)."""

from autograder.gradcheck import numeric_gradient
from autograder.labs import common
from autograder.labs.lab1_linear_regression import LAB
from solutions.hidden.common import Cases, compare, compare_parts, compare_training

check = LAB.check
SHAPES = [(1, 1), (6, 3), (4, 4), (50, 2)]


def _problem(rng, m, n, k=None):
    X = rng.normal(size=(m, n))
    W = rng.normal(size=(n,) if k is None else (n, k))
    b = float(rng.normal()) if k is None else rng.normal(size=k)
    y = rng.normal(size=(m,) if k is None else (m, k))
    return X, y, W, b


@check("predict", "random_inputs", hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for (m, n), k in zip(SHAPES, (None, 2, 4, None)):
            X, _, W, b = _problem(ctx.rng, m, n, k)
            cases.run(compare, [X, W, b], what=f"predict for X of shape {(m, n)} and W of shape {W.shape}",
                      array=True)


@check("mse_loss", "random_inputs", hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for shape in [(1,), (9,), (7, 3)]:
            y, y_hat = ctx.rng.normal(size=shape), ctx.rng.normal(size=shape)
            cases.run(compare, [y, y_hat], what=f"mse_loss for y of shape {shape}", sizes={"m": shape[0]})


@check("mse_gradients", "random_inputs", points=2, hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for (m, n), k in zip(SHAPES, (None, 3, None, 2)):
            X, y, W, b = _problem(ctx.rng, m, n, k)
            cases.run(compare_parts, [X, y, W, b], names=(f"dW for W of shape {W.shape} and {m} samples", "db"),
                      sizes={"m": m})


@check("mse_gradients", "gradient_check_against_reference_loss", hidden=True)
def _(ctx):
    ref = ctx.reference
    for k in (None, 2):
        X, y, W, b = _problem(ctx.rng, 8, 3, k)
        got = ctx.call(X, y, W, b)
        common.expect_gradient_shapes(ctx, got, W.shape, "W")
        common.expect_gradient(ctx, got[0], numeric_gradient(lambda w: ref.mse_loss(y, ref.predict(X, w, b)), W), "dW")
        common.expect_gradient(ctx, got[1], numeric_gradient(lambda c: ref.mse_loss(y, ref.predict(X, W, c)), b), "db")


@check("gradient_descent_step", "random_inputs", hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for shape, lr in [((3,), 0.3), ((4, 2), 0.01), ((1,), 2.0)]:
            W, dW = ctx.rng.normal(size=shape), ctx.rng.normal(size=shape)
            b, db = (float(ctx.rng.normal()), float(ctx.rng.normal())) if len(shape) == 1 else \
                (ctx.rng.normal(size=shape[1]), ctx.rng.normal(size=shape[1]))
            cases.run(compare_parts, [W, b, dW, db, lr], names=(f"new W (shape {shape}, lr={lr})", "new b"))


def _data(rng, m, n):
    X = rng.normal(size=(m, n))
    y = X @ rng.normal(size=n) + rng.normal() + 0.1 * rng.normal(size=m)
    return X, y


@check("fit_linear_regression", "matches_reference_full_batch", hidden=True)
def _(ctx):
    X, y = _data(ctx.rng, 20, 3)
    compare_training(ctx, [X, y], {"lr": 0.05, "epochs": 6}, n=3, entry_size=None)


@check("fit_linear_regression", "matches_reference_mini_batches", points=2, hidden=True)
def _(ctx):
    X, y = _data(ctx.rng, 10, 2)
    with Cases(ctx) as cases:
        for batch_size, seed in ((1, 3), (4, 0), (10, 7)):      # SGD, a size that does not divide m, one batch
            cases.run(compare_training, [X, y], {"lr": 0.03, "epochs": 3, "batch_size": batch_size, "seed": seed},
                      n=2, entry_size=None, label=f" (batch_size={batch_size})")


@check("fit_linear_regression", "learning_rate_and_seed_honored", hidden=True)
def _(ctx):
    X, y = _data(ctx.rng, 9, 2)
    with Cases(ctx) as cases:
        for kwargs in ({"lr": 0.2, "epochs": 3, "batch_size": 2, "seed": 11},
                       {"lr": 0.001, "epochs": 2, "batch_size": 5}):
            cases.run(compare_training, [X, y], kwargs, n=2, entry_size=None, label=f" (lr={kwargs['lr']})")
