"""Mistake families: parameterised mistakes applied per function (instructor only).

The catalogs in this package are plausible student code, each entry one mistake. A family
is a kind of mistake with parameters - the denominator of a mean, a sign, a missing term,
a log base, an axis, a rounding, an unstable formula, a step of a training loop - applied
to each graded function it fits, so that a variant nobody wrote down is still named. A
member is a function with the graded function's signature; the judge runs it on a check's
own inputs and names it only when its output is the student's on every failing case.

`for_lab(lab_id, reference)` gives {function: [(message, implementation)]}, the form of
the catalog's `diagnosis_catalog()`, to which it is appended (catalog messages first).
"""
from __future__ import annotations

import numpy as np

from solutions import loops


def _map(value, f):
    """`f` applied to each numeric part of a function's output (tuples part by part)."""
    if isinstance(value, tuple):
        return tuple(_map(v, f) for v in value)
    if isinstance(value, float) or (isinstance(value, np.generic) and np.ndim(value) == 0):
        return float(f(np.float64(value)))
    return f(np.asarray(value, dtype=np.float64))


def transformed(reference, f):
    """A member whose output is the reference's output through f(output, *args)."""
    def implementation(*args, **kwargs):
        return _map(reference(*args, **kwargs), lambda v: f(v, *args))
    return implementation


def scaled(reference, factor):
    """The reference's output times factor(*args) (None: not a different output here)."""
    def f(value, *args):
        c = factor(*args)
        if c is None or abs(c - 1.0) < 1e-12:
            raise ValueError("the same output as the reference here")
        return value * c
    return transformed(reference, f)


# ---------------------------------------------------------------- denominator
def denominator(reference, correct, wrong, what):
    """The mean of the contract divided by another count: [(message, member)] for each
    (count(*args), name) in `wrong`, against `correct(*args)`."""
    members = []
    for count, name in wrong:
        if name == "1":
            message = (f"{what} is summed where the contract takes a mean: divide by the number of terms averaged, "
                       f"not 1")
        elif name.startswith("twice"):
            message = f"{what} is divided by the number of terms twice (a mean of a mean, or / m after np.mean)"
        else:
            message = f"{what} is divided by {name} where the mean of the contract divides by the number of terms it averages"
        members.append((message, scaled(reference, lambda *a, c=count: correct(*a) / c(*a))))
    return members


def rows(a):
    return np.atleast_2d(np.asarray(a)).shape[0]


def cols(a):
    return np.atleast_2d(np.asarray(a)).shape[1]


# ---------------------------------------------------------------- sign, constant factors, log base, rounding
def sign(reference, message):
    return [(message, scaled(reference, lambda *a: -1.0))]


def one_part(reference, names, factor, words):
    """ONE part of a tuple output (a gradient's dW or db) times `factor`, the others right:
    one member per part, worded by `words(name, others)`. A member is named only when the
    student's other parts are the reference's (see `expect.claims_hold`)."""
    members = []
    for index, name in enumerate(names):
        others = " and ".join(n for n in names if n != name)
        def implementation(*args, index=index, **kwargs):
            out = tuple(reference(*args, **kwargs))
            if np.allclose(_f(out[index]), 0.0, atol=1e-12):
                raise ValueError("a zero part: the same output")
            changed = factor * _f(out[index]) if np.ndim(out[index]) else factor * float(out[index])
            return out[:index] + (changed,) + out[index + 1:]
        members.append((words(name, others), implementation))
    return members


def part_signs(reference, names, error):
    """The sign of ONE part of a gradient flipped, the others right: a sign slip in one factor
    of that part's chain rule."""
    return one_part(reference, names, -1.0, lambda name, others: (
        f"{name}'s sign is flipped while {others} is right: {name} comes from the same error term, {error}, with "
        "no extra minus sign in its chain rule"))


def step_parts(reference):
    """A gradient step with the learning rate left out of one parameter's step, the other right."""
    def weights(W, b, dW, db, lr):
        if np.isclose(lr, 1.0):
            raise ValueError("lr = 1: the same output")
        return np.asarray(W) - np.asarray(dW), reference(W, b, dW, db, lr)[1]

    def bias(W, b, dW, db, lr):
        if np.isclose(lr, 1.0):
            raise ValueError("lr = 1: the same output")
        return reference(W, b, dW, db, lr)[0], b - np.asarray(db) if np.ndim(b) else b - float(db)
    return [("the learning rate is left out of W's step (b's step is right): W - lr * dW", weights),
            ("the learning rate is left out of b's step (W's step is right): b - lr * db", bias)]


def factors(reference, named):
    return [(message, scaled(reference, lambda *a, c=c: c)) for c, message in named]


LOG_BASES = [(1 / np.log(2), "log base 2 is used: the contract's logarithm is the natural log, np.log"),
             (1 / np.log(10), "log base 10 is used: the contract's logarithm is the natural log, np.log")]


def rounding(reference):
    members = []
    for decimals in range(5):
        def f(value, *args, d=decimals):
            out = np.round(value, d)
            if np.allclose(out, value, rtol=1e-9, atol=0):
                raise ValueError("rounding changes nothing here")
            return out
        members.append((f"the result is rounded to {decimals} decimals: return the values as computed",
                        transformed(reference, f)))
    return members


# ---------------------------------------------------------------- formulas with one part changed
def _bce_terms(y, p, *, pos=True, neg=True):
    y, p = np.asarray(y, dtype=np.float64), np.asarray(p, dtype=np.float64)
    total = 0.0
    if pos:
        total = total + y * np.log(p)
    if neg:
        total = total + (1 - y) * np.log(1 - p)
    return -total


BCE_QUANTITIES = {"y": lambda y, p: y, "p_hat": lambda y, p: p, "(1 - y)": lambda y, p: 1 - y,
                  "(1 - p_hat)": lambda y, p: 1 - p}
BCE_SLOTS = (("the first term's weight", "y"), ("the first term's log", "p_hat"),
             ("the second term's weight", "(1 - y)"), ("the second term's log", "(1 - p_hat)"))


