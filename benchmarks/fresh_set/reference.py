"""An independent reference for the 21 graded functions, written from SPEC.md section 2 alone.

Each function is kept as the source text a student would put in its answer cell: the
fresh-set runner pastes these texts into the answer cells that an entry does not fill,
and `namespace(lab)` runs them to give callable functions. Every function is
self-contained (it needs only numpy, imported by the lab's prelude), so a buggy entry in
one cell can never change what another cell computes.
"""
from __future__ import annotations

import numpy as np

LAB1 = "lab1_linear_regression"
LAB2 = "lab2_binary_classification"
LAB3 = "lab3_multiclass_classification"

SOURCES = {
    LAB1: {
        "predict": '''
def predict(X, W, b):
    return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + b
''',
        "mse_loss": '''
def mse_loss(y, y_hat):
    diff = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float(np.mean(diff ** 2))
''',
        "mse_gradients": '''
def mse_gradients(X, y, W, b):
    X = np.asarray(X, dtype=float)
    error = X @ np.asarray(W, dtype=float) + b - np.asarray(y, dtype=float)
    # the loss is the mean over every entry of the error: m entries, or m * k
    scale = 2.0 / error.size
    dW = scale * (X.T @ error)
    if np.ndim(b) == 0:
        return dW, float(scale * np.sum(error))
    return dW, scale * np.sum(error, axis=0)
''',
        "gradient_descent_step": '''
def gradient_descent_step(W, b, dW, db, lr):
    return W - lr * dW, b - lr * db
''',
        "fit_linear_regression": '''
def fit_linear_regression(X, y, *, lr, epochs, batch_size=None, seed=0):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    m, n = X.shape
    if y.ndim == 1:
        W, b = np.zeros(n), 0.0
    else:
        W, b = np.zeros((n, y.shape[1])), np.zeros(y.shape[1])
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        history.append(float(np.mean((X @ W + b - y) ** 2)))
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = rng.permutation(m)
            batches = [order[start:start + batch_size] for start in range(0, m, batch_size)]
        for rows in batches:
            error = X[rows] @ W + b - y[rows]
            scale = 2.0 / error.size
            dW = scale * (X[rows].T @ error)
            db = scale * np.sum(error, axis=0)
            W = W - lr * dW
            b = b - lr * db
    if y.ndim == 1:
        b = float(b)
    return W, b, history
''',
    },
    LAB2: {
        "sigmoid": '''
def sigmoid(z):
    z_arr = np.asarray(z, dtype=float)
    # exp of a non-positive number only: never overflows
    e = np.exp(-np.abs(z_arr))
    out = np.where(z_arr >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(out) if out.ndim == 0 else out
''',
        "bce_loss": '''
def bce_loss(y, p_hat):
    y = np.asarray(y, dtype=float)
    p_hat = np.asarray(p_hat, dtype=float)
    return float(-np.mean(y * np.log(p_hat) + (1.0 - y) * np.log(1.0 - p_hat)))
''',
        "bce_dloss_dphat": '''
def bce_dloss_dphat(y, p_hat):
    y = np.asarray(y, dtype=float)
    p_hat = np.asarray(p_hat, dtype=float)
    out = (1.0 - y) / (1.0 - p_hat) - y / p_hat
    return float(out) if np.ndim(out) == 0 else out
''',
        "sigmoid_derivative": '''
def sigmoid_derivative(p_hat):
    p_hat = np.asarray(p_hat, dtype=float)
    out = p_hat * (1.0 - p_hat)
    return float(out) if np.ndim(out) == 0 else out
''',
        "bce_gradients": '''
def bce_gradients(X, y, W, b):
    X = np.asarray(X, dtype=float)
    z = X @ np.asarray(W, dtype=float) + b
    e = np.exp(-np.abs(z))
    p_hat = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    # d(mean BCE)/dz_i = (p_hat_i - y_i) / m
    error = p_hat - np.asarray(y, dtype=float)
    m = X.shape[0]
    return X.T @ error / m, float(np.sum(error) / m)
''',
        "predict_proba": '''
def predict_proba(X, W, b):
    z = np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + b
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
''',
        "predict": '''
def predict(X, W, b, threshold=0.5):
    z = np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + b
    e = np.exp(-np.abs(z))
    p_hat = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return (p_hat > threshold).astype(int)
''',
        "accuracy": '''
def accuracy(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))
''',
        "train_logistic_regression": '''
def train_logistic_regression(X, y, *, lr, epochs, seed=0):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    m, n = X.shape
    rng = np.random.default_rng(seed)
    W = rng.random(n) - 0.5
    b = rng.random() - 0.5
    history = []
    for _ in range(epochs):
        z = X @ W + b
        e = np.exp(-np.abs(z))
        p_hat = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        loss = -np.mean(y * np.log(p_hat) + (1.0 - y) * np.log(1.0 - p_hat))
        acc = np.mean((p_hat > 0.5).astype(int) == y)
        history.append((float(loss), float(acc)))
        error = p_hat - y
        W = W - lr * (X.T @ error / m)
        b = b - lr * (np.sum(error) / m)
    return W, float(b), history
''',
    },
    LAB3: {
        "softmax": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    shifted = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
    return shifted / np.sum(shifted, axis=-1, keepdims=True)
''',
        "one_hot": '''
def one_hot(y, num_classes):
    y = np.asarray(y)
    Y = np.zeros((y.shape[0], num_classes))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y
''',
        "cross_entropy_loss": '''
def cross_entropy_loss(Y, P):
    Y = np.asarray(Y, dtype=float)
    P = np.asarray(P, dtype=float)
    logs = np.log(P, where=Y > 0, out=np.zeros_like(P))     # a term with Y = 0 counts 0, even where P is 0
    return float(-np.sum(Y * logs) / Y.shape[0])
''',
        "entropy": '''
def entropy(p):
    p = np.asarray(p, dtype=float)
    present = p[p > 0]
    return float(-np.sum(present * np.log(present)))
''',
        "softmax_gradients": '''
def softmax_gradients(X, Y, W, b):
    X = np.asarray(X, dtype=float)
    Z = X @ np.asarray(W, dtype=float) + b
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    P = E / np.sum(E, axis=1, keepdims=True)
    # d(mean cross-entropy)/dZ = (P - Y) / m
    G = (P - np.asarray(Y, dtype=float)) / X.shape[0]
    return X.T @ G, np.sum(G, axis=0)
''',
        "predict_classes": '''
def predict_classes(X, W, b):
    Z = np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + b
    return np.argmax(Z, axis=1)
''',
        "train_softmax_regression": '''
def train_softmax_regression(X, y, *, num_classes, lr, epochs, batch_size=None, seed=0):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    m, n = X.shape
    Y = np.zeros((m, num_classes))
    Y[np.arange(m), y] = 1.0
    W, b = np.zeros((n, num_classes)), np.zeros(num_classes)
    rng = np.random.default_rng(seed)
    history = []

    for _ in range(epochs):
        Z = X @ W + b
        E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
        P = E / np.sum(E, axis=1, keepdims=True)
        loss = -np.sum(Y * np.log(P)) / m
        acc = np.mean(np.argmax(Z, axis=1) == y)
        history.append((float(loss), float(acc)))
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = rng.permutation(m)
            batches = [order[start:start + batch_size] for start in range(0, m, batch_size)]
        for rows in batches:
            Zb = X[rows] @ W + b
            Eb = np.exp(Zb - np.max(Zb, axis=1, keepdims=True))
            G = (Eb / np.sum(Eb, axis=1, keepdims=True) - Y[rows]) / len(rows)
            W = W - lr * (X[rows].T @ G)
            b = b - lr * np.sum(G, axis=0)
    return W, b, history
''',
    },
}


def source(lab: str, function: str) -> str:
    """The answer-cell text of one reference function."""
    return SOURCES[lab][function].strip() + "\n"


def namespace(lab: str, extra: str = "") -> dict:
    """The reference functions of `lab` as a namespace (as a notebook's cells would make
    them), then `extra` source run on top of it (an entry replacing one function)."""
    scope = {"np": np, "__name__": f"fresh_{lab}"}
    for function in SOURCES[lab]:
        exec(compile(source(lab, function), f"<reference {lab}.{function}>", "exec"), scope)
    if extra:
        exec(compile(extra, f"<entry {lab}>", "exec"), scope)
    return scope
