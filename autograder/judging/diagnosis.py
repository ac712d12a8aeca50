"""Messages that teach: what was expected, what came back, and the likely mistake.

`difference` works on plain data only. Public checks show both values (their inputs are
public); hidden checks describe the difference without showing inputs or reference
values.

A message names a cause only when the cause is confirmed: a known mistake (a
catalog entry or a member of a mistake family), run on the check's own inputs, gives the
student's output, or the output's structure pins the cause down (the expected values
transposed, an array holding one number). Otherwise it says what was observed ("every
value is 2 times the expected one") without guessing which mistake did it: a ratio or a
sign on one input is a coincidence as often as a cause.
"""
from __future__ import annotations

import numpy as np

from ..sandbox.codec import Opaque, native
from .result import explain

RTOL = 1e-6
ATOL = 1e-8


def plain(value):
    """A decoded value -> a numpy array (or None if it is not numeric data)."""
    if isinstance(value, Opaque) or isinstance(value, str) or value is None:
        return None
    try:
        arr = np.asarray(native(value))
    except (ValueError, TypeError):
        return None
    if arr.dtype.kind not in "biufc":
        return None
    return arr


def type_name(value) -> str:
    if isinstance(value, np.generic):
        return f"a numpy {type(value).__name__}"
    if isinstance(value, Opaque):
        return f"a {value.type_name} object"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if value is None:
        return "None (did you forget to `return`?)"
    return f"a {type(value).__name__}"


def short(value, limit: int = 6) -> str:
    arr = plain(value)
    if arr is None:
        return repr(value)[:120]
    with np.printoptions(precision=6, suppress=False, threshold=limit, edgeitems=3, linewidth=100):
        text = np.array2string(arr, separator=", ") if arr.ndim else repr(arr.item())
    return text


def close(a, b, *, rtol=RTOL, atol=ATOL, equal_nan=False) -> bool:
    """The one closeness rule: numeric data of one shape whose entries agree within
    atol + rtol * |b| (np.allclose); tuples and lists that are not one array agree part by part."""
    x, y = plain(a), plain(b)
    if x is not None and y is not None and x.shape == y.shape:
        try:
            return bool(np.allclose(x.astype(np.complex128), y.astype(np.complex128), rtol=rtol, atol=atol,
                                    equal_nan=equal_nan))
        except (TypeError, ValueError):
            return False
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b) and len(a):
        return all(close(p, q, rtol=rtol, atol=atol, equal_nan=equal_nan) for p, q in zip(a, b))
    return False


# How near a student's output must be to a known mistake's output to name that mistake: a
# little looser than a pass (a mistake computed another way differs in the last digits).
MATCH = {"rtol": 1e-5, "atol": 1e-7, "equal_nan": True}


def recognised(got, mistakes, expected=None) -> list:
    """The messages of the known mistakes [(output, message)] whose output is `got`, in
    catalog order, each once. Each is confirmed: the mistake, run on the check's own
    inputs, gives the student's output. With `expected`, a mistake whose output is itself
    within a match of the expected output names nothing: a student a little off for any
    reason (beyond a check's tight tolerance) would match it."""
    return list(dict.fromkeys(message for value, message in mistakes if close(got, value, **MATCH)
                              and (expected is None or not close(value, expected, **MATCH))))


def shape_cause(got_shape, expected_shape) -> str:
    """A cause the shapes alone pin down (no guess): an array holding one value where one
    number is expected."""
    if expected_shape == () and got_shape in ((1,), (1, 1)):
        return "you returned an array holding one value where a single number is expected: return float(...) of it"
    return ""


