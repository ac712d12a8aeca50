"""Feedback an instructor would send: per function, what passed, what failed and the
likely cause; notes about the notebook once; readable width; a page for a file that
could not be graded at all.

`ShowChecks` is a step of ``nbgrader generate_feedback`` (see ``nbgrader_config.py``):
it rebuilds each test cell's output from the judge's report stored in the autograded
notebook. Hidden checks show their name and message only: the judge's messages for
them never carry inputs or reference values.
"""
from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from traitlets import List

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


# nbconvert's HTML exporter configures `display_data_priority` for every NbConvertBase, and
# nbgrader's preprocessors hold that trait without making it configurable, so traitlets warns
# "not recognized" once per step per student. The feedback's steps declare it configurable.
_PRIORITY = ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png", "image/jpeg", "text/plain"]


class HideHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, quiet about the exporter's display priorities."""

    display_data_priority = List(_PRIORITY).tag(config=True)


class ShowChecks(NbGraderPreprocessor):
    """Each nnlabs test cell shows the table of its function's checks, without prompts."""

    display_data_priority = List(_PRIORITY).tag(config=True)

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

