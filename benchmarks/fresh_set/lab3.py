"""Fresh entries for lab3_multiclass_classification: one graded function each, as a student writes it."""
from . import bug, correct, partial


def _trainer(body: str, *, header: str = "", start: str = "", record: str = "", batches: str = "",
             step: str = "") -> str:
    """A training loop for train_softmax_regression with one part replaced: most students
    get the frame right and differ in one place, which keeps each entry about one mistake."""
    parts = {
        "start": start or """
    Y = one_hot(y, num_classes)
    W = np.zeros((X.shape[1], num_classes))
    b = np.zeros(num_classes)
    rng = np.random.default_rng(seed)""",
        "record": record or """
        P = softmax(X @ W + b)
        history.append((cross_entropy_loss(Y, P), np.mean(predict_classes(X, W, b) == y)))""",
        "batches": batches or """
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = rng.permutation(m)
            batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]""",
        "step": step or """
            dW, db = softmax_gradients(X[rows], Y[rows], W, b)
            W = W - lr * dW
            b = b - lr * db""",
    }
    text = body
    for key, value in parts.items():
        text = text.replace("{" + key + "}", value.strip("\n"))
    return header + text


LOOP = """
def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    m = X.shape[0]
{start}
    history = []
    for epoch in range(epochs):
{record}
{batches}
        for rows in batches:
{step}
    return W, b, history
"""


def loop(**parts) -> str:
    return _trainer(LOOP, **parts)


