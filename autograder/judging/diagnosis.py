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

import re

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
    atol + rtol * |b| (np.allclose); tuples and lists that are not one array agree part by part,
    dicts key by key (the same keys)."""
    x, y = plain(a), plain(b)
    if x is not None and y is not None and x.shape == y.shape:
        try:
            return bool(np.allclose(x.astype(np.complex128), y.astype(np.complex128), rtol=rtol, atol=atol,
                                    equal_nan=equal_nan))
        except (TypeError, ValueError):
            return False
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b) and len(a):
        return all(close(p, q, rtol=rtol, atol=atol, equal_nan=equal_nan) for p, q in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict) and len(a) and set(a) == set(b):
        return all(close(a[k], b[k], rtol=rtol, atol=atol, equal_nan=equal_nan) for k in a)
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
    """What the two shapes show, without guessing how the code got there (nor what an axis
    stands for: the first axis of an expected (n,) array is not always the samples)."""
    if got_shape == expected_shape[::-1] and len(expected_shape) == 2:
        return "your shape is the expected shape with its two axes swapped"
    if got_shape == expected_shape + (1,):
        return "your result has an extra axis of length 1 at the end"
    if got_shape == (1,) + expected_shape:
        return "your result has an extra leading axis of length 1"
    if expected_shape == () and len(got_shape) >= 1:
        return f"a single number is expected; yours holds {int(np.prod(got_shape))} values"
    if len(got_shape) == 2 and len(expected_shape) == 1 and got_shape == (expected_shape[0],) * 2:
        return f"your result is a square {got_shape} array where shape {expected_shape} is expected"
    if len(got_shape) == 2 and len(expected_shape) == 1 and got_shape[0] == expected_shape[0]:
        return (f"your result has shape {got_shape} where {expected_shape} is expected: a row of {got_shape[1]} "
                "values in place of each single value")
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
                return (f"you kept the values along axis 0 where their {how} is expected: the {how} over axis 0 "
                        "is missing")
    return ""


class Seen(str):
    """An observation on one case: its words (the reading included only where it is the
    sole one on this case) and what it rests on, so that the failing cases of one check are
    weighed together (`weigh`): the relation (`RATIO`, `SIGN`, `OFFSET`), its value, how
    many numbers show it, and every reading of a ratio that fits it ({key: words}: "1/k" ->
    "1/k, k = 2")."""

    def __new__(cls, text, *, relation, value=None, numbers=0, readings=None, base=None):
        seen = super().__new__(cls, text)
        seen.relation, seen.value, seen.numbers = relation, value, numbers
        seen.readings = dict(readings or {})
        seen.base = text if base is None else base
        return seen


RATIO, SIGN, OFFSET = "ratio", "sign", "offset"
EVIDENCE = 2        # a relation seen on one number is a coincidence as often as not: two are needed


def readings_of(r: float, sizes: dict) -> dict:
    """Every reading of a ratio r on these sizes ({key: words}): a size, one over a size, a
    change of log base."""
    found = {}
    for name, size in sizes.items():
        if size > 1 and abs(r - size) < 1e-6 * size:
            found[name] = f"{name} = {size}"
        if size > 1 and abs(r - 1 / size) < 1e-6 / size:
            found[f"1/{name}"] = f"1/{name}, {name} = {size}"
    for name, value in (("1/ln 2", 1 / np.log(2)), ("1/ln 10", 1 / np.log(10))):
        if abs(r - value) < 1e-6:
            found[name] = name
    # a factor 2 (or 1/2) is as plausible as a size that happens to be 2: neither is read then
    for name, value in (("2", 2.0), ("1/2", 0.5)):
        if abs(r - value) < 1e-6 and found:
            found[name] = name
    return found


def observation(got: np.ndarray, expected: np.ndarray, sizes: dict) -> str:
    """How a wrong answer relates to the right one on this case, as a `Seen`: a ratio, a sign
    or an offset says what the output is, not which mistake made it. A ratio is read (m, 1/k,
    1/ln 2) only where one reading alone fits it: with m == k, "1/m" is no more likely than
    "1/k"."""
    if got.shape != expected.shape or got.size == 0:
        return ""
    g, e = got.astype(np.float64), expected.astype(np.float64)
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(e))):
        return ""
    mask = np.abs(e) > 1e-9
    if np.allclose(g, -e, rtol=1e-6, atol=1e-9) and np.any(mask):
        return Seen("every value has the opposite sign of the expected one", relation=SIGN, value=-1.0,
                    numbers=int(mask.sum()))
    if mask.sum() >= 1 and np.all(np.abs(g[~mask]) < 1e-9):
        ratios = g[mask] / e[mask]
        r = float(np.median(ratios))
        if np.allclose(ratios, r, rtol=1e-6) and abs(r - 1) > 1e-6 and r != 0:
            base = f"every value is {r:.4g} times the expected one"
            readings = readings_of(r, sizes)
            text = f"{base} ({next(iter(readings.values()))})" if len(readings) == 1 else base
            return Seen(text, relation=RATIO, value=r, numbers=int(mask.sum()), readings=readings, base=base)
    diff = g - e
    if e.size > 1 and np.allclose(diff, diff.flat[0], rtol=1e-6, atol=1e-9):
        return Seen(f"every value is off by the same amount ({diff.flat[0]:.4g})", relation=OFFSET,
                    value=float(diff.flat[0]), numbers=int(e.size))
    return ""


def simple(r: float) -> bool:
    """A ratio worth stating as seen: a whole number, or one over one, or a fraction of small
    whole numbers (4, 1/3, 3/2), not a 0.9997 that any two numbers have between them."""
    for value in (abs(r), 1 / abs(r) if r else 0.0):
        if value >= 1.5 and abs(value - round(value)) < 1e-6 * value:
            return True
    return any(abs(abs(r) - p / q) < 1e-6 * abs(r) for q in range(2, 13) for p in range(1, 13))


def as_seen(seen) -> str:
    """What one case shows when its numbers are too few for evidence: the fact alone (the
    sign, or a simple factor), with no reading of it."""
    if seen.relation == SIGN or (seen.relation == RATIO and simple(seen.value)):
        return seen.base
    return ""


def stated(seen) -> str:
    """An observation of one case as a message states it: a relation seen on fewer than
    `EVIDENCE` numbers is no evidence of a reading (any two numbers have a ratio), so only
    the fact is stated, and only a telling one (`as_seen`)."""
    if isinstance(seen, Seen) and seen.numbers < EVIDENCE:
        return as_seen(seen)
    return str(seen or "")


def weigh(chosen, seen_in_cases) -> str:
    """The observation a check states from the failing cases it saw: the `chosen` case's
    relation, stated when the cases that show the same relation hold at least `EVIDENCE`
    numbers between them; a ratio's reading only when it is the one reading that fits
    every failing case (`seen_in_cases`, one entry per failing case, "" where a case shows no
    relation). Observations of form (shapes) are facts of their case, stated as they are."""
    if not isinstance(chosen, Seen):
        return str(chosen or "")
    alike = [s for s in seen_in_cases if isinstance(s, Seen) and s.relation == chosen.relation
             and (chosen.relation == SIGN or abs(s.value - chosen.value) <= 1e-6 * max(abs(chosen.value), 1e-12))]
    if chosen.relation == RATIO:
        common = set(chosen.readings)
        for s in seen_in_cases:
            common &= set(s.readings) if isinstance(s, Seen) and s.relation == RATIO else set()
        shown = sum(s.numbers for s in seen_in_cases if isinstance(s, Seen) and s.relation == RATIO)
        if len(common) == 1 and shown >= EVIDENCE:
            return f"{chosen.base} ({chosen.readings[common.pop()]})"
        if sum(s.numbers for s in alike) >= EVIDENCE:
            return chosen.base
    elif sum(s.numbers for s in alike) >= EVIDENCE:
        return str(chosen)
    # too few numbers for evidence: the fact alone, where every failing case shows it
    return as_seen(chosen) if len(alike) == len(seen_in_cases) else ""


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
    return "\n".join(line for _, line in explain(text, confirmed_causes(causes, pinned), stated(seen)))


def confirmed_causes(causes=(), pinned=()) -> list:
    """The causes a message names: the first known mistake that gives the output, else
    every cause the code's trace or the output's structure pins down."""
    return [causes[0]] if causes else list(pinned)


def difference(got, expected, *, what: str, show: bool, mistakes=(), sizes=None,
               rtol=RTOL, atol=ATOL) -> str | None:
    """None when `got` matches `expected`, else the message for the student (see `describe`)."""
    found = describe(got, expected, what=what, show=show, mistakes=mistakes, sizes=sizes, rtol=rtol, atol=atol)
    return None if found is None else render(*found)


def parameters(signature: str) -> dict:
    """{name: default or None} of a graded function's signature ("predict(X, W, b,
    threshold=0.5)"), in order; "*" and "/" markers left out."""
    inside = signature[signature.index("(") + 1:signature.rindex(")")]
    out = {}
    for part in (p.strip() for p in inside.split(",")):
        if not part or part in ("*", "/"):
            continue
        name, _, default = part.partition("=")
        out[name.strip().lstrip("*")] = default.strip() or None
    return out


