"""Plausible lab-2 submissions: bugs with the mistake they make, and correct variants.

Inside an entry, other graded functions are called by their graded names; here they
resolve to the reference, as they do when the judge grades one function at a time.
"""
import numpy as np

from solutions.lab2_binary_classification import (  # noqa: F401  (names used by entries)
    accuracy, bce_dloss_dphat, bce_gradients, bce_loss, predict, predict_proba, sigmoid,
    sigmoid_derivative)
from solutions.mistakes import Catalog
from solutions.mistakes.families import SIGMOID_INTEGER_OUTPUT

CATALOG = Catalog()
bug, correct = CATALOG.bug, CATALOG.correct

# ---------------------------------------------------------------- sigmoid
@bug("sigmoid", "np.exp(-z) overflows for very negative z (the notebook asks for no overflow)", partial=True,
     named_by_check=True)
def sigmoid_textbook(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


@bug("sigmoid", "e^z / (1 + e^z) overflows to inf/inf = nan for large z: use exp(-|z|) and "
     "pick the formula by the sign of z", partial=True)
def sigmoid_overflows(z):
    return np.exp(z) / (1 + np.exp(z))


@bug("sigmoid", "you computed sigmoid(-z) = 1 - sigmoid(z), the probability of the other class: the sigmoid is "
     "1 / (1 + e^(-z))")
def sigmoid_sign(z):
    return 1 / (1 + np.exp(z))


@bug("sigmoid", "np.tanh is a different S-curve (from -1 to 1): the logistic function is 1 / (1 + e^(-z))")
def sigmoid_tanh(z):
    return np.tanh(z)


@bug("sigmoid", "your function changed its input array in place (z *= -1): work on a new array",
     named_by_check=True)
def sigmoid_in_place(z):
    z *= -1
    return 1 / (1 + np.exp(z))


@bug("sigmoid", "the 1 + is missing from the denominator: the sigmoid is 1 / (1 + e^(-z))")
def sigmoid_no_one(z):
    return 1 / np.exp(-z)


@bug("sigmoid", "math.exp works on one number only: use np.exp so that sigmoid works elementwise on arrays")
def sigmoid_math_exp(z):
    import math
    return 1 / (1 + math.exp(-z))


@bug("sigmoid", "for a scalar z return a single number, not an array of shape (1,): np.atleast_1d turned the "
     "scalar into an array")
def sigmoid_atleast_1d(z):
    z = np.atleast_1d(np.asarray(z, dtype=float))
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out


@bug("sigmoid", SIGMOID_INTEGER_OUTPUT, partial=True)
def sigmoid_zeros_like(z):
    z = np.asarray(z)
    out = np.zeros_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out if out.ndim else out.item()


@correct("sigmoid")
def sigmoid_scipy(z):
    from scipy.special import expit
    return expit(z)


@correct("sigmoid")
def sigmoid_clipped(z):
    z = np.clip(z, -500, 500)
    return 1 / (1 + np.exp(-z))


@correct("sigmoid")
def sigmoid_tanh_identity(z):
    return 0.5 * (1 + np.tanh(np.multiply(z, 0.5)))


@bug("sigmoid", "np.exp overflows for z far from 0 (the notebook asks for no overflow)", partial=True,
     named_by_check=True)
def sigmoid_where(z):
    # both branches are computed (with overflow warnings), but where() keeps the finite one:
    # the values are right, the warnings are what the notebook asks to avoid
    return np.where(np.asarray(z) >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


# ---------------------------------------------------------------- bce_loss
@bug("bce_loss", "you summed the losses over the samples: take the mean (np.mean), not the sum")
def bce_loss_sum(y, p_hat):
    return float(-np.sum(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat)))


@bug("bce_loss", "you used log base 2: cross-entropy here uses the natural log, np.log")
def bce_loss_log2(y, p_hat):
    return float(-np.mean(y * np.log2(p_hat) + (1 - y) * np.log2(1 - p_hat)))


@bug("bce_loss", "the minus sign is missing: log of a probability is negative, so the loss is -mean(...)")
def bce_loss_no_minus(y, p_hat):
    return float(np.mean(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat)))


@bug("bce_loss", "the (1 - y) * ln(1 - p_hat) term for samples of class 0 is missing")
def bce_loss_one_term(y, p_hat):
    return float(-np.mean(y * np.log(p_hat)))


