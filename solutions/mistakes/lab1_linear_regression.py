"""Plausible lab-1 submissions: bugs with the mistake they make, and correct variants."""
import numpy as np

from solutions.lab1_linear_regression import (  # noqa: F401  (names used by entries)
    gradient_descent_step, mse_gradients, mse_loss, predict)
from solutions.mistakes import Catalog

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


@correct("predict")
def predict_einsum(X, W, b):
    return np.einsum("ij,j...->i...", X, W) + b


@correct("predict")
def predict_dot(X, W, b):
    return np.dot(X, W) + b


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


@correct("gradient_descent_step")
def step_tuple(W, b, dW, db, lr):
    new_W = np.subtract(W, np.multiply(lr, dW))
    return new_W, np.subtract(b, lr * np.asarray(db)) if np.ndim(b) else b - lr * db


# ---------------------------------------------------------------- fit_linear_regression
def _fit(X, y, lr, epochs, batch_size, seed, *, record_after=False, shuffle_y=True, drop_last=False,
         lr_used=None, same_order=False, rng_per_epoch=False):
    m, n = X.shape
    W = np.zeros((n,) + y.shape[1:])
    b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        if not record_after:
            history.append(mse_loss(y, predict(X, W, b)))
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            if rng_per_epoch:
                rng = np.random.default_rng(seed)
            order = np.arange(m) if same_order else rng.permutation(m)
            stop = m - m % batch_size if drop_last else m
            batches = [order[s:s + batch_size] for s in range(0, stop, batch_size)]
        for rows in batches:
            y_rows = y[rows] if shuffle_y else y[np.sort(rows)]
            dW, db = mse_gradients(X[rows], y_rows, W, b)
            W, b = gradient_descent_step(W, b, dW, db, lr if lr_used is None else lr_used)
        if record_after:
            history.append(mse_loss(y, predict(X, W, b)))
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
    return _fit(X, y, lr, epochs, batch_size, seed, lr_used=0.01)


@bug("fit_linear_regression", "make ONE rng = np.random.default_rng(seed) for the whole fit: re-creating "
     "it every epoch repeats the same order")
def fit_rng_per_epoch(X, y, *, lr, epochs, batch_size=None, seed=0):
    return _fit(X, y, lr, epochs, batch_size, seed, rng_per_epoch=True)


@correct("fit_linear_regression")
def fit_inline(X, y, *, lr, epochs, batch_size=None, seed=0):
    m, n = X.shape
    W, b = np.zeros(n), 0.0
    rng = np.random.default_rng(seed)
    history = []
    size = m if batch_size is None else batch_size
    for _ in range(epochs):
        history.append(float(np.mean((X @ W + b - y) ** 2)))
        order = np.arange(m) if batch_size is None else rng.permutation(m)
        for start in range(0, m, size):
            idx = order[start:start + size]
            r = X[idx] @ W + b - y[idx]
            W = W - lr * 2 * X[idx].T @ r / len(idx)
            b = b - lr * 2 * r.mean()
    return W, b, history
