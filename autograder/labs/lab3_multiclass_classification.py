"""Lab 3 — softmax regression: graded functions and public checks."""
import numpy as np

from ..judging import expect
from ..judging.checks import Lab
from ..judging.gradcheck import numeric_gradient
from .contract import a, batches, big, divides, linear, probabilities
from .spec import Form, FunctionSpec, LabSpec, Property

NO_OVERFLOW = "no overflow, no nan"
BATCHES = "batch_size: None for full batch (one step per epoch), else the batch size"
SPEC = LabSpec("lab3_multiclass_classification", "Softmax regression", (
    FunctionSpec(
        "softmax", "softmax(Z)", returns="Z's shape",
        inside=lambda x, kw: a(x[0]).ndim in (1, 2) and np.all(np.abs(a(x[0])) <= 1000),
        forms=(Form("(k,) scores", lambda x, kw: a(x[0]).ndim == 1, "shape $(k,)$, or a matrix of scores, shape $(m, k)$"),
               Form("(m, k) scores", lambda x, kw: a(x[0]).ndim == 2, "shape $(k,)$, or a matrix of scores, shape $(m, k)$"),
               Form("scores near ±1000", lambda x, kw: big(x[0], 999), "for every score in $[-1000, 1000]$")),
        properties=(Property("Z unchanged", "must not change `Z` in place", "softmax_in_place"),)),
    FunctionSpec(
        "one_hot", "one_hot(y, num_classes)", returns="(m, num_classes) float",
        inside=lambda x, kw: a(x[0]).ndim == 1 and np.all((a(x[0]) >= 0) & (a(x[0]) < x[1])),
        forms=(Form("labels that miss some classes", lambda x, kw: len(np.unique(x[0])) < x[1],
                    "y: (m,) integer labels, each in 0 .. num_classes - 1"),)),
    FunctionSpec(
        "cross_entropy_loss", "cross_entropy_loss(Y, P)", returns="float",
        inside=lambda x, kw: a(x[0]).shape == a(x[1]).shape and a(x[0]).ndim == 2
        and np.allclose(a(x[0]).sum(axis=1), 1) and np.allclose(a(x[1]).sum(axis=1), 1),
        forms=(Form("one-hot Y", lambda x, kw: set(np.unique(x[0]).tolist()) <= {0.0, 1.0},
                    "Y: (m, k) targets: one-hot rows"),
               Form("rows of probabilities as Y", lambda x, kw: not set(np.unique(x[0]).tolist()) <= {0.0, 1.0},
                    "they may be any rows of probabilities"),
               Form("many samples (the product of the probabilities underflows)", lambda x, kw: a(x[0]).shape[0] >= 2000,
                    "For $m$ samples, stacked as rows of $Y$ and $P$")),
        properties=(Property("a zero probability where Y = 0 counts nothing",
                             "contributes nothing, even where $P_{ij}$ is 0", "ce_einsum"),
                    Property("the mean over the samples, the sum over the classes",
                             "the loss is the **mean** over the samples", "ce_axes_swapped"),
                    Property("every term of a row of probabilities counts", "with every term counting",
                             "ce_pick", public=False))),
    FunctionSpec(
        "entropy", "entropy(p)", returns="float",
        inside=lambda x, kw: a(x[0]).ndim == 1 and probabilities(x[0]) and np.isclose(a(x[0]).sum(), 1),
        forms=(Form("zero probabilities", lambda x, kw: np.any(a(x[0]) == 0), "some may be exactly 0"),
               Form("positive probabilities", lambda x, kw: np.all(a(x[0]) > 0), "for a vector of probabilities")),
        properties=(Property("a zero probability contributes 0", "Make sure a zero probability contributes 0",
                             "entropy_nan_at_zero"),)),
    FunctionSpec(
        "softmax_gradients", "softmax_gradients(X, Y, W, b)", calls=("softmax",), returns="(dW (n, k), db (k,))",
        inside=lambda x, kw: linear(x[0], x[2], x[3]) and a(x[2]).ndim == 2
        and a(x[1]).shape == (a(x[0]).shape[0], a(x[2]).shape[1]),
        forms=(Form("one sample", lambda x, kw: a(x[0]).shape[0] == 1, "X: (m, n) features, one row per sample"),
               Form("saturated scores (beyond ±700)", lambda x, kw: big(a(x[0]) @ a(x[2]) + x[3], 700), NO_OVERFLOW))),
    FunctionSpec(
        "predict_classes", "predict_classes(X, W, b)", calls=("softmax",), plausible=("softmax",),
        returns="(m,) integer",
        inside=lambda x, kw: linear(*x) and a(x[1]).ndim == 2,
        forms=(Form("one sample", lambda x, kw: a(x[0]).shape[0] == 1, "returning an $(m,)$ integer array"),
               Form("many samples", lambda x, kw: a(x[0]).shape[0] > 1, "returning an $(m,)$ integer array")),
        properties=(Property("ties go to the first class", "the first of them (the smallest class index) wins",
                             "pc_ties_to_last"),)),
    FunctionSpec(
        "train_softmax_regression",
        "train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0)",
        calls=("one_hot", "cross_entropy_loss", "softmax", "predict_classes", "softmax_gradients"),
        returns="(W, b, history)",
        inside=lambda x, kw: a(x[0]).ndim == 2 and a(x[1]).ndim == 1 and np.all(a(x[1]) < kw["num_classes"])
        and batches(x[0], x[1], kw),
        forms=(Form("full batch", lambda x, kw: kw.get("batch_size") is None, BATCHES),
               Form("a batch_size that divides m", lambda x, kw: divides(kw, x[0], True), BATCHES),
               Form("a batch_size that does not divide m", lambda x, kw: divides(kw, x[0], False),
                    "the last slice may be smaller"),
               Form("labels that miss a class", lambda x, kw: len(np.unique(x[1])) < kw["num_classes"],
                    "y: (m,) integer labels in 0 .. num_classes - 1"))),
))
LAB = Lab.from_spec(SPEC)
check = LAB.check

