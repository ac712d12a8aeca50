"""The self-check under each function of a lab notebook, run in the student's kernel.

It prints to stdout only (nbgrader scores a test cell that writes to stderr as 0) and
never raises: a check that fails shows its message instead.
"""
from __future__ import annotations

import sys

from .judge import judge
from .labs import LAB_IDS, get_lab, instructor_material
from .report import function_summary
from .inprocess import InProcessSubject


def lab_for(name: str, namespace: dict):
    """The lab that grades `name`; where two labs share a name (predict), the one whose
    other graded functions this notebook defines."""
    candidates = [get_lab(lab_id) for lab_id in LAB_IDS if name in get_lab(lab_id).functions]
    if not candidates:
        return None
    return max(candidates, key=lambda lab: sum(callable(namespace.get(f)) for f in lab.functions))


def _grading_in_the_students_kernel() -> bool:
    """nbgrader autograde runs a submission in autograded/<student>/<assignment>/."""
    from pathlib import Path
    parts = Path.cwd().resolve().parts
    return len(parts) >= 3 and parts[-3] == "autograded"


def check_in_notebook(function, *, hidden=False, lab_id=None):
    name = getattr(function, "__name__", None)
    namespace = getattr(function, "__globals__", None)
    if not callable(function) or name is None or namespace is None:
        print(f"check() needs one of your lab functions, e.g. check(sigmoid); got {function!r}.")
        return
    lab = get_lab(lab_id) if lab_id else lab_for(name, namespace)
    if lab is None:
        print(f"{name} is not a graded function of any nnlabs lab.")
        return
    if hidden and _grading_in_the_students_kernel():
        # nbgrader is executing the submission in the student's kernel: its configuration
        # (which puts the isolated judge in place of Execute) did not load. A score computed
        # here could be gamed, so this cell scores nothing and says why, on stderr.
        print("nnlabs: this submission is being graded inside the student's kernel, which nnlabs never "
              "does: nbgrader_config.py did not load (see the start of nbgrader's log). No points are "
              "given here; fix the configuration and grade again.", file=sys.stderr)
        return
    material = None
    if hidden:
        material = instructor_material(lab.id)
        if material is None:
            print("(the hidden checks run only on the instructor's install)")
            return
    reference = {f: getattr(material[0], f) for f in lab.functions} if material else None
    subject = InProcessSubject(namespace, lab.functions, reference=reference)
    try:
        report = judge(lab, subject, hidden=hidden, material=material, functions=[name])
    except Exception as exc:  # never let the self-check itself break the notebook
        print(f"the checks of {name} could not run: {type(exc).__name__}: {exc}")
        return
    title = "hidden and public checks" if hidden else "public checks"
    print(f"[{title}] " + function_summary(report, name))
    sys.stdout.flush()