def bce_typos(reference):
    """The binary cross-entropy -mean(y ln(p_hat) + (1 - y) ln(1 - p_hat)) with ONE of its
    four quantities written as another one (a typo: (1 - y) ln(p_hat) for the second term),
    and with the parentheses of (1 - y) missing (1 - y * ln(1 - p_hat))."""
    members = []
    for slot, (where, right) in enumerate(BCE_SLOTS):
        for wrong in BCE_QUANTITIES:
            if wrong == right:
                continue
            def implementation(y, p, slot=slot, wrong=wrong):
                y, p = _f(y), _f(p)
                q = [BCE_QUANTITIES[name](y, p) for _, name in BCE_SLOTS]
                q[slot] = BCE_QUANTITIES[wrong](y, p)
                with np.errstate(all="ignore"):
                    value = float(-np.mean(q[0] * np.log(q[1]) + q[2] * np.log(q[3])))
                if not np.isfinite(value):
                    raise ValueError("a log of 0 here: no finite output to recognise")
                return _changed(value, reference(y, p))
            shown = "ln(" + wrong.strip("()") + ")" if "log" in where else wrong
            members.append((f"{where} is written {shown} instead of "
                            f"{'ln(' + right.strip('()') + ')' if 'log' in where else right}: the loss is "
                            "-mean(y ln(p_hat) + (1 - y) ln(1 - p_hat))", implementation))

    def no_parentheses(y, p):
        y, p = _f(y), _f(p)
        with np.errstate(all="ignore"):
            value = float(-np.mean(y * np.log(p) + 1 - y * np.log(1 - p)))
        return _changed(value, reference(y, p))
    members.append(("operator precedence: 1 - y * np.log(1 - p_hat) multiplies only y by the log; the second term "
                    "is (1 - y) * np.log(1 - p_hat), with parentheses", no_parentheses))
    return members


def bce_derivative_precedence(reference):
    """(1 - y)/(1 - p_hat) - y/p_hat with parentheses left out: operator precedence."""
    def numerator(y, p):
        y, p = _f(y), _f(p)
        with np.errstate(all="ignore"):
            return _changed(1 - y / (1 - p) - y / p, reference(y, p))

    def denominator(y, p):
        y, p = _f(y), _f(p)
        with np.errstate(all="ignore"):
            return _changed((1 - y) / 1 - p - y / p, reference(y, p))

    def both(y, p):
        y, p = _f(y), _f(p)
        with np.errstate(all="ignore"):
            return _changed(1 - y / 1 - p - y / p, reference(y, p))
    return [("operator precedence: 1 - y / (1 - p_hat) divides only y; write (1 - y) / (1 - p_hat) - y / p_hat, "
             "with the parentheses around 1 - y", numerator),
            ("operator precedence: (1 - y) / 1 - p_hat divides by 1 only; write (1 - y) / (1 - p_hat) - y / p_hat, "
             "with the parentheses around 1 - p_hat", denominator),
            ("operator precedence: 1 - y / 1 - p_hat divides only y, and by 1; write (1 - y) / (1 - p_hat) - "
             "y / p_hat, with both pairs of parentheses", both)]


def _softmax_axis0(Z):
    Z = np.asarray(Z, dtype=np.float64)
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_all(Z):
    Z = np.asarray(Z, dtype=np.float64)
    e = np.exp(Z - Z.max())
    return e / e.sum()


def _softmax_unshifted(Z):
    e = np.exp(np.asarray(Z, dtype=np.float64))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_sums_without_keepdims(Z):
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.shape[0] != Z.shape[1]:
        raise ValueError("only a square Z broadcasts an (m,) array of row sums without an error")
    e = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


def _softmax_max_without_keepdims(Z):
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.shape[0] != Z.shape[1]:
        raise ValueError("only a square Z broadcasts an (m,) array of row maxima without an error")
    with np.errstate(all="ignore"):
        e = np.exp(Z - Z.max(axis=-1))
        return e / e.sum(axis=-1, keepdims=True)


def _sigmoid_each(Z):
    return 1 / (1 + np.exp(-np.asarray(Z, dtype=np.float64)))


SOFTMAX_VARIANTS = [
    (_softmax_axis0, "the softmax is taken over the samples (axis 0): each ROW, one sample's class scores, is "
                     "normalised (axis=-1)"),
    (_softmax_all, "the softmax divides by the sum over ALL entries: each row is normalised by its own sum "
                   "(axis=-1, keepdims=True)"),
    (_softmax_unshifted, "the exponentials are not shifted by each row's maximum: np.exp overflows for large "
                         "scores (inf / inf = nan); subtract the row maximum first, the result does not change"),
    (_sigmoid_each, "the sigmoid is applied to each score: softmax divides exp(z_j) by the sum of the row's "
                    "exponentials"),
    (lambda Z: np.asarray(Z, dtype=np.float64), "the scores themselves are used where the softmax probabilities "
                                                "are needed"),
    (_softmax_sums_without_keepdims, "the softmax's row sums are divided without keepdims: the (m,) array of sums "
                                     "broadcasts along the columns (entry [i, j] is divided by row j's sum); use "
                                     "e.sum(axis=-1, keepdims=True)"),
    (_softmax_max_without_keepdims, "the softmax's row maxima are subtracted without keepdims: the (m,) array of "
                                    "maxima broadcasts along the columns (entry [i, j] is shifted by row j's "
                                    "maximum); use Z.max(axis=-1, keepdims=True)"),
]


# ---------------------------------------------------------------- shared: a changed output is a member only where it differs
def _f(a):
    return np.asarray(a, dtype=np.float64)


def _changed(value, reference_value):
    """`value`, unless it is near the reference's own output here (within ten times the
    tolerance of a match): a member so near names nothing, as a student a little off for
    another reason would match it."""
    try:
        v, r = np.asarray(value, dtype=np.float64), np.asarray(reference_value, dtype=np.float64)
        same = v.shape == r.shape and np.allclose(v, r, rtol=1e-4, atol=1e-6, equal_nan=True)
    except (TypeError, ValueError):
        same = False
    if same:
        raise ValueError("the same output as the reference here")
    return value


