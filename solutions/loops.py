"""The training loops of the labs as the contract describes them, and their diagnosis
(instructor only: a working loop is a solution).

A loop is one `LoopSpec` per lab: the graded gradient it calls, the targets it passes,
its start, what it records in history, and whether it takes mini-batches. Two ways to
name a deviation from the contract, both confirmed, never guessed:

- `diagnose_trace`: while a student's loop is judged, every call it makes to the graded
  gradient is answered by the reference and recorded (`Context.call_traced`). The trace
  shows which rows form each batch, the parameters each step starts from, and so what the
  loop did with each gradient; history is recomputed from the student's own parameters.
  Each deviation is read off the trace itself: the data order per epoch, the batch
  boundaries, the update rule, the start, when history is recorded.
- `simulate` with one deviation switched on (`DEVIATIONS`): a family of loop mistakes
  whose output, on a check's inputs, is compared with the student's output. It names the
  same deviations in loops that compute their gradients inline (no calls to trace).
"""
from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

# What each deviation is, in a teacher's words. The trace diagnosis and the simulated
# family use the same messages.
DEVIATIONS = {
    "same_order": "the samples are visited in the same order every epoch (one permutation for all epochs, or a "
                  "new generator made every epoch): draw a new rng.permutation(m) at the start of every epoch from "
                  "ONE rng = np.random.default_rng(seed) made before the loop",
    "no_shuffle": "the samples are never shuffled: each epoch visits them in the order rng.permutation(m)",
    "replacement": "the batch rows are drawn with replacement (some samples twice in an epoch, others never): "
                   "each epoch visits every sample once, in the order rng.permutation(m)",
    "compound": "each epoch's permutation is applied to data already reordered by the previous epochs (X and y "
                "reordered themselves, or one index array shuffled again): index the ORIGINAL X and y with a "
                "fresh rng.permutation(m) every epoch",
    "two_perms": "X and the targets are reordered differently (two permutations, or only one of them shuffled): "
                 "the rows of a batch no longer go with their own targets; index both with the same permutation",
    "array_split": "the batches come from np.array_split (balanced sizes): take consecutive batches of batch_size "
                   "samples, only the last one smaller",
    "drop_last": "the last, smaller batch is dropped: when batch_size does not divide m the leftover samples form "
                 "one more batch",
    "whole_set": "every step computes the gradient on the whole training set instead of on its batch",
    "grad_sum": "each batch's gradient is summed over its samples instead of averaged (it is batch-size times too "
                "large)",
    "grad_over_m": "each batch's summed gradient is divided by m, the size of the whole training set, instead of by "
                   "the size of the batch",
    "pieces_summed": "the gradients of the samples (or parts) of a batch are added up instead of averaged: the "
                     "step uses the gradient of the whole batch, the mean over its samples",
    "lr_twice": "the learning rate is applied twice (lr * lr * gradient): scale the gradient by lr once",
    "lr_ignored": "the learning rate is not applied: the step is lr times the gradient",
    "ascent": "the loop adds the gradient (W + lr * dW): gradient descent subtracts it",
    "frozen_bias": "b is never updated: each step also does b = b - lr * db",
    "history_after": "history[e] is recorded after the epoch's steps: record it at the START of epoch e, before "
                     "the updates",
    "history_last_batch": "history[e] is the loss of one mini-batch: record the loss on the FULL training set at "
                          "the start of epoch e",
    "history_running": "history[e] is the mean of the batch losses seen during the epoch: record the loss on the "
                       "FULL training set at the start of epoch e",
    "accuracy_after": "the accuracy in history[e] is measured after the epoch's step, the loss before it: record "
                      "both at the start of the epoch",
    "swapped_pair": "each history entry is (accuracy, loss): record the pair (loss, accuracy), in that order",
    "zero_start": "W and b start from zeros: start from rng.random(n) - 0.5 and rng.random() - 0.5 of "
                  "rng = np.random.default_rng(seed)",
    "not_zero_start": "the loop does not start from W = 0 and b = 0",
    "seeded_start": "the start values are not rng.random(n) - 0.5 and then rng.random() - 0.5 of ONE "
                    "rng = np.random.default_rng(seed)",
    "changed_x": "the rows your loop passes to the gradient are not rows of X: it changed X (scaled, centred or "
                 "modified it) before training",
    "seed_ignored": "the seed argument is not used: make rng = np.random.default_rng(seed) with the given seed",
    "extra_epoch": "the loop runs epochs + 1 times (one epoch of steps and one history entry too many): "
                   "for epoch in range(epochs) runs exactly epochs times",
    "missing_epoch": "the loop runs epochs - 1 times (one epoch of steps and one history entry too few): "
                     "for epoch in range(epochs) runs exactly epochs times",
    "loss_only": "history holds the losses alone: each entry is the pair (loss, accuracy) at the start of the epoch",
    "loss_running": "the loss in history[e] is the mean of the batch losses seen during the epoch (its accuracy is "
                    "right): record the loss on the FULL training set at the start of epoch e",
    "loss_last_batch": "the loss in history[e] is the loss of one mini-batch (its accuracy is right): record the loss "
                       "on the FULL training set at the start of epoch e",
    "loss_after": "the loss in history[e] is measured after the epoch's steps, the accuracy before them: record both "
                  "at the start of the epoch",
    "confidence": "the accuracy in history[e] is the mean of the largest predicted probabilities (the model's "
                  "confidence): accuracy is the fraction of samples whose predicted class is their true class",
    "one_batch": "each epoch makes only ONE step, on one batch of batch_size samples (the other samples are not used "
                 "in that epoch): an epoch is a pass over ALL m samples, rng.permutation(m) cut into consecutive "
                 "batches of batch_size (the last may be smaller), one step per batch",
    "empty_batch": "your loop made a step on an EMPTY batch (0 samples), whose gradient, a mean over no samples, is "
                   "nan: when batch_size divides m there are exactly m // batch_size batches, and "
                   "order[start:start + batch_size] for start in range(0, m, batch_size) gives them all, none empty",
    "bias_after_weights": "b is updated with a db computed after W was updated (from the new W): compute dW and db "
                          "together, at the parameters the step starts from, then update both",
    "history_first_batch": "history[e] is measured on one mini-batch (the epoch's first): record it on the FULL "
                           "training set at the start of epoch e",
    "loss_first_batch": "the loss in history[e] is the loss of one mini-batch, the epoch's first (its accuracy is "
                        "right): record the loss on the FULL training set at the start of epoch e",
    "history_extra_final": "history has one entry too many: one more is recorded after the last epoch; record an "
                           "entry at the start of each epoch only, one per epoch",
    "history_extra_start": "history has one entry too many: the start is recorded twice (before the loop and again "
                           "at the start of epoch 0); record an entry at the start of each epoch only, one per epoch",
    "history_missing_first": "history has one entry too few: the entry of epoch 0 (the starting parameters) is "
                             "missing; record an entry at the start of EVERY epoch",
    "history_missing_last": "history has one entry too few: the entry of the last epoch is missing; record an entry "
                            "at the start of EVERY epoch",
    "accuracy_ties": "the accuracy in history counts a sample as right when its true class merely ties for the "
                     "largest score (at the all-zero start every class ties): the predicted class is np.argmax of the "
                     "scores, the FIRST of the tied classes, as predict_classes gives it",
    "accuracy_percent": "the accuracy in history is a percentage (100 times the fraction of right predictions): "
                        "record the fraction itself, between 0 and 1",
}


