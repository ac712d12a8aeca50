"""Checks cover exactly the contract: every input form a graded function promises (SPEC
section 2, its docstring) is exercised by some check, and no check feeds an input outside
it. Every check of every lab runs against the reference; every call it makes is recorded."""
import dataclasses

import numpy as np
import pytest

from autograder.labs import contract
from autograder.judging.checks import Context
from autograder.sandbox.inprocess import InProcessSubject
from autograder.judging.judge import run_check
from autograder.labs import LAB_IDS, load_lab
from autograder.judging.result import PASSED, Report


class Recording(InProcessSubject):
    """The reference as the subject, remembering each call of a graded function."""

    def __init__(self, lab):
        reference = {name: getattr(lab.reference, name) for name in lab.functions}
        super().__init__(dict(reference), lab.functions, reference)
        self.calls = []

    def call(self, function, args=(), kwargs=None, *, reference=(), trace=False):
        self.calls.append((function, list(args), dict(kwargs or {})))
        return super().call(function, args, kwargs, reference=reference)


@dataclasses.dataclass
class Exercised:
    calls: dict           # {function: [(args, kwargs)]}
    failed: list


def exercise(lab_id) -> Exercised:
    lab = load_lab(lab_id, hidden=True)
    subject = Recording(lab)
    failed, calls = [], {f: [] for f in lab.functions}
    for check in lab.checks(hidden=True):
        start = len(subject.calls)
        message, kind = run_check(check, Context(lab, check, subject, reference=lab.reference, catalog=lab.catalog),
                                  Report(lab_id, []))
        if kind != PASSED:
            failed.append((check.id, message))
        for function, args, kwargs in subject.calls[start:]:
            if function == check.function:
                calls[function].append((args, kwargs))
    return Exercised(calls, failed)


EXERCISED = {}


def exercised(lab_id):
    if lab_id not in EXERCISED:
        EXERCISED[lab_id] = exercise(lab_id)
    return EXERCISED[lab_id]


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_every_function_has_its_contract_written_down(lab_id):
    functions = set(load_lab(lab_id).functions)
    assert set(contract.INSIDE[lab_id]) == functions and set(contract.FORMS[lab_id]) == functions


def gaps(lab_id, calls) -> tuple:
    """(calls outside the contract, promised forms no call exercises)."""
    outside, missing = [], []
    for function, made in calls.items():
        inside = contract.INSIDE[lab_id][function]
        for args, kwargs in made:
            if not inside(args, kwargs):
                outside.append((function, [np.shape(a) for a in args], kwargs))
        for form, holds in contract.FORMS[lab_id][function].items():
            if not any(holds(args, kwargs) for args, kwargs in made if inside(args, kwargs)):
                missing.append(f"{function}: {form}")
    return outside, missing


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_every_promised_input_form_is_exercised_and_none_outside_the_contract(lab_id):
    found = exercised(lab_id)
    assert not found.failed, found.failed
    outside, missing = gaps(lab_id, found.calls)
    assert not outside, f"checks feed inputs outside the contract: {outside}"
    assert not missing, f"promised input forms no check exercises: {missing}"


def test_the_walk_finds_an_input_outside_the_contract_and_a_form_no_check_exercises():
    """The test above can fail: a 3-D input to softmax, and a fit without (m, k) targets."""
    lab_id = "lab3_multiclass_classification"
    calls = dict(exercised(lab_id).calls)
    calls["softmax"] = calls["softmax"] + [([np.zeros((2, 3, 4))], {})]
    assert gaps(lab_id, calls) == ([("softmax", [(2, 3, 4)], {})], [])
    lab_id = "lab1_linear_regression"
    calls = dict(exercised(lab_id).calls)
    calls["fit_linear_regression"] = [(a, k) for a, k in calls["fit_linear_regression"] if np.ndim(a[1]) == 1]
    assert gaps(lab_id, calls) == ([], ["fit_linear_regression: (m, k) targets"])
