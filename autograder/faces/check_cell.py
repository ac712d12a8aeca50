"""The self-check under each function of a lab notebook, run in the student's kernel.

It shows a table of the function's checks (HTML in Jupyter, with a plain-text
fallback) and, when a check fails, fails its cell with one short line, so "Run All"
and ``nbgrader validate`` stop at exactly the functions that are wrong. A check that
fails only because a graded function it uses is wrong names that function and does
not fail the cell. Each call has a time limit and its prints are captured; nothing is
written to stderr while the checks pass (nbgrader scores such a cell as 0).
"""
from __future__ import annotations

import sys

from . import display
from ..judging.judge import judge
from ..labs import LAB_IDS, get_lab, instructor_material
from ..sandbox.inprocess import InProcessSubject

CALL_SECONDS = 10.0


class ChecksFailed(AssertionError):
    """Some checks of a function failed; the table above the error says which and why.

    IPython shows `_render_traceback_` instead of a traceback: one short line."""

    def _render_traceback_(self):
        return [f"\x1b[31m{display.FAIL} {self}\x1b[0m"]


def lab_for(name: str, namespace: dict):
    """The lab that grades `name`; where two labs share a name (predict), the one whose
    other graded functions this notebook defines."""
    candidates = [get_lab(lab_id) for lab_id in LAB_IDS if name in get_lab(lab_id).functions]
    if not candidates:
        return None
    return max(candidates, key=lambda lab: sum(callable(namespace.get(f)) for f in lab.functions))


def show(html: str, text: str):
    """Rich output in a notebook front end, plain text elsewhere (a terminal IPython)."""
    try:
        from IPython import get_ipython
        from IPython.display import display as ipython_display
        if get_ipython() is not None:
            ipython_display({"text/html": html, "text/plain": text}, raw=True)
            return
    except ImportError:
        pass
    print(text)


def _grading_in_the_students_kernel() -> bool:
    """nbgrader autograde runs a submission in autograded/<student>/<assignment>/."""
    from pathlib import Path
    parts = Path.cwd().resolve().parts
    return len(parts) >= 3 and parts[-3] == "autograded"


def check_in_notebook(function, *, hidden=False, lab_id=None, call_seconds=CALL_SECONDS):
    name = getattr(function, "__name__", None)
    namespace = getattr(function, "__globals__", None)
    if not callable(function) or name is None or namespace is None:
        raise ChecksFailed(f"check() needs one of your lab functions, e.g. check(sigmoid); got {function!r}.")
    lab = get_lab(lab_id) if lab_id else lab_for(name, namespace)
    if lab is None:
        raise ChecksFailed(f"{name} is not a graded function of any nnlabs lab.")
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
    subject = InProcessSubject(namespace, lab.functions, reference=reference, call_seconds=call_seconds)
    try:
        report = judge(lab, subject, hidden=hidden, material=material, functions=[name])
    except Exception as exc:  # a broken check is the instructor's problem: say so, loudly
        raise ChecksFailed(f"the checks of {name} could not run ({type(exc).__name__}: {exc}); "
                           "this is a problem in the course material, not in your code: tell your instructor")
    title = "hidden and public checks" if hidden else "public checks"
    cell_points = None if hidden else lab.cell_points(name)
    notes = []
    if subject.output.size:
        cut = subject.output.size - len(subject.output.text())
        notes.append(f"your code printed {subject.output.size:,} characters during the checks"
                     + (f" (the last {cut:,} are not shown)" if cut else "") + ":\n" + subject.output.text())
    text = f"[{title}] " + display.function_text(report, name, cell_points=cell_points)
    if notes:
        text += "\n" + "\n".join(display.inert(n) for n in notes)
    show(display.function_html(report, name, cell_points=cell_points, title=title, notes=notes), text)
    sys.stdout.flush()
    checks = report.by_function().get(name, [])
    own = [c for c in checks if not c.passed and not c.blocked_by]
    if own:
        # self-contained: nbgrader's Validate dialog shows this line without the table
        first = display.inert(own[0].lines()[0][1] if own[0].lines() else "")
        first = first if len(first) <= 160 else first[:159] + "…"
        others = f" (and {', '.join(c.id for c in own[1:4])}{', …' if len(own) > 4 else ''})" if len(own) > 1 else ""
        raise ChecksFailed(f"{name}: {len(own)} of {len(checks)} {title} failed - {own[0].id}: {first}{others}")