# ---------------------------------------------------------------- the linear map X @ W + b, written another way
def linear_forms(reference, then=lambda Z, **kw: Z, name="the predictions"):
    """Members of a function of (X, W, b, ...) that computes `then(X @ W + b)`, with the
    linear part written wrongly: an elementwise X * W, only the first feature, only b[0],
    the bias added after `then`."""
    def elementwise(X, W, b, **kw):
        with np.errstate(all="ignore"):
            return _changed(then(_f(X) * _f(W) + b, **kw), reference(X, W, b, **kw))

    def first_feature(X, W, b, **kw):
        X, W = _f(X), _f(W)
        if X.shape[1] < 2:
            raise ValueError("one feature: the same output")
        return _changed(then(X[:, :1] @ W[:1] + b, **kw), reference(X, W, b, **kw))

    def first_bias(X, W, b, **kw):
        if np.size(b) < 2:
            raise ValueError("one bias: the same output")
        return _changed(then(_f(X) @ _f(W) + np.asarray(b).flat[0], **kw), reference(X, W, b, **kw))

    return [
        (f"X * W multiplies elementwise (each feature times its weight, one value per feature): {name} use the "
         "matrix product X @ W + b, a sum over the features", elementwise),
        (f"only the first feature is used (X[:, 0] * W[0]): {name} sum over all n features, X @ W + b",
         first_feature),
        ("only the first bias b[0] is added to every output: b has one entry per output, and X @ W + b adds b[j] "
         "to column j", first_bias),
    ]


def bias_after(reference, then, name):
    """then(X @ W) + b: the bias added after the function instead of inside it."""
    def implementation(X, W, b, **kw):
        with np.errstate(all="ignore"):
            return _changed(then(_f(X) @ _f(W)) + b, reference(X, W, b, **kw))
    return [(f"the bias is added after the {name}, {name}(X @ W) + b: it belongs inside, {name}(X @ W + b)",
             implementation)]


# ---------------------------------------------------------------- a formula with one operation changed
# The mechanism, not the call: np.zeros_like(z), np.empty_like(z), z.copy() or np.asarray(z) of an integer z all
# make an output array of the input's integer dtype, and each probability stored in it is truncated.
SIGMOID_INTEGER_OUTPUT = ("the output array takes the input's integer dtype (as np.zeros_like(z), np.empty_like(z) "
                          "or a copy of z make it): each probability stored in it is truncated to an integer, 0 or 1; "
                          "make a float array, e.g. np.zeros(np.shape(z), dtype=float)")


def sigmoid_forms(reference):
    """Sigmoids written with one operation changed: a minus in the denominator, the precedence
    of 1 / 1 + e^(-z), z clipped to [-c, c] (against overflow) where the contract keeps every z."""
    def minus(z):
        with np.errstate(all="ignore"):
            return _changed(1 / (1 - np.exp(-_f(z))), reference(z))

    def precedence(z):
        with np.errstate(all="ignore"):
            return _changed(1 + np.exp(-_f(z)), reference(z))

    members = [("the denominator is 1 - e^(-z): the sigmoid is 1 / (1 + e^(-z)) (at z = 0, 1 - e^0 = 0 divides by "
                "zero)", minus),
               ("operator precedence: 1 / 1 + np.exp(-z) is 1 + e^(-z); write 1 / (1 + np.exp(-z))", precedence)]
    # Clipped at 14 or more, the values differ from the reference's by less than 1e-6: such a
    # member is not kept (see `_changed`). One message for every bound: none is named that
    # the student did not use.
    for c in (5, 8, 10, 12):
        def clipped(z, c=c):
            out = reference(np.clip(_f(z), -c, c))
            return _changed(out if np.ndim(z) else float(out), reference(z))
        members.append(("the sigmoid is cut off for large |z| (z clipped to a range like [-10, 10] before the "
                        "exponential): beyond the cut its values are wrong; for stability use exp(-|z|) and pick "
                        "the formula by the sign of z instead of clipping", clipped))
    return members


def epsilon_in_log(reference, what, member):
    """A loss whose probabilities get an epsilon big enough to change it (added inside the
    log, or a clip to [eps, 1 - eps]): `member(eps, how, *args)` is the loss so computed. A
    member is kept only where it differs from the reference by more than 1e-4 (relative, see
    `_changed`): a neighbouring epsilon (ten times smaller) is then never within a match of it."""
    members = []
    for how in ("add", "clip"):
        for eps in (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7):
            def implementation(*args, eps=eps, how=how):
                with np.errstate(all="ignore"):
                    return _changed(member(eps, how, *args), reference(*args))
            text = (f"an epsilon of {eps:g} is added to the probabilities inside the log" if how == "add" else
                    f"the probabilities are clipped to [{eps:g}, 1 - {eps:g}] before the log")
            members.append((f"{text}: that changes {what} visibly; the contract's probabilities need no epsilon (or "
                            "one far smaller, like 1e-12)", implementation))
    return members


def floor_division(formula, reference, what):
    """`formula(divide, *args)` with floor division // where the contract divides with /."""
    def implementation(*args):
        with np.errstate(all="ignore"):
            return _changed(formula(np.floor_divide, *args), reference(*args))
    return [(f"// is floor division (it rounds down to a whole number): {what} divides with /", implementation)]


def _bce(eps, how, y, p):
    y, p = _f(y), _f(p)
    if how == "clip":
        p = np.clip(p, eps, 1 - eps)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))


def _ce(eps, how, Y, P):
    Y, P = np.atleast_2d(_f(Y)), np.atleast_2d(_f(P))
    P = np.clip(P, eps, 1 - eps) if how == "clip" else P + eps
    return float(-np.sum(Y * np.log(P)) / Y.shape[0])


def _entropy(eps, how, p):
    p = _f(p)
    inside = np.clip(p, eps, 1 - eps) if how == "clip" else p + eps
    return float(-np.sum(p * np.log(inside)))


