"""Build the public check data: expected outputs of the labs' fixed inputs, and the
outputs of the catalog's known mistakes on them (instructor only).

    python -m solutions.public_data          # rewrite autograder/labs/data/*.json
    python -m solutions.public_data --check  # exit 1 if the stored data is stale

Only outputs are stored; the inputs stay in the public lab modules.
"""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from autograder.judging.checks import Case, to_json
from autograder.judging.diagnosis import close
from autograder.labs import LAB_IDS, load_lab
from solutions.references import generate

DATA = Path(__file__).resolve().parent.parent / "autograder" / "labs" / "data"


def build(lab_id: str) -> dict:
    public = importlib.import_module(f"autograder.labs.{lab_id}")
    lab = load_lab(lab_id, hidden=True)
    cases = {}
    for key, (function, args, kwargs) in public.CASES.items():
        case = Case.of_reference(lab.reference, lab.catalog, function, args, kwargs)
        mistakes = [{"message": message, "value": to_json(value)} for value, message in case.mistakes
                    if not close(value, case.expected)]
        cases[key] = {"function": function, "args": [to_json(a) for a in args],
                      "kwargs": {k: to_json(v) for k, v in kwargs.items()},
                      "expected": to_json(case.expected), "mistakes": mistakes}
    # the test cells' points, public and hidden checks together: a student install knows them too
    points = {function: lab.points(function, hidden=True) for function in lab.functions}
    return {"lab": lab_id, "cases": cases, "points": points}


def render(lab_id: str) -> str:
    return json.dumps(build(lab_id), indent=1, sort_keys=True) + "\n"


def same_data(stored, fresh, rtol: float = 1e-9) -> bool:
    """Equal structure, equal text and integers, and floats equal to `rtol`: another numpy or
    BLAS build rounds the last digits of the same computation differently, which is not stale."""
    if isinstance(stored, str) and isinstance(fresh, str) and stored.lstrip().startswith("{"):
        return same_data(json.loads(stored), json.loads(fresh), rtol)
    if isinstance(stored, dict) and isinstance(fresh, dict):
        return stored.keys() == fresh.keys() and all(same_data(stored[k], fresh[k], rtol) for k in stored)
    if isinstance(stored, list) and isinstance(fresh, list):
        return len(stored) == len(fresh) and all(same_data(a, b, rtol) for a, b in zip(stored, fresh))
    if isinstance(stored, float) or isinstance(fresh, float):
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (stored, fresh)):
            return False
        if stored != stored or fresh != fresh:                     # nan is stored as nan
            return stored != stored and fresh != fresh
        return stored == fresh or abs(stored - fresh) <= rtol * max(abs(stored), abs(fresh))
    return type(stored) is type(fresh) and stored == fresh


def main(argv=None):
    return generate(argv, __doc__, "public data", "solutions.public_data",
                    ((DATA / f"{lab_id}.json", render(lab_id)) for lab_id in LAB_IDS), same=same_data)


if __name__ == "__main__":
    sys.exit(main())
