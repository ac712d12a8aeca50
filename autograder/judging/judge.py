"""Judging: run a lab's checks against a submission and build the report.

The score comes from this process only. The student's code runs elsewhere (a
`StudentProcess`, or the student's own kernel for the in-notebook self-check) and is
seen only through the plain data it returns.
"""
from __future__ import annotations

import os
import time
import traceback


from . import course_key, integrity
from .checks import SELF_ENDING, CheckFailed, Context
from ..labs import load_lab
from ..notebook import answer_cells, cell_note, identify_lab, read_notebook
from .result import (CHECK_ERROR, CRASHED, FAILED, NOT_DEFINED, OUT_OF_BUDGET, PASSED, PROTOCOL, TIMED_OUT,
                     CheckResult, Flag, Report, explain)
from ..sandbox.limits import Limits
from ..sandbox.student_process import StudentProcess, quiet


def judge(lab, subject, *, hidden: bool, material=None, load_notes=(), functions=None, secret: bytes = b"") -> Report:
    """Run the public (and, with hidden=True, hidden) checks of `lab` on `subject`.

    `material` is (reference module, mistake catalog) on an instructor install; with it,
    the graded functions a function declares that it calls are answered by the reference
    while it is judged. Every check ends as one of `report.KINDS`; an exception inside a
    check (not in the student's code) is a `CHECK_ERROR`, reported to the instructor.
    `secret` seeds the hidden checks' inputs (`course_key.submission_secret`).
    """
    reference, catalog = material if material else (None, None)
    report = Report(lab.id, [], notes=list(load_notes), isolated=getattr(subject, "isolated", True))
    if getattr(subject, "note", ""):
        report.notes.append(subject.note)
    load = subject.load_report
    if load.failure:
        report.notes.append(load.failure)
        if load.flag_code:
            report.flags.append(Flag(load.flag_code, f"running the answer cells failed: {load.failure}"))
    for cell_id, error in load.cell_errors.items():
        report.notes.append(cell_note(cell_id, error))
        if error.controls:
            _flag_once(report, Flag("control_characters", f"cell '{cell_id}' raised an error whose text carries "
                                                          "control characters (shown escaped)", cell=cell_id))
        if error.type in SELF_ENDING:
            report.flags.append(Flag("ends_process", f"cell '{cell_id}' raised {error.type} to stop the grader",
                                     cell=cell_id))
    limits = getattr(subject, "limits", None)
    deadline = time.monotonic() + limits.notebook_seconds if limits else float("inf")
    out_of_time = getattr(subject, "out_of_time", lambda: time.monotonic() > deadline)
    used, matched = {}, {}
    for function in functions or lab.functions:
        broken = None
        for check in lab.checks(hidden=hidden, function=function):
            reasons, kind = broken if broken else (None, PASSED)
            if reasons is None and out_of_time():
                reasons, kind = (f"not judged: the notebook used up its time budget "
                                 f"({limits.notebook_seconds:g} s for loading and every call together); "
                                 "make your functions faster", [], ""), OUT_OF_BUDGET
                note = (f"the notebook used up its whole time budget ({limits.notebook_seconds:g} s for loading "
                        f"and every call together): checks from {check.id} on were not run")
                if note not in report.notes and not any("used up its whole time budget" in n for n in report.notes):
                    report.notes.append(note)
            if reasons is None and function not in load.defined:
                reasons, kind = (missing_reason(function, load), [], ""), NOT_DEFINED
            note = ""
            if reasons is None:
                ctx = Context(lab, check, subject, reference=reference, catalog=catalog, secret=secret)
                used[check.id] = ctx.used
                reasons, kind, matched[check.id] = run_check(check, ctx, report)
                if kind in BREAKING:
                    broken = (reasons, kind)
                if kind in (PASSED, FAILED):       # said of a verdict, not of a missing answer
                    note = ctx.note
            report.checks.append(result_of(check, kind, reasons, note))
        tell_apart([c for c in report.checks if c.function == function], matched)
    if reference is None:
        name_failing_callees(lab, report, used, load.defined, lambda names: judge(lab, subject, hidden=False, functions=names))
    for code, message in getattr(subject, "audit", list)():
        _flag_once(report, Flag(code, message))
    report.flags.extend(integrity.control_characters(report))
    return report


BREAKING = (TIMED_OUT, CRASHED, PROTOCOL, OUT_OF_BUDGET)    # later checks of the function are not run


def _flag_once(report, flag):
    if not any(f.code == flag.code and f.function == flag.function for f in report.flags):
        report.flags.append(flag)


def result_of(check, kind, reasons, note="") -> CheckResult:
    """The check's result: its reasons as data, and rendered once (`report.explain`)."""
    text, causes, observed = reasons or ("", [], "")
    message = "\n".join(line for _, line in explain(text, causes, observed, note))
    return CheckResult(check.function, check.id, kind == PASSED, check.points if kind == PASSED else 0.0,
                       check.points, message, check.hidden, kind, [], text, list(causes), observed, note)


