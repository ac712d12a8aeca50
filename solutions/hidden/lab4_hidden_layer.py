"""Hidden checks of lab 4 (instructor only)."""
import numpy as np

from autograder.judging import expect
from autograder.labs.lab4_hidden_layer import LAB, cache_of, drawn_from_rng, gradient_check

CHECKS = LAB.hidden_checks()
check = CHECKS.check
SHAPES = [(1, 2, 3, 2), (6, 3, 5, 4), (4, 4, 4, 4), (40, 2, 8, 3)]     # (m, n, h, k): one sample, non-square, square, many


def _samples(m) -> str:
    return "1 sample" if m == 1 else f"{m} samples"


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
    with drawn_from_rng(ctx), expect.Cases(ctx) as cases:
        for n_in, h, k in ((1, 1, 2), (4, 7, 3), (64, 16, 10)):
            seed = int(ctx.rng.integers(0, 2**31))
            cases.run(expect.reference, [n_in, h, k, np.random.default_rng(seed)],
                      what=f"init_params({n_in}, {h}, {k}, rng)")


@check("forward", points=2)
def check_forward_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n, h, k in SHAPES:
            X, _, params = _problem(ctx.rng, m, n, h, k)
            cases.run(expect.reference, [X, params], parts=(f"P for {_samples(m)}, {h} hidden units, {k} classes", "cache"),
                      form=_size_form(m))


@check("backward", points=2)
def check_backward_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n, h, k in SHAPES:
            X, Y, params = _problem(ctx.rng, m, n, h, k)
            cases.run(expect.reference, [X, Y, params, cache_of(X, params)],
                      what=f"backward for {_samples(m)}, {h} hidden units", sizes={"m": m}, form=_size_form(m))


def well_posed_problem(ref, rng):
    """A problem on which central differences measure the exact gradient to well within the
    check's tolerance: weights of scale 0.5 (probabilities away from 0 and 1), no hidden
    pre-activation within 1e-3 of ReLU's kink (a step of 1e-5 in a weight never crosses it),
    and every gradient entry either exactly 0 or larger than 1e-4 (rounding, about 1e-11,
    never decides a relative error). Drawn again until it is so."""
    while True:
        X, Y, params = _problem(rng, 7, 3, 5, 4, scale=0.5)
        cache = cache_of(X, params)
        grads = ref.backward(X, Y, params, cache)
        if np.min(np.abs(cache["Z1"])) > 1e-3 and all(np.all((g == 0) | (np.abs(g) > 1e-4)) for g in grads.values()):
            return X, Y, params


def _gradient_check_against_reference_loss(ctx, key):
    """One parameter's gradient on a problem of its own, drawn well posed."""
    gradient_check(ctx, key, *well_posed_problem(ctx.reference, ctx.rng))


@check("backward")
def check_backward_dW1_against_reference_loss(ctx):
    _gradient_check_against_reference_loss(ctx, "W1")


@check("backward")
def check_backward_db1_against_reference_loss(ctx):
    _gradient_check_against_reference_loss(ctx, "b1")


@check("backward")
def check_backward_dW2_against_reference_loss(ctx):
    _gradient_check_against_reference_loss(ctx, "W2")


@check("backward")
def check_backward_db2_against_reference_loss(ctx):
    _gradient_check_against_reference_loss(ctx, "b2")


@check("predict_mlp")
def check_predict_mlp_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for m, n, h, k in SHAPES:
            X, _, params = _problem(ctx.rng, m, n, h, k)
            cases.run(expect.reference, [X, params], what=f"predict_mlp for {_samples(m)} and {k} classes", array=True,
                      form=_size_form(m))


def _data(rng, m, n, k):
    centers = rng.normal(scale=2, size=(k, n))
    y = rng.integers(0, k, size=m)
    return centers[y] + rng.normal(size=(m, n)), y