_Z = np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0], [2.0, 2.0, -2.0], [0.3, -0.6, 0.1]])
_X = np.array([[0.5, -1.0], [1.5, 0.3], [-0.8, 2.2], [0.0, -0.4], [1.1, 0.9]])
_Y = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [0, 1.0, 0], [1.0, 0, 0]])
_W = np.array([[0.2, -0.5, 0.1], [0.4, 0.3, -0.2]])
_b = np.array([0.1, -0.2, 0.05])
_XT = np.array([[0.2, 1.0], [1.1, -0.3], [-1.2, 0.4], [0.9, 1.4], [-0.5, -1.1], [1.6, 0.2], [-0.9, 0.8]])
_yT = np.array([0, 1, 2, 0, 2, 1, 2])

CASES = {
    "softmax.known_values": ("softmax", [np.array([0.5, 0.5, 10.0, 5.0, 7.0])], {}),
    "softmax.matrix": ("softmax", [np.array([[-5.0, -9.0], [1.0, 5.0], [7.0, 19.0]])], {}),
    "softmax.rows": ("softmax", [_Z], {}),
    "softmax.large_inputs": ("softmax", [np.array([[1000.0, 999.0, -1000.0], [-1000.0, -998.0, -999.0]])], {}),
    "one_hot.known_values": ("one_hot", [np.array([2, 0, 1, 2]), 4], {}),
    "cross_entropy_loss.apple": ("cross_entropy_loss", [np.array([[1.0, 0, 0]]), np.array([[0.8, 0.1, 0.1]])], {}),
    # 4 samples of 3 classes: a mean over the classes instead of the samples gives another number
    "cross_entropy_loss.several_samples": ("cross_entropy_loss", [_Y[:4], np.array(
        [[0.8, 0.1, 0.1], [0.25, 0.25, 0.5], [0.2, 0.3, 0.5], [0.1, 0.6, 0.3]])], {}),
    "entropy.rain": ("entropy", [np.array([0.01, 0.99])], {}),
    "entropy.three_outcomes": ("entropy", [np.array([0.2, 0.5, 0.3])], {}),
    "softmax_gradients.known_values": ("softmax_gradients", [_X, _Y, _W, _b], {}),
    "predict_classes.known_values": ("predict_classes", [_X, _W, _b], {}),
    "train_softmax_regression.full_batch": ("train_softmax_regression", [_XT, _yT],
                                            {"num_classes": 3, "lr": 0.5, "epochs": 4}),
    "train_softmax_regression.mini_batches": ("train_softmax_regression", [_XT, _yT],
                                              {"num_classes": 3, "lr": 0.3, "epochs": 3, "batch_size": 3, "seed": 1}),
}


# ---------------------------------------------------------------- softmax
@check("softmax")
def check_softmax_known_values(ctx):
    expect.stored(ctx, "softmax.known_values", "softmax([0.5, 0.5, 10, 5, 7])")


@check("softmax")
def check_softmax_matrix_rows(ctx):
    expect.stored(ctx, "softmax.matrix", "softmax of the (3, 2) scores [[-5, -9], [1, 5], [7, 19]]")
    expect.stored(ctx, "softmax.rows", "softmax of a (4, 3) matrix, row by row")


