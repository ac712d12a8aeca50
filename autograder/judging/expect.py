"""The check toolkit, for public and hidden checks alike: what a check expects of the
student's output. Each function raises `CheckFailed` with a message for the student.

`compare` is the one comparison engine (in the manner of numpy.testing's
assert_array_compare): the closeness rule, shape and form, the message, and the naming of
known mistakes live there; `values`, `parts`, `case`, `stored` and `reference` are thin
wrappers over it. Public checks show both values (their inputs are public); hidden checks
describe the difference without showing inputs or reference values.
"""
from __future__ import annotations

import numpy as np

from . import diagnosis
from .checks import CallBroken, CheckFailed, KnownOutputs, StudentRaised
from .diagnosis import plain, short, type_name  # noqa: F401  (the checks use them through this module)
from .gradcheck import relative_error

GRADIENT_TOLERANCE = 1e-5
class Pinned(CheckFailed):
    """A failure whose cause what the judge saw the code do pins down by itself (it changed
    an input, it warned): the text and that one cause, as data."""

    rank = 1

    def __init__(self, text, cause):
        self.text, self.cause = text, cause
        super().__init__(diagnosis.render(text, pinned=[cause]))

    def reasons(self) -> tuple:
        return self.text, [self.cause], ""


class InPlace(Pinned):
    """The student's function changed an input."""

    CAUSE = ("an in-place operation on an input (+=, -=, *=, x[...] = ..., np.random.shuffle(x), "
             "or a name that is not a copy, like new_W = W): work on a copy or on new arrays.")

    def __init__(self, function):
        super().__init__(f"{function} changed its input array in place: the caller's data must stay as it was.",
                         self.CAUSE)


class Mismatch(CheckFailed):
    """A failed comparison, as data: what is wrong (`text`), the known mistakes whose output
    on this case's inputs is the student's (`causes`: the catalog's first, then the
    families'; None when no value was compared), what was observed, the causes what the
    code did pins down (`pinned`: a trace, a structure), and the evidence (`values`: how
    many numbers of the student's output the causes were matched on).

    A matched mistake is named only on at least two numbers: one number matches an
    unrelated mistake by coincidence too often; the same holds for what was observed
    (`diagnosis.stated`; across the cases of a check, `diagnosis.weigh`). Ranked by how well
    it names the mistake: 2 with a named cause, 1 with an observation, 0 with neither."""

    EVIDENCE = 2

    def __init__(self, text, causes=None, seen="", pinned=(), values=EVIDENCE, kind="failed"):
        self.text, self.causes, self.seen, self.pinned, self.values = text, causes, seen, list(pinned), values
        self.kind = kind
        super().__init__(diagnosis.render(text, self.named, seen, self.pinned))

    @property
    def named(self):
        return list(self.causes or ()) if self.values >= self.EVIDENCE else []

    @property
    def rank(self):
        return 2 if self.named or self.pinned else 1 if self.seen else 0

    def reasons(self) -> tuple:
        causes = diagnosis.confirmed_causes(self.named, self.pinned)
        return self.text, causes, "" if causes else diagnosis.stated(self.seen)

    def candidates(self) -> list:
        return self.named

    def confirmed_by(self, causes, values) -> "Mismatch":
        """This failure naming only `causes`, matched on `values` numbers in all."""
        return Mismatch(self.text, list(causes), self.seen, self.pinned, values, self.kind)

    def with_pinned(self, pinned) -> "Mismatch":
        """This failure with causes that what the code did pins down (see `case`)."""
        return Mismatch(self.text, self.causes, self.seen, pinned, self.values, self.kind)

    def with_seen(self, seen) -> "Mismatch":
        """This failure stating `seen` (an observation weighed over several cases)."""
        return Mismatch(self.text, self.causes, seen, self.pinned, self.values, self.kind)


class Raised(str):
    """What a traced call that raised gives its `diagnose`: the error's text, in place of an output."""


def rank_of(exc) -> int:
    return getattr(exc, "rank", 0)


