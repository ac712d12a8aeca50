"""Reference solutions for lab 2: from regression to a binary classifier (instructor only)."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    # exp of a non-positive number never overflows: use exp(-|z|) on both sides.
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out if out.ndim else float(out)


def bce_loss(y, p_hat):
    y = np.asarray(y, dtype=np.float64)
    p_hat = np.asarray(p_hat, dtype=np.float64)
    return float(-np.mean(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat)))


def bce_dloss_dphat(y, p_hat):
    y = np.asarray(y, dtype=np.float64)
    p_hat = np.asarray(p_hat, dtype=np.float64)
    return (1 - y) / (1 - p_hat) - y / p_hat


def sigmoid_derivative(p_hat):
    p_hat = np.asarray(p_hat, dtype=np.float64)
    return p_hat * (1 - p_hat)


def bce_gradients(X, y, W, b):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    p_hat = sigmoid(X @ W + b)
    dz = p_hat - y                       # dL/dp_hat * dp_hat/dz, per sample
    m = X.shape[0]
    return X.T @ dz / m, float(np.mean(dz))


def predict_proba(X, W, b):
    return sigmoid(np.asarray(X, dtype=np.float64) @ W + b)


def predict(X, W, b, threshold=0.5):
    return (predict_proba(X, W, b) > threshold).astype(int)


def accuracy(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def train_logistic_regression(X, y, *, lr, epochs, seed=0):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    rng = np.random.default_rng(seed)
    W = rng.random(X.shape[1]) - 0.5
    b = rng.random() - 0.5
    history = []
    for _ in range(epochs):
        p_hat = predict_proba(X, W, b)
        history.append((bce_loss(y, p_hat), accuracy(y, (p_hat > 0.5).astype(int))))
        dW, db = bce_gradients(X, y, W, b)
        W = W - lr * dW
        b = b - lr * db
    return W, b, history
