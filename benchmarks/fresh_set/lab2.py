"""Fresh entries for lab2_binary_classification: one graded function each, as a student writes it."""
from . import bug, correct, partial

ENTRIES = [
    # ---- sigmoid -------------------------------------------------------------------------
    correct("sigmoid", "sg_expit", """
        def sigmoid(z):
            from scipy.special import expit
            return expit(z)
    """),
    correct("sigmoid", "sg_clip_input", """
        def sigmoid(z):
            z = np.clip(z, -500, 500)
            return 1 / (1 + np.exp(-z))
    """),
    correct("sigmoid", "sg_tanh", """
        def sigmoid(z):
            return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))
    """),
    correct("sigmoid", "sg_loop_math", """
        import math

        def _one(v):
            if v >= 0:
                return 1.0 / (1.0 + math.exp(-v))
            e = math.exp(v)
            return e / (1.0 + e)

        def sigmoid(z):
            if np.ndim(z) == 0:
                return _one(float(z))
            z = np.asarray(z, dtype=float)
            return np.array([_one(v) for v in z.ravel()]).reshape(z.shape)
    """),
    partial("sigmoid", "sg_naive_overflow", "np.exp(-z) overflows for very negative z: the values are right, "
            "but it warns, and the notebook asks for no overflow", """
        def sigmoid(z):
            # exp(1000) overflows to inf and 1 / inf is 0: a warning, but the right value
            return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    """),
    partial("sigmoid", "sg_exp_over_one_plus_exp", "writes e^z / (1 + e^z): inf / inf = nan for large positive z", """
        def sigmoid(z):
            return np.exp(z) / (1 + np.exp(z))
    """),
    bug("sigmoid", "sg_minus_in_denominator", "1 - e^(-z) in the denominator instead of 1 + e^(-z)", """
        def sigmoid(z):
            return 1 / (1 - np.exp(-z))
    """),
    bug("sigmoid", "sg_sign_of_z", "exp(z) instead of exp(-z): computes sigmoid(-z)", """
        def sigmoid(z):
            return 1 / (1 + np.exp(z))
    """),
    bug("sigmoid", "sg_precedence", "operator precedence: 1 / 1 + exp(-z) is 1 + exp(-z)", """
        def sigmoid(z):
            return 1 / 1 + np.exp(-z)
    """),
    bug("sigmoid", "sg_one_minus", "e^(-z) / (1 + e^(-z)) is 1 - sigmoid(z), the probability of the other class", """
        def sigmoid(z):
            e = np.exp(-z)
            return e / (1 + e)
    """),
    partial("sigmoid", "sg_math_exp", "math.exp works on one number only: fails for arrays (and overflows at z = -1000)", """
        import math

        def sigmoid(z):
            return 1 / (1 + math.exp(-z))
    """),
    bug("sigmoid", "sg_zeros_like_int", "np.zeros_like keeps an integer input's dtype: every value is truncated to 0 or 1", """
        def sigmoid(z):
            z = np.asarray(z)
            out = np.zeros_like(z)
            pos = z >= 0
            out[pos] = 1 / (1 + np.exp(-z[pos]))
            out[~pos] = np.exp(z[~pos]) / (1 + np.exp(z[~pos]))
            return out
    """),
    partial("sigmoid", "sg_clip_10", "clips z to [-10, 10] to avoid overflow: values beyond |z| = 10 are wrong", """
        def sigmoid(z):
            return 1 / (1 + np.exp(-np.clip(z, -10, 10)))
    """),
    bug("sigmoid", "sg_rounded", "rounds the result to 4 decimals", """
        def sigmoid(z):
            return np.round(1 / (1 + np.exp(-np.clip(z, -500, 500))), 4)
    """),
    bug("sigmoid", "sg_inplace_negate", "negates z in place (z *= -1): the caller's array changes", """
        def sigmoid(z):
            if isinstance(z, np.ndarray):
                z *= -1
            else:
                z = -z
            return 1 / (1 + np.exp(np.clip(z, -500, 500)))
    """),

    # ---- bce_loss ------------------------------------------------------------------------
    correct("bce_loss", "bl_where", """
        def bce_loss(y, p_hat):
            return float(-np.mean(np.where(y == 1, np.log(p_hat), np.log(1 - p_hat))))
    """),
    correct("bce_loss", "bl_clip_log1p", """
        def bce_loss(y, p_hat):
            p = np.clip(p_hat, 1e-15, 1 - 1e-15)
            return -np.mean(y * np.log(p) + (1 - y) * np.log1p(-p))
    """),
    correct("bce_loss", "bl_loop", """
        import math

        def bce_loss(y, p_hat):
            total = 0.0
            for yi, pi in zip(y, p_hat):
                total -= yi * math.log(pi) + (1 - yi) * math.log(1 - pi)
            return total / len(y)
    """),
    bug("bce_loss", "bl_sum", "summed the losses over the samples instead of averaging", """
        def bce_loss(y, p_hat):
            return -np.sum(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat))
    """),
    bug("bce_loss", "bl_log_of_mean", "log of the mean likelihood instead of the mean of the log-likelihoods", """
        def bce_loss(y, p_hat):
            likelihood = p_hat ** y * (1 - p_hat) ** (1 - y)
            return -np.log(np.mean(likelihood))
    """),
    partial("bce_loss", "bl_log_of_product", "log of the product of the likelihoods: the product underflows to 0 for many samples", """
        def bce_loss(y, p_hat):
            likelihood = np.where(y == 1, p_hat, 1 - p_hat)
            return -np.log(np.prod(likelihood)) / len(y)
    """),
    bug("bce_loss", "bl_no_negative_class", "forgot the (1 - y) ln(1 - p_hat) term", """
        def bce_loss(y, p_hat):
            return -np.mean(y * np.log(p_hat))
    """),
    bug("bce_loss", "bl_log2", "log base 2 instead of the natural log", """
        def bce_loss(y, p_hat):
            return -np.mean(y * np.log2(p_hat) + (1 - y) * np.log2(1 - p_hat))
    """),
    bug("bce_loss", "bl_log10", "log base 10 instead of the natural log", """
        def bce_loss(y, p_hat):
            return -np.mean(y * np.log10(p_hat) + (1 - y) * np.log10(1 - p_hat))
    """),
    bug("bce_loss", "bl_no_minus", "forgot the minus sign: the loss is negative", """
        def bce_loss(y, p_hat):
            return np.mean(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat))
    """),
    bug("bce_loss", "bl_swapped", "swapped p_hat and 1 - p_hat between the two terms", """
        def bce_loss(y, p_hat):
            return -np.mean(y * np.log(1 - p_hat) + (1 - y) * np.log(p_hat))
    """),
    bug("bce_loss", "bl_mean_over_m", "takes the mean and then divides by m again", """
        def bce_loss(y, p_hat):
            m = len(y)
            return -np.mean(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat)) / m
    """),

    # ---- bce_dloss_dphat -----------------------------------------------------------------
    correct("bce_dloss_dphat", "bd_combined", """
        def bce_dloss_dphat(y, p_hat):
            return (p_hat - y) / (p_hat * (1 - p_hat))
    """),
    correct("bce_dloss_dphat", "bd_divide", """
        def bce_dloss_dphat(y, p_hat):
            return np.divide(1 - y, 1 - p_hat) - np.divide(y, p_hat)
    """),
    correct("bce_dloss_dphat", "bd_reordered", """
        def bce_dloss_dphat(y, p_hat):
            y = np.asarray(y, dtype=float)
            return -(y / p_hat) + (1.0 - y) / (1.0 - p_hat)
    """),
    bug("bce_dloss_dphat", "bd_sign", "the sign of the whole derivative is flipped", """
        def bce_dloss_dphat(y, p_hat):
            return y / p_hat - (1 - y) / (1 - p_hat)
    """),
    bug("bce_dloss_dphat", "bd_no_one_minus_y", "forgot the (1 - y) factor in the first term", """
        def bce_dloss_dphat(y, p_hat):
            return 1 / (1 - p_hat) - y / p_hat
    """),
    bug("bce_dloss_dphat", "bd_plus", "adds the two terms instead of subtracting", """
        def bce_dloss_dphat(y, p_hat):
            return (1 - y) / (1 - p_hat) + y / p_hat
    """),
    bug("bce_dloss_dphat", "bd_first_term_only", "kept only the -y / p_hat term", """
        def bce_dloss_dphat(y, p_hat):
            return -y / p_hat
    """),
    bug("bce_dloss_dphat", "bd_dz", "returns p_hat - y, the derivative with respect to z, not p_hat", """
        def bce_dloss_dphat(y, p_hat):
            return p_hat - y
    """),
    bug("bce_dloss_dphat", "bd_mean", "averages over the samples: one number instead of one derivative per sample", """
        def bce_dloss_dphat(y, p_hat):
            return np.mean((1 - y) / (1 - p_hat) - y / p_hat)
    """),
    bug("bce_dloss_dphat", "bd_floor_division", "floor division // instead of /", """
        def bce_dloss_dphat(y, p_hat):
            return (1 - y) // (1 - p_hat) - y // p_hat
    """),
    bug("bce_dloss_dphat", "bd_loss", "returns the loss itself, not its derivative", """
        def bce_dloss_dphat(y, p_hat):
            return -(y * np.log(p_hat) + (1 - y) * np.log(1 - p_hat))
    """),

    # ---- sigmoid_derivative --------------------------------------------------------------
    correct("sigmoid_derivative", "sd_minus_square", """
        def sigmoid_derivative(p_hat):
            return p_hat - p_hat ** 2
    """),
    correct("sigmoid_derivative", "sd_multiply", """
        def sigmoid_derivative(p_hat):
            return np.multiply(p_hat, np.subtract(1, p_hat))
    """),
    correct("sigmoid_derivative", "sd_loop", """
        def sigmoid_derivative(p_hat):
            if np.isscalar(p_hat):
                return p_hat * (1 - p_hat)
            p = np.asarray(p_hat, dtype=float)
            out = np.empty_like(p)
            for idx in np.ndindex(p.shape):
                out[idx] = p[idx] * (1 - p[idx])
            return out
    """),
    bug("sigmoid_derivative", "sd_sigmoid_again", "applies the sigmoid to p_hat again (treats p_hat as z)", """
        def sigmoid_derivative(p_hat):
            s = 1 / (1 + np.exp(-p_hat))
            return s * (1 - s)
    """),
    bug("sigmoid_derivative", "sd_sign", "p_hat (p_hat - 1): the sign is wrong", """
        def sigmoid_derivative(p_hat):
            return p_hat * (p_hat - 1)
    """),
    bug("sigmoid_derivative", "sd_plus", "p_hat (1 + p_hat) instead of p_hat (1 - p_hat)", """
        def sigmoid_derivative(p_hat):
            return p_hat * (1 + p_hat)
    """),
    bug("sigmoid_derivative", "sd_tanh", "1 - p_hat^2, the derivative of tanh", """
        def sigmoid_derivative(p_hat):
            return 1 - p_hat ** 2
    """),
    bug("sigmoid_derivative", "sd_z_formula", "uses the formula in terms of z, e^(-z) / (1 + e^(-z))^2, with p_hat as z", """
        def sigmoid_derivative(p_hat):
            return np.exp(-p_hat) / (1 + np.exp(-p_hat)) ** 2
    """),
    bug("sigmoid_derivative", "sd_one_minus_only", "returns 1 - p_hat only (forgot the factor p_hat)", """
        def sigmoid_derivative(p_hat):
            return 1 - p_hat
    """),
    bug("sigmoid_derivative", "sd_mean", "averages over the entries: one number instead of an elementwise derivative", """
        def sigmoid_derivative(p_hat):
            return np.mean(p_hat * (1 - p_hat))
    """),
    bug("sigmoid_derivative", "sd_inplace", "multiplies p_hat in place (p_hat *= 1 - p_hat): the caller's array changes", """
        def sigmoid_derivative(p_hat):
            if isinstance(p_hat, np.ndarray):
                p_hat *= 1 - p_hat
                return p_hat
            return p_hat * (1 - p_hat)
    """),

    # ---- bce_gradients -------------------------------------------------------------------
    correct("bce_gradients", "bg_via_sigmoid", """
        def bce_gradients(X, y, W, b):
            m = X.shape[0]
            p_hat = sigmoid(X @ W + b)
            return X.T @ (p_hat - y) / m, float(np.mean(p_hat - y))
    """),
    correct("bce_gradients", "bg_loops", """
        import math

        def bce_gradients(X, y, W, b):
            m, n = X.shape
            dW = np.zeros(n)
            db = 0.0
            for i in range(m):
                z = float(X[i] @ W + b)
                p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
                dW += (p - y[i]) * X[i] / m
                db += (p - y[i]) / m
            return dW, db
    """),
    correct("bce_gradients", "bg_expit_mean", """
        def bce_gradients(X, y, W, b):
            from scipy.special import expit
            error = expit(X @ W + b) - y
            return np.mean(X * error[:, None], axis=0), np.mean(error)
    """),
    bug("bce_gradients", "bg_sum", "summed over the samples instead of averaging", """
        def bce_gradients(X, y, W, b):
            error = sigmoid(X @ W + b) - y
            return X.T @ error, np.sum(error)
    """),
    bug("bce_gradients", "bg_sign", "error taken as y - p_hat: both gradients have the wrong sign", """
        def bce_gradients(X, y, W, b):
            m = len(y)
            error = y - sigmoid(X @ W + b)
            return X.T @ error / m, np.sum(error) / m
    """),
    bug("bce_gradients", "bg_per_feature", "divides by the number of features n instead of the number of samples m", """
        def bce_gradients(X, y, W, b):
            n = X.shape[1]
            error = sigmoid(X @ W + b) - y
            return X.T @ error / n, np.sum(error) / n
    """),
    bug("bce_gradients", "bg_no_bias_forward", "forgot the bias in the forward pass (sigmoid(X @ W))", """
        def bce_gradients(X, y, W, b):
            m = len(y)
            error = sigmoid(X @ W) - y
            return X.T @ error / m, np.sum(error) / m
    """),
    bug("bce_gradients", "bg_no_sigmoid", "forgot the sigmoid: uses the linear-regression error X @ W + b - y", """
        def bce_gradients(X, y, W, b):
            m = len(y)
            error = X @ W + b - y
            return X.T @ error / m, np.sum(error) / m
    """),
    bug("bce_gradients", "bg_extra_sigmoid_derivative", "multiplies p_hat - y by p_hat (1 - p_hat) again (the chain rule applied twice)", """
        def bce_gradients(X, y, W, b):
            m = len(y)
            p_hat = sigmoid(X @ W + b)
            error = (p_hat - y) * p_hat * (1 - p_hat)
            return X.T @ error / m, np.sum(error) / m
    """),
    bug("bce_gradients", "bg_factor_two", "a factor 2 copied from the MSE gradient", """
        def bce_gradients(X, y, W, b):
            m = len(y)
            error = sigmoid(X @ W + b) - y
            return 2 * X.T @ error / m, 2 * np.sum(error) / m
    """),
    bug("bce_gradients", "bg_db_vector", "db left as one value per sample (forgot to average it)", """
        def bce_gradients(X, y, W, b):
            m = len(y)
            error = sigmoid(X @ W + b) - y
            return X.T @ error / m, error / m
    """),
    partial("bce_gradients", "bg_chain_unstable", "chain rule through dL/dp_hat * p_hat (1 - p_hat): 0 * inf = nan when p_hat saturates at 0 or 1", """
        def bce_gradients(X, y, W, b):
            m = len(y)
            p_hat = sigmoid(X @ W + b)
            dz = ((1 - y) / (1 - p_hat) - y / p_hat) * p_hat * (1 - p_hat)
            return X.T @ dz / m, np.sum(dz) / m
    """),

    # ---- predict_proba -------------------------------------------------------------------
    correct("predict_proba", "pp_sigmoid", """
        def predict_proba(X, W, b):
            return sigmoid(np.dot(X, W) + b)
    """),
    correct("predict_proba", "pp_expit_einsum", """
        def predict_proba(X, W, b):
            from scipy.special import expit
            return expit(np.einsum('ij,j->i', X, W) + b)
    """),
    correct("predict_proba", "pp_rows", """
        def predict_proba(X, W, b):
            return np.array([sigmoid(float(x @ W + b)) for x in X])
    """),
    bug("predict_proba", "pp_no_bias", "forgot the bias: sigmoid(X @ W)", """
        def predict_proba(X, W, b):
            return sigmoid(X @ W)
    """),
    bug("predict_proba", "pp_logits", "returns the scores X @ W + b without the sigmoid", """
        def predict_proba(X, W, b):
            return X @ W + b
    """),
    bug("predict_proba", "pp_bias_outside", "adds the bias after the sigmoid: sigmoid(X @ W) + b", """
        def predict_proba(X, W, b):
            return sigmoid(X @ W) + b
    """),
    bug("predict_proba", "pp_class0", "returns the probability of class 0, 1 - sigmoid(z)", """
        def predict_proba(X, W, b):
            return 1 - sigmoid(X @ W + b)
    """),
    bug("predict_proba", "pp_labels", "thresholds the probabilities: returns labels instead of probabilities", """
        def predict_proba(X, W, b):
            return (sigmoid(X @ W + b) > 0.5).astype(float)
    """),
    bug("predict_proba", "pp_elementwise", "elementwise X * W instead of a matrix product: an (m, n) result", """
        def predict_proba(X, W, b):
            return sigmoid(X * W + b)
    """),
    bug("predict_proba", "pp_column", "reshapes W into a column: an (m, 1) result instead of (m,)", """
        def predict_proba(X, W, b):
            return sigmoid(X @ W.reshape(-1, 1) + b)
    """),
    partial("predict_proba", "pp_unstable", "writes e^z / (1 + e^z) itself: nan for large scores", """
        def predict_proba(X, W, b):
            z = X @ W + b
            return np.exp(z) / (1 + np.exp(z))
    """),

    # ---- predict -------------------------------------------------------------------------
    correct("predict", "pr_where", """
        def predict(X, W, b, threshold=0.5):
            return np.where(predict_proba(X, W, b) > threshold, 1, 0)
    """),
    correct("predict", "pr_logit", """
        def predict(X, W, b, threshold=0.5):
            # sigmoid is increasing: p > t exactly when z > ln(t / (1 - t))
            return (X @ W + b > np.log(threshold / (1 - threshold))).astype(int)
    """),
    correct("predict", "pr_list", """
        def predict(X, W, b, threshold=0.5):
            probs = sigmoid(X @ W + b)
            return np.array([1 if p > threshold else 0 for p in probs], dtype=int)
    """),
    bug("predict", "pr_ge", "uses >= instead of >: a probability equal to the threshold is labelled 1", """
        def predict(X, W, b, threshold=0.5):
            return (predict_proba(X, W, b) >= threshold).astype(int)
    """),
    bug("predict", "pr_fixed_half", "ignores the threshold argument and always uses 0.5", """
        def predict(X, W, b, threshold=0.5):
            return (predict_proba(X, W, b) > 0.5).astype(int)
    """),
    bug("predict", "pr_bool", "returns booleans instead of integer labels", """
        def predict(X, W, b, threshold=0.5):
            return predict_proba(X, W, b) > threshold
    """),
    bug("predict", "pr_float", "returns float labels (0.0 / 1.0) instead of integers", """
        def predict(X, W, b, threshold=0.5):
            return (predict_proba(X, W, b) > threshold) * 1.0
    """),
    bug("predict", "pr_round", "rounds the probabilities: ignores the threshold", """
        def predict(X, W, b, threshold=0.5):
            return np.round(predict_proba(X, W, b)).astype(int)
    """),
    bug("predict", "pr_inverted", "the comparison is inverted (<): labels are swapped", """
        def predict(X, W, b, threshold=0.5):
            return (predict_proba(X, W, b) < threshold).astype(int)
    """),
    bug("predict", "pr_scores", "compares the scores X @ W + b with the threshold instead of the probabilities", """
        def predict(X, W, b, threshold=0.5):
            return (X @ W + b > threshold).astype(int)
    """),

    # ---- accuracy ------------------------------------------------------------------------
    correct("accuracy", "ac_sum_len", """
        def accuracy(y_true, y_pred):
            return np.sum(y_true == y_pred) / len(y_true)
    """),
    correct("accuracy", "ac_loop", """
        def accuracy(y_true, y_pred):
            right = 0
            for a, b in zip(y_true, y_pred):
                if a == b:
                    right += 1
            return right / len(y_true)
    """),
    correct("accuracy", "ac_error_rate", """
        def accuracy(y_true, y_pred):
            return 1.0 - np.count_nonzero(np.asarray(y_true) != np.asarray(y_pred)) / np.size(y_true)
    """),
    bug("accuracy", "ac_count", "returns the number of right predictions, not the fraction", """
        def accuracy(y_true, y_pred):
            return np.sum(y_true == y_pred)
    """),
    bug("accuracy", "ac_floor_division", "floor division //: 0 unless every prediction is right", """
        def accuracy(y_true, y_pred):
            return np.sum(y_true == y_pred) // len(y_true)
    """),
    bug("accuracy", "ac_percent", "a percentage (0 to 100) instead of a fraction", """
        def accuracy(y_true, y_pred):
            return 100 * np.mean(y_true == y_pred)
    """),
    bug("accuracy", "ac_product", "mean of y_true * y_pred: counts only the samples where both are 1", """
        def accuracy(y_true, y_pred):
            return np.mean(y_true * y_pred)
    """),
    bug("accuracy", "ac_error", "the error rate (mean of !=) instead of the accuracy", """
        def accuracy(y_true, y_pred):
            return np.mean(y_true != y_pred)
    """),
    bug("accuracy", "ac_precision", "the precision (right among predicted 1s) instead of the accuracy", """
        def accuracy(y_true, y_pred):
            predicted_one = y_pred == 1
            return np.sum(y_true[predicted_one] == 1) / np.sum(predicted_one)
    """),
    bug("accuracy", "ac_broadcast", "reshapes y_pred into a column: == broadcasts to an (m, m) table", """
        def accuracy(y_true, y_pred):
            return np.mean(y_true == y_pred.reshape(-1, 1))
    """),
    bug("accuracy", "ac_no_mean", "returns the array of matches, not its mean", """
        def accuracy(y_true, y_pred):
            return y_true == y_pred
    """),

    # ---- train_logistic_regression -------------------------------------------------------
    correct("train_logistic_regression", "tl_graded_calls", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W = W - lr * dW
                b = b - lr * db
            return W, b, history
    """),
    correct("train_logistic_regression", "tl_manual_inplace", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            m, n = X.shape
            rng = np.random.default_rng(seed)
            W = rng.random(n) - 0.5
            b = rng.random() - 0.5
            history = []
            for _ in range(epochs):
                p = sigmoid(X @ W + b)
                loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
                acc = np.mean((p > 0.5) == y)
                history.append((loss, acc))
                W -= lr * X.T @ (p - y) / m      # W is this function's own array
                b -= lr * np.mean(p - y)
            return W, b, history
    """),
    correct("train_logistic_regression", "tl_list_pairs", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            losses, accuracies = [], []
            for epoch in range(epochs):
                p = sigmoid(X @ W + b)
                losses.append(bce_loss(y, p))
                accuracies.append(accuracy(y, (p > 0.5).astype(int)))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, list(zip(losses, accuracies))
    """),
    bug("train_logistic_regression", "tl_zero_start", "starts from W = 0, b = 0 instead of the seeded random start", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            W, b = np.zeros(X.shape[1]), 0.0
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_b_drawn_first", "draws b before W: the random start differs from the contract's order of draws", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            b = rng.random() - 0.5
            W = rng.random(X.shape[1]) - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_no_centering", "forgot the - 0.5: starts from values in [0, 1) instead of [-0.5, 0.5)", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1])
            b = rng.random()
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_legacy_seed", "seeds the legacy global generator (np.random.seed, np.random.rand): a different random start", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            np.random.seed(seed)
            W = np.random.rand(X.shape[1]) - 0.5
            b = np.random.rand() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_normal_start", "draws the start from rng.normal instead of rng.random() - 0.5", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.normal(size=X.shape[1])
            b = rng.normal()
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_unseeded", "creates the generator without the seed: every run starts somewhere else", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng()
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                p_hat = predict_proba(X, W, b)
                history.append((bce_loss(y, p_hat), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_history_after_step", "records (loss, accuracy) after the step instead of before it", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
                history.append((bce_loss(y, predict_proba(X, W, b)), accuracy(y, predict(X, W, b))))
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_loss_only", "history holds the losses only, not (loss, accuracy) pairs", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                history.append(bce_loss(y, predict_proba(X, W, b)))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_lr_twice", "multiplies the gradients by lr, then the step by lr again", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                history.append((bce_loss(y, predict_proba(X, W, b)), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                dW, db = lr * dW, lr * db
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_ascent", "adds the gradient (W + lr * dW): the loss goes up", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                history.append((bce_loss(y, predict_proba(X, W, b)), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W + lr * dW, b + lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_swapped_pair", "records (accuracy, loss) instead of (loss, accuracy)", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                history.append((accuracy(y, predict(X, W, b)), bce_loss(y, predict_proba(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_accuracy_after_step", "records the loss before the step but the accuracy after it", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                loss = bce_loss(y, predict_proba(X, W, b))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
                history.append((loss, accuracy(y, predict(X, W, b))))
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_extra_epoch", "loops epochs + 1 times: one step too many and one history entry too many", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs + 1):
                history.append((bce_loss(y, predict_proba(X, W, b)), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
    bug("train_logistic_regression", "tl_center_inplace", "centres X in place (X -= mean): the caller's data changes and the model is fitted to other features", """
        def train_logistic_regression(X, y, *, lr, epochs, seed=0):
            X -= X.mean(axis=0)
            rng = np.random.default_rng(seed)
            W = rng.random(X.shape[1]) - 0.5
            b = rng.random() - 0.5
            history = []
            for epoch in range(epochs):
                history.append((bce_loss(y, predict_proba(X, W, b)), accuracy(y, predict(X, W, b))))
                dW, db = bce_gradients(X, y, W, b)
                W, b = W - lr * dW, b - lr * db
            return W, b, history
    """),
]