@check("softmax")
def check_softmax_rows_sum_to_one_and_shift_invariant(ctx):
    P = expect.as_array(ctx, ctx.call(_Z), "softmax(Z)")
    if P.shape != _Z.shape:
        ctx.fail(f"softmax of a {_Z.shape} matrix should keep its shape, yours has shape {P.shape}.")
    expect.values(ctx, P.sum(axis=-1), np.ones(len(_Z)), what="each row of softmax(Z) summed")
    shifted = expect.as_array(ctx, ctx.call(_Z + np.array([[5.0], [-3.0], [100.0], [0.5]])), "softmax(Z + c)")
    expect.values(ctx, shifted, P, what="softmax(Z + c) with a constant c added to each row (it must not change)")


@check("softmax")
def check_softmax_stable_for_large_inputs(ctx):
    expect.stored(ctx, "softmax.large_inputs", "softmax of scores around ±1000", atol=1e-12)


@check("softmax")
def check_softmax_does_not_modify_input(ctx):
    expect.untouched(ctx, _Z.copy())


# ---------------------------------------------------------------- one_hot
@check("one_hot")
def check_one_hot_known_values(ctx):
    expect.stored(ctx, "one_hot.known_values", "one_hot([2, 0, 1, 2], num_classes=4)")


@check("one_hot")
def check_one_hot_float_matrix_of_num_classes_columns(ctx):
    got = expect.as_array(ctx, ctx.call(np.array([0, 1, 1]), 5), "one_hot([0, 1, 1], 5)")
    if got.shape != (3, 5):
        ctx.fail(f"one_hot([0, 1, 1], 5) should have shape (3, 5), yours has shape {got.shape}.")
    if got.dtype.kind != "f":
        expect.wrong_type(ctx, got, np.eye(5)[[0, 1, 1]], f"one_hot must return a float matrix, yours has dtype "
                          f"{got.dtype}: use np.zeros(..., dtype=float).", "a float dtype")


# ---------------------------------------------------------------- cross_entropy_loss
@check("cross_entropy_loss")
def check_cross_entropy_loss_fruit_example(ctx):
    expect.stored(ctx, "cross_entropy_loss.apple", "the loss of p = (0.8, 0.1, 0.1) for a true apple")


@check("cross_entropy_loss")
def check_cross_entropy_loss_mean_over_samples(ctx):
    expect.stored(ctx, "cross_entropy_loss.several_samples", "cross_entropy_loss of 4 samples",
                  sizes={"m": 3, "k": 3})


@check("cross_entropy_loss")
def check_cross_entropy_loss_zero_probability_where_the_label_is_0(ctx):
    Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    P = np.array([[0.7, 0.3, 0.0], [0.0, 1.0, 0.0]])
    what = "cross_entropy_loss(Y, P) where P is 0 at classes with Y = 0"
    got = ctx.call(Y, P)
    expect.number(ctx, got, what)
    if not np.isfinite(float(got)):
        raise expect.Mismatch(f"{what} is {float(got)}, where the expected loss is {-np.log(0.7) / 2:.6g}.",
                              pinned=["0 * np.log(0) is 0 * -inf = nan: an entry with Y = 0 must contribute "
                                      "nothing, so take the log only where Y > 0 (or of P at the true class)"])
    expect.values(ctx, got, -np.log(0.7) / 2, what=what)


@check("cross_entropy_loss")
def check_cross_entropy_loss_returns_a_number(ctx):
    expect.number(ctx, ctx.call(_Y[:2], np.full((2, 3), 1 / 3)), "cross_entropy_loss(Y, P)")


# ---------------------------------------------------------------- entropy
@check("entropy")
def check_entropy_rain_examples(ctx):
    expect.stored(ctx, "entropy.rain", "entropy of (0.01, 0.99)")
    expect.values(ctx, ctx.call(np.array([0.5, 0.5])), np.log(2), what="entropy of (0.5, 0.5)")


@check("entropy")
def check_entropy_three_outcomes(ctx):
    expect.stored(ctx, "entropy.three_outcomes", "entropy of (0.2, 0.5, 0.3)", sizes={"k": 3})


@check("entropy")
def check_entropy_zero_probabilities_count_as_zero(ctx):
    got = ctx.call(np.array([0.0, 1.0, 0.0]))
    expect.values(ctx, got, 0.0, what="entropy of (0, 1, 0) (0 ln 0 counts as 0)")
    expect.values(ctx, ctx.call(np.array([0.5, 0.0, 0.5])), np.log(2), what="entropy of (0.5, 0, 0.5)")