# ---------------------------------------------------------------- the engine
def compare(ctx, got, expected, *, what, mistakes=(), parts=None, sizes=None,
            rtol=diagnosis.RTOL, atol=diagnosis.ATOL):
    """`got` against `expected`; with `parts` (names), a tuple compared part by part.

    `mistakes` [(output, message)] are the outputs of known mistakes on the same inputs.
    A mistake is named when its whole output is the student's; failing that, when the part
    that is wrong is that part of its output and every other part the mistake changes (is
    not the expected one there) is the student's too: a mistake that flips the sign of dW
    and db is not named on a db alone flipped. The evidence of a match is the numbers in
    which the output differs from the expected one (`diagnosis.differing`)."""
    if holds_dict(expected):        # a dict (params, a cache) is compared entry by entry, as named parts
        names, expected_parts = zip(*flat_parts(expected, parts))
        got_parts = flat_like(got, expected)
        if got_parts is None:
            raise Mismatch(f"{what} should be {form_of(expected, parts)}, but your function returned "
                           f"{form_of(got)}.", diagnosis.recognised(got, mistakes), pinned=missing_keys(got, expected, parts),
                           values=diagnosis.size_of(got))
        flat_mistakes = KnownOutputs(lambda: [(tuple(flat), message) for value, message in mistakes
                                              if (flat := flat_like(value, expected)) is not None])
        return compare(ctx, tuple(got_parts), tuple(expected_parts), what=what, mistakes=flat_mistakes,
                       parts=names, sizes=sizes, rtol=rtol, atol=atol)
    values = diagnosis.size_of(got)
    if parts is None:
        values = diagnosis.differing(got, expected, rtol=rtol, atol=atol)
        _fail_if_different(ctx, got, expected, what, mistakes, sizes, rtol, atol, values)
        return
    if not isinstance(got, (tuple, list)) or len(got) != len(parts):
        raise Mismatch(f"{ctx.function} should return a tuple ({', '.join(parts)}), but returned "
                       f"{type_name(got)}" + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else "")
                       + ".", diagnosis.recognised(got, mistakes), values=values)
    for index, name in enumerate(parts):
        part_mistakes = KnownOutputs(lambda index=index: [
            (value[index], message) for value, message in mistakes
            if isinstance(value, (tuple, list)) and len(value) == len(parts)
            and claims_hold(value, got, expected, index)])
        try:
            _fail_if_different(ctx, got[index], expected[index], name, part_mistakes, sizes, rtol, atol,
                               diagnosis.differing(got[index], expected[index], rtol=rtol, atol=atol))
        except Mismatch as exc:
            whole = diagnosis.recognised(got, mistakes, expected)
            if whole:
                raise Mismatch(exc.text, whole, exc.seen, exc.pinned,
                               diagnosis.differing(got, expected, rtol=rtol, atol=atol)) from None
            raise


def holds_dict(value) -> bool:
    return isinstance(value, dict) or (isinstance(value, tuple) and any(holds_dict(v) for v in value))


def flat_parts(expected, parts=None, prefix="") -> list:
    """[(name, value)] of every leaf of a tuple or dict output: a dict's entries by their key,
    a tuple's by `parts` (or their position)."""
    if isinstance(expected, dict):
        return [item for key, v in expected.items() for item in flat_parts(v, None, f"{prefix}[{key!r}]"
                                                                            if prefix else str(key))]
    if isinstance(expected, tuple):
        names = parts or [f"part {i + 1}" for i in range(len(expected))]
        return [item for name, v in zip(names, expected) for item in flat_parts(v, None, name)]
    return [(prefix, expected)]


