"""The isolated judge as nbgrader steps: the score of record.

Configured in the course's ``nbgrader_config.py``, so plain ``nbgrader autograde`` and
``nnlabs grade`` record the same scores. Each step has one job:

- `RepairSubmission` (sanitize, before nbgrader's OverwriteCells): records what the
  submitted cells looked like (test cells deleted, edited or re-pointed; nbgrader metadata
  changed or invented) and puts back the metadata nbgrader needs, so that tampering is
  flagged instead of making nbgrader fail for that student;
- `JudgeSubmission` (in place of nbgrader's Execute): runs the answer cells in a jailed
  student process and judges the returned data here; never raises for a student's notebook;
- `WriteTestCellResults`: each test cell's output is its summary, and its result is its
  score, which nbgrader's SaveAutoGrades records as partial credit;
- `RecordReport`: the report and its flags in the notebook's metadata (`nnlabs`);
- `ReviewCheckErrors` (after SaveAutoGrades): a test cell whose check is broken is marked
  for manual grading, so a bug in a check never silently costs a student points;
- `before_grading` / `after_grading` (nbgrader's pre/post convert hooks): a submission's
  earlier grades are zeroed before it is graded again, and a notebook nbgrader cannot grade
  at all keeps that zero with its reason (`failed_gradings`), never an earlier score.

Nothing the student's code prints or raises decides a score.
"""
from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

import nbformat
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Float, Int, Unicode

from . import course_key, integrity
from .isolation import IsolationUnavailable
from .judge import judge_answers
from .labs import LAB_IDS, get_lab, instructor_material
from .limits import Limits
from .notebook import UnusableNotebook, read_notebook
from .report import CheckResult, Flag, Report, function_summary

METADATA_KEY = "nnlabs"
RECORD_KEY = "nnlabs_submitted"
DEFAULTS = Limits()
PENDING = Path(".nnlabs") / "pending"


def _gradebook(db_url):
    from nbgrader.api import Gradebook
    return Gradebook(db_url)


class RepairSubmission(NbGraderPreprocessor):
    """Record the submitted cells, then restore the nbgrader metadata of the master's cells
    and drop metadata the master does not have (nbgrader would fail on either)."""

    def preprocess(self, nb, resources):
        record = integrity.record_test_cells(nb)
        record["metadata"] = []
        info = resources.get("nbgrader", {})
        if info.get("notebook") in LAB_IDS and info.get("db_url"):
            master = master_cells(info["db_url"], info["assignment"], info["notebook"])
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader")
                if not isinstance(meta, dict) or "grade_id" not in meta:
                    continue
                grade_id = str(meta["grade_id"])
                expected = master.get(grade_id)
                if expected is None:
                    record["metadata"].append({"cell": grade_id, "message": f"cell {grade_id!r} carries nbgrader "
                                               "metadata that the lab's master notebook does not have"})
                    del cell.metadata["nbgrader"]
                    continue
                changed = [key for key, value in expected.items() if bool(meta.get(key, False)) != value]
                if changed:
                    record["metadata"].append({"cell": grade_id, "message": f"the nbgrader metadata of cell "
                                               f"{grade_id!r} was changed ({', '.join(changed)})"})
                    meta.update(expected)
        nb.metadata[RECORD_KEY] = nbformat.from_dict(record)
        return nb, resources


_MASTERS: dict = {}


def master_cells(db_url: str, assignment: str, notebook: str) -> dict:
    """{grade_id: {"grade", "solution", "locked"}} of the master notebook, as the gradebook
    holds it (read once per grading process: it does not change while a class is graded)."""
    key = (db_url, assignment, notebook)
    if key not in _MASTERS:
        with _gradebook(db_url) as gb:
            nb = gb.find_notebook(notebook, assignment)
            cells = {c.name: {"grade": False, "solution": False, "locked": bool(c.locked)} for c in nb.source_cells}
            for c in nb.grade_cells:
                cells.setdefault(c.name, {"grade": False, "solution": False, "locked": False})["grade"] = True
            for c in nb.solution_cells:
                cells.setdefault(c.name, {"grade": False, "solution": False, "locked": False})["solution"] = True
        _MASTERS[key] = cells
    return _MASTERS[key]