@bug("bce_loss", "you used log base 10: cross-entropy here uses the natural log, np.log")
def bce_loss_log10(y, p_hat):
    return float(-np.mean(y * np.log10(p_hat) + (1 - y) * np.log10(1 - p_hat)))


@bug("bce_loss", "the two terms are swapped: a sample with y = 1 contributes ln(p_hat), one with y = 0 "
     "contributes ln(1 - p_hat)")
def bce_loss_swapped(y, p_hat):
    return float(-np.mean(y * np.log(1 - p_hat) + (1 - y) * np.log(p_hat)))


@bug("bce_loss", "you returned the loss of every sample: average them into one number with np.mean")
def bce_loss_per_sample(y, p_hat):
    return -(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat))


@correct("bce_loss")
def bce_loss_loop(y, p_hat):
    import math
    total = 0.0
    for yi, pi in zip(y, p_hat):
        total += -math.log(pi) if yi == 1 else -math.log(1 - pi)
    return total / len(y)


@correct("bce_loss")
def bce_loss_sklearn(y, p_hat):
    from sklearn.metrics import log_loss
    return log_loss(y, p_hat, labels=[0, 1])


@correct("bce_loss")
def bce_loss_xlogy(y, p_hat):
    from scipy.special import xlogy
    return float(-np.mean(xlogy(y, p_hat) + xlogy(1 - y, 1 - p_hat)))


@correct("bce_loss")
def bce_loss_where(y, p_hat):
    return float(np.mean(np.where(y == 1, -np.log(p_hat), -np.log(1 - p_hat))))


# ---------------------------------------------------------------- bce_dloss_dphat
@bug("bce_dloss_dphat", "the sign is flipped: dL/dp_hat = (1 - y)/(1 - p_hat) - y/p_hat")
def dloss_sign(y, p_hat):
    return y / p_hat - (1 - y) / (1 - p_hat)


@bug("bce_dloss_dphat", "the term (1 - y)/(1 - p_hat) for class-0 samples is missing")
def dloss_one_term(y, p_hat):
    return -y / p_hat


@bug("bce_dloss_dphat", "you added the two terms: it is (1 - y)/(1 - p_hat) MINUS y/p_hat")
def dloss_plus(y, p_hat):
    return (1 - y) / (1 - p_hat) + y / p_hat


@bug("bce_dloss_dphat", "you averaged over the samples: this derivative is per sample (elementwise)")
def dloss_mean(y, p_hat):
    return float(np.mean((1 - y) / (1 - p_hat) - y / p_hat))


@bug("bce_dloss_dphat", "you divided by the number of samples: this is the derivative of ONE sample's loss, "
     "elementwise, with no averaging")
def dloss_over_m(y, p_hat):
    return ((1 - y) / (1 - p_hat) - y / p_hat) / len(y)


@bug("bce_dloss_dphat", "the denominators are swapped: it is (1 - y)/(1 - p_hat) - y/p_hat")
def dloss_swapped_denominators(y, p_hat):
    return (1 - y) / p_hat - y / (1 - p_hat)


@bug("bce_dloss_dphat", "you returned each sample's loss, not its derivative: dL/dp_hat = (1 - y)/(1 - p_hat) "
     "- y/p_hat")
def dloss_the_loss(y, p_hat):
    return -(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat))


@bug("bce_dloss_dphat", "p_hat - y is dL/dz, the derivative through the sigmoid; this function is dL/dp_hat = "
     "(1 - y)/(1 - p_hat) - y/p_hat")
def dloss_dz(y, p_hat):
    return p_hat - y


@correct("bce_dloss_dphat")
def dloss_single_fraction(y, p_hat):
    return (p_hat - y) / (p_hat * (1 - p_hat))


@correct("bce_dloss_dphat")
def dloss_where(y, p_hat):
    return np.where(y == 1, -1 / p_hat, 1 / (1 - p_hat))


@correct("bce_dloss_dphat")
def dloss_loop(y, p_hat):
    out = np.empty(len(y))
    for i in range(len(y)):
        out[i] = (1 - y[i]) / (1 - p_hat[i]) - y[i] / p_hat[i]
    return out


