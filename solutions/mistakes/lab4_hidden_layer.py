"""Plausible lab-4 submissions: bugs with the mistake they make, and correct variants."""
import numpy as np

from solutions.lab4_hidden_layer import (  # noqa: F401  (names used by entries)
    backward, cross_entropy_loss, forward, init_params, one_hot, predict_mlp, relu, relu_derivative, softmax)
from solutions.mistakes import Catalog

CATALOG = Catalog()
bug, correct = CATALOG.bug, CATALOG.correct
ONE_AT_ZERO = "Z >= 0 gives 1 at Z = 0: the derivative there is taken as 0, so use Z > 0"

# ---------------------------------------------------------------- relu
@bug("relu", "Z[Z < 0] = 0 changed the caller's array in place: build a new array (np.maximum(Z, 0))",
     named_by_check=True)
def relu_in_place(Z):
    Z[Z < 0] = 0.0
    return Z


@bug("relu", "relu keeps the positive part, max(z, 0): np.minimum keeps the negative one")
def relu_min(Z):
    return np.minimum(Z, 0.0)


@bug("relu", "a negative z becomes 0, not its absolute value")
def relu_abs(Z):
    return np.abs(Z)


@bug("relu", "np.max(Z, 0) is the largest entry along axis 0: for max(z, 0) entry by entry use np.maximum(Z, 0)")
def relu_np_max(Z):
    return np.max(Z, 0)


@bug("relu", "ReLU gives exactly 0 for a negative z (0.01 z is the leaky ReLU)")
def relu_leaky(Z):
    return np.where(Z > 0, Z, 0.01 * Z)


@bug("relu", "you returned 1 where z > 0 (the derivative): relu returns z itself there")
def relu_step(Z):
    return (Z > 0).astype(float)


@correct("relu")
def relu_where(Z):
    return np.where(Z > 0, Z, 0.0)


@correct("relu")
def relu_mask(Z):
    return Z * (Z > 0)


@correct("relu")
def relu_clip(Z):
    return np.clip(Z, 0.0, None)


# ---------------------------------------------------------------- relu_derivative
@bug("relu_derivative", ONE_AT_ZERO)
def rd_one_at_zero(Z):
    return (Z >= 0).astype(float)


@bug("relu_derivative", "return floats (1.0 and 0.0), not booleans", named_by_check=True)
def rd_bool(Z):
    return Z > 0


@bug("relu_derivative", "you returned relu itself: its derivative is 1 where z > 0 and 0 elsewhere")
def rd_relu(Z):
    return np.maximum(Z, 0.0)


@bug("relu_derivative", "the slope is 0 for a negative z: np.sign gives -1 there")
def rd_sign(Z):
    return np.sign(Z)


@bug("relu_derivative", "at Z = 0 the derivative is taken as 0, not 0.5")
def rd_half_at_zero(Z):
    return np.where(Z > 0, 1.0, np.where(Z == 0, 0.5, 0.0))


@bug("relu_derivative", "the derivative is 1 where z > 0, where relu passes z on; you have it the wrong way round")
def rd_inverted(Z):
    return (Z < 0).astype(float)


@bug("relu_derivative", "Z[...] = ... changed the caller's array in place: build a new array", named_by_check=True)
def rd_in_place(Z):
    Z[...] = Z > 0
    return Z


@correct("relu_derivative")
def rd_where(Z):
    return np.where(Z > 0, 1.0, 0.0)


@correct("relu_derivative")
def rd_heaviside(Z):
    return np.heaviside(Z, 0.0)


@correct("relu_derivative")
def rd_of_the_output(Z):
    # the derivative taken of A1 = relu(Z1) instead of Z1: for ReLU, A1 > 0 exactly where Z1 > 0
    return (np.maximum(Z, 0.0) > 0).astype(float)


# ---------------------------------------------------------------- init_params
@bug("init_params", "draw W1 first, then W2: the order of the draws decides which numbers each one gets")
def init_w2_first(n_in, n_hidden, n_out, rng):
    W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden)
    W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