def lab1(ref):
    size = lambda y, y_hat: np.size(y)                              # noqa: E731
    gsize = lambda X, y, W, b: np.size(y)                           # noqa: E731
    def variance(y, h):
        return _changed(float(np.var(_f(y) - _f(h))), ref.mse_loss(y, h))

    def squares(sign):
        def implementation(y, h):
            return _changed(float(np.mean(sign * (_f(y) ** 2 - _f(h) ** 2))), ref.mse_loss(y, h))
        return implementation
    return {
        "predict": rounding(ref.predict) + linear_forms(ref.predict),
        "mse_loss": [("the mean error is subtracted first (np.var of the errors): the MSE is the mean of the squared "
                      "errors themselves, np.mean((y_hat - y) ** 2)", variance),
                     ("y ** 2 - y_hat ** 2 is a difference of squares: square the difference, (y_hat - y) ** 2",
                      squares(1.0)),
                     ("y_hat ** 2 - y ** 2 is a difference of squares: square the difference, (y_hat - y) ** 2",
                      squares(-1.0))]
        + denominator(ref.mse_loss, size, [
            (lambda y, h: 1.0, "1"),
            (lambda y, h: rows(y) if np.ndim(y) == 2 else None, "m, the number of rows (the mean runs over all m*k entries)"),
            (lambda y, h: np.size(y) ** 2, "twice")], "the loss") + rounding(ref.mse_loss),
        "mse_gradients": denominator(ref.mse_gradients, gsize, [
            (lambda X, y, W, b: 1.0, "1"),
            (lambda X, y, W, b: X.shape[1], "n, the number of features"),
            (lambda X, y, W, b: X.shape[0] if np.ndim(y) == 2 else None, "m alone (with k outputs the loss averages m*k entries)"),
            (lambda X, y, W, b: np.size(y) ** 2, "twice")], "the gradient")
        + factors(ref.mse_gradients, [(0.5, "the factor 2 from the derivative of the square is missing")])
        + sign(ref.mse_gradients, "the gradient's sign is flipped: the residual is the prediction minus the "
                                  "target, y_hat - y")
        + part_signs(ref.mse_gradients, ("dW", "db"), "the residual y_hat - y")
        + one_part(ref.mse_gradients, ("dW", "db"), 0.5, lambda name, others: (
            f"{name} misses the factor 2 from the derivative of the square ({others} has it): "
            f"{name} = 2 * ... / (number of entries), like {others}")),
        "gradient_descent_step": step_parts(ref.gradient_descent_step) + [
            ("the learning rate is applied twice (lr * lr * gradient): scale the gradient by lr once",
             lambda W, b, dW, db, lr: (W - lr * lr * np.asarray(dW), b - lr * lr * np.asarray(db))),
            ("the gradient is divided by its norm before the step: the step is lr times the gradient itself",
             lambda W, b, dW, db, lr: (W - lr * np.asarray(dW) / np.linalg.norm(dW), b - lr * np.asarray(db))),
        ],
        "fit_linear_regression": loops.family(loops.LAB1, ref, "fit_linear_regression"),
    }


