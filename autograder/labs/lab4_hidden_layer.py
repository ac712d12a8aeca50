"""Lab 4 — one hidden layer and backpropagation: graded functions and public checks."""
import contextlib

import numpy as np

from ..judging import expect
from ..judging.checks import CheckFailed, Lab
from ..judging.gradcheck import numeric_gradient
from .contract import a, batches, divides
from .spec import Form, FunctionSpec, LabSpec, Property

# Lab 3's softmax and cross-entropy, given in the notebook as code the student reads (its
# "given_softmax" cell holds this text): every student process runs it before the answers.
GIVEN = '''
def softmax(Z):
    """Softmax along the last axis, shifted by the largest score so nothing overflows."""
    Z = np.asarray(Z, dtype=np.float64)
    e = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def one_hot(y, num_classes):
    """(m, num_classes) float matrix with a 1.0 in column y[i] of row i."""
    y = np.asarray(y).astype(int)
    Y = np.zeros((len(y), num_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def cross_entropy_loss(Y, P):
    """Mean over the samples of -sum_j Y_ij ln P_ij (a zero probability where Y = 0 counts nothing)."""
    Y, P = np.asarray(Y, dtype=np.float64), np.asarray(P, dtype=np.float64)
    return float(-np.sum(Y * np.log(np.where(Y > 0, P, 1.0))) / Y.shape[0])
'''.strip("\n")
_given: dict = {"np": np}
exec(GIVEN, _given)
softmax, one_hot, cross_entropy_loss = _given["softmax"], _given["one_hot"], _given["cross_entropy_loss"]

KEYS = ("W1", "b1", "W2", "b2")


def network(params) -> bool:
    """A dict of the four parameters of one hidden layer, of shapes that fit together."""
    if not isinstance(params, dict) or not set(KEYS) <= set(params):
        return False
    W1, b1, W2, b2 = (a(params[k]) for k in KEYS)
    return (W1.ndim == 2 and W2.ndim == 2 and b1.shape == (W1.shape[1],) and W2.shape[0] == W1.shape[1]
            and b2.shape == (W2.shape[1],))


def fits(X, params) -> bool:
    return network(params) and a(X).ndim == 2 and a(X).shape[1] == a(params["W1"]).shape[0]


def cache_of(X, params) -> dict:
    """The cache `forward` keeps, computed here (a check of backward never depends on the student's forward)."""
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(Z1, 0.0)
    return {"Z1": Z1, "A1": A1, "Z2": A1 @ params["W2"] + params["b2"]}


def loss_at(X, Y, params) -> float:
    """The mean cross-entropy of the network's probabilities: what backward differentiates."""
    return cross_entropy_loss(Y, softmax(cache_of(X, params)["Z2"]))


