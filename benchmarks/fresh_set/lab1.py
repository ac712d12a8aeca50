"""Fresh entries for lab1_linear_regression: one graded function each, as a student writes it."""
from . import bug, correct, partial

ENTRIES = [
    # ---- predict -------------------------------------------------------------------------
    correct("predict", "p_dot", """
        def predict(X, W, b):
            return np.dot(X, W) + b
    """),
    correct("predict", "p_einsum", """
        def predict(X, W, b):
            return np.einsum('ij,j...->i...', X, W) + b
    """),
    correct("predict", "p_rows_loop", """
        def predict(X, W, b):
            rows = [x @ W + b for x in X]
            return np.array(rows)
    """),
    correct("predict", "p_matmul_copy", """
        def predict(X, W, b):
            out = np.matmul(X, W)
            out = out + b
            return out
    """),
    bug("predict", "p_no_bias", "forgot to add the bias b", """
        def predict(X, W, b):
            return X @ W
    """),
    bug("predict", "p_minus_bias", "subtracts the bias instead of adding it", """
        def predict(X, W, b):
            return X @ W - b
    """),
    bug("predict", "p_elementwise", "multiplies elementwise (X * W) instead of a matrix product: one value per feature, not per sample", """
        def predict(X, W, b):
            return X * W + b
    """),
    partial("predict", "p_wT_xT", "writes w^T x as W.T @ X.T: right for one output, a transposed (k, m) result for k outputs", """
        def predict(X, W, b):
            return W.T @ X.T + b
    """),
    partial("predict", "p_rowsum", "sums X * W along the features: right for one output, fails for W of shape (n, k)", """
        def predict(X, W, b):
            return np.sum(X * W, axis=1) + b
    """),
    bug("predict", "p_first_feature", "uses only the first feature (y = w x + b from the one-input line)", """
        def predict(X, W, b):
            return X[:, 0] * W[0] + b
    """),
    bug("predict", "p_b_column", "reshapes b into a column (-1, 1): the bias is broadcast along the wrong axis", """
        def predict(X, W, b):
            return X @ W + np.reshape(b, (-1, 1))
    """),
    bug("predict", "p_rounded", "rounds the predictions to 2 decimals", """
        def predict(X, W, b):
            return np.round(X @ W + b, 2)
    """),
    partial("predict", "p_bias_first", "adds only b[0] to every output: right for one output, wrong for k outputs", """
        def predict(X, W, b):
            return X @ W + np.atleast_1d(b)[0]
    """),

    # ---- mse_loss ------------------------------------------------------------------------
    correct("mse_loss", "l_square", """
        def mse_loss(y, y_hat):
            return float(np.mean(np.square(y_hat - y)))
    """),
    correct("mse_loss", "l_norm", """
        def mse_loss(y, y_hat):
            diff = np.asarray(y) - np.asarray(y_hat)
            return np.linalg.norm(diff) ** 2 / diff.size
    """),
    correct("mse_loss", "l_loop", """
        def mse_loss(y, y_hat):
            total = 0.0
            count = 0
            for a, p in zip(np.ravel(y), np.ravel(y_hat)):
                total += (a - p) ** 2
                count += 1
            return total / count
    """),
    bug("mse_loss", "l_sum", "summed the squared errors instead of averaging them", """
        def mse_loss(y, y_hat):
            return np.sum((y - y_hat) ** 2)
    """),
    bug("mse_loss", "l_square_of_mean", "squares the mean error instead of averaging the squared errors", """
        def mse_loss(y, y_hat):
            return np.mean(y - y_hat) ** 2
    """),
    bug("mse_loss", "l_abs", "mean absolute error: takes |error| instead of error squared", """
        def mse_loss(y, y_hat):
            return np.mean(np.abs(y - y_hat))
    """),
    partial("mse_loss", "l_div_m", "divides the sum by m (rows) only: right for (m,), k times too large for (m, k) targets", """
        def mse_loss(y, y_hat):
            return np.sum((y - y_hat) ** 2) / len(y)
    """),
    bug("mse_loss", "l_half", "halves the mean squared error (the 1/2 convention)", """
        def mse_loss(y, y_hat):
            return 0.5 * np.mean((y - y_hat) ** 2)
    """),
    bug("mse_loss", "l_rmse", "takes the square root of the mean (RMSE)", """
        def mse_loss(y, y_hat):
            return np.sqrt(np.mean((y - y_hat) ** 2))
    """),
    partial("mse_loss", "l_axis0", "averages along axis 0 only: one loss per output for (m, k) targets, not one number", """
        def mse_loss(y, y_hat):
            return np.mean((y - y_hat) ** 2, axis=0)
    """),
    bug("mse_loss", "l_var", "variance of the errors: subtracts the mean error first", """
        def mse_loss(y, y_hat):
            return np.var(y - y_hat)
    """),
    bug("mse_loss", "l_diff_of_squares", "difference of squares y^2 - y_hat^2 instead of the square of the difference", """
        def mse_loss(y, y_hat):
            return np.mean(y ** 2 - y_hat ** 2)
    """),

    # ---- mse_gradients -------------------------------------------------------------------
    correct("mse_gradients", "g_via_predict", """
        def mse_gradients(X, y, W, b):
            error = predict(X, W, b) - y
            dW = 2 * X.T @ error / error.size
            db = 2 * np.sum(error, axis=0) / error.size
            if np.ndim(b) == 0:
                db = float(db)
            return dW, db
    """),
    correct("mse_gradients", "g_loops", """
        def mse_gradients(X, y, W, b):
            m = X.shape[0]
            W2 = W.reshape(W.shape[0], -1)
            Y2 = np.asarray(y, dtype=float).reshape(m, -1)
            k = W2.shape[1]
            b2 = np.broadcast_to(np.asarray(b, dtype=float), (k,))
            dW2 = np.zeros(W2.shape)
            db2 = np.zeros(k)
            for i in range(m):
                for j in range(k):
                    e = X[i] @ W2[:, j] + b2[j] - Y2[i, j]
                    dW2[:, j] += 2 * e * X[i] / (m * k)
                    db2[j] += 2 * e / (m * k)
            if np.ndim(b) == 0:
                return dW2.reshape(W.shape), float(db2.sum())
            return dW2.reshape(W.shape), db2
    """),
    correct("mse_gradients", "g_einsum", """
        def mse_gradients(X, y, W, b):
            r = np.einsum('ij,j...->i...', X, W) + b - y
            dW = np.einsum('ij,i...->j...', X, r) * 2 / r.size
            db = r.sum(axis=0) * 2 / r.size
            return dW, (db.item() if np.ndim(b) == 0 else db)
    """),
    bug("mse_gradients", "g_no_two", "forgot the factor 2 from the derivative of the square", """
        def mse_gradients(X, y, W, b):
            error = X @ W + b - y
            N = error.size
            dW = X.T @ error / N
            db = np.sum(error, axis=0) / N
            return dW, (float(db) if np.ndim(b) == 0 else db)
    """),
    bug("mse_gradients", "g_sum", "gradient of the sum of squared errors instead of their mean: m (or m*k) times too large", """
        def mse_gradients(X, y, W, b):
            error = X @ W + b - y
            N = error.size
            dW = 2 * X.T @ error
            db = 2 * np.sum(error, axis=0)
            return dW, (float(db) if np.ndim(b) == 0 else db)
    """),
    bug("mse_gradients", "g_sign", "error taken as y - y_hat: both gradients have the wrong sign", """
        def mse_gradients(X, y, W, b):
            error = y - (X @ W + b)
            N = error.size
            dW = 2 * X.T @ error / N
            db = 2 * np.sum(error, axis=0) / N
            return dW, (float(db) if np.ndim(b) == 0 else db)
    """),
    bug("mse_gradients", "g_per_feature", "divides by the number of features n instead of the number of entries averaged (m, or m*k)", """
        def mse_gradients(X, y, W, b):
            error = X @ W + b - y
            N = error.size
            n = X.shape[1]
            dW = 2 * X.T @ error / n
            db = 2 * np.sum(error, axis=0) / n
            return dW, (float(db) if np.ndim(b) == 0 else db)
    """),
    bug("mse_gradients", "g_db_no_two", "db without the factor 2 (dW is right)", """
        def mse_gradients(X, y, W, b):
            error = X @ W + b - y
            N = error.size
            dW = 2 * X.T @ error / N
            db = np.sum(error, axis=0) / N
            return dW, (float(db) if np.ndim(b) == 0 else db)
    """),
    bug("mse_gradients", "g_db_per_sample", "db left as one value per sample (forgot to sum over the samples)", """
        def mse_gradients(X, y, W, b):
            error = X @ W + b - y
            N = error.size
            return 2 * X.T @ error / N, 2 * error / N
    """),
    partial("mse_gradients", "g_mean_axis1", "averages over samples only, right for one output: for (m, k) targets the loss averages m*k entries", """
        def mse_gradients(X, y, W, b):
            m = X.shape[0]
            error = X @ W + b - y
            return 2 * X.T @ error / m, 2 * np.sum(error, axis=0) / m
    """),
    bug("mse_gradients", "g_no_bias_forward", "forgot the bias in the forward pass (error = X @ W - y)", """
        def mse_gradients(X, y, W, b):
            error = X @ W - y
            N = error.size
            dW = 2 * X.T @ error / N
            db = 2 * np.sum(error, axis=0) / N
            return dW, (float(db) if np.ndim(b) == 0 else db)
    """),
    bug("mse_gradients", "g_mean_all", "dW averaged over all m*n entries of X * error: a single number, n times too small", """
        def mse_gradients(X, y, W, b):
            error = X @ W + b - y
            dW = 2 * np.mean(X * error[:, None])
            db = 2 * np.mean(error)
            return dW, db
    """),
    bug("mse_gradients", "g_db_array", "db returned as a 1-element array instead of a float for a scalar b", """
        def mse_gradients(X, y, W, b):
            error = X @ W + b - y
            return 2 * X.T @ error / error.size, 2 * np.sum(error, axis=0, keepdims=True) / error.size
    """),
    partial("mse_gradients", "g_fails_one_row", "squeezes the error: with a single sample it becomes 0-d and X.T @ error fails", """
        def mse_gradients(X, y, W, b):
            error = np.squeeze(X @ W + b - y)
            m = len(X)
            dW = 2 * X.T @ error / error.size
            db = 2 * np.sum(error, axis=0) / error.size
            return dW, (float(db) if np.ndim(b) == 0 else db)
    """),

    # ---- gradient_descent_step -----------------------------------------------------------
    correct("gradient_descent_step", "s_subtract", """
        def gradient_descent_step(W, b, dW, db, lr):
            return np.subtract(W, lr * dW), np.subtract(b, lr * db)
    """),
    correct("gradient_descent_step", "s_copy_then_inplace", """
        def gradient_descent_step(W, b, dW, db, lr):
            new_W = np.array(W, dtype=float, copy=True)
            new_W -= lr * dW
            new_b = b - lr * db
            return new_W, new_b
    """),
    correct("gradient_descent_step", "s_tuple_loop", """
        def gradient_descent_step(W, b, dW, db, lr):
            params = []
            for p, g in ((W, dW), (b, db)):
                params.append(p - lr * g)
            return tuple(params)
    """),
    bug("gradient_descent_step", "s_ascent", "adds the gradient (gradient ascent): the sign of the update is wrong", """
        def gradient_descent_step(W, b, dW, db, lr):
            return W + lr * dW, b + lr * db
    """),
    bug("gradient_descent_step", "s_inplace", "updates W in place (W -= ...): the caller's weights change", """
        def gradient_descent_step(W, b, dW, db, lr):
            W -= lr * dW
            b -= lr * db
            return W, b
    """),
    bug("gradient_descent_step", "s_b_no_lr", "forgot the learning rate in the bias update", """
        def gradient_descent_step(W, b, dW, db, lr):
            return W - lr * dW, b - db
    """),
    bug("gradient_descent_step", "s_swapped", "returns (b, W) in the wrong order", """
        def gradient_descent_step(W, b, dW, db, lr):
            new_W = W - lr * dW
            new_b = b - lr * db
            return new_b, new_W
    """),
    bug("gradient_descent_step", "s_db_typo", "updates b with dW instead of db", """
        def gradient_descent_step(W, b, dW, db, lr):
            return W - lr * dW, b - lr * dW
    """),
    bug("gradient_descent_step", "s_normalized", "normalizes the gradient (divides dW by its norm) before the step", """
        def gradient_descent_step(W, b, dW, db, lr):
            return W - lr * dW / np.linalg.norm(dW), b - lr * db
    """),
    bug("gradient_descent_step", "s_alias", "new_W = W is not a copy: the in-place update changes the caller's W", """
        def gradient_descent_step(W, b, dW, db, lr):
            new_W = W
            new_W -= lr * dW
            new_b = b - lr * db
            return new_W, new_b
    """),
    partial("gradient_descent_step", "s_b_copy", "calls b.copy(): fails for a Python float bias, right for an array bias", """
        def gradient_descent_step(W, b, dW, db, lr):
            new_W, new_b = W.copy(), b.copy()
            new_W = new_W - lr * dW
            new_b = new_b - lr * db
            return new_W, new_b
    """),
    bug("gradient_descent_step", "s_lr_squared", "applies the learning rate twice (lr * lr * dW)", """
        def gradient_descent_step(W, b, dW, db, lr):
            step_W = lr * dW
            step_b = lr * db
            return W - lr * step_W, b - lr * step_b
    """),

    # ---- fit_linear_regression -----------------------------------------------------------
    correct("fit_linear_regression", "f_graded_calls", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            if y.ndim == 1:
                W, b = np.zeros(n), 0.0
            else:
                W, b = np.zeros((n, y.shape[1])), np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                    continue
                order = rng.permutation(m)
                for start in range(0, m, batch_size):
                    rows = order[start:start + batch_size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    correct("fit_linear_regression", "f_shuffle_full_batch_too", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            k = None if y.ndim == 1 else y.shape[1]
            W = np.zeros(n) if k is None else np.zeros((n, k))
            b = 0.0 if k is None else np.zeros(k)
            rng = np.random.default_rng(seed)
            size = batch_size or m
            history = []
            for epoch in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                if batch_size is None:
                    order = np.arange(m)
                else:
                    order = rng.permutation(m)
                for start in range(0, m, size):
                    idx = order[start:start + size]
                    dW, db = mse_gradients(X[idx], y[idx], W, b)
                    W = W - lr * dW
                    b = b - lr * db
            return W, b, history
    """),
    correct("fit_linear_regression", "f_fresh_arange_shuffle", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            shape = (n,) if y.ndim == 1 else (n, y.shape[1])
            W = np.zeros(shape)
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    idx = np.arange(m)
                    rng.shuffle(idx)
                    batches = np.split(idx, np.arange(batch_size, m, batch_size))
                for rows in batches:
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    correct("fit_linear_regression", "f_while_pointer", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m = len(X)
            W = np.zeros((X.shape[1],) + y.shape[1:])
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            epoch = 0
            while epoch < epochs:
                error = X @ W + b - y
                history.append(np.mean(error * error))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                step = m if batch_size is None else batch_size
                i = 0
                while i < m:
                    rows = order[i:i + step]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                    i += step
                epoch += 1
            return W, b, history
    """),
    bug("fit_linear_regression", "f_with_replacement", "samples the batch rows with replacement (rng.integers) instead of a permutation", """
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
                        rows = order[start:start + batch_size]
                        dW, db = mse_gradients(X[rows], y[rows], W, b)
                        W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_two_permutations", "shuffles X and y with two different permutations: rows and targets no longer match", """
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
                    continue
                X_s = X[rng.permutation(m)]
                y_s = y[rng.permutation(m)]
                for start in range(0, m, batch_size):
                    dW, db = mse_gradients(X_s[start:start + batch_size], y_s[start:start + batch_size], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_reshuffle_arrays", "reorders X and y themselves every epoch, so each new permutation is applied to the already shuffled data", """
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
                    continue
                perm = rng.permutation(m)
                X, y = X[perm], y[perm]
                for start in range(0, m, batch_size):
                    dW, db = mse_gradients(X[start:start + batch_size], y[start:start + batch_size], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_one_permutation", "draws one permutation before the loop and reuses it in every epoch", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            order = rng.permutation(m)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_rng_per_epoch", "creates the random generator inside the epoch loop: the same order every epoch", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                    continue
                rng = np.random.default_rng(seed)
                order = rng.permutation(m)
                for start in range(0, m, batch_size):
                    rows = order[start:start + batch_size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_array_split", "np.array_split into ceil(m / batch_size) balanced parts: batch sizes differ from consecutive batches of batch_size", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    batches = np.array_split(rng.permutation(m), int(np.ceil(m / batch_size)))
                for rows in batches:
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_lr_twice", "scales the gradient by lr before passing it to gradient_descent_step, which applies lr again", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, lr * dW, lr * db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_batch_over_m", "divides each batch's summed gradient by m (the whole set) instead of the batch size", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            per_entry = 1 if y.ndim == 1 else y.shape[1]
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    error = X[rows] @ W + b - y[rows]
                    W = W - lr * 2 * X[rows].T @ error / (m * per_entry)
                    b = b - lr * 2 * np.sum(error, axis=0) / (m * per_entry)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_sum_sample_grads", "loops over the samples of a batch and adds their gradients without dividing by the batch size", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    dW_total, db_total = 0, 0
                    for i in order[start:start + size]:
                        dW_i, db_i = mse_gradients(X[i:i + 1], y[i:i + 1], W, b)
                        dW_total = dW_total + dW_i
                        db_total = db_total + db_i
                    W, b = gradient_descent_step(W, b, dW_total, db_total, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_history_after_step", "records the loss after the epoch's steps instead of at the start of the epoch", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                history.append(mse_loss(y, predict(X, W, b)))
            return W, b, history
    """),
    bug("fit_linear_regression", "f_running_batch_loss", "records the mean of the batch losses seen during the epoch, not the full-set loss at its start", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                batch_losses = []
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    batch_losses.append(mse_loss(y[rows], predict(X[rows], W, b)))
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                history.append(np.mean(batch_losses))
            return W, b, history
    """),
    bug("fit_linear_regression", "f_last_batch_loss", "records the loss of the epoch's last batch (before its step), not the full-set loss", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    loss = mse_loss(y[rows], predict(X[rows], W, b))
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                history.append(loss)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_drop_last_batch", "loops over m // batch_size batches: the last, smaller batch is never used", """
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
                    continue
                order = rng.permutation(m)
                for i in range(m // batch_size):
                    rows = order[i * batch_size:(i + 1) * batch_size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_extra_empty_batch", "loops over m // batch_size + 1 batches: when batch_size divides m the last batch is empty and its gradient is nan", """
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
                    continue
                order = rng.permutation(m)
                for i in range(m // batch_size + 1):
                    rows = order[i * batch_size:(i + 1) * batch_size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_random_start", "starts from random weights (rng.normal) instead of zeros (the draw also shifts every later permutation)", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.normal(size=(n,) + y.shape[1:])
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    partial("fit_linear_regression", "f_only_one_output", "always starts from W of shape (n,) and a float b: right for (m,) targets, fails for (m, k) targets", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W, b = np.zeros(n), 0.0
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_whole_set_gradient", "computes the gradient on the whole training set at every step, ignoring the batch", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_no_shuffle", "never shuffles: takes the batches in the original order of the rows", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            history = []
            size = m if batch_size is None else batch_size
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                for start in range(0, m, size):
                    dW, db = mse_gradients(X[start:start + size], y[start:start + size], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_compound_shuffle", "shuffles one index array in place every epoch: each epoch's order is a shuffle of the previous one, not rng.permutation(m)", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            idx = np.arange(m)
            history = []
            for epoch in range(epochs):
                history.append(mse_loss(y, predict(X, W, b)))
                if batch_size is None:
                    dW, db = mse_gradients(X, y, W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                    continue
                rng.shuffle(idx)
                for start in range(0, m, batch_size):
                    rows = idx[start:start + batch_size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
            return W, b, history
    """),
    bug("fit_linear_regression", "f_history_extra", "appends the final loss after the last epoch too: history has epochs + 1 entries", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = [mse_loss(y, predict(X, W, b))]
            for epoch in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    dW, db = mse_gradients(X[rows], y[rows], W, b)
                    W, b = gradient_descent_step(W, b, dW, db, lr)
                history.append(mse_loss(y, predict(X, W, b)))
            return W, b, history
    """),
    bug("fit_linear_regression", "f_b_array", "starts b as np.zeros(1): a 1-element array comes back instead of a float for (m,) targets", """
        def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            W = np.zeros(n) if y.ndim == 1 else np.zeros((n, y.shape[1]))
            b = np.zeros(1) if y.ndim == 1 else np.zeros(y.shape[1])
            rng = np.random.default_rng(seed)
            history = []
            for epoch in range(epochs):
                history.append(float(np.mean((X @ W + b - y) ** 2)))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for start in range(0, m, size):
                    rows = order[start:start + size]
                    error = X[rows] @ W + b - y[rows]
                    W = W - lr * 2 * X[rows].T @ error / error.size
                    b = b - lr * 2 * np.sum(error, axis=0) / error.size
            return W, b, history
    """),
]
