"""Feedback an instructor would send: per function, what passed, what failed and the
likely cause; notes about the notebook once; readable width; a page for a file that
could not be graded at all.

`ShowChecks` is a step of ``nbgrader generate_feedback`` (see ``nbgrader_config.py``):
it rebuilds each test cell's output from the judge's report stored in the autograded
notebook. Hidden checks show their name and message only: the judge's messages for
them never carry inputs or reference values.
"""
from __future__ import annotations

import html
import os
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

from . import display
from .report import CheckResult, Report

METADATA_KEY = "nnlabs"
TEMPLATES = Path(__file__).with_name("templates")


def report_from_metadata(data) -> Report | None:
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        return None
    fields = {f for f in CheckResult.__dataclass_fields__}
    checks = [CheckResult(**{k: v for k, v in c.items() if k in fields}) for c in data["checks"]
              if isinstance(c, dict)]
    return Report(str(data.get("lab", "")), checks, notes=[str(n) for n in data.get("notes", [])])


class ShowChecks(NbGraderPreprocessor):
    """Each nnlabs test cell shows the table of its function's checks, without prompts."""

    @staticmethod
    def template_dirs() -> list:
        import nbgrader
        formgrader = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
        return [str(TEMPLATES), str(formgrader)]

    def preprocess(self, nb, resources):
        report = report_from_metadata(nb.metadata.get(METADATA_KEY))
        if report is None:
            return nb, resources
        functions = report.by_function()
        notes = list(dict.fromkeys(report.notes))
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.execution_count = None
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            function = grade_id[len("test_"):] if grade_id.startswith("test_") else None
            if function not in functions:
                continue
            from nbformat.v4 import new_output
            html_text = display.function_html(report, function, notes=notes)
            plain = "\n".join(display.inert(n) for n in notes) + ("\n" if notes else "")
            plain += display.function_text(report, function)
            cell.outputs = [new_output("display_data", data={"text/html": html_text, "text/plain": plain})]
            notes = []                      # said once, above the first function
        return nb, resources


def unusable_feedback(lab: str, student: str, reason: str, max_score: float) -> str:
    """The feedback page of a submission that could not be graded: why, and what to do."""
    body = (f"<h1>{html.escape(lab)}</h1>"
            f"<p>Your submission could not be graded, so it scores 0 / {display.points(max_score)}:</p>"
            f"<pre>{html.escape(display.inert(reason))}</pre>"
            "<p>Open the notebook you were given for this lab in Jupyter, check that it opens and "
            "runs, save it, and submit it again; or ask your instructor.</p>")
    return display.page(f"{lab}: feedback for {student}", body)


def write_unusable_feedback(course, lab: str, student: str, reason: str, max_score: float) -> Path:
    """Where nbgrader would have written the feedback: feedback/<student>/<lab>/<lab>.html."""
    path = Path(course) / "feedback" / student / lab / f"{lab}.html"
    os.makedirs(path.parent, exist_ok=True)
    path.write_text(unusable_feedback(lab, student, reason, max_score), encoding="utf-8")
    return path