def lab2(ref):
    m = lambda y, p: np.size(y)                                     # noqa: E731
    gm = lambda X, y, W, b: np.shape(X)[0]                          # noqa: E731
    bce = "the loss"

    def log_of_mean(y, p):
        y, p = _f(y), _f(p)
        return _changed(float(-np.log(np.mean(p ** y * (1 - p) ** (1 - y)))), ref.bce_loss(y, p))

    def linear_error(X, y, W, b):
        X = _f(X)
        error = X @ _f(W) + b - _f(y)
        return _changed((X.T @ error / X.shape[0], float(np.mean(error))), ref.bce_gradients(X, y, W, b))

    def chain_rule(X, y, W, b):
        X, y = _f(X), _f(y)
        p = _f(ref.sigmoid(X @ _f(W) + b))
        with np.errstate(all="ignore"):
            dz = ((1 - y) / (1 - p) - y / p) * p * (1 - p)
        if np.all(np.isfinite(dz)):
            raise ValueError("no saturated score: the chain rule gives the reference's output here")
        return X.T @ dz / X.shape[0], float(np.mean(dz))

    def counted(kind):
        def implementation(a, b):
            a, b = np.asarray(a), np.asarray(b)
            hits = float(np.sum((a == 1) & (b == 1)))
            with np.errstate(all="ignore"):
                value = np.float64(hits) / np.float64(np.sum(b == 1) if kind == "precision" else np.sum(a == 1))
            return _changed(float(value), ref.accuracy(a, b))
        return implementation

    def labels(Z, threshold=0.5):
        return (_f(ref.sigmoid(Z)) > threshold).astype(int)
    return {
        "sigmoid": rounding(ref.sigmoid) + sigmoid_forms(ref.sigmoid),
        "bce_loss": denominator(ref.bce_loss, m, [(lambda y, p: 1.0, "1"), (lambda y, p: np.size(y) ** 2, "twice")], bce)
        + factors(ref.bce_loss, LOG_BASES)
        + sign(ref.bce_loss, "the minus sign is missing: ln of a probability is negative, the loss is -mean(...)")
        + [("the (1 - y) ln(1 - p_hat) term of the samples of class 0 is missing",
            lambda y, p: float(np.mean(_bce_terms(y, p, neg=False)))),
           ("the y ln(p_hat) term of the samples of class 1 is missing",
            lambda y, p: float(np.mean(_bce_terms(y, p, pos=False)))),
           ("the log of the product of the likelihoods underflows to log(0) for many samples: take the mean of "
            "the logs, not the log of a product",
            lambda y, p: float(-np.log(np.prod(np.where(np.asarray(y) > 0.5, p, 1 - np.asarray(p)))) / np.size(y))),
           ("the log is taken of the mean likelihood: the loss is the mean of the logs, -mean(y ln p_hat + (1 - y) "
            "ln(1 - p_hat)), not the log of a mean", log_of_mean)]
        + epsilon_in_log(ref.bce_loss, "the loss", _bce)
        + rounding(ref.bce_loss) + bce_typos(ref.bce_loss),
        "bce_dloss_dphat": sign(ref.bce_dloss_dphat, "the sign of the derivative is flipped: "
                                                      "(1 - y)/(1 - p_hat) - y/p_hat")
        + [("the factor (1 - y) of the first term is missing: (1 - y)/(1 - p_hat) - y/p_hat",
            lambda y, p: 1 / (1 - np.asarray(p, dtype=np.float64)) - np.asarray(y) / np.asarray(p, dtype=np.float64)),
           ("the factor y of the second term is missing: (1 - y)/(1 - p_hat) - y/p_hat",
            lambda y, p: (1 - np.asarray(y)) / (1 - np.asarray(p, dtype=np.float64)) - 1 / np.asarray(p, dtype=np.float64))]
        + floor_division(lambda div, y, p: div(1 - _f(y), 1 - _f(p)) - div(_f(y), _f(p)), ref.bce_dloss_dphat,
                         "the derivative (1 - y)/(1 - p_hat) - y/p_hat")
        + rounding(ref.bce_dloss_dphat) + bce_derivative_precedence(ref.bce_dloss_dphat),
        "sigmoid_derivative": rounding(ref.sigmoid_derivative),
        "bce_gradients": denominator(ref.bce_gradients, gm, [
            (lambda X, y, W, b: 1.0, "1"), (lambda X, y, W, b: np.shape(X)[1], "n, the number of features"),
            (lambda X, y, W, b: np.shape(X)[0] ** 2, "twice")], "the gradient")
        + sign(ref.bce_gradients, "the gradient's sign is flipped: the error term is p_hat - y")
        + part_signs(ref.bce_gradients, ("dW", "db"), "the error p_hat - y")
        + factors(ref.bce_gradients, [(2.0, "a factor 2 is copied from the MSE gradient: the cross-entropy gradient "
                                            "is X.T @ (p_hat - y) / m, with no 2")])
        + [("the sigmoid is missing: the error term is sigmoid(X @ W + b) - y, not the linear-regression error "
            "X @ W + b - y", linear_error),
           ("the gradient is nan where the scores saturate (p_hat exactly 0 or 1 in float64): a step through "
            "dL/dp_hat (dividing by p_hat or 1 - p_hat) or through the exp of a large score gives inf, then nan, "
            "there; the simplified error dL/dz = p_hat - y stays finite", chain_rule)],
        "predict_proba": rounding(ref.predict_proba) + linear_forms(ref.predict_proba, ref.sigmoid, "the scores")
        + bias_after(ref.predict_proba, ref.sigmoid, "sigmoid"),
        "predict": linear_forms(ref.predict, labels, "the scores"),
        "accuracy": [("the number of equal entries is returned: accuracy is their FRACTION (divide by m)",
                      lambda a, b: float(np.sum(np.asarray(a) == np.asarray(b)))),
                     ("that is the error rate (the fraction of DIFFERENT entries): accuracy is the fraction of "
                      "equal ones", lambda a, b: float(np.mean(np.asarray(a) != np.asarray(b)))),
                     ("that is the precision (the fraction of right labels among the predicted 1s): accuracy is the "
                      "fraction of ALL labels that are right", counted("precision")),
                     ("that is the recall (the fraction of the true 1s predicted as 1): accuracy is the fraction of ALL "
                      "labels that are right", counted("recall")),
                     ("the array of matches (y_true == y_pred) is returned: accuracy is its mean, one number",
                      lambda a, b: np.asarray(a) == np.asarray(b))],
        "train_logistic_regression": loops.family(loops.LAB2, ref, "train_logistic_regression"),
    }


# Summing every entry and dividing by k, and summing over the samples then averaging over the
# classes, are one computation: the words name both (the catalog's entry says the same).
CE_OVER_CLASSES = ("the sum of -Y ln P over every entry is divided by k, the number of classes, instead of m, the "
                   "number of samples (summing over the samples, axis=0, then averaging over the classes gives that "
                   "same number): sum over the classes, then average over the samples")