ENTRIES = [
    # ---- softmax -------------------------------------------------------------------------
    correct("softmax", "sm_scipy", """
        def softmax(Z):
            from scipy.special import softmax as scipy_softmax
            return scipy_softmax(Z, axis=-1)
    """),
    correct("softmax", "sm_logsumexp", """
        def softmax(Z):
            from scipy.special import logsumexp
            return np.exp(Z - logsumexp(Z, axis=-1, keepdims=True))
    """),
    correct("softmax", "sm_rows_loop", """
        def _one_row(z):
            e = np.exp(z - np.max(z))
            return e / e.sum()

        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            if Z.ndim == 1:
                return _one_row(Z)
            return np.array([_one_row(row) for row in Z])
    """),
    correct("softmax", "sm_shift_copy", """
        def softmax(Z):
            shifted = Z - Z.max(axis=-1, keepdims=True)
            e = np.exp(shifted)
            return e / e.sum(axis=-1, keepdims=True)
    """),
    partial("softmax", "sm_unshifted", "no shift by the maximum: exp overflows and the result is nan for large scores", """
        def softmax(Z):
            e = np.exp(Z)
            return e / np.sum(e, axis=-1, keepdims=True)
    """),
    bug("softmax", "sm_axis0", "normalizes over the samples (axis 0) instead of over the classes", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z, axis=0, keepdims=True))
            return e / np.sum(e, axis=0, keepdims=True)
    """),
    bug("softmax", "sm_no_keepdims", "sums along axis 1 without keepdims: the (m,) sums broadcast against the columns (and axis 1 does not exist for one sample)", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z))
            return e / np.sum(e, axis=1)
    """),
    partial("softmax", "sm_total_sum", "divides by the sum of all entries: right for one sample, wrong for several rows", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z))
            return e / np.sum(e)
    """),
    partial("softmax", "sm_global_max", "shifts by the maximum of the whole array: a row far below it underflows to 0 / 0 = nan", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z))
            return e / np.sum(e, axis=-1, keepdims=True)
    """),
    partial("softmax", "sm_min_shift", "shifts by the minimum instead of the maximum: overflows for a wide spread of scores", """
        def softmax(Z):
            e = np.exp(Z - np.min(Z, axis=-1, keepdims=True))
            return e / np.sum(e, axis=-1, keepdims=True)
    """),
    bug("softmax", "sm_inplace_shift", "subtracts the maximum in place (Z -= ...): the caller's scores change", """
        def softmax(Z):
            Z -= np.max(Z, axis=-1, keepdims=True)
            e = np.exp(Z)
            return e / np.sum(e, axis=-1, keepdims=True)
    """),
    partial("softmax", "sm_only_2d", "uses axis=1: right for (m, k) scores, fails for a single (k,) vector", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
            return e / np.sum(e, axis=1, keepdims=True)
    """),
    bug("softmax", "sm_divide_by_max", "divides by the largest exponential instead of the sum", """
        def softmax(Z):
            e = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
            return e / np.max(e, axis=-1, keepdims=True)
    """),
    bug("softmax", "sm_sigmoid", "applies the sigmoid to every score: rows do not sum to 1", """
        def softmax(Z):
            return 1 / (1 + np.exp(-np.clip(Z, -500, 500)))
    """),

    # ---- one_hot -------------------------------------------------------------------------
    correct("one_hot", "oh_eye", """
        def one_hot(y, num_classes):
            return np.eye(num_classes)[y]
    """),
    correct("one_hot", "oh_loop", """
        def one_hot(y, num_classes):
            Y = np.zeros((len(y), num_classes), dtype=float)
            for i, label in enumerate(y):
                Y[i, label] = 1
            return Y
    """),
    correct("one_hot", "oh_compare", """
        def one_hot(y, num_classes):
            return (np.asarray(y)[:, None] == np.arange(num_classes)).astype(float)
    """),
    bug("one_hot", "oh_int", "an integer matrix: np.zeros(..., dtype=int) instead of floats", """
        def one_hot(y, num_classes):
            Y = np.zeros((len(y), num_classes), dtype=int)
            Y[np.arange(len(y)), y] = 1
            return Y
    """),
    bug("one_hot", "oh_width_from_labels", "ignores num_classes and uses max(y) + 1 columns", """
        def one_hot(y, num_classes):
            return np.eye(np.max(y) + 1)[y]
    """),
    bug("one_hot", "oh_transposed", "returns the (num_classes, m) transpose", """
        def one_hot(y, num_classes):
            Y = np.zeros((num_classes, len(y)))
            Y[y, np.arange(len(y))] = 1.0
            return Y
    """),
    bug("one_hot", "oh_whole_columns", "Y[:, y] = 1 sets whole columns instead of one entry per row", """
        def one_hot(y, num_classes):
            Y = np.zeros((len(y), num_classes))
            Y[:, y] = 1.0
            return Y
    """),
    bug("one_hot", "oh_one_based", "treats the labels as 1-based (y - 1)", """
        def one_hot(y, num_classes):
            return np.eye(num_classes)[np.asarray(y) - 1]
    """),
    bug("one_hot", "oh_last_row", "the loop stops one row early (range(len(y) - 1)): the last row stays zero", """
        def one_hot(y, num_classes):
            Y = np.zeros((len(y), num_classes))
            for i in range(len(y) - 1):
                Y[i, y[i]] = 1.0
            return Y
    """),
    bug("one_hot", "oh_bool", "returns booleans (no .astype(float))", """
        def one_hot(y, num_classes):
            return np.asarray(y)[:, None] == np.arange(num_classes)
    """),
    bug("one_hot", "oh_unique", "one column per label present in y (np.unique), not num_classes columns", """
        def one_hot(y, num_classes):
            classes = np.unique(y)
            return (np.asarray(y)[:, None] == classes[None, :]).astype(float)
    """),

    # ---- cross_entropy_loss --------------------------------------------------------------
    partial("cross_entropy_loss", "ce_row_sums", "np.log(P) where P is 0 at a class with Y = 0: 0 * -inf = nan, where the notebook says such an entry contributes nothing", """
        def cross_entropy_loss(Y, P):
            return -np.mean(np.sum(Y * np.log(P), axis=1))
    """),
    correct("cross_entropy_loss", "ce_clip", """
        def cross_entropy_loss(Y, P):
            P = np.clip(P, 1e-12, 1.0)
            return float(-np.sum(Y * np.log(P)) / len(Y))
    """),
    partial("cross_entropy_loss", "ce_einsum", "np.log(P) where P is 0 at a class with Y = 0: 0 * -inf = nan, where the notebook says such an entry contributes nothing", """
        def cross_entropy_loss(Y, P):
            return -np.einsum('ij,ij->', Y, np.log(P)) / Y.shape[0]
    """),
    correct("cross_entropy_loss", "ce_loop", """
        import math

        def cross_entropy_loss(Y, P):
            total = 0.0
            for y_row, p_row in zip(Y, P):
                for y_ij, p_ij in zip(y_row, p_row):
                    if y_ij != 0:
                        total -= y_ij * math.log(p_ij)
            return total / len(Y)
    """),
    bug("cross_entropy_loss", "ce_sum", "summed over the samples instead of averaging", """
        def cross_entropy_loss(Y, P):
            return -np.sum(Y * np.log(P))
    """),
    bug("cross_entropy_loss", "ce_mean_all", "np.mean over all m * k entries: k times too small", """
        def cross_entropy_loss(Y, P):
            return -np.mean(Y * np.log(P))
    """),
    bug("cross_entropy_loss", "ce_log_of_means", "averages Y and P over the samples first, then takes the log: a log of means", """
        def cross_entropy_loss(Y, P):
            return -np.sum(np.mean(Y, axis=0) * np.log(np.mean(P, axis=0)))
    """),
    bug("cross_entropy_loss", "ce_product_of_means", "averages Y and ln P separately per class and multiplies the means", """
        def cross_entropy_loss(Y, P):
            return -np.sum(np.mean(Y, axis=0) * np.mean(np.log(P), axis=0))
    """),
    bug("cross_entropy_loss", "ce_log2", "log base 2 instead of the natural log", """
        def cross_entropy_loss(Y, P):
            return -np.sum(Y * np.log2(P)) / len(Y)
    """),
    bug("cross_entropy_loss", "ce_no_minus", "forgot the minus sign: the loss is negative", """
        def cross_entropy_loss(Y, P):
            return np.sum(Y * np.log(P)) / len(Y)
    """),
    bug("cross_entropy_loss", "ce_max_prob", "uses the largest predicted probability of each row instead of the true class's", """
        def cross_entropy_loss(Y, P):
            return -np.mean(np.log(np.max(P, axis=1)))
    """),
    partial("cross_entropy_loss", "ce_argmax_pick", "picks P at argmax(Y) only: right for one-hot Y, wrong for rows of probabilities", """
        def cross_entropy_loss(Y, P):
            m = Y.shape[0]
            return -np.mean(np.log(P[np.arange(m), np.argmax(Y, axis=1)]))
    """),
    bug("cross_entropy_loss", "ce_binary", "the binary cross-entropy formula, with an extra (1 - Y) ln(1 - P) term", """
        def cross_entropy_loss(Y, P):
            return -np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1))
    """),
    partial("cross_entropy_loss", "ce_log_of_product", "log of the product of the true-class probabilities: underflows to log(0) for many samples", """
        def cross_entropy_loss(Y, P):
            return -np.log(np.prod(np.sum(Y * P, axis=1))) / len(Y)
    """),

    # ---- entropy -------------------------------------------------------------------------
    correct("entropy", "en_scipy", """
        def entropy(p):
            from scipy.stats import entropy as scipy_entropy
            return float(scipy_entropy(p))
    """),
    correct("entropy", "en_nansum", """
        def entropy(p):
            with np.errstate(divide='ignore', invalid='ignore'):
                return -np.nansum(p * np.log(p))
    """),
    correct("entropy", "en_loop", """
        import math

        def entropy(p):
            h = 0.0
            for p_j in p:
                if p_j > 0:
                    h -= p_j * math.log(p_j)
            return h
    """),
    correct("entropy", "en_tiny_epsilon", """
        def entropy(p):
            return float(-np.sum(p * np.log(p + 1e-12)))
    """),
    correct("entropy", "en_entr", """
        def entropy(p):
            from scipy.special import entr
            return float(np.sum(entr(p)))
    """),
    partial("entropy", "en_no_guard", "no guard for p = 0: 0 * ln 0 gives nan", """
        def entropy(p):
            return -np.sum(p * np.log(p))
    """),
    bug("entropy", "en_log2", "log base 2 (bits) instead of the natural log", """
        def entropy(p):
            p = p[p > 0]
            return -np.sum(p * np.log2(p))
    """),
    bug("entropy", "en_no_minus", "forgot the minus sign: the entropy is negative", """
        def entropy(p):
            p = p[p > 0]
            return np.sum(p * np.log(p))
    """),
    bug("entropy", "en_mean", "np.mean instead of np.sum over the classes", """
        def entropy(p):
            p = p[p > 0]
            return -np.mean(p * np.log(p))
    """),
    bug("entropy", "en_unweighted", "forgot to weight the logs by p: -sum ln p", """
        def entropy(p):
            p = p[p > 0]
            return -np.sum(np.log(p))
    """),
    bug("entropy", "en_big_epsilon", "adds an epsilon of 1e-3 inside the log: every term is visibly off", """
        def entropy(p):
            return -np.sum(p * np.log(p + 1e-3))
    """),
    bug("entropy", "en_inplace_fix", "replaces the zeros of p in place (p[p == 0] = ...): the caller's array changes", """
        def entropy(p):
            p[p == 0] = 1e-12
            return -np.sum(p * np.log(p))
    """),
    bug("entropy", "en_terms", "returns the terms -p ln p without summing them", """
        def entropy(p):
            out = np.zeros_like(p, dtype=float)
            nz = p > 0
            out[nz] = -p[nz] * np.log(p[nz])
            return out
    """),

    # ---- softmax_gradients ---------------------------------------------------------------
    correct("softmax_gradients", "sg_via_softmax", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = softmax(X @ W + b) - Y
            return X.T @ G / m, G.sum(axis=0) / m
    """),
    correct("softmax_gradients", "sg_einsum", """
        def softmax_gradients(X, Y, W, b):
            G = (softmax(np.einsum('ij,jk->ik', X, W) + b) - Y) / len(X)
            return np.einsum('ij,ik->jk', X, G), np.einsum('ik->k', G)
    """),
    correct("softmax_gradients", "sg_sample_loop", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            dW = np.zeros_like(W, dtype=float)
            db = np.zeros_like(b, dtype=float)
            for i in range(m):
                z = X[i] @ W + b
                p = np.exp(z - z.max())
                p = p / p.sum()
                dW += np.outer(X[i], p - Y[i]) / m
                db += (p - Y[i]) / m
            return dW, db
    """),
    correct("softmax_gradients", "sg_mean_broadcast", """
        def softmax_gradients(X, Y, W, b):
            G = softmax(X @ W + b) - Y
            return np.mean(X[:, :, None] * G[:, None, :], axis=0), np.mean(G, axis=0)
    """),
    bug("softmax_gradients", "sg_sum", "summed over the samples instead of averaging", """
        def softmax_gradients(X, Y, W, b):
            G = softmax(X @ W + b) - Y
            return X.T @ G, G.sum(axis=0)
    """),
    bug("softmax_gradients", "sg_per_class", "divides by the number of classes k instead of the number of samples m", """
        def softmax_gradients(X, Y, W, b):
            k = W.shape[1]
            G = softmax(X @ W + b) - Y
            return X.T @ G / k, G.sum(axis=0) / k
    """),
    bug("softmax_gradients", "sg_per_feature", "divides by the number of features n instead of the number of samples m", """
        def softmax_gradients(X, Y, W, b):
            n = X.shape[1]
            G = softmax(X @ W + b) - Y
            return X.T @ G / n, G.sum(axis=0) / n
    """),
    bug("softmax_gradients", "sg_sign", "error taken as Y - P: both gradients have the wrong sign", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = Y - softmax(X @ W + b)
            return X.T @ G / m, G.sum(axis=0) / m
    """),
    bug("softmax_gradients", "sg_softmax_over_samples", "softmax over the samples axis (axis 0) instead of over the classes", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            Z = X @ W + b
            E = np.exp(Z - Z.max(axis=0))
            P = E / E.sum(axis=0)
            G = P - Y
            return X.T @ G / m, G.sum(axis=0) / m
    """),
    bug("softmax_gradients", "sg_no_softmax", "forgot the softmax: uses the scores Z - Y as the error", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = X @ W + b - Y
            return X.T @ G / m, G.sum(axis=0) / m
    """),
    bug("softmax_gradients", "sg_db_per_sample", "db summed over the classes (axis 1): one value per sample instead of one per class", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = softmax(X @ W + b) - Y
            return X.T @ G / m, G.sum(axis=1) / m
    """),
    bug("softmax_gradients", "sg_twice_m", "divides by m twice (once in the error, once in dW and db)", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = (softmax(X @ W + b) - Y) / m
            return X.T @ G / m, G.sum(axis=0) / m
    """),
    bug("softmax_gradients", "sg_transposed", "G.T @ X: dW comes back as (k, n) instead of (n, k)", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = softmax(X @ W + b) - Y
            return G.T @ X / m, G.sum(axis=0) / m
    """),
    partial("softmax_gradients", "sg_unshifted", "its own softmax without the max shift: nan for large scores", """
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            E = np.exp(X @ W + b)
            G = E / E.sum(axis=1, keepdims=True) - Y
            return X.T @ G / m, G.sum(axis=0) / m
    """),

    # ---- predict_classes -----------------------------------------------------------------
    correct("predict_classes", "pc_softmax", """
        def predict_classes(X, W, b):
            return np.argmax(softmax(X @ W + b), axis=1)
    """),
    correct("predict_classes", "pc_last_axis", """
        def predict_classes(X, W, b):
            return (X @ W + b).argmax(axis=-1)
    """),
    correct("predict_classes", "pc_loop", """
        def predict_classes(X, W, b):
            labels = []
            for x in X:
                scores = list(x @ W + b)
                labels.append(scores.index(max(scores)))
            return np.array(labels, dtype=int)
    """),
    bug("predict_classes", "pc_axis0", "argmax along axis 0 (over the samples) instead of over the classes", """
        def predict_classes(X, W, b):
            return np.argmax(X @ W + b, axis=0)
    """),
    bug("predict_classes", "pc_flat", "argmax without an axis: one index into the flattened array", """
        def predict_classes(X, W, b):
            return np.argmax(X @ W + b)
    """),
    bug("predict_classes", "pc_no_bias", "forgot the bias: argmax of X @ W", """
        def predict_classes(X, W, b):
            return np.argmax(X @ W, axis=1)
    """),
    bug("predict_classes", "pc_argmin", "argmin instead of argmax", """
        def predict_classes(X, W, b):
            return np.argmin(X @ W + b, axis=1)
    """),
    bug("predict_classes", "pc_probabilities", "returns the softmax probabilities instead of the class indices", """
        def predict_classes(X, W, b):
            return softmax(X @ W + b)
    """),
    bug("predict_classes", "pc_float", "float class indices instead of integers", """
        def predict_classes(X, W, b):
            return np.argmax(X @ W + b, axis=1).astype(float)
    """),
    bug("predict_classes", "pc_one_based", "adds 1: classes counted from 1", """
        def predict_classes(X, W, b):
            return np.argmax(X @ W + b, axis=1) + 1
    """),
    bug("predict_classes", "pc_max", "np.max instead of np.argmax: returns the best score, not its class", """
        def predict_classes(X, W, b):
            return np.max(X @ W + b, axis=1)
    """),

    # ---- train_softmax_regression --------------------------------------------------------
    correct("train_softmax_regression", "ts_graded_calls", loop()),
    correct("train_softmax_regression", "ts_np_split", loop(batches="""
        order = np.arange(m) if batch_size is None else rng.permutation(m)
        size = m if batch_size is None else batch_size
        batches = np.split(order, np.arange(size, m, size))""")),
    correct("train_softmax_regression", "ts_manual", """
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = np.eye(num_classes)[y]
            W, b = np.zeros((n, num_classes)), np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                Z = X @ W + b
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                P = E / E.sum(axis=1, keepdims=True)
                history.append((-np.mean(np.log(P[np.arange(m), y])), np.mean(Z.argmax(axis=1) == y)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                step = batch_size or m
                start = 0
                while start < m:
                    rows = order[start:start + step]
                    Zb = X[rows] @ W + b
                    Eb = np.exp(Zb - Zb.max(axis=1, keepdims=True))
                    G = (Eb / Eb.sum(axis=1, keepdims=True) - Y[rows]) / len(rows)
                    W -= lr * X[rows].T @ G
                    b -= lr * G.sum(axis=0)
                    start += step
            return W, b, history
    """),
    bug("train_softmax_regression", "ts_with_replacement", "samples the batch rows with replacement (rng.integers) instead of a permutation", loop(batches="""
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = rng.integers(0, m, size=m)
            batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]""")),
    bug("train_softmax_regression", "ts_two_permutations", "shuffles X and y with two different permutations: rows and labels no longer match", loop(batches="""
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            X_s, Y_s = X[rng.permutation(m)], Y[rng.permutation(m)]
            batches = [slice(i, i + batch_size) for i in range(0, m, batch_size)]""", step="""
            if batch_size is None:
                dW, db = softmax_gradients(X, Y, W, b)
            else:
                dW, db = softmax_gradients(X_s[rows], Y_s[rows], W, b)
            W = W - lr * dW
            b = b - lr * db""")),
    bug("train_softmax_regression", "ts_reshuffle_arrays", "reorders X, Y and y themselves every epoch, so each permutation is applied to already shuffled data", loop(batches="""
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            perm = rng.permutation(m)
            X, Y, y = X[perm], Y[perm], y[perm]
            batches = [np.arange(i, min(i + batch_size, m)) for i in range(0, m, batch_size)]""")),
    bug("train_softmax_regression", "ts_one_permutation", "draws one permutation before the loop and reuses it in every epoch", loop(start="""
    Y = one_hot(y, num_classes)
    W = np.zeros((X.shape[1], num_classes))
    b = np.zeros(num_classes)
    rng = np.random.default_rng(seed)
    order = rng.permutation(m)""", batches="""
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]""")),
    bug("train_softmax_regression", "ts_array_split", "np.array_split into ceil(m / batch_size) balanced parts: batch sizes differ from consecutive batches of batch_size", loop(batches="""
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            batches = np.array_split(rng.permutation(m), -(-m // batch_size))""")),
    bug("train_softmax_regression", "ts_rng_per_epoch", "creates the random generator inside the epoch loop: the same order every epoch", loop(batches="""
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            rng = np.random.default_rng(seed)
            order = rng.permutation(m)
            batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]""")),
    bug("train_softmax_regression", "ts_lr_twice", "multiplies the gradients by lr and then the step by lr again", loop(step="""
            dW, db = softmax_gradients(X[rows], Y[rows], W, b)
            dW, db = lr * dW, lr * db
            W = W - lr * dW
            b = b - lr * db""")),
    bug("train_softmax_regression", "ts_batch_over_m", "divides each batch's summed gradient by m (the whole set) instead of the batch size", loop(step="""
            G = softmax(X[rows] @ W + b) - Y[rows]
            W = W - lr * X[rows].T @ G / m
            b = b - lr * G.sum(axis=0) / m""")),
    bug("train_softmax_regression", "ts_sum_sample_grads", "adds up the per-sample gradients of a batch without dividing by the batch size", loop(step="""
            dW, db = 0, 0
            for i in rows:
                dW_i, db_i = softmax_gradients(X[i:i + 1], Y[i:i + 1], W, b)
                dW, db = dW + dW_i, db + db_i
            W = W - lr * dW
            b = b - lr * db""")),
    bug("train_softmax_regression", "ts_history_after_step", "records (loss, accuracy) after the epoch's steps instead of at its start", """
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m = X.shape[0]
            Y = one_hot(y, num_classes)
            W, b = np.zeros((X.shape[1], num_classes)), np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = batch_size or m
                for i in range(0, m, size):
                    rows = order[i:i + size]
                    dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                    W, b = W - lr * dW, b - lr * db
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)), np.mean(predict_classes(X, W, b) == y)))
            return W, b, history
    """),
    bug("train_softmax_regression", "ts_running_batch_loss", "records the mean of the batch losses seen during the epoch, not the full-set loss at its start", """
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m = X.shape[0]
            Y = one_hot(y, num_classes)
            W, b = np.zeros((X.shape[1], num_classes)), np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                accuracy = np.mean(predict_classes(X, W, b) == y)
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = batch_size or m
                losses = []
                for i in range(0, m, size):
                    rows = order[i:i + size]
                    losses.append(cross_entropy_loss(Y[rows], softmax(X[rows] @ W + b)))
                    dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                    W, b = W - lr * dW, b - lr * db
                history.append((np.mean(losses), accuracy))
            return W, b, history
    """),
    bug("train_softmax_regression", "ts_last_batch_loss", "records the loss and accuracy of the epoch's last batch, not of the full set", """
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m = X.shape[0]
            Y = one_hot(y, num_classes)
            W, b = np.zeros((X.shape[1], num_classes)), np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = batch_size or m
                for i in range(0, m, size):
                    rows = order[i:i + size]
                    P = softmax(X[rows] @ W + b)
                    record = (cross_entropy_loss(Y[rows], P), np.mean(np.argmax(P, axis=1) == y[rows]))
                    dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                    W, b = W - lr * dW, b - lr * db
                history.append(record)
            return W, b, history
    """),
    bug("train_softmax_regression", "ts_drop_last_batch", "loops over m // batch_size batches: the last, smaller batch is never used", loop(batches="""
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = rng.permutation(m)
            batches = [order[j * batch_size:(j + 1) * batch_size] for j in range(m // batch_size)]""")),
    bug("train_softmax_regression", "ts_width_from_labels", "builds the one-hot targets with max(y) + 1 columns instead of num_classes", loop(start="""
    Y = one_hot(y, int(np.max(y)) + 1)
    W = np.zeros((X.shape[1], Y.shape[1]))
    b = np.zeros(Y.shape[1])
    rng = np.random.default_rng(seed)""")),
    bug("train_softmax_regression", "ts_loss_only", "history holds the losses only, not (loss, accuracy) pairs", loop(record="""
        history.append(cross_entropy_loss(Y, softmax(X @ W + b)))""")),
    bug("train_softmax_regression", "ts_random_start", "starts from random weights (rng.normal) instead of zeros (the draw also shifts every later permutation)", loop(start="""
    Y = one_hot(y, num_classes)
    rng = np.random.default_rng(seed)
    W = rng.normal(scale=0.01, size=(X.shape[1], num_classes))
    b = np.zeros(num_classes)""")),
    bug("train_softmax_regression", "ts_ascent", "adds the gradient (W + lr * dW): the loss goes up", loop(step="""
            dW, db = softmax_gradients(X[rows], Y[rows], W, b)
            W = W + lr * dW
            b = b + lr * db""")),
    bug("train_softmax_regression", "ts_confidence", "records the mean highest probability (the confidence) as the accuracy, not the fraction of right classes", loop(record="""
        P = softmax(X @ W + b)
        history.append((cross_entropy_loss(Y, P), np.mean(np.max(P, axis=1))))""")),
]