_MISSING = re.compile(r"^(\w+)\(\) missing \d+ required (?:positional|keyword-only) arguments?: (.+)$")
_UNEXPECTED = re.compile(r"^(\w+)\(\) got an unexpected keyword argument '(\w+)'$")
_TAKES = re.compile(r"^(\w+)\(\) takes (?:from )?\d+ (?:to \d+ )?positional arguments? but \d+ (?:was|were) given$")


def raised_cause(error, function: str, signature: str) -> list:
    """The causes an exception of the student's `function` pins down by itself (a
    `StudentError`, or None): a call the contract's signature accepts but the student's
    refused (a default or an argument dropped, which the signature names). Nothing for any
    other exception: its cause is not guessed. (numpy refusing to broadcast an (a, b) array
    against an (a,) one is not a cause by itself: a row sum without keepdims and a transposed
    product plus a bias both raise it. It is one where the line that raised reduces along
    the last axis without keepdims: `row_reduction`.)"""
    if error is None:
        return []
    message = str(getattr(error, "message", "") or "").strip()
    kind = getattr(error, "type", "")
    params = parameters(signature)
    if kind == "TypeError":
        missing = _MISSING.match(message)
        if missing and missing[1] == function:
            names = re.findall(r"'(\w+)'", missing[2])
            if names and all(params.get(n) is not None for n in names):
                defaults = " and ".join(f"{n} its default {params[n]}" for n in names)
                return [f"your {function} requires {' and '.join(names)}, which the contract lets a caller leave out: "
                        f"the signature must give {defaults}, def {signature}"]
        unexpected = _UNEXPECTED.match(message)
        if unexpected and unexpected[1] == function and unexpected[2] in params:
            return [f"your {function} has no argument {unexpected[2]}: the signature must be def {signature}"]
        if _TAKES.match(message) and message.startswith(f"{function}()"):
            return [f"your {function} takes other arguments than the contract's: the signature must be def {signature}"]
    if kind == "ValueError":
        return row_reduction(message, str(getattr(error, "where", "") or ""))
    return []