# ---------------------------------------------------------------- sigmoid_derivative
@bug("sigmoid_derivative", "the factor (1 - p_hat) is missing: the derivative is p_hat * (1 - p_hat)")
def dsig_no_complement(p_hat):
    return p_hat


@bug("sigmoid_derivative", "you applied the sigmoid again: the argument is already the sigmoid's OUTPUT "
     "p_hat, so the derivative is simply p_hat * (1 - p_hat)")
def dsig_twice(p_hat):
    s = 1 / (1 + np.exp(-p_hat))
    return s * (1 - s)


@bug("sigmoid_derivative", "it is p_hat * (1 - p_hat), not p_hat * (1 + p_hat)")
def dsig_plus(p_hat):
    return p_hat * (1 + p_hat)


@bug("sigmoid_derivative", "the factor p_hat is missing: the derivative is p_hat * (1 - p_hat), not just "
     "(1 - p_hat)")
def dsig_only_complement(p_hat):
    return 1 - p_hat


@bug("sigmoid_derivative", "the sign is flipped: the sigmoid increases, so its derivative p_hat * (1 - p_hat) "
     "is positive")
def dsig_negative(p_hat):
    return -p_hat * (1 - p_hat)


@bug("sigmoid_derivative", "1 - p_hat**2 is the derivative of tanh: the sigmoid's is p_hat * (1 - p_hat)")
def dsig_tanh(p_hat):
    return 1 - p_hat ** 2


@bug("sigmoid_derivative", "p_hat *= ... changed the caller's array in place: compute p_hat * (1 - p_hat) as a "
     "new array", named_by_check=True)
def dsig_in_place(p_hat):
    p_hat *= 1 - p_hat
    return p_hat


@correct("sigmoid_derivative")
def dsig_expanded(p_hat):
    return p_hat - p_hat ** 2


@correct("sigmoid_derivative")
def dsig_on_a_copy(p_hat):
    out = np.array(p_hat, dtype=float)          # np.array copies: the caller's p_hat stays as it was
    out *= 1 - out
    return out


@correct("sigmoid_derivative")
def dsig_ufuncs(p_hat):
    return np.multiply(p_hat, np.subtract(1.0, p_hat))


# ---------------------------------------------------------------- bce_gradients
@bug("bce_gradients", "you summed over the samples: average the per-sample gradients (divide by m)")
def grads_sum(X, y, W, b):
    dz = sigmoid(X @ W + b) - y
    return X.T @ dz, float(np.sum(dz))


@bug("bce_gradients", "the sign is flipped: the error term is p_hat - y, not y - p_hat")
def grads_sign(X, y, W, b):
    dz = y - sigmoid(X @ W + b)
    return X.T @ dz / len(y), float(np.mean(dz))


@bug("bce_gradients", "the bias b is missing from z = X @ W + b in your forward pass")
def grads_no_bias(X, y, W, b):
    dz = sigmoid(X @ W) - y
    return X.T @ dz / len(y), float(np.mean(dz))


@bug("bce_gradients", "you multiplied by the sigmoid's derivative twice: dL/dz = p_hat - y already "
     "includes dp_hat/dz")
def grads_extra_dsig(X, y, W, b):
    p = sigmoid(X @ W + b)
    dz = (p - y) * p * (1 - p)
    return X.T @ dz / len(y), float(np.mean(dz))


@bug("bce_gradients", "db must be one number, the mean of the per-sample errors, not one value per sample",
     named_by_check=True)
def grads_db_vector(X, y, W, b):
    dz = sigmoid(X @ W + b) - y
    return X.T @ dz / len(y), dz


@bug("bce_gradients", "you returned (db, dW): return the pair in the order (dW, db)")
def grads_swapped(X, y, W, b):
    dz = sigmoid(X @ W + b) - y
    return float(np.mean(dz)), X.T @ dz / len(y)


@bug("bce_gradients", "you averaged over the features (axis=1): average the per-sample gradients over the "
     "samples, axis=0, to get one value per weight")
def grads_mean_axis1(X, y, W, b):
    dz = sigmoid(X @ W + b) - y
    return np.mean(X * dz[:, None], axis=1), float(np.mean(dz))


@bug("bce_gradients", "X * dz lines dz up with the COLUMNS of X: make it a column, dz[:, None], so that each "
     "row (sample) of X is scaled by its own error")