class JudgeSubmission(NbGraderPreprocessor):
    call_seconds = Float(DEFAULTS.call_seconds, help="Wall-clock limit for one call of a student function."
                         ).tag(config=True)
    load_seconds = Float(DEFAULTS.load_seconds, help="Wall-clock limit for running a submission's answer cells."
                         ).tag(config=True)
    notebook_seconds = Float(DEFAULTS.notebook_seconds, help="Wall-clock limit for judging one submission."
                             ).tag(config=True)
    cpu_seconds = Int(DEFAULTS.cpu_seconds, help="CPU seconds for one student process.").tag(config=True)
    memory_mb = Int(DEFAULTS.memory_bytes // 2**20, help="Memory of one submission's processes, in MiB."
                    ).tag(config=True)
    processes = Int(DEFAULTS.processes, help="Processes and threads one submission may run at once."
                    ).tag(config=True)
    reference_calls = Int(DEFAULTS.reference_calls, help="Calls one call of a student function may make to "
                          "the graded functions it declares (answered by the judge).").tag(config=True)
    course_key = Unicode("", help="The course's secret key, in hexadecimal: it seeds the hidden checks' inputs "
                         "with each submission's content. Empty: read (or made) in .nnlabs/course.key in the "
                         "course directory. `nnlabs grade` hands it to its workers this way.").tag(config=True)
    allow_unisolated = Bool(False, help="Grade even where the machine cannot isolate student code (Linux "
                                        "namespaces unavailable); every report is then flagged.").tag(config=True)

    def limits(self) -> Limits:
        return Limits(call_seconds=self.call_seconds, load_seconds=self.load_seconds,
                      notebook_seconds=self.notebook_seconds, cpu_seconds=self.cpu_seconds,
                      memory_bytes=self.memory_mb * 2**20, processes=self.processes,
                      reference_calls=self.reference_calls)

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
        for check in report.check_errors:
            self.log.error("nnlabs: %s", check.message)
        resources[METADATA_KEY] = report
        return nb, resources

    def key(self) -> bytes:
        if self.course_key:
            return course_key._parse(self.course_key)
        root = self.config.get("CourseDirectory", {}).get("root")
        return course_key.load(Path(root) if root else None)

    def judge(self, lab, nb, material) -> Report:
        try:
            return judge_answers(lab, nb, hidden=True, material=material, limits=self.limits(),
                                 isolation="prefer" if self.allow_unisolated else "require", spare=True,
                                 key=self.key())
        except UnusableNotebook as exc:
            return unusable_report(lab, str(exc))
        except IsolationUnavailable:
            raise                        # the machine's problem: loud, for every student
        except Exception as exc:  # noqa: BLE001  (one submission never stops or corrupts the others)
            self.log.error("nnlabs: the judge failed on this notebook", exc_info=True)
            return unusable_report(lab, f"the judge could not grade this notebook ({type(exc).__name__}: {exc})",
                                   code="judge_error")


class WriteTestCellResults(NbGraderPreprocessor):
    """Each test cell: the function's summary on stdout, its score as the cell's result."""

    def preprocess(self, nb, resources):
        report = resources.get(METADATA_KEY)
        if report is None:
            return nb, resources
        functions = {c.function for c in report.checks}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            cell.execution_count = None
            meta = cell.metadata.get("nbgrader", {})
            grade_id = str(meta.get("grade_id", ""))
            function = grade_id[len("test_"):]
            if not (meta.get("grade") and grade_id.startswith("test_") and function in functions):
                continue
            got, total = report.function_score(function)
            points = float(meta.get("points", 0))
            score = round(points * got / total, 4) if total else 0.0
            text = function_summary(report, function) + "\n"
            if report.notes:
                text += "".join(f"note: {n}\n" for n in report.notes)
            # what nbformat.v4.new_output builds, without validating each output on its own:
            # the exporter validates the whole notebook once, after the last step
            cell.outputs = [
                nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": text}),
                nbformat.from_dict({"output_type": "execute_result", "metadata": {},
                                    "data": {"text/plain": repr(score)}, "execution_count": 1}),
            ]
            cell.execution_count = 1
        return nb, resources


class RecordReport(NbGraderPreprocessor):
    """The report, with its flags, in the autograded notebook's metadata."""

    def preprocess(self, nb, resources):
        report = resources.get(METADATA_KEY)
        if report is not None:
            nb.metadata[METADATA_KEY] = nbformat.from_dict(report.to_dict())
        return nb, resources


