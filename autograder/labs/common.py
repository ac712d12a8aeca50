"""Building blocks shared by the labs' checks: each raises CheckFailed with a message."""
import numpy as np

from ..diagnosis import plain, short, type_name  # noqa: F401  (re-exported for the labs)
from ..gradcheck import relative_error

GRADIENT_TOLERANCE = 1e-5


def as_array(ctx, value, what):
    arr = plain(value)
    if arr is None:
        ctx.fail(f"{what} should be a numpy array, but your function returned {type_name(value)}.")
    return arr


def expect_number(ctx, value, what):
    """A float, a numpy floating/integer scalar, or a 0-d array all count as one number."""
    if isinstance(value, bool):
        ctx.fail(f"{what} should be a number, but your function returned a bool.")
    if isinstance(value, (int, float)) or (isinstance(value, np.generic) and value.dtype.kind in "iuf"):
        return
    if isinstance(value, np.ndarray) and value.shape == ():
        return
    shape = ""
    hint = ""
    if isinstance(value, np.ndarray) and value.size == 1:
        hint = " Return float(...) of it instead of an array holding one value."
    elif isinstance(value, np.ndarray):
        hint = " Did you forget to average over the samples (np.mean)?"
    ctx.fail(f"{what} should be a single number, but your function returned {type_name(value)}{shape}.{hint}")


def expect_inputs_untouched(ctx, *args, **kwargs):
    result = ctx.call_result(*args, **kwargs)
    ctx.value_of(result, ctx.function)
    if result.modified_inputs:
        ctx.fail(f"{ctx.function} changed its input array in place (for example with +=, *= or "
                 "x[...] = ...): the caller's data must stay as it was. Work on a copy or on new arrays.")


def expect_gradient(ctx, analytic, numeric, what):
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
        from ..diagnosis import relation
        cause = relation(arr.astype(np.float64), numeric, {}) if arr.dtype.kind in "biuf" else ""
        if cause:
            text += f"\nLikely cause: {cause}"
        ctx.fail(text)


def expect_gradient_shapes(ctx, got, w_shape, name, b_shape=None, hint=""):
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


def expect_parts(ctx, got, expected, names, mistakes=(), sizes=None):
    """Compare a tuple result part by part; a known mistake is named when it matches the
    part that is wrong."""
    if not isinstance(got, (tuple, list)) or len(got) != len(expected):
        ctx.fail(f"{ctx.function} should return a tuple ({', '.join(names)}), but returned {type_name(got)}"
                 + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else "") + ".")
    for index, name in enumerate(names):
        part_mistakes = [(m[index], msg) for m, msg in mistakes
                         if isinstance(m, (tuple, list)) and len(m) == len(names)]
        ctx.expect(got[index], expected[index], what=name, mistakes=part_mistakes, sizes=sizes)


def expect_training_output(ctx, got, *, n, epochs, entry_size):
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        ctx.fail(f"{ctx.function} should return (W, b, history), but returned {type_name(got)}.")
    W = as_array(ctx, got[0], "W")
    if W.shape[:1] != (n,):
        ctx.fail(f"W should have shape ({n}, ...) for {n} features, but yours has shape {W.shape}.")
    history = got[2]
    if not isinstance(history, (list, tuple, np.ndarray)):
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


def expect_case(ctx, lab, key, what, **kw):
    """The student's output on a stored public case against its stored expected output."""
    case = lab.case(key)
    got = ctx.call(*case.args, **case.kwargs)
    ctx.expect(got, case.expected, what=what, mistakes=case.mistakes, **kw)
    return got


def expect_parts_case(ctx, lab, key, names, *, sizes=None, training=None):
    """A stored public case whose output is a tuple ((dW, db), (W, b, history), ...),
    compared part by part; `training` (n, epochs, entry_size) first checks the form of
    a training loop's output."""
    case = lab.case(key)
    got = ctx.call(*case.args, **case.kwargs)
    if training:
        expect_training_output(ctx, got, **training)
    expect_parts(ctx, got, case.expected, names, case.mistakes, sizes=sizes)
    return got
