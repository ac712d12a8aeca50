"""Second independent set, lab 4 (one hidden layer and backpropagation): first attempts as
students write them.

Every cause was written with the code, before the entry was graded.
"""
from . import bug, correct, partial

ENTRIES = [
    # ------------------------------------------------------------------ relu
    correct("relu", "relu_clip_below", '''
        def relu(Z):
            return np.clip(Z, 0, None)
    '''),
    correct("relu", "relu_loop_on_copy", '''
        def relu(Z):
            out = np.array(Z, dtype=float)      # a copy, Z stays as it is
            flat = out.reshape(-1)
            for i in range(flat.size):
                if not flat[i] > 0:
                    flat[i] = 0.0
            return out
    '''),
    bug("relu", "relu_np_max_reduces",
        "calls np.max(Z, 0), which takes the maximum along axis 0 (a reduction) instead of the "
        "entry-by-entry np.maximum(Z, 0), so the result loses a dimension", '''
        def relu(Z):
            return np.max(Z, 0)
    '''),
    bug("relu", "relu_zeroes_input_in_place",
        "sets the negative entries of Z to 0 in place and returns Z itself, so the caller's array "
        "is modified", '''
        def relu(Z):
            Z[Z < 0] = 0
            return Z
    '''),
    bug("relu", "relu_leaky_slope",
        "writes a leaky ReLU (0.01 z for negative z) instead of max(z, 0): negative inputs give "
        "small negative outputs instead of 0", '''
        def relu(Z):
            return np.where(Z > 0, Z, 0.01 * Z)
    '''),

    # ------------------------------------------------------------------ relu_derivative
    correct("relu_derivative", "reluderiv_heaviside", '''
        def relu_derivative(Z):
            # step function, value 0.0 taken at exactly 0
            return np.heaviside(Z, 0.0)
    '''),
    correct("relu_derivative", "reluderiv_sign_floor", '''
        def relu_derivative(Z):
            s = np.sign(np.asarray(Z, dtype=float))
            return np.maximum(s, 0.0)
    '''),
    bug("relu_derivative", "reluderiv_one_at_zero",
        "uses Z >= 0, so the derivative at Z = 0 is 1.0 instead of the convention 0.0", '''
        def relu_derivative(Z):
            return (Z >= 0).astype(float)
    '''),
    bug("relu_derivative", "reluderiv_boolean_mask",
        "returns the boolean mask Z > 0 itself instead of converting it to floats 1.0 / 0.0", '''
        def relu_derivative(Z):
            return Z > 0
    '''),
    bug("relu_derivative", "reluderiv_overwrites_Z",
        "overwrites the entries of Z in place with 1 and 0 and returns Z, so the caller's array "
        "(the cached pre-activations) is destroyed", '''
        def relu_derivative(Z):
            Z[Z <= 0] = 0
            Z[Z > 0] = 1
            return Z
    '''),

    # ------------------------------------------------------------------ init_params
    correct("init_params", "init_rng_normal_scale", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.normal(0.0, np.sqrt(2 / n_in), size=(n_in, n_hidden))
            W2 = rng.normal(0.0, np.sqrt(1 / n_hidden), size=(n_hidden, n_out))
            b1 = np.zeros(n_hidden)
            b2 = np.zeros(n_out)
            return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    '''),
    correct("init_params", "init_divide_by_root", '''
        def init_params(n_in, n_hidden, n_out, rng):
            params = {}
            params["W1"] = rng.standard_normal(size=(n_in, n_hidden)) / np.sqrt(n_in / 2)
            params["b1"] = np.zeros((n_hidden,), dtype=np.float64)
            params["W2"] = rng.standard_normal(size=(n_hidden, n_out)) / np.sqrt(n_hidden)
            params["b2"] = np.zeros((n_out,), dtype=np.float64)
            return params
    '''),
    bug("init_params", "init_output_layer_first",
        "draws W2 from rng before W1, so each matrix gets the other one's random numbers", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden)
            W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_global_randn",
        "draws the weights from numpy's global generator (np.random.randn) instead of the rng it "
        "is given, so the weights do not depend on rng", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = np.random.randn(n_in, n_hidden) * np.sqrt(2 / n_in)
            W2 = np.random.randn(n_hidden, n_out) * np.sqrt(1 / n_hidden)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_fresh_seeded_generator",
        "replaces the given rng by a new np.random.default_rng(0) inside the function, so the "
        "weights are the same whatever generator is passed in", '''
        def init_params(n_in, n_hidden, n_out, rng):
            rng = np.random.default_rng(0)
            W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)
            W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_he_for_both_layers",
        "scales W2 by sqrt(2 / n_hidden) (He) as well, instead of sqrt(1 / n_hidden) for the "
        "output layer", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)
            W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(2 / n_hidden)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_variance_one_over_n_in",
        "scales W1 by sqrt(1 / n_in) instead of sqrt(2 / n_in): it forgets the factor 2 of He "
        "initialisation for the layer that feeds the ReLU", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(1 / n_in)
            W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),

    # ------------------------------------------------------------------ forward
    correct("forward", "forward_einsum_logsumexp", '''
        def forward(X, params):
            W1, b1, W2, b2 = (params[key] for key in ("W1", "b1", "W2", "b2"))
            Z1 = np.einsum("mn,nh->mh", X, W1) + b1
            A1 = relu(Z1)
            Z2 = np.einsum("mh,hk->mk", A1, W2) + b2
            shift = Z2.max(axis=1, keepdims=True)
            log_norm = shift + np.log(np.exp(Z2 - shift).sum(axis=1, keepdims=True))
            P = np.exp(Z2 - log_norm)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    correct("forward", "forward_dot_then_zip_cache", '''
        def forward(X, params):
            X = np.array(X, dtype=float)
            Z1 = np.dot(X, params["W1"]) + params["b1"]
            A1 = relu(Z1)
            Z2 = np.dot(A1, params["W2"]) + params["b2"]
            P = softmax(Z2)
            cache = dict(zip(["Z1", "A1", "Z2"], [Z1, A1, Z2]))
            return P, cache
    '''),
    bug("forward", "forward_softmax_down_columns",
        "writes the softmax inline and normalises over axis 0 (each class over the samples) "
        "instead of over each row's classes", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = relu(Z1)
            Z2 = A1 @ params["W2"] + params["b2"]
            expZ = np.exp(Z2 - np.max(Z2))
            P = expZ / np.sum(expZ, axis=0)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    bug("forward", "forward_cache_without_A1",
        "leaves A1 out of the cache (it keeps only Z1 and Z2), although the cache must hold "
        "Z1, A1 and Z2", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            Z2 = relu(Z1) @ params["W2"] + params["b2"]
            P = softmax(Z2)
            cache = {"Z1": Z1, "Z2": Z2}
            return P, cache
    '''),
    bug("forward", "forward_relu_in_place_aliases_Z1",
        "applies ReLU in place on the array that is also cached as Z1 (A1 = Z1 is not a copy), "
        "so the cached Z1 has its negative entries zeroed: it holds A1, not the pre-activations", '''
        def forward(X, params):
            Z1 = X @ params["W1"]
            Z1 += params["b1"]
            A1 = Z1
            A1[A1 < 0] = 0
            Z2 = A1 @ params["W2"] + params["b2"]
            P = softmax(Z2)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    bug("forward", "forward_relu_on_output_scores",
        "applies ReLU to the output layer as well (Z2 = relu(A1 W2 + b2)) before the softmax, "
        "so negative scores are cut to 0", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = relu(Z1)
            Z2 = relu(A1 @ params["W2"] + params["b2"])
            P = softmax(Z2)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    bug("forward", "forward_forgets_b2",
        "forgets the output bias: Z2 = A1 W2 without + b2", '''
        def forward(X, params):
            W1, b1 = params["W1"], params["b1"]
            W2, b2 = params["W2"], params["b2"]
            Z1 = X @ W1 + b1
            A1 = relu(Z1)
            Z2 = A1 @ W2
            P = softmax(Z2)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),

    # ------------------------------------------------------------------ backward
    correct("backward", "backward_recompute_P_explicit_T", '''
        def backward(X, Y, params, cache):
            m = len(X)
            P, _ = forward(X, params)
            dZ2 = (P - Y) / m
            dW2 = np.transpose(cache["A1"]) @ dZ2
            db2 = dZ2.sum(axis=0)
            dA1 = dZ2 @ np.transpose(params["W2"])
            dZ1 = dA1 * relu_derivative(cache["Z1"])
            dW1 = np.transpose(X) @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    correct("backward", "backward_einsum_add_reduce", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            grads = {}
            grads["dW2"] = np.einsum("mh,mk->hk", cache["A1"], dZ2)
            grads["db2"] = np.add.reduce(dZ2, axis=0)
            dZ1 = np.where(cache["Z1"] > 0, np.einsum("mk,hk->mh", dZ2, params["W2"]), 0.0)
            grads["dW1"] = np.einsum("mn,mh->nh", X, dZ1)
            grads["db1"] = np.add.reduce(dZ1, axis=0)
            return grads
    '''),
    correct("backward", "backward_per_sample_loop", '''
        def backward(X, Y, params, cache):
            X = np.asarray(X, dtype=float)
            Y = np.asarray(Y, dtype=float)
            m = X.shape[0]
            P = softmax(cache["Z2"])
            dW1 = np.zeros(params["W1"].shape)
            db1 = np.zeros(params["b1"].shape)
            dW2 = np.zeros(params["W2"].shape)
            db2 = np.zeros(params["b2"].shape)
            for i in range(m):
                dz2 = (P[i] - Y[i]) / m
                dW2 += np.outer(cache["A1"][i], dz2)
                db2 += dz2
                dz1 = (params["W2"] @ dz2) * relu_derivative(cache["Z1"][i])
                dW1 += np.outer(X[i], dz1)
                db1 += dz1
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_dW2_from_Z1",
        "computes dW2 from Z1 (the pre-activations) instead of A1 = relu(Z1): dW2 = Z1^T dZ2", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            Z1, A1, Z2 = cache["Z1"], cache["A1"], cache["Z2"]
            dZ2 = (softmax(Z2) - Y) / m
            dW2 = Z1.T @ dZ2
            db2 = np.sum(dZ2, axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(Z1)
            dW1 = X.T @ dZ1
            db1 = np.sum(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_skips_relu_derivative",
        "forgets the ReLU derivative: dZ1 = dZ2 W2^T, without multiplying by relu'(Z1)", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = np.sum(dZ2, axis=0)
            dZ1 = dZ2 @ params["W2"].T
            dW1 = X.T @ dZ1
            db1 = np.sum(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_mean_only_output_layer",
        "divides by m only in the output layer's gradients (dW2, db2) and backpropagates the "
        "undivided P - Y, so dW1 and db1 are m times too large", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            P = softmax(cache["Z2"])
            dZ2 = P - Y
            dW2 = cache["A1"].T @ dZ2 / m
            db2 = np.sum(dZ2, axis=0) / m
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = np.sum(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_bias_grads_not_averaged",
        "divides the weight gradients by m but not the bias gradients: db1 and db2 are sums "
        "over the samples, m times too large", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = softmax(cache["Z2"]) - Y
            dW2 = (1 / m) * cache["A1"].T @ dZ2
            db2 = np.sum(dZ2, axis=0)
            dZ1 = dZ2 @ params["W2"].T * relu_derivative(cache["Z1"])
            dW1 = (1 / m) * X.T @ dZ1
            db1 = np.sum(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_divides_by_m_twice",
        "divides by m twice for the weights: dZ2 is already (P - Y) / m and dW1, dW2 are divided "
        "by m again, so both weight gradients are m times too small (the biases are right)", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2 / m
            db2 = np.sum(dZ2, axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1 / m
            db1 = np.sum(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_bias_sum_over_units",
        "sums the bias gradients over axis 1 (the units of each sample) instead of axis 0 (the "
        "samples), so db1 and db2 have shape (m,) instead of the biases' shapes", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = np.sum(dZ2, axis=1)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = np.sum(dZ1, axis=1)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_bias_keepdims_row",
        "sums the bias gradients with keepdims=True, so db1 and db2 are (1, h) and (1, k) rows "
        "instead of vectors of the biases' shapes (the values are right)", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = np.sum(dZ2, axis=0, keepdims=True)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = np.sum(dZ1, axis=0, keepdims=True)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_scores_minus_labels",
        "takes the output error as Z2 - Y (the scores from the cache) instead of P - Y: it "
        "forgets to apply the softmax to Z2", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (cache["Z2"] - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = np.sum(dZ2, axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = np.sum(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_dW1_transposed",
        "puts the transpose on the wrong factor for dW1: dZ1^T X gives an (h, n) matrix, the "
        "transpose of the gradient, instead of X^T dZ1 of shape (n, h)", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = np.sum(dZ2, axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = dZ1.T @ X
            db1 = np.sum(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),

    # ------------------------------------------------------------------ predict_mlp
    correct("predict_mlp", "predict_row_loop", '''
        def predict_mlp(X, params):
            P, _ = forward(X, params)
            labels = [int(np.argmax(row)) for row in P]
            return np.array(labels, dtype=int)
    '''),
    correct("predict_mlp", "predict_first_max_mask", '''
        def predict_mlp(X, params):
            P = forward(X, params)[0]
            is_max = P == P.max(axis=-1, keepdims=True)
            return is_max.argmax(axis=-1)
    '''),
    bug("predict_mlp", "predict_returns_probabilities",
        "returns forward's probabilities P themselves instead of the index of the largest one "
        "in each row", '''
        def predict_mlp(X, params):
            P, cache = forward(X, params)
            return P
    '''),
    bug("predict_mlp", "predict_argmax_over_samples",
        "takes the argmax over axis 0 (the samples, one answer per class) instead of axis 1 "
        "(the classes of each sample)", '''
        def predict_mlp(X, params):
            P, _ = forward(X, params)
            return np.argmax(P, axis=0)
    '''),
    bug("predict_mlp", "predict_argmax_flattened",
        "calls np.argmax(P) without an axis, which returns one index into the flattened matrix "
        "instead of one class per row", '''
        def predict_mlp(X, params):
            P, _ = forward(X, params)
            return np.argmax(P)
    '''),
    bug("predict_mlp", "predict_binary_threshold",
        "thresholds the probability of class 1 at 0.5, as for a binary classifier: right for "
        "two classes, but with three or more classes it can only answer 0 or 1", '''
        def predict_mlp(X, params):
            P, _ = forward(X, params)
            return (P[:, 1] > 0.5).astype(int)
    '''),

    # ------------------------------------------------------------------ train_mlp
    correct("train_mlp", "train_dict_comprehension_step", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]
                for idx in batches:
                    _, cache = forward(X[idx], params)
                    grads = backward(X[idx], Y[idx], params, cache)
                    params = {key: value - lr * grads["d" + key] for key, value in params.items()}
            return params, history
    '''),
    correct("train_mlp", "train_while_loop_slices", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            X = np.asarray(X, dtype=float)
            y = np.asarray(y)
            m = X.shape[0]
            rng = np.random.default_rng(seed)
            params = init_params(X.shape[1], hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            epoch = 0
            while epoch < epochs:
                P_all, _ = forward(X, params)
                loss = cross_entropy_loss(Y, P_all)
                accuracy = np.sum(predict_mlp(X, params) == y) / m
                history.append((loss, accuracy))
                if batch_size is None:
                    order, size = np.arange(m), m
                else:
                    order, size = rng.permutation(m), batch_size
                start = 0
                while start < m:
                    rows = order[start:start + size]
                    _, cache = forward(X[rows], params)
                    g = backward(X[rows], Y[rows], params, cache)
                    params["W1"] = params["W1"] - lr * g["dW1"]
                    params["b1"] = params["b1"] - lr * g["db1"]
                    params["W2"] = params["W2"] - lr * g["dW2"]
                    params["b2"] = params["b2"] - lr * g["db2"]
                    start += size
                epoch += 1
            return params, history
    '''),
    correct("train_mlp", "train_ceil_batches_manual_loss", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            labels = np.asarray(y, dtype=int)
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = np.eye(num_classes)[labels]
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                loss = -np.mean(np.log(P[np.arange(m), labels]))
                acc = np.mean(np.argmax(P, axis=1) == labels)
                history.append((float(loss), float(acc)))
                if batch_size is None:
                    _, cache = forward(X, params)
                    grads = backward(X, Y, params, cache)
                    for key in ("W1", "b1", "W2", "b2"):
                        params[key] = params[key] - lr * grads["d" + key]
                    continue
                order = rng.permutation(m)
                n_batches = int(np.ceil(m / batch_size))
                for b in range(n_batches):
                    rows = order[b * batch_size:(b + 1) * batch_size]
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    for key in ("W1", "b1", "W2", "b2"):
                        params[key] = params[key] - lr * grads["d" + key]
            return params, history
    '''),
    correct("train_mlp", "train_batch_generator_take", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = np.shape(X)
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)

            def batches():
                if batch_size is None:
                    yield np.arange(m)
                    return
                order = rng.permutation(m)
                for start in range(0, m, batch_size):
                    yield order[start:start + batch_size]

            history = []
            for epoch in range(epochs):
                P = forward(X, params)[0]
                history.append((cross_entropy_loss(Y, P), float(np.mean(predict_mlp(X, params) == y))))
                for rows in batches():
                    Xb, Yb = np.take(X, rows, axis=0), np.take(Y, rows, axis=0)
                    _, cache = forward(Xb, params)
                    grads = backward(Xb, Yb, params, cache)
                    W1 = params["W1"] - lr * grads["dW1"]
                    b1 = params["b1"] - lr * grads["db1"]
                    W2 = params["W2"] - lr * grads["dW2"]
                    b2 = params["b2"] - lr * grads["db2"]
                    params = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
            return params, history
    '''),
    bug("train_mlp", "train_shuffles_once_before_loop",
        "draws the permutation once, before the epoch loop, and reuses the same order every "
        "epoch instead of drawing a new rng.permutation(m) at the start of each epoch", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            if batch_size is None:
                batch_size = m
                order = np.arange(m)
            else:
                order = rng.permutation(m)
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
                for start in range(0, m, batch_size):
                    rows = order[start:start + batch_size]
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    for key in params:
                        params[key] = params[key] - lr * grads["d" + key]
            return params, history
    '''),
    bug("train_mlp", "train_reseeded_shuffle_each_epoch",
        "shuffles with a new np.random.default_rng(seed) created inside the epoch loop, so every "
        "epoch gets the same order and the shuffle does not continue the fit's single rng", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = np.random.default_rng(seed).permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    for key in params:
                        params[key] = params[key] - lr * grads["d" + key]
            return params, history
    '''),
    bug("train_mlp", "train_history_after_updates",
        "appends (loss, accuracy) after the epoch's steps instead of before them, so history[e] "
        "describes the parameters at the end of epoch e, not at its start", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    for key in params:
                        params[key] = params[key] - lr * grads["d" + key]
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
            return params, history
    '''),
    bug("train_mlp", "train_drops_short_last_batch",
        "stops the batch loop at m - batch_size, so the last, smaller batch is skipped when "
        "batch_size does not divide m", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
                if batch_size is None:
                    order, size = np.arange(m), m
                else:
                    order, size = rng.permutation(m), batch_size
                for start in range(0, m - size + 1, size):
                    rows = order[start:start + size]
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    for key in params:
                        params[key] = params[key] - lr * grads["d" + key]
            return params, history
    '''),
    bug("train_mlp", "train_biases_never_updated",
        "updates only the weights W1 and W2 in each step; the biases b1 and b2 stay at zero", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params["W1"] = params["W1"] - lr * grads["dW1"]
                    params["W2"] = params["W2"] - lr * grads["dW2"]
            return params, history
    '''),
    bug("train_mlp", "train_second_generator_for_shuffle",
        "uses two generators with the same seed, one for init_params and a fresh one for the "
        "shuffles, instead of one rng for the whole fit (the permutations do not continue after "
        "the weight draws)", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            params = init_params(n, hidden, num_classes, np.random.default_rng(seed))
            shuffle_rng = np.random.default_rng(seed)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = shuffle_rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    for key in params:
                        params[key] = params[key] - lr * grads["d" + key]
            return params, history
    '''),
    bug("train_mlp", "train_lr_divided_by_batch",
        "divides the step by the batch size as well (lr / len(rows)), although backward already "
        "returns the mean gradient, so every step is too small", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    step = lr / len(rows)
                    for key in params:
                        params[key] = params[key] - step * grads["d" + key]
            return params, history
    '''),
    bug("train_mlp", "train_batches_ignore_permutation",
        "draws the permutation but slices X and Y by position (X[start:start + batch_size]), so "
        "the batches are always taken in the original order of the samples", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(predict_mlp(X, params) == y)))
                if batch_size is None:
                    size = m
                else:
                    order = rng.permutation(m)
                    size = batch_size
                for start in range(0, m, size):
                    Xb = X[start:start + size]
                    Yb = Y[start:start + size]
                    _, cache = forward(Xb, params)
                    grads = backward(Xb, Yb, params, cache)
                    for key in params:
                        params[key] = params[key] - lr * grads["d" + key]
            return params, history
    '''),
    bug("train_mlp", "train_history_from_first_batch",
        "records the loss and accuracy of the epoch's first batch (reusing that batch's forward "
        "pass) instead of the full training set: with mini-batches history is measured on a "
        "batch only", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                if batch_size is None:
                    order, size = np.arange(m), m
                else:
                    order, size = rng.permutation(m), batch_size
                for i, start in enumerate(range(0, m, size)):
                    rows = order[start:start + size]
                    P, cache = forward(X[rows], params)
                    if i == 0:
                        acc = np.mean(np.argmax(P, axis=1) == y[rows])
                        history.append((cross_entropy_loss(Y[rows], P), acc))
                    grads = backward(X[rows], Y[rows], params, cache)
                    for key in params:
                        params[key] = params[key] - lr * grads["d" + key]
            return params, history
    '''),
    bug("train_mlp", "train_integer_labels_to_backward",
        "passes the integer labels y of the batch to backward instead of their one-hot matrix "
        "Y, so P - Y subtracts a label vector from the probabilities", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            params = init_params(n, hidden, num_classes, rng)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                loss = -np.mean(np.log(P[np.arange(m), y]))
                history.append((loss, np.mean(predict_mlp(X, params) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], y[rows], params, cache)
                    for key in params:
                        params[key] = params[key] - lr * grads["d" + key]
            return params, history
    '''),
]
