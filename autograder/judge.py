"""Judging: run a lab's checks against a submission and build the report.

The score comes from this process only. The student's code runs elsewhere (a
`StudentProcess`, or the student's own kernel for the in-notebook self-check) and is
seen only through the plain data it returns.
"""
from __future__ import annotations

import time
import warnings

import numpy as np

from . import integrity
from .checks import CallBroken, CheckFailed, Context
from .labs import get_lab, instructor_material
from .notebook import answer_cells, cell_note, identify_lab, read_notebook
from .report import CheckResult, Report
from .sandbox import Limits, StudentProcess


def judge(lab, subject, *, hidden: bool, material=None, load_notes=(), functions=None) -> Report:
    """Run the public (and, with hidden=True, hidden) checks of `lab` on `subject`.

    `material` is (reference module, mistake catalog) on an instructor install; with it,
    every graded function is judged with the reference versions of the others.
    """
    reference, catalog = material if material else (None, None)
    report = Report(lab.id, [], notes=list(load_notes))
    load = subject.load_report
    if load.failure:
        report.notes.append(load.failure)
    for cell_id, error in load.cell_errors.items():
        report.notes.append(cell_note(cell_id, error))
    limits = getattr(subject, "limits", None)
    deadline = time.monotonic() + limits.notebook_seconds if limits else float("inf")
    used = {}
    for function in functions or lab.functions:
        broken = None
        for check in lab.checks(hidden=hidden, function=function):
            message = broken
            if message is None and time.monotonic() > deadline:
                message = (f"not judged: the notebook used up its time budget "
                           f"({limits.notebook_seconds:g} s); make your functions faster")
            if message is None and function not in load.defined:
                message = missing_reason(function, load)
            if message is None:
                ctx = Context(lab, check, subject, reference=reference, catalog=catalog)
                used[check.id] = ctx.used
                try:
                    with warnings.catch_warnings(), np.errstate(all="ignore"):
                        warnings.simplefilter("ignore")
                        check.run(ctx)
                except CallBroken as exc:
                    broken = message = str(exc)
                except CheckFailed as exc:
                    message = str(exc)
                except Exception as exc:  # the output had a form the check could not use
                    message = (f"your {function} returned something this check could not use "
                               f"({type(exc).__name__}: {exc})")
            report.checks.append(CheckResult(function, check.id, message is None,
                                             check.points if message is None else 0.0,
                                             check.points, message or "", check.hidden))
    if reference is None:
        name_failing_callees(lab, report, used, lambda names: judge(lab, subject, hidden=False, functions=names))
    report.flags.extend(integrity.runtime_flags(report, load))
    return report


def name_failing_callees(lab, report, used: dict, judge_more) -> None:
    """The self-check never blames a function for a callee's bug: without the reference
    to answer its calls, a check that fails while a graded function it uses (declared
    in `calls`, or used by the check itself) fails its own checks names that function
    instead. Callees not judged yet are judged first, with `judge_more(names)`."""
    outcome = {}        # function -> names to fix first: itself when it fails on its own

    def record(checks):
        for function in dict.fromkeys(c.function for c in checks):
            roots = outcome[function] = []
            for c in checks:
                if c.function == function and not c.passed:
                    roots.extend(n for n in (c.blocked_by.split(" and ") if c.blocked_by else [function])
                                 if n not in roots)

    record(report.checks)
    for c in report.checks:
        own = (f"{c.function} is not written yet", f"{c.function} is not defined")
        if c.passed or c.message.startswith(own):
            continue
        callees = [name for name in lab.functions
                   if name != c.function and (name in lab.functions[c.function].calls or name in used.get(c.id, ()))]
        record([other for other in report.checks if other.function in callees])   # as decided so far
        missing = [name for name in callees if name not in outcome]
        if missing:
            record(judge_more(missing).checks)
        failing = list(dict.fromkeys(root for name in callees for root in outcome.get(name, ())))
        if failing:
            names = " and ".join(failing)
            which = "fails its own checks" if len(failing) == 1 else "fail their own checks"
            c.blocked_by = names
            c.message = (f"{c.function} depends on {names}, which {which}: fix {names} first, "
                         "then run this check again.")


def missing_reason(function, load) -> str:
    error = load.cell_errors.get(function)
    if error:
        return f"{function} is not defined: its cell raised {error}"
    if load.failure:
        return f"{function} could not be judged: {load.failure}"
    return f"{function} is not defined: write it in its answer cell (def {function}(...))"


def judge_notebook(path, *, hidden: bool = False, limits: Limits | None = None, lab_id: str | None = None) -> Report:
    """Judge one notebook file in a fresh student process. Raises UnusableNotebook."""
    nb = read_notebook(path)
    lab_id = lab_id or identify_lab(nb, path)
    lab = get_lab(lab_id)
    material = instructor_material(lab_id) if hidden else None
    if hidden and material is None:
        raise RuntimeError("the hidden checks need the instructor install (the `solutions` package)")
    report = judge_answers(lab, nb, hidden=hidden, material=material, limits=limits)
    report.flags[:0] = integrity.test_cell_changes(integrity.record_test_cells(nb), lab)
    return report


def judge_answers(lab, nb, *, hidden: bool, material, limits: Limits | None = None) -> Report:
    """Run a notebook's answer cells in a fresh student process and judge them; the
    answer cells' text is scanned for attempts to game the grader. Raises UnusableNotebook."""
    cells, notes = answer_cells(nb, lab)
    reference = {name: getattr(material[0], name) for name in lab.functions} if material else {}
    process = StudentProcess(cells, lab.functions, prelude=lab.prelude, limits=limits, reference=reference)
    try:
        process.start()
        report = judge(lab, process, hidden=hidden, material=material, load_notes=notes)
    finally:
        process.close()
    report.flags[:0] = integrity.scan_answers(cells)
    return report
