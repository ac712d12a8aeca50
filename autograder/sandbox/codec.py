"""Plain numeric data across the boundary between the judge and student code.

Student code runs in a child process. Everything it returns reaches the judge as
JSON text describing numbers: arrays travel as raw bytes of a numeric dtype, never
as objects, so nothing the student wrote (an ndarray subclass, an object whose
``__eq__`` always says yes, a pickle) can run in the judge. The decoder trusts
nothing: dtypes, sizes and nesting are checked before anything is built.

A message on the wire (`dumps`) is its JSON text followed by the raw bytes of its
arrays, each referred to in the text by where it lies (``{"$bytes": [start, stop]}``):
numbers are copied, never spelled out in base64 and parsed back.

This module imports only the standard library and numpy: the child loads it by
path before any student code runs.
"""
from __future__ import annotations

import json
import math
import struct

import numpy as np

# Kinds a numeric answer can have: bool, signed and unsigned int, float, complex.
NUMERIC_KINDS = "biufc"
MAX_DEPTH = 8
MAX_ITEMS = 10_000
MAX_BYTES = 64 * 2**20
# Random generators cross as their bit generator's state, a few numbers (a lab's contract can
# hand one to a graded function: init_params(..., rng)); only those whose state is plain JSON.
BIT_GENERATORS = ("PCG64", "PCG64DXSM")


class DecodeError(ValueError):
    """The data did not have the form of plain numeric data."""


class Opaque:
    """Something that is not plain data (a generator, a torch tensor, a custom class).

    Only its type name crosses the boundary, so a check can say what came back.
    """

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name} object>"

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.type_name == self.type_name

    __hash__ = None


def native(value):
    """Decoded data with tuples and lists rebuilt (kept for symmetry with encode)."""
    if isinstance(value, list):
        return [native(v) for v in value]
    if isinstance(value, tuple):
        return tuple(native(v) for v in value)
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items()}
    return value