def grads_no_column(X, y, W, b):
    dz = sigmoid(X @ W + b) - y
    return np.mean(X * dz, axis=0), float(np.mean(dz))


@bug("bce_gradients", "the chain rule through dL/dp_hat * p_hat (1 - p_hat) loses the gradient where p_hat "
     "saturates at 0 or 1 (a clipped or infinite dL/dp_hat times a zero derivative): use dL/dz = p_hat - y directly",
     partial=True)
def grads_chain_rule(X, y, W, b):
    p = sigmoid(X @ W + b)
    dz = bce_dloss_dphat(y, np.clip(p, 1e-12, 1 - 1e-12)) * sigmoid_derivative(p)
    return np.mean(dz[:, None] * X, axis=0), np.mean(dz)


@correct("bce_gradients")
def grads_loops(X, y, W, b):
    m, n = X.shape
    dW = np.zeros(n)
    db = 0.0
    for i in range(m):
        z = sum(X[i, j] * W[j] for j in range(n)) + b
        err = 1 / (1 + np.exp(-z)) - y[i]
        for j in range(n):
            dW[j] += err * X[i, j] / m
        db += err / m
    return dW, db


@correct("bce_gradients")
def grads_dot(X, y, W, b):
    from scipy.special import expit
    err = expit(np.dot(X, W) + b) - y
    return np.dot(err, X) / len(X), err.mean()


# ---------------------------------------------------------------- predict_proba
@bug("predict_proba", "the bias b is missing: p_hat = sigmoid(X @ W + b)")
def proba_no_bias(X, W, b):
    return sigmoid(X @ W)


@bug("predict_proba", "you returned the scores z = X @ W + b: pass them through the sigmoid")
def proba_logits(X, W, b):
    return X @ W + b


@bug("predict_proba", "you returned the probability of class 0 (1 - p_hat): return sigmoid(X @ W + b)")
def proba_class0(X, W, b):
    return 1 - sigmoid(X @ W + b)


@bug("predict_proba", "return only the probability of class 1, one number per sample (shape (m,)), not one "
     "column per class")
def proba_two_columns(X, W, b):
    p = sigmoid(X @ W + b)
    return np.column_stack([1 - p, p])


@bug("predict_proba", "np.exp(z) / (1 + np.exp(z)) overflows to inf/inf = nan for large scores: use the "
     "sigmoid function, which is stable for any z", partial=True)
def proba_overflows(X, W, b):
    z = X @ W + b
    return np.exp(z) / (1 + np.exp(z))


@bug("predict_proba", "for a 1-D W the result must be 1-D, one probability per sample: do not reshape W into "
     "an (n, 1) column")
def proba_column(X, W, b):
    return sigmoid(X @ np.reshape(W, (-1, 1)) + b)


@bug("predict_proba", "you rounded the probabilities to 0/1 labels: return p_hat itself (turning it into "
     "labels is predict's job)")
def proba_rounded(X, W, b):
    return np.round(sigmoid(X @ W + b))


@correct("predict_proba")
def proba_einsum(X, W, b):
    return 1 / (1 + np.exp(-(np.einsum("ij,j->i", X, W) + b)))


@correct("predict_proba")
def proba_scipy(X, W, b):
    from scipy.special import expit
    return expit(np.dot(X, W) + b)


@correct("predict_proba")
def proba_tanh_identity(X, W, b):
    return 0.5 * (1 + np.tanh(0.5 * (X @ W + b)))


# ---------------------------------------------------------------- predict
@bug("predict", "the threshold argument is ignored: compare with `threshold`, not with 0.5")
def predict_fixed_threshold(X, W, b, threshold=0.5):
    return (predict_proba(X, W, b) > 0.5).astype(int)


@bug("predict", "you compared the scores z with the threshold: compare the probabilities p_hat")
def predict_on_scores(X, W, b, threshold=0.5):
    return (X @ W + b > threshold).astype(int)


# the words of the public check that shows it (two probabilities exactly at the threshold); the
# hidden check has one such sample, one differing label: no evidence for a cause by itself
@bug("predict", "p_hat >= threshold counts a probability equal to the threshold as class 1: the label is 1 only "
     "where p_hat > threshold")