ANY_SHAPE = "`Z` may be of any shape (a vector, a matrix)"
UNCHANGED = "must not change `Z` in place"
BATCHES = "batch_size: None for full batch (one step per epoch), else the batch size"
SPEC = LabSpec("lab4_hidden_layer", "One hidden layer and backpropagation", (
    FunctionSpec(
        "relu", "relu(Z)", returns="Z's shape",
        inside=lambda x, kw: a(x[0]).ndim >= 1 and a(x[0]).dtype.kind == "f",
        forms=(Form("a vector", lambda x, kw: a(x[0]).ndim == 1, ANY_SHAPE),
               Form("a matrix", lambda x, kw: a(x[0]).ndim == 2, ANY_SHAPE)),
        properties=(Property("Z unchanged", UNCHANGED, "relu_in_place"),)),
    FunctionSpec(
        "relu_derivative", "relu_derivative(Z)", returns="Z's shape, float",
        inside=lambda x, kw: a(x[0]).ndim >= 1 and a(x[0]).dtype.kind == "f",
        forms=(Form("entries exactly 0", lambda x, kw: np.any(a(x[0]) == 0), "(so 0.0 at Z = 0)"),
               Form("a matrix", lambda x, kw: a(x[0]).ndim == 2, "an array of Z's shape")),
        properties=(Property("0 at Z = 0", "**1.0 where Z > 0, else 0.0**", "rd_one_at_zero"),
                    Property("floats", "as floats", "rd_bool", public=True))),
    FunctionSpec(
        "init_params", "init_params(n_in, n_hidden, n_out, rng)", returns="dict W1, b1, W2, b2",
        inside=lambda x, kw: all(isinstance(v, (int, np.integer)) and v >= 1 for v in x[:3])
        and isinstance(x[3], np.random.Generator),
        forms=(Form("one hidden unit", lambda x, kw: x[1] == 1, "`\"b1\"` $(n_{hidden},)$"),
               Form("several hidden units", lambda x, kw: x[1] > 1, "`\"W1\"` $(n_{in}, n_{hidden})$")),
        properties=(Property("W1 drawn first", "**in this order**", "init_w2_first"),
                    Property("the scales", "`W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)` first",
                             "init_unscaled"))),
    FunctionSpec(
        "forward", "forward(X, params)", calls=("relu",), returns="(P (m, k), cache dict Z1, A1, Z2)",
        inside=lambda x, kw: fits(*x),
        forms=(Form("one sample", lambda x, kw: a(x[0]).shape[0] == 1, "one sample is a $(1, n)$ matrix"),
               Form("many samples", lambda x, kw: a(x[0]).shape[0] > 1, "`X` is an $(m, n)$ matrix, one row per sample")),
        properties=(Property("X and params unchanged", "do not change `X` or `params`", "forward_in_place"),
                    Property("finite for large scores", "`P` must stay finite, with no overflow warning",
                             "forward_softmax_unshifted", public=True))),
    FunctionSpec(
        "backward", "backward(X, Y, params, cache)", calls=("relu_derivative",),
        returns="dict dW1, db1, dW2, db2",
        inside=lambda x, kw: fits(x[0], x[2]) and a(x[1]).shape == (a(x[0]).shape[0], a(x[2]["W2"]).shape[1])
        and isinstance(x[3], dict),
        forms=(Form("one sample", lambda x, kw: a(x[0]).shape[0] == 1, "`X` is $(m, n)$"),
               Form("many samples", lambda x, kw: a(x[0]).shape[0] > 1, "the gradient of the mean cross-entropy")),
        properties=(Property("the mean over the samples in both layers", "the loss is the **mean** over the samples",
                             "bw_sum_in_layer1"),
                    Property("ReLU's slope is 0 where Z1 = 0",
                             "Take ReLU's derivative at `Z1` (from the cache)", "bw_no_relu_derivative"),
                    Property("inputs unchanged", "Do not change `X`, `Y`, `params` or `cache`", "bw_in_place"))),
    FunctionSpec(
        "predict_mlp", "predict_mlp(X, params)", calls=("forward",), returns="(m,) integer",
        inside=lambda x, kw: fits(*x),
        forms=(Form("many samples", lambda x, kw: a(x[0]).shape[0] > 1, "the $(m,)$ integer class of each row"),),
        properties=(Property("ties go to the first class", "the first of them (the smallest class index) wins",
                             "pm_ties_to_last"),)),
    FunctionSpec(
        "train_mlp", "train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0)",
        calls=("init_params", "forward", "backward", "predict_mlp"), returns="(params, history)",
        inside=lambda x, kw: a(x[0]).ndim == 2 and a(x[1]).ndim == 1 and np.all(a(x[1]) < kw["num_classes"])
        and batches(x[0], x[1], kw),
        forms=(Form("full batch", lambda x, kw: kw.get("batch_size") is None, BATCHES),
               Form("a batch_size that divides m", lambda x, kw: divides(kw, x[0], True), BATCHES),
               Form("a batch_size that does not divide m", lambda x, kw: divides(kw, x[0], False),
                    "the last slice may be smaller"))),
), prelude="import numpy as np\n\n\n" + GIVEN)
LAB = Lab.from_spec(SPEC)
check = LAB.check

_Z = np.array([[1.5, -0.5, 0.0], [-2.0, 0.25, 3.0]])
_X = np.array([[0.5, -1.0], [1.5, 0.3], [-0.8, 2.2], [0.0, -0.4], [1.1, 0.9]])
_Y = np.eye(3)[[0, 1, 2, 1, 0]]
_P = {"W1": np.array([[0.6, -0.4, 0.3, 0.9], [0.2, 0.8, -0.5, -0.1]]), "b1": np.array([0.1, -0.2, 0.05, 0.3]),
      "W2": np.array([[0.5, -0.3, 0.2], [-0.4, 0.6, 0.1], [0.3, 0.2, -0.7], [0.1, -0.5, 0.4]]),
      "b2": np.array([0.05, -0.1, 0.02])}
_LARGE = {"W1": _P["W1"] * 12, "b1": _P["b1"], "W2": _P["W2"] * 60, "b2": _P["b2"]}    # Z2 up to 891
_X0 = np.array([[1.0, 0.0], [0.0, 1.0]])
_P0 = {"W1": np.array([[1.0, 0.0], [0.0, -1.0]]), "b1": np.array([-1.0, 0.5]),
       "W2": np.array([[1.0, -1.0], [0.5, 0.5]]), "b2": np.zeros(2)}          # Z1 = [[0, 0.5], [-1, -0.5]]
