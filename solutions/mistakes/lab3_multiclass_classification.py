"""Plausible lab-3 submissions: bugs with the mistake they make, and correct variants."""
import numpy as np

from solutions.lab3_multiclass_classification import (  # noqa: F401  (names used by entries)
    cross_entropy_loss, entropy, one_hot, predict_classes, softmax, softmax_gradients)
from solutions.mistakes import SAME_ORDER_EVERY_EPOCH, Catalog, epoch_batches
from solutions.mistakes.families import CE_OVER_CLASSES

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


@bug("softmax", "subtracting the maximum of the WHOLE matrix is not enough: a row far below it underflows to "
     "0/0 = nan; subtract each row's own maximum (axis=-1, keepdims=True)", partial=True)
def softmax_global_max(Z):
    e = np.exp(Z - np.max(Z))
    return e / np.sum(e, axis=-1, keepdims=True)


@bug("softmax", "you divided by the sum of the WHOLE matrix: each row (one sample) is normalized by its own "
     "sum, np.sum(..., axis=-1, keepdims=True)")
def softmax_sum_all(Z):
    e = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
    return e / np.sum(e)


@bug("softmax", "axis=1 fails for a single vector of scores: use axis=-1, the last axis, which works for (k,) "
     "and (m, k) alike")
def softmax_axis1(Z):
    e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


@bug("softmax", "Z -= ... changed the caller's array in place: compute Z - max as a new array",
     named_by_check=True)
def softmax_in_place(Z):
    Z -= np.max(Z, axis=-1, keepdims=True)
    e = np.exp(Z)
    return e / np.sum(e, axis=-1, keepdims=True)


@correct("softmax")
def softmax_scipy(Z):
    from scipy.special import softmax as sp_softmax
    return sp_softmax(Z, axis=-1)


@correct("softmax")
def softmax_logsumexp(Z):
    from scipy.special import logsumexp
    return np.exp(Z - logsumexp(Z, axis=-1, keepdims=True))


@correct("softmax")
def softmax_rows_loop(Z):
    Z = np.asarray(Z, dtype=float)
    rows = Z.reshape(-1, Z.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(Z.shape)


@correct("softmax")
def softmax_on_a_copy(Z):
    E = np.array(Z, dtype=float)                # a copy: the caller's Z stays as it was
    E -= E.max(axis=-1, keepdims=True)
    np.exp(E, out=E)
    E /= E.sum(axis=-1, keepdims=True)
    return E


# ---------------------------------------------------------------- one_hot
@bug("one_hot", "the matrix is transposed: one ROW per sample, one column per class, shape (m, num_classes)")
def one_hot_transposed(y, num_classes):
    return np.eye(num_classes)[y].T


@bug("one_hot", "the number of columns must be num_classes, not a count taken from the labels (max(y) + 1, or the "
     "number of distinct labels): a batch may miss a class")
def one_hot_max(y, num_classes):
    return np.eye(int(np.max(y)) + 1)[y]


@bug("one_hot", "the labels start at 0: class c goes in column c, not c - 1")
def one_hot_off_by_one(y, num_classes):
    return np.eye(num_classes)[np.asarray(y) - 1]


@bug("one_hot", "the one-hot matrix must hold floats (0.0 and 1.0): use np.zeros(..., dtype=float)",
     named_by_check=True)
def one_hot_int(y, num_classes):
    return np.eye(num_classes, dtype=int)[y]


@bug("one_hot", "out[:, y] = 1 sets whole columns (every row gets a 1 for every label present): set one entry "
     "per row, row i getting its 1 in column y[i]")
def one_hot_whole_columns(y, num_classes):
    out = np.zeros((len(y), num_classes))
    out[:, y] = 1.0
    return out


@bug("one_hot", "you built one vector of length num_classes for all the labels: one_hot needs one ROW per "
     "sample, shape (m, num_classes)")
def one_hot_single_row(y, num_classes):
    out = np.zeros(num_classes)
    out[y] = 1.0
    return out


@bug("one_hot", "return a numpy array, not a list of lists: e.g. fill np.zeros((m, num_classes))",
     named_by_check=True)
def one_hot_list(y, num_classes):
    return [[1.0 if j == label else 0.0 for j in range(num_classes)] for label in y]


@bug("one_hot", "your loop stops one sample early (range(len(y) - 1)): the last row stays all zeros")
def one_hot_loop_stops_early(y, num_classes):
    out = np.zeros((len(y), num_classes))
    for i in range(len(y) - 1):
        out[i, y[i]] = 1.0
    return out


@correct("one_hot")
def one_hot_compare(y, num_classes):
    return (np.asarray(y)[:, None] == np.arange(num_classes)).astype(float)


@correct("one_hot")
def one_hot_eye_rows(y, num_classes):
    return np.eye(num_classes)[np.asarray(y, dtype=int)]


@correct("one_hot")
def one_hot_loop(y, num_classes):
    out = np.zeros((len(y), num_classes))
    for i, label in enumerate(y):
        out[i, int(label)] = 1.0
    return out


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


@bug("cross_entropy_loss", "you returned the loss of every sample: average them into one number (np.mean)")
def ce_per_sample(Y, P):
    return -np.sum(Y * np.log(P), axis=1)


@bug("cross_entropy_loss", CE_OVER_CLASSES)
def ce_axes_swapped(Y, P):
    return float(-np.mean(np.sum(Y * np.log(P), axis=0)))


@bug("cross_entropy_loss", "that is the binary cross-entropy: with one-hot targets the loss is only "
     "-sum_j Y_ij ln P_ij, with no (1 - Y) ln(1 - P) term")
def ce_binary_formula(Y, P):
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))


