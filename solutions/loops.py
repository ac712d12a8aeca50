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
                confidence=lambda ref, X, y, T, W, b: float(np.mean(np.max(ref.softmax(X @ W + b), axis=1))))
SPECS = {"fit_linear_regression": LAB1, "train_logistic_regression": LAB2, "train_softmax_regression": LAB3}


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
    stop = m - m % batch_size if how == "drop_last" else m
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


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
    how = deviation if deviation in ("array_split", "drop_last") else "consecutive"
    history = []
    for rows_x, rows_t in pairs:
        start, start_params = spec.measure(ref, X, y, T, W, b), (W, b)
        losses, last = [], None
        batches = list(zip(split(rows_x, batch_size if spec.batched else None, how=how),
                           split(rows_t, batch_size if spec.batched else None, how=how)))
        for bx, bt in batches:
            if deviation == "whole_set":
                bx = bt = np.arange(m)
            last = spec.measure(ref, X[bx], _rows(y, bx), T[bt], W, b)
            losses.append(last)
            dW, db = getattr(ref, spec.gradient)(X[bx], T[bt], W, b)
            scale = {"grad_sum": len(bx), "grad_over_m": len(bx) / m}.get(deviation, 1.0)
            step = {"lr_twice": lr * lr, "lr_ignored": 1.0, "ascent": -lr}.get(deviation, lr) * scale
            W = W - step * dW
            if deviation != "frozen_bias":
                b = b - step * db
        end = spec.measure(ref, X, y, T, W, b)
        entry = {"history_after": end, "history_last_batch": last,
                 "history_running": _mean_entry(losses) if losses else start,
                 "accuracy_after": (start[0], end[1]) if spec.pairs else start,
                 "swapped_pair": start[::-1] if spec.pairs else start}.get(deviation, start)
        if spec.pairs and deviation in ("loss_only", "loss_running", "loss_last_batch", "loss_after", "confidence"):
            entry = {"loss_only": start[0],
                     "loss_running": (_mean_entry(losses)[0] if losses else start[0], start[1]),
                     "loss_last_batch": ((last or start)[0], start[1]), "loss_after": (end[0], start[1]),
                     "confidence": (start[0], spec.confidence(ref, X, y, T, *start_params)
                                    if spec.confidence else start[1])}[deviation]
        history.append(entry)
    return W, b, history


def _rows(y, rows):
    return np.asarray(y)[rows]


def _mean_entry(entries):
    if isinstance(entries[0], tuple):
        return tuple(float(np.mean([e[i] for e in entries])) for i in range(len(entries[0])))
    return float(np.mean(entries))


def applicable(spec: LoopSpec, kwargs) -> list:
    """The deviations that can change the output of a loop called with these arguments."""
    names = ["lr_twice", "lr_ignored", "ascent", "frozen_bias", "history_after", "extra_epoch"]
    if kwargs.get("epochs", 1) >= 1:
        names.append("missing_epoch")
    if spec.pairs:
        names += ["accuracy_after", "swapped_pair", "loss_only", "loss_after"]
    if spec.confidence is not None:
        names.append("confidence")
    if spec.start is _seeded:
        names.append("zero_start")
    if spec.batched and kwargs.get("batch_size") is not None:
        names += ["same_order", "no_shuffle", "compound", "replacement", "two_perms", "array_split", "drop_last",
                  "whole_set", "grad_sum", "grad_over_m", "history_last_batch", "history_running"]
        if spec.pairs:
            names += ["loss_running", "loss_last_batch"]
    return names


def family(spec: LoopSpec, ref, function: str) -> list:
    """The loop's mistake family as [(message, implementation)]: one member per deviation."""
    def member(name):
        def implementation(X, y, **kwargs):
            if name not in applicable(spec, kwargs):
                raise ValueError("no different output here")
            return simulate(spec, ref, X, y, kwargs, deviation=name)
        implementation.__name__ = f"{function}__{name}"
        return DEVIATIONS[name], implementation
    names = dict.fromkeys(applicable(spec, {"batch_size": 1}) + applicable(spec, {}))
    return [member(name) for name in names]