_XT = np.array([[0.2, 1.0], [1.1, -0.3], [-1.2, 0.4], [0.9, 1.4], [-0.5, -1.1], [1.6, 0.2], [-0.9, 0.8]])
_yT = np.array([0, 1, 2, 0, 2, 1, 2])

CASES = {
    "relu.known_values": ("relu", [_Z], {}),
    "relu.vector": ("relu", [np.array([-3.0, 0.0, 2.5, -0.1])], {}),
    "relu_derivative.known_values": ("relu_derivative", [_Z], {}),
    "init_params.known_values": ("init_params", [3, 4, 2, np.random.default_rng(0)], {}),
    "init_params.one_hidden_unit": ("init_params", [2, 1, 3, np.random.default_rng(7)], {}),
    "forward.known_values": ("forward", [_X, _P], {}),
    "forward.one_sample": ("forward", [_X[:1], _P], {}),
    "forward.large_scores": ("forward", [_X, _LARGE], {}),
    "backward.known_values": ("backward", [_X, _Y, _P, cache_of(_X, _P)], {}),
    "backward.one_sample": ("backward", [_X[1:2], _Y[1:2], _P, cache_of(_X[1:2], _P)], {}),
    "backward.z1_exactly_zero": ("backward", [_X0, np.eye(2), _P0, cache_of(_X0, _P0)], {}),
    "predict_mlp.known_values": ("predict_mlp", [_X, _P], {}),
    "train_mlp.full_batch": ("train_mlp", [_XT, _yT], {"hidden": 4, "num_classes": 3, "lr": 0.5, "epochs": 4}),
    "train_mlp.mini_batches": ("train_mlp", [_XT, _yT], {"hidden": 3, "num_classes": 3, "lr": 0.3, "epochs": 3,
                                                         "batch_size": 3, "seed": 1}),
}


# ---------------------------------------------------------------- relu
@check("relu")
def check_relu_known_values(ctx):
    expect.stored(ctx, "relu.known_values", "relu of a (2, 3) matrix", array=True)
    expect.stored(ctx, "relu.vector", "relu of the vector (-3, 0, 2.5, -0.1)", array=True)


@check("relu")
def check_relu_does_not_modify_input(ctx):
    expect.untouched(ctx, _Z.copy())


# ---------------------------------------------------------------- relu_derivative
@check("relu_derivative")
def check_relu_derivative_known_values(ctx):
    expect.stored(ctx, "relu_derivative.known_values", "relu_derivative of a (2, 3) matrix with a 0 entry",
                  array=True)


@check("relu_derivative")
def check_relu_derivative_is_zero_at_zero(ctx):
    got = ctx.call(np.array([-1.0, 0.0, 2.0]))
    expect.values(ctx, got, np.array([0.0, 0.0, 1.0]), what="relu_derivative at (-1, 0, 2)",
                  mistakes=[(np.array([0.0, 1.0, 1.0]), "Z >= 0 gives 1 at Z = 0: the derivative there is taken "
                                                        "as 0, so use Z > 0")])


@check("relu_derivative")
def check_relu_derivative_floats(ctx):
    got = expect.as_array(ctx, ctx.call(_Z), "relu_derivative(Z)")
    if got.dtype.kind != "f":
        expect.wrong_type(ctx, got, (_Z > 0).astype(float), f"relu_derivative must return floats (1.0 and 0.0), "
                          f"yours has dtype {got.dtype}: use (Z > 0).astype(float).", "a float dtype")


@check("relu_derivative")
def check_relu_derivative_does_not_modify_input(ctx):
    expect.untouched(ctx, _Z.copy())


# ---------------------------------------------------------------- init_params
@check("init_params")
def check_init_params_shapes(ctx):
    got = ctx.call(3, 5, 2, np.random.default_rng(0))
    if not isinstance(got, dict) or not set(KEYS) <= set(got):
        ctx.fail(f"init_params should return a dict with the keys W1, b1, W2, b2, but returned "
                 f"{expect.form_of(got)}.")
    for key, shape in zip(KEYS, ((3, 5), (5,), (5, 2), (2,))):
        value = expect.as_array(ctx, got[key], key)
        if value.shape != shape:
            ctx.fail(f"{key} should have shape {shape} for n_in=3, n_hidden=5, n_out=2; yours has {value.shape}.")


