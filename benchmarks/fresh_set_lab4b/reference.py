"""An independent reference for the seven lab-4 functions, written from SPEC.md section 2 alone.

Each function is kept as the source text a student would put in its answer cell: the
fresh-set runner pastes these texts into the answer cells that an entry does not fill,
and `namespace(lab)` runs them to give callable functions. Every function is
self-contained (it needs only numpy, imported by the lab's prelude), so a buggy entry in
one cell can never change what another cell computes. `GIVEN` is the code the notebook
gives (softmax, one_hot, cross_entropy_loss), which entries may call as students do.
"""
from __future__ import annotations

import numpy as np

LAB4 = "lab4_hidden_layer"

SOURCES = {
    LAB4: {
        "relu": '''
def relu(Z):
    Z = np.asarray(Z, dtype=float)
    return np.where(Z > 0, Z, 0.0)
''',
        "relu_derivative": '''
def relu_derivative(Z):
    Z = np.asarray(Z, dtype=float)
    return np.where(Z > 0, 1.0, 0.0)
''',
        "init_params": '''
def init_params(n_in, n_hidden, n_out, rng):
    W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2.0 / n_in)
    W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1.0 / n_hidden)
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
''',
        "forward": '''
def forward(X, params):
    X = np.asarray(X, dtype=float)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.where(Z1 > 0, Z1, 0.0)
    Z2 = A1 @ params["W2"] + params["b2"]
    E = np.exp(Z2 - np.max(Z2, axis=1, keepdims=True))
    P = E / np.sum(E, axis=1, keepdims=True)
    return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
''',
        "backward": '''
def backward(X, Y, params, cache):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    m = X.shape[0]
    Z2 = cache["Z2"]
    E = np.exp(Z2 - np.max(Z2, axis=1, keepdims=True))
    P = E / np.sum(E, axis=1, keepdims=True)
    # d(mean cross-entropy)/dZ2 = (P - Y) / m
    G2 = (P - Y) / m
    dW2 = cache["A1"].T @ G2
    db2 = np.sum(G2, axis=0)
    G1 = (G2 @ params["W2"].T) * (cache["Z1"] > 0)
    dW1 = X.T @ G1
    db1 = np.sum(G1, axis=0)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
''',
        "predict_mlp": '''
def predict_mlp(X, params):
    X = np.asarray(X, dtype=float)
    A1 = np.maximum(X @ params["W1"] + params["b1"], 0.0)
    Z2 = A1 @ params["W2"] + params["b2"]
    E = np.exp(Z2 - np.max(Z2, axis=1, keepdims=True))
    P = E / np.sum(E, axis=1, keepdims=True)
    return np.argmax(P, axis=1)
''',
        "train_mlp": '''
def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).astype(int)
    m, n = X.shape
    Y = np.zeros((m, num_classes))
    Y[np.arange(m), y] = 1.0
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n, hidden)) * np.sqrt(2.0 / n)
    W2 = rng.standard_normal((hidden, num_classes)) * np.sqrt(1.0 / hidden)
    b1, b2 = np.zeros(hidden), np.zeros(num_classes)

    def probabilities(Xb):
        Z1 = Xb @ W1 + b1
        A1 = np.maximum(Z1, 0.0)
        Z2 = A1 @ W2 + b2
        E = np.exp(Z2 - np.max(Z2, axis=1, keepdims=True))
        return Z1, A1, E / np.sum(E, axis=1, keepdims=True)

    history = []
    for _ in range(epochs):
        P = probabilities(X)[2]
        loss = -np.sum(Y * np.log(np.where(Y > 0, P, 1.0))) / m
        acc = np.mean(np.argmax(P, axis=1) == y)
        history.append((float(loss), float(acc)))
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = rng.permutation(m)
            batches = [order[start:start + batch_size] for start in range(0, m, batch_size)]
        for rows in batches:
            Z1, A1, Pb = probabilities(X[rows])
            G2 = (Pb - Y[rows]) / len(rows)
            G1 = (G2 @ W2.T) * (Z1 > 0)
            dW2, db2 = A1.T @ G2, np.sum(G2, axis=0)
            dW1, db1 = X[rows].T @ G1, np.sum(G1, axis=0)
            W1, b1 = W1 - lr * dW1, b1 - lr * db1
            W2, b2 = W2 - lr * dW2, b2 - lr * db2
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, history
''',
    },
}

GIVEN = {
    LAB4: '''
def softmax(Z):
    Z = np.asarray(Z, dtype=np.float64)
    e = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def one_hot(y, num_classes):
    y = np.asarray(y).astype(int)
    Y = np.zeros((len(y), num_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def cross_entropy_loss(Y, P):
    Y, P = np.asarray(Y, dtype=np.float64), np.asarray(P, dtype=np.float64)
    return float(-np.sum(Y * np.log(np.where(Y > 0, P, 1.0))) / Y.shape[0])
''',
}


def source(lab: str, function: str) -> str:
    """The answer-cell text of one reference function."""
    return SOURCES[lab][function].strip() + "\n"


def namespace(lab: str, extra: str = "") -> dict:
    """The notebook's given code and the reference functions of `lab` as a namespace (as a
    notebook's cells would make them), then `extra` source run on top of it (an entry
    replacing one function)."""
    scope = {"np": np, "__name__": f"fresh_{lab}"}
    if lab in GIVEN:
        exec(compile(GIVEN[lab], f"<given {lab}>", "exec"), scope)
    for function in SOURCES[lab]:
        exec(compile(source(lab, function), f"<reference {lab}.{function}>", "exec"), scope)
    if extra:
        exec(compile(extra, f"<entry {lab}>", "exec"), scope)
    return scope