def lab3(ref):
    m = lambda Y, P: rows(Y)                                        # noqa: E731
    gm = lambda X, Y, W, b: np.shape(X)[0]                          # noqa: E731

    def with_softmax(soft):
        def gradients(X, Y, W, b):
            X = np.asarray(X, dtype=np.float64)
            dZ = (soft(X @ W + b) - Y) / X.shape[0]
            return X.T @ dZ, dZ.sum(axis=0)
        return gradients

    def picked(Y, P, how):
        P = np.atleast_2d(np.asarray(P, dtype=np.float64))
        Y = np.atleast_2d(np.asarray(Y, dtype=np.float64))
        chosen = P.max(axis=1) if how == "max" else P[np.arange(len(P)), Y.argmax(axis=1)]
        return float(-np.mean(np.log(chosen)))

    def min_shift(Z):
        Z = _f(Z)
        with np.errstate(all="ignore"):
            e = np.exp(Z - Z.min(axis=-1, keepdims=True))
            return _changed(e / e.sum(axis=-1, keepdims=True), ref.softmax(Z))

    def max_shift_without_keepdims(Z):
        with np.errstate(all="ignore"):
            return _changed(_softmax_max_without_keepdims(Z), ref.softmax(Z))

    def sums_without_keepdims(Z):
        Z = _f(Z)
        if Z.ndim != 2:
            raise ValueError("a vector: the same output")
        e = np.exp(Z - Z.max())
        return _changed(e / e.sum(axis=-1), ref.softmax(Z))

    def means_first(kind):
        def implementation(Y, P):
            Y, P = np.atleast_2d(_f(Y)), np.atleast_2d(_f(P))
            with np.errstate(all="ignore"):
                logs = np.log(P.mean(axis=0)) if kind == "log_of_means" else np.log(P).mean(axis=0)
                return _changed(float(-np.sum(Y.mean(axis=0) * logs)), ref.cross_entropy_loss(Y, P))
        return implementation

    def ones_only(Y, P):
        Y, P = np.atleast_2d(_f(Y)), np.atleast_2d(_f(P))
        if np.all((Y == 0) | (Y == 1)):
            raise ValueError("one-hot targets: only the 1s count anyway")
        with np.errstate(all="ignore"):
            return _changed(float(-np.sum(np.log(P[Y == 1])) / Y.shape[0]), ref.cross_entropy_loss(Y, P))

    def mean_of_terms(p):
        kept = np.count_nonzero(_f(p))
        if kept < 2:
            raise ValueError("one term: its mean is its sum")
        return _changed(ref.entropy(p) / kept, ref.entropy(p))
    return {
        "softmax": [(message, soft) for soft, message in SOFTMAX_VARIANTS[:4]] + rounding(ref.softmax)
        + [("each row is shifted by less than its maximum (by its minimum, say): exp of a score far above the shift "
            "overflows to inf (inf / inf = nan) for a wide spread of scores; shift each row by its maximum, "
            "Z - Z.max(axis=-1, keepdims=True)", min_shift),
           ("the row sums are divided without keepdims: the (m,) array of sums broadcasts along the columns (entry "
            "[i, j] is divided by row j's sum); use e.sum(axis=-1, keepdims=True)", sums_without_keepdims),
           (SOFTMAX_VARIANTS[-1][1], max_shift_without_keepdims)],
        "cross_entropy_loss": denominator(ref.cross_entropy_loss, m, [
            (lambda Y, P: 1.0, "1"), (lambda Y, P: np.size(Y), "m*k, every entry (sum over the classes, then "
                                                                 "average over the samples)"),
            (lambda Y, P: rows(Y) ** 2, "twice")], "the loss")
        + [(CE_OVER_CLASSES, scaled(ref.cross_entropy_loss, lambda Y, P: rows(Y) / cols(Y)))]
        + factors(ref.cross_entropy_loss, LOG_BASES)
        + sign(ref.cross_entropy_loss, "the minus sign is missing: ln of a probability is negative")
        + [("each row's LARGEST probability is used instead of the probability of its true class",
            lambda Y, P: picked(Y, P, "max")),
           ("only the probability at argmax(Y) is used: with rows of probabilities as targets every entry counts, "
            "-sum_j Y_ij ln P_ij", lambda Y, P: picked(Y, P, "argmax")),
           ("the log of the product of the probabilities underflows to log(0) for many samples: take the mean of "
            "the logs, not the log of a product",
            lambda Y, P: float(-np.log(np.prod(np.asarray(P, dtype=np.float64) ** np.asarray(Y))) / rows(Y))),
           ("Y and P are averaged over the samples before the log (-sum mean(Y) ln mean(P), a log of means): the "
            "loss is the mean over the samples of -sum_j Y_ij ln P_ij", means_first("log_of_means")),
           ("mean(Y) is multiplied by mean(ln P), class by class: the mean of a product is not the product of the "
            "means; average -sum_j Y_ij ln P_ij over the samples", means_first("product_of_means")),
           ("only the entries where Y is exactly 1 count (P[Y == 1], or Y == 1 as a mask): the weights Y_ij are "
            "dropped, so rows of probabilities as targets, which hold no 1, contribute nothing; the loss is the mean "
            "over the samples of -sum_j Y_ij ln P_ij, every entry weighted by Y_ij", ones_only)]
        + epsilon_in_log(ref.cross_entropy_loss, "the loss", _ce)
        + rounding(ref.cross_entropy_loss),
        "entropy": denominator(ref.entropy, lambda p: 1.0, [(lambda p: np.size(p), "k, the number of outcomes "
                                                                               "(entropy is a SUM)")], "the entropy")
        + factors(ref.entropy, LOG_BASES)
        + sign(ref.entropy, "the minus sign is missing: -sum p ln p is never negative")
        + [("the terms p ln p are averaged (np.mean): the entropy is their SUM, -sum p ln p", mean_of_terms)]
        + epsilon_in_log(ref.entropy, "the entropy", _entropy) + rounding(ref.entropy),
        "softmax_gradients": denominator(ref.softmax_gradients, gm, [
            (lambda X, Y, W, b: 1.0, "1"), (lambda X, Y, W, b: np.shape(Y)[1], "k, the number of classes"),
            (lambda X, Y, W, b: np.shape(X)[1], "n, the number of features"),
            (lambda X, Y, W, b: np.size(Y), "m*k"), (lambda X, Y, W, b: np.shape(X)[0] ** 2, "twice")], "the gradient")
        + sign(ref.softmax_gradients, "the gradient's sign is flipped: the error term is P - Y")
        + part_signs(ref.softmax_gradients, ("dW", "db"), "the error P - Y")
        + [(message, with_softmax(soft)) for soft, message in SOFTMAX_VARIANTS],
        "predict_classes": [("the classes are counted from 1: class indices start at 0",
                             lambda X, W, b: ref.predict_classes(X, W, b) + 1),
                            ("the probabilities softmax(X @ W + b) are returned: predict_classes returns one class "
                             "index per sample, np.argmax(scores, axis=1)",
                             lambda X, W, b: ref.softmax(_f(X) @ _f(W) + b)),
                            ("the scores X @ W + b are returned: predict_classes returns one class index per sample, "
                             "np.argmax(scores, axis=1)", lambda X, W, b: _f(X) @ _f(W) + b)],
        "train_softmax_regression": loops.family(loops.LAB3, ref, "train_softmax_regression"),
    }



# ---------------------------------------------------------------- lab 4: a hidden layer
W1_SCALES = [("np.sqrt(1 / n_in)", lambda i, h, o: np.sqrt(1 / i)), ("np.sqrt(2 / n_hidden)", lambda i, h, o: np.sqrt(2 / h)),
             ("np.sqrt(1 / n_hidden)", lambda i, h, o: np.sqrt(1 / h)), ("2 / n_in", lambda i, h, o: 2 / i),
             ("1 / n_in", lambda i, h, o: 1 / i), ("1 (no scale)", lambda i, h, o: 1.0), ("0.01", lambda i, h, o: 0.01),
             ("np.sqrt(2) / n_in", lambda i, h, o: np.sqrt(2) / i), ("2 / np.sqrt(n_in)", lambda i, h, o: 2 / np.sqrt(i))]
