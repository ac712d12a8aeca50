"""Set 5, lab 1 (linear regression): first attempts as students write them.

Every cause was written with the code, before the entry was graded.
"""
from . import bug, correct, partial

ENTRIES = [
    # ------------------------------------------------------------------ predict
    correct("predict", "predict_np_dot", '''
        def predict(X, W, b):
            return np.dot(X, W) + b
    '''),
    correct("predict", "predict_tensordot", '''
        def predict(X, W, b):
            # contract the feature axis of X with the first axis of W
            return np.tensordot(X, W, axes=([1], [0])) + b
    '''),
    correct("predict", "predict_row_loop", '''
        def predict(X, W, b):
            rows = []
            for x in X:
                rows.append(x @ W + b)
            return np.array(rows)
    '''),
    partial("predict", "predict_rowsum_only_1d",
            "multiplies X by W elementwise and sums each row: right for one output (W of shape (n,)), "
            "but a layer's weight matrix W (n, k) does not broadcast against X, so several outputs fail", '''
        def predict(X, W, b):
            return np.sum(X * W, axis=1) + b
    '''),
    bug("predict", "predict_bias_column",
        "reshapes the bias into a column, so it broadcasts the wrong way: a scalar bias turns the (m,) "
        "predictions into a (1, m) row, and a (k,) bias is added down the rows instead of across them", '''
        def predict(X, W, b):
            b = np.array(b).reshape(-1, 1)
            return X @ W + b
    '''),
    bug("predict", "predict_bias_summed",
        "adds the sum of all the biases to every output instead of each neuron's own bias "
        "(right only for a scalar bias)", '''
        def predict(X, W, b):
            return X @ W + np.sum(b)
    '''),

    # ------------------------------------------------------------------ mse_loss
    correct("mse_loss", "mse_square_mean", '''
        def mse_loss(y, y_hat):
            return float(np.mean(np.square(np.subtract(y_hat, y))))
    '''),
    correct("mse_loss", "mse_sklearn", '''
        from sklearn.metrics import mean_squared_error

        def mse_loss(y, y_hat):
            return float(mean_squared_error(y, y_hat))
    '''),
    correct("mse_loss", "mse_norm", '''
        def mse_loss(y, y_hat):
            d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
            return float(np.linalg.norm(d) ** 2 / d.size)
    '''),
    bug("mse_loss", "mse_sum",
        "sums the squared errors instead of averaging them: m (or m*k) times too large", '''
        def mse_loss(y, y_hat):
            return float(np.sum((y_hat - y) ** 2))
    '''),
    partial("mse_loss", "mse_divide_by_len",
            "divides the sum of squared errors by len(y) = m, not by the number of entries m*k: "
            "right for one output, k times too large for several outputs", '''
        def mse_loss(y, y_hat):
            return float(np.sum((y - y_hat) ** 2) / len(y))
    '''),
    bug("mse_loss", "mse_half",
        "uses the textbook's 1/2 MSE: every loss is half the mean squared error", '''
        def mse_loss(y, y_hat):
            return float(0.5 * np.mean((y_hat - y) ** 2))
    '''),
    bug("mse_loss", "mse_square_of_mean",
        "squares the mean error instead of averaging the squared errors (errors of opposite signs cancel)", '''
        def mse_loss(y, y_hat):
            return float(np.mean(y_hat - y) ** 2)
    '''),
    bug("mse_loss", "mse_axis0",
        "averages over axis 0 only: for several outputs it returns one mean per output (a (k,) array) "
        "instead of one float over all m*k entries", '''
        def mse_loss(y, y_hat):
            return np.mean((y - y_hat) ** 2, axis=0)
    '''),
    bug("mse_loss", "mse_root",
        "returns the root of the mean squared error (RMSE) instead of the MSE", '''
        def mse_loss(y, y_hat):
            return float(np.sqrt(np.mean((y_hat - y) ** 2)))
    '''),

    # ------------------------------------------------------------------ mse_gradients
    correct("mse_gradients", "grad_uses_predict", '''
        def mse_gradients(X, y, W, b):
            r = predict(X, W, b) - y
            dW = 2 * X.T @ r / r.size
            db = 2 * np.sum(r, axis=0) / r.size
            if np.ndim(b) == 0:
                db = float(db)
            return dW, db
    '''),
    correct("mse_gradients", "grad_einsum", '''
        def mse_gradients(X, y, W, b):
            err = np.einsum("ij,j...->i...", X, W) + b - y
            count = err.size
            dW = (2.0 / count) * np.einsum("ij,i...->j...", X, err)
            db = (2.0 / count) * err.sum(axis=0)
            return dW, (float(db) if np.ndim(b) == 0 else db)
    '''),
    correct("mse_gradients", "grad_sample_loop", '''
        def mse_gradients(X, y, W, b):
            m = X.shape[0]
            outputs = 1 if np.ndim(W) == 1 else W.shape[1]
            dW = np.zeros(np.shape(W))
            db = np.zeros(np.shape(b)) if np.ndim(b) else 0.0
            for i in range(m):
                r = X[i] @ W + b - y[i]          # a number, or k numbers
                dW = dW + 2 * np.outer(X[i], r).reshape(np.shape(W))
                db = db + 2 * r
            dW = dW / (m * outputs)
            db = db / (m * outputs)
            return dW, (float(db) if np.ndim(b) == 0 else db)
    '''),
    bug("mse_gradients", "grad_no_factor_two",
        "forgets the factor 2 from differentiating the square: both gradients are half the true ones", '''
        def mse_gradients(X, y, W, b):
            r = X @ W + b - y
            dW = X.T @ r / r.size
            db = np.sum(r, axis=0) / r.size
            return dW, (float(db) if np.ndim(b) == 0 else db)
    '''),
    bug("mse_gradients", "grad_summed",
        "differentiates the summed loss, not the mean: never divides by the number of entries, "
        "so the gradients grow with m", '''
        def mse_gradients(X, y, W, b):
            r = X @ W + b - y
            dW = 2 * X.T @ r
            db = 2 * np.sum(r, axis=0)
            return dW, (float(db) if np.ndim(b) == 0 else db)
    '''),
    bug("mse_gradients", "grad_residual_sign",
        "sign error: uses the residual y - y_hat instead of y_hat - y, so the gradient points uphill", '''
        def mse_gradients(X, y, W, b):
            r = y - (X @ W + b)
            dW = 2 / r.size * (X.T @ r)
            db = 2 / r.size * np.sum(r, axis=0)
            return dW, (float(db) if np.ndim(b) == 0 else db)
    '''),
    bug("mse_gradients", "grad_db_sign",
        "sign error in one factor of the bias's chain rule: takes d(y_hat)/db as -1, so db has the "
        "wrong sign (dW is right)", '''
        def mse_gradients(X, y, W, b):
            r = X @ W + b - y
            dW = 2 * X.T @ r / r.size
            db = -2 * np.sum(r, axis=0) / r.size
            return dW, (float(db) if np.ndim(b) == 0 else db)
    '''),
    partial("mse_gradients", "grad_divide_by_m",
            "divides by the number of samples m instead of the number of entries m*k: right for one "
            "output, k times too large for several outputs", '''
        def mse_gradients(X, y, W, b):
            m = len(y)
            r = X @ W + b - y
            dW = 2 / m * X.T @ r
            db = 2 / m * np.sum(r, axis=0)
            return dW, (float(db) if np.ndim(b) == 0 else db)
    '''),
    bug("mse_gradients", "grad_db_no_axis",
        "sums the residuals over every entry (no axis=0) for db: for several outputs db is one number "
        "instead of one value per output", '''
        def mse_gradients(X, y, W, b):
            r = X @ W + b - y
            dW = 2 * X.T @ r / r.size
            db = 2 * np.mean(r)
            return dW, db
    '''),
    bug("mse_gradients", "grad_db_keepdims",
        "keepdims=True keeps the summed axis: db has shape (1,) for a scalar bias and (1, k) for "
        "k biases, instead of b's shape", '''
        def mse_gradients(X, y, W, b):
            r = X @ W + b - y
            dW = 2 * X.T @ r / r.size
            db = 2 * np.sum(r, axis=0, keepdims=True) / r.size
            return dW, db
    '''),
    partial("mse_gradients", "grad_residual_aliases_y",
            "right values, but `r = y` does not copy: `r -= ...` overwrites the caller's y in place", '''
        def mse_gradients(X, y, W, b):
            r = y
            r -= X @ W + b            # r = y - y_hat
            dW = -2 * X.T @ r / r.size
            db = -2 * np.sum(r, axis=0) / r.size
            return dW, (float(db) if np.ndim(b) == 0 else db)
    '''),

    # ------------------------------------------------------------------ gradient_descent_step
    correct("gradient_descent_step", "step_np_subtract", '''
        def gradient_descent_step(W, b, dW, db, lr):
            new_W = np.subtract(W, np.multiply(lr, dW))
            new_b = np.subtract(b, np.multiply(lr, db))
            return new_W, new_b
    '''),
    correct("gradient_descent_step", "step_copy_then_update", '''
        def gradient_descent_step(W, b, dW, db, lr):
            new_W = W.copy()
            new_W -= lr * dW
            new_b = b - lr * db
            return new_W, new_b
    '''),
    partial("gradient_descent_step", "step_in_place",
            "right values, but `-=` updates W (and an array b) in place: the caller's parameters change", '''
        def gradient_descent_step(W, b, dW, db, lr):
            W -= lr * dW
            b -= lr * db
            return W, b
    '''),
    bug("gradient_descent_step", "step_uphill",
        "sign error: adds lr times the gradient, stepping uphill", '''
        def gradient_descent_step(W, b, dW, db, lr):
            return W + lr * dW, b + lr * db
    '''),
    bug("gradient_descent_step", "step_bias_uses_dW",
        "copy-paste slip: the bias is updated with dW instead of db", '''
        def gradient_descent_step(W, b, dW, db, lr):
            W_new = W - lr * dW
            b_new = b - lr * dW
            return W_new, b_new
    '''),
    bug("gradient_descent_step", "step_bias_without_lr",
        "forgets the learning rate on the bias: b - db instead of b - lr * db", '''
        def gradient_descent_step(W, b, dW, db, lr):
            return W - lr * dW, b - db
    '''),

    # ------------------------------------------------------------------ fit_linear_regression
    correct("fit_linear_regression", "fit_own_functions", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            if y.ndim == 1:
                W = np.zeros(n)
                b = 0.0
            else:
                W = np.zeros((n, y.shape[1]))
                b = np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    correct("fit_linear_regression", "fit_np_split_inline", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros((n,) + y.shape[1:])
            b = np.zeros(y.shape[1:]) if y.ndim == 2 else 0.0
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = np.split(order, np.arange(batch_size, m, batch_size))
                for rows in batches:
                    r = X[rows] @ W + b - y[rows]
                    W = W - lr * 2 * X[rows].T @ r / r.size
                    b = b - lr * 2 * r.sum(axis=0) / r.size
            return W, b, history
    '''),
    correct("fit_linear_regression", "fit_while_loop", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m = X.shape[0]
            k = None if y.ndim == 1 else y.shape[1]
            W = np.zeros(X.shape[1]) if k is None else np.zeros((X.shape[1], k))
            b = 0.0 if k is None else np.zeros(k)
            rng = np.random.default_rng(seed)
            history = []
            epoch = 0
            while epoch < epochs:
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = W - lr * dW, b - lr * db
                else:
                    order = rng.permutation(m)
                    start = 0
                    while start < m:
                        rows = order[start:start + batch_size]
                        dW, db = mse_gradients(X[rows], y[rows], W, b)
                        W, b = W - lr * dW, b - lr * db
                        start += batch_size
                epoch += 1
            return W, b, history
    '''),
    correct("fit_linear_regression", "fit_full_batch_is_one_big_batch", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            two_d = y.ndim == 2
            W = np.zeros((n, y.shape[1])) if two_d else np.zeros(n)
            b = np.zeros(y.shape[1]) if two_d else 0.0
            rng = np.random.default_rng(seed)
            size = m if batch_size is None else batch_size     # full batch: one batch of all m samples
            history = []
            for _ in range(epochs):
                history.append(mse_loss(y, X @ W + b))
                order = rng.permutation(m) if batch_size is not None else np.arange(m)
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_history_after_steps",
        "records the loss after the epoch's steps instead of before them: history is shifted by one "
        "epoch (history[0] is not the loss of the all-zero model)", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
                history.append(mse_loss(y, predict(X, W, b)))
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_history_last_batch",
        "with mini-batches, records the loss of the epoch's last batch (before its step) instead of "
        "the loss on the full training set at the start of the epoch", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                if batch_size is None:
                    loss = mse_loss(y, predict(X, W, b))
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        loss = mse_loss(y[idx], predict(X[idx], W, b))
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
                history.append(loss)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_history_mean_of_batches",
        "records the average of the mini-batch losses seen during the epoch (each at a different W), "
        "not the full-training-set loss with the parameters at the start of the epoch", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            size = m if batch_size is None else batch_size
            history = []
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                losses = []
                for start in range(0, m, size):
                    idx = order[start:start + size]
                    losses.append(mse_loss(y[idx], predict(X[idx], W, b)))
                    dW, db = mse_gradients(X[idx], y[idx], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                history.append(float(np.mean(losses)))
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_new_rng_each_epoch",
        "creates the generator inside the epoch loop: every epoch gets the same permutation instead "
        "of a new one from a single generator", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            history = []
            for epoch in range(epochs):
                rng = np.random.default_rng(seed)
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_one_random_batch",
        "takes one random batch per epoch (one step) instead of a pass over a permutation of all the "
        "samples in consecutive batches", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    idx = np.arange(m)
                else:
                    idx = rng.choice(m, size=min(batch_size, m), replace=False)
                dW, db = mse_gradients(X[idx], y[idx], W, b)
                W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_drops_last_batch",
        "off by one in the batch loop: range(0, m - batch_size + 1, batch_size) stops before the "
        "last, smaller batch, so those samples are never used (and there is no step at all when "
        "batch_size > m)", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for start in range(0, m - batch_size + 1, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_extra_empty_batch",
        "counts m // batch_size + 1 batches: when batch_size divides m the last batch is empty and "
        "its gradient, a mean over no samples, is nan", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[i * batch_size:(i + 1) * batch_size] for i in range(m // batch_size + 1)]
                for idx in batches:
                    r = X[idx] @ W + b - y[idx]
                    W = W - lr * 2 * X[idx].T @ r / r.size
                    b = b - lr * 2 * np.sum(r, axis=0) / r.size
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_global_random",
        "shuffles with numpy's global generator (np.random.permutation) instead of the seeded "
        "rng = np.random.default_rng(seed): the order is not the one asked for (nor reproducible)", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            np.random.seed(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = np.random.permutation(m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_shuffles_only_X",
        "shuffles the rows of X but slices y in its original order: features and targets no longer "
        "belong to the same samples", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    X_shuffled = X[rng.permutation(m)]
                    for start in range(0, m, batch_size):
                        end = start + batch_size
                        dW, db = mse_gradients(X_shuffled[start:end], y[start:end], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_shuffles_inputs_in_place",
        "shuffles X and y in place with two separate rng.shuffle calls: the caller's arrays are "
        "changed, the two orders differ (features and targets are mismatched), and the order is "
        "not rng.permutation(m)", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    rng.shuffle(X)
                    rng.shuffle(y)
                    for start in range(0, m, batch_size):
                        dW, db = mse_gradients(X[start:start + batch_size], y[start:start + batch_size], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_one_permutation",
        "draws a single permutation before the epoch loop: every epoch visits the samples in the "
        "same order instead of a new permutation per epoch", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            order = rng.permutation(m)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    partial("fit_linear_regression", "fit_only_one_output",
            "always starts from W of shape (n,) and a scalar b: right for 1-D targets, but (m, k) "
            "targets need W (n, k) and b (k,) zeros", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n)
            b = 0.0
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_batch_gradient_over_m",
        "averages each mini-batch's gradient over the whole training set (divides by m) instead of "
        "over the batch: mini-batch steps are batch_size/m times too small", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            outputs = 1 if y.ndim == 1 else y.shape[1]
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                step = m if batch_size is None else batch_size
                for start in range(0, m, step):
                    idx = order[start:start + step]
                    r = X[idx] @ W + b - y[idx]
                    W = W - lr * 2 * X[idx].T @ r / (m * outputs)
                    b = b - lr * 2 * np.sum(r, axis=0) / (m * outputs)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_epochs_from_one",
        "numbers the epochs from 1 with range(1, epochs): trains one epoch too few and history has "
        "epochs - 1 entries", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(1, epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_unseeded_rng",
        "creates the generator without the seed (np.random.default_rng()): the mini-batch order is "
        "random on every call instead of rng.permutation of the seeded generator", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng()
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_bias_after_weights",
        "updates W first and then computes the bias gradient from the residual of the new W: db "
        "is not the gradient at the batch's starting point", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                step = m if batch_size is None else batch_size
                for start in range(0, m, step):
                    Xb, yb = X[order[start:start + step]], y[order[start:start + step]]
                    r = Xb @ W + b - yb
                    W = W - lr * 2 * Xb.T @ r / r.size
                    r = Xb @ W + b - yb
                    b = b - lr * 2 * np.sum(r, axis=0) / r.size
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_array_split",
        "cuts the permutation with np.array_split into ceil(m / batch_size) nearly equal pieces: "
        "the batches are not consecutive slices of batch_size samples with a smaller last one", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.permutation(m)
                    for idx in np.array_split(order, int(np.ceil(m / batch_size))):
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_bias_array_of_one",
        "starts a single output's bias as np.zeros(1): b comes back as an array of shape (1,) "
        "instead of a float", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = np.zeros(1) if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                step = m if batch_size is None else batch_size
                for start in range(0, m, step):
                    idx = order[start:start + step]
                    r = X[idx] @ W + b - y[idx]
                    W = W - lr * 2 * X[idx].T @ r / r.size
                    b = b - lr * 2 * np.sum(r, axis=0) / r.size
            return W, b, history
    '''),
    bug("fit_linear_regression", "fit_sample_with_replacement",
        "draws m random indices with replacement (rng.integers) instead of a permutation: some "
        "samples are used twice in an epoch and others not at all", '''
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                else:
                    order = rng.integers(0, m, size=m)
                    for start in range(0, m, batch_size):
                        idx = order[start:start + batch_size]
                        dW, db = mse_gradients(X[idx], y[idx], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    '''),
]