def contract_steps(ref, X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    """[(epoch, batch, rows, params)] of every step the contract takes: the samples and the
    parameters each call of backward should get."""
    X = np.asarray(X, dtype=np.float64)
    m, n = X.shape
    Y = ref.one_hot(np.asarray(y).astype(int), num_classes)
    rng = np.random.default_rng(seed)
    params = ref.init_params(n, hidden, num_classes, rng)
    steps = []
    for epoch in range(epochs):
        order = np.arange(m) if batch_size is None else rng.permutation(m)
        size = m if batch_size is None else batch_size
        for batch, start in enumerate(range(0, m, size)):
            rows = order[start:start + size]
            steps.append((epoch, batch, rows, params))
            grads = ref.backward(X[rows], Y[rows], params, ref.forward(X[rows], params)[1])
            params = {k: v - lr * grads["d" + k] for k, v in params.items()}
    return steps


def read_steps(ctx, args, kwargs, trace, got) -> list:
    """What the loop's calls show, against the contract's calls, step by step: init_params
    called with other sizes; then the first call of backward that works on other samples, is
    given other targets than the one-hot rows, or starts from other parameters (facts of the
    trace, read only where the loop called backward with positional arguments). A loop that
    raised is read up to its last call only: how many calls it would have made is unknown."""
    X = np.asarray(args[0], dtype=np.float64)
    m, n = X.shape
    hidden, num_classes = kwargs["hidden"], kwargs["num_classes"]
    inits = [call for call in trace if call["name"] == "init_params"]
    if inits:
        sizes = tuple(inits[0]["args"][:3]) + tuple(inits[0]["kwargs"].get(k) for k in
                                                     ("n_in", "n_hidden", "n_out")[len(inits[0]["args"]):])
        if all(isinstance(v, (int, np.integer)) for v in sizes) and sizes != (n, hidden, num_classes):
            return [f"your loop called init_params{tuple(int(v) for v in sizes)}: the contract's call is "
                    f"init_params(n, hidden, num_classes, rng), here init_params({n}, {hidden}, {num_classes}, rng)"]
    raised = type(got).__name__ == "Raised"
    seen = [call["args"] for call in trace if call["name"] == "backward" and len(call["args"]) >= 3]
    if not seen or len(seen) != sum(call["name"] == "backward" for call in trace):
        return []
    expected = contract_steps(ctx.reference, X, args[1], **kwargs)
    Y = ctx.reference.one_hot(np.asarray(args[1]).astype(int), num_classes)
    for index, (epoch, batch, rows, params) in enumerate(expected):
        where = f"step {index + 1} (epoch {epoch + 1}, batch {batch + 1})"
        if index >= len(seen):
            return [] if raised else [f"your loop called backward {len(seen)} times where the contract takes "
                                      f"{len(expected)} steps"]
        X_b, Y_b, got_params = seen[index][:3]
        if np.shape(X_b) != X[rows].shape or not np.allclose(X_b, X[rows]):
            return [f"{where} works on other samples than the contract's: batches of batch_size rows, in the order "
                    "rng.permutation(m) gives (one permutation per epoch, from the one rng)"]
        if np.shape(Y_b) != Y[rows].shape or not np.allclose(np.asarray(Y_b, dtype=np.float64), Y[rows]):
            return [f"the targets your loop gave backward are not the one-hot rows of the batch: backward takes "
                    f"Y[rows], with Y = one_hot(y, num_classes) of shape (m, num_classes) (yours had shape "
                    f"{np.shape(Y_b)} for {len(rows)} rows)"]
        if not isinstance(got_params, dict) or not all(
                k in got_params and np.shape(got_params[k]) == np.shape(v) and np.allclose(got_params[k], v)
                for k, v in params.items()):
            return ["the parameters your loop starts from are not init_params(n, hidden, num_classes, rng) with "
                    "rng = np.random.default_rng(seed)" if index == 0 else
                    f"the parameters of {where} differ from the contract's: the update after the step before it "
                    "is not W - lr * dW for every parameter"]
    if len(seen) > len(expected):
        return [f"your loop called backward {len(seen)} times where the contract takes {len(expected)} steps"]
    return []


@check("train_mlp", points=2)
def check_train_mlp_matches_reference_full_batch(ctx):
    X, y = _data(ctx.rng, 24, 3, 4)
    expect.reference(ctx, [X, y], {"hidden": 5, "num_classes": 4, "lr": 0.2, "epochs": 5}, parts=("params", "history"),
                     diagnose=read_steps)


@check("train_mlp", points=2)
def check_train_mlp_matches_reference_mini_batches(ctx):
    X, y = _data(ctx.rng, 10, 2, 3)
    with expect.Cases(ctx) as cases:
        for batch_size, seed in ((1, 4), (4, 0), (10, 9)):
            cases.run(expect.reference, [X, y], {"hidden": 3, "num_classes": 3, "lr": 0.1, "epochs": 3,
                                                 "batch_size": batch_size, "seed": seed},
                      parts=(f"params (batch_size={batch_size})", f"history (batch_size={batch_size})"),
                      diagnose=read_steps)
