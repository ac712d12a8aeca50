"""Hidden checks of lab 1 (instructor only)."""
from autograder.judging import expect
from autograder.judging.gradcheck import numeric_gradient
from autograder.labs.lab1_linear_regression import LAB

from solutions import loops

CHECKS = LAB.hidden_checks()
TRACE = loops.tracer(loops.LAB1)      # names what a loop that calls the graded gradient did
check = CHECKS.check
SHAPES = [(1, 1), (6, 3), (4, 4), (50, 2)]


def _form(m, n, k):
    """The input forms of a case, for the evidence of `expect.Cases`."""
    return {"outputs": "one output (W of shape (n,))" if k is None else "k outputs (W of shape (n, k))",
            "size": expect.Edge("X of shape (1, 1)") if (m, n) == (1, 1) else "X with several rows and columns"}


def _problem(rng, m, n, k=None):
    X = rng.normal(size=(m, n))
    W = rng.normal(size=(n,) if k is None else (n, k))
    b = float(rng.normal()) if k is None else rng.normal(size=k)
    y = rng.normal(size=(m,) if k is None else (m, k))
    return X, y, W, b


@check("predict")
def check_predict_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for (m, n), k in zip(SHAPES, (None, 2, 4, None)):
            X, _, W, b = _problem(ctx.rng, m, n, k)
            cases.run(expect.reference, [X, W, b], what=f"predict for X of shape {(m, n)} and W of shape {W.shape}",
                      array=True, form=_form(m, n, k))


@check("mse_loss")
def check_mse_loss_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for shape in [(1,), (9,), (7, 3), (4, 2)]:
            y, y_hat = ctx.rng.normal(size=shape), ctx.rng.normal(size=shape)
            cases.run(expect.reference, [y, y_hat], what=f"mse_loss for y of shape {shape}", sizes={"m": shape[0]},
                      form={"outputs": "y of shape (m,)" if len(shape) == 1 else "y of shape (m, k)",
                            "size": expect.Edge("a single sample") if shape[0] == 1 else "several samples"})


@check("mse_gradients", points=2)
def check_mse_gradients_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for (m, n), k in zip(SHAPES, (None, 3, None, 2)):
            X, y, W, b = _problem(ctx.rng, m, n, k)
            cases.run(expect.reference, [X, y, W, b], parts=(f"dW for W of shape {W.shape} and {m} samples", "db"),
                      sizes={"m": m}, form=_form(m, n, k))


@check("mse_gradients")
def check_mse_gradients_gradient_check_against_reference_loss(ctx):
    ref = ctx.reference
    for k in (None, 2):
        X, y, W, b = _problem(ctx.rng, 8, 3, k)
        got = ctx.call(X, y, W, b)
        expect.gradient_shapes(ctx, got, W.shape, "W")
        expect.gradient(ctx, got[0], numeric_gradient(lambda w: ref.mse_loss(y, ref.predict(X, w, b)), W), "dW")
        expect.gradient(ctx, got[1], numeric_gradient(lambda c: ref.mse_loss(y, ref.predict(X, W, c)), b), "db")


@check("gradient_descent_step")
def check_gradient_descent_step_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for shape, lr in [((3,), 0.3), ((4, 2), 0.01), ((1,), 2.0)]:
            W, dW = ctx.rng.normal(size=shape), ctx.rng.normal(size=shape)
            b, db = (float(ctx.rng.normal()), float(ctx.rng.normal())) if len(shape) == 1 else \
                (ctx.rng.normal(size=shape[1]), ctx.rng.normal(size=shape[1]))
            cases.run(expect.reference, [W, b, dW, db, lr], parts=(f"new W (shape {shape}, lr={lr})", "new b"),
                      form={"bias": "b a number (a Python float)" if len(shape) == 1 else "b an array of shape (k,)"})


def _data(rng, m, n):
    X = rng.normal(size=(m, n))
    y = X @ rng.normal(size=n) + rng.normal() + 0.1 * rng.normal(size=m)
    return X, y


@check("fit_linear_regression")
def check_fit_linear_regression_matches_reference_full_batch(ctx):
    X, y = _data(ctx.rng, 20, 3)
    # lr * m is not 1: a summed gradient and an ignored learning rate must not give the same steps
    expect.trajectory(ctx, [X, y], {"lr": 0.04, "epochs": 6}, n=3, diagnose=TRACE, entry_size=None)


@check("fit_linear_regression", points=2)
def check_fit_linear_regression_matches_reference_mini_batches(ctx):
    X, y = _data(ctx.rng, 10, 2)
    with expect.Cases(ctx) as cases:
        for batch_size, seed in ((1, 3), (4, 0), (10, 7)):      # SGD, a size that does not divide m, one batch
            cases.run(expect.trajectory, [X, y], {"lr": 0.03, "epochs": 3, "batch_size": batch_size, "seed": seed},
                      n=2, diagnose=TRACE, entry_size=None, label=f" (batch_size={batch_size})")


@check("fit_linear_regression")
def check_fit_linear_regression_learning_rate_and_seed_honored(ctx):
    X, y = _data(ctx.rng, 9, 2)
    with expect.Cases(ctx) as cases:
        for kwargs in ({"lr": 0.2, "epochs": 3, "batch_size": 2, "seed": 11},
                       {"lr": 0.001, "epochs": 2, "batch_size": 5}):
            cases.run(expect.trajectory, [X, y], kwargs, n=2, diagnose=TRACE, entry_size=None, label=f" (lr={kwargs['lr']})")


@check("fit_linear_regression")
def check_fit_linear_regression_several_outputs(ctx):
    """(m, k) targets: W starts as (n, k) zeros and b as (k,) zeros."""
    X = ctx.rng.normal(size=(8, 2))
    Y = X @ ctx.rng.normal(size=(2, 3)) + ctx.rng.normal(size=3)
    with expect.Cases(ctx) as cases:
        for kwargs in ({"lr": 0.1, "epochs": 3}, {"lr": 0.05, "epochs": 2, "batch_size": 3, "seed": 4}):
            cases.run(expect.trajectory, [X, Y], kwargs, n=2, diagnose=TRACE, entry_size=None,
                      label=f" (targets of shape {Y.shape})", form={"targets": "targets of shape (m, k)"})
            # evidence only: the same loop on one column of the targets
            cases.control(expect.trajectory, [X, Y[:, 0]], kwargs, n=2, diagnose=TRACE, entry_size=None,
                          label=" (targets of shape (m,))", form={"targets": "targets y of shape (m,)"})
