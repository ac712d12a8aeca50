"""Hidden checks of lab 2 (instructor only): randomized inputs against the reference,
gradient checks against the reference loss, edge cases, training trajectories.

Messages never show hidden inputs or reference values; they describe the difference
and name the mistake when the catalog recognises it.
"""
import numpy as np

from autograder.judging import expect
from autograder.judging.gradcheck import numeric_gradient
from autograder.labs.lab2_binary_classification import LAB

from solutions import loops

CHECKS = LAB.hidden_checks()
TRACE = loops.tracer(loops.LAB2)      # names what a loop that calls the graded gradient did
check = CHECKS.check
SHAPES = [(1, 1), (5, 3), (4, 4), (40, 2)]   # one sample, non-square, square, many


def _data(rng, m, n):
    X = rng.normal(size=(m, n))
    y = (rng.random(m) < 0.5).astype(np.float64)
    W = rng.normal(size=n)
    b = float(rng.normal())
    return X, y, W, b


def _size_form(m, n=None):
    """The input forms of a case, for the evidence of `expect.Cases`."""
    if n is None:
        return {"size": expect.Edge("a single sample") if m == 1 else "several samples"}
    return {"size": expect.Edge("X of shape (1, 1)") if (m, n) == (1, 1) else "X with several rows and columns"}


def _one_sigmoid(ctx, z, what, number=False):
    got = expect.reference(ctx, [z], what=what)
    if number:
        expect.number(ctx, got, what)
    return got


@check("sigmoid")
def check_sigmoid_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for shape in [(), (7,), (3, 4), (2, 3, 2)]:
            z = ctx.rng.normal(scale=4, size=shape)
            cases.run(_one_sigmoid, z, f"sigmoid on a random input of shape {shape}", number=shape == (),
                      form={"input": "a single number" if shape == () else "arrays"})
        # whole numbers are inputs too: the result is still a float
        cases.run(_one_sigmoid, ctx.rng.integers(-6, 7, size=9), "sigmoid of an integer array",
                  form={"input": "arrays"})
        cases.run(_one_sigmoid, int(ctx.rng.integers(-3, 4)), "sigmoid of a Python int", number=True,
                  form={"input": "a single number"})


@check("sigmoid")
def check_sigmoid_extreme_values_accurate(ctx):
    z = np.array([-745.0, -700.0, -300.0, -36.0, 36.0, 300.0, 745.0])
    expect.reference(ctx, [z], what="sigmoid at large |z|", rtol=1e-6, atol=1e-12)


@check("bce_loss")
def check_bce_loss_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m in (1, 5, 60, 3000, 2500):      # many samples: a product of the likelihoods underflows to 0
            y = (ctx.rng.random(m) < 0.5).astype(np.float64)
            p = ctx.rng.uniform(0.02, 0.98, size=m)
            cases.run(expect.reference, [y, p], what=f"bce_loss on {m} random samples", sizes={"m": m},
                      form=_size_form(m))


@check("bce_dloss_dphat")
def check_bce_dloss_dphat_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m in (1, 9):
            y = (ctx.rng.random(m) < 0.5).astype(np.float64)
            p = ctx.rng.uniform(0.05, 0.95, size=m)
            cases.run(expect.reference, [y, p], what=f"bce_dloss_dphat on {m} random samples", form=_size_form(m))


@check("sigmoid_derivative")
def check_sigmoid_derivative_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for shape in [(1,), (8,), (3, 2)]:
            p = ctx.rng.uniform(0.001, 0.999, size=shape)
            cases.run(expect.reference, [p], what=f"sigmoid_derivative on random probabilities of shape {shape}",
                      form={"input": "a 1-D array" if len(shape) == 1 else "a 2-D array"})


@check("bce_gradients", points=2)
def check_bce_gradients_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n in SHAPES:
            X, y, W, b = _data(ctx.rng, m, n)
            cases.run(expect.reference, [X, y, W, b], parts=(f"dW for {m} samples and {n} features", "db"),
                      sizes={"m": m}, form=_size_form(m, n))