@dataclasses.dataclass(frozen=True)
class LoopSpec:
    gradient: str                       # the graded gradient function the loop calls
    targets: Callable                   # (ref, y, kwargs) -> what the gradient takes as targets
    start: Callable                     # (rng, n, y, kwargs) -> (W, b)
    measure: Callable                   # (ref, X, y, targets, W, b) -> a history entry
    batched: bool = True                # takes batch_size and seed for the order
    pairs: bool = False                 # history entries are (loss, accuracy)
    confidence: Callable | None = None  # (ref, X, y, targets, W, b) -> the mean largest probability
    ties: Callable | None = None        # (ref, X, y, targets, W, b) -> accuracy counting a tie for the top as right
    one_hot: bool = False               # the targets are the labels one-hot encoded (num_classes columns)
    targets_words: str = "y, y[rows], as they are"   # what the gradient's targets are, for a student


def _zeros(rng, n, y, kwargs):
    k = kwargs.get("num_classes")
    if k is not None:
        return np.zeros((n, k)), np.zeros(k)
    y = np.asarray(y)
    return np.zeros((n,) + y.shape[1:]), (0.0 if y.ndim == 1 else np.zeros(y.shape[1]))


def _seeded(rng, n, y, kwargs):
    W = rng.random(n) - 0.5
    return W, rng.random() - 0.5


LAB1 = LoopSpec("mse_gradients", lambda ref, y, kw: np.asarray(y, dtype=np.float64), _zeros,
                lambda ref, X, y, T, W, b: ref.mse_loss(T, ref.predict(X, W, b)))
LAB2 = LoopSpec("bce_gradients", lambda ref, y, kw: np.asarray(y, dtype=np.float64), _seeded,
                lambda ref, X, y, T, W, b: _pair(ref.bce_loss(T, ref.predict_proba(X, W, b)),
                                                 ref.accuracy(T, (ref.predict_proba(X, W, b) > 0.5).astype(int))),
                batched=False, pairs=True,
                confidence=lambda ref, X, y, T, W, b: float(np.mean(np.maximum(ref.predict_proba(X, W, b),
                                                                               1 - ref.predict_proba(X, W, b)))))
