"""Hidden checks of lab 3 (instructor only)."""
import numpy as np

from autograder.gradcheck import numeric_gradient
from autograder.labs import common
from autograder.labs.lab3_multiclass_classification import LAB
from solutions.hidden.common import Cases, compare, compare_parts, compare_training

check = LAB.check
SHAPES = [(1, 2, 3), (6, 3, 4), (4, 4, 4), (40, 2, 3)]     # (m, n, k): one sample, non-square, square, many


def _problem(rng, m, n, k):
    X = rng.normal(size=(m, n))
    y = rng.integers(0, k, size=m)
    Y = np.eye(k)[y]
    return X, y, Y, rng.normal(size=(n, k)), rng.normal(size=k)


@check("softmax", "random_inputs", hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for shape in [(3,), (1, 4), (5, 5), (7, 3), (2, 3, 4)]:
            cases.run(compare, [ctx.rng.normal(scale=3, size=shape)],
                      what=f"softmax of a random input of shape {shape}", array=True)


@check("softmax", "extreme_values", hidden=True)
def _(ctx):
    Z = np.array([[800.0, -800.0, 0.0], [-1000.0, -1000.0, -999.0], [1000.0, 1000.0, 1000.0]])
    compare(ctx, [Z], what="softmax of scores near ±1000", atol=1e-12)


@check("one_hot", "random_inputs", hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for m, k in ((1, 2), (9, 3), (20, 10)):
            cases.run(compare, [ctx.rng.integers(0, k, size=m), k], what=f"one_hot of {m} labels with {k} classes",
                      array=True)


@check("cross_entropy_loss", "random_inputs", hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for m, _, k in SHAPES:
            _, _, Y, _, _ = _problem(ctx.rng, m, 1, k)
            P = ctx.rng.dirichlet(np.ones(k), size=m)
            cases.run(compare, [Y, P], what=f"cross_entropy_loss for {m} samples and {k} classes",
                      sizes={"m": m, "k": k})


@check("entropy", "random_inputs", hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for k in (2, 5, 10):
            cases.run(compare, [ctx.rng.dirichlet(np.ones(k))],
                      what=f"entropy of a random distribution over {k} outcomes", sizes={"k": k})
        cases.run(compare, [np.array([0.0, 0.25, 0.0, 0.75])], what="entropy with zero probabilities")


@check("softmax_gradients", "random_inputs", points=2, hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for m, n, k in SHAPES:
            X, _, Y, W, b = _problem(ctx.rng, m, n, k)
            cases.run(compare_parts, [X, Y, W, b], names=(f"dW for {m} samples, {n} features, {k} classes", "db"),
                      sizes={"m": m})


@check("softmax_gradients", "gradient_check_against_reference_loss", hidden=True)
def _(ctx):
    ref = ctx.reference
    X, _, Y, W, b = _problem(ctx.rng, 7, 3, 4)
    got = ctx.call(X, Y, W, b)
    common.expect_gradient_shapes(ctx, got, (3, 4), "W")
    common.expect_gradient(ctx, got[0], numeric_gradient(
        lambda w: ref.cross_entropy_loss(Y, ref.softmax(X @ w + b)), W), "dW")
    common.expect_gradient(ctx, got[1], numeric_gradient(
        lambda c: ref.cross_entropy_loss(Y, ref.softmax(X @ W + c)), b), "db")


@check("predict_classes", "random_inputs", hidden=True)
def _(ctx):
    with Cases(ctx) as cases:
        for m, n, k in SHAPES:
            X, _, _, W, b = _problem(ctx.rng, m, n, k)
            cases.run(compare, [X, W, b], what=f"predict_classes for {m} samples and {k} classes", array=True)


def _data(rng, m, n, k):
    centers = rng.normal(scale=2, size=(k, n))
    y = rng.integers(0, k, size=m)
    return centers[y] + rng.normal(size=(m, n)), y


@check("train_softmax_regression", "matches_reference_full_batch", hidden=True)
def _(ctx):
    X, y = _data(ctx.rng, 24, 3, 4)
    compare_training(ctx, [X, y], {"num_classes": 4, "lr": 0.2, "epochs": 5}, n=3, entry_size=2)


@check("train_softmax_regression", "matches_reference_mini_batches", points=2, hidden=True)
def _(ctx):
    X, y = _data(ctx.rng, 10, 2, 3)
    with Cases(ctx) as cases:
        for batch_size, seed in ((1, 4), (4, 0), (10, 9)):
            cases.run(compare_training, [X, y], {"num_classes": 3, "lr": 0.1, "epochs": 3, "batch_size": batch_size,
                                                 "seed": seed}, n=2, entry_size=2, label=f" (batch_size={batch_size})")


@check("train_softmax_regression", "learning_rate_seed_and_classes_honored", hidden=True)
def _(ctx):
    X, y = _data(ctx.rng, 9, 2, 3)
    with Cases(ctx) as cases:
        for kwargs in ({"num_classes": 5, "lr": 0.05, "epochs": 2, "batch_size": 2, "seed": 3},
                       {"num_classes": 3, "lr": 1.3, "epochs": 3}):
            cases.run(compare_training, [X, y], kwargs, n=2, entry_size=2, label=f" (lr={kwargs['lr']})")
