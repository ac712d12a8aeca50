"""Set 5, lab 3 (softmax regression): first attempts as students write them.

Every cause was written with the code, before the entry was graded.
"""
from . import bug, correct, partial

ENTRIES = [
    # ------------------------------------------------------------------ softmax
    correct("softmax", "softmax_scipy", '''
        from scipy.special import softmax as scipy_softmax

        def softmax(Z):
            return scipy_softmax(Z, axis=-1)
    '''),
    correct("softmax", "softmax_logsumexp", '''
        from scipy.special import logsumexp

        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            return np.exp(Z - logsumexp(Z, axis=-1, keepdims=True))
    '''),
    correct("softmax", "softmax_row_loop", '''
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            if Z.ndim == 1:
                e = np.exp(Z - Z.max())
                return e / e.sum()
            out = np.empty_like(Z)
            for i in range(Z.shape[0]):
                e = np.exp(Z[i] - np.max(Z[i]))
                out[i] = e / np.sum(e)
            return out
    '''),
    correct("softmax", "softmax_transpose_trick", '''
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            # transposing puts the classes first, so the row maxima broadcast without keepdims
            E = np.exp(Z.T - Z.max(axis=-1))
            return (E / E.sum(axis=0)).T
    '''),
    bug("softmax", "softmax_no_shift",
        "does not subtract the maximum: np.exp overflows for scores of a few hundred and "
        "inf / inf gives nan", '''
        def softmax(Z):
            e = np.exp(Z)
            return e / np.sum(e, axis=-1, keepdims=True)
    '''),
    bug("softmax", "softmax_global_max",
        "subtracts the maximum of the whole matrix instead of each row's: a row whose scores are "
        "all far below the global maximum underflows to zeros and gives 0 / 0 = nan", '''
        def softmax(Z):
            e = np.exp(Z - np.max(Z))
            return e / np.sum(e, axis=-1, keepdims=True)
    '''),
    partial("softmax", "softmax_axis1_only",
            "hard-codes axis=1: right for an (m, k) matrix, but a single sample's (k,) scores has no "
            "axis 1 (AxisError)", '''
        def softmax(Z):
            e = np.exp(Z - np.max(Z, axis=1, keepdims=True))
            return e / np.sum(e, axis=1, keepdims=True)
    '''),
    bug("softmax", "softmax_columns",
        "normalizes along axis 0 (down the columns, over the samples) instead of along each row", '''
        def softmax(Z):
            e = np.exp(Z - np.max(Z, axis=0))
            return e / np.sum(e, axis=0)
    '''),
    bug("softmax", "softmax_sum_without_keepdims",
        "forgets keepdims on the row sums: the (m, k) matrix is divided by an (m,) vector, which "
        "broadcasts along the wrong axis (an error, or a wrong result when m == k)", '''
        def softmax(Z):
            e = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
            return e / np.sum(e, axis=-1)
    '''),
    bug("softmax", "softmax_shift_in_place",
        "`Z -= ...` shifts the caller's array in place", '''
        def softmax(Z):
            Z -= np.max(Z, axis=-1, keepdims=True)
            e = np.exp(Z)
            return e / np.sum(e, axis=-1, keepdims=True)
    '''),
    bug("softmax", "softmax_min_shift",
        "subtracts the minimum instead of the maximum: the exponents become large and positive, "
        "np.exp overflows and the result is nan", '''
        def softmax(Z):
            e = np.exp(Z - np.min(Z, axis=-1, keepdims=True))
            return e / np.sum(e, axis=-1, keepdims=True)
    '''),

    # ------------------------------------------------------------------ one_hot
    correct("one_hot", "onehot_eye_rows", '''
        def one_hot(y, num_classes):
            return np.eye(num_classes)[y]
    '''),
    correct("one_hot", "onehot_compare", '''
        def one_hot(y, num_classes):
            return (np.asarray(y)[:, None] == np.arange(num_classes)).astype(float)
    '''),
    correct("one_hot", "onehot_loop", '''
        def one_hot(y, num_classes):
            Y = np.zeros((len(y), num_classes))
            for i, label in enumerate(y):
                Y[i, label] = 1.0
            return Y
    '''),
    bug("one_hot", "onehot_int_matrix",
        "builds the matrix with dtype=int: the one-hot rows are integers, not floats", '''
        def one_hot(y, num_classes):
            Y = np.zeros((len(y), num_classes), dtype=int)
            Y[np.arange(len(y)), y] = 1
            return Y
    '''),
    bug("one_hot", "onehot_classes_from_labels",
        "ignores num_classes and uses y.max() + 1 columns: too few columns when the largest "
        "class does not occur in y", '''
        def one_hot(y, num_classes):
            k = np.max(y) + 1
            Y = np.zeros((len(y), k))
            Y[np.arange(len(y)), y] = 1.0
            return Y
    '''),
    bug("one_hot", "onehot_whole_columns",
        "Y[:, y] = 1 sets whole columns: every row gets a 1 in every class that occurs in y", '''
        def one_hot(y, num_classes):
            Y = np.zeros((len(y), num_classes))
            Y[:, y] = 1.0
            return Y
    '''),
    bug("one_hot", "onehot_transposed",
        "builds the (num_classes, m) matrix: one column per sample instead of one row", '''
        def one_hot(y, num_classes):
            Y = np.zeros((num_classes, len(y)))
            Y[y, np.arange(len(y))] = 1.0
            return Y
    '''),

    # ------------------------------------------------------------------ cross_entropy_loss
    correct("cross_entropy_loss", "ce_xlogy", '''
        from scipy.special import xlogy

        def cross_entropy_loss(Y, P):
            # xlogy(0, 0) is 0: a zero label contributes nothing
            return float(-np.sum(xlogy(Y, P)) / Y.shape[0])
    '''),
    correct("cross_entropy_loss", "ce_clip_tiny", '''
        def cross_entropy_loss(Y, P):
            P = np.clip(P, 1e-300, 1.0)          # only so that 0 * log(0) is not nan
            return float(-np.sum(Y * np.log(P)) / len(Y))
    '''),
    correct("cross_entropy_loss", "ce_masked_rows", '''
        def cross_entropy_loss(Y, P):
            Y = np.asarray(Y, dtype=float)
            safe_P = np.where(Y > 0, P, 1.0)
            per_sample = -np.sum(np.where(Y > 0, Y * np.log(safe_P), 0.0), axis=1)
            return float(np.mean(per_sample))
    '''),
    correct("cross_entropy_loss", "ce_loop", '''
        import math

        def cross_entropy_loss(Y, P):
            m, k = Y.shape
            total = 0.0
            for i in range(m):
                for j in range(k):
                    if Y[i, j] != 0:
                        total -= Y[i, j] * math.log(P[i, j])
            return total / m
    '''),
    correct("cross_entropy_loss", "ce_einsum_log_where", '''
        def cross_entropy_loss(Y, P):
            Y = np.asarray(Y, dtype=float)
            log_P = np.log(P, out=np.zeros(Y.shape), where=Y != 0)
            return float(-np.einsum("ij,ij->", Y, log_P) / Y.shape[0])
    '''),
    partial("cross_entropy_loss", "ce_log_of_zero",
            "log of 0 gives nan: Y * np.log(P) is 0 * -inf = nan where P is 0 for a class with "
            "Y = 0, which the notebook says must contribute nothing (right whenever P > 0)", '''
        def cross_entropy_loss(Y, P):
            return float(-np.sum(Y * np.log(P)) / Y.shape[0])
    '''),
    bug("cross_entropy_loss", "ce_mean_over_all_entries",
        "averages over all m*k entries (np.mean of the matrix) instead of summing over the classes "
        "and averaging over the samples: k times too small", '''
        def cross_entropy_loss(Y, P):
            return float(-np.mean(Y * np.log(P)))
    '''),
    bug("cross_entropy_loss", "ce_sum",
        "sums over the samples instead of averaging: m times too large", '''
        def cross_entropy_loss(Y, P):
            return float(-np.sum(Y * np.log(P)))
    '''),
    partial("cross_entropy_loss", "ce_argmax_labels",
            "takes -ln P at argmax(Y) of each row: right for one-hot Y, but a row of probabilities "
            "(label smoothing) needs the whole sum -sum_j Y_ij ln P_ij", '''
        def cross_entropy_loss(Y, P):
            m = Y.shape[0]
            labels = np.argmax(Y, axis=1)
            return float(-np.mean(np.log(P[np.arange(m), labels])))
    '''),
    partial("cross_entropy_loss", "ce_only_ones",
            "keeps only the entries where Y == 1 and drops the weights Y_ij: right for one-hot Y, but "
            "a row of probabilities (label smoothing) contributes nothing", '''
        def cross_entropy_loss(Y, P):
            return float(-np.sum(np.log(P[Y == 1])) / len(Y))
    '''),
    bug("cross_entropy_loss", "ce_divide_by_classes",
        "divides by Y.shape[1] (the number of classes k) instead of Y.shape[0] (the number of samples)", '''
        def cross_entropy_loss(Y, P):
            return float(-np.sum(Y * np.log(P)) / Y.shape[1])
    '''),
    bug("cross_entropy_loss", "ce_no_minus",
        "forgets the minus sign: the loss is negative", '''
        def cross_entropy_loss(Y, P):
            return float(np.mean(np.sum(Y * np.log(P), axis=1)))
    '''),

    # ------------------------------------------------------------------ entropy
    correct("entropy", "entropy_drop_zeros", '''
        def entropy(p):
            p = np.asarray(p, dtype=float)
            nz = p[p != 0]
            return float(-np.sum(nz * np.log(nz)))
    '''),
    correct("entropy", "entropy_scipy_entr", '''
        from scipy.special import entr

        def entropy(p):
            return float(np.sum(entr(p)))
    '''),
    correct("entropy", "entropy_clip_tiny", '''
        def entropy(p):
            p = np.asarray(p, dtype=float)
            return float(-np.sum(p * np.log(np.clip(p, 1e-300, None))))
    '''),
    correct("entropy", "entropy_nan_to_num", '''
        def entropy(p):
            terms = -p * np.log(p)           # 0 * log(0) is nan ...
            return float(np.sum(np.nan_to_num(terms)))   # ... and nan_to_num makes it 0
    '''),
    correct("entropy", "entropy_loop", '''
        import math

        def entropy(p):
            h = 0.0
            for q in p:
                if q > 0:
                    h -= q * math.log(q)
            return h
    '''),
    bug("entropy", "entropy_log_of_zero",
        "log of 0 gives nan: computes 0 * ln 0 = 0 * -inf = nan instead of counting it as 0", '''
        def entropy(p):
            return float(-np.sum(p * np.log(p)))
    '''),
    bug("entropy", "entropy_bits",
        "uses log base 2 (bits) instead of the natural log", '''
        def entropy(p):
            p = p[p > 0]
            return float(-np.sum(p * np.log2(p)))
    '''),
    bug("entropy", "entropy_no_minus",
        "forgets the minus sign: the entropy is negative", '''
        def entropy(p):
            p = p[p > 0]
            return float(np.sum(p * np.log(p)))
    '''),
    bug("entropy", "entropy_mean",
        "averages the terms (np.mean) instead of summing them", '''
        def entropy(p):
            terms = np.array([q * np.log(q) if q > 0 else 0.0 for q in p])
            return float(-np.mean(terms))
    '''),
    bug("entropy", "entropy_zeros_replaced_in_place",
        "replaces the zeros by 1 inside the caller's array (in place) so that ln 1 = 0: the value "
        "is right but p is modified", '''
        def entropy(p):
            p[p == 0] = 1.0
            return float(-np.sum(p * np.log(p)))
    '''),

    # ------------------------------------------------------------------ softmax_gradients
    correct("softmax_gradients", "sg_own_softmax", '''
        def softmax_gradients(X, Y, W, b):
            P = softmax(X @ W + b)
            G = (P - Y) / len(X)
            return X.T @ G, G.sum(axis=0)
    '''),
    correct("softmax_gradients", "sg_einsum", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            Z = np.einsum("mn,nk->mk", X, W) + b
            Z = Z - Z.max(axis=1, keepdims=True)
            P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
            dW = np.einsum("mn,mk->nk", X, P - Y) / m
            db = np.einsum("mk->k", P - Y) / m
            return dW, db
    '''),
    correct("softmax_gradients", "sg_outer_loop", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            dW = np.zeros(W.shape)
            db = np.zeros(b.shape)
            for i in range(m):
                p = softmax(X[i] @ W + b)
                error = p - Y[i]
                dW += np.outer(X[i], error)
                db += error
            return dW / m, db / m
    '''),
    correct("softmax_gradients", "sg_scipy_mean", '''
        from scipy.special import softmax as scipy_softmax

        def softmax_gradients(X, Y, W, b):
            err = scipy_softmax(X @ W + b, axis=1) - Y
            return X.T.dot(err) / X.shape[0], err.mean(axis=0)
    '''),
    bug("softmax_gradients", "sg_summed",
        "gradient of the summed loss: never divides by m", '''
        def softmax_gradients(X, Y, W, b):
            G = softmax(X @ W + b) - Y
            return X.T @ G, np.sum(G, axis=0)
    '''),
    bug("softmax_gradients", "sg_sign",
        "sign error: uses Y - P instead of P - Y", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = Y - softmax(X @ W + b)
            return X.T @ G / m, np.sum(G, axis=0) / m
    '''),
    bug("softmax_gradients", "sg_db_no_axis",
        "sums the error over every entry for db (no axis=0): one number instead of one per class", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = softmax(X @ W + b) - Y
            return X.T @ G / m, np.sum(G) / m
    '''),
    bug("softmax_gradients", "sg_db_axis1",
        "sums over the wrong axis for db (axis=1, the classes): one value per sample, shape (m,)", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = softmax(X @ W + b) - Y
            return X.T @ G / m, np.sum(G, axis=1) / m
    '''),
    bug("softmax_gradients", "sg_softmax_over_samples",
        "its inline softmax normalizes each column (axis 0, over the samples) instead of each row", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            Z = X @ W + b
            E = np.exp(Z - Z.max(axis=0, keepdims=True))
            P = E / E.sum(axis=0, keepdims=True)
            G = P - Y
            return X.T @ G / m, G.sum(axis=0) / m
    '''),
    bug("softmax_gradients", "sg_mean_over_entries",
        "divides by the number of entries m*k (G.size) instead of the number of samples m", '''
        def softmax_gradients(X, Y, W, b):
            G = softmax(X @ W + b) - Y
            return X.T @ G / G.size, np.sum(G, axis=0) / G.size
    '''),
    bug("softmax_gradients", "sg_transposed",
        "(P - Y).T @ X gives dW of shape (k, n), the transpose of W's shape", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = softmax(X @ W + b) - Y
            return G.T @ X / m, G.sum(axis=0) / m
    '''),
    bug("softmax_gradients", "sg_no_softmax",
        "forgets the softmax: uses the scores Z - Y as the error instead of P - Y", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = X @ W + b - Y
            return X.T @ G / m, G.sum(axis=0) / m
    '''),
    partial("softmax_gradients", "sg_naive_softmax",
            "its inline softmax does not subtract the row maximum: right for moderate scores, nan "
            "once a score passes about 709 (np.exp overflows)", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            E = np.exp(X @ W + b)
            P = E / E.sum(axis=1, keepdims=True)
            return X.T @ (P - Y) / m, (P - Y).sum(axis=0) / m
    '''),
    bug("softmax_gradients", "sg_error_aliases_Y",
        "`G = Y` does not copy: `G -= P` overwrites the caller's Y in place (the values returned are right)", '''
        def softmax_gradients(X, Y, W, b):
            m = X.shape[0]
            G = Y
            G -= softmax(X @ W + b)         # G = Y - P
            return -X.T @ G / m, -G.sum(axis=0) / m
    '''),

    # ------------------------------------------------------------------ predict_classes
    correct("predict_classes", "pc_loop_first_max", '''
        def predict_classes(X, W, b):
            Z = X @ W + b
            labels = []
            for row in Z:
                best = 0
                for j in range(1, len(row)):
                    if row[j] > row[best]:
                        best = j
                labels.append(best)
            return np.array(labels, dtype=int)
    '''),
    correct("predict_classes", "pc_last_axis", '''
        def predict_classes(X, W, b):
            return (np.dot(X, W) + b).argmax(axis=-1)
    '''),
    bug("predict_classes", "pc_axis0",
        "argmax along axis 0: for each class, the sample with the largest score (shape (k,))", '''
        def predict_classes(X, W, b):
            return np.argmax(X @ W + b, axis=0)
    '''),
    bug("predict_classes", "pc_flat_argmax",
        "argmax without an axis: one index into the flattened matrix instead of one class per sample", '''
        def predict_classes(X, W, b):
            return np.argmax(X @ W + b)
    '''),
    bug("predict_classes", "pc_no_bias",
        "forgets the bias: argmax of X @ W instead of X @ W + b", '''
        def predict_classes(X, W, b):
            return np.argmax(X @ W, axis=1)
    '''),
    bug("predict_classes", "pc_ties_to_last",
        "a sample whose largest score is shared by several classes gets the last of them, not the "
        "first (argmax's convention)", '''
        def predict_classes(X, W, b):
            Z = X @ W + b
            best = Z.max(axis=1)
            labels = np.zeros(Z.shape[0], dtype=int)
            for j in range(Z.shape[1]):
                labels[Z[:, j] == best] = j
            return labels
    '''),
    bug("predict_classes", "pc_float_labels",
        "fills np.zeros(m), a float array: the labels come back as floats, not integers", '''
        def predict_classes(X, W, b):
            Z = X @ W + b
            labels = np.zeros(len(X))
            for i in range(len(X)):
                labels[i] = np.argmax(Z[i])
            return labels
    '''),

    # ------------------------------------------------------------------ train_softmax_regression
    correct("train_softmax_regression", "tsr_own_functions", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                P = softmax(X @ W + b)
                loss = cross_entropy_loss(Y, P)
                acc = float(np.mean(predict_classes(X, W, b) == y))
                history.append((loss, acc))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    correct("train_softmax_regression", "tsr_np_split_einsum", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = np.eye(num_classes)[y]
            W, b = np.zeros((n, num_classes)), np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for _ in range(epochs):
                Z = X @ W + b
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                P = E / E.sum(axis=1, keepdims=True)
                history.append((float(-np.einsum("ij,ij->", Y, np.log(P)) / m),
                                float(np.mean(Z.argmax(axis=1) == y))))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    batches = np.split(rng.permutation(m), np.arange(batch_size, m, batch_size))
                for rows in batches:
                    Zb = X[rows] @ W + b
                    Eb = np.exp(Zb - Zb.max(axis=1, keepdims=True))
                    G = Eb / Eb.sum(axis=1, keepdims=True) - Y[rows]
                    W = W - lr * np.einsum("in,ik->nk", X[rows], G) / len(rows)
                    b = b - lr * G.mean(axis=0)
            return W, b, history
    '''),
    correct("train_softmax_regression", "tsr_while_loop", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                accuracy_of(predict_classes(X, W, b), y)))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W, b = W - lr * dW, b - lr * db
                    continue
                order = rng.permutation(m)
                start = 0
                while start < m:
                    rows = order[start:start + batch_size]
                    dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                    W, b = W - lr * dW, b - lr * db
                    start += batch_size
            return W, b, history


        def accuracy_of(pred, y):
            return float(np.mean(pred == y))
    '''),
    correct("train_softmax_regression", "tsr_full_batch_as_one_batch", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            size = m if batch_size is None else batch_size
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                    W = W - lr * dW
                    b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_history_after_steps",
        "records (loss, accuracy) after the epoch's steps instead of before them: history is one "
        "epoch late", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
                P = softmax(X @ W + b)
                history.append((cross_entropy_loss(Y, P), float(np.mean(predict_classes(X, W, b) == y))))
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_history_on_batch",
        "with mini-batches, records the loss and accuracy of the epoch's first batch instead of "
        "the full training set", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    if start == 0:
                        P = softmax(X[rows] @ W + b)
                        acc = float(np.mean(predict_classes(X[rows], W, b) == y[rows]))
                        history.append((cross_entropy_loss(Y[rows], P), acc))
                    dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                    W = W - lr * dW
                    b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_new_rng_each_epoch",
        "creates the generator inside the epoch loop: every epoch repeats the same permutation", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            history = []
            for epoch in range(epochs):
                rng = np.random.default_rng(seed)
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_one_random_batch",
        "takes one random batch (one step) per epoch instead of a pass over a permutation of all "
        "the samples", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    rows = np.arange(m)
                else:
                    rows = rng.permutation(m)[:batch_size]
                dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_floor_batches",
        "loops over range(m // batch_size) batches: the last, smaller batch is dropped (and there is "
        "no step at all when batch_size > m)", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for i in range(m // batch_size):
                        rows = order[i * batch_size:(i + 1) * batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_extra_empty_batch",
        "counts m // batch_size + 1 batches: when batch_size divides m the last batch is empty and "
        "its mean gradient is 0 / 0 = nan", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = np.eye(num_classes)[y]
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                Z = X @ W + b
                P = np.exp(Z - Z.max(axis=1, keepdims=True))
                P /= P.sum(axis=1, keepdims=True)
                history.append((float(-np.sum(Y * np.log(P)) / m), float(np.mean(Z.argmax(axis=1) == y))))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[i * batch_size:(i + 1) * batch_size] for i in range(m // batch_size + 1)]
                for rows in batches:
                    Zb = X[rows] @ W + b
                    Pb = np.exp(Zb - Zb.max(axis=1, keepdims=True))
                    Pb = Pb / Pb.sum(axis=1, keepdims=True)
                    W = W - lr * (X[rows].T @ (Pb - Y[rows])) / len(rows)
                    b = b - lr * np.sum(Pb - Y[rows], axis=0) / len(rows)
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_global_random",
        "shuffles with np.random.permutation (numpy's global generator) instead of the seeded "
        "rng = np.random.default_rng(seed)", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            np.random.seed(seed)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = np.random.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_labels_not_shuffled",
        "permutes the rows of X but takes the labels in their original order: each batch pairs "
        "samples with other samples' labels", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    X_perm = X[rng.permutation(m)]
                    for start in range(0, m, batch_size):
                        stop = start + batch_size
                        dW, db = softmax_gradients(X_perm[start:stop], Y[start:stop], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_one_permutation",
        "draws one permutation before the epoch loop and reuses it: every epoch visits the samples "
        "in the same order", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            order = rng.permutation(m)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_classes_from_labels",
        "takes the number of classes from the labels (y.max() + 1) instead of num_classes: W, b and "
        "the one-hot matrix are too narrow when the last class does not occur in y", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            k = int(y.max()) + 1
            Y = one_hot(y, k)
            W = np.zeros((n, k))
            b = np.zeros(k)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_batch_gradient_over_m",
        "divides each mini-batch's gradient by the full m instead of the batch size: mini-batch "
        "steps are batch_size/m times too small", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    G = softmax(X[rows] @ W + b) - Y[rows]
                    W = W - lr * X[rows].T @ G / m
                    b = b - lr * G.sum(axis=0) / m
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_pair_swapped",
        "appends (accuracy, loss) instead of (loss, accuracy)", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                acc = float(np.mean(predict_classes(X, W, b) == y))
                history.append((acc, cross_entropy_loss(Y, softmax(X @ W + b))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_ties_count_as_right",
        "counts a sample as right when its true class merely ties for the largest score: at the "
        "all-zero start every sample is 'right' (accuracy 1.0), where argmax picks the first class", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                Z = X @ W + b
                right = Z[np.arange(m), y] == Z.max(axis=1)
                history.append((cross_entropy_loss(Y, softmax(Z)), float(np.mean(right))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_array_split",
        "cuts the permutation with np.array_split into ceil(m / batch_size) nearly equal pieces "
        "instead of consecutive slices of batch_size samples", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    batches = np.array_split(rng.permutation(m), int(np.ceil(m / batch_size)))
                for rows in batches:
                    dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                    W = W - lr * dW
                    b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_one_hot_per_batch",
        "one-hot encodes each batch with np.eye(y[rows].max() + 1): a batch whose largest label is "
        "below k - 1 gets too few columns (a shape error against W)", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                Y = one_hot(y, num_classes)
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    Yb = np.eye(y[rows].max() + 1)[y[rows]]
                    dW, db = softmax_gradients(X[rows], Yb, W, b)
                    W = W - lr * dW
                    b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_unseeded_rng",
        "creates the generator without the seed: the mini-batch order changes from call to call", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng()
            history = []
            for epoch in range(epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_epochs_from_one",
        "range(1, epochs): one epoch too few, and history has epochs - 1 entries", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(1, epochs):
                history.append((cross_entropy_loss(Y, softmax(X @ W + b)),
                                float(np.mean(predict_classes(X, W, b) == y))))
                if batch_size is None:
                    dW, db = softmax_gradients(X, Y, W, b)
                    W = W - lr * dW
                    b = b - lr * db
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        rows = order[start:start + batch_size]
                        dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                        W = W - lr * dW
                        b = b - lr * db
            return W, b, history
    '''),
    bug("train_softmax_regression", "tsr_history_mean_of_batches",
        "records the average of the batch losses and accuracies seen during the epoch, not the "
        "full-training-set values at the start of the epoch", '''
        def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            Y = one_hot(y, num_classes)
            W = np.zeros((n, num_classes))
            b = np.zeros(num_classes)
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                losses, accs = [], []
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    losses.append(cross_entropy_loss(Y[rows], softmax(X[rows] @ W + b)))
                    accs.append(np.mean(predict_classes(X[rows], W, b) == y[rows]))
                    dW, db = softmax_gradients(X[rows], Y[rows], W, b)
                    W = W - lr * dW
                    b = b - lr * db
                history.append((float(np.mean(losses)), float(np.mean(accs))))
            return W, b, history
    '''),
]