LAB3 = LoopSpec("softmax_gradients", lambda ref, y, kw: ref.one_hot(np.asarray(y).astype(int), kw["num_classes"]),
                _zeros,
                lambda ref, X, y, T, W, b: _pair(ref.cross_entropy_loss(T, ref.softmax(X @ W + b)),
                                                 float(np.mean(ref.predict_classes(X, W, b) == y))),
                pairs=True,
                confidence=lambda ref, X, y, T, W, b: float(np.mean(np.max(ref.softmax(X @ W + b), axis=1))),
                ties=lambda ref, X, y, T, W, b: _tie_accuracy(X @ W + b, y),
                one_hot=True, targets_words="one_hot(y, num_classes)")
SPECS = {"fit_linear_regression": LAB1, "train_logistic_regression": LAB2, "train_softmax_regression": LAB3}


def _tie_accuracy(Z, y):
    """The fraction of samples whose true class has the largest score, ties included."""
    Z = np.asarray(Z, dtype=np.float64)
    own = Z[np.arange(len(Z)), np.asarray(y).astype(int)]
    return float(np.mean(own >= Z.max(axis=1)))


def _pair(loss, acc):
    return (float(loss), float(acc))


# ---------------------------------------------------------------- the contract's batches
def orders(m, epochs, batch_size, seed, *, order="contract"):
    """The order of the samples in each epoch (a list of index arrays)."""
    if batch_size is None:
        return [np.arange(m) for _ in range(epochs)]
    rng = np.random.default_rng(seed)
    out, previous = [], np.arange(m)
    for epoch in range(epochs):
        if order == "no_shuffle":
            current = np.arange(m)
        elif order == "same_order":
            current = out[0] if out else rng.permutation(m)
        elif order == "compound":
            current = previous[rng.permutation(m)]
        elif order == "replacement":
            current = rng.integers(0, m, size=m)
        else:
            current = rng.permutation(m)
        out.append(current)
        previous = current
    return out


