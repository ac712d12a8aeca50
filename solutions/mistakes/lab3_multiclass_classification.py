"""Plausible lab-3 submissions: bugs with the mistake they make, and correct variants."""
import numpy as np

from solutions.lab3_multiclass_classification import (  # noqa: F401  (names used by entries)
    cross_entropy_loss, entropy, one_hot, predict_classes, softmax, softmax_gradients)
from solutions.mistakes import Catalog

CATALOG = Catalog()
bug, correct = CATALOG.bug, CATALOG.correct

# ---------------------------------------------------------------- softmax
@bug("softmax", "np.exp overflows for large scores (inf/inf = nan): subtract each row's maximum first; "
     "the result does not change", partial=True)
def softmax_unstable(Z):
    e = np.exp(Z)
    return e / np.sum(e, axis=-1, keepdims=True)


@bug("softmax", "you normalized along the wrong axis: each ROW (one sample's scores) must sum to 1, "
     "so sum over axis=-1")
def softmax_axis0(Z):
    e = np.exp(Z - np.max(Z))
    return e / np.sum(e, axis=0, keepdims=True)


@bug("softmax", "without keepdims=True the row sums have shape (m,) and divide the wrong entries: "
     "use np.sum(..., axis=-1, keepdims=True)")
def softmax_no_keepdims(Z):
    e = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1)


@bug("softmax", "you divided by the row maximum: softmax divides by the SUM of the exponentials")
def softmax_by_max(Z):
    e = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
    return e / np.max(e, axis=-1, keepdims=True)


@bug("softmax", "the exponentials are missing: softmax is exp(z_i) / sum_j exp(z_j), not z_i / sum_j z_j")
def softmax_no_exp(Z):
    return Z / np.sum(Z, axis=-1, keepdims=True)


@correct("softmax")
def softmax_scipy(Z):
    from scipy.special import softmax as sp_softmax
    return sp_softmax(Z, axis=-1)


@correct("softmax")
def softmax_logsumexp(Z):
    from scipy.special import logsumexp
    return np.exp(Z - logsumexp(Z, axis=-1, keepdims=True))


# ---------------------------------------------------------------- one_hot
@bug("one_hot", "the matrix is transposed: one ROW per sample, one column per class, shape (m, num_classes)")
def one_hot_transposed(y, num_classes):
    return np.eye(num_classes)[y].T


@bug("one_hot", "the number of columns must be num_classes, not max(y) + 1 (a batch may miss a class)")
def one_hot_max(y, num_classes):
    return np.eye(int(np.max(y)) + 1)[y]


@bug("one_hot", "the labels start at 0: class c goes in column c, not c - 1")
def one_hot_off_by_one(y, num_classes):
    return np.eye(num_classes)[np.asarray(y) - 1]


@bug("one_hot", "the one-hot matrix must hold floats (0.0 and 1.0): use np.zeros(..., dtype=float)",
     named_by_check=True)
def one_hot_int(y, num_classes):
    return np.eye(num_classes, dtype=int)[y]


@correct("one_hot")
def one_hot_compare(y, num_classes):
    return (np.asarray(y)[:, None] == np.arange(num_classes)).astype(float)


# ---------------------------------------------------------------- cross_entropy_loss
@bug("cross_entropy_loss", "you summed over the samples: average over them (divide by m)")
def ce_sum(Y, P):
    return float(-np.sum(Y * np.log(P)))


@bug("cross_entropy_loss", "you averaged over every entry (m * k): sum over the classes, then average "
     "over the samples")
def ce_mean_all(Y, P):
    return float(-np.mean(Y * np.log(P)))


@bug("cross_entropy_loss", "you used log base 2: cross-entropy here uses the natural log, np.log")
def ce_log2(Y, P):
    return float(-np.sum(Y * np.log2(P)) / len(Y))


@bug("cross_entropy_loss", "the minus sign is missing: ln of a probability is negative")
def ce_no_minus(Y, P):
    return float(np.sum(Y * np.log(P)) / len(Y))


