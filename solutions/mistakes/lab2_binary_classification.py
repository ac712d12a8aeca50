"""Plausible lab-2 submissions: bugs with the mistake they make, and correct variants.

Inside an entry, other graded functions are called by their graded names; here they
resolve to the reference, as they do when the judge grades one function at a time.
"""
import numpy as np

from solutions.lab2_binary_classification import (  # noqa: F401  (names used by entries)
    accuracy, bce_dloss_dphat, bce_gradients, bce_loss, predict, predict_proba, sigmoid,
    sigmoid_derivative)
from solutions.mistakes import Catalog

CATALOG = Catalog()
bug, correct = CATALOG.bug, CATALOG.correct

# ---------------------------------------------------------------- sigmoid
@bug("sigmoid", "e^z / (1 + e^z) overflows to inf/inf = nan for large z: use exp(-|z|) and "
     "pick the formula by the sign of z", partial=True)
def sigmoid_overflows(z):
    return np.exp(z) / (1 + np.exp(z))


@bug("sigmoid", "the sign in the exponent is flipped: the sigmoid is 1 / (1 + e^(-z))")
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


@correct("sigmoid")
def sigmoid_scipy(z):
    from scipy.special import expit
    return expit(z)


@correct("sigmoid")
def sigmoid_clipped(z):
    z = np.clip(z, -500, 500)
    return 1 / (1 + np.exp(-z))


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


@correct("bce_dloss_dphat")
def dloss_single_fraction(y, p_hat):
    return (p_hat - y) / (p_hat * (1 - p_hat))


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


@correct("sigmoid_derivative")
def dsig_expanded(p_hat):
    return p_hat - p_hat ** 2


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


@correct("bce_gradients")
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


@correct("predict_proba")
def proba_einsum(X, W, b):
    return 1 / (1 + np.exp(-(np.einsum("ij,j->i", X, W) + b)))


@correct("predict_proba")
def proba_scipy(X, W, b):
    from scipy.special import expit
    return expit(np.dot(X, W) + b)


# ---------------------------------------------------------------- predict
@bug("predict", "the threshold argument is ignored: compare with `threshold`, not with 0.5")
def predict_fixed_threshold(X, W, b, threshold=0.5):
    return (predict_proba(X, W, b) > 0.5).astype(int)


@bug("predict", "you compared the scores z with the threshold: compare the probabilities p_hat")
def predict_on_scores(X, W, b, threshold=0.5):
    return (X @ W + b > threshold).astype(int)


@bug("predict", "a probability exactly equal to the threshold must give class 0: use >, not >=")
def predict_ge(X, W, b, threshold=0.5):
    return (predict_proba(X, W, b) >= threshold).astype(int)


@bug("predict", "labels must be integers 0/1: convert the booleans with .astype(int)",
     named_by_check=True)
def predict_bool(X, W, b, threshold=0.5):
    return predict_proba(X, W, b) > threshold


@correct("predict")
def predict_where(X, W, b, threshold=0.5):
    return np.where(predict_proba(X, W, b) > threshold, 1, 0)


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


@correct("accuracy")
def accuracy_sklearn(y_true, y_pred):
    from sklearn.metrics import accuracy_score
    return accuracy_score(y_true, y_pred)


# ---------------------------------------------------------------- train_logistic_regression
@bug("train_logistic_regression", "history[e] must describe the parameters at the START of epoch e: "
     "record loss and accuracy before the update, not after")
def train_history_after_step(X, y, *, lr, epochs, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random(X.shape[1]) - 0.5
    b = rng.random() - 0.5
    history = []
    for _ in range(epochs):
        dW, db = bce_gradients(X, y, W, b)
        W, b = W - lr * dW, b - lr * db
        p = predict_proba(X, W, b)
        history.append((bce_loss(y, p), accuracy(y, (p > 0.5).astype(int))))
    return W, b, history


@bug("train_logistic_regression", "the parameters must start from rng.random(n) - 0.5 and "
     "rng.random() - 0.5 with rng = np.random.default_rng(seed), not from zeros")
def train_zero_init(X, y, *, lr, epochs, seed=0):
    W, b = np.zeros(X.shape[1]), 0.0
    history = []
    for _ in range(epochs):
        p = predict_proba(X, W, b)
        history.append((bce_loss(y, p), accuracy(y, (p > 0.5).astype(int))))
        dW, db = bce_gradients(X, y, W, b)
        W, b = W - lr * dW, b - lr * db
    return W, b, history


@bug("train_logistic_regression", "you stepped uphill (W + lr * dW): gradient DEScent subtracts the gradient")
def train_ascent(X, y, *, lr, epochs, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random(X.shape[1]) - 0.5
    b = rng.random() - 0.5
    history = []
    for _ in range(epochs):
        p = predict_proba(X, W, b)
        history.append((bce_loss(y, p), accuracy(y, (p > 0.5).astype(int))))
        dW, db = bce_gradients(X, y, W, b)
        W, b = W + lr * dW, b + lr * db
    return W, b, history


@bug("train_logistic_regression", "the learning rate argument lr is ignored (a fixed step size is used)")
def train_fixed_lr(X, y, *, lr, epochs, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random(X.shape[1]) - 0.5
    b = rng.random() - 0.5
    history = []
    for _ in range(epochs):
        p = predict_proba(X, W, b)
        history.append((bce_loss(y, p), accuracy(y, (p > 0.5).astype(int))))
        dW, db = bce_gradients(X, y, W, b)
        W, b = W - 0.01 * dW, b - 0.01 * db
    return W, b, history


@bug("train_logistic_regression", "the bias is never updated: step b as well as W")
def train_frozen_bias(X, y, *, lr, epochs, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random(X.shape[1]) - 0.5
    b = rng.random() - 0.5
    history = []
    for _ in range(epochs):
        p = predict_proba(X, W, b)
        history.append((bce_loss(y, p), accuracy(y, (p > 0.5).astype(int))))
        dW, db = bce_gradients(X, y, W, b)
        W = W - lr * dW
    return W, b, history


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
