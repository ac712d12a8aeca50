"""Reference solutions for lab 1: from a straight line to a neuron (instructor only)."""
import numpy as np


def predict(X, W, b):
    return np.asarray(X, dtype=np.float64) @ W + b


def mse_loss(y, y_hat):
    y = np.asarray(y, dtype=np.float64)
    y_hat = np.asarray(y_hat, dtype=np.float64)
    return float(np.mean((y_hat - y) ** 2))


def mse_gradients(X, y, W, b):
    X = np.asarray(X, dtype=np.float64)
    residual = predict(X, W, b) - np.asarray(y, dtype=np.float64)
    scale = 2.0 / residual.size                     # the mean runs over every entry
    dW = scale * X.T @ residual
    db = scale * residual.sum(axis=0)
    if np.ndim(b) == 0:
        return dW, float(np.sum(db))
    return dW, db


def gradient_descent_step(W, b, dW, db, lr):
    return W - lr * dW, b - lr * db


def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    m, n = X.shape
    W = np.zeros((n,) + y.shape[1:])
    b = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        history.append(mse_loss(y, predict(X, W, b)))
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = rng.permutation(m)
            batches = [order[start:start + batch_size] for start in range(0, m, batch_size)]
        for rows in batches:
            dW, db = mse_gradients(X[rows], y[rows], W, b)
            W, b = gradient_descent_step(W, b, dW, db, lr)
    return W, b, history
