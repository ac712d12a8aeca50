"""Plausible first-attempt student code for lab 4 (one hidden layer), one graded function each.

Written from the student notebook's words and SPEC.md section 2, without the grader's
catalog or reference; each bug's cause is its true mistake, written with the code before
it was graded. Correct variants are written differently from the reference and were
checked against `reference.py` on random inputs.
"""
from __future__ import annotations

from . import bug, correct

ENTRIES = [
    # ---------------------------------------------------------------- relu
    correct("relu", "relu_maximum", '''
        def relu(Z):
            return np.maximum(Z, 0)
    '''),
    correct("relu", "relu_clip", '''
        def relu(Z):
            return np.clip(Z, 0, None)
    '''),
    correct("relu", "relu_mask_product", '''
        def relu(Z):
            Z = np.asarray(Z, dtype=float)
            return Z * (Z > 0)
    '''),
    correct("relu", "relu_abs_half", '''
        def relu(Z):
            return (Z + np.abs(Z)) / 2
    '''),
    bug("relu", "relu_inplace",
        "Sets the negative entries of Z to 0 in place and returns Z itself: the caller's array is changed.", '''
        def relu(Z):
            Z[Z < 0] = 0
            return Z
    '''),
    bug("relu", "relu_minimum",
        "Uses np.minimum instead of np.maximum: keeps the negative part and zeroes the positive one.", '''
        def relu(Z):
            return np.minimum(Z, 0)
    '''),
    bug("relu", "relu_np_max_reduces",
        "np.max(Z, 0) is a reduction over axis 0 (the 0 is the axis), not an entry-by-entry maximum with 0: "
        "the result loses the first dimension.", '''
        def relu(Z):
            return np.max(Z, 0)
    '''),

    # ---------------------------------------------------------------- relu_derivative
    correct("relu_derivative", "relu_derivative_astype", '''
        def relu_derivative(Z):
            return (Z > 0).astype(float)
    '''),
    correct("relu_derivative", "relu_derivative_heaviside", '''
        def relu_derivative(Z):
            return np.heaviside(Z, 0.0)
    '''),
    correct("relu_derivative", "relu_derivative_loop", '''
        def relu_derivative(Z):
            Z = np.asarray(Z, dtype=float)
            out = np.zeros(Z.shape)
            for index, z in np.ndenumerate(Z):
                if z > 0:
                    out[index] = 1.0
            return out
    '''),
    bug("relu_derivative", "relu_derivative_ge_zero",
        "Uses Z >= 0: the slope at Z = 0 is counted as 1, where the lab fixes it at 0.", '''
        def relu_derivative(Z):
            return (Z >= 0).astype(float)
    '''),
    bug("relu_derivative", "relu_derivative_bool",
        "Returns the boolean mask Z > 0 itself instead of a float array of 1.0 and 0.0.", '''
        def relu_derivative(Z):
            return Z > 0
    '''),
    bug("relu_derivative", "relu_derivative_inplace",
        "Overwrites Z in place with the 1s and 0s and returns it: the caller's pre-activations are destroyed.", '''
        def relu_derivative(Z):
            Z[Z > 0] = 1.0
            Z[Z <= 0] = 0.0
            return Z
    '''),
    bug("relu_derivative", "relu_derivative_sign",
        "Uses np.sign(Z): gives -1 for negative entries instead of 0.", '''
        def relu_derivative(Z):
            return np.sign(Z).astype(float)
    '''),
    bug("relu_derivative", "relu_derivative_is_relu",
        "Returns Z where Z > 0 (the relu itself) instead of the slope 1.", '''
        def relu_derivative(Z):
            return np.where(Z > 0, Z, 0.0)
    '''),

    # ---------------------------------------------------------------- init_params
    correct("init_params", "init_params_normal_scale", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.normal(0.0, np.sqrt(2 / n_in), size=(n_in, n_hidden))
            W2 = rng.normal(0.0, np.sqrt(1 / n_hidden), size=(n_hidden, n_out))
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    correct("init_params", "init_params_power_dict", '''
        def init_params(n_in, n_hidden, n_out, rng):
            params = {}
            params["W1"] = rng.standard_normal((n_in, n_hidden)) * (2 / n_in) ** 0.5
            params["b1"] = np.zeros((n_hidden,))
            params["W2"] = rng.standard_normal((n_hidden, n_out)) * (1 / n_hidden) ** 0.5
            params["b2"] = np.zeros((n_out,))
            return params
    '''),
    bug("init_params", "init_params_w2_first",
        "Draws W2 before W1: the same numbers land in the other matrix.", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden)
            W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_params_he_both",
        "Scales W2 by sqrt(2 / n_hidden) (He for both layers) instead of sqrt(1 / n_hidden).", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)
            W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(2 / n_hidden)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_params_no_sqrt",
        "Forgets the square root: multiplies by 2 / n_in and 1 / n_hidden (variances) instead of their square roots.", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.standard_normal((n_in, n_hidden)) * 2 / n_in
            W2 = rng.standard_normal((n_hidden, n_out)) * 1 / n_hidden
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_params_uniform",
        "Draws with rng.random (uniform on [0, 1)) instead of rng.standard_normal.", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.random((n_in, n_hidden)) * np.sqrt(2 / n_in)
            W2 = rng.random((n_hidden, n_out)) * np.sqrt(1 / n_hidden)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_params_transposed",
        "Gives the weight matrices the shapes (n_hidden, n_in) and (n_out, n_hidden), transposed.", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.standard_normal((n_hidden, n_in)) * np.sqrt(2 / n_in)
            W2 = rng.standard_normal((n_out, n_hidden)) * np.sqrt(1 / n_hidden)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_params_global_randn",
        "Ignores the rng argument and draws from numpy's global generator (np.random.randn).", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = np.random.randn(n_in, n_hidden) * np.sqrt(2 / n_in)
            W2 = np.random.randn(n_hidden, n_out) * np.sqrt(1 / n_hidden)
            return {"W1": W1, "b1": np.zeros(n_hidden), "W2": W2, "b2": np.zeros(n_out)}
    '''),
    bug("init_params", "init_params_bias_row",
        "Makes the biases 2-D rows, shapes (1, n_hidden) and (1, n_out), instead of 1-D vectors.", '''
        def init_params(n_in, n_hidden, n_out, rng):
            W1 = rng.standard_normal((n_in, n_hidden)) * np.sqrt(2 / n_in)
            W2 = rng.standard_normal((n_hidden, n_out)) * np.sqrt(1 / n_hidden)
            return {"W1": W1, "b1": np.zeros((1, n_hidden)), "W2": W2, "b2": np.zeros((1, n_out))}
    '''),

    # ---------------------------------------------------------------- forward
    correct("forward", "forward_given_helpers", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = relu(Z1)
            Z2 = A1 @ params["W2"] + params["b2"]
            P = softmax(Z2)
            cache = {"Z1": Z1, "A1": A1, "Z2": Z2}
            return P, cache
    '''),
    correct("forward", "forward_einsum", '''
        def forward(X, params):
            W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
            Z1 = np.einsum("mn,nh->mh", X, W1) + b1
            A1 = np.clip(Z1, 0, None)
            Z2 = np.einsum("mh,hk->mk", A1, W2) + b2
            shifted = Z2 - Z2.max(axis=1, keepdims=True)
            P = np.exp(shifted)
            P /= P.sum(axis=1, keepdims=True)
            return P, dict(Z1=Z1, A1=A1, Z2=Z2)
    '''),
    bug("forward", "forward_no_relu",
        "Forgets the activation: A1 = Z1, so the network is linear.", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = Z1
            Z2 = A1 @ params["W2"] + params["b2"]
            P = softmax(Z2)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    bug("forward", "forward_softmax_unshifted",
        "Writes its own softmax without subtracting the largest score: exp overflows on large scores (nan).", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ params["W2"] + params["b2"]
            E = np.exp(Z2)
            P = E / E.sum(axis=1, keepdims=True)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    bug("forward", "forward_softmax_columns",
        "Normalises the softmax over axis 0 (over the samples, per class) instead of over the classes of each sample.", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ params["W2"] + params["b2"]
            E = np.exp(Z2 - Z2.max(axis=0))
            P = E / E.sum(axis=0)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    bug("forward", "forward_relu_inplace_cache",
        "Applies the relu to Z1 in place, so the cache's Z1 is A1 (its negative entries are lost).", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = Z1
            A1[A1 < 0] = 0
            Z2 = A1 @ params["W2"] + params["b2"]
            P = softmax(Z2)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    bug("forward", "forward_softmax_no_keepdims",
        "Divides by the row sums without keepdims: the (m,) sums broadcast along the classes axis "
        "(an error, or a wrong division when m equals k).", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = np.maximum(Z1, 0)
            Z2 = A1 @ params["W2"] + params["b2"]
            E = np.exp(Z2 - Z2.max())
            P = E / E.sum(axis=1)
            return P, {"Z1": Z1, "A1": A1, "Z2": Z2}
    '''),
    bug("forward", "forward_cache_holds_P",
        "Stores the probabilities P under the key Z2 in the cache instead of the scores Z2.", '''
        def forward(X, params):
            Z1 = X @ params["W1"] + params["b1"]
            A1 = relu(Z1)
            P = softmax(A1 @ params["W2"] + params["b2"])
            return P, {"Z1": Z1, "A1": A1, "Z2": P}
    '''),

    # ---------------------------------------------------------------- backward
    correct("backward", "backward_given_helpers", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            P = softmax(cache["Z2"])
            dZ2 = (P - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = dZ2.sum(axis=0)
            dA1 = dZ2 @ params["W2"].T
            dZ1 = dA1 * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    correct("backward", "backward_per_sample_loop", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            W2 = params["W2"]
            grads = {"dW1": np.zeros_like(params["W1"], dtype=float), "db1": np.zeros(W2.shape[0]),
                     "dW2": np.zeros_like(W2, dtype=float), "db2": np.zeros(W2.shape[1])}
            for i in range(m):
                z2 = cache["Z2"][i]
                p = np.exp(z2 - z2.max())
                p = p / p.sum()
                dz2 = p - Y[i]
                grads["dW2"] += np.outer(cache["A1"][i], dz2)
                grads["db2"] += dz2
                dz1 = (W2 @ dz2) * (cache["Z1"][i] > 0)
                grads["dW1"] += np.outer(X[i], dz1)
                grads["db1"] += dz1
            return {name: value / m for name, value in grads.items()}
    '''),
    correct("backward", "backward_einsum_recompute", '''
        def backward(X, Y, params, cache):
            P, _ = forward(X, params)
            m = len(X)
            d2 = (P - Y) / m
            dW2 = np.einsum("mh,mk->hk", cache["A1"], d2)
            d1 = np.einsum("mk,hk->mh", d2, params["W2"]) * np.where(cache["Z1"] > 0, 1.0, 0.0)
            dW1 = np.einsum("mn,mh->nh", X, d1)
            return {"dW1": dW1, "db1": d1.sum(0), "dW2": dW2, "db2": d2.sum(0)}
    '''),
    correct("backward", "backward_mask_from_A1", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = softmax(cache["Z2"]) - Y
            dW2 = cache["A1"].T @ dZ2 / m
            db2 = np.mean(dZ2, axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * (cache["A1"] > 0)
            dW1 = X.T @ dZ1 / m
            db1 = np.mean(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_no_relu_derivative",
        "Forgets the relu derivative: the hidden-layer error is dZ2 @ W2.T without the mask of Z1 > 0.", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = dZ2.sum(axis=0)
            dZ1 = dZ2 @ params["W2"].T
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_slope_one_at_zero",
        "Masks with Z1 >= 0: a hidden unit with Z1 exactly 0 passes its gradient (slope 1 at 0, where it is 0).", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * (cache["Z1"] >= 0)
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_no_mean",
        "Forgets to divide by m: gives the gradient of the summed cross-entropy, m times too large.", '''
        def backward(X, Y, params, cache):
            dZ2 = softmax(cache["Z2"]) - Y
            dW2 = cache["A1"].T @ dZ2
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_mean_only_output_layer",
        "Divides by m in the output layer only: dW1 and db1 are m times too large (dW2, db2 are right).", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = softmax(cache["Z2"]) - Y
            dW2 = cache["A1"].T @ dZ2 / m
            db2 = dZ2.sum(axis=0) / m
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_bias_sum_axis1",
        "Sums the bias gradients over axis 1 (the units) instead of axis 0 (the samples): db1, db2 get shape (m,).", '''
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
    bug("backward", "backward_bias_mean_twice",
        "Takes np.mean of dZ that was already divided by m: the bias gradients are divided by m twice.", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = np.mean(dZ2, axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = np.mean(dZ1, axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_w2_not_transposed",
        "Sends the error back through W2 instead of W2.T (dZ2 @ W2): wrong shape, or wrong values when h equals k.", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"]) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_dW_transposed",
        "Computes dZ.T @ input instead of input.T @ dZ: dW1 and dW2 come out transposed, (h, n) and (k, h).", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = dZ2.T @ cache["A1"]
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = dZ1.T @ X
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_times_activation",
        "Multiplies the hidden error by A1 (the relu's value) instead of by the relu's derivative.", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * cache["A1"]
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_sign_flipped",
        "Uses Y - P instead of P - Y for the output error: every gradient has the wrong sign.", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (Y - softmax(cache["Z2"])) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = dZ2.sum(axis=0)
            dZ1 = (dZ2 @ params["W2"].T) * relu_derivative(cache["Z1"])
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),
    bug("backward", "backward_masks_cache_in_place",
        "Zeroes the hidden error in place through the cache's A1 (dZ1 = A1; dZ1[...] = ...): overwrites the cache "
        "it was given.", '''
        def backward(X, Y, params, cache):
            m = X.shape[0]
            dZ2 = (softmax(cache["Z2"]) - Y) / m
            dW2 = cache["A1"].T @ dZ2
            db2 = dZ2.sum(axis=0)
            dZ1 = cache["A1"]
            dZ1[:] = dZ2 @ params["W2"].T
            dZ1[cache["Z1"] <= 0] = 0.0
            dW1 = X.T @ dZ1
            db1 = dZ1.sum(axis=0)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    '''),

    # ---------------------------------------------------------------- predict_mlp
    correct("predict_mlp", "predict_mlp_via_forward", '''
        def predict_mlp(X, params):
            P, _ = forward(X, params)
            return np.argmax(P, axis=1)
    '''),
    correct("predict_mlp", "predict_mlp_row_loop", '''
        def predict_mlp(X, params):
            P = forward(X, params)[0]
            labels = []
            for row in P:
                labels.append(int(np.argmax(row)))
            return np.array(labels, dtype=int)
    '''),
    bug("predict_mlp", "predict_mlp_argmax_axis0",
        "Takes the argmax over axis 0 (over the samples) instead of over the classes of each sample.", '''
        def predict_mlp(X, params):
            P, _ = forward(X, params)
            return np.argmax(P, axis=0)
    '''),
    bug("predict_mlp", "predict_mlp_no_relu",
        "Recomputes the scores without the relu on the hidden layer.", '''
        def predict_mlp(X, params):
            Z2 = (X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
            return np.argmax(Z2, axis=1)
    '''),
    bug("predict_mlp", "predict_mlp_max_probability",
        "Returns the largest probability of each sample (np.max) instead of its class (np.argmax).", '''
        def predict_mlp(X, params):
            P, _ = forward(X, params)
            return np.max(P, axis=1)
    '''),
    bug("predict_mlp", "predict_mlp_binary_threshold",
        "Thresholds the probability of class 1 at 0.5, which only works for two classes.", '''
        def predict_mlp(X, params):
            P, _ = forward(X, params)
            return (P[:, 1] > 0.5).astype(int)
    '''),

    # ---------------------------------------------------------------- train_mlp
    correct("train_mlp", "train_mlp_helpers", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for epoch in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), float(np.mean(predict_mlp(X, params) == y))))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[i:i + batch_size] for i in range(0, m, batch_size)]
                for idx in batches:
                    _, cache = forward(X[idx], params)
                    grads = backward(X[idx], Y[idx], params, cache)
                    params = {name: params[name] - lr * grads["d" + name] for name in params}
            return params, history
    '''),
    correct("train_mlp", "train_mlp_while_batches", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            params = init_params(X.shape[1], hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            m = len(y)
            size = m if batch_size is None else batch_size
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                loss = cross_entropy_loss(Y, P)
                acc = np.mean(np.argmax(P, axis=1) == y)
                history.append((loss, acc))
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                start = 0
                while start < m:
                    rows = order[start:start + size]
                    _, cache = forward(X[rows], params)
                    g = backward(X[rows], Y[rows], params, cache)
                    for key in ("W1", "b1", "W2", "b2"):
                        params[key] = params[key] - lr * g["d" + key]
                    start += size
            return params, history
    '''),
    correct("train_mlp", "train_mlp_shuffle_arange", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(P.argmax(axis=1) == y)))
                if batch_size is None:
                    _, cache = forward(X, params)
                    grads = backward(X, Y, params, cache)
                    for k in params:
                        params[k] = params[k] - lr * grads["d" + k]
                    continue
                idx = np.arange(m)
                rng.shuffle(idx)
                for s in range(0, m, batch_size):
                    b = idx[s:s + batch_size]
                    _, cache = forward(X[b], params)
                    grads = backward(X[b], Y[b], params, cache)
                    for k in params:
                        params[k] = params[k] - lr * grads["d" + k]
            return params, history
    '''),
    bug("train_mlp", "train_mlp_history_after_step",
        "Records (loss, accuracy) after the epoch's steps instead of at its start.", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for s in range(0, m, size):
                    rows = order[s:s + size]
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(np.argmax(P, axis=1) == y)))
            return params, history
    '''),
    bug("train_mlp", "train_mlp_new_rng_each_epoch",
        "Creates a new default_rng(seed) every epoch for the permutation: every epoch visits the samples in the "
        "same order (and not the order that follows the initialisation draws).", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(np.argmax(P, axis=1) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = np.random.default_rng(seed).permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
            return params, history
    '''),
    bug("train_mlp", "train_mlp_two_generators",
        "Uses one default_rng(seed) for the initial weights and a second default_rng(seed) for the permutations: "
        "the orders are not drawn from the same rng after the initialisation.", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            m, n = X.shape
            params = init_params(n, hidden, num_classes, np.random.default_rng(seed))
            shuffler = np.random.default_rng(seed)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(np.argmax(P, axis=1) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = shuffler.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
            return params, history
    '''),
    bug("train_mlp", "train_mlp_history_on_last_batch",
        "Records the loss and accuracy of the last mini-batch of the epoch (from that batch's forward pass, before "
        "its step) instead of the full training set at the start of the epoch.", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                order = np.arange(m) if batch_size is None else rng.permutation(m)
                size = m if batch_size is None else batch_size
                for s in range(0, m, size):
                    rows = order[s:s + size]
                    P, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
                loss = cross_entropy_loss(Y[rows], P)
                acc = np.mean(np.argmax(P, axis=1) == y[rows])
                history.append((loss, acc))
            return params, history
    '''),
    bug("train_mlp", "train_mlp_permutation_per_batch",
        "Draws a new permutation for every batch instead of one per epoch: batches overlap and miss samples.", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            size = m if batch_size is None else batch_size
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(np.argmax(P, axis=1) == y)))
                for s in range(0, m, size):
                    rows = np.arange(m)[s:s + size] if batch_size is None else rng.permutation(m)[s:s + size]
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
            return params, history
    '''),
    bug("train_mlp", "train_mlp_drops_last_batch",
        "Stops the batch loop at m - batch_size: the last, smaller batch is skipped.", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(np.argmax(P, axis=1) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m - batch_size + 1, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
            return params, history
    '''),
    bug("train_mlp", "train_mlp_batches_with_replacement",
        "Draws each batch with rng.choice(m, batch_size) (with replacement) instead of slicing one permutation.", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(np.argmax(P, axis=1) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    batches = [rng.choice(m, batch_size) for _ in range(int(np.ceil(m / batch_size)))]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
            return params, history
    '''),
    bug("train_mlp", "train_mlp_history_accuracy_first",
        "Appends (accuracy, loss) instead of (loss, accuracy).", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((np.mean(np.argmax(P, axis=1) == y), cross_entropy_loss(Y, P)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
            return params, history
    '''),
    bug("train_mlp", "train_mlp_init_args_swapped",
        "Calls init_params(n, num_classes, hidden, rng): the hidden size and the number of classes are swapped.", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, num_classes, hidden, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(np.argmax(P, axis=1) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] - lr * grads["d" + k] for k in params}
            return params, history
    '''),
    bug("train_mlp", "train_mlp_gradient_ascent",
        "Adds lr times the gradient to each parameter instead of subtracting it.", '''
        def train_mlp(X, y, *, hidden, num_classes, lr, epochs, batch_size=None, seed=0):
            rng = np.random.default_rng(seed)
            m, n = X.shape
            params = init_params(n, hidden, num_classes, rng)
            Y = one_hot(y, num_classes)
            history = []
            for _ in range(epochs):
                P, _ = forward(X, params)
                history.append((cross_entropy_loss(Y, P), np.mean(np.argmax(P, axis=1) == y)))
                if batch_size is None:
                    batches = [np.arange(m)]
                else:
                    order = rng.permutation(m)
                    batches = [order[s:s + batch_size] for s in range(0, m, batch_size)]
                for rows in batches:
                    _, cache = forward(X[rows], params)
                    grads = backward(X[rows], Y[rows], params, cache)
                    params = {k: params[k] + lr * grads["d" + k] for k in params}
            return params, history
    '''),
]
