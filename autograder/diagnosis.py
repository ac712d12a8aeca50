"""Messages that teach: what was expected, what came back, and the likely mistake.

`difference` works on plain data only. Public checks show both values (their inputs are
public); hidden checks describe the difference without showing inputs or reference
values. Known mistakes are candidate outputs computed on the check's own inputs (from
the instructor's catalog, or stored with the public data); when the student's output
matches one, the message names it.
"""
from __future__ import annotations

import numpy as np

from .codec import Opaque, native

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


def recognised(got, mistakes) -> list:
    """The messages of the known mistakes [(output, message)] whose output is `got`, in
    catalog order, each once."""
    return list(dict.fromkeys(message for value, message in mistakes if close(got, value, **MATCH)))


def shape_hint(got_shape, expected_shape) -> str:
    if got_shape == expected_shape[::-1] and len(expected_shape) == 2:
        return "the rows and columns are swapped: check which axis holds samples and which holds features/classes"
    if expected_shape == () and got_shape in ((1,), (1, 1)):
        return "return a single number (float(...)) rather than an array holding one value"
    if got_shape == expected_shape + (1,):
        return "you returned a column (an extra axis of length 1); drop it, e.g. avoid keepdims or use a 1-D W"
    if got_shape == (1,) + expected_shape:
        return "there is an extra leading axis of length 1"
    if expected_shape == () and len(got_shape) >= 1:
        return "a single number is expected: did you forget to average (np.mean) over the samples?"
    if len(got_shape) == 2 and len(expected_shape) == 2 and got_shape[0] == got_shape[1] == expected_shape[0]:
        return "an (m, m) result usually comes from broadcasting an (m,) array against an (m, 1) one"
    if len(got_shape) == 2 and len(expected_shape) == 1 and got_shape == (expected_shape[0],) * 2:
        return "an extra axis appeared: broadcasting an (m,) array against an (m, 1) one gives an (m, m) matrix"
    if len(got_shape) == 2 and len(expected_shape) == 1 and got_shape[0] == expected_shape[0]:
        return "one value per sample is expected, not a row of values per sample"
    return ""


def relation(got: np.ndarray, expected: np.ndarray, sizes: dict) -> str:
    """Name simple relations between a wrong answer and the right one."""
    if got.shape != expected.shape or got.size == 0:
        return ""
    g, e = got.astype(np.float64), expected.astype(np.float64)
    if np.allclose(g, -e, rtol=1e-6, atol=1e-9) and np.any(np.abs(e) > 1e-9):
        return "your result has the opposite sign of the correct one: check the sign of the difference (y_hat - y) or of the update"
    mask = np.abs(e) > 1e-9
    if mask.sum() >= 1 and np.all(np.abs(g[~mask]) < 1e-9):
        ratios = g[mask] / e[mask]
        r = float(np.median(ratios))
        if np.allclose(ratios, r, rtol=1e-6) and abs(r - 1) > 1e-6 and r != 0:
            for name, size in sizes.items():
                if size > 1 and abs(r - size) < 1e-6 * size:
                    return (f"your result is exactly {name} = {size} times too large: you summed over the "
                            f"{name} {'samples' if name == 'm' else 'entries'} where the mean is needed")
                if size > 1 and abs(r - 1 / size) < 1e-6 / size:
                    return f"your result is exactly {name} = {size} times too small: you divided by {name} once too often"
            if abs(r - 2) < 1e-6:
                return "your result is exactly twice the correct one: check for a factor of 2"
            if abs(r - 0.5) < 1e-6:
                return "your result is exactly half the correct one: a factor of 2 is missing"
            if abs(r - 1 / np.log(2)) < 1e-6:
                return "your result is 1/ln 2 times the correct one: use the natural log (np.log), not log2"
            if abs(r - 1 / np.log(10)) < 1e-6:
                return "your result is 1/ln 10 times the correct one: use the natural log (np.log), not log10"
            return f"every value is {r:.4g} times the correct one"
    diff = g - e
    if np.allclose(diff, diff.flat[0], rtol=1e-6, atol=1e-9) and e.size > 1:
        return f"every value is off by the same amount ({diff.flat[0]:.4g}): check the bias / constant term"
    return ""


def difference(got, expected, *, what: str, show: bool, mistakes=(), sizes=None,
               rtol=RTOL, atol=ATOL) -> str | None:
    """Return None when `got` matches `expected`, else a message for the student.

    `mistakes` is a list of (candidate value, explanation): outputs of known mistakes on
    the same inputs. `sizes` maps names (m, n, k) to sizes, to name "m times too large".
    """
    exp = plain(expected)
    arr = plain(got)
    if arr is None:
        return f"{what} should be numeric data, but your function returned {type_name(got)}."
    named = next(iter(recognised(arr, mistakes)), "")
    if arr.shape != exp.shape:
        text = f"{what} should have shape {exp.shape}, but yours has shape {arr.shape}."
        hint = named or shape_hint(arr.shape, exp.shape)
        if hint:
            text += f" Likely cause: {hint}."
        return text
    if close(arr, exp, rtol=rtol, atol=atol):
        return None
    lines = []
    with np.errstate(all="ignore"):
        bad = ~np.isclose(arr.astype(np.complex128), exp.astype(np.complex128), rtol=rtol, atol=atol)
        count = int(bad.sum()) if bad.ndim else 1
        finite = np.isfinite(arr.astype(np.complex128))
    if not np.all(finite):
        lines.append(f"{what} contains nan or inf ({int((~finite).sum())} of {arr.size} values): "
                     "an overflow (np.exp of a large number) or a log or division by 0 somewhere.")
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
    cause = named
    if not cause and arr.dtype.kind in "biuf" and exp.dtype.kind in "biuf":
        cause = relation(arr, exp, sizes or {})
    if cause:
        lines.append(f"Likely cause: {cause}")
    return "\n".join(lines)
