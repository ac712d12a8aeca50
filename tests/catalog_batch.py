"""Grading every catalog entry of a lab in one student process.

A submission that holds one entry is the solved notebook with one answer cell replaced.
Here the solved answers and every entry (under its own name, ``<function>__<entry>``) are
loaded into one student process; before an entry is judged, a small cell of this harness
binds the graded name to the entry in the student's namespace, exactly as in the
submission that holds it, and the entry's function is judged.

The other functions of that submission are the solved ones. Those whose code does not
call the entry's function score as in the solved notebook (judged once). Those whose code
calls it are judged once with that function bound to a stub that raises: since what they
call is answered by the reference, they must score in full whatever the function does.

If the student process had to be restarted while an entry was judged (the binding is
then lost), that entry is graded again the ordinary way, as a submission of its own.
"""
from __future__ import annotations

import dataclasses
import functools
import tempfile
from pathlib import Path

from autograder.judging import course_key
from autograder.judging.judge import judge, judge_notebook
from autograder.labs import load_lab
from autograder.notebook import answer_cells
from autograder.sandbox.student_process import StudentProcess
from solutions import references, sample_class

BIND = "nnlabs_batch_bind"
BIND_CELL = f'''
def {BIND}(name, alias):
    namespace = globals()
    solved = namespace.setdefault("nnlabs_batch_solved", {{}})
    solved.setdefault(name, namespace[name])
    namespace[name] = namespace[alias] if alias else solved[name]
'''


def alias(entry) -> str:
    return f"{entry.function}__{entry.name}"


def users(lab_id: str) -> dict:
    """{function: the functions whose code calls it}. (A function that reaches it only
    through another one is judged with that other's reference version.)"""
    uses = references.uses(lab_id)
    return {function: {other for other, used in uses.items() if function in used} for function in uses}


@dataclasses.dataclass
class Batch:
    solved: object          # the report of the solved answers
    with_broken: dict       # {function: report of its callers, judged while it raises}
    reports: dict           # {entry name: report of the entry's function}
    alone: list             # entries graded as submissions of their own after a restart

    def scores(self, lab, entry) -> dict:
        """{function: (score, max)} of the submission that holds `entry`."""
        callers = self.with_broken.get(entry.function)
        out = {}
        for function in lab.functions:
            if function == entry.function:
                report = self.reports[entry.name]
            elif callers is not None and function in callers.by_function():
                report = callers
            else:
                report = self.solved
            out[function] = report.function_score(function)
        return out


def broken(function: str) -> str:
    return f"{function}__broken"


def student_process(lab_id: str, *, answered: bool = True) -> StudentProcess:
    """A student process holding the solved answers, the binding cell, a raising stub for
    every function that others call, and every catalog entry under its own name. With
    answered=False, no call is answered by the reference (to show what that would cost)."""
    lab = load_lab(lab_id, hidden=True)
    entries = sample_class.catalog(lab_id).entries
    callers = users(lab_id)
    cells, _ = answer_cells(sample_class.solved(lab_id), lab)
    cells.append({"id": "batch-bind", "source": BIND_CELL})
    cells += [{"id": broken(f), "source": f"def {broken(f)}(*args, **kwargs):\n"
                                         f"    raise RuntimeError('{f} must not run here')\n"}
              for f in lab.functions if callers[f]]
    cells += [{"id": alias(e), "source": e.source(alias(e))} for e in entries]
    names = list(lab.functions) + [broken(f) for f in lab.functions] + [alias(e) for e in entries] + [BIND]
    reference = {name: getattr(lab.reference, name) for name in lab.functions} if answered else {}
    return StudentProcess(cells, names, prelude=lab.prelude, reference=reference)


def secret(lab_id: str, *entry_names: str) -> bytes:
    """What seeds the hidden checks of the submission holding these entries (its answer
    cells and the course's key), as `judge_notebook` computes it for that file."""
    lab = load_lab(lab_id, hidden=True)
    cells, _ = answer_cells(sample_class.with_entries(lab_id, *entry_names), lab)
    return course_key.submission_secret(course_key.load(), cells)


def judged_with(lab, process, function, name, functions, secret=b""):
    """The report of `functions` while `function` is bound to `name` in the student's
    namespace, or None if the process restarted meanwhile (the binding was lost)."""
    restarts = process.restarts
    bound = process.call(BIND, [function, name])
    if not bound.ok:
        raise RuntimeError(f"{name} could not be bound: {bound.error or bound.failure}")
    report = judge(lab, process, hidden=True, material=lab.material, functions=functions, secret=secret)
    if process.restarts == restarts:
        process.call(BIND, [function, None])
    return report if process.restarts == restarts else None


@functools.cache
def graded(lab_id: str) -> Batch:
    lab = load_lab(lab_id, hidden=True)
    entries = sample_class.catalog(lab_id).entries
    callers = users(lab_id)
    process = student_process(lab_id)
    batch = Batch(None, {}, {}, [])
    try:
        process.start()
        batch.solved = judge(lab, process, hidden=True, material=lab.material, secret=secret(lab_id))
        for function in lab.functions:
            if callers[function]:
                report = judged_with(lab, process, function, broken(function),
                                     [f for f in lab.functions if f in callers[function]])
                if report is None:
                    raise RuntimeError(f"the student process restarted while {function} was broken")
                batch.with_broken[function] = report
        for entry in entries:
            report = judged_with(lab, process, entry.function, alias(entry), [entry.function],
                                 secret(lab_id, entry.name))
            if report is None:
                report = grade_alone(lab_id, entry)
                batch.alone.append(entry.name)
            batch.reports[entry.name] = report
    finally:
        process.close()
    return batch


def grade_alone(lab_id: str, entry):
    with tempfile.TemporaryDirectory() as folder:
        path = sample_class.write(sample_class.with_entries(lab_id, entry.name), Path(folder) / f"{lab_id}.ipynb")
        return judge_notebook(path, hidden=True)