# ---------------------------------------------------------------- softmax_gradients
@check("softmax_gradients")
def check_softmax_gradients_returns_shapes(ctx):
    got = ctx.call(_X, _Y, _W, _b)
    expect.gradient_shapes(ctx, got, (2, 3), "W", b_shape=(3,), hint=" (one value per class)")


@check("softmax_gradients")
def check_softmax_gradients_known_values(ctx):
    expect.stored(ctx, "softmax_gradients.known_values", parts=("dW", "db"), sizes={"m": 5})


@check("softmax_gradients")
def check_softmax_gradients_gradient_check(ctx):
    """Your analytic gradient against central differences of the loss."""
    loss, soft = expect.loss_of(ctx, "cross_entropy_loss"), ctx.other("softmax")
    got = ctx.call(_X, _Y, _W, _b)
    expect.gradient_shapes(ctx, got, (2, 3), "W")
    expect.gradient(ctx, got[0], numeric_gradient(lambda W: loss(_Y, soft(_X @ W + _b)), _W), "dW")
    expect.gradient(ctx, got[1], numeric_gradient(lambda b: loss(_Y, soft(_X @ _W + b)), _b), "db")


@check("softmax_gradients")
def check_softmax_gradients_does_not_modify_inputs(ctx):
    expect.untouched(ctx, _X.copy(), _Y.copy(), _W.copy(), _b.copy())


# ---------------------------------------------------------------- predict_classes
@check("predict_classes")
def check_predict_classes_known_values(ctx):
    expect.stored(ctx, "predict_classes.known_values", "predict_classes(X, W, b)")


@check("predict_classes")
def check_predict_classes_ties_go_to_the_first_class(ctx):
    X, W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    got = ctx.call(X, W, np.zeros(3))       # scores (1, 1, 0), (0, 1, 1), (1, 2, 1)
    expect.values(ctx, got, np.array([0, 1, 1]), what="predict_classes(X, W, b) where scores tie",
                  mistakes=[(np.array([1, 2, 1]), "a tie goes to the last of the tied classes: it must go to "
                                                  "the first, as np.argmax(..., axis=1) does")])


@check("predict_classes")
def check_predict_classes_integer_labels(ctx):
    got = expect.as_array(ctx, ctx.call(_X, _W, _b), "predict_classes(X, W, b)")
    if got.shape != (5,) or got.dtype.kind not in "iu":
        expect.wrong_type(ctx, got, ctx.lab.case("predict_classes.known_values").expected,
                          f"predict_classes must return 5 integer class indices for 5 samples; yours has shape "
                          f"{got.shape} and dtype {got.dtype}. Use np.argmax(scores, axis=1).", "an integer dtype")


# ---------------------------------------------------------------- train_softmax_regression
@check("train_softmax_regression")
def check_train_softmax_regression_returns_parameters_and_history(ctx):
    got = ctx.call(_XT, _yT, num_classes=3, lr=0.1, epochs=3)
    expect.training_output(ctx, got, n=2, epochs=3, entry_size=2)
    W = expect.as_array(ctx, got[0], "W")
    if W.shape != (2, 3):
        ctx.fail(f"W should have shape (n, num_classes) = (2, 3), yours has shape {W.shape}.")


@check("train_softmax_regression")
def check_train_softmax_regression_starts_from_zeros(ctx):
    got = ctx.call(_XT, _yT, num_classes=3, lr=0.1, epochs=0)
    expect.training_output(ctx, got, n=2, epochs=0, entry_size=2)
    expect.values(ctx, got[0], np.zeros((2, 3)), what="W after 0 epochs")
    expect.values(ctx, got[1], np.zeros(3), what="b after 0 epochs")


@check("train_softmax_regression")
def check_train_softmax_regression_full_batch_trajectory(ctx):
    expect.stored(ctx, "train_softmax_regression.full_batch", parts=("W", "b", "history"),
                  training={"n": 2, "epochs": 4, "entry_size": 2})


@check("train_softmax_regression")
def check_train_softmax_regression_mini_batch_trajectory(ctx):
    """7 samples in batches of 3: two batches of 3, then one of 1, every epoch."""
    expect.stored(ctx, "train_softmax_regression.mini_batches", parts=("W", "b", "history"),
                  training={"n": 2, "epochs": 3, "entry_size": 2})


@check("train_softmax_regression")
def check_train_softmax_regression_loss_decreases(ctx):
    got = ctx.call(_XT, _yT, num_classes=3, lr=0.5, epochs=12)
    expect.training_output(ctx, got, n=2, epochs=12, entry_size=2)
    expect.decreasing_loss(ctx, got, epochs=12, pairs=True)