W2_SCALES = [("np.sqrt(2 / n_hidden)", lambda i, h, o: np.sqrt(2 / h)), ("np.sqrt(1 / n_out)", lambda i, h, o: np.sqrt(1 / o)),
             ("np.sqrt(2 / n_out)", lambda i, h, o: np.sqrt(2 / o)), ("np.sqrt(1 / n_in)", lambda i, h, o: np.sqrt(1 / i)),
             ("np.sqrt(2 / n_in)", lambda i, h, o: np.sqrt(2 / i)), ("1 / n_hidden", lambda i, h, o: 1 / h),
             ("1 (no scale)", lambda i, h, o: 1.0), ("0.01", lambda i, h, o: 0.01),
             ("1 / n_out", lambda i, h, o: 1 / o)]
HE_FOR_RELU = (": the factor 2 of He's initialisation is for a layer whose output goes into a ReLU, and W2's output "
               "goes into the softmax")


def _init(n_in, n_hidden, n_out, rng, *, s1=None, s2=None, draw="normal", shapes="contract", bias="zeros"):
    """init_params with one thing done another way (None: the contract's way)."""
    s1 = s1 or (lambda i, h, o: np.sqrt(2 / i))
    s2 = s2 or (lambda i, h, o: np.sqrt(1 / h))

    def sample(shape):
        if shapes == "transposed":
            shape = shape[::-1]
        if draw == "normal":
            out = rng.standard_normal(shape)
        elif draw == "random":
            out = rng.random(shape)
        elif draw == "centred":
            out = rng.random(shape) - 0.5
        else:
            out = rng.uniform(-1.0, 1.0, size=shape)
        return out.T if shapes == "drawn_transposed" else out
    first = (n_hidden, n_in) if shapes == "drawn_transposed" else (n_in, n_hidden)
    second = (n_out, n_hidden) if shapes == "drawn_transposed" else (n_hidden, n_out)
    W1 = sample(first) * s1(n_in, n_hidden, n_out)
    W2 = sample(second) * s2(n_in, n_hidden, n_out)
    if bias == "rows":
        return {"W1": W1, "b1": np.zeros((1, n_hidden)), "W2": W2, "b2": np.zeros((1, n_out))}
    if bias == "columns":
        return {"W1": W1, "b1": np.zeros((n_hidden, 1)), "W2": W2, "b2": np.zeros((n_out, 1))}
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


def init_members():
    members = []

    def member(message, **how):
        members.append((message, lambda n_in, n_hidden, n_out, rng, how=how: _init(n_in, n_hidden, n_out, rng, **how)))
    for words, s1 in W1_SCALES:
        member(f"W1 is scaled by {words} where the contract scales it by np.sqrt(2 / n_in) (2 over the number of "
               "the layer's inputs)", s1=s1)
    for words, s2 in W2_SCALES:
        member(f"W2 is scaled by {words} where the contract scales it by np.sqrt(1 / n_hidden)"
               + (HE_FOR_RELU if words == "np.sqrt(2 / n_hidden)" else " (1 over the number of the layer's inputs)"),
               s2=s2)
    draws = {"random": "rng.random (uniform on [0, 1))", "centred": "rng.random() - 0.5 (uniform on [-0.5, 0.5))",
             "uniform": "rng.uniform(-1, 1)"}
    for draw, words in draws.items():
        member(f"the weights are drawn with {words}: the contract draws them from the normal distribution, "
               "rng.standard_normal, then scales them", draw=draw)
        member(f"the weights are drawn with {words} and left unscaled: the contract draws rng.standard_normal and "
               "scales W1 by np.sqrt(2 / n_in), W2 by np.sqrt(1 / n_hidden)", draw=draw,
               s1=lambda i, h, o: 1.0, s2=lambda i, h, o: 1.0)
    member("the weight matrices have their axes swapped: W1 is (n_in, n_hidden) and W2 (n_hidden, n_out), one row "
           "per input of the layer (X @ W1 needs W1's rows to match X's columns)", shapes="transposed")
    member("each weight matrix is drawn in the transposed shape and then transposed (.T): draw W1 directly as "
           "rng.standard_normal((n_in, n_hidden)), since the order in which the numbers fill the matrix counts",
           shapes="drawn_transposed")
    member("the biases are (1, n) rows: b1 is a vector of n_hidden zeros, np.zeros(n_hidden) (shape (n_hidden,)), "
           "and b2 np.zeros(n_out)", bias="rows")
    member("the biases are (n, 1) columns: b1 is a vector of n_hidden zeros, np.zeros(n_hidden) (shape "
           "(n_hidden,)), and b2 np.zeros(n_out)", bias="columns")
    return members


def _forward(ref, X, params, *, cache_z1="Z1", cache_a1="A1", b1=True, b2=True, softmax_axis=-1,
             activation="relu", swapped=False):
    X = np.asarray(X, dtype=np.float64)
    Z1 = X @ params["W1"] + (params["b1"] if b1 else 0.0)
    A1 = {"relu": ref.relu, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}[activation](Z1)
    Z2 = A1 @ params["W2"] + (params["b2"] if b2 else 0.0)
    if softmax_axis == -1:
        P = ref.softmax(Z2)
    else:
        e = np.exp(Z2 - Z2.max(axis=0, keepdims=True))
        P = e / e.sum(axis=0, keepdims=True)
    values = {"Z1": Z1, "A1": A1, "Z2": Z2}
    cache = {"Z1": values[cache_z1], "A1": values[cache_a1], "Z2": Z2}
    return (cache, P) if swapped else (P, cache)


def forward_members(ref):
    def member(message, **how):
        return message, lambda X, params, how=how: _forward(ref, X, params, **how)
    return [
        member("the cache's Z1 holds the ReLU's output (its negative entries are 0): relu changed Z1 in place, or "
               "A1 was stored as Z1; the cache keeps Z1 = X @ W1 + b1 as it was", cache_z1="A1"),
        member("the cache's A1 holds Z1, the scores before the ReLU: A1 = relu(Z1)", cache_a1="Z1"),
        member("the output layer's bias b2 is missing: Z2 = A1 @ W2 + b2", b2=False),
        member("both biases are missing: Z1 = X @ W1 + b1 and Z2 = A1 @ W2 + b2", b1=False, b2=False),
        member("the first layer's activation is the sigmoid: in this network it is the ReLU, A1 = relu(Z1)",
               activation="sigmoid"),
        member("the first layer's activation is tanh: in this network it is the ReLU, A1 = relu(Z1)",
               activation="tanh"),
        member("forward returns (cache, P): the contract's order is (P, cache), the probabilities first",
               swapped=True),
    ]