@bug("cross_entropy_loss", "you used log base 10: cross-entropy here uses the natural log, np.log")
def ce_log10(Y, P):
    return float(-np.sum(Y * np.log10(P)) / len(Y))


@bug("cross_entropy_loss", "only the probability at argmax(Y) is used: with rows of probabilities as targets every "
     "entry counts, -sum_j Y_ij ln P_ij", partial=True)
def ce_pick(Y, P):
    labels = np.argmax(Y, axis=1)
    return float(-np.mean(np.log(P[np.arange(len(labels)), labels])))


@correct("cross_entropy_loss")
def ce_clipped(Y, P):
    return float(-np.mean(np.sum(Y * np.log(np.clip(P, 1e-12, 1.0)), axis=1)))


@correct("cross_entropy_loss")
def ce_xlogy(Y, P):
    from scipy.special import xlogy
    return float(-np.sum(xlogy(Y, P)) / len(Y))


@bug("cross_entropy_loss", "0 * np.log(0) is 0 * -inf = nan: an entry with Y = 0 must contribute nothing, "
     "so take the log only where Y > 0 (or of P at the true class)", partial=True, named_by_check=True)
def ce_einsum(Y, P):
    # right wherever P > 0; nan where P is 0 at a class with Y = 0, which the notebook covers
    return float(-np.einsum("ij,ij->", Y, np.log(P)) / Y.shape[0])


@correct("cross_entropy_loss")
def ce_einsum_where(Y, P):
    logs = np.log(P, where=Y > 0, out=np.zeros_like(P, dtype=float))
    return float(-np.einsum("ij,ij->", Y, logs) / Y.shape[0])


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


@bug("entropy", "each ln p must be weighted by its probability: -sum p ln p, not -sum ln p")
def entropy_unweighted(p):
    p = np.asarray(p, dtype=float)
    nz = p[p > 0]
    return float(-np.sum(np.log(nz)))


@bug("entropy", "ln(p + 1) avoids ln 0 but changes every term: keep ln p and count the terms with p = 0 as 0")
def entropy_log_p_plus_one(p):
    p = np.asarray(p, dtype=float)
    return float(-np.sum(p * np.log(p + 1)))


@bug("entropy", "you returned the terms -p ln p: add them up into one number (np.sum)")
def entropy_terms(p):
    p = np.asarray(p, dtype=float)
    return -p * np.log(np.where(p > 0, p, 1.0))


@bug("entropy", "p[p == 0] = ... changed the caller's array in place: work on a copy, or use np.where",
     named_by_check=True)