def encode(value, _depth: int = 0):
    """Turn a value into JSON-ready plain data (used on both sides)."""
    if _depth > MAX_DEPTH:
        return {"$opaque": "nesting too deep"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in NUMERIC_KINDS:
            return {"$opaque": f"ndarray of dtype {value.dtype}"}
        base = np.asarray(value).view(np.ndarray)
        out = {"$nd": base.dtype.str, "shape": list(base.shape), "data": base.tobytes(order="C")}
        if type(value) is not np.ndarray:
            out["subclass"] = type(value).__name__
        return out
    if isinstance(value, np.generic):
        if value.dtype.kind not in NUMERIC_KINDS:
            return {"$opaque": type(value).__name__}
        arr = np.asarray(value)
        return {"$np": arr.dtype.str, "data": arr.tobytes()}
    if type(value) is int:
        if value.bit_length() > 996:          # more digits than a float can hold: what it is as a float
            return {"$float": "inf" if value > 0 else "-inf"}
        return {"$int": str(value)} if abs(value) >= 2**53 else value
    if type(value) is float:
        if math.isfinite(value):
            return value
        return {"$float": repr(value)}
    if type(value) is complex:
        return {"$complex": [value.real, value.imag]}
    if type(value) in (list, tuple):
        items = [encode(v, _depth + 1) for v in value[:MAX_ITEMS]]
        return items if type(value) is list else {"$tuple": items}
    if type(value) is dict:
        return {"$dict": [[str(k), encode(v, _depth + 1)] for k, v in list(value.items())[:MAX_ITEMS]]}
    if type(value) is np.random.Generator and type(value.bit_generator).__name__ in BIT_GENERATORS:
        return {"$rng": [type(value.bit_generator).__name__, json.dumps(value.bit_generator.state)]}
    return {"$opaque": type(value).__name__}


def generator(name, state_text) -> np.random.Generator:
    """A random generator in the state `encode` wrote (its own object, the same draws)."""
    if name not in BIT_GENERATORS or not isinstance(state_text, str) or len(state_text) > 2000:
        raise DecodeError("malformed random generator")
    try:
        state = json.loads(state_text)
        rng = np.random.Generator(getattr(np.random, name)())
        rng.bit_generator.state = state
    except (ValueError, TypeError, KeyError, OverflowError):
        raise DecodeError("malformed random generator") from None
    return rng


def dumps(message, shared=None) -> bytes:
    """The message's JSON text (its length first) and then the bytes of its arrays.

    With `shared` (a writable buffer both processes map: the judge's arguments of a call),
    the arrays' bytes are written there instead, each at an offset aligned to 64 bytes and
    referred to as ``{"$shm": [start, stop]}``; `dumps.used` then holds how many bytes of
    it the message took. What does not fit travels beside the text as usual."""
    buffers, size, used = [], 0, 0

    def out_of_band(value):
        nonlocal size, used
        if type(value) is not bytes:
            raise TypeError(f"{type(value).__name__} is not plain data")
        if shared is not None:
            start = -(-used // ALIGN) * ALIGN
            if start + len(value) <= len(shared):
                shared[start:start + len(value)] = value
                used = start + len(value)
                return {"$shm": [start, used]}
        buffers.append(value)
        size += len(value)
        return {"$bytes": [size - len(value), size]}

    text = json.dumps(message, allow_nan=False, separators=(",", ":"), default=out_of_band).encode("utf-8")
    dumps.used = used
    return b"".join([struct.pack(">I", len(text)), text, *buffers])


ALIGN = 64


def frame(message, shared=None) -> bytes:
    body = dumps(message, shared)
    return struct.pack(">Q", len(body)) + body


def loads(data: bytes, shared=None):
    """A message from `dumps`; each array's bytes are a read-only view of `data` (or, for
    ``$shm`` references, a view of `shared`, which only the student process passes: the
    judge never reads arrays out of memory the student process can write)."""
    if len(data) > MAX_BYTES * 2:
        raise DecodeError(f"message of {len(data)} bytes is too large")
    if len(data) < 4:
        raise DecodeError("message too short")
    (length,) = struct.unpack_from(">I", data)
    if 4 + length > len(data):
        raise DecodeError("message shorter than its text")
    region = memoryview(data)[4 + length:].toreadonly()

    def in_band(obj):
        key = "$bytes" if "$bytes" in obj else "$shm" if "$shm" in obj else None
        if key is None:
            return obj
        where, within = obj[key], region if key == "$bytes" else shared
        if not (within is not None and len(obj) == 1 and isinstance(where, list) and len(where) == 2
                and all(type(i) is int for i in where) and 0 <= where[0] <= where[1] <= len(within)):
            raise DecodeError("malformed reference to array data")
        return within[where[0]:where[1]]

    try:
        return json.loads(bytes(data[4:4 + length]).decode("utf-8"), object_hook=in_band)
    except RecursionError:
        raise DecodeError("nesting too deep") from None
    except DecodeError:
        raise
    except (ValueError, OverflowError, MemoryError) as exc:     # JSON errors, numbers past int's limits
        raise DecodeError(f"not valid JSON: {str(exc)[:200]}") from None


def decode(obj, _depth: int = 0, _budget=None, copy: bool = True):
    """Build plain values from untrusted JSON data, or raise DecodeError. With copy=False
    arrays are views of the bytes they arrived in (the student process's arguments: a
    function that changes them changes memory the judge compares afterwards)."""
    if _budget is None:
        _budget = [MAX_BYTES]
    if _depth > MAX_DEPTH + 1:
        raise DecodeError("nesting too deep")
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        if abs(obj) >= 2**53:            # `encode` spells such ints as {"$int": ...}
            raise DecodeError("malformed int")
        return obj
    if isinstance(obj, float):
        return obj
    if isinstance(obj, list):
        if len(obj) > MAX_ITEMS:
            raise DecodeError("too many items")
        return [decode(v, _depth + 1, _budget, copy) for v in obj]
    if not isinstance(obj, dict) or len(obj) == 0:
        raise DecodeError(f"unexpected {type(obj).__name__}")
    if "$nd" in obj:
        return _decode_array(obj, _budget, copy)
    if "$np" in obj:
        dtype = _numeric_dtype(obj["$np"])
        raw = _data(obj.get("data"), _budget)
        if len(raw) != dtype.itemsize:
            raise DecodeError("numpy scalar of the wrong size")
        return np.frombuffer(raw, dtype=dtype)[0]   # a numpy scalar, built here from bytes
    if "$tuple" in obj:
        items = obj["$tuple"]
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise DecodeError("malformed tuple")
        return tuple(decode(v, _depth + 1, _budget, copy) for v in items)
    if "$dict" in obj:
        pairs = obj["$dict"]
        if not isinstance(pairs, list):
            raise DecodeError("malformed dict")
        out = {}
        for pair in pairs[:MAX_ITEMS]:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise DecodeError("malformed dict item")
            out[pair[0]] = decode(pair[1], _depth + 1, _budget, copy)
        return out
    if "$int" in obj:
        text = obj["$int"]
        if not (isinstance(text, str) and 0 < len(text) < 400 and text[text.startswith("-"):].isdigit()
                and text.isascii()):
            raise DecodeError("malformed int")
        value = int(text)
        # beyond what any numeric check can hold: the float it is closest to (±inf past
        # float's range), so no comparison of the student's answer raises in the judge
        return value if abs(value) < 2**63 else float(value) if len(text) < 300 else math.inf if value > 0 else -math.inf
    if "$float" in obj:
        if obj["$float"] not in ("inf", "-inf", "nan"):
            raise DecodeError("malformed float")
        return float(obj["$float"])
    if "$complex" in obj:
        re_im = obj["$complex"]
        if not (isinstance(re_im, list) and len(re_im) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 2**1024
                        for v in re_im)):
            raise DecodeError("malformed complex")
        return complex(*re_im)
    if "$rng" in obj:
        pair = obj["$rng"]
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DecodeError("malformed random generator")
        return generator(*pair)
    if "$opaque" in obj:
        return Opaque(str(obj["$opaque"])[:200])
    raise DecodeError("unknown value form")


def _numeric_dtype(text) -> np.dtype:
    if not isinstance(text, str) or len(text) > 8:
        raise DecodeError("malformed dtype")
    try:
        dtype = np.dtype(text)
    except TypeError:
        raise DecodeError(f"unknown dtype {text!r}") from None
    if dtype.kind not in NUMERIC_KINDS or dtype.hasobject or dtype.fields:
        raise DecodeError(f"dtype {text!r} is not numeric")
    return dtype


def _data(raw, budget):
    """The bytes of an array: only `loads` (or `encode`) makes them, never JSON text."""
    if not isinstance(raw, (bytes, memoryview)):
        raise DecodeError("malformed array data")
    budget[0] -= len(raw)
    if budget[0] < 0:
        raise DecodeError("value too large")
    return raw


def _decode_array(obj, budget, copy=True) -> np.ndarray:
    dtype = _numeric_dtype(obj["$nd"])
    shape = obj.get("shape")
    if not (isinstance(shape, list) and len(shape) <= 32
            and all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d for d in shape)):
        raise DecodeError("malformed shape")
    raw = _data(obj.get("data"), budget)
    count = math.prod(shape)
    if count * dtype.itemsize != len(raw):
        raise DecodeError("array data does not match its shape")
    arr = np.frombuffer(raw, dtype=dtype).reshape(shape)
    return arr.copy() if copy else arr