def _backward(ref, X, Y, params, cache, *, error="P - Y", gate="derivative", dw2_from="A1", dw1_from="X", scale=None,
              flip=()):
    """backward with one step done another way (the contract's way by default); `scale`
    multiplies parts by a count of m, `flip` negates parts."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    m = X.shape[0]
    Z1, A1, Z2 = (np.asarray(cache[k], dtype=np.float64) for k in ("Z1", "A1", "Z2"))
    P = ref.softmax(Z2)
    E = {"P - Y": P - Y, "Y - P": Y - P, "Z2 - Y": Z2 - Y}[error]
    dZ2 = E / m
    dA1 = dZ2 @ params["W2"].T
    dZ1 = {"derivative": dA1 * ref.relu_derivative(Z1), "A1": dA1 * A1, "Z1": dA1 * Z1,
           "sigmoid's": dA1 * A1 * (1 - A1),
           "of dA1": ref.relu_derivative(dA1), "none": dA1}[gate]
    grads = {"dW1": (A1 if dw1_from == "A1" else X).T @ dZ1, "db1": dZ1.sum(axis=0),
             "dW2": (A1 if dw2_from == "A1" else Z1).T @ dZ2,
             "db2": dZ2.sum(axis=0)}
    for part, factor in (scale or {}).items():
        grads[part] = grads[part] * factor(m)
    for part in flip:
        grads[part] = -grads[part]
    return grads


def backward_members(ref):
    def member(message, **how):
        def implementation(X, Y, params, cache, how=how):
            if "scale" in how and np.shape(X)[0] == 1:
                raise ValueError("m = 1: the same output")
            return _backward(ref, X, Y, params, cache, **how)
        return message, implementation
    times_m, over_m = (lambda m: m), (lambda m: 1 / m)
    members = [
        member("the output error is P - Y, the probabilities minus the one-hot labels: Y - P turns every gradient's "
               "sign", error="Y - P"),
        member("the output error is softmax(Z2) - Y: cache['Z2'] holds the scores BEFORE the softmax, so take "
               "P = softmax(cache['Z2']) first", error="Z2 - Y"),
        member("dA1 is multiplied by A1 = relu(Z1), the ReLU's value: the chain rule multiplies by its derivative, "
               "relu_derivative(Z1) (1 where Z1 > 0, else 0)", gate="A1"),
        member("dA1 is multiplied by Z1 itself: the chain rule multiplies by ReLU's derivative, relu_derivative(Z1) "
               "(1 where Z1 > 0, else 0)", gate="Z1"),
        member("A1 * (1 - A1) is the SIGMOID's derivative written with its output (lab 2): ReLU's derivative is 1 "
               "where Z1 > 0, else 0, relu_derivative(Z1)", gate="sigmoid's"),
        member("ReLU's derivative is taken of dA1 (the error flowing back) instead of Z1: dZ1 = dA1 * "
               "relu_derivative(Z1)", gate="of dA1"),
        member("dW2 is A1^T dZ2: the output layer's input is A1 = relu(Z1), not Z1", dw2_from="Z1"),
        member("dW1 is X^T dZ1: the first layer's input is X, not A1", dw1_from="A1"),
        member("the first layer's gradients dW1 and db1 have the wrong sign: dZ1 = (dZ2 @ W2.T) * relu_derivative(Z1), "
               "with no minus sign", flip=("dW1", "db1")),
        member("the mean over the samples is missing: every gradient is m times too large (divide the output error "
               "by m once)", scale={p: times_m for p in ("dW1", "db1", "dW2", "db2")}),
        member("every gradient is divided by m twice (the output error is already divided by m: np.mean or / m "
               "again divides once more)", scale={p: over_m for p in ("dW1", "db1", "dW2", "db2")}),
        member("the bias gradients db1 and db2 are divided by m twice: np.mean of an error already divided by m (sum "
               "it over the samples, axis=0)", scale={"db1": over_m, "db2": over_m}),
        member("the bias gradients db1 and db2 are sums over the samples of the error before the division by m: "
               "they are m times too large (sum the error that is already divided by m)",
               scale={"db1": times_m, "db2": times_m}),
        member("the weight gradients dW1 and dW2 are m times too large: the mean over the samples is missing from "
               "them", scale={"dW1": times_m, "dW2": times_m}),
        member("the weight gradients dW1 and dW2 are divided by m twice", scale={"dW1": over_m, "dW2": over_m}),
    ]
    for part in ("dW1", "db1", "dW2", "db2"):
        members.append(member(f"{part} is m times too large: the mean over the samples is missing from it (the other "
                              "gradients have it)", scale={part: times_m}))
        members.append(member(f"{part} is divided by m twice (the error it is built from is already divided by m)",
                              scale={part: over_m}))
    return members


def lab4(ref):
    return {"init_params": init_members(), "forward": forward_members(ref), "backward": backward_members(ref)}


LABS = {"lab1_linear_regression": lab1, "lab2_binary_classification": lab2, "lab3_multiclass_classification": lab3,
        "lab4_hidden_layer": lab4}


def for_lab(lab_id: str, reference) -> dict:
    """{function: [(message, implementation)]} of every family member of the lab."""
    return LABS[lab_id](reference) if lab_id in LABS else {}     # a lab with no families yet names its catalog only


def merged(catalog: dict, families: dict) -> dict:
    """The catalog's named mistakes, then the families' (the catalog's wording first)."""
    out = {function: list(entries) for function, entries in catalog.items()}
    for function, members in families.items():
        out.setdefault(function, []).extend(members)
    return out