RNG_IGNORED = ("init_params gives the same weights for generators of different seeds: it ignores the rng it is "
               "given (a generator made inside, like np.random.default_rng(0), draws the same numbers every time); "
               "draw from rng itself")
RNG_ELSEWHERE = ("init_params gives other weights for two generators of the same seed: it draws from something else "
                 "than the rng it is given (np.random.randn and np.random.normal use numpy's global generator); "
                 "draw from rng itself, rng.standard_normal")


def _weights(value):
    """W1 and W2 of an init_params output as float arrays, or None where they are not there."""
    try:
        return [np.asarray(value[key], dtype=np.float64) for key in ("W1", "W2")]
    except (TypeError, KeyError, IndexError, ValueError):
        return None


@contextlib.contextmanager
def drawn_from_rng(ctx, n_in=4, n_hidden=3, n_out=2):
    """A failing init_params check, told whether the function draws from the rng it is given:
    two generators of one seed must give the same weights, two seeds other weights (a fact of
    three more calls, no guess)."""
    try:
        yield
    except expect.Mismatch as exc:
        try:
            first, again, other = (_weights(ctx.call(n_in, n_hidden, n_out, np.random.default_rng(seed)))
                                   for seed in (11, 11, 12))
        except CheckFailed:
            raise exc from None
        if None in (first, again, other) or any(a.shape != b.shape for a, b in zip(first + first, again + other)):
            raise
        if not all(np.array_equal(a, b) for a, b in zip(first, again)):
            raise exc.with_pinned([RNG_ELSEWHERE]) from None
        if all(np.array_equal(a, b) for a, b in zip(first, other)):
            raise exc.with_pinned([RNG_IGNORED]) from None
        raise


@check("init_params")
def check_init_params_draws_in_order_and_scales(ctx):
    """W1 first, then W2, from the given rng, each at its own scale; zero biases."""
    with drawn_from_rng(ctx):
        expect.stored(ctx, "init_params.known_values", "init_params(3, 4, 2, np.random.default_rng(0))")
        expect.stored(ctx, "init_params.one_hidden_unit", "init_params(2, 1, 3, np.random.default_rng(7))")


# ---------------------------------------------------------------- forward
@check("forward")
def check_forward_known_values(ctx):
    expect.stored(ctx, "forward.known_values", parts=("P", "cache"))


@check("forward")
def check_forward_one_sample(ctx):
    expect.stored(ctx, "forward.one_sample", parts=("P", "cache"))


@check("forward")
def check_forward_probabilities_sum_to_one(ctx):
    got = ctx.call(_X, _P)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        ctx.fail(f"forward should return a pair (P, cache), but returned {expect.form_of(got)}.")
    P = expect.as_array(ctx, got[0], "P")
    if P.shape != (5, 3):
        ctx.fail(f"P should have shape (m, k) = (5, 3), yours has shape {P.shape}.")
    expect.values(ctx, P.sum(axis=1), np.ones(5), what="each row of P summed")


@check("forward")
def check_forward_stable_for_large_scores(ctx):
    """Scores Z2 in the hundreds: P finite, and no overflow on the way."""
    what = "forward(X, params) with weights that make scores Z2 up to 891"
    expect.stored(ctx, "forward.large_scores", what, parts=("P", "cache"))
    expect.quiet_call(ctx, ctx.lab.case("forward.large_scores").args, what,
                      "np.exp overflows for a large score (the notebook asks for no overflow): subtract each row's "
                      "largest score before np.exp, as the given softmax does, or call softmax(Z2)")


@check("forward")
def check_forward_does_not_modify_inputs(ctx):
    expect.untouched(ctx, _X.copy(), {k: v.copy() for k, v in _P.items()})


# ---------------------------------------------------------------- backward
@check("backward")
def check_backward_known_values(ctx):
    expect.stored(ctx, "backward.known_values", sizes={"m": 5})


@check("backward")
def check_backward_one_sample(ctx):
    expect.stored(ctx, "backward.one_sample")


def gradient_check(ctx, key, X=_X, Y=_Y, params=_P):
    """backward's gradient of one parameter (dW1, db1, dW2 or db2: the message names its layer)
    against central differences of the mean cross-entropy, `loss_at`, the loss the notebook
    gives. The public checks use the fixed problem; the hidden checks draw their own."""
    got = ctx.call(X, Y, params, cache_of(X, params))
    if not isinstance(got, dict) or f"d{key}" not in got:
        ctx.fail(f"backward should return a dict with the keys dW1, db1, dW2, db2, but returned {expect.form_of(got)}.")

    def loss(value):
        return loss_at(X, Y, {**params, key: value})

    layer = "the hidden layer" if key.endswith("1") else "the output layer"
    expect.gradient(ctx, got[f"d{key}"], numeric_gradient(loss, params[key]), f"d{key} ({layer})")