def predict_ge(X, W, b, threshold=0.5):
    return (predict_proba(X, W, b) >= threshold).astype(int)


@bug("predict", "labels must be integers 0/1: convert the booleans with .astype(int)",
     named_by_check=True)
def predict_bool(X, W, b, threshold=0.5):
    return predict_proba(X, W, b) > threshold


@bug("predict", "labels must be integers 0/1: np.where(..., 1.0, 0.0) gives floats; use 1 and 0, or "
     ".astype(int)", named_by_check=True)
def predict_float_labels(X, W, b, threshold=0.5):
    return np.where(predict_proba(X, W, b) > threshold, 1.0, 0.0)


@bug("predict", "the classes are inverted: predict 1 where p_hat is ABOVE the threshold")
def predict_inverted(X, W, b, threshold=0.5):
    return (predict_proba(X, W, b) < threshold).astype(int)


@bug("predict", "return a numpy array of labels, not a Python list: e.g. (p_hat > threshold).astype(int)",
     named_by_check=True)
def predict_list(X, W, b, threshold=0.5):
    return [1 if p > threshold else 0 for p in predict_proba(X, W, b)]


@correct("predict")
def predict_where(X, W, b, threshold=0.5):
    return np.where(predict_proba(X, W, b) > threshold, 1, 0)


@correct("predict")
def predict_on_scores_with_logit(X, W, b, threshold=0.5):
    # p_hat > t exactly when z > ln(t / (1 - t)): compare the scores, no sigmoid needed
    return (X @ W + b > np.log(threshold / (1 - threshold))).astype(int)


@correct("predict")
def predict_times_one(X, W, b, threshold=0.5):
    return (predict_proba(X, W, b) > threshold) * 1


# ---------------------------------------------------------------- accuracy
@bug("accuracy", "you returned the number of correct predictions: divide by the number of samples")
def accuracy_count(y_true, y_pred):
    return float(np.sum(y_true == y_pred))


@bug("accuracy", "you returned the error rate (the fraction of WRONG predictions)")
def accuracy_error_rate(y_true, y_pred):
    return float(np.mean(y_true != y_pred))


@bug("accuracy", "comparing an (m, 1) column with an (m,) row broadcasts to an (m, m) table: "
     "compare two arrays of the same shape")
def accuracy_broadcast(y_true, y_pred):
    return float(np.mean(np.reshape(y_true, (-1, 1)) == y_pred))


@bug("accuracy", "you returned a percentage: accuracy is the FRACTION of correct predictions, between 0 and 1")
def accuracy_percent(y_true, y_pred):
    return float(100 * np.mean(y_true == y_pred))


