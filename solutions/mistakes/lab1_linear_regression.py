"""Plausible lab-1 submissions: bugs with the mistake they make, and correct variants."""
import numpy as np

from solutions.lab1_linear_regression import (  # noqa: F401  (names used by entries)
    gradient_descent_step, mse_gradients, mse_loss, predict)
from solutions.mistakes import SAME_ORDER_EVERY_EPOCH, Catalog, epoch_batches

CATALOG = Catalog()
bug, correct = CATALOG.bug, CATALOG.correct

# ---------------------------------------------------------------- predict
@bug("predict", "the bias b is missing: predictions are X @ W + b")
def predict_no_bias(X, W, b):
    return X @ W


@bug("predict", "X * W multiplies elementwise (and broadcasts): use the matrix product X @ W")
def predict_elementwise(X, W, b):
    return np.sum(X * W, axis=1) + b if np.ndim(W) == 1 else X * W + b


@bug("predict", "X.T @ W puts the features where the samples should be: each ROW of X is a sample, "
     "so compute X @ W + b")
def predict_transposed(X, W, b):
    return X.T @ W + b


@bug("predict", "you subtracted the bias: predictions are X @ W + b")
def predict_minus_bias(X, W, b):
    return X @ W - b


@bug("predict", "for a 1-D W the predictions must be 1-D, one number per sample (shape (m,)): do not reshape W "
     "into an (n, 1) column")
def predict_column(X, W, b):
    W = np.reshape(W, (len(W), -1))          # "make W a matrix so that X @ W always works"
    return X @ W + b


@bug("predict", "return a numpy array, not a Python list: compute all the predictions at once with X @ W + b",
     named_by_check=True)
def predict_list(X, W, b):
    return [x @ W + b for x in X]


@bug("predict", "you summed over axis 0 (down the samples): each prediction sums over the features of ONE "
     "sample, which is what X @ W computes")
def predict_sum_axis0(X, W, b):
    return np.sum(X * W, axis=0) + b


@bug("predict", "the bias was added to the weights, X @ (W + b): add it after the product, X @ W + b")
def predict_bias_inside(X, W, b):
    return X @ (W + b)


@correct("predict")
def predict_einsum(X, W, b):
    return np.einsum("ij,j...->i...", X, W) + b


@correct("predict")
def predict_dot(X, W, b):
    return np.dot(X, W) + b


@correct("predict")
def predict_loop(X, W, b):
    return np.array([x @ W for x in X]) + b


# ---------------------------------------------------------------- mse_loss
@bug("mse_loss", "you summed the squared errors: take the mean (np.mean)")
def mse_sum(y, y_hat):
    return float(np.sum((y - y_hat) ** 2))


@bug("mse_loss", "the errors are not squared: square each difference before averaging")
def mse_abs(y, y_hat):
    return float(np.mean(np.abs(y - y_hat)))


@bug("mse_loss", "you squared the mean error instead of averaging the squared errors")
def mse_square_of_mean(y, y_hat):
    return float(np.mean(y - y_hat) ** 2)


@bug("mse_loss", "you took the square root: that is the RMSE, the loss here is the mean squared error")
def mse_rmse(y, y_hat):
    return float(np.sqrt(np.mean((y - y_hat) ** 2)))


@bug("mse_loss", "y[:, None] - y_hat broadcasts to an (m, m) table of differences: subtract arrays of "
     "the same shape")
def mse_broadcast(y, y_hat):
    return float(np.mean((y[:, None] - y_hat) ** 2))


@bug("mse_loss", "you multiplied by 1/2 (a convention some books use for nicer derivatives): the loss here is "
     "the plain mean of the squared errors")
def mse_half(y, y_hat):
    return float(0.5 * np.mean((y - y_hat) ** 2))


@bug("mse_loss", "np.mean(..., axis=0) gives one loss per output column: the loss is ONE number, the mean over "
     "every entry")
def mse_axis0(y, y_hat):
    return np.mean((y - y_hat) ** 2, axis=0)


@bug("mse_loss", "you divided by len(y), the number of samples: with several outputs the mean runs over all "
     "m*k entries (np.mean does that)", partial=True)