@check("backward")
def check_backward_gradient_check_dW1(ctx):
    gradient_check(ctx, "W1")


@check("backward")
def check_backward_gradient_check_db1(ctx):
    gradient_check(ctx, "b1")


@check("backward")
def check_backward_gradient_check_dW2(ctx):
    gradient_check(ctx, "W2")


@check("backward")
def check_backward_gradient_check_db2(ctx):
    gradient_check(ctx, "b2")


@check("backward")
def check_backward_relu_slope_is_zero_where_z1_is_zero(ctx):
    """A hidden unit exactly at 0 passes no gradient back (relu'(0) = 0)."""
    expect.stored(ctx, "backward.z1_exactly_zero", "backward where an entry of Z1 is exactly 0")


@check("backward")
def check_backward_does_not_modify_inputs(ctx):
    expect.untouched(ctx, _X.copy(), _Y.copy(), {k: v.copy() for k, v in _P.items()},
                     {k: v.copy() for k, v in cache_of(_X, _P).items()})


# ---------------------------------------------------------------- predict_mlp
@check("predict_mlp")
def check_predict_mlp_known_values(ctx):
    expect.stored(ctx, "predict_mlp.known_values", "predict_mlp(X, params)", array=True)


@check("predict_mlp")
def check_predict_mlp_ties_go_to_the_first_class(ctx):
    params = {"W1": np.array([[1.0, 0.0], [0.0, 1.0]]), "b1": np.zeros(2),
              "W2": np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]]), "b2": np.zeros(3)}
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])      # scores (1, 1, 0), (0, 1, 1), (1, 2, 1)
    expect.values(ctx, ctx.call(X, params), np.array([0, 1, 1]), what="predict_mlp(X, params) where classes tie",
                  mistakes=[(np.array([1, 2, 1]), "a tie goes to the last of the tied classes: it must go to "
                                                  "the first, as np.argmax(..., axis=1) does")])


@check("predict_mlp")
def check_predict_mlp_integer_labels(ctx):
    got = expect.as_array(ctx, ctx.call(_X, _P), "predict_mlp(X, params)")
    if got.shape != (5,) or got.dtype.kind not in "iu":
        expect.wrong_type(ctx, got, ctx.lab.case("predict_mlp.known_values").expected,
                          f"predict_mlp must return 5 integer class indices for 5 samples; yours has shape "
                          f"{got.shape} and dtype {got.dtype}. Use np.argmax(P, axis=1).", "an integer dtype")


# ---------------------------------------------------------------- train_mlp
def _training_form(ctx, got, epochs):
    if not isinstance(got, (tuple, list)) or len(got) != 2 or not isinstance(got[0], dict):
        ctx.fail(f"train_mlp should return (params, history) with params a dict, but returned {expect.form_of(got)}.")
    history = expect.plain(got[1])
    if history is None or history.shape != (epochs, 2):
        ctx.fail(f"history should hold {epochs} (loss, accuracy) pairs, one per epoch; yours has the form "
                 f"{expect.type_name(got[1])}" + (f" with shape {history.shape}" if history is not None else "") + ".")


@check("train_mlp")
def check_train_mlp_returns_parameters_and_history(ctx):
    got = ctx.call(_XT, _yT, hidden=4, num_classes=3, lr=0.1, epochs=3)
    _training_form(ctx, got, 3)


@check("train_mlp")
def check_train_mlp_full_batch_trajectory(ctx):
    expect.stored(ctx, "train_mlp.full_batch", parts=("params", "history"))


@check("train_mlp")
def check_train_mlp_mini_batch_trajectory(ctx):
    """7 samples in batches of 3: two batches of 3, then one of 1, every epoch."""
    expect.stored(ctx, "train_mlp.mini_batches", parts=("params", "history"))


@check("train_mlp")
def check_train_mlp_loss_decreases(ctx):
    got = ctx.call(_XT, _yT, hidden=8, num_classes=3, lr=0.5, epochs=15)
    _training_form(ctx, got, 15)
    losses = expect.plain(got[1])[:, 0]
    if not losses[-1] < losses[0]:
        ctx.fail(f"history[e][0], the loss of epoch e, went from {losses[0]:.4f} to {losses[-1]:.4f} in 15 epochs "
                 "(lr = 0.5, on 7 samples the network can fit): it should go down.")