def entropy_in_place(p):
    p[p == 0] = 1.0                             # 1 ln 1 = 0, but this rewrites the caller's array
    return float(-np.sum(p * np.log(p)))


@correct("entropy")
def entropy_scipy(p):
    from scipy.stats import entropy as sp_entropy
    return float(sp_entropy(p))


@correct("entropy")
def entropy_xlogy(p):
    from scipy.special import xlogy
    return float(-np.sum(xlogy(p, p)))


@correct("entropy")
def entropy_nansum(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.nansum(p * np.log(p)))       # 0 * ln 0 = nan, which nansum skips


@correct("entropy")
def entropy_loop(p):
    import math
    total = 0.0
    for q in p:
        if q > 0:
            total -= q * math.log(q)
    return total


# ---------------------------------------------------------------- softmax_gradients
@bug("softmax_gradients", "db was not averaged over the samples: divide it by m, like dW")
def sg_db_not_averaged(X, Y, W, b):
    dZ = softmax(X @ W + b) - Y
    return X.T @ dZ / len(X), dZ.sum(axis=0)


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


@bug("softmax_gradients", "you returned (db, dW): return the pair in the order (dW, db)")
def sg_swapped(X, Y, W, b):
    dZ = (softmax(X @ W + b) - Y) / len(X)
    return dZ.sum(axis=0), X.T @ dZ


@bug("softmax_gradients", "dZ.T @ X has shape (k, n), the transpose of what is needed: dW must have W's shape "
     "(n, k), one row per feature")
def sg_transposed(X, Y, W, b):
    dZ = (softmax(X @ W + b) - Y) / len(X)
    return dZ.T @ X, dZ.sum(axis=0)


@bug("softmax_gradients", "keepdims=True left db with shape (1, k): it must have b's shape (k,)")
def sg_db_keepdims(X, Y, W, b):
    dZ = (softmax(X @ W + b) - Y) / len(X)
    return X.T @ dZ, dZ.sum(axis=0, keepdims=True)


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


@correct("softmax_gradients")
def sg_scipy(X, Y, W, b):
    from scipy.special import softmax as sp_softmax
    error = sp_softmax(np.dot(X, W) + b, axis=1) - Y
    return np.dot(X.T, error) / X.shape[0], np.mean(error, axis=0)


# ---------------------------------------------------------------- predict_classes
@bug("predict_classes", "a tie goes to the last of the tied classes: it must go to the first, as "
     "np.argmax(..., axis=1) does")
def pc_ties_to_last(X, W, b):
    Z = X @ W + b
    return (Z.shape[1] - 1 - np.argmax(Z[:, ::-1], axis=1)).astype(int)


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


@bug("predict_classes", "np.zeros(m) holds floats: class indices must be integers, so create it with "
     "dtype=int (or use np.argmax(scores, axis=1) directly)", named_by_check=True)
def pc_float_loop(X, W, b):
    scores = X @ W + b
    out = np.zeros(len(X))
    for i in range(len(X)):
        out[i] = np.argmax(scores[i])
    return out


@bug("predict_classes", "np.max gives the highest score itself: you need its position, the class index, "
     "np.argmax")
def pc_max_score(X, W, b):
    return np.max(X @ W + b, axis=1)


@bug("predict_classes", "np.argmax without axis= looks at the flattened matrix and returns one number: take it "
     "along the classes, axis=1")
def pc_argmax_flat(X, W, b):
    return np.argmax(X @ W + b)


@bug("predict_classes", "return a numpy array of class indices, not a Python list", named_by_check=True)
def pc_list(X, W, b):
    return [int(np.argmax(row)) for row in X @ W + b]


@correct("predict_classes")
def pc_softmax_argmax(X, W, b):
    return softmax(X @ W + b).argmax(axis=-1)


@correct("predict_classes")
def pc_loop(X, W, b):
    scores = np.dot(X, W) + b
    labels = np.zeros(len(X), dtype=int)
    for i, row in enumerate(scores):
        labels[i] = np.argmax(row)
    return labels


