"""Set 5, lab 2 (binary classification): first attempts as students write them.

Every cause was written with the code, before the entry was graded.
"""
from . import bug, correct, partial

ENTRIES = [
    # ------------------------------------------------------------------ sigmoid
    bug("sigmoid", "sigmoid_textbook",
        "overflows: RuntimeWarning. The textbook 1 / (1 + np.exp(-z)) computes np.exp(1000) for "
        "z = -1000; the notebook asks for a sigmoid that never overflows", '''
        def sigmoid(z):
            return 1 / (1 + np.exp(-z))
    '''),
    partial("sigmoid", "sigmoid_where_both_branches",
            "overflows: RuntimeWarning. np.where evaluates both formulas on every entry, so np.exp "
            "overflows (and inf/inf gives nan in the discarded branch) even though the selected "
            "values are right", '''
        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            out = np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
            return float(out) if out.ndim == 0 else out
    '''),
    bug("sigmoid", "sigmoid_exp_ratio",
        "uses e^z / (1 + e^z) on both sides of zero: for large positive z it is inf / inf = nan "
        "(with an overflow warning)", '''
        def sigmoid(z):
            e = np.exp(z)
            return e / (1 + e)
    '''),
    bug("sigmoid", "sigmoid_math_exp",
        "uses math.exp, which only takes one number: arrays raise a TypeError, and z = -1000 "
        "raises OverflowError", '''
        import math

        def sigmoid(z):
            return 1 / (1 + math.exp(-z))
    '''),
    bug("sigmoid", "sigmoid_empty_like_int",
        "np.empty_like(z) keeps an integer input's dtype: the probabilities are truncated to "
        "integers (0 or 1) for an integer array", '''
        def sigmoid(z):
            z = np.asarray(z)
            out = np.empty_like(z)
            pos = z >= 0
            out[pos] = 1 / (1 + np.exp(-z[pos]))
            e = np.exp(z[~pos])
            out[~pos] = e / (1 + e)
            return out
    '''),
    bug("sigmoid", "sigmoid_overwrites_input",
        "writes the results into z itself (np.asarray does not copy a float array): the caller's "
        "array is modified in place", '''
        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            neg = z < 0
            e = np.exp(-np.abs(z))
            z[~neg] = 1 / (1 + e[~neg])
            z[neg] = e[neg] / (1 + e[neg])
            return float(z) if z.ndim == 0 else z
    '''),
    correct("sigmoid", "sigmoid_expit", '''
        from scipy.special import expit

        def sigmoid(z):
            return expit(z)
    '''),
    correct("sigmoid", "sigmoid_tanh", '''
        def sigmoid(z):
            # sigma(z) = (1 + tanh(z / 2)) / 2, and tanh never overflows
            return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
    '''),
    correct("sigmoid", "sigmoid_logaddexp", '''
        def sigmoid(z):
            # 1 / (1 + e^-z) = exp(-log(1 + e^-z)) = exp(-logaddexp(0, -z))
            return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))
    '''),
    correct("sigmoid", "sigmoid_clipped", '''
        def sigmoid(z):
            z = np.clip(z, -500, 500)      # np.exp(500) is still a finite float
            return 1.0 / (1.0 + np.exp(-z))
    '''),

    # ------------------------------------------------------------------ bce_loss
    correct("bce_loss", "bce_two_means", '''
        def bce_loss(y, p_hat):
            return float(-np.mean(y * np.log(p_hat)) - np.mean((1 - y) * np.log(1 - p_hat)))
    '''),
    correct("bce_loss", "bce_where", '''
        def bce_loss(y, p_hat):
            y = np.asarray(y)
            p_hat = np.asarray(p_hat, dtype=float)
            losses = np.where(y == 1, -np.log(p_hat), -np.log(1 - p_hat))
            return float(np.mean(losses))
    '''),
    correct("bce_loss", "bce_xlogy", '''
        from scipy.special import xlogy, xlog1py

        def bce_loss(y, p_hat):
            return float(-np.mean(xlogy(y, p_hat) + xlog1py(1 - y, -p_hat)))
    '''),
    correct("bce_loss", "bce_clip_eps", '''
        def bce_loss(y, p_hat):
            eps = 1e-15
            p = np.clip(p_hat, eps, 1 - eps)
            return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    '''),
    correct("bce_loss", "bce_log1p_loop", '''
        def bce_loss(y, p_hat):
            total = 0.0
            for yi, pi in zip(y, p_hat):
                total += -(yi * np.log(pi) + (1 - yi) * np.log1p(-pi))
            return float(total / len(y))
    '''),
    bug("bce_loss", "bce_sum",
        "sums the per-sample losses instead of averaging them: m times too large", '''
        def bce_loss(y, p_hat):
            return float(-np.sum(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat)))
    '''),
    bug("bce_loss", "bce_no_minus",
        "forgets the minus sign: the loss is negative", '''
        def bce_loss(y, p_hat):
            return float(np.mean(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat)))
    '''),
    bug("bce_loss", "bce_log10",
        "uses the base-10 logarithm instead of the natural log: every loss is ln(10) times too small", '''
        def bce_loss(y, p_hat):
            return float(-np.mean(y * np.log10(p_hat) + (1 - y) * np.log10(1 - p_hat)))
    '''),
    bug("bce_loss", "bce_second_term_log_p",
        "typo in the second term: (1 - y) * ln(p_hat) instead of (1 - y) * ln(1 - p_hat)", '''
        def bce_loss(y, p_hat):
            return float(-np.mean(y * np.log(p_hat) + (1 - y) * np.log(p_hat)))
    '''),
    bug("bce_loss", "bce_terms_swapped",
        "pairs the labels with the wrong probabilities: y * ln(1 - p_hat) + (1 - y) * ln(p_hat), "
        "the loss of the opposite labels", '''
        def bce_loss(y, p_hat):
            return float(-np.mean(y * np.log(1 - p_hat) + (1 - y) * np.log(p_hat)))
    '''),

    # ------------------------------------------------------------------ bce_dloss_dphat
    correct("bce_dloss_dphat", "dphat_one_fraction", '''
        def bce_dloss_dphat(y, p_hat):
            # (1 - y) / (1 - p) - y / p over a common denominator
            return (p_hat - y) / (p_hat * (1 - p_hat))
    '''),
    bug("bce_dloss_dphat", "dphat_sign",
        "sign error: y / p_hat - (1 - y) / (1 - p_hat), the derivative of +(y ln p + (1-y) ln(1-p)), "
        "forgetting the loss's minus sign", '''
        def bce_dloss_dphat(y, p_hat):
            return y / p_hat - (1 - y) / (1 - p_hat)
    '''),
    bug("bce_dloss_dphat", "dphat_mean",
        "averages over the samples: returns one number instead of the elementwise derivative", '''
        def bce_dloss_dphat(y, p_hat):
            return float(np.mean((1 - y) / (1 - p_hat) - y / p_hat))
    '''),
    bug("bce_dloss_dphat", "dphat_is_dz",
        "returns p_hat - y, the derivative with respect to z (both chain-rule factors at once), "
        "not the derivative with respect to p_hat", '''
        def bce_dloss_dphat(y, p_hat):
            return p_hat - y
    '''),
    bug("bce_dloss_dphat", "dphat_precedence",
        "missing parentheses: 1 - y / (1 - p_hat) - y / p_hat instead of (1 - y) / (1 - p_hat) - y / p_hat", '''
        def bce_dloss_dphat(y, p_hat):
            return 1 - y / (1 - p_hat) - y / p_hat
    '''),

    # ------------------------------------------------------------------ sigmoid_derivative
    correct("sigmoid_derivative", "sigd_minus_square", '''
        def sigmoid_derivative(p_hat):
            return p_hat - p_hat ** 2
    '''),
    bug("sigmoid_derivative", "sigd_applies_sigmoid_again",
        "treats its argument as the score z: applies the sigmoid to p_hat again before s(1 - s)", '''
        def sigmoid_derivative(p_hat):
            s = 1 / (1 + np.exp(-p_hat))
            return s * (1 - s)
    '''),
    bug("sigmoid_derivative", "sigd_in_place",
        "`p_hat *= 1 - p_hat` overwrites the caller's array in place (right values)", '''
        def sigmoid_derivative(p_hat):
            p_hat *= 1 - p_hat
            return p_hat
    '''),
    bug("sigmoid_derivative", "sigd_sign",
        "sign slip: p_hat * (p_hat - 1) instead of p_hat * (1 - p_hat)", '''
        def sigmoid_derivative(p_hat):
            return p_hat * (p_hat - 1)
    '''),

    # ------------------------------------------------------------------ bce_gradients
    correct("bce_gradients", "bceg_own_sigmoid", '''
        def bce_gradients(X, y, W, b):
            p = sigmoid(X @ W + b)
            err = p - y
            return X.T @ err / len(y), float(np.mean(err))
    '''),
    correct("bce_gradients", "bceg_einsum", '''
        def bce_gradients(X, y, W, b):
            m = X.shape[0]
            delta = sigmoid(np.einsum("ij,j->i", X, W) + b) - y
            dW = np.einsum("ij,i->j", X, delta) / m
            db = float(np.einsum("i->", delta) / m)
            return dW, db
    '''),
    correct("bce_gradients", "bceg_sample_loop", '''
        def bce_gradients(X, y, W, b):
            m, n = X.shape
            dW = np.zeros(n)
            db = 0.0
            for i in range(m):
                p = sigmoid(float(X[i] @ W + b))
                dW += (p - y[i]) * X[i]
                db += p - y[i]
            return dW / m, float(db / m)
    '''),
    correct("bce_gradients", "bceg_expit_broadcast", '''
        from scipy.special import expit

        def bce_gradients(X, y, W, b):
            err = expit(X.dot(W) + b) - y
            dW = np.mean(X * err[:, None], axis=0)
            db = float(err.mean())
            return dW, db
    '''),
    bug("bce_gradients", "bceg_summed",
        "gradient of the summed loss: never divides by m", '''
        def bce_gradients(X, y, W, b):
            err = sigmoid(X @ W + b) - y
            return X.T @ err, float(np.sum(err))
    '''),
    bug("bce_gradients", "bceg_sign",
        "sign error: uses y - p_hat instead of p_hat - y, so the gradient points uphill", '''
        def bce_gradients(X, y, W, b):
            m = len(y)
            err = y - sigmoid(X @ W + b)
            return X.T @ err / m, float(np.sum(err) / m)
    '''),
    bug("bce_gradients", "bceg_first_factor_sign",
        "sign error inside one factor of the chain rule: dL/dp_hat written as y/p - (1-y)/(1-p); "
        "the product with p(1-p) then gives y - p_hat", '''
        def bce_gradients(X, y, W, b):
            m = X.shape[0]
            p = sigmoid(X @ W + b)
            dL_dp = y / p - (1 - y) / (1 - p)
            dp_dz = p * (1 - p)
            delta = dL_dp * dp_dz
            return X.T @ delta / m, float(np.sum(delta) / m)
    '''),
    partial("bce_gradients", "bceg_product_of_factors",
            "multiplies the two factors numerically (dL/dp_hat times p_hat(1 - p_hat)) instead of "
            "simplifying to p_hat - y: right for moderate scores, but where p_hat rounds to 0 or 1 "
            "it divides by zero and the gradient is nan", '''
        def bce_gradients(X, y, W, b):
            m = X.shape[0]
            p = sigmoid(X @ W + b)
            delta = bce_dloss_dphat(y, p) * sigmoid_derivative(p)
            return X.T @ delta / m, float(np.mean(delta))
    '''),
    bug("bce_gradients", "bceg_no_sigmoid",
        "forgets the sigmoid: uses the score z - y as the error instead of p_hat - y", '''
        def bce_gradients(X, y, W, b):
            z = X @ W + b
            err = z - y
            return X.T @ err / len(y), float(np.mean(err))
    '''),
    bug("bce_gradients", "bceg_no_new_axis",
        "multiplies X (m, n) by the error (m,) without err[:, None]: numpy lines the error up with "
        "the features, not the samples (a broadcasting error, or a wrong product when n == m)", '''
        def bce_gradients(X, y, W, b):
            err = sigmoid(X @ W + b) - y
            dW = np.mean(X * err, axis=0)
            return dW, float(np.mean(err))
    '''),
    bug("bce_gradients", "bceg_mean_axis1",
        "averages over the wrong axis (axis=1, the features): dW has one value per sample, shape (m,)", '''
        def bce_gradients(X, y, W, b):
            err = sigmoid(X @ W + b) - y
            dW = np.mean(X * err[:, None], axis=1)
            return dW, float(np.mean(err))
    '''),
    bug("bce_gradients", "bceg_db_array",
        "keepdims=True: db is an array of shape (1,) instead of a float", '''
        def bce_gradients(X, y, W, b):
            m = X.shape[0]
            err = sigmoid(X @ W + b) - y
            return X.T @ err / m, np.sum(err, keepdims=True) / m
    '''),
    bug("bce_gradients", "bceg_divide_by_n",
        "divides by the number of features n (X.shape[1]) instead of the number of samples m", '''
        def bce_gradients(X, y, W, b):
            err = sigmoid(X @ W + b) - y
            n = X.shape[1]
            return X.T @ err / n, float(np.sum(err) / n)
    '''),
    bug("bce_gradients", "bceg_squared_error_chain",
        "uses the squared-error chain from lab 1, (p_hat - y) * p_hat(1 - p_hat), instead of the "
        "cross-entropy's p_hat - y: the gradient of another loss", '''
        def bce_gradients(X, y, W, b):
            m = X.shape[0]
            p = sigmoid(X @ W + b)
            delta = (p - y) * p * (1 - p)
            return X.T @ delta / m, float(np.sum(delta) / m)
    '''),

    # ------------------------------------------------------------------ predict_proba
    correct("predict_proba", "proba_own_sigmoid", '''
        def predict_proba(X, W, b):
            return sigmoid(np.dot(X, W) + b)
    '''),
    correct("predict_proba", "proba_expit", '''
        from scipy.special import expit

        def predict_proba(X, W, b):
            return expit(X @ W + b)
    '''),
    bug("predict_proba", "proba_bias_outside",
        "adds the bias after the sigmoid: sigmoid(X @ W) + b instead of sigmoid(X @ W + b)", '''
        def predict_proba(X, W, b):
            return sigmoid(X @ W) + b
    '''),
    bug("predict_proba", "proba_rounded",
        "rounds the probabilities: returns 0/1 labels instead of probabilities", '''
        def predict_proba(X, W, b):
            return np.round(sigmoid(X @ W + b))
    '''),
    bug("predict_proba", "proba_exp_ratio",
        "inlines e^z / (1 + e^z): for large positive scores this is inf / inf = nan", '''
        def predict_proba(X, W, b):
            e = np.exp(X @ W + b)
            return e / (1 + e)
    '''),

    # ------------------------------------------------------------------ predict
    correct("predict", "pred_list_comprehension", '''
        def predict(X, W, b, threshold=0.5):
            probabilities = predict_proba(X, W, b)
            return np.array([1 if p > threshold else 0 for p in probabilities])
    '''),
    correct("predict", "pred_np_where", '''
        def predict(X, W, b, threshold=0.5):
            return np.where(predict_proba(X, W, b) > threshold, 1, 0)
    '''),
    bug("predict", "pred_ge",
        "uses >= instead of >: a probability exactly at the threshold is labelled 1", '''
        def predict(X, W, b, threshold=0.5):
            return (predict_proba(X, W, b) >= threshold).astype(int)
    '''),
    bug("predict", "pred_bool",
        "returns the boolean comparison itself: a bool array, not integer labels", '''
        def predict(X, W, b, threshold=0.5):
            return predict_proba(X, W, b) > threshold
    '''),
    bug("predict", "pred_float_labels",
        "np.where(..., 1.0, 0.0) gives float labels instead of integers", '''
        def predict(X, W, b, threshold=0.5):
            return np.where(predict_proba(X, W, b) > threshold, 1.0, 0.0)
    '''),
    partial("predict", "pred_ignores_threshold",
            "hard-codes 0.5 and ignores the threshold argument: right only for the default threshold", '''
        def predict(X, W, b, threshold=0.5):
            return (predict_proba(X, W, b) > 0.5).astype(int)
    '''),
    bug("predict", "pred_score_vs_threshold",
        "compares the score z = X @ W + b with the threshold instead of the probability sigmoid(z)", '''
        def predict(X, W, b, threshold=0.5):
            z = X @ W + b
            return (z > threshold).astype(int)
    '''),
    bug("predict", "pred_no_default_threshold",
        "drops the default value of threshold: predict(X, W, b) raises a TypeError", '''
        def predict(X, W, b, threshold):
            return (predict_proba(X, W, b) > threshold).astype(int)
    '''),

    # ------------------------------------------------------------------ accuracy
    correct("accuracy", "acc_count_nonzero", '''
        def accuracy(y_true, y_pred):
            y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
            return np.count_nonzero(y_true == y_pred) / y_true.size
    '''),
    correct("accuracy", "acc_sklearn", '''
        from sklearn.metrics import accuracy_score

        def accuracy(y_true, y_pred):
            return float(accuracy_score(y_true, y_pred))
    '''),
    correct("accuracy", "acc_loop", '''
        def accuracy(y_true, y_pred):
            right = 0
            for a, b in zip(y_true, y_pred):
                if a == b:
                    right += 1
            return right / len(y_true)
    '''),
    bug("accuracy", "acc_count",
        "returns the number of correct predictions, not the fraction", '''
        def accuracy(y_true, y_pred):
            return int(np.sum(y_true == y_pred))
    '''),
    bug("accuracy", "acc_percent",
        "returns a percentage (0 to 100) instead of a fraction", '''
        def accuracy(y_true, y_pred):
            return float(np.mean(y_true == y_pred) * 100)
    '''),
    bug("accuracy", "acc_floor_division",
        "integer division //: the result is 0 unless every prediction is right", '''
        def accuracy(y_true, y_pred):
            return np.sum(y_true == y_pred) // len(y_true)
    '''),
    bug("accuracy", "acc_error_rate",
        "computes the fraction of wrong predictions (!=), the error rate", '''
        def accuracy(y_true, y_pred):
            return float(np.mean(y_true != y_pred))
    '''),

    # ------------------------------------------------------------------ train_logistic_regression
    correct("train_logistic_regression", "trainlr_own_functions", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                loss = bce_loss(y, p_hat)
                acc = accuracy(y, predict(X, W, b))
                history.append((loss, acc))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    correct("train_logistic_regression", "trainlr_uniform_round", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.uniform(-0.5, 0.5, size=n)      # the same draws as rng.random(n) - 0.5
            b = rng.uniform(-0.5, 0.5)
            history = []
            for _ in range(epochs):
                p = sigmoid(X @ W + b)
                loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
                acc = np.mean(np.round(p) == y)      # round(0.5) is 0, so this is p > 0.5
                history.append((float(loss), float(acc)))
                delta = p - y
                W = W - lr * (X.T @ delta) / m
                b = b - lr * np.mean(delta)
            return W, float(b), history
    '''),
    correct("train_logistic_regression", "trainlr_expit_log1p", '''
        from scipy.special import expit

        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            n = X.shape[1]
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for _ in range(epochs):
                p = expit(X.dot(W) + b)
                loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))
                history.append((loss, float(np.mean((p > 0.5).astype(int) == y))))
                dW = np.mean(X * (p - y)[:, None], axis=0)
                db = np.mean(p - y)
                W, b = W - lr * dW, b - lr * db
            return W, float(b), history
    '''),
    bug("train_logistic_regression", "trainlr_history_after_step",
        "records (loss, accuracy) after the step instead of before it: history is one epoch late", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_not_centred",
        "forgets the - 0.5: starts from rng.random(n) and rng.random(), in [0, 1) instead of [-0.5, 0.5)", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n)
            b = rng.random()
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_bias_drawn_first",
        "draws b before W: both start values come from the wrong positions of the random stream", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            b = rng.random() - 0.5
            W = rng.random(n) - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_legacy_seed",
        "uses the legacy global generator (np.random.seed, np.random.rand) instead of "
        "np.random.default_rng(seed): different start values", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            np.random.seed(seed)
            W = np.random.rand(n) - 0.5
            b = np.random.rand() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_history_loss_only",
        "appends only the loss to history instead of the pair (loss, accuracy)", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                history.append(bce_loss(y, predict_proba(X, W, b)))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_pair_swapped",
        "appends (accuracy, loss) instead of (loss, accuracy)", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((accuracy(y, predict(X, W, b)), bce_loss(y, p_hat)))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_gradient_ascent",
        "sign error in the step: W + lr * dW climbs the loss", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W = W + lr * dW
                b = b + lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_column_weights",
        "starts W as a column (n, 1): X @ W is (m, 1), and p - y broadcasts to an (m, m) matrix, "
        "so the loss, the gradient and W's shape are all wrong", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random((n, 1)) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                p = sigmoid(X @ W + b)
                loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
                acc = np.mean((p > 0.5).astype(int) == y)
                history.append((float(loss), float(acc)))
                dW = X.T @ (p - y) / m
                db = np.mean(p - y)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_one_epoch_short",
        "off by one: range(epochs - 1) trains one epoch too few and history is one entry short", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs - 1):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_standardises_in_place",
        "standardises X in place before training: the caller's X is modified and the model is "
        "trained on other features than the ones given", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            X -= X.mean(axis=0)
            X /= X.std(axis=0)
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_accuracy_percent",
        "records the accuracy as a percentage (0 to 100) instead of a fraction", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), 100 * accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    '''),
    bug("train_logistic_regression", "trainlr_accuracy_after_step",
        "the loss is recorded before the step but the accuracy after it: the pair mixes two "
        "different parameter values", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                loss = bce_loss(y, predict_proba(X, W, b))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
                history.append((loss, accuracy(y, predict(X, W, b))))
            return W, b, history
    '''),
    partial("train_logistic_regression", "trainlr_bias_array",
            "draws the bias as rng.random(1) - 0.5 (the same number, in a (1,) array): the "
            "trajectory is right but b comes back as an array of shape (1,) instead of a float", '''
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random(1) - 0.5
            history = []
            for epoch in range(epochs):
                p = sigmoid(X @ W + b)
                loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
                acc = np.mean((p > 0.5) == y)
                history.append((float(loss), float(acc)))
                W = W - lr * X.T @ (p - y) / m
                b = b - lr * np.mean(p - y)
            return W, b, history
    '''),
]