# ---------------------------------------------------------------- the trace
def _close(a, b, rtol=1e-6, atol=1e-9):
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
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
    calls to its gradient (it computes gradients inline) or the trace shows nothing wrong."""
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
        parts.append({"rows": np.array(rows, dtype=int), "X": Xb, "T": np.asarray(Tb, dtype=np.float64),
                      "W": W, "b": b})
    # a step: consecutive calls from the same parameters (a batch may be asked for in parts)
    steps = []
    for part in parts:
        if steps and _close(part["W"], steps[-1]["W"], 0, 0) and _close(part["b"], steps[-1]["b"], 0, 0):
            steps[-1]["parts"].append(part)
        else:
            steps.append(dict(part, parts=[part]))
    for step in steps:
        step["rows"] = np.concatenate([p["rows"] for p in step["parts"]])
        try:
            step["T"] = np.concatenate([np.reshape(p["T"], (len(p["rows"]),) + T.shape[1:]) for p in step["parts"]])
        except ValueError:
            return []
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
    # -- the data order and the batches (extra draws from the generator shift every later order)
    if not found:
        found += _batches(steps, m, epochs, batch_size, seed)
    # -- the update rule, from each step's own gradient
    found += _updates(spec, ref, steps, lr, got)
    # -- history, from the student's own parameters
    found += _history(spec, ref, X, y, T, steps, got, m, epochs, batch_size)
    return list(dict.fromkeys(found))


def _batches(steps, m, epochs, batch_size, seed):
    if batch_size is None:
        if any(len(s["rows"]) != m for s in steps):
            return ["with batch_size=None each epoch is one step on all the samples"]
        return []
    sizes = [len(s["rows"]) for s in steps]
    if all(size == m for size in sizes) and batch_size < m:
        return [DEVIATIONS["whole_set"]]
    # epochs: consecutive steps that together hold m rows
    epochs_rows, current = [], []
    for s in steps:
        current.append(s["rows"])
        if sum(len(r) for r in current) >= m:
            epochs_rows.append(current)
            current = []
    if current or len(epochs_rows) != epochs:
        if sum(sizes) == epochs * (m - m % batch_size) and m % batch_size:
            return [DEVIATIONS["drop_last"]]
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
    if found:
        return found
    # the order within a batch does not change its gradient: compare each epoch's batches as sets
    want = orders(m, epochs, batch_size, seed)

    def same(order_a, order_b):
        return all(np.array_equal(np.sort(a), np.sort(b))
                   for a, b in zip(split(order_a, batch_size), split(order_b, batch_size)))
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
    return [f"the samples of epoch {first} are not visited in the order rng.permutation(m) of one "
            f"rng = np.random.default_rng(seed) drawn once per epoch (the batches hold other samples)"]


def _updates(spec, ref, steps, lr, got):
    """Each step's change against lr times the gradient of its own batch at its own start."""
    params = [(s["W"], s["b"]) for s in steps[1:]]
    if isinstance(got, (tuple, list)) and len(got) == 3:
        params.append((got[0], got[1]))
    seen = set()
    for s, (W_next, b_next) in zip(steps, params):
        try:
            dW, db = getattr(ref, spec.gradient)(s["X"], s["T"], s["W"], s["b"])
            pieces = [getattr(ref, spec.gradient)(p["X"], p["T"], p["W"], p["b"]) for p in s["parts"]]
        except Exception:
            return []
        with np.errstate(all="ignore"):
            moved_W = np.asarray(W_next, dtype=np.float64) - np.asarray(s["W"], dtype=np.float64)
            moved_b = np.asarray(b_next, dtype=np.float64) - np.asarray(s["b"], dtype=np.float64)
        if _close(moved_W, -lr * dW) and _close(moved_b, -lr * np.asarray(db)):
            continue
        if len(pieces) > 1 and _close(moved_W, -lr * sum(np.asarray(p[0]) for p in pieces)):
            seen.add("pieces_summed")
            continue
        matching = [name for name, factor in (("ascent", lr), ("lr_twice", -lr * lr), ("lr_ignored", -1.0),
                                              ("grad_sum", -lr * len(s["rows"])))
                    if _close(moved_W, factor * dW)]
        if len(matching) == 1:          # two rules that give the same step here tell nothing apart
            seen.add(matching[0])
        elif not matching and _close(moved_W, -lr * dW) and _close(moved_b, 0.0) \
                and np.any(np.abs(np.asarray(db)) > 1e-12):
            seen.add("frozen_bias")
        elif not matching:
            seen.add(None)
    if len(seen) == 1 and None not in seen:
        return [DEVIATIONS[seen.pop()]]
    if seen:
        return ["the parameters after a step are not W - lr * dW and b - lr * db with the gradient of that "
                "step's batch at the step's starting parameters"]
    return []