@bug("init_params", "the initialisation scale is missing: W1 is multiplied by np.sqrt(2 / n_in) and W2 by "
     "np.sqrt(1 / n_hidden)")
def init_unscaled(n_in, n_hidden, n_out, rng):
    W1 = rng.standard_normal((n_in, n_hidden))
    W2 = rng.standard_normal((n_hidden, n_out))
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


@bug("init_params", "the two scales are swapped: sqrt(2 / n_in) belongs to W1 (it feeds the ReLU), "
     "sqrt(1 / n_hidden) to W2")
def init_scales_swapped(n_in, n_hidden, n_out, rng):
    W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(1 / n_in)
    W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(2 / n_hidden)
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


@bug("init_params", "a layer's scale uses the number of its INPUTS: n_in for W1, n_hidden for W2")
def init_scale_by_outputs(n_in, n_hidden, n_out, rng):
    W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_hidden)
    W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_out)
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


@bug("init_params", "the biases start at zero: draw nothing for them")
def init_random_biases(n_in, n_hidden, n_out, rng):
    W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)
    b1 = rng.standard_normal(n_hidden)
    W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": np.zeros(n_out)}


@bug("init_params", "the scale is the square root: np.sqrt(2 / n_in), not 2 / n_in")
def init_variance_as_scale(n_in, n_hidden, n_out, rng):
    W1 = rng.standard_normal((n_in, n_hidden)) * (2 / n_in)
    W2 = rng.standard_normal((n_hidden, n_out)) * (1 / n_hidden)
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


@correct("init_params")
def init_normal_with_scale(n_in, n_hidden, n_out, rng):
    W1 = rng.normal(0.0, np.sqrt(2 / n_in), size=(n_in, n_hidden))
    W2 = rng.normal(0.0, np.sqrt(1 / n_hidden), size=(n_hidden, n_out))
    return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}


@correct("init_params")
def init_divided(n_in, n_hidden, n_out, rng):
    params = {"W1": rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in / 2), "b1": np.zeros(n_hidden)}
    params["W2"] = rng.standard_normal((n_hidden, n_out)) / np.sqrt(n_hidden)
    params["b2"] = np.zeros(n_out)
    return params


# ---------------------------------------------------------------- forward
@bug("forward", "X -= ... changed the caller's X in place: compute new arrays", named_by_check=True)
def forward_in_place(X, params):
    X -= X.mean(axis=0)
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return softmax(Z2), {"Z1": Z1, "A1": A1, "Z2": Z2}


