"""The isolated judge as an nbgrader autograde step: the score of record.

Configured in the course's ``nbgrader_config.py`` in place of nbgrader's `Execute`, so
plain ``nbgrader autograde`` and ``nnlabs grade`` record the same scores. For each
submission it takes the answer cells (after nbgrader has restored the test cells from
the source), runs them in a student process, judges the returned data here, and writes
each test cell's outputs: the check summary on stdout and the cell's score as its
result, which nbgrader's SaveAutoGrades records as partial credit. Nothing the
student's code prints or raises decides a score.
"""
from __future__ import annotations

import nbformat
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Float, Int

from . import integrity
from .judge import judge_answers
from .labs import LAB_IDS, get_lab, instructor_material
from .notebook import UnusableNotebook
from .report import Report, function_summary
from .sandbox import Limits

METADATA_KEY = "nnlabs"
RECORD_KEY = "nnlabs_submitted"


class RecordSubmission(NbGraderPreprocessor):
    """A sanitize step placed before nbgrader's OverwriteCells: it notes what the submitted
    test cells looked like (deleted, edited, re-pointed) before they are restored."""

    def preprocess(self, nb, resources):
        nb.metadata[RECORD_KEY] = nbformat.from_dict(integrity.record_test_cells(nb))
        return nb, resources



class JudgeSubmission(NbGraderPreprocessor):
    call_seconds = Float(10.0, help="Wall-clock limit for one call of a student function.").tag(config=True)
    load_seconds = Float(60.0, help="Wall-clock limit for running a submission's answer cells.").tag(config=True)
    notebook_seconds = Float(120.0, help="Wall-clock limit for judging one submission.").tag(config=True)
    cpu_seconds = Int(120, help="CPU seconds for one student process.").tag(config=True)
    memory_mb = Int(2048, help="Address-space limit of one student process, in MiB.").tag(config=True)

    def preprocess(self, nb, resources):
        lab_id = resources.get("nbgrader", {}).get("notebook")
        if lab_id not in LAB_IDS:
            # Not an nnlabs lab: grade it the way nbgrader always does.
            return Execute(parent=self.parent, config=self.config).preprocess(nb, resources)
        lab = get_lab(lab_id)
        material = instructor_material(lab_id)
        if material is None:
            raise RuntimeError("nnlabs grading needs the instructor install (the `solutions` package)")
        report = self.judge(lab, nb, material)
        report.flags[:0] = integrity.test_cell_changes(nb.metadata.get(RECORD_KEY), lab)
        self.write_scores(nb, lab, report)
        nb.metadata[METADATA_KEY] = nbformat.from_dict(report.to_dict())
        resources[METADATA_KEY] = report
        return nb, resources

    def judge(self, lab, nb, material) -> Report:
        limits = Limits(call_seconds=self.call_seconds, load_seconds=self.load_seconds,
                        notebook_seconds=self.notebook_seconds,
                        cpu_seconds=self.cpu_seconds, memory_bytes=self.memory_mb * 2**20)
        try:
            return judge_answers(lab, nb, hidden=True, material=material, limits=limits)
        except UnusableNotebook as exc:
            return unusable_report(lab, str(exc))

    def write_scores(self, nb, lab, report):
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            cell.execution_count = None
            meta = cell.metadata.get("nbgrader", {})
            grade_id = meta.get("grade_id", "")
            if not (meta.get("grade") and grade_id.startswith("test_")):
                continue
            function = grade_id[len("test_"):]
            if function not in lab.functions:
                continue
            got, total = report.function_score(function)
            points = float(meta.get("points", 0))
            score = round(points * got / total, 4) if total else 0.0
            text = function_summary(report, function) + "\n"
            if report.notes:
                text += "".join(f"note: {n}\n" for n in report.notes)
            cell.outputs = [
                nbformat.v4.new_output("stream", name="stdout", text=text),
                nbformat.v4.new_output("execute_result", data={"text/plain": repr(score)}, execution_count=1),
            ]
            cell.execution_count = 1


def unusable_report(lab, reason: str) -> Report:
    from .report import CheckResult
    checks = [CheckResult(c.function, c.id, False, 0.0, c.points, reason, c.hidden)
              for c in lab.checks(hidden=True)]
    return Report(lab.id, checks, notes=[reason], flags=[f"unusable submission: {reason}"])
