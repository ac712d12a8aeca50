"""Checks cover exactly the contract, and the contract is the notebook's: each lab's `LabSpec`
(autograder/labs/spec.py) is the one statement of what every graded function promises. Both
ways: every promise is in the words the student reads, every promised input form is exercised
by some check and every promised property is held by one (the mistake that breaks it alone
loses points, on the public checks where it is a common slip), and no check feeds an input
outside the contract. Every check of every lab runs against the reference; every call it makes
is recorded."""
import dataclasses

import numpy as np
import pytest

import json
from autograder.judging.checks import Context
from autograder.sandbox.inprocess import InProcessSubject
from autograder.judging.judge import run_check
from autograder.labs import LAB_IDS, load_lab
from autograder.judging.result import PASSED, Report

from conftest import ROOT


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
        message, kind, _ = run_check(check, Context(lab, check, subject, reference=lab.reference, catalog=lab.catalog),
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
    spec = load_lab(lab_id).spec
    assert all(f.inside is not None and f.forms and f.returns for f in spec.functions), \
        [f.name for f in spec.functions if f.inside is None or not f.forms or not f.returns]


def notebook_words(lab_id) -> str:
    """What the student reads: the release notebook's markdown and its stubs' text (their
    docstrings), whitespace made single spaces."""
    nb = json.loads((ROOT / "release" / lab_id / f"{lab_id}.ipynb").read_text())
    text = " ".join("".join(c["source"]) for c in nb["cells"]
                    if c["cell_type"] == "markdown" or c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    return " ".join(text.split())


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_every_promise_is_in_the_words_the_student_reads(lab_id):
    words = notebook_words(lab_id)
    missing = [(f, kind, name, promise) for f, kind, name, promise in load_lab(lab_id).spec.promises()
               if " ".join(promise.split()) not in words]
    assert not missing, missing


def test_the_words_test_can_fail():
    """A promise the notebook does not make is found missing."""
    assert "ties go to the last class" not in notebook_words("lab3_multiclass_classification")


PROPERTIES = [(lab_id, f.name, prop) for lab_id in LAB_IDS for f in load_lab(lab_id).spec.functions
              for prop in f.properties]


@pytest.mark.parametrize("lab_id, function, prop", PROPERTIES, ids=[f"{p[1]}: {p[2].name}" for p in PROPERTIES])
def test_every_promised_property_is_held_by_a_check(tmp_path, lab_id, function, prop):
    """The catalogued mistake that breaks the property alone loses points in its function - on
    the public checks alone where the property is a common slip - with a message that says what."""
    from autograder.judging.judge import judge_notebook
    from solutions import sample_class
    entry = next((e for e in sample_class.catalog(lab_id).entries if e.name == prop.breaks), None)
    assert entry is not None and entry.function == function and not entry.correct, prop.breaks
    path = sample_class.write(sample_class.with_entries(lab_id, prop.breaks), tmp_path / f"{lab_id}.ipynb")
    report = judge_notebook(path, hidden=not prop.public)
    got, total = report.function_score(function)
    failed = [c for c in report.checks if c.function == function and not c.passed]
    assert got < total and failed, (prop.name, [c.id for c in report.checks if c.function == function])
    assert all(c.text for c in failed), [c.message for c in failed]


def gaps(lab_id, calls) -> tuple:
    """(calls outside the contract, promised forms no call exercises)."""
    outside, missing = [], []
    spec = load_lab(lab_id).spec
    for function, made in calls.items():
        inside = spec.function(function).inside
        for args, kwargs in made:
            if not inside(args, kwargs):
                outside.append((function, [np.shape(a) for a in args], kwargs))
        for form in spec.function(function).forms:
            if not any(form.holds(args, kwargs) for args, kwargs in made if inside(args, kwargs)):
                missing.append(f"{function}: {form.name}")
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


def test_a_hidden_check_that_draws_outside_the_contract_is_a_broken_check_never_a_students_zero():
    """The input-form validation reads the spec too: a check whose inputs leave the contract is
    reported as broken (CHECK_ERROR, for the instructor), not held against the student."""
    from autograder.judging.checks import Check
    from autograder.judging.result import CHECK_ERROR
    lab = load_lab("lab3_multiclass_classification", hidden=True)

    def run(ctx):
        expect_reference = __import__("autograder.judging.expect", fromlist=["reference"]).reference
        expect_reference(ctx, [np.zeros((2, 3, 4))], what="softmax of a 3-D array")
    check = Check("softmax.three_axes", "softmax", 1.0, True, run)
    subject = Recording(lab)
    _, kind, _ = run_check(check, Context(lab, check, subject, reference=lab.reference, catalog=lab.catalog),
                        Report(lab.id, []))
    assert kind == CHECK_ERROR and subject.calls == []