class ReviewCheckErrors(NbGraderPreprocessor):
    """After SaveAutoGrades: test cells whose checks are broken need the instructor."""

    def preprocess(self, nb, resources):
        report = resources.get(METADATA_KEY)
        if report is None or not report.check_errors:
            return nb, resources
        info = resources["nbgrader"]
        broken = {f"test_{c.function}" for c in report.check_errors}
        with _gradebook(info["db_url"]) as gb:
            for grade_id in broken:
                grade = gb.find_grade(grade_id, info["notebook"], info["assignment"], info["student"])
                grade.needs_manual_grade = True
            gb.db.commit()
        return nb, resources


def unusable_report(lab, reason: str, code: str = "unusable") -> Report:
    checks = [CheckResult(c.function, c.id, False, 0.0, c.points, reason, c.hidden, "not_defined")
              for c in lab.checks(hidden=True)]
    return Report(lab.id, checks, notes=[reason], flags=[Flag(code, f"unusable submission: {reason}")])


# -- nbgrader's convert hooks: a fresh grade for every submission, even an unreadable one ----
def _converter():
    """The nbgrader converter calling the hook (nbgrader passes it no other way)."""
    frame = sys._getframe(2)
    return frame.f_locals.get("self")


def _course(converter, notebooks) -> tuple:
    coursedir = getattr(converter, "coursedir", None)
    if coursedir is not None:
        return Path(coursedir.root), coursedir.db_url
    root = Path(notebooks[0]).resolve().parents[3]
    return root, f"sqlite:///{root / 'gradebook.db'}"


def record_zero(db_url: str, assignment: str, student: str):
    """Every grade of the student's submission at zero (nbgrader fills them in again when it
    grades the notebook; when it cannot, the zero stays)."""
    from nbgrader.api import MissingEntry
    with _gradebook(db_url) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")       # SQLAlchemy's autoflush notices inside nbgrader's API
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            gb.update_or_create_student(student)
            submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0.0
                grade.manual_score = None
                grade.needs_manual_grade = False
        gb.db.commit()


def _whose(notebooks) -> tuple:
    """(assignment, student) of the submission being converted. nbgrader passes the command
    line's patterns ("*"), so they are read off the path: <student>/<assignment>/<notebook>."""
    folder = Path(notebooks[0]).resolve().parent
    return folder.name, folder.parent.name


def before_grading(assignment=None, student=None, notebooks=(), **_):
    if not notebooks:
        return
    assignment, student = _whose(notebooks)
    root, db_url = _course(_converter(), notebooks)
    record_zero(db_url, assignment, student)
    reasons = []
    for path in notebooks:
        try:
            read_notebook(path)
        except UnusableNotebook as exc:
            reasons.append(str(exc))
    pending = root / PENDING / assignment / f"{student}.json"
    pending.parent.mkdir(parents=True, exist_ok=True)
    pending.write_text(json.dumps({"student": student, "assignment": assignment, "started": time.time(),
                                   "reason": "; ".join(reasons) or "nbgrader could not grade this notebook "
                                                                   "(see nbgrader's log)"}))


def after_grading(assignment=None, student=None, notebooks=(), **_):
    if not notebooks:
        return
    assignment, student = _whose(notebooks)
    root, _ = _course(_converter(), notebooks)
    (root / PENDING / assignment / f"{student}.json").unlink(missing_ok=True)


def failed_gradings(course: Path, assignment: str) -> dict:
    """{student: reason} for the submissions nbgrader could not grade (recorded as zero)."""
    folder = Path(course) / PENDING / assignment
    out = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text())
            out[str(data["student"])] = str(data["reason"])
        except (OSError, ValueError, KeyError):
            out[path.stem] = "nbgrader could not grade this notebook"
    return out


class GradesCsvExport(ExportPlugin):
    """`nbgrader export` for this course (``ExportApp.plugin_class`` in nbgrader_config.py):
    nbgrader's CSV columns and values, written by `course.write_grades` through the csv module,
    so a student id holding a comma, a newline or a leading ``=`` cannot move columns or become
    a spreadsheet formula."""

    def export(self, gradebook) -> None:
        from .course import write_grades
        write_grades(gradebook, Path(self.to or "grades.csv"), self.assignment, self.student)