@correct("cross_entropy_loss")
def ce_pick(Y, P):
    labels = np.argmax(Y, axis=1)
    return float(-np.mean(np.log(P[np.arange(len(labels)), labels])))


@correct("cross_entropy_loss")
def ce_clipped(Y, P):
    return float(-np.mean(np.sum(Y * np.log(np.clip(P, 1e-12, 1.0)), axis=1)))


# ---------------------------------------------------------------- entropy
@bug("entropy", "you used log base 2 (bits): here entropy uses the natural log, np.log")
def entropy_log2(p):
    p = np.asarray(p, dtype=float)
    nz = p[p > 0]
    return float(-np.sum(nz * np.log2(nz)))


@bug("entropy", "the minus sign is missing: -sum p ln p is never negative")
def entropy_no_minus(p):
    p = np.asarray(p, dtype=float)
    nz = p[p > 0]
    return float(np.sum(nz * np.log(nz)))


@bug("entropy", "0 * ln 0 gives nan in numpy: treat the terms with p = 0 as 0", partial=True)
def entropy_nan_at_zero(p):
    p = np.asarray(p, dtype=float)
    return float(-np.sum(p * np.log(p)))


@bug("entropy", "you averaged the terms: entropy is the SUM of -p ln p")
def entropy_mean(p):
    p = np.asarray(p, dtype=float)
    nz = np.where(p > 0, p, 1.0)
    return float(-np.mean(p * np.log(nz)))


@correct("entropy")
def entropy_scipy(p):
    from scipy.stats import entropy as sp_entropy
    return float(sp_entropy(p))


@correct("entropy")
def entropy_xlogy(p):
    from scipy.special import xlogy
    return float(-np.sum(xlogy(p, p)))


# ---------------------------------------------------------------- softmax_gradients
@bug("softmax_gradients", "you summed over the samples: average the gradient (divide by m)")
def sg_sum(X, Y, W, b):
    dZ = softmax(X @ W + b) - Y
    return X.T @ dZ, dZ.sum(axis=0)


@bug("softmax_gradients", "the sign is flipped: the error term is P - Y, not Y - P")
def sg_sign(X, Y, W, b):
    dZ = (Y - softmax(X @ W + b)) / len(X)
    return X.T @ dZ, dZ.sum(axis=0)


@bug("softmax_gradients", "db sums over the wrong axis: sum over the samples (axis=0), giving one value per class")
def sg_db_axis(X, Y, W, b):
    dZ = (softmax(X @ W + b) - Y) / len(X)
    return X.T @ dZ, dZ.sum(axis=1)


@bug("softmax_gradients", "the bias b is missing from the forward pass: Z = X @ W + b")
def sg_no_bias(X, Y, W, b):
    dZ = (softmax(X @ W) - Y) / len(X)
    return X.T @ dZ, dZ.sum(axis=0)


@bug("softmax_gradients", "you used the predicted probabilities P as the error: it is P - Y")
def sg_no_targets(X, Y, W, b):
    dZ = softmax(X @ W + b) / len(X)
    return X.T @ dZ, dZ.sum(axis=0)


@correct("softmax_gradients")
def sg_loops(X, Y, W, b):
    m, n = X.shape
    k = W.shape[1]
    dW, db = np.zeros((n, k)), np.zeros(k)
    for i in range(m):
        z = X[i] @ W + b
        p = np.exp(z - z.max())
        p /= p.sum()
        dW += np.outer(X[i], p - Y[i]) / m
        db += (p - Y[i]) / m
    return dW, db


@correct("softmax_gradients")
def sg_einsum(X, Y, W, b):
    Z = np.einsum("ij,jk->ik", X, W) + b
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = P / P.sum(axis=1, keepdims=True)
    return np.einsum("ij,ik->jk", X, P - Y) / len(X), np.mean(P - Y, axis=0)


# ---------------------------------------------------------------- predict_classes
@bug("predict_classes", "argmax over axis 0 picks a sample for each class: take it over the classes (axis=1)")
def pc_axis0(X, W, b):
    return np.argmax(X @ W + b, axis=0)