def shape_observation(got_shape, expected_shape) -> str:
    """What the two shapes show, without guessing how the code got there."""
    if got_shape == expected_shape[::-1] and len(expected_shape) == 2:
        return "your shape is the expected shape with its two axes swapped"
    if got_shape == expected_shape + (1,):
        return "your result has an extra axis of length 1 at the end"
    if got_shape == (1,) + expected_shape:
        return "your result has an extra leading axis of length 1"
    if expected_shape == () and len(got_shape) >= 1:
        return f"a single number is expected; yours holds {int(np.prod(got_shape))} values"
    if len(got_shape) == 2 and len(expected_shape) == 1 and got_shape == (expected_shape[0],) * 2:
        return ("an (m, m) result holds one value for every pair of samples, what broadcasting an (m,) array "
                "against an (m, 1) one gives")
    if len(got_shape) == 2 and len(expected_shape) == 1 and got_shape[0] == expected_shape[0]:
        return "one value per sample is expected; yours has a row of values per sample"
    if len(got_shape) < len(expected_shape):
        return f"yours has {len(got_shape)} axes where {len(expected_shape)} are expected"
    return ""


def structural(got: np.ndarray, expected: np.ndarray) -> str:
    """A cause the values pin down whatever the code: the expected values transposed, or
    with an extra axis of length 1; the expected values reduced to one number (their mean
    or sum), or kept one per sample where their sum or mean over the samples is expected.
    The messages do not depend on the case, so that several cases can confirm one."""
    if got.shape == expected.shape:
        return ""
    varied = len(np.unique(expected)) >= 2
    if got.size == expected.size and got.size >= 2 and varied:
        if expected.ndim == 2 and got.shape == expected.shape[::-1] and expected.shape[0] != expected.shape[1] \
                and close(got, expected.T):
            return ("your result holds the expected values transposed: the rows of the expected result are your "
                    "columns")
        if got.shape in (expected.shape + (1,), (1,) + expected.shape) and close(got.reshape(expected.shape), expected):
            return (f"your values are right but have shape {got.shape} instead of {expected.shape}: "
                    "an extra axis of length 1 (a column, keepdims, or a reshape)")
        return ""
    if got.dtype.kind != "f" or expected.dtype.kind not in "fc" or not np.all(np.isfinite(got)):
        return ""           # whole numbers (labels, counts) agree by coincidence too often
    e = expected.astype(np.float64)
    if got.shape == () and e.ndim >= 1 and varied:
        for how, value in (("mean", e.mean()), ("sum", e.sum())):
            if close(got, value, rtol=MATCH["rtol"], atol=MATCH["atol"]):
                return (f"you returned one number, the {how} of the values expected: the result keeps one value per "
                        f"entry (no np.{how} over the whole array)")
    if got.ndim == e.ndim + 1 and got.shape[1:] == e.shape and got.shape[0] >= 2 and np.any(np.abs(e) > 1e-12):
        g = got.astype(np.float64)
        for how, value in (("sum", g.sum(axis=0)), ("mean", g.mean(axis=0))):
            if close(value, e, rtol=MATCH["rtol"], atol=MATCH["atol"]):
                return (f"you kept one value per sample where their {how} is expected: the {how} over the samples "
                        f"(axis 0) is missing")
    return ""


def observation(got: np.ndarray, expected: np.ndarray, sizes: dict) -> str:
    """How a wrong answer relates to the right one, as an observation: a ratio, a sign or
    an offset on these inputs says what the output is, not which mistake made it."""
    if got.shape != expected.shape or got.size == 0:
        return ""
    g, e = got.astype(np.float64), expected.astype(np.float64)
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(e))):
        return ""
    if np.allclose(g, -e, rtol=1e-6, atol=1e-9) and np.any(np.abs(e) > 1e-9):
        return "every value has the opposite sign of the expected one"
    mask = np.abs(e) > 1e-9
    if mask.sum() >= 1 and np.all(np.abs(g[~mask]) < 1e-9):
        ratios = g[mask] / e[mask]
        r = float(np.median(ratios))
        if np.allclose(ratios, r, rtol=1e-6) and abs(r - 1) > 1e-6 and r != 0:
            text = f"every value is {r:.4g} times the expected one"
            for name, size in sizes.items():
                if size > 1 and abs(r - size) < 1e-6 * size:
                    return f"{text} ({name} = {size})"
                if size > 1 and abs(r - 1 / size) < 1e-6 / size:
                    return f"{text} (1/{name}, {name} = {size})"
            for name, value in (("1/ln 2", 1 / np.log(2)), ("1/ln 10", 1 / np.log(10))):
                if abs(r - value) < 1e-6:
                    return f"{text} ({name})"
            return text
    diff = g - e
    if e.size > 1 and np.allclose(diff, diff.flat[0], rtol=1e-6, atol=1e-9):
        return f"every value is off by the same amount ({diff.flat[0]:.4g})"
    return ""