@bug("forward", "ReLU is missing: A1 = relu(Z1), and the output layer works on A1")
def forward_no_relu(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    Z2 = Z1 @ params["W2"] + params["b2"]
    return softmax(Z2), {"Z1": Z1, "A1": Z1, "Z2": Z2}


@bug("forward", "the first layer's bias b1 is missing: Z1 = X @ W1 + b1")
def forward_no_b1(X, params):
    Z1 = X @ params["W1"]
    A1 = relu(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return softmax(Z2), {"Z1": Z1, "A1": A1, "Z2": Z2}


@bug("forward", "the softmax runs along each ROW (one sample's scores), not down the columns")
def forward_softmax_columns(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    e = np.exp(Z2 - Z2.max(axis=0))
    return e / e.sum(axis=0), {"Z1": Z1, "A1": A1, "Z2": Z2}


@bug("forward", "ReLU belongs to the first layer only: the output scores Z2 go straight into the softmax")
def forward_relu_on_output(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return softmax(relu(Z2)), {"Z1": Z1, "A1": A1, "Z2": Z2}


@bug("forward", "the output layer takes A1 = relu(Z1), not Z1")
def forward_output_from_z1(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1)
    Z2 = Z1 @ params["W2"] + params["b2"]
    return softmax(Z2), {"Z1": Z1, "A1": A1, "Z2": Z2}


@bug("forward", "the cache holds the scores Z2, before the softmax, not the probabilities")
def forward_caches_probabilities(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1)
    P = softmax(A1 @ params["W2"] + params["b2"])
    return P, {"Z1": Z1, "A1": A1, "Z2": P}


@bug("forward", "np.exp overflows for a large score (inf / inf is nan): subtract each row's largest score "
     "before np.exp, as the given softmax does, or call softmax(Z2)")
def forward_softmax_unshifted(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = relu(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(Z2)
        return e / e.sum(axis=1, keepdims=True), {"Z1": Z1, "A1": A1, "Z2": Z2}


@correct("forward")
def forward_einsum(X, params):
    Z1 = np.einsum("mn,nh->mh", X, params["W1"]) + params["b1"]
    A1 = np.where(Z1 > 0, Z1, 0.0)
    Z2 = np.einsum("mh,hk->mk", A1, params["W2"]) + params["b2"]
    e = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True), {"Z1": Z1, "A1": A1, "Z2": Z2}


@correct("forward")
def forward_with_more_in_the_cache(X, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = np.dot(X, W1) + b1
    A1 = relu(Z1)
    Z2 = np.dot(A1, W2) + b2
    P = softmax(Z2)
    return P, {"X": X, "Z1": Z1, "A1": A1, "Z2": Z2, "P": P}


# ---------------------------------------------------------------- backward
@bug("backward", "the ReLU derivative is missing: dZ1 = dA1 * relu_derivative(Z1); a unit that is off passes "
     "no gradient back")
def bw_no_relu_derivative(X, Y, params, cache):
    dZ2 = (softmax(cache["Z2"]) - Y) / X.shape[0]
    dZ1 = dZ2 @ params["W2"].T
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": cache["A1"].T @ dZ2, "db2": dZ2.sum(axis=0)}


@bug("backward", "dW1 is X^T dZ1, of W1's shape (n, h): you have its transpose")
def bw_dw1_transposed(X, Y, params, cache):
    dZ2 = (softmax(cache["Z2"]) - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
    return {"dW1": (X.T @ dZ1).T, "db1": dZ1.sum(axis=0), "dW2": cache["A1"].T @ dZ2, "db2": dZ2.sum(axis=0)}


@bug("backward", "dW2 is A1^T dZ2, of W2's shape (h, k): you have its transpose")
def bw_dw2_transposed(X, Y, params, cache):
    dZ2 = (softmax(cache["Z2"]) - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": dZ2.T @ cache["A1"], "db2": dZ2.sum(axis=0)}


@bug("backward", "the mean over the samples is missing in the first layer: dW1 and db1 are m times too large "
     "(divide the output error by m once, before it flows back)")
def bw_sum_in_layer1(X, Y, params, cache):
    error = softmax(cache["Z2"]) - Y
    dZ2 = error / X.shape[0]
    dZ1 = (error @ params["W2"].T) * relu_derivative(cache["Z1"])
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": cache["A1"].T @ dZ2, "db2": dZ2.sum(axis=0)}


@bug("backward", "the mean over the samples is missing in the output layer: dW2 and db2 are m times too large")
def bw_sum_in_layer2(X, Y, params, cache):
    error = softmax(cache["Z2"]) - Y
    dZ1 = (error / X.shape[0] @ params["W2"].T) * relu_derivative(cache["Z1"])
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": cache["A1"].T @ error, "db2": error.sum(axis=0)}


@bug("backward", "a bias's gradient sums over the samples (axis=0), one value per unit")
def bw_bias_axis1(X, Y, params, cache):
    dZ2 = (softmax(cache["Z2"]) - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=1), "dW2": cache["A1"].T @ dZ2, "db2": dZ2.sum(axis=1)}


@bug("backward", "Y -= ... changed the caller's Y in place: compute the error as a new array", named_by_check=True)
def bw_in_place(X, Y, params, cache):
    Y -= softmax(cache["Z2"])
    dZ2 = -Y / X.shape[0]
    dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": cache["A1"].T @ dZ2, "db2": dZ2.sum(axis=0)}


@bug("backward", "back through W2 the error is multiplied by W2's TRANSPOSE: dA1 = dZ2 @ W2.T, of A1's shape "
     "(m, h)")
def bw_w2_not_transposed(X, Y, params, cache):
    dZ2 = (softmax(cache["Z2"]) - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"]) * relu_derivative(cache["Z1"])
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": cache["A1"].T @ dZ2, "db2": dZ2.sum(axis=0)}


@bug("backward", "Z1 >= 0 lets a unit at exactly 0 pass gradient back: ReLU's derivative is 0 there (Z1 > 0)")
def bw_slope_one_at_zero(X, Y, params, cache):
    dZ2 = (softmax(cache["Z2"]) - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"].T) * (cache["Z1"] >= 0)
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": cache["A1"].T @ dZ2, "db2": dZ2.sum(axis=0)}


@correct("backward")
def bw_derivative_of_a1(X, Y, params, cache):
    # relu_derivative(A1) instead of relu_derivative(Z1): the same for ReLU (A1 > 0 exactly where Z1 > 0)
    dZ2 = (softmax(cache["Z2"]) - Y) / X.shape[0]
    dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["A1"])
    return {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": cache["A1"].T @ dZ2, "db2": dZ2.sum(axis=0)}


@correct("backward")
def bw_einsum(X, Y, params, cache):
    P = np.exp(cache["Z2"] - cache["Z2"].max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    dZ2 = (P - Y) / len(X)
    dZ1 = np.einsum("mk,hk->mh", dZ2, params["W2"]) * (cache["Z1"] > 0)
    return {"dW1": np.einsum("mn,mh->nh", X, dZ1), "db1": dZ1.mean(axis=0) * len(X),
            "dW2": np.einsum("mh,mk->hk", cache["A1"], dZ2), "db2": np.sum(dZ2, axis=0)}


@correct("backward")
def bw_mean_at_the_end(X, Y, params, cache):
    error = softmax(cache["Z2"]) - Y
    dZ1 = (error @ params["W2"].T) * relu_derivative(cache["Z1"])
    m = X.shape[0]
    return {"dW1": X.T @ dZ1 / m, "db1": dZ1.mean(axis=0), "dW2": cache["A1"].T @ error / m, "db2": error.mean(axis=0)}


# ---------------------------------------------------------------- predict_mlp
@bug("predict_mlp", "a tie goes to the last of the tied classes: it must go to the first, as "
     "np.argmax(..., axis=1) does")
def pm_ties_to_last(X, params):
    P, _ = forward(X, params)
    return P.shape[1] - 1 - np.argmax(P[:, ::-1], axis=1)


@bug("predict_mlp", "argmax over axis 0 picks a sample for each class: take it over the classes (axis=1)")
def pm_axis0(X, params):
    return np.argmax(forward(X, params)[0], axis=0)


@bug("predict_mlp", "argmin picks the LEAST likely class: use argmax")
def pm_argmin(X, params):
    return np.argmin(forward(X, params)[0], axis=1)


@bug("predict_mlp", "the probabilities P are returned: predict_mlp returns one class index per sample, "
     "np.argmax(P, axis=1)")
def pm_probabilities(X, params):
    return forward(X, params)[0]


@bug("predict_mlp", "np.max gives the highest probability itself: you need its position, the class index, "
     "np.argmax")
def pm_max_probability(X, params):
    return np.max(forward(X, params)[0], axis=1)


@bug("predict_mlp", "np.argmax without axis= looks at the flattened matrix and returns one number: take it "
     "over the classes, axis=1")
def pm_argmax_flat(X, params):
    return np.argmax(forward(X, params)[0])


@bug("predict_mlp", "the scores skip the ReLU: predict with forward(X, params), whose first layer gives "
     "A1 = relu(X @ W1 + b1)")
def pm_no_relu(X, params):
    Z1 = np.asarray(X, dtype=np.float64) @ params["W1"] + params["b1"]
    return np.argmax(Z1 @ params["W2"] + params["b2"], axis=1)


@bug("predict_mlp", "comparing one class's probability with 0.5 only decides between two classes: the "
     "predicted class is the most probable of all k, np.argmax(P, axis=1)")
def pm_threshold(X, params):
    return (forward(X, params)[0][:, 1] > 0.5).astype(int)


@correct("predict_mlp")
def pm_scores(X, params):
    _, cache = forward(X, params)
    return np.argmax(cache["Z2"], axis=1)


@correct("predict_mlp")
def pm_loop(X, params):
    P, _ = forward(X, params)
    return np.array([int(np.argmax(row)) for row in P], dtype=int)


# ---------------------------------------------------------------- train_mlp
def _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, *, record_after=False, drop_last=False,
           ascent=False, fresh_rng=False, frozen=(), shuffle=True, fixed_lr=None, record_on=None, pair="loss, accuracy",
           targets="one-hot", lr_per_sample=False, final_entry=False):
    """The contract's loop; each switch is one known mistake."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).astype(int)
    m, n = X.shape
    Y = one_hot(y, num_classes)
    rng = np.random.default_rng(seed)
    params = init_params(n, hidden, num_classes, np.random.default_rng(seed) if fresh_rng else rng)
    step = lr if fixed_lr is None else fixed_lr
    history = []

    def record(rows=slice(None)):
        loss = cross_entropy_loss(Y[rows], forward(X[rows], params)[0])
        accuracy = float(np.mean(predict_mlp(X[rows], params) == y[rows]))
        history.append({"loss, accuracy": (loss, accuracy), "accuracy, loss": (accuracy, loss),
                        "percent": (loss, 100.0 * accuracy)}[pair])

    for _ in range(epochs):
        if not record_after and record_on is None:
            record()
        if batch_size is None:
            batches = [np.arange(m)]
        else:
            order = rng.permutation(m) if shuffle else np.arange(m)
            stop = m - m % batch_size if drop_last else m
            batches = [order[start:start + batch_size] for start in range(0, stop, batch_size)]
        for index, rows in enumerate(batches):
            if record_on == "first batch" and index == 0 or record_on == "last batch" and index == len(batches) - 1:
                record(rows)
            _, cache = forward(X[rows], params)
            grads = backward(X[rows], (Y if targets == "one-hot" else y)[rows], params, cache)
            sign = -1.0 if ascent else 1.0
            size = step / len(rows) if lr_per_sample else step
            params = {k: v if k in frozen else v - sign * size * grads["d" + k] for k, v in params.items()}
            if record_on == "last batch after its step" and index == len(batches) - 1:
                record(rows)
        if record_after:
            record()
    if final_entry:
        record()
    return params, history


@bug("train_mlp", "history[e] must describe the parameters at the START of epoch e: record before the steps")
def train_history_after(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, record_after=True)


@bug("train_mlp", "the last, smaller mini-batch was dropped: leftover samples form one more batch")
def train_drop_last(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, drop_last=True)


@bug("train_mlp", "you stepped uphill (W + lr * dW): gradient descent subtracts the gradient")
def train_ascent(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, ascent=True)


@bug("train_mlp", "use ONE rng for the whole fit: init_params draws from it first, then each epoch's "
     "permutation comes from the same rng")
def train_two_rngs(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, fresh_rng=True)


@bug("train_mlp", "the first layer's bias b1 is never updated: every parameter takes a step")
def train_frozen_b1(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, frozen=("b1",))


@bug("train_mlp", "the samples were not shuffled: visit them in the order rng.permutation(m)")
def train_no_shuffle(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, shuffle=False)


@bug("train_mlp", "the learning rate argument lr is ignored (a fixed step size is used)")
def train_fixed_lr(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, fixed_lr=0.01)


@bug("train_mlp", "history[e] is measured on the epoch's last mini-batch, after its step: measure the loss and "
     "accuracy on the FULL training set, with the parameters at the start of the epoch")
def train_history_last_batch(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    if batch_size is None:
        raise ValueError("one batch: another mistake's output")
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, record_on="last batch after its step")


@bug("train_mlp", "history[e] is measured on the epoch's last mini-batch (with the parameters before its step): "
     "measure the loss and accuracy on the FULL training set, with the parameters at the start of the epoch")
def train_history_last_batch_before(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    if batch_size is None:
        raise ValueError("one batch: the contract's output")
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, record_on="last batch")


@bug("train_mlp", "history[e] is measured on the epoch's first mini-batch: measure the loss and accuracy on the "
     "FULL training set, with the parameters at the start of the epoch")
def train_history_first_batch(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    if batch_size is None:
        raise ValueError("one batch: the contract's output")
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, record_on="first batch")


@bug("train_mlp", "each history entry is (accuracy, loss): the contract's order is (loss, accuracy)")
def train_history_swapped(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, pair="accuracy, loss")


@bug("train_mlp", "the accuracy in history is a percentage: record the fraction of right predictions, between 0 "
     "and 1")
def train_accuracy_percent(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, pair="percent")


@bug("train_mlp", "backward gets the integer labels y[rows]: it takes the one-hot rows, Y = one_hot(y, "
     "num_classes), then Y[rows]")
def train_labels_to_backward(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, targets="labels")


@bug("train_mlp", "the step is lr / batch_size times the gradient: backward already averages over the batch, so "
     "the step is lr * gradient")
def train_lr_per_sample(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, lr_per_sample=True)


@bug("train_mlp", "the output layer's bias b2 is never updated: every parameter takes a step")
def train_frozen_b2(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, frozen=("b2",))


@bug("train_mlp", "the biases b1 and b2 are never updated: every parameter takes a step")
def train_frozen_biases(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, frozen=("b1", "b2"))


@bug("train_mlp", "history has one entry too many: the parameters after the last epoch are recorded as well; "
     "history holds exactly one (loss, accuracy) per epoch, taken at its start")
def train_final_entry(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    return _train(X, y, hidden, num_classes, lr, epochs, batch_size, seed, final_entry=True)


@correct("train_mlp")
def train_inline(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    m, n = X.shape
    Y = one_hot(y, num_classes)
    rng = np.random.default_rng(seed)
    params = init_params(n, hidden, num_classes, rng)
    history = []
    for _ in range(epochs):
        history.append((cross_entropy_loss(Y, forward(X, params)[0]), np.mean(predict_mlp(X, params) == y)))
        order = np.arange(m) if batch_size is None else rng.permutation(m)
        size = m if batch_size is None else batch_size
        for start in range(0, m, size):
            rows = order[start:start + size]
            grads = backward(X[rows], Y[rows], params, forward(X[rows], params)[1])
            for key in ("W1", "b1", "W2", "b2"):
                params[key] = params[key] - lr * grads["d" + key]
    return params, history


@correct("train_mlp")
def train_shuffled_copies(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
    rng = np.random.default_rng(seed)
    params = init_params(X.shape[1], hidden, num_classes, rng)
    Y = one_hot(y, num_classes)
    history = []
    for _ in range(epochs):
        P, _ = forward(X, params)
        history.append((cross_entropy_loss(Y, P), float((predict_mlp(X, params) == y).mean())))
        if batch_size is None:
            Xs, Ys, size = X, Y, len(X)
        else:
            order = rng.permutation(len(X))
            Xs, Ys, size = X[order], Y[order], batch_size
        for start in range(0, len(Xs), size):
            xb, yb = Xs[start:start + size], Ys[start:start + size]
            grads = backward(xb, yb, params, forward(xb, params)[1])
            params = {k: params[k] - lr * grads["d" + k] for k in params}
    return params, history