def split(order, batch_size, *, how="consecutive"):
    m = len(order)
    if batch_size is None:
        return [order]
    if how == "array_split":
        return [part for part in np.array_split(order, -(-m // batch_size)) if len(part)]
    if how == "empty_batch":        # m // batch_size + 1 batches: the last one empty when batch_size divides m
        return [order[i * batch_size:(i + 1) * batch_size] for i in range(m // batch_size + 1)]
    stop = m - m % batch_size if how == "drop_last" else m
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


def _gradient(spec, ref, X, T, W, b):
    """The graded gradient of a batch; of an empty batch, nan (a mean over no samples), as
    numpy computes it where the reference refuses."""
    if len(X) == 0:
        return np.full(np.shape(W), np.nan), (np.full(np.shape(b), np.nan) if np.ndim(b) else float("nan"))
    return getattr(ref, spec.gradient)(X, T, W, b)


# history entries recorded another way: one per epoch from (start, end, batch entries, start
# parameters), or the whole list changed (`HISTORY_LISTS`)
HISTORY_LISTS = ("history_extra_final", "history_extra_start", "history_missing_first", "history_missing_last")


def simulate(spec: LoopSpec, ref, X, y, kwargs, deviation=None):
    """The contract's loop on these inputs, with one deviation (a key of DEVIATIONS) on."""
    X = np.asarray(X, dtype=np.float64)
    m, n = X.shape
    lr, epochs = kwargs["lr"], kwargs["epochs"]
    epochs = max(0, epochs + {"extra_epoch": 1, "missing_epoch": -1}.get(deviation, 0))
    batch_size, seed = kwargs.get("batch_size"), kwargs.get("seed", 0)
    T = spec.targets(ref, y, kwargs)
    rng = np.random.default_rng(seed)
    W, b = spec.start(rng, n, y, kwargs)
    if deviation == "zero_start":
        W, b = _zeros(rng, n, y, kwargs)
    order_kind = deviation if deviation in ("same_order", "no_shuffle", "compound", "replacement") else "contract"
    if spec.batched:
        epoch_orders = orders(m, epochs, batch_size, seed, order=order_kind)
        if deviation == "two_perms" and batch_size is not None:
            gen = np.random.default_rng(seed)
            pairs = [(gen.permutation(m), gen.permutation(m)) for _ in range(epochs)]
        else:
            pairs = [(o, o) for o in epoch_orders]
    else:
        pairs = [(np.arange(m), np.arange(m)) for _ in range(epochs)]
    how = deviation if deviation in ("array_split", "drop_last", "empty_batch") else "consecutive"
    history = []
    with np.errstate(all="ignore"):
        for rows_x, rows_t in pairs:
            start, start_params = spec.measure(ref, X, y, T, W, b), (W, b)
            losses, last = [], None
            batches = list(zip(split(rows_x, batch_size if spec.batched else None, how=how),
                               split(rows_t, batch_size if spec.batched else None, how=how)))
            for bx, bt in batches:
                if deviation == "whole_set":
                    bx = bt = np.arange(m)
                last = spec.measure(ref, X[bx], _rows(y, bx), T[bt], W, b) if len(bx) else last
                losses.append(last)
                dW, db = _gradient(spec, ref, X[bx], T[bt], W, b)
                scale = {"grad_sum": len(bx), "grad_over_m": len(bx) / m}.get(deviation, 1.0)
                step = {"lr_twice": lr * lr, "lr_ignored": 1.0, "ascent": -lr}.get(deviation, lr) * scale
                W = W - step * dW
                if deviation == "bias_after_weights":
                    db = _gradient(spec, ref, X[bx], T[bt], W, b)[1]
                if deviation != "frozen_bias":
                    b = b - step * db
            first = losses[0] if losses else start
            end = spec.measure(ref, X, y, T, W, b)
            entry = {"history_after": end, "history_last_batch": last, "history_first_batch": first,
                     "history_running": _mean_entry(losses) if losses else start,
                     "accuracy_after": (start[0], end[1]) if spec.pairs else start,
                     "swapped_pair": start[::-1] if spec.pairs else start,
                     "accuracy_percent": (start[0], 100.0 * start[1]) if spec.pairs else start,
                     "accuracy_ties": (start[0], spec.ties(ref, X, y, T, *start_params))
                     if spec.ties is not None else start}.get(deviation, start)
            if spec.pairs and deviation in ("loss_only", "loss_running", "loss_last_batch", "loss_first_batch",
                                            "loss_after", "confidence"):
                entry = {"loss_only": start[0],
                         "loss_running": (_mean_entry(losses)[0] if losses else start[0], start[1]),
                         "loss_last_batch": ((last or start)[0], start[1]), "loss_first_batch": (first[0], start[1]),
                         "loss_after": (end[0], start[1]),
                         "confidence": (start[0], spec.confidence(ref, X, y, T, *start_params)
                                        if spec.confidence else start[1])}[deviation]
            history.append(entry)
        if deviation in HISTORY_LISTS:
            history = _history_list(deviation, history, spec.measure(ref, X, y, T, W, b))
    return W, b, history


def _history_list(deviation, history, final):
    """The contract's history (one entry per epoch) with one entry too many or too few."""
    return {"history_extra_final": history + [final], "history_extra_start": history[:1] + history,
            "history_missing_first": history[1:], "history_missing_last": history[:-1]}[deviation]


def _rows(y, rows):
    return np.asarray(y)[rows]


def _mean_entry(entries):
    if isinstance(entries[0], tuple):
        return tuple(float(np.mean([e[i] for e in entries])) for i in range(len(entries[0])))
    return float(np.mean(entries))


def applicable(spec: LoopSpec, kwargs) -> list:
    """The deviations that can change the output of a loop called with these arguments."""
    names = ["lr_twice", "lr_ignored", "ascent", "frozen_bias", "bias_after_weights", "history_after", "extra_epoch",
             "history_extra_final", "history_extra_start"]
    if kwargs.get("epochs", 1) >= 1:
        names += ["missing_epoch", "history_missing_first", "history_missing_last"]
    if spec.pairs:
        names += ["accuracy_after", "swapped_pair", "loss_only", "loss_after", "accuracy_percent"]
    if spec.confidence is not None:
        names.append("confidence")
    if spec.ties is not None:
        names.append("accuracy_ties")
    if spec.start is _seeded:
        names.append("zero_start")
    batch_size = kwargs.get("batch_size")
    if spec.batched and batch_size is not None:
        names += ["same_order", "no_shuffle", "compound", "replacement", "two_perms", "array_split", "drop_last",
                  "whole_set", "grad_sum", "grad_over_m", "history_last_batch", "history_first_batch",
                  "history_running"]
        if spec.pairs:
            names += ["loss_running", "loss_last_batch", "loss_first_batch"]
        m = kwargs.get("m")
        if m is None or (batch_size and m % batch_size == 0):
            names.append("empty_batch")
    return names


def family(spec: LoopSpec, ref, function: str) -> list:
    """The loop's mistake family as [(message, implementation)]: one member per deviation."""
    def member(name):
        def implementation(X, y, **kwargs):
            if name not in applicable(spec, dict(kwargs, m=len(X))):
                raise ValueError("no different output here")
            return simulate(spec, ref, X, y, kwargs, deviation=name)
        implementation.__name__ = f"{function}__{name}"
        return DEVIATIONS[name], implementation
    names = dict.fromkeys(applicable(spec, {"batch_size": 1}) + applicable(spec, {}))
    return [member(name) for name in names]


# ---------------------------------------------------------------- the trace
def _close(a, b, rtol=1e-6, atol=1e-9):
    """Equal values (a (1,) b holds the same value as a number b: its shape is a mistake of
    its own, named by the output's form, not by what the loop did)."""
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape and a.size == b.size and (a.ndim <= 1 and b.ndim <= 1):
        a, b = a.ravel(), b.ravel()
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _row_index(X):
    index = {}
    for i, row in enumerate(np.asarray(X, dtype=np.float64)):
        index.setdefault(row.tobytes(), i)
    return index


def _args(call, names):
    args = list(call["args"]) + [call["kwargs"].get(n) for n in names[len(call["args"]):]]
    return args[:len(names)]


def diagnose_trace(spec: LoopSpec, ref, X, y, kwargs, trace, got) -> list:
    """The deviations from the contract that the trace of a student's loop shows, as
    messages (each read off the trace, none guessed); [] when the loop made no traced
    calls to its gradient (it computes gradients inline) or the trace shows nothing wrong.
    A pattern of batches is named only when the whole pattern, every epoch and every batch
    of it, is the one the message describes."""
    calls = [c for c in trace if c["name"] == spec.gradient and c.get("answered", True)]
    if not calls:
        return []
    X = np.asarray(X, dtype=np.float64)
    m = X.shape[0]
    T = np.asarray(spec.targets(ref, y, kwargs), dtype=np.float64)
    lr, epochs = kwargs["lr"], kwargs["epochs"]
    batch_size = kwargs.get("batch_size") if spec.batched else None
    seed = kwargs.get("seed", 0)
    index = _row_index(X)
    parts = []
    for call in calls:
        Xb, Tb, W, b = _args(call, ["X", "y", "W", "b"])
        Xb = np.atleast_2d(np.asarray(Xb, dtype=np.float64))
        rows = [index.get(row.tobytes()) for row in Xb]
        if any(r is None for r in rows):
            return [DEVIATIONS["changed_x"]]
        Tb = np.asarray(Tb, dtype=np.float64)
        if Tb.shape[1:] != T.shape[1:] or Tb.shape[:1] != (len(rows),):
            return [targets_message(spec, Tb.shape, len(rows), T.shape[1:])]
        parts.append({"rows": np.array(rows, dtype=int), "X": Xb, "T": Tb, "W": W, "b": b})
    parts, bias_calls = _bias_calls(spec, ref, parts, lr)
    # a step: consecutive calls from the same parameters (a batch may be asked for in parts)
    steps = []
    for part in parts:
        if steps and len(part["rows"]) and len(steps[-1]["rows"]) and "bias_call" not in steps[-1] \
                and _close(part["W"], steps[-1]["W"], 0, 0) and _close(part["b"], steps[-1]["b"], 0, 0):
            if np.array_equal(part["rows"], steps[-1]["parts"][-1]["rows"]):
                continue        # the same batch asked for again (once for dW, once for db): one step
            steps[-1]["parts"].append(part)
        else:
            steps.append(dict(part, parts=[part]))
    for step in steps:
        step["rows"] = np.concatenate([p["rows"] for p in step["parts"]])
        step["T"] = np.concatenate([p["T"] for p in step["parts"]])
        step["X"] = X[step["rows"]]
    found = []
    # -- targets go with their rows
    if any(not _close(s["T"], T[s["rows"]]) for s in steps):
        found.append(DEVIATIONS["two_perms"])
    # -- the start
    W0, b0 = spec.start(np.random.default_rng(seed), X.shape[1], y, kwargs)
    if not (_close(steps[0]["W"], W0) and _close(steps[0]["b"], b0)):
        if spec.start is _seeded:
            zero = _close(steps[0]["W"], np.zeros_like(W0)) and _close(steps[0]["b"], 0.0)
            found.append(DEVIATIONS["zero_start" if zero else "seeded_start"])
        else:
            found.append(DEVIATIONS["not_zero_start"])
    # -- a step on no samples: a fact of the trace, whatever else the loop does
    if any(len(s["rows"]) == 0 for s in steps):
        found.append(DEVIATIONS["empty_batch"])
        steps = [s for s in steps if len(s["rows"])]
        if not steps:
            return found
    # -- the data order and the batches (extra draws from the generator shift every later order)
    if not found or found == [DEVIATIONS["empty_batch"]]:
        found += _batches(spec, steps, m, epochs, batch_size, seed)
    if DEVIATIONS["empty_batch"] in found:
        return list(dict.fromkeys(found))       # after a nan step, no update or history can be read
    # -- the update rule, from each step's own gradient
    found += _updates(spec, ref, steps, lr, got, bias_calls)
    # -- history, from the student's own parameters
    found += _history(spec, ref, X, y, T, steps, got, m, epochs, batch_size)
    return list(dict.fromkeys(found))


def targets_message(spec, shape, rows, want) -> str:
    """What the trace shows of targets that are not the rows of the contract's targets."""
    shape, want = tuple(shape), tuple(want)
    if spec.one_hot and len(shape) == 2 and len(want) == 1 and shape[0] == rows:
        return (f"the targets your loop passed to {spec.gradient} have {shape[1]} columns where num_classes is "
                f"{want[0]}: one-hot encode every batch with num_classes columns (the rows of one_hot(y, "
                "num_classes)), whatever labels the batch holds")
    return (f"the targets your loop passed to {spec.gradient} for a batch of {rows} samples have shape {shape}, "
            f"where each sample's target has shape {want}: pass the batch's rows of {spec.targets_words}")


def _bias_calls(spec, ref, parts, lr):
    """Calls for the bias gradient made after W was updated: a call on the same rows, from
    the same b, whose W is the previous call's W moved by its own -lr * dW. They are taken
    out of the steps (each marks its step with `bias_call`, the W it was made at)."""
    kept, marked = [], False
    for part in parts:
        previous = kept[-1] if kept else None
        if previous is not None and len(part["rows"]) and np.array_equal(part["rows"], previous["rows"]) \
                and _close(part["b"], previous["b"], 0, 0) and not _close(part["W"], previous["W"], 0, 0):
            try:
                dW = getattr(ref, spec.gradient)(previous["X"], previous["T"], previous["W"], previous["b"])[0]
            except Exception:
                dW = None
            if dW is not None and _close(np.asarray(part["W"], dtype=np.float64),
                                         np.asarray(previous["W"], dtype=np.float64) - lr * np.asarray(dW)):
                previous["bias_call"] = part["W"]
                marked = True
                continue
        kept.append(part)
    return kept, marked


def _batches(spec, steps, m, epochs, batch_size, seed):
    if batch_size is None:
        if any(len(s["rows"]) != m for s in steps):
            return [full_batch_message(spec)]
        return []
    sizes = [len(s["rows"]) for s in steps]
    if all(size == m for size in sizes) and batch_size < m:
        return [DEVIATIONS["whole_set"]]
    want = orders(m, epochs, batch_size, seed)

    def same(order_a, order_b, how="consecutive"):
        return all(np.array_equal(np.sort(a), np.sort(b))
                   for a, b in zip(split(order_a, batch_size, how=how), split(order_b, batch_size, how=how)))
    # one step per epoch, on batch_size samples: the whole pattern, every epoch
    if batch_size < m and len(steps) == epochs and all(size == batch_size for size in sizes):
        return [DEVIATIONS["one_batch"]]
    # every epoch the contract's batches without the last, smaller one: the whole pattern
    kept = m // batch_size
    if m % batch_size and kept and len(steps) == epochs * kept and all(size == batch_size for size in sizes):
        per_epoch = [np.concatenate([s["rows"] for s in steps[e * kept:(e + 1) * kept]]) for e in range(epochs)]
        if all(same(o, w[:kept * batch_size]) for o, w in zip(per_epoch, want)):
            return [DEVIATIONS["drop_last"]]
        return []
    # epochs: consecutive steps that together hold m rows
    epochs_rows, current = [], []
    for s in steps:
        current.append(s["rows"])
        if sum(len(r) for r in current) >= m:
            epochs_rows.append(current)
            current = []
    if current or len(epochs_rows) != epochs:
        return []
    found = []
    per_epoch = [np.concatenate(e) for e in epochs_rows]
    if any(len(np.unique(o)) < len(o) for o in per_epoch):
        found.append(DEVIATIONS["replacement"])
    expected_sizes = [len(b) for b in split(np.arange(m), batch_size)]
    split_sizes = [len(b) for b in split(np.arange(m), batch_size, how="array_split")]
    got_sizes = [[len(r) for r in e] for e in epochs_rows]
    if any(g != expected_sizes for g in got_sizes) and all(g == split_sizes for g in got_sizes):
        found.append(DEVIATIONS["array_split"])
    if found or any(g != expected_sizes for g in got_sizes):
        return found
    # the order within a batch does not change its gradient: compare each epoch's batches as sets
    if all(same(o, w) for o, w in zip(per_epoch, want)):
        return []
    if epochs > 1 and all(same(o, np.arange(m)) for o in per_epoch):
        return [DEVIATIONS["no_shuffle"]]
    if epochs > 1 and all(same(o, per_epoch[0]) for o in per_epoch[1:]):
        return [DEVIATIONS["same_order"]]
    if all(same(o, w) for o, w in zip(per_epoch, orders(m, epochs, batch_size, seed, order="compound"))):
        return [DEVIATIONS["compound"]]
    if seed != 0 and all(same(o, w) for o, w in zip(per_epoch, orders(m, epochs, batch_size, 0))):
        return [DEVIATIONS["seed_ignored"]]
    first = next(e for e, (o, w) in enumerate(zip(per_epoch, want)) if not same(o, w))
    return [order_message(first)]


def full_batch_message(spec) -> str:
    words = "with batch_size=None each epoch is" if spec.batched else "each epoch is"
    return f"{words} one step on all the samples"


def order_message(epoch) -> str:
    return (f"the samples of epoch {epoch} are not visited in the order rng.permutation(m) of one "
            f"rng = np.random.default_rng(seed) drawn once per epoch (the batches hold other samples)")


UPDATE_MESSAGE = ("the parameters after a step are not W - lr * dW and b - lr * db with the gradient of that "
                  "step's batch at the step's starting parameters")


def _updates(spec, ref, steps, lr, got, bias_calls=False):
    """Each step's change against lr times the gradient of its own batch at its own start."""
    params = [(s["W"], s["b"]) for s in steps[1:]]
    if isinstance(got, (tuple, list)) and len(got) == 3:
        params.append((got[0], got[1]))
    seen = set()
    gradient = getattr(ref, spec.gradient)
    for s, (W_next, b_next) in zip(steps, params):
        try:
            dW, db = gradient(s["X"], s["T"], s["W"], s["b"])
            pieces = [gradient(p["X"], p["T"], p["W"], p["b"]) for p in s["parts"]]
        except Exception:
            return []
        with np.errstate(all="ignore"):
            moved_W = np.asarray(W_next, dtype=np.float64) - np.asarray(s["W"], dtype=np.float64)
            moved_b = np.asarray(b_next, dtype=np.float64) - np.asarray(s["b"], dtype=np.float64)
        if _close(moved_W, -lr * dW) and _close(moved_b, -lr * np.asarray(db)) and "bias_call" not in s:
            continue
        if _close(moved_W, -lr * dW) and not _close(moved_b, -lr * np.asarray(db)):
            # db taken at the W the step moved to (asked for, or computed inline)
            try:
                db_after = gradient(s["X"], s["T"], W_next, s["b"])[1]
            except Exception:
                db_after = None
            if db_after is not None and _close(moved_b, -lr * np.asarray(db_after)):
                seen.add("bias_after_weights")
                continue
        if len(pieces) > 1 and _close(moved_W, -lr * sum(np.asarray(p[0]) for p in pieces)):
            seen.add("pieces_summed")
            continue
        matching = [name for name, factor in (("ascent", lr), ("lr_twice", -lr * lr), ("lr_ignored", -1.0),
                                              ("grad_sum", -lr * len(s["rows"])))
                    if _close(moved_W, factor * dW)]
        if len(matching) == 1 and "bias_call" not in s:  # two rules that give the same step here tell nothing apart
            seen.add(matching[0])
        elif not matching and _close(moved_W, -lr * dW) and _close(moved_b, 0.0) \
                and np.any(np.abs(np.asarray(db)) > 1e-12) and "bias_call" not in s:
            seen.add("frozen_bias")
        else:
            seen.add(None)
    if len(seen) == 1 and None not in seen:
        return [DEVIATIONS[seen.pop()]]
    if seen:
        return [UPDATE_MESSAGE]
    return []


def _history(spec, ref, X, y, T, steps, got, m, epochs, batch_size):
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        return []
    try:
        history = [tuple(float(v) for v in e) if spec.pairs else float(e) for e in got[2]]
    except (TypeError, ValueError):
        return []
    per_epoch = len(split(np.arange(m), batch_size)) if batch_size is not None else 1
    if len(steps) != epochs * per_epoch or abs(len(history) - epochs) > 1:
        return []
    yv = np.asarray(y)
    final = (got[0], got[1])
    starts = [(steps[e * per_epoch]["W"], steps[e * per_epoch]["b"]) for e in range(epochs)]
    ends = starts[1:] + [final]

    def full(Wb):
        return spec.measure(ref, X, yv, T, *Wb)

    def batch(s):
        return spec.measure(ref, X[s["rows"]], yv[s["rows"]], T[s["rows"]], s["W"], s["b"])
    try:
        want = [full(p) for p in starts]
        if _close(history, want):
            return []
        if len(history) != epochs:          # one entry too many or too few, the others right
            lists = {name: _history_list(name, want, full(final)) for name in HISTORY_LISTS}
            named = [name for name, value in lists.items() if _close(history, value)]
            return [DEVIATIONS[named[0]]] if len(named) == 1 else []
        candidates = {"history_after": [full(p) for p in ends],
                      "history_last_batch": [batch(steps[(e + 1) * per_epoch - 1]) for e in range(epochs)],
                      "history_first_batch": [batch(steps[e * per_epoch]) for e in range(epochs)],
                      "history_running": [_mean_entry([batch(steps[e * per_epoch + i]) for i in range(per_epoch)])
                                          for e in range(epochs)]}
        if spec.pairs:
            candidates["accuracy_after"] = [(w[0], a[1]) for w, a in zip(want, candidates["history_after"])]
            candidates["swapped_pair"] = [w[::-1] for w in want]
            candidates["accuracy_percent"] = [(w[0], 100.0 * w[1]) for w in want]
            # one half of each pair right, the other recorded another way
            for name, whole in (("loss_running", "history_running"), ("loss_last_batch", "history_last_batch"),
                                ("loss_first_batch", "history_first_batch"), ("loss_after", "history_after")):
                candidates[name] = [(c[0], w[1]) for c, w in zip(candidates[whole], want)]
            if spec.confidence is not None:
                candidates["confidence"] = [(w[0], spec.confidence(ref, X, yv, T, *p)) for w, p in zip(want, starts)]
            if spec.ties is not None:
                candidates["accuracy_ties"] = [(w[0], spec.ties(ref, X, yv, T, *p)) for w, p in zip(want, starts)]
    except Exception:
        return []
    if per_epoch == 1:              # one batch per epoch: the batch is the whole set, the same entries
        for name in ("history_last_batch", "history_first_batch", "history_running", "loss_running",
                     "loss_last_batch", "loss_first_batch"):
            candidates.pop(name, None)
    # the entries that differ from the contract's: a reading must explain them all, and be the
    # only reading that does (two that give the same history here are not told apart)
    named = [name for name, value in candidates.items() if _close(history, value)]
    messages = list(dict.fromkeys(DEVIATIONS[name] for name in named))
    if len(messages) == 1 and _numbers(history, want) >= 2:
        return messages
    return []


def _numbers(history, want) -> int:
    """How many numbers of a history differ from the contract's."""
    a, b = np.asarray(history, dtype=np.float64), np.asarray(want, dtype=np.float64)
    with np.errstate(all="ignore"):
        return int(np.sum(~np.isclose(a, b, rtol=1e-6, atol=1e-9))) if a.shape == b.shape else a.size


def diagnose_raised(trace, error: str, spec=None, ref=None, X=None, y=None, kwargs=None) -> list:
    """The cause of an exception that the trace pins down: the loop's last call, to a graded
    function answered by the reference, was given an empty batch (no rows), or targets of
    another shape than the rows of the contract's targets, and that call raised. []
    otherwise (the student's own code raised: no cause is guessed)."""
    calls = [c for c in trace if c.get("answered", True)]
    if not calls:
        return []
    last = calls[-1]
    if f"{last['name']}: " not in error:
        return []
    values = list(last["args"]) + list(last["kwargs"].values())
    try:
        rows = np.shape(values[0])[0] if values and np.ndim(values[0]) else None
    except (TypeError, ValueError, IndexError):
        return []
    if rows == 0:
        return [empty_call_message(spec, last["name"])]
    if spec is not None and last["name"] == spec.gradient and ref is not None and len(values) >= 2:
        try:
            T = np.asarray(spec.targets(ref, y, kwargs), dtype=np.float64)
            Tb = np.asarray(values[1], dtype=np.float64)
        except Exception:
            return []
        if Tb.shape[1:] != T.shape[1:] or Tb.shape[:1] != (rows,):
            return [targets_message(spec, Tb.shape, rows, T.shape[1:])]
    return []


def empty_call_message(spec, name) -> str:
    if spec is not None and not spec.batched:
        return (f"your loop called {name} on an empty set of samples (0 rows), where the mean over the samples "
                "divides by zero: every step uses all the samples of X")
    return (f"your loop called {name} on an empty batch (0 samples), where the mean over the batch "
            "divides by zero: every batch must hold at least one sample (the batches are "
            "order[start:start + batch_size] for start in range(0, m, batch_size))")


def messages(spec) -> list:
    """Every message the diagnosis of this loop (its trace and its family) can give, the
    ones made from what the trace shows written for example values."""
    keys = ["two_perms", "changed_x", "ascent", "lr_twice", "lr_ignored", "grad_sum", "frozen_bias",
            "bias_after_weights", "history_after", "extra_epoch", "missing_epoch", *HISTORY_LISTS,
            "zero_start" if spec.start is _seeded else "not_zero_start"]
    if spec.start is _seeded:
        keys.append("seeded_start")
    if spec.batched:
        keys += ["whole_set", "drop_last", "replacement", "array_split", "no_shuffle", "same_order", "compound",
                 "seed_ignored", "one_batch", "empty_batch", "grad_over_m", "pieces_summed", "history_last_batch",
                 "history_first_batch", "history_running"]
    if spec.pairs:
        keys += ["accuracy_after", "swapped_pair", "loss_only", "loss_after", "accuracy_percent"]
        if spec.batched:
            keys += ["loss_running", "loss_last_batch", "loss_first_batch"]
    if spec.confidence is not None:
        keys.append("confidence")
    if spec.ties is not None:
        keys.append("accuracy_ties")
    keys += applicable(spec, {"batch_size": 1 if spec.batched else None, "m": 2}) + applicable(spec, {})
    out = [DEVIATIONS[k] for k in dict.fromkeys(keys)]
    out += [full_batch_message(spec), UPDATE_MESSAGE, empty_call_message(spec, spec.gradient),
            targets_message(spec, (3, 2), 3, (4,) if spec.one_hot else ()),
            targets_message(spec, (3, 1), 3, ())]
    if spec.batched:
        out.append(order_message(1))
    return out


def tracer(spec: LoopSpec):
    """A `diagnose` for `autograder.judging.expect.trajectory`: the causes a loop's trace shows (for a
    loop that raised, `got` is an `autograder.judging.expect.Raised`)."""
    def diagnose(ctx, args, kwargs, trace, got):
        try:
            if type(got).__name__ == "Raised":
                return diagnose_raised(trace, str(got), spec, ctx.reference, args[0], args[1], kwargs)
            return diagnose_trace(spec, ctx.reference, args[0], args[1], kwargs, trace, got)
        except Exception:           # a trace this reading does not follow names nothing
            return []
    return diagnose
