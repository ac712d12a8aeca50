"""Both lab-4 fresh sets are labelled truthfully: every correct variant gives the independent
reference's outputs (and leaves its inputs alone, and stays quiet on large scores) on random
inputs inside the contract; every bug parts from it on some of them."""
import warnings

import numpy as np
import pytest

from conftest import ROOT, fresh_set_runner

SETS = ("fresh_set_lab4", "fresh_set_lab4b")


def load(folder):
    """(the set's reference, its lab-4 entries), as the benchmark loads them."""
    modules = fresh_set_runner().load_set(ROOT / "benchmarks" / folder)
    return modules["reference"], modules["lab4"]


def network(rng, m, n, h, k, scale=1.0):
    X = rng.normal(size=(m, n))
    params = {"W1": rng.normal(scale=scale, size=(n, h)), "b1": rng.normal(size=h),
              "W2": rng.normal(scale=scale, size=(h, k)), "b2": rng.normal(size=k)}
    return X, params


def calls(function, rng):
    """[(args, kwargs)] inside the contract, each input form, as fresh objects."""
    out = []
    if function in ("relu", "relu_derivative"):
        for shape in ((5,), (3, 4), (2, 3, 2)):
            Z = rng.normal(size=shape)
            Z.flat[0] = 0.0
            out.append(([Z], {}))
    elif function == "init_params":
        out += [([n, h, k, np.random.default_rng(s)], {}) for n, h, k, s in ((3, 4, 2, 0), (2, 1, 3, 7), (5, 6, 4, 3))]
    elif function in ("forward", "predict_mlp"):
        for m, n, h, k, scale in ((5, 3, 4, 3, 1.0), (1, 2, 3, 2, 1.0), (6, 2, 5, 3, 60.0), (4, 4, 4, 4, 1.0)):
            out.append((list(network(rng, m, n, h, k, scale)), {}))
    elif function == "backward":
        for m, n, h, k in ((5, 3, 4, 3), (1, 2, 3, 2), (6, 4, 4, 4), (4, 3, 2, 2)):
            X, params = network(rng, m, n, h, k)
            X[0], params["b1"][0] = 0.0, 0.0              # Z1[0, 0] is exactly 0: ReLU's kink
            Z1 = X @ params["W1"] + params["b1"]
            A1 = np.maximum(Z1, 0)
            cache = {"Z1": Z1, "A1": A1, "Z2": A1 @ params["W2"] + params["b2"]}
            out.append(([X, np.eye(k)[rng.integers(0, k, size=m)], params, cache], {}))
    else:
        for m, bs in ((12, None), (12, 4), (10, 3), (7, 1)):
            X = rng.normal(size=(m, 2))
            y = rng.integers(0, 3, size=m)
            out.append(([X, y], {"hidden": 4, "num_classes": 3, "lr": 0.3, "epochs": 3, "batch_size": bs, "seed": 2}))
    return out


def copied(value):
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(copied(v) for v in value)
    if isinstance(value, np.random.Generator):
        rng = np.random.default_rng()
        rng.bit_generator.state = value.bit_generator.state
        return rng
    return value.copy() if isinstance(value, np.ndarray) else value


def kind(array) -> str:
    return {"b": "bool", "i": "int", "u": "int", "f": "float"}.get(array.dtype.kind, array.dtype.kind)


def same(a, b) -> bool:
    """Equal outputs: the same structure, shapes, kinds of number (bool, integer, float) and values."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b)))
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape or kind(x) != kind(y):
        return False
    return bool(np.allclose(x.astype(float), y.astype(float), rtol=1e-7, atol=1e-10, equal_nan=True))


def outcome(namespace, function, args, kwargs):
    """(output or the exception's type, whether the inputs were changed, whether it warned)."""
    given = copied(args)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            got = namespace[function](*given, **kwargs)
        except Exception as exc:  # noqa: BLE001
            got = type(exc).__name__
    changed = not all(same(a, b) for a, b in zip(args, given) if not isinstance(a, np.random.Generator))
    return got, changed, bool(seen)


ENTRIES = [(folder, entry) for folder in SETS for entry in load(folder)[1].ENTRIES]


@pytest.mark.parametrize("folder, entry", ENTRIES, ids=[f"{f}-{e.name}" for f, e in ENTRIES])
def test_every_entry_is_labelled_truthfully(folder, entry):
    reference, _ = load(folder)
    want = reference.namespace(reference.LAB4)
    have = reference.namespace(reference.LAB4, entry.source)
    differs = []
    np.random.seed(0)
    for args, kwargs in calls(entry.function, np.random.default_rng(11)):
        expected, got = outcome(want, entry.function, args, kwargs), outcome(have, entry.function, args, kwargs)
        if isinstance(got[0], str) or got[1] != expected[1] or got[2] != expected[2] or not same(got[0], expected[0]):
            differs.append(args)
    if entry.is_bug:
        assert differs, f"{entry.name} is labelled a bug but gives the reference's outputs on every input"
    else:
        assert not differs, f"{entry.name} is labelled correct but parts from the reference"