def _history(spec, ref, X, y, T, steps, got, m, epochs, batch_size):
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        return []
    try:
        history = [tuple(float(v) for v in e) if spec.pairs else float(e) for e in got[2]]
    except (TypeError, ValueError):
        return []
    per_epoch = len(split(np.arange(m), batch_size)) if batch_size is not None else 1
    if len(steps) != epochs * per_epoch or len(history) != epochs:
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
        candidates = {"history_after": [full(p) for p in ends],
                      "history_last_batch": [batch(steps[(e + 1) * per_epoch - 1]) for e in range(epochs)],
                      "history_running": [_mean_entry([batch(steps[e * per_epoch + i]) for i in range(per_epoch)])
                                          for e in range(epochs)]}
        if spec.pairs:
            candidates["accuracy_after"] = [(w[0], a[1]) for w, a in zip(want, candidates["history_after"])]
            candidates["swapped_pair"] = [w[::-1] for w in want]
            # one half of each pair right, the other recorded another way
            for name, whole in (("loss_running", "history_running"), ("loss_last_batch", "history_last_batch"),
                                ("loss_after", "history_after")):
                candidates[name] = [(c[0], w[1]) for c, w in zip(candidates[whole], want)]
            if spec.confidence is not None:
                candidates["confidence"] = [(w[0], spec.confidence(ref, X, yv, T, *p)) for w, p in zip(want, starts)]
    except Exception:
        return []
    named = [name for name, value in candidates.items() if _close(history, value)]
    if len(named) >= 1:
        return [DEVIATIONS[named[0]]]
    return []


def diagnose_raised(trace, error: str) -> list:
    """The cause of an exception that the trace pins down: the loop's last call, to a graded
    function answered by the reference, was given an empty batch (no rows) and that call
    raised. [] otherwise (the student's own code raised: no cause is guessed)."""
    calls = [c for c in trace if c.get("answered", True)]
    if not calls:
        return []
    last = calls[-1]
    first = (list(last["args"]) + list(last["kwargs"].values()) or [None])[0]
    try:
        rows = np.shape(first)[0] if np.ndim(first) else None
    except (TypeError, ValueError, IndexError):
        return []
    if rows == 0 and f"{last['name']}: " in error:
        return [f"your loop called {last['name']} on an empty batch (0 samples), where the mean over the batch "
                "divides by zero: every batch must hold at least one sample (the batches are "
                "order[start:start + batch_size] for start in range(0, m, batch_size))"]
    return []


def tracer(spec: LoopSpec):
    """A `diagnose` for `autograder.judging.expect.trajectory`: the causes a loop's trace shows (for a
    loop that raised, `got` is an `autograder.judging.expect.Raised`)."""
    def diagnose(ctx, args, kwargs, trace, got):
        try:
            if type(got).__name__ == "Raised":
                return diagnose_raised(trace, str(got))
            return diagnose_trace(spec, ctx.reference, args[0], args[1], kwargs, trace, got)
        except Exception:           # a trace this reading does not follow names nothing
            return []
    return diagnose