def tell_apart(checks, matched: dict) -> None:
    """Known mistakes that one check cannot tell apart, told apart by the function's other
    checks. Where several known mistakes reproduce a check's output, the check names the
    first; a mistake that another failing check of the same function compared and did not
    reproduce (while it reproduced some other) is ruled out there, and the first mistake
    that no check rules out is named instead. Where every one is ruled out, nothing changes."""
    failing = [c for c in checks if not c.passed and matched.get(c.id)]
    for c in failing:
        if len(matched[c.id]) < 2 or c.causes != matched[c.id][:1]:
            continue
        kept = [cause for cause in matched[c.id]
                if all(cause in matched[other.id] for other in failing if other is not c)]
        if kept and kept[0] != c.causes[0]:
            c.causes = kept[:1]
            c.message = "\n".join(line for _, line in explain(c.text, c.causes, c.observed, c.note))


def run_check(check, ctx, report) -> tuple:
    """((text, causes, observed) or None, kind, candidates) of one check; flags for what the
    student's code did (candidates: every known mistake reproducing its output, see `tell_apart`)."""
    candidates = []
    try:
        with quiet():
            check.run(ctx)
        outcome = (None, PASSED)
    except CheckFailed as exc:
        outcome = (exc.reasons(), exc.kind)
        candidates = exc.candidates()
    except Exception as exc:  # noqa: BLE001  (a bug in the check, not in the student's code)
        outcome = ((f"check {check.id} is broken: {type(exc).__name__}: {exc} "
                    f"({_where(exc)}); the instructor has been told", [], ""), CHECK_ERROR)
        report.flags.append(Flag(CHECK_ERROR, f"check {check.id} raised {type(exc).__name__}: {exc} "
                                              f"({_where(exc)}): fix the check and grade again",
                                 function=check.function))
    for code, function, message in ctx.events:     # each a flag code: what the judge saw the code do
        flag = Flag(code, f"{function}: {message.splitlines()[0]}", function=function)
        if flag not in report.flags:
            report.flags.append(flag)
    return (*outcome, candidates)


def _where(exc) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "no traceback"
    last = frames[-1]
    return f"{os.path.basename(last.filename)}, line {last.lineno}, in {last.name}"


def name_failing_callees(lab, report, used: dict, defined, judge_more) -> None:
    """The self-check never blames a function for a callee's bug: without the reference
    to answer its calls, a check that fails while a graded function it uses (declared
    in `calls`, or used by the check itself) fails its own checks names that function
    instead. Callees not judged yet are judged first, with `judge_more(names)`. A function
    `defined` in the notebook that is judged NOT_DEFINED still raises NotImplementedError:
    it is not written yet."""
    outcome = {}        # function -> names to fix first: itself when it fails on its own
    unwritten = set()   # functions that are still the stub

    def record(checks):
        for function in dict.fromkeys(c.function for c in checks):
            roots = outcome[function] = []
            for c in checks:
                if c.function == function and not c.passed:
                    roots.extend(n for n in (c.blocked_by or [function]) if n not in roots)
                    if c.kind == NOT_DEFINED and function in defined:
                        unwritten.add(function)

    record(report.checks)
    for c in report.checks:
        if c.passed or c.kind == NOT_DEFINED:           # its own answer is missing: nothing to blame
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
            c.blocked_by = failing
            if all(name in unwritten for name in failing):
                which = "is not written yet" if len(failing) == 1 else "are not written yet"
                c.text = (f"{c.function} depends on {names}, which {which}: write {names} first, "
                          "then run this check again.")
            else:
                which = "fails its own checks" if len(failing) == 1 else "fail their own checks"
                c.text = (f"{c.function} depends on {names}, which {which}: fix {names} first, "
                          "then run this check again.")
            c.causes, c.observed, c.note = [], "", ""
            c.message = c.text


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
    lab = load_lab(lab_id, hidden=hidden)      # raises NoInstructorMaterial on a student install
    material = lab.material if hidden else None
    recorded = integrity.record_test_cells(nb)
    changes = integrity.test_cell_changes(recorded, lab)
    # the hidden checks grade: never without the jail; a student's self-check may run
    # unjailed where the machine has none (the report says so)
    report = judge_answers(lab, nb, hidden=hidden, material=material, limits=limits,
                           isolation="require" if hidden else "prefer",
                           key=course_key.load() if hidden else b"")
    report.flags[:0] = changes
    report.notes[:0] = [n for n in integrity.restored_cells(recorded, lab) if n not in report.notes]
    return report


def judge_answers(lab, nb, *, hidden: bool, material, limits: Limits | None = None,
                  isolation: str = "require", spare: bool = False, key: bytes = b"") -> Report:
    """Run a notebook's answer cells in a fresh student process and judge them; the
    answer cells' text is scanned for attempts to game the grader. Raises UnusableNotebook,
    and IsolationUnavailable when `isolation` is "require" and the machine cannot jail.
    With `spare` (a process judging notebook after notebook), the next notebook's student
    process starts while this one is judged. `key` is the course's (`course_key`): with it
    the hidden checks' inputs depend on the key and on these cells."""
    cells, notes = answer_cells(nb, lab)
    reference = {name: getattr(material[0], name) for name in lab.functions} if material else {}
    flags = integrity.scan_answers(cells, lab) + integrity.scan_markdown(nb)   # while the student process starts
    process = StudentProcess(cells, lab.functions, prelude=lab.prelude, limits=limits, reference=reference,
                             isolation=isolation, spare=spare)
    try:
        process.start()
        secret = course_key.submission_secret(key, cells) if key else b""
        report = judge(lab, process, hidden=hidden, material=material, load_notes=notes, secret=secret)
    finally:
        process.close()
    report.flags[:0] = flags
    return report