@bug("accuracy", "// is floor division: it rounds the fraction down to 0 (or 1); divide with /")
def accuracy_floor_division(y_true, y_pred):
    return float(np.sum(y_true == y_pred) // len(y_true))


@bug("accuracy", "y_true * y_pred is 1 only where both labels are 1, so correct predictions of class 0 are not "
     "counted: compare the labels with ==")
def accuracy_product(y_true, y_pred):
    return float(np.mean(y_true * y_pred))


@correct("accuracy")
def accuracy_sklearn(y_true, y_pred):
    from sklearn.metrics import accuracy_score
    return accuracy_score(y_true, y_pred)


@correct("accuracy")
def accuracy_loop(y_true, y_pred):
    correct = 0
    for a, p in zip(y_true, y_pred):
        if a == p:
            correct += 1
    return correct / len(y_true)


@correct("accuracy")
def accuracy_count_nonzero(y_true, y_pred):
    return np.count_nonzero(np.equal(y_true, y_pred)) / np.size(y_true)


# ---------------------------------------------------------------- train_logistic_regression
def _train(X, y, lr, epochs, seed, *, zero_init=False, b_first=False, legacy_rng=False, shift=0.5,
           record_after=False, sign=-1, lr_used=None, step_bias=True, swap_pair=False, loss_only=False):
    """The reference's loop; each bug below switches on one change."""
    n = X.shape[1]
    if zero_init:
        W, b = np.zeros(n), 0.0
    elif legacy_rng:
        state = np.random.RandomState(seed)
        W = state.random_sample(n) - shift
        b = state.random_sample() - shift
    elif b_first:
        rng = np.random.default_rng(seed)
        b = rng.random() - shift
        W = rng.random(n) - shift
    else:
        rng = np.random.default_rng(seed)
        W = rng.random(n) - shift
        b = rng.random() - shift
    history = []

    def record():
        p = predict_proba(X, W, b)
        loss, acc = bce_loss(y, p), accuracy(y, (p > 0.5).astype(int))
        history.append(loss if loss_only else (acc, loss) if swap_pair else (loss, acc))
    for _ in range(epochs):
        if not record_after:
            record()
        dW, db = bce_gradients(X, y, W, b)
        step = lr if lr_used is None else lr_used
        W = W + sign * step * dW
        if step_bias:
            b = b + sign * step * db
        if record_after:
            record()
    return W, b, history


@bug("train_logistic_regression", "history[e] must describe the parameters at the START of epoch e: "
     "record loss and accuracy before the update, not after")
def train_history_after_step(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, record_after=True)


@bug("train_logistic_regression", "the parameters must start from rng.random(n) - 0.5 and "
     "rng.random() - 0.5 with rng = np.random.default_rng(seed), not from zeros")
def train_zero_init(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, zero_init=True)


@bug("train_logistic_regression", "you stepped uphill (W + lr * dW): gradient DEScent subtracts the gradient")
def train_ascent(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, sign=+1)


@bug("train_logistic_regression", "the learning rate argument lr is ignored (a fixed step size is used)")
def train_fixed_lr(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, lr_used=0.0123)


@bug("train_logistic_regression", "the bias is never updated: step b as well as W")
def train_frozen_bias(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, step_bias=False)


@bug("train_logistic_regression", "draw W first, then b: W = rng.random(n) - 0.5, then b = rng.random() - 0.5 "
     "(the order changes which random numbers each one gets)")
def train_b_drawn_first(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, b_first=True)


@bug("train_logistic_regression", "use rng = np.random.default_rng(seed) and rng.random(...): the legacy "
     "np.random.seed / RandomState generator draws different numbers")
def train_legacy_rng(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, legacy_rng=True)


@bug("train_logistic_regression", "the starting values must be centred on 0: rng.random(n) - 0.5 and "
     "rng.random() - 0.5, not rng.random(...) alone")
def train_not_centred(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, shift=0.0)


@bug("train_logistic_regression", "each history entry is the pair (loss, accuracy), in that order: yours has "
     "them swapped")
def train_pair_swapped(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, swap_pair=True)


@bug("train_logistic_regression", "history must hold a (loss, accuracy) pair per epoch, not the loss alone")
def train_loss_only(X, y, *, lr, epochs, seed=0):
    return _train(X, y, lr, epochs, seed, loss_only=True)


@correct("train_logistic_regression")
def train_inline(X, y, *, lr, epochs, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random(X.shape[1]) - 0.5
    b = rng.random() - 0.5
    history = []
    m = len(y)
    for _ in range(epochs):
        p = 1 / (1 + np.exp(-(X @ W + b)))
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        history.append((loss, np.mean((p > 0.5) == y)))
        W = W - lr * (X.T @ (p - y)) / m
        b = b - lr * np.sum(p - y) / m
    return W, b, history


@correct("train_logistic_regression")
def train_with_graded_functions(X, y, *, lr, epochs, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random(X.shape[1]) - 0.5
    b = rng.random() - 0.5
    history = []
    for epoch in range(epochs):
        history.append((bce_loss(y, predict_proba(X, W, b)), accuracy(y, predict(X, W, b))))
        dW, db = bce_gradients(X, y, W, b)
        W, b = W - lr * dW, b - lr * db
    return W, b, history


@correct("train_logistic_regression")
def train_scipy(X, y, *, lr, epochs, seed=0):
    from scipy.special import expit, xlogy
    from sklearn.metrics import accuracy_score
    rng = np.random.default_rng(seed)
    W = rng.random(X.shape[1]) - 0.5
    b = rng.random() - 0.5
    history = []
    for _ in range(epochs):
        p = expit(X @ W + b)
        loss = -np.mean(xlogy(y, p) + xlogy(1 - y, 1 - p))
        history.append((float(loss), accuracy_score(y, (p > 0.5).astype(int))))
        error = p - y
        W = W - lr * X.T @ error / len(y)
        b = b - lr * error.mean()
    return W, b, history