def describe(got, expected, *, what: str, show: bool, mistakes=(), sizes=None,
             rtol=RTOL, atol=ATOL):
    """None when `got` matches `expected`, else (text, causes, observation, pinned): what is
    wrong, the known mistakes whose output on these inputs is the student's, an observation,
    and a cause the output's structure pins down.

    `mistakes` is a list of (candidate value, explanation): outputs of known mistakes on
    the same inputs. `sizes` maps names (m, n, k) to sizes, for the observations."""
    exp = plain(expected)
    arr = plain(got)
    if arr is None:
        return f"{what} should be numeric data, but your function returned {type_name(got)}.", [], "", []
    if arr.shape != exp.shape:
        text = f"{what} should have shape {exp.shape}, but yours has shape {arr.shape}."
        pinned = shape_cause(arr.shape, exp.shape) or structural(arr, exp)
        return (text, recognised(arr, mistakes, exp) + ([pinned] if pinned else []),
                shape_observation(arr.shape, exp.shape), [])
    if close(arr, exp, rtol=rtol, atol=atol):
        return None
    causes = recognised(arr, mistakes, exp)     # (only now: the known mistakes are computed on first use)
    lines = []
    with np.errstate(all="ignore"):
        bad = ~np.isclose(arr.astype(np.complex128), exp.astype(np.complex128), rtol=rtol, atol=atol)
        count = int(bad.sum()) if bad.ndim else 1
        finite = np.isfinite(arr.astype(np.complex128))
    if not np.all(finite):
        lines.append(f"{what} contains nan or inf ({int((~finite).sum())} of {arr.size} values) where the "
                     "expected values are finite (nan and inf come from an overflow, a log of 0 or a division by 0).")
    else:
        with np.errstate(all="ignore"):
            absdiff = np.abs(arr.astype(np.float64) - exp.astype(np.float64)) if arr.dtype.kind != "c" else np.abs(arr - exp)
            rel = absdiff / np.maximum(np.abs(exp.astype(np.complex128)), 1e-300)
        lines.append(f"{what} is wrong in {count} of {max(arr.size, 1)} values "
                     f"(largest absolute difference {float(np.max(absdiff)):.3g}, "
                     f"largest relative difference {float(np.max(rel)):.3g}).")
    if show:
        lines.append(f"  expected: {short(exp)}")
        lines.append(f"  yours:    {short(arr)}")
    seen = ""
    if arr.dtype.kind in "biuf" and exp.dtype.kind in "biuf":
        seen = observation(arr, exp, sizes or {})
    return "\n".join(lines), causes, seen, []


def render(text: str, causes=(), seen: str = "", pinned=()) -> str:
    """The message: what is wrong, then the confirmed cause (a known mistake that gives the
    output, in its own words, else what the code's trace or the output's structure pins
    down), or else what was observed (worded by `report.explain`)."""
    return "\n".join(line for _, line in explain(text, confirmed_causes(causes, pinned), seen))


def confirmed_causes(causes=(), pinned=()) -> list:
    """The causes a message names: the first known mistake that gives the output, else
    every cause the code's trace or the output's structure pins down."""
    return [causes[0]] if causes else list(pinned)


def difference(got, expected, *, what: str, show: bool, mistakes=(), sizes=None,
               rtol=RTOL, atol=ATOL) -> str | None:
    """None when `got` matches `expected`, else the message for the student (see `describe`)."""
    found = describe(got, expected, what=what, show=show, mistakes=mistakes, sizes=sizes, rtol=rtol, atol=atol)
    return None if found is None else render(*found)


def size_of(value) -> int:
    """How many numbers an output holds (tuples part by part): the evidence one case gives."""
    if isinstance(value, (tuple, list)) and not isinstance(plain(value), np.ndarray):
        return sum(size_of(v) for v in value)
    arr = plain(value)
    return 0 if arr is None else int(arr.size)
