"""Hidden checks of lab 4 (instructor only)."""
import numpy as np

from autograder.judging import expect
from autograder.judging.gradcheck import numeric_gradient
from autograder.labs.lab4_hidden_layer import LAB, KEYS, cache_of

CHECKS = LAB.hidden_checks()
check = CHECKS.check
SHAPES = [(1, 2, 3, 2), (6, 3, 5, 4), (4, 4, 4, 4), (40, 2, 8, 3)]     # (m, n, h, k): one sample, non-square, square, many


def _size_form(m):
    return {"size": expect.Edge("a single sample (m = 1)") if m == 1 else "several samples"}


def _problem(rng, m, n, h, k, scale=1.0):
    X = rng.normal(size=(m, n))
    Y = np.eye(k)[rng.integers(0, k, size=m)]
    params = {"W1": rng.normal(scale=scale, size=(n, h)), "b1": rng.normal(scale=scale, size=h),
              "W2": rng.normal(scale=scale, size=(h, k)), "b2": rng.normal(scale=scale, size=k)}
    return X, Y, params


@check("relu")
def check_relu_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for shape in [(5,), (1, 4), (6, 3), (2, 3, 4)]:
            cases.run(expect.reference, [ctx.rng.normal(size=shape)], what=f"relu of a random input of shape {shape}",
                      array=True)


@check("relu_derivative")
def check_relu_derivative_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for shape in [(5,), (1, 4), (6, 3)]:
            Z = ctx.rng.normal(size=shape)
            Z.flat[0] = 0.0                                  # an exact zero in every case
            cases.run(expect.reference, [Z], what=f"relu_derivative of a random input of shape {shape}", array=True)


@check("init_params")
def check_init_params_random_sizes_and_seeds(ctx):
    with expect.Cases(ctx) as cases:
        for n_in, h, k in ((1, 1, 2), (4, 7, 3), (64, 16, 10)):
            seed = int(ctx.rng.integers(0, 2**31))
            cases.run(expect.reference, [n_in, h, k, np.random.default_rng(seed)],
                      what=f"init_params({n_in}, {h}, {k}, rng)")


@check("forward", points=2)
def check_forward_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n, h, k in SHAPES:
            X, _, params = _problem(ctx.rng, m, n, h, k)
            cases.run(expect.reference, [X, params], parts=(f"P for {m} samples, {h} hidden units, {k} classes", "cache"),
                      form=_size_form(m))


@check("backward", points=2)
def check_backward_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n, h, k in SHAPES:
            X, Y, params = _problem(ctx.rng, m, n, h, k)
            cases.run(expect.reference, [X, Y, params, cache_of(X, params)],
                      what=f"backward for {m} samples, {h} hidden units", sizes={"m": m}, form=_size_form(m))


@check("backward", points=2)
def check_backward_gradient_check_per_layer_against_reference_loss(ctx):
    ref = ctx.reference
    # weights of scale 0.5: probabilities away from 0 and 1, so no gradient is so small that the
    # finite differences' rounding decides its relative error
    X, Y, params = _problem(ctx.rng, 7, 3, 5, 4, scale=0.5)
    got = ctx.call(X, Y, params, cache_of(X, params))
    if not isinstance(got, dict) or not {f"d{k}" for k in KEYS} <= set(got):
        ctx.fail(f"backward should return a dict with the keys dW1, db1, dW2, db2, but returned {expect.form_of(got)}.")
    for key in KEYS:
        def loss(value, key=key):
            return ref.cross_entropy_loss(Y, ref.forward(X, {**params, key: value})[0])
        layer = "the hidden layer" if key.endswith("1") else "the output layer"
        expect.gradient(ctx, got[f"d{key}"], numeric_gradient(loss, params[key]), f"d{key} ({layer})")


@check("predict_mlp")
def check_predict_mlp_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n, h, k in SHAPES:
            X, _, params = _problem(ctx.rng, m, n, h, k)
            cases.run(expect.reference, [X, params], what=f"predict_mlp for {m} samples and {k} classes", array=True,
                      form=_size_form(m))


def _data(rng, m, n, k):
    centers = rng.normal(scale=2, size=(k, n))
    y = rng.integers(0, k, size=m)
    return centers[y] + rng.normal(size=(m, n)), y


@check("train_mlp", points=2)
def check_train_mlp_matches_reference_full_batch(ctx):
    X, y = _data(ctx.rng, 24, 3, 4)
    expect.reference(ctx, [X, y], {"hidden": 5, "num_classes": 4, "lr": 0.2, "epochs": 5}, parts=("params", "history"))


@check("train_mlp", points=2)
def check_train_mlp_matches_reference_mini_batches(ctx):
    X, y = _data(ctx.rng, 10, 2, 3)
    with expect.Cases(ctx) as cases:
        for batch_size, seed in ((1, 4), (4, 0), (10, 9)):
            cases.run(expect.reference, [X, y], {"hidden": 3, "num_classes": 3, "lr": 0.1, "epochs": 3,
                                                 "batch_size": batch_size, "seed": seed},
                      parts=(f"params (batch_size={batch_size})", f"history (batch_size={batch_size})"))
