"""Build the public check data: expected outputs of the labs' fixed inputs, and the
outputs of the catalog's known mistakes on them (instructor only).

    python -m solutions.public_data          # rewrite autograder/labs/data/*.json
    python -m solutions.public_data --check  # exit 1 if the stored data is stale

Only outputs are stored; the inputs stay in the public lab modules.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import warnings
from pathlib import Path

import numpy as np

from autograder.checks import copy_args, to_json
from autograder.diagnosis import close
from autograder.labs import LAB_IDS, get_lab

DATA = Path(__file__).resolve().parent.parent / "autograder" / "labs" / "data"


def build(lab_id: str) -> dict:
    public = importlib.import_module(f"autograder.labs.{lab_id}")
    reference = importlib.import_module(f"solutions.{lab_id}")
    catalog = importlib.import_module(f"solutions.mistakes.{lab_id}").CATALOG
    cases = {}
    for key, (function, args, kwargs) in public.CASES.items():
        expected = getattr(reference, function)(*copy_args(args), **copy_args(kwargs))
        mistakes = []
        for entry in catalog.bugs(function):
            if entry.named_by_check:
                continue
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    value = entry.implementation(*copy_args(args), **copy_args(kwargs))
            except Exception:
                continue
            if not _same(value, expected):
                mistakes.append({"message": entry.message, "value": to_json(_plainer(value))})
        cases[key] = {"function": function, "args": [to_json(a) for a in args],
                      "kwargs": {k: to_json(v) for k, v in kwargs.items()},
                      "expected": to_json(_plainer(expected)), "mistakes": mistakes}
    graded = get_lab(lab_id)            # with its hidden checks: the test cells' points
    points = {function: graded.points(function, hidden=True) for function in graded.functions}
    return {"lab": lab_id, "cases": cases, "points": points}


def _plainer(value):
    """Histories of (loss, acc) tuples are stored as arrays; scalars as floats."""
    if isinstance(value, tuple):
        return tuple(_plainer(v) for v in value)
    if isinstance(value, list):
        return np.asarray(value, dtype=np.float64)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _same(a, b):
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return close(a, b)


def render(lab_id: str) -> str:
    return json.dumps(build(lab_id), indent=1, sort_keys=True) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the data is up to date")
    options = parser.parse_args(argv)
    stale = []
    for lab_id in LAB_IDS:
        path = DATA / f"{lab_id}.json"
        text = render(lab_id)
        if options.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path}")
    if stale:
        print("stale public data: " + ", ".join(stale) + " (run python -m solutions.public_data)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