@check("bce_gradients")
def check_bce_gradients_saturated_scores(ctx):
    """Scores beyond ±700, where p_hat is exactly 0 or 1 in float64: the gradient is still finite."""
    X, y, W, b = _data(ctx.rng, 6, 2)
    X[:, 0] = [400.0, -400.0, 380.0, 5.0, -360.0, 1.0]
    W[0] = 2.5
    # whatever the draw: saturated samples on both sides, each with the label that agrees and
    # the one that does not (the gradient there is p_hat - y = 0 or ±1, never lost)
    y[[0, 1, 2, 4]] = [0.0, 1.0, 1.0, 0.0]
    expect.reference(ctx, [X, y, W, b], parts=("dW for saturated scores", "db"), atol=1e-10)


@check("bce_gradients")
def check_bce_gradients_gradient_check_against_reference_loss(ctx):
    ref = ctx.reference
    X, y, W, b = _data(ctx.rng, 7, 3)
    got = ctx.call(X, y, W, b)
    expect.gradient_shapes(ctx, got, (3,), "W")
    numeric_dW = numeric_gradient(lambda w: ref.bce_loss(y, ref.sigmoid(X @ w + b)), W)
    numeric_db = numeric_gradient(lambda c: ref.bce_loss(y, ref.sigmoid(X @ W + c)), b)
    expect.gradient(ctx, got[0], numeric_dW, "dW")
    expect.gradient(ctx, got[1], numeric_db, "db")
    expect.number(ctx, got[1], "db")


@check("predict_proba")
def check_predict_proba_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n in SHAPES:
            X, _, W, b = _data(ctx.rng, m, n)
            cases.run(expect.reference, [X, W, b], what=f"predict_proba for {m} samples and {n} features", array=True,
                      form=_size_form(m, n))
        X, _, W, b = _data(ctx.rng, 6, 2)
        W[0] = 1.0
        X[:, 0] = [900.0, -900.0, 760.0, -760.0, 1.0, -1.0]      # scores beyond ±709, where exp overflows
        cases.run(expect.reference, [X, W, b], what="predict_proba for scores as large as ±1000", atol=1e-12,
                  form=_size_form(6, 2))


@check("predict")
def check_predict_random_inputs_and_thresholds(ctx):
    with expect.Cases(ctx) as cases:
        for (m, n), threshold in zip(SHAPES, (0.5, 0.3, 0.9, 0.5)):
            X, _, W, b = _data(ctx.rng, m, n)
            cases.run(expect.reference, [X, W, b], {"threshold": threshold},
                      what=f"predict for {m} samples with threshold={threshold}", array=True, form=_size_form(m, n))


@check("predict")
def check_predict_probability_equal_to_threshold_is_class_0(ctx):
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, -1.0], [0.0, 0.0]])     # two samples exactly at the threshold
    expect.reference(ctx, [X, np.array([2.0, 3.0]), 0.0], {"threshold": 0.5},
                     what="predict when p_hat equals the threshold exactly")


@check("accuracy")
def check_accuracy_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m in (1, 10, 33, 48, 75):
            y_true = ctx.rng.integers(0, 2, size=m)
            y_pred = ctx.rng.integers(0, 2, size=m)
            cases.run(expect.reference, [y_true, y_pred], what=f"accuracy on {m} random labels", sizes={"m": m},
                      form=_size_form(m))


@check("train_logistic_regression", points=2)
def check_train_logistic_regression_matches_reference_trajectory(ctx):
    X, y, _, _ = _data(ctx.rng, 30, 3)
    expect.trajectory(ctx, [X, y], {"lr": 0.3, "epochs": 7, "seed": 5}, n=3, diagnose=TRACE, entry_size=2)


@check("train_logistic_regression")
def check_train_logistic_regression_learning_rate_and_seed_honored(ctx):
    X, y, _, _ = _data(ctx.rng, 12, 2)
    with expect.Cases(ctx) as cases:
        for kwargs in ({"lr": 0.05, "epochs": 3, "seed": 11}, {"lr": 1.5, "epochs": 4, "seed": 2},
                       {"lr": 0.4, "epochs": 2}):      # the default seed
            cases.run(expect.trajectory, [X, y], kwargs, n=2, diagnose=TRACE, entry_size=2,
                      label=f" (lr={kwargs['lr']}, seed={kwargs.get('seed', 'default')})")