@bug("predict_classes", "the bias b is missing from the scores: X @ W + b")
def pc_no_bias(X, W, b):
    return np.argmax(X @ W, axis=1)


@bug("predict_classes", "argmin picks the LEAST likely class: use argmax")
def pc_argmin(X, W, b):
    return np.argmin(X @ W + b, axis=1)


@bug("predict_classes", "return the class indices (argmax), not the probabilities", named_by_check=True)
def pc_probabilities(X, W, b):
    return softmax(X @ W + b)


@correct("predict_classes")
def pc_softmax_argmax(X, W, b):
    return softmax(X @ W + b).argmax(axis=-1)


# ---------------------------------------------------------------- train_softmax_regression
def _train(X, y, num_classes, lr, epochs, batch_size, seed, *, record_after=False, drop_last=False,
           shuffle_y=True, ascent=False, lr_used=None, same_order=False):
    m, n = X.shape
    Y = one_hot(y, num_classes)
    W, b = np.zeros((n, num_classes)), np.zeros(num_classes)
    rng = np.random.default_rng(seed)
    history = []

    def record():
        history.append((cross_entropy_loss(Y, softmax(X @ W + b)), float(np.mean(predict_classes(X, W, b) == y))))
    for _ in range(epochs):
        if not record_after:
            record()
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = np.arange(m) if same_order else rng.permutation(m)
            stop = m - m % batch_size if drop_last else m
            batches = [order[s:s + batch_size] for s in range(0, stop, batch_size)]
        for rows in batches:
            targets = Y[rows] if shuffle_y else Y[np.sort(rows)]
            dW, db = softmax_gradients(X[rows], targets, W, b)
            step = lr if lr_used is None else lr_used
            sign = 1 if ascent else -1
            W, b = W + sign * step * dW, b + sign * step * db
        if record_after:
            record()
    return W, b, history


@bug("train_softmax_regression", "history[e] must describe the parameters at the START of epoch e: "
     "record loss and accuracy before the updates")
def train_history_after(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, record_after=True)


@bug("train_softmax_regression", "the last, smaller mini-batch was dropped: leftover samples form one more batch")
def train_drop_last(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, drop_last=True)


@bug("train_softmax_regression", "you shuffled X but not the targets: index both with the same permutation")
def train_shuffle_x_only(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, shuffle_y=False)


@bug("train_softmax_regression", "you stepped uphill (W + lr * dW): gradient descent subtracts the gradient")
def train_ascent(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, ascent=True)


@bug("train_softmax_regression", "the learning rate argument lr is ignored (a fixed step size is used)")
def train_fixed_lr(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, lr_used=0.1)


@bug("train_softmax_regression", "the samples were not shuffled: visit them in the order rng.permutation(m)")
def train_no_shuffle(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, same_order=True)


@correct("train_softmax_regression")
def train_inline(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    m, n = X.shape
    Y = np.eye(num_classes)[y]
    W, b = np.zeros((n, num_classes)), np.zeros(num_classes)
    rng = np.random.default_rng(seed)
    history = []
    size = m if batch_size is None else batch_size
    for _ in range(epochs):
        Z = X @ W + b
        P = np.exp(Z - Z.max(axis=1, keepdims=True))
        P /= P.sum(axis=1, keepdims=True)
        history.append((-np.mean(np.log(P[np.arange(m), y])), np.mean(Z.argmax(axis=1) == y)))
        order = np.arange(m) if batch_size is None else rng.permutation(m)
        for start in range(0, m, size):
            idx = order[start:start + size]
            Zb = X[idx] @ W + b
            Pb = np.exp(Zb - Zb.max(axis=1, keepdims=True))
            Pb /= Pb.sum(axis=1, keepdims=True)
            dZ = (Pb - Y[idx]) / len(idx)
            W = W - lr * X[idx].T @ dZ
            b = b - lr * dZ.sum(axis=0)
    return W, b, history