_BROADCAST = re.compile(r"operands could not be broadcast together with shapes \((\d+),(\d+)\) \((\d+),\) ?$|"
                        r"operands could not be broadcast together with shapes \((\d+),\) \((\d+),(\d+)\) ?$")
_REDUCTION = re.compile(r"(?:\.|np\.)(sum|max|mean|amax|logsumexp)\(([^()]*)\)")


def row_reduction(message: str, where: str) -> list:
    """The cause numpy's refusal to broadcast an (a, b) array against an (a,) one pins down
    when the line that raised (`where`: "cell f, line N: <code>") reduces along the last axis
    without keepdims: one value per row, which numpy lines up with the LAST axis."""
    match = _BROADCAST.match(message.strip())
    if not match or ": " not in where:
        return []
    a, b, c = (match[1], match[2], match[3]) if match[1] else (match[5], match[6], match[4])
    if a != c or a == b:
        return []
    line = where.split(": ", 1)[1]
    reductions = [(name, inside) for name, inside in _REDUCTION.findall(line)
                  if re.search(r"axis\s*=\s*(1|-1)\b", inside) and "keepdims" not in inside]
    if not reductions or "keepdims" in line:
        return []
    name = reductions[0][0]
    return [f"the {name} along axis 1 gives one value per row, shape ({a},), and numpy lines that up with the LAST "
            f"axis of the ({a}, {b}) array: keep the axis with keepdims=True (shape ({a}, 1)), so that each row "
            "meets its own value"]


def differing(got, expected, *, rtol=RTOL, atol=ATOL) -> int:
    """How many numbers of `got` differ from `expected` (tuples part by part; every number
    where the shapes differ): the evidence a matched mistake rests on. A mistake whose output
    is the student's and differs from the expected in one number is matched on that one
    number, however large the output. A nan or inf where a finite value is expected counts
    as `EVIDENCE` by itself: a mistake that puts one at that very place is no coincidence."""
    if isinstance(got, (tuple, list)) and not isinstance(plain(got), np.ndarray) \
            and isinstance(expected, (tuple, list)) and len(got) == len(expected):
        return sum(differing(g, e, rtol=rtol, atol=atol) for g, e in zip(got, expected))
    x, y = plain(got), plain(expected)
    if x is None or y is None:
        return size_of(got)
    if x.shape != y.shape:
        return size_of(got) + 1     # a mistake that gives this very shape matches more than its numbers
    with np.errstate(all="ignore"):
        wrong = ~np.isclose(x.astype(np.complex128), y.astype(np.complex128), rtol=rtol, atol=atol)
        broken = wrong & ~np.isfinite(x.astype(np.complex128)) & np.isfinite(y.astype(np.complex128))
    return int(np.sum(wrong)) + (EVIDENCE - 1) * int(np.sum(broken))


def size_of(value) -> int:
    """How many numbers an output holds (tuples part by part): the evidence one case gives."""
    if isinstance(value, (tuple, list)) and not isinstance(plain(value), np.ndarray):
        return sum(size_of(v) for v in value)
    arr = plain(value)
    return 0 if arr is None else int(arr.size)
