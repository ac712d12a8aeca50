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
]


def lab1(ref):
    size = lambda y, y_hat: np.size(y)                              # noqa: E731
    gsize = lambda X, y, W, b: np.size(y)                           # noqa: E731
    return {
        "predict": rounding(ref.predict),
        "mse_loss": denominator(ref.mse_loss, size, [
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
                                  "target, y_hat - y"),
        "gradient_descent_step": [
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
    return {
        "sigmoid": rounding(ref.sigmoid),
        "bce_loss": denominator(ref.bce_loss, m, [(lambda y, p: 1.0, "1"), (lambda y, p: np.size(y) ** 2, "twice")], bce)
        + factors(ref.bce_loss, LOG_BASES)
        + sign(ref.bce_loss, "the minus sign is missing: ln of a probability is negative, the loss is -mean(...)")
        + [("the (1 - y) ln(1 - p_hat) term of the samples of class 0 is missing",
            lambda y, p: float(np.mean(_bce_terms(y, p, neg=False)))),
           ("the y ln(p_hat) term of the samples of class 1 is missing",
            lambda y, p: float(np.mean(_bce_terms(y, p, pos=False)))),
           ("the log of the product of the likelihoods underflows to log(0) for many samples: take the mean of "
            "the logs, not the log of a product",
            lambda y, p: float(-np.log(np.prod(np.where(np.asarray(y) > 0.5, p, 1 - np.asarray(p)))) / np.size(y)))]
        + rounding(ref.bce_loss),
        "bce_dloss_dphat": sign(ref.bce_dloss_dphat, "the sign of the derivative is flipped: "
                                                      "(1 - y)/(1 - p_hat) - y/p_hat")
        + [("the factor (1 - y) of the first term is missing: (1 - y)/(1 - p_hat) - y/p_hat",
            lambda y, p: 1 / (1 - np.asarray(p, dtype=np.float64)) - np.asarray(y) / np.asarray(p, dtype=np.float64)),
           ("the factor y of the second term is missing: (1 - y)/(1 - p_hat) - y/p_hat",
            lambda y, p: (1 - np.asarray(y)) / (1 - np.asarray(p, dtype=np.float64)) - 1 / np.asarray(p, dtype=np.float64))]
        + rounding(ref.bce_dloss_dphat),
        "sigmoid_derivative": rounding(ref.sigmoid_derivative),
        "bce_gradients": denominator(ref.bce_gradients, gm, [
            (lambda X, y, W, b: 1.0, "1"), (lambda X, y, W, b: np.shape(X)[1], "n, the number of features"),
            (lambda X, y, W, b: np.shape(X)[0] ** 2, "twice")], "the gradient")
        + sign(ref.bce_gradients, "the gradient's sign is flipped: the error term is p_hat - y"),
        "predict_proba": rounding(ref.predict_proba),
        "accuracy": [("the number of equal entries is returned: accuracy is their FRACTION (divide by m)",
                      lambda a, b: float(np.sum(np.asarray(a) == np.asarray(b)))),
                     ("that is the error rate (the fraction of DIFFERENT entries): accuracy is the fraction of "
                      "equal ones", lambda a, b: float(np.mean(np.asarray(a) != np.asarray(b))))],
        "train_logistic_regression": loops.family(loops.LAB2, ref, "train_logistic_regression"),
    }


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
    return {
        "softmax": [(message, soft) for soft, message in SOFTMAX_VARIANTS[:4]] + rounding(ref.softmax),
        "cross_entropy_loss": denominator(ref.cross_entropy_loss, m, [
            (lambda Y, P: 1.0, "1"), (lambda Y, P: np.size(Y), "m*k, every entry (sum over the classes, then "
                                                                 "average over the samples)"),
            (lambda Y, P: cols(Y), "k, the number of classes"), (lambda Y, P: rows(Y) ** 2, "twice")], "the loss")
        + factors(ref.cross_entropy_loss, LOG_BASES)
        + sign(ref.cross_entropy_loss, "the minus sign is missing: ln of a probability is negative")
        + [("each row's LARGEST probability is used instead of the probability of its true class",
            lambda Y, P: picked(Y, P, "max")),
           ("only the probability at argmax(Y) is used: with rows of probabilities as targets every entry counts, "
            "-sum_j Y_ij ln P_ij", lambda Y, P: picked(Y, P, "argmax")),
           ("the log of the product of the probabilities underflows to log(0) for many samples: take the mean of "
            "the logs, not the log of a product",
            lambda Y, P: float(-np.log(np.prod(np.asarray(P, dtype=np.float64) ** np.asarray(Y))) / rows(Y)))]
        + rounding(ref.cross_entropy_loss),
        "entropy": denominator(ref.entropy, lambda p: 1.0, [(lambda p: np.size(p), "k, the number of outcomes "
                                                                               "(entropy is a SUM)")], "the entropy")
        + factors(ref.entropy, LOG_BASES)
        + sign(ref.entropy, "the minus sign is missing: -sum p ln p is never negative") + rounding(ref.entropy),
        "softmax_gradients": denominator(ref.softmax_gradients, gm, [
            (lambda X, Y, W, b: 1.0, "1"), (lambda X, Y, W, b: np.shape(Y)[1], "k, the number of classes"),
            (lambda X, Y, W, b: np.shape(X)[1], "n, the number of features"),
            (lambda X, Y, W, b: np.size(Y), "m*k"), (lambda X, Y, W, b: np.shape(X)[0] ** 2, "twice")], "the gradient")
        + sign(ref.softmax_gradients, "the gradient's sign is flipped: the error term is P - Y")
        + [(message, with_softmax(soft)) for soft, message in SOFTMAX_VARIANTS],
        "predict_classes": [("the classes are counted from 1: class indices start at 0",
                             lambda X, W, b: ref.predict_classes(X, W, b) + 1)],
        "train_softmax_regression": loops.family(loops.LAB3, ref, "train_softmax_regression"),
    }


LABS = {"lab1_linear_regression": lab1, "lab2_binary_classification": lab2, "lab3_multiclass_classification": lab3}


def for_lab(lab_id: str, reference) -> dict:
    """{function: [(message, implementation)]} of every family member of the lab."""
    return LABS[lab_id](reference)


def merged(catalog: dict, families: dict) -> dict:
    """The catalog's named mistakes, then the families' (the catalog's wording first)."""
    out = {function: list(entries) for function, entries in catalog.items()}
    for function, members in families.items():
        out.setdefault(function, []).extend(members)
    return out