def flat_like(value, expected):
    """The leaves of `value` in the order of `expected`'s (`flat_parts`), or None where its form
    differs: a dict needs (at least) the expected keys, a tuple or list the same length."""
    if isinstance(expected, dict):
        if not isinstance(value, dict) or not set(expected) <= set(value):
            return None
        pieces = [flat_like(value[key], v) for key, v in expected.items()]
    elif isinstance(expected, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(expected):
            return None
        pieces = [flat_like(v, e) for v, e in zip(value, expected)]
    else:
        return [value]
    return None if any(p is None for p in pieces) else [leaf for piece in pieces for leaf in piece]


def missing_keys(got, expected, parts=None) -> list:
    """The cause a dict output pins down by itself: keys the contract's dict has and the
    student's lacks, where the output has the contract's form otherwise (a dict where a dict
    is, a tuple of the same length)."""
    pairs = [("your dict", got, expected)]
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return []
        names = parts or [f"part {i + 1}" for i in range(len(expected))]
        pairs = [(f"your {name}", g, e) for name, g, e in zip(names, got, expected)]
    causes = []
    for name, g, e in pairs:
        if isinstance(e, dict):
            if not isinstance(g, dict):
                return []
            lacking = [str(k) for k in e if k not in g]
            if lacking:
                keys = ", ".join(sorted(map(str, e)))
                causes.append(f"{name} has no key {' and no key '.join(repr(k) for k in lacking)}: it must hold the "
                              f"keys {keys}")
    return ["; ".join(causes)] if causes else []


def form_of(value, parts=None) -> str:
    """What a tuple or dict output holds, in words: 'a dict with the keys W1, b1' ..."""
    if isinstance(value, dict):
        return "a dict with the keys " + ", ".join(map(str, value)) if value else "an empty dict"
    if isinstance(value, (tuple, list)) and holds_dict(tuple(value)):
        names = parts or [f"part {i + 1}" for i in range(len(value))]
        return f"a tuple ({', '.join(names)}) where " + "; ".join(
            f"{name} is {form_of(v)}" for name, v in zip(names, value) if isinstance(v, dict))
    return type_name(value)


def claims_hold(value, got, expected, index) -> bool:
    """Whether a known mistake's output `value` (a tuple) agrees with the student's `got` on
    every part other than `index` that the mistake changes (where it is not `expected`)."""
    return all(diagnosis.close(value[j], got[j], **diagnosis.MATCH)
               or diagnosis.close(value[j], expected[j], **diagnosis.MATCH)
               for j in range(len(value)) if j != index)


def _fail_if_different(ctx, got, expected, what, mistakes, sizes, rtol, atol, values):
    found = diagnosis.describe(got, expected, what=what, show=not ctx.hidden, mistakes=mistakes,
                               sizes=sizes, rtol=rtol, atol=atol)
    if found:
        text, causes, seen, pinned = found
        raise Mismatch(text, causes, seen, pinned, values)


def named(exc, got, mistakes) -> Mismatch:
    """`exc` (a failure of form) as a ranked failure naming the known mistakes whose whole
    output is the student's."""
    values = diagnosis.size_of(got)
    if isinstance(exc, Mismatch):
        return Mismatch(exc.text, diagnosis.recognised(got, mistakes) or exc.causes, exc.seen, exc.pinned, values)
    return Mismatch(str(exc), diagnosis.recognised(got, mistakes), values=values)


# ---------------------------------------------------------------- thin wrappers
def values(ctx, got, expected, *, what, **kw):
    """One output against its expected value (returned when it passes)."""
    compare(ctx, got, expected, what=what, **kw)
    return got


def parts(ctx, got, expected, names, **kw):
    """A tuple output ((dW, db), (W, b)) part by part (returned when it passes)."""
    compare(ctx, got, expected, what=ctx.function, parts=tuple(names), **kw)
    return got


def case(ctx, the_case, *, what=None, parts=None, training=None, array=False, untouched=False, diagnose=None,
         **kw):
    """The student's output on a `Case` against its expected output.

    `training` (n, epochs, entry_size) first checks the form of a training loop's output;
    `array` requires a numpy array; `untouched` fails when the call changed an input in place.
    With `diagnose(ctx, args, kwargs, trace, got) -> [cause]`, the call is traced (each call
    it made to a declared callee) and a failure names the causes the trace shows. An
    exception names the cause the error alone pins down (`diagnosis.raised_cause`: a
    signature that refuses the contract's call)."""
    if diagnose is None:
        result = ctx.call_result(*the_case.args, **the_case.kwargs)
    else:
        result = ctx.call_traced(*the_case.args, **the_case.kwargs)
    try:
        got = ctx.value_of(result, ctx.function)
    except StudentRaised as exc:        # named only when what the trace or the error itself shows pins it down
        # the error's own text (a hidden check's message leaves it out): read by the judge, never shown
        pinned = diagnose(ctx, the_case.args, the_case.kwargs, result.trace,
                          Raised(str(result.error) if result.error is not None else exc)) \
            if diagnose is not None and result.trace else []
        pinned = pinned or diagnosis.raised_cause(result.error, ctx.function,
                                                  ctx.lab.functions[ctx.function].signature)
        if pinned:
            raise raised_with(exc, pinned) from None
        raise
    try:
        if training:
            try:
                training_output(ctx, got, **training)
            except CheckFailed as exc:      # the form is wrong: name the known mistake that has this form
                raise named(exc, got, the_case.mistakes) from None
        compare(ctx, got, the_case.expected, what=what or ctx.function, mistakes=the_case.mistakes, parts=parts,
                **kw)
    except Mismatch as exc:
        pinned = diagnose(ctx, the_case.args, the_case.kwargs, result.trace, got) if diagnose else []
        if pinned:
            raise exc.with_pinned(pinned) from None
        raise
    if array:
        ndarray(ctx, got, what or ctx.function)
    if untouched and result.modified_inputs:
        raise InPlace(ctx.function)
    return got


def raised_with(exc, pinned) -> Mismatch:
    """An exception of the student's code as a failure naming the causes that pin it down."""
    return Mismatch(str(exc), None, "", pinned, values=0, kind=exc.kind)


def stored(ctx, key, what=None, **kw):
    """A public case stored with the lab's data (its inputs are in the lab module)."""
    return case(ctx, ctx.lab.case(key), what=what, **kw)


def reference(ctx, args, kwargs=None, *, what=None, **kw):
    """The student's output against the reference's on the same inputs (hidden checks):
    known mistakes named, inputs held untouched."""
    return case(ctx, ctx.reference_case(args, kwargs), what=what, untouched=True, **kw)


def trajectory(ctx, args, kwargs, *, n, entry_size, label="", diagnose=None):
    """A training loop's (W, b, history) against the reference's on the same inputs; with
    `diagnose`, the loop's calls to its declared callees are traced and read (see `case`)."""
    return reference(ctx, args, kwargs, parts=(f"W{label}", f"b{label}", f"history{label}"),
                     training={"n": n, "epochs": kwargs["epochs"], "entry_size": entry_size}, diagnose=diagnose)


class Edge(str):
    """The label of an edge form of an input (one sample, an axis of length 1): a split on
    its axis names a cause only when the edge form is the one that fails."""


class Cases:
    """Several cases of one check: every case runs, and a failure reports the most telling
    one (the first with the best `rank_of`). An edge case such as one sample often cannot
    tell two mistakes apart where a larger case can.

        with Cases(ctx) as cases:
            for ...:
                cases.run(expect.reference, [X, W, b], what=..., form={"outputs": "W of shape (n,)"})

    `form` ({axis: label}) says which input form a case has. When on one axis every case
    of some forms passes and every case of the others fails (it raised, or came back
    wrong), and no other axis splits the cases, the failure says so: "right for W of shape
    (n,) but fails for W of shape (n, k)" is pinned by the cases themselves. `control` adds
    a case that only gives that evidence: it runs when the check fails, and its own failure
    costs nothing.
    """

    def __init__(self, ctx):
        self.ctx = ctx
        self.failures = []
        self.outcomes = []          # (form, passed, numbers compared)
        self.controls = []

    def __enter__(self):
        return self

    def run(self, function, *args, form=None, **kwargs):
        try:
            got = function(self.ctx, *args, **kwargs)
        except CallBroken:
            raise
        except CheckFailed as exc:
            self.failures.append(exc)
            self.outcomes.append((form or {}, False, 0))
            return None
        self.outcomes.append((form or {}, True, diagnosis.size_of(got)))
        return got

    def control(self, function, *args, form, **kwargs):
        self.controls.append((function, args, form, kwargs))

    def __exit__(self, kind, value, traceback):
        if kind is None and self.failures:
            for function, args, form, kwargs in self.controls:
                try:
                    got = function(self.ctx, *args, **kwargs)
                except CallBroken:
                    raise
                except CheckFailed:
                    self.outcomes.append((form, False, 0))
                else:
                    self.outcomes.append((form, True, diagnosis.size_of(got)))
            raise confirmed(self.failures, split_cause(self.ctx.function, self.outcomes))
        return False


def split_cause(function, outcomes) -> str:
    """The cause the pass/fail pattern of a check's cases pins down (see `Cases`), or ""."""
    found = []
    for axis in dict.fromkeys(a for form, _, _ in outcomes for a in form):
        if any(axis not in form for form, _, _ in outcomes):
            continue
        labels = {}
        for form, passed, size in outcomes:
            labels.setdefault(form[axis], []).append((passed, size))
        good = [label for label, runs in labels.items() if all(p for p, _ in runs)]
        bad = [label for label, runs in labels.items() if not any(p for p, _ in runs)]
        if not good or not bad or len(good) + len(bad) != len(labels):
            continue
        edges = [label for label in labels if isinstance(label, Edge)]
        if edges and set(bad) != set(edges):
            continue
        if sum(size for label in good for _, size in labels[label]) < Mismatch.EVIDENCE:
            continue
        partition = frozenset(i for i, (form, _, _) in enumerate(outcomes) if form[axis] in bad)
        found.append((partition, good, bad, bool(edges)))
    if len({partition for partition, *_ in found}) != 1 or len(found) != 1:
        return ""           # no axis splits the cases, or two axes do: nothing is pinned
    _, good, bad, edge = found[0]
    text = (f"your {function} is right for {' and for '.join(good)} but fails for {' and for '.join(bad)}: ")
    if edge:
        return text + ("the contract's inputs include this edge form: nothing may depend on an axis being longer than 1 "
                       "(np.squeeze, .item() or a division by m - 1 break there)")
    return text + "the contract promises every one of these forms, and code written for one form does not handle the other"


def confirmed(failures, split=""):
    """The most telling of several failures of one check (the first of the best rank), naming
    only the causes that every failing case with compared values confirms: a mistake whose
    output matches one case by coincidence is ruled out by another. Without a named cause,
    `split` (what the pass/fail pattern of the cases pins down) is the cause."""
    compared = [f for f in failures if isinstance(f, Mismatch) and f.causes is not None]
    if compared:
        common = [c for c in compared[0].causes if all(c in f.causes for f in compared[1:])]
        values = sum(f.values for f in compared)
        failures = [f.confirmed_by(common, values) if f in compared else f for f in failures]
    chosen = max(failures, key=rank_of)
    if isinstance(chosen, Mismatch) and not (chosen.named or chosen.pinned):
        # what was observed, weighed over every failing case: a reading that one case fits
        # and another does not is no reading
        chosen = chosen.with_seen(diagnosis.weigh(chosen.seen, [f.seen if isinstance(f, Mismatch) else ""
                                                                for f in failures]))
    if split and not (isinstance(chosen, Mismatch) and (chosen.named or chosen.pinned)) \
            and not isinstance(chosen, Pinned):
        if isinstance(chosen, Mismatch):
            return chosen.with_pinned([split])
        return Mismatch(str(chosen), None, "", [split], values=0, kind=chosen.kind)
    return chosen


# ---------------------------------------------------------------- form and properties
def as_array(ctx, value, what):
    arr = plain(value)
    if arr is None:
        ctx.fail(f"{what} should be a numpy array, but your function returned {type_name(value)}.")
    return arr


def ndarray(ctx, got, what):
    """A result that must be a numpy array (lists hold no shape or dtype of their own)."""
    if not isinstance(got, np.ndarray):
        ctx.fail(f"{what} should be a numpy array, but your function returned {type_name(got)}: build "
                 "the result with numpy (for example np.array(...) of your list) so that it has a "
                 "shape and a dtype like the inputs.")


def wrong_type(ctx, got, expected, text, want):
    """Fail with `text` (the dtype of `got` is not the contract's); the cause is pinned when
    its values are the expected ones (shape and every value equal): only the type is wrong."""
    arr, exp = plain(got), plain(expected)
    if arr is not None and exp is not None and arr.shape == exp.shape and arr.size >= Mismatch.EVIDENCE:
        with np.errstate(all="ignore"):
            same = bool(np.array_equal(arr.astype(np.float64), exp.astype(np.float64)))
        if same:
            raise Mismatch(text, None, "", [f"your values are right, only their type is not: dtype {arr.dtype} where "
                                            f"{want} is expected"], values=arr.size)
    ctx.fail(text)


def number(ctx, value, what):
    """A float, a numpy floating/integer scalar, or a 0-d array all count as one number."""
    if isinstance(value, bool):
        ctx.fail(f"{what} should be a number, but your function returned a bool.")
    if isinstance(value, (int, float)) or (isinstance(value, np.generic) and value.dtype.kind in "iuf"):
        return
    if isinstance(value, np.ndarray) and value.shape == ():
        return
    hint = ""
    if isinstance(value, np.ndarray) and value.size == 1:
        hint = " Return float(...) of it instead of an array holding one value."
    elif isinstance(value, np.ndarray):
        hint = f" Yours holds {value.size} values."
    ctx.fail(f"{what} should be a single number, but your function returned {type_name(value)}.{hint}")


def untouched(ctx, *args, **kwargs):
    """Calling the function on these inputs leaves them as they were."""
    result = ctx.call_result(*args, **kwargs)
    ctx.value_of(result, ctx.function)
    if result.modified_inputs:
        raise InPlace(ctx.function)


def loss_of(ctx, name: str):
    """The loss a public gradient check differentiates: the student's own `name` in a
    self-check, the course's when grading (so a bug in the loss costs nothing here). The
    check says which, passed or not, so the two verdicts never differ without a reason."""
    ctx.note = (f"checked against the course's {name}" if ctx.reference is not None else
                f"checked against your own {name}: grading checks against the course's {name}, so a {name} "
                "and a gradient that share a mistake pass here and fail there")
    return ctx.other(name)


def gradient(ctx, analytic, numeric, what):
    """An analytic gradient against central differences, by the relative error of the contract."""
    arr = as_array(ctx, analytic, what)
    numeric = np.asarray(numeric, dtype=np.float64)
    if arr.shape != numeric.shape and arr.size == numeric.size == 1:
        arr = arr.reshape(numeric.shape)
    if arr.shape != numeric.shape:
        ctx.fail(f"{what} should have shape {numeric.shape}, but yours has shape {arr.shape}.")
    error = relative_error(arr, numeric)
    if not error < GRADIENT_TOLERANCE:
        text = (f"gradient check failed for {what}: relative error {error:.2e} between your analytic "
                f"gradient and central differences of the loss (it should be below {GRADIENT_TOLERANCE:g}).")
        if not ctx.hidden:
            text += f"\n  numeric: {short(numeric)}\n  yours:   {short(arr)}"
        seen = diagnosis.stated(diagnosis.observation(arr.astype(np.float64), numeric, {})) \
            if arr.dtype.kind in "biuf" else ""
        if seen:
            text += f"\nObserved: {seen}."
        ctx.fail(text)


def gradient_shapes(ctx, got, w_shape, name, b_shape=None, hint=""):
    """A pair (d<name>, db) with the parameters' shapes; returns d<name> as an array."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        ctx.fail(f"{ctx.function} should return a pair (d{name}, db), but returned {type_name(got)}.")
    dW = as_array(ctx, got[0], f"d{name}")
    if dW.shape != tuple(w_shape):
        ctx.fail(f"d{name} should have {name}'s shape {tuple(w_shape)}, but yours has shape {dW.shape}.")
    if b_shape is not None:
        db = as_array(ctx, got[1], "db")
        if db.shape != tuple(b_shape):
            ctx.fail(f"db should have b's shape {tuple(b_shape)}, but yours has shape {db.shape}{hint}.")
    return dW


def training_output(ctx, got, *, n, epochs, entry_size):
    """(W, b, history): W with n rows, one history entry per epoch (a loss, or a pair)."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        ctx.fail(f"{ctx.function} should return (W, b, history), but returned {type_name(got)}.")
    W = as_array(ctx, got[0], "W")
    if W.shape[:1] != (n,):
        ctx.fail(f"W should have shape ({n}, ...) for {n} features, but yours has shape {W.shape}.")
    history = got[2]
    if not isinstance(history, (list, tuple, np.ndarray)) or getattr(history, "ndim", 1) == 0:
        ctx.fail(f"history should be a list, but yours is {type_name(history)}.")
    if len(history) != epochs:
        ctx.fail(f"history should have one entry per epoch ({epochs}), but yours has {len(history)}.")
    if epochs:
        arr = plain(history)
        shape = (epochs,) if entry_size is None else (epochs, entry_size)
        if arr is None or arr.shape != shape:
            want = "(loss, accuracy) pairs" if entry_size == 2 else "numbers (one loss per epoch)"
            ctx.fail(f"history should hold {epochs} {want}; yours has the form {type_name(history)}"
                     + (f" with shape {arr.shape}" if arr is not None else "") + ".")


def decreasing_loss(ctx, got, *, epochs, pairs):
    """The loss at the last epoch is below the loss at the first."""
    losses = plain(got[2]).astype(np.float64)
    losses = losses[:, 0] if pairs else losses
    if not losses[-1] < losses[0]:
        ctx.fail(f"the loss went from {losses[0]:.4f} to {losses[-1]:.4f} in {epochs} epochs: it should go down "
                 "(gradient descent moves the parameters against the gradient, W - lr * dW).")


class Warned(Pinned):
    """The student's function warned (an overflow, a log of 0) where the notebook asks it not to."""

    def __init__(self, what, warned, cause):
        super().__init__(f"{what} warned: {warned}.", cause)


def quiet_call(ctx, args, what, cause, kwargs=None):
    """The student's output on these inputs, failing when the call warned (numpy's
    RuntimeWarning: an overflow, an invalid value, a division by zero), as the student's own
    kernel would show it under the cell."""
    result = ctx.call_result(*args, **(kwargs or {}))
    value = ctx.value_of(result, ctx.function)
    if result.warnings:
        raise Warned(what, result.warnings[0], cause)
    return value