def mse_divide_by_len(y, y_hat):
    return float(np.sum((y - y_hat) ** 2) / len(y))


@bug("mse_loss", "// is floor division (it rounds down to a whole number): divide with /")
def mse_floor_division(y, y_hat):
    return float(np.sum((y - y_hat) ** 2) // np.size(y))


@bug("mse_loss", "you returned the squared error of every sample: average them into one number with np.mean")
def mse_no_mean(y, y_hat):
    return (y - y_hat) ** 2


@correct("mse_loss")
def mse_sklearn(y, y_hat):
    from sklearn.metrics import mean_squared_error
    return mean_squared_error(np.reshape(y, (len(y), -1)), np.reshape(y_hat, (len(y_hat), -1)))


@correct("mse_loss")
def mse_loop(y, y_hat):
    y, y_hat = np.ravel(y), np.ravel(y_hat)
    total = 0.0
    for a, p in zip(y, y_hat):
        total += (a - p) ** 2
    return total / len(y)


@correct("mse_loss")
def mse_norm(y, y_hat):
    return np.linalg.norm(np.ravel(y_hat) - np.ravel(y)) ** 2 / np.size(y)


# ---------------------------------------------------------------- mse_gradients
@bug("mse_gradients", "you summed over the samples: divide by m (the loss is a mean)")
def grads_sum(X, y, W, b):
    r = X @ W + b - y
    return 2 * X.T @ r, 2 * np.sum(r, axis=0) if np.ndim(b) else float(2 * np.sum(r))


@bug("mse_gradients", "the factor 2 from the derivative of the square is missing")
def grads_no_two(X, y, W, b):
    r = X @ W + b - y
    return X.T @ r / r.size, np.sum(r, axis=0) / r.size if np.ndim(b) else float(np.sum(r) / r.size)


@bug("mse_gradients", "the sign is flipped: use the residual y_hat - y, not y - y_hat")
def grads_sign(X, y, W, b):
    r = y - (X @ W + b)
    return 2 * X.T @ r / r.size, 2 * np.sum(r, axis=0) / r.size if np.ndim(b) else float(2 * np.sum(r) / r.size)


@bug("mse_gradients", "the bias b is missing from the prediction inside your gradient")
def grads_no_bias(X, y, W, b):
    r = X @ W - y
    return 2 * X.T @ r / r.size, 2 * np.sum(r, axis=0) / r.size if np.ndim(b) else float(2 * np.sum(r) / r.size)


@bug("mse_gradients", "db must be a single number for a scalar b (the mean of the residuals), not one per sample",
     named_by_check=True)
def grads_db_vector(X, y, W, b):
    r = X @ W + b - y
    return 2 * X.T @ r / r.size, 2 * r / r.size


@bug("mse_gradients", "with k outputs the loss averages over m*k entries: divide by m*k, not by m",
     partial=True)
def grads_divide_by_m(X, y, W, b):
    r = X @ W + b - y
    m = X.shape[0]
    return 2 * X.T @ r / m, 2 * np.sum(r, axis=0) / m if np.ndim(b) else float(2 * np.sum(r) / m)


@bug("mse_gradients", "you returned (db, dW): return the pair in the order (dW, db)")
def grads_swapped(X, y, W, b):
    r = X @ W + b - y
    db = 2 * np.sum(r, axis=0) / r.size if np.ndim(b) else float(2 * np.sum(r) / r.size)
    return db, 2 * X.T @ r / r.size


@bug("mse_gradients", "X @ r pairs the samples with the features the wrong way round: dW needs one value per "
     "feature, a sum over the samples, so it is X transposed that multiplies the residuals")
def grads_no_transpose(X, y, W, b):
    r = X @ W + b - y
    return 2 * X @ r / r.size, 2 * np.sum(r, axis=0) / r.size if np.ndim(b) else float(2 * np.sum(r) / r.size)


@correct("mse_gradients")
def grads_loops(X, y, W, b):
    m, n = X.shape
    if np.ndim(W) == 1:
        dW, db = np.zeros(n), 0.0
        for i in range(m):
            err = X[i] @ W + b - y[i]
            dW += 2 * err * X[i] / m
            db += 2 * err / m
        return dW, db
    r = X @ W + b - y
    return 2 * X.T @ r / r.size, (2 * r.sum(axis=0) / r.size if np.ndim(b) else 2 * r.sum() / r.size)


@correct("mse_gradients")
def grads_mean_axis(X, y, W, b):
    r = np.dot(X, W) + b - y
    dW = 2 * np.einsum("ij,i...->j...", X, r) / r.size
    db = 2 * np.mean(r) if np.ndim(b) == 0 else 2 * np.sum(r, axis=0) / r.size
    return dW, db


# ---------------------------------------------------------------- gradient_descent_step
@bug("gradient_descent_step", "you stepped uphill: subtract lr times the gradient")
def step_ascent(W, b, dW, db, lr):
    return W + lr * dW, b + lr * db


@bug("gradient_descent_step", "the bias is not updated: b - lr * db")
def step_frozen_bias(W, b, dW, db, lr):
    return W - lr * dW, b


@bug("gradient_descent_step", "the learning rate is ignored: the step is lr * gradient")
def step_no_lr(W, b, dW, db, lr):
    return W - dW, b - db


@bug("gradient_descent_step", "you updated W in place (W -= ...): return new arrays and leave the inputs alone",
     named_by_check=True)
def step_in_place(W, b, dW, db, lr):
    W -= lr * dW
    return W, b - lr * db


@bug("gradient_descent_step", "you returned (b, W): return the new parameters in the order (W, b)")
def step_swapped(W, b, dW, db, lr):
    return b - lr * db, W - lr * dW


@bug("gradient_descent_step", "you divided by the learning rate: the step is lr TIMES the gradient")
def step_divide_by_lr(W, b, dW, db, lr):
    return W - dW / lr, b - db / lr


@bug("gradient_descent_step", "the bias moved by the weights' gradient dW: update b with its own gradient, "
     "b - lr * db")
def step_b_with_dW(W, b, dW, db, lr):
    return W - lr * dW, b - lr * dW


@bug("gradient_descent_step", "b -= ... changed the caller's bias array in place: compute b - lr * db as a new "
     "array", named_by_check=True)
def step_b_in_place(W, b, dW, db, lr):
    W = W - lr * dW
    b -= lr * db
    return W, b


@correct("gradient_descent_step")
def step_tuple(W, b, dW, db, lr):
    new_W = np.subtract(W, np.multiply(lr, dW))
    return new_W, np.subtract(b, lr * np.asarray(db)) if np.ndim(b) else b - lr * db


@correct("gradient_descent_step")
def step_on_copies(W, b, dW, db, lr):
    new_W = np.array(W, dtype=float)             # np.array copies: the caller's W stays as it was
    new_W -= lr * dW
    new_b = np.array(b, dtype=float)
    new_b -= lr * np.asarray(db)
    return new_W, float(new_b) if new_b.ndim == 0 else new_b


@correct("gradient_descent_step")
def step_pairs(W, b, dW, db, lr):
    return tuple(p - lr * g for p, g in ((W, dW), (b, db)))


# ---------------------------------------------------------------- fit_linear_regression
def _fit(X, y, lr, epochs, batch_size, seed, *, record_after=False, shuffle_y=True, lr_used=None,
         batch_loss=False, summed_loss=False, b_as_array=False, record_final=False, **order):
    """The reference's loop; each bug below switches on one change (`order`: of the batches)."""
    m, n = X.shape
    W = np.zeros((n,) + y.shape[1:])
    b = np.zeros(1) if b_as_array else (0.0 if y.ndim == 1 else np.zeros(y.shape[1]))
    rng = np.random.default_rng(seed)
    history = []

    def loss(rows):
        if summed_loss:
            return float(np.sum((predict(X[rows], W, b) - y[rows]) ** 2))
        return mse_loss(y[rows], predict(X[rows], W, b))

    for batches in epoch_batches(rng, seed, m, epochs, batch_size, **order):
        if not record_after and not batch_loss:
            history.append(loss(np.arange(m)))
        for rows in batches:
            y_rows = y[rows] if shuffle_y else y[np.sort(rows)]
            if batch_loss:
                last = loss(rows)
            dW, db = mse_gradients(X[rows], y_rows, W, b)
            W, b = gradient_descent_step(W, b, dW, db, lr if lr_used is None else lr_used)
        if batch_loss:
            history.append(last)
        if record_after:
            history.append(loss(np.arange(m)))
    if record_final:
        history.append(loss(np.arange(m)))
    return W, b, history


@bug("fit_linear_regression", "history[e] must be the loss at the START of epoch e: record it before the updates")
def fit_history_after(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, record_after=True)


@bug("fit_linear_regression", "the last, smaller mini-batch was dropped: when m is not a multiple of "
     "batch_size, the leftover samples form one more batch")
def fit_drop_last(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, drop_last=True)


@bug("fit_linear_regression", "you shuffled X but not y: index both with the same permutation")
def fit_shuffle_x_only(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, shuffle_y=False)


@bug("fit_linear_regression", "the samples were not shuffled: visit them in the order rng.permutation(m), "
     "a new permutation every epoch")
def fit_no_shuffle(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, same_order=True)


@bug("fit_linear_regression", "the learning rate argument lr is ignored (a fixed step size is used)")
def fit_fixed_lr(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, lr_used=0.0123)


@bug("fit_linear_regression", SAME_ORDER_EVERY_EPOCH)
def fit_rng_per_epoch(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, rng_per_epoch=True)


@bug("fit_linear_regression", SAME_ORDER_EVERY_EPOCH)
def fit_permute_once(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, permute_once=True)


@bug("fit_linear_regression", "history[e] must be the loss on the FULL training set at the start of epoch e, "
     "not the loss of the last mini-batch")
def fit_batch_loss(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, batch_loss=True)


@bug("fit_linear_regression", "history must hold the MEAN squared error (mse_loss), not the sum of the squared "
     "errors")
def fit_summed_loss(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, summed_loss=True)


@bug("fit_linear_regression", "for a 1-D y the bias is a single number: start from b = 0.0, not np.zeros(1)")
def fit_b_array(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, b_as_array=True)


@bug("fit_linear_regression", "history has one entry too many: record the loss at the start of each epoch only, "
     "not once more after the last one")
def fit_extra_history_entry(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, record_final=True)


@correct("fit_linear_regression")
def fit_inline(X, y, *, lr, epochs, batch_size=None, seed=0):
    m, n = X.shape
    W, b = np.zeros((n,) + y.shape[1:]), (0.0 if y.ndim == 1 else np.zeros(y.shape[1]))
    rng = np.random.default_rng(seed)
    history = []
    size = m if batch_size is None else batch_size
    for _ in range(epochs):
        history.append(float(np.mean((X @ W + b - y) ** 2)))
        order = np.arange(m) if batch_size is None else rng.permutation(m)
        for start in range(0, m, size):
            idx = order[start:start + size]
            r = X[idx] @ W + b - y[idx]
            W = W - lr * 2 * X[idx].T @ r / r.size
            b = b - lr * 2 * (r.mean() if y.ndim == 1 else r.sum(axis=0) / r.size)
    return W, b, history


@correct("fit_linear_regression")
def fit_shuffled_copies(X, y, *, lr, epochs, batch_size=None, seed=0):
    m, n = X.shape
    W, b = np.zeros((n,) + y.shape[1:]), (0.0 if y.ndim == 1 else np.zeros(y.shape[1]))
    rng = np.random.default_rng(seed)
    size = m if batch_size is None else batch_size
    history = []
    for epoch in range(epochs):
        history.append(mse_loss(y, predict(X, W, b)))
        if batch_size is None:
            X_epoch, y_epoch = X, y
        else:
            order = rng.permutation(m)
            X_epoch, y_epoch = X[order], y[order]
        start = 0
        while start < m:
            dW, db = mse_gradients(X_epoch[start:start + size], y_epoch[start:start + size], W, b)
            W, b = gradient_descent_step(W, b, dW, db, lr)
            start += size
    return W, b, history