@correct("predict_classes")
def pc_matmul_last_axis(X, W, b):
    return np.argmax(np.matmul(X, W) + b, axis=-1)


# ---------------------------------------------------------------- train_softmax_regression
def _train(X, y, num_classes, lr, epochs, batch_size, seed, *, record_after=False, shuffle_y=True, ascent=False,
           lr_used=None, batch_record=False, swap_pair=False, frozen_bias=False, random_init=False,
           classes_from_y=False, **order):
    """The reference's loop; each bug below switches on one change (`order`: of the batches)."""
    m, n = X.shape
    if classes_from_y:
        num_classes = int(np.max(y)) + 1
    Y = one_hot(y, num_classes)
    rng = np.random.default_rng(seed)
    if random_init:
        W, b = rng.random((n, num_classes)) - 0.5, rng.random(num_classes) - 0.5
    else:
        W, b = np.zeros((n, num_classes)), np.zeros(num_classes)
    history = []

    def measure(rows):
        loss = cross_entropy_loss(Y[rows], softmax(X[rows] @ W + b))
        acc = float(np.mean(predict_classes(X[rows], W, b) == y[rows]))
        return (acc, loss) if swap_pair else (loss, acc)
    for batches in epoch_batches(rng, seed, m, epochs, batch_size, **order):
        if not record_after and not batch_record:
            history.append(measure(np.arange(m)))
        for rows in batches:
            if batch_record:
                last = measure(rows)
            targets = Y[rows] if shuffle_y else Y[np.sort(rows)]
            dW, db = softmax_gradients(X[rows], targets, W, b)
            step = lr if lr_used is None else lr_used
            sign = 1 if ascent else -1
            W = W + sign * step * dW
            if not frozen_bias:
                b = b + sign * step * db
        if batch_record:
            history.append(last)
        if record_after:
            history.append(measure(np.arange(m)))
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
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, lr_used=0.0789)


@bug("train_softmax_regression", "the samples were not shuffled: visit them in the order rng.permutation(m)")
def train_no_shuffle(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, same_order=True)


@bug("train_softmax_regression", SAME_ORDER_EVERY_EPOCH)
def train_permute_once(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, permute_once=True)


@bug("train_softmax_regression", SAME_ORDER_EVERY_EPOCH)
def train_rng_per_epoch(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, rng_per_epoch=True)


@bug("train_softmax_regression", "history[e] must describe the FULL training set at the start of epoch e, not "
     "the last mini-batch")
def train_batch_history(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, batch_record=True)


@bug("train_softmax_regression", "each history entry is the pair (loss, accuracy), in that order: yours has "
     "them swapped")
def train_pair_swapped(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, swap_pair=True)


@bug("train_softmax_regression", "the bias is never updated: step b as well as W")
def train_frozen_bias(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, frozen_bias=True)


@bug("train_softmax_regression", "start from W = 0 and b = 0 (np.zeros), not from random values")
def train_random_init(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, random_init=True)


@bug("train_softmax_regression", "use the num_classes argument: the labels in y need not include every class, "
     "so max(y) + 1 can be too small")
def train_classes_from_labels(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, num_classes, lr, epochs, batch_size, seed, classes_from_y=True)


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


@correct("train_softmax_regression")
def train_shuffled_copies(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    m, n = X.shape
    Y = one_hot(y, num_classes)
    W, b = np.zeros((n, num_classes)), np.zeros(num_classes)
    rng = np.random.default_rng(seed)
    size = m if batch_size is None else batch_size
    history = []
    for epoch in range(epochs):
        loss = cross_entropy_loss(Y, softmax(X @ W + b))
        history.append((loss, np.mean(predict_classes(X, W, b) == y)))
        if batch_size is None:
            X_epoch, Y_epoch = X, Y
        else:
            order = rng.permutation(m)
            X_epoch, Y_epoch = X[order], Y[order]
        start = 0
        while start < m:
            dW, db = softmax_gradients(X_epoch[start:start + size], Y_epoch[start:start + size], W, b)
            W, b = W - lr * dW, b - lr * db
            start += size
    return W, b, history
