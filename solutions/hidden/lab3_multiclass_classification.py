"""Hidden checks of lab 3 (instructor only)."""
import numpy as np

from autograder.judging import expect
from autograder.judging.gradcheck import numeric_gradient
from autograder.labs.lab3_multiclass_classification import LAB

from solutions import loops

CHECKS = LAB.hidden_checks()
TRACE = loops.tracer(loops.LAB3)      # names what a loop that calls the graded gradient did
check = CHECKS.check
SHAPES = [(1, 2, 3), (6, 3, 4), (4, 4, 4), (40, 2, 3)]     # (m, n, k): one sample, non-square, square, many


def _size_form(m):
    """The input forms of a case, for the evidence of `expect.Cases`."""
    return {"size": expect.Edge("a single sample (m = 1)") if m == 1 else "several samples"}


def _problem(rng, m, n, k):
    X = rng.normal(size=(m, n))
    y = rng.integers(0, k, size=m)
    Y = np.eye(k)[y]
    return X, y, Y, rng.normal(size=(n, k)), rng.normal(size=k)


@check("softmax")
def check_softmax_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for shape in [(3,), (1, 4), (5, 5), (7, 3), (1,)]:      # (k,) or (m, k), as promised
            cases.run(expect.reference, [ctx.rng.normal(scale=3, size=shape)],
                      what=f"softmax of a random input of shape {shape}", array=True,
                      form={"input": "a single vector of shape (k,)" if len(shape) == 1 else "a matrix of shape (m, k)"})


@check("softmax")
def check_softmax_extreme_values(ctx):
    Z = np.array([[800.0, -800.0, 0.0], [-1000.0, -1000.0, -999.0], [1000.0, 1000.0, 1000.0]])
    expect.reference(ctx, [Z], what="softmax of scores near ±1000", atol=1e-12)


@check("one_hot")
def check_one_hot_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, k in ((1, 2), (9, 3), (20, 10)):
            cases.run(expect.reference, [ctx.rng.integers(0, k, size=m), k], what=f"one_hot of {m} labels with {k} classes",
                      array=True)


@check("cross_entropy_loss")
def check_cross_entropy_loss_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, _, k in SHAPES:
            _, _, Y, _, _ = _problem(ctx.rng, m, 1, k)
            P = ctx.rng.dirichlet(np.ones(k), size=m)
            cases.run(expect.reference, [Y, P], what=f"cross_entropy_loss for {m} samples and {k} classes",
                      sizes={"m": m, "k": k}, form=_size_form(m))
        for m, k in ((3000, 3), (2500, 4)):      # many samples: a product of the probabilities underflows to 0
            _, _, Y, _, _ = _problem(ctx.rng, m, 1, k)
            cases.run(expect.reference, [Y, ctx.rng.dirichlet(np.ones(k), size=m)],
                      what=f"cross_entropy_loss for {m} samples", sizes={"m": m, "k": k}, form=_size_form(m))


@check("cross_entropy_loss")
def check_cross_entropy_loss_rows_of_probabilities_as_targets(ctx):
    """Y may hold rows of probabilities (soft labels): every entry counts, -sum_j Y_ij ln P_ij."""
    with expect.Cases(ctx) as cases:
        for m, k in ((4, 3), (9, 5)):
            Y, P = ctx.rng.dirichlet(np.ones(k), size=m), ctx.rng.dirichlet(np.ones(k), size=m)
            cases.run(expect.reference, [Y, P], what=f"cross_entropy_loss for {m} rows of probabilities as targets",
                      sizes={"m": m, "k": k})


@check("entropy")
def check_entropy_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for k in (2, 5, 10):
            cases.run(expect.reference, [ctx.rng.dirichlet(np.ones(k))],
                      what=f"entropy of a random distribution over {k} outcomes", sizes={"k": k})
        for p in ([0.0, 0.25, 0.0, 0.75], [0.1, 0.0, 0.9]):
            cases.run(expect.reference, [np.array(p)], what="entropy with zero probabilities")


@check("softmax_gradients", points=2)
def check_softmax_gradients_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n, k in SHAPES:
            X, _, Y, W, b = _problem(ctx.rng, m, n, k)
            cases.run(expect.reference, [X, Y, W, b], parts=(f"dW for {m} samples, {n} features, {k} classes", "db"),
                      sizes={"m": m}, form=_size_form(m))


@check("softmax_gradients")
def check_softmax_gradients_saturated_scores(ctx):
    """Scores beyond ±700, where np.exp overflows: the gradient is still finite."""
    X, _, Y, W, b = _problem(ctx.rng, 6, 2, 3)
    X[:, 0] = [400.0, -400.0, 350.0, 5.0, -300.0, 1.0]
    W[0] = [2.5, 0.0, -2.0]
    expect.reference(ctx, [X, Y, W, b], parts=("dW for saturated scores", "db"), atol=1e-10)


@check("softmax_gradients")
def check_softmax_gradients_gradient_check_against_reference_loss(ctx):
    ref = ctx.reference
    X, _, Y, W, b = _problem(ctx.rng, 7, 3, 4)
    got = ctx.call(X, Y, W, b)
    expect.gradient_shapes(ctx, got, (3, 4), "W")
    expect.gradient(ctx, got[0], numeric_gradient(
                                                  lambda w: ref.cross_entropy_loss(Y, ref.softmax(X @ w + b)), W), "dW")
    expect.gradient(ctx, got[1], numeric_gradient(
                                                  lambda c: ref.cross_entropy_loss(Y, ref.softmax(X @ W + c)), b), "db")


@check("predict_classes")
def check_predict_classes_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n, k in SHAPES:
            X, _, _, W, b = _problem(ctx.rng, m, n, k)
            cases.run(expect.reference, [X, W, b], what=f"predict_classes for {m} samples and {k} classes", array=True,
                      form=_size_form(m))


def _data(rng, m, n, k):
    centers = rng.normal(scale=2, size=(k, n))
    y = rng.integers(0, k, size=m)
    return centers[y] + rng.normal(size=(m, n)), y


@check("train_softmax_regression")
def check_train_softmax_regression_matches_reference_full_batch(ctx):
    X, y = _data(ctx.rng, 24, 3, 4)
    expect.trajectory(ctx, [X, y], {"num_classes": 4, "lr": 0.2, "epochs": 5}, n=3, diagnose=TRACE, entry_size=2)


@check("train_softmax_regression", points=2)
def check_train_softmax_regression_matches_reference_mini_batches(ctx):
    X, y = _data(ctx.rng, 10, 2, 3)
    with expect.Cases(ctx) as cases:
        for batch_size, seed in ((1, 4), (4, 0), (10, 9)):
            cases.run(expect.trajectory, [X, y], {"num_classes": 3, "lr": 0.1, "epochs": 3, "batch_size": batch_size,
                                                  "seed": seed}, n=2, diagnose=TRACE, entry_size=2, label=f" (batch_size={batch_size})")


@check("train_softmax_regression")
def check_train_softmax_regression_learning_rate_seed_and_classes_honored(ctx):
    X, y = _data(ctx.rng, 9, 2, 3)
    with expect.Cases(ctx) as cases:
        for kwargs in ({"num_classes": 5, "lr": 0.05, "epochs": 2, "batch_size": 2, "seed": 3},
                       {"num_classes": 3, "lr": 1.3, "epochs": 3}):
            cases.run(expect.trajectory, [X, y], kwargs, n=2, diagnose=TRACE, entry_size=2, label=f" (lr={kwargs['lr']})")
