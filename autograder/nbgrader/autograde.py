"""The isolated judge as nbgrader steps: the score of record.

Configured in the course's ``nbgrader_config.py``, so plain ``nbgrader autograde`` and
``nnlabs grade`` record the same scores. Each step has one job:

- `RepairSubmission` (sanitize, before nbgrader's DeduplicateIds and OverwriteCells): takes
  the notebook in as every door does (`notebook.intake`: which file, which lab, copied answer
  cells) and records the cells as submitted, which are what the judge runs; then makes the
  notebook one nbgrader's steps can grade: copies of a cell resolved as DeduplicateIds would
  (without the empty metadata nbgrader then fails on), the nbgrader metadata of the master's
  cells put back (tampering is flagged, not fatal), missing test cells put back where
  nbgrader cannot place them, and another lab's notebook (or no lab's) replaced by the lab's
  graded cells, so that it scores 0 with its reason instead of stopping nbgrader;
- `JudgeSubmission` (in place of nbgrader's Execute): runs the answer cells in a jailed
  student process and judges the returned data here; never raises for a student's notebook;
- `WriteTestCellResults`: each test cell's output is its summary, and its result is its
  score, which nbgrader's SaveAutoGrades records as partial credit;
- `RecordReport`: the report and its flags in the notebook's metadata (`nnlabs`);
- `ReviewCheckErrors` (after SaveAutoGrades): a test cell whose check is broken is marked
  for manual grading, so a bug in a check never silently costs a student points;
- `before_grading` / `after_grading` (nbgrader's pre/post convert hooks): a submission's
  earlier grades are zeroed before it is graded again, and a notebook nbgrader cannot grade
  at all keeps that zero with its reason (`failed_gradings`), never an earlier score; the
  notebook the intake takes is brought under the name nbgrader grades (`expected_name`).

Nothing the student's code prints or raises decides a score.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

import nbformat
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, OverwriteCells
from traitlets import Bool, Float, Int, Unicode

from ..judging import course_key, integrity
from ..sandbox.isolation import IsolationUnavailable
from ..judging.judge import judge_answers
from ..labs import LAB_IDS, get_lab, instructor_material
from ..sandbox.limits import Limits
from ..notebook import KEPT, MANIFEST, UnusableNotebook, intake, read_manifest, read_notebook, take_in
from ..judging.result import CheckResult, Flag, Report, function_summary, unusable_report

METADATA_KEY = "nnlabs"
RECORD_KEY = "nnlabs_submitted"
INTAKE_KEY = "nnlabs_intake"     # resources: the file `nnlabs grade` took, and its notes
DEFAULTS = Limits()
PENDING = Path(".nnlabs") / "pending"


def _gradebook(db_url):
    from nbgrader.api import Gradebook
    return Gradebook(db_url)


class RepairSubmission(NbGraderPreprocessor):
    """Take the notebook in (`notebook.intake`), record it as submitted, and make it one
    nbgrader's steps can grade (see the module's docstring)."""

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        lab_id = info.get("notebook")
        record = integrity.record_test_cells(nb)
        record["metadata"] = []
        if lab_id not in LAB_IDS:
            nb.metadata[RECORD_KEY] = nbformat.from_dict(record)
            return nb, resources
        taken = self.intake(nb, resources, lab_id)
        record["intake"] = {"file": taken.name, "lab": taken.lab, "reason": taken.reason, "notes": taken.notes}
        record["cells"] = [submitted_cell(cell) for cell in nb.cells]        # what the judge runs
        if info.get("db_url"):
            master = master_notebook(info["db_url"], info["assignment"], lab_id)
            if taken.reason:
                nb.cells = [graded_cell(cell) for cell in master if cell.grade]   # zero, with the reason
            else:
                resolve_copies(nb)
                record["metadata"] = restore_metadata(nb, {cell.name: cell for cell in master})
                restore_missing(nb, master, OverwriteCells(parent=self.parent, config=self.config))
        nb.metadata[RECORD_KEY] = nbformat.from_dict(record)
        return nb, resources

    @staticmethod
    def intake(nb, resources, lab_id):
        """The intake of this notebook, with what was found about its file: by `nnlabs grade`
        (which took the file from the submission folder itself), or in the folder nbgrader
        read it from (where nbgrader's hook brought the notebook the intake takes under the
        name nbgrader grades: `expected_name`)."""
        given = resources.get(INTAKE_KEY)
        if isinstance(given, dict):
            taken = take_in(nb, str(given.get("file") or f"{lab_id}.ipynb"), lab_id)
            taken.file_notes = [str(note) for note in given.get("notes", [])]
            return taken
        meta = resources.get("metadata") or {}
        folder, name = meta.get("path"), str(meta.get("name") or lab_id)
        whole = intake(Path(folder), lab_id) if folder and os.path.isdir(folder) else None
        try:
            same = whole is not None and whole.file is not None and \
                whole.data == (Path(folder) / f"{name}.ipynb").read_bytes()
        except OSError:
            same = False
        if not same:                      # (the hook did not run: this file, as it is)
            return take_in(nb, f"{name}.ipynb", lab_id)
        taken = take_in(nb, whole.name, lab_id)
        taken.file_notes = list(whole.file_notes)
        taken.reason = whole.reason or taken.reason
        return taken


def submitted_cell(cell) -> dict:
    """What the judge needs of a cell as submitted (`notebook.answer_cells`, markdown scans)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    out = {"cell_type": cell.get("cell_type"), "source": cell.get("source", ""), "metadata": {}}
    if isinstance(meta, dict):
        out["metadata"]["nbgrader"] = dict(meta)
    return out


def _grade_id(cell):
    meta = cell.metadata.get("nbgrader")
    grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def resolve_copies(nb):
    """A cell that appears more than once (copy and paste keeps its nbgrader id) is kept once,
    as nbgrader's DeduplicateIds keeps it (the last copy), but without leaving the earlier
    copies with the empty metadata that nbgrader's OverwriteCells then fails on: an earlier
    copy of an answer stays, as a cell of the student's; one of a test or template cell
    goes (nbgrader puts the release's text back into the copy kept)."""
    last = {}
    for index, cell in enumerate(nb.cells):
        grade_id = _grade_id(cell)
        if grade_id is not None:
            last[grade_id] = index
    kept = []
    for index, cell in enumerate(nb.cells):
        grade_id = _grade_id(cell)
        if grade_id is not None and last[grade_id] != index:
            if not cell.metadata["nbgrader"].get("solution"):
                continue
            del cell.metadata["nbgrader"]
        kept.append(cell)
    nb.cells = kept


def restore_metadata(nb, master: dict) -> list:
    """The nbgrader metadata of the master's cells put back, and metadata the master does not
    have dropped (nbgrader would fail on either); returns what was changed, to be flagged."""
    changes = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if not isinstance(meta, dict) or "grade_id" not in meta:
            continue
        grade_id = str(meta["grade_id"])
        source = master.get(grade_id)
        if source is None:
            changes.append({"cell": grade_id, "message": f"cell {grade_id!r} carries nbgrader "
                                                         "metadata that the lab's master notebook does not have"})
            del cell.metadata["nbgrader"]
            continue
        expected = {"grade": source.grade, "solution": source.solution, "locked": source.locked}
        changed = [key for key, value in expected.items() if bool(meta.get(key, False)) != value]
        if changed:
            changes.append({"cell": grade_id, "message": f"the nbgrader metadata of cell "
                                                         f"{grade_id!r} was changed ({', '.join(changed)})"})
            meta.update(expected)
    return changes


def restore_missing(nb, master: list, overwrite):
    """Missing grade cells (a deleted test cell) put back as nbgrader's OverwriteCells puts
    them back, but after the nearest master cell the notebook still has: nbgrader looks only
    for the one just before, and fails when it is gone too (a deleted answer and its test)."""
    present = {_grade_id(cell): index for index, cell in enumerate(nb.cells) if _grade_id(cell)}
    for position, source in enumerate(master):
        if not source.grade or source.name in present:
            continue
        cell = nbformat.from_dict(overwrite.missing_cell_transform(source, source.max_score,
                                                                   is_solution=source.solution))
        at = next((present[prev.name] + 1 for prev in reversed(master[:position]) if prev.name in present), 0)
        nb.cells.insert(at, cell)
        present = {_grade_id(c): index for index, c in enumerate(nb.cells) if _grade_id(c)}


def graded_cell(source):
    """A graded cell of the master as the release has it (what OverwriteCells would restore,
    unchanged: a written answer left as released scores 0 without asking for a manual grade)."""
    from nbgrader.nbgraderformat import MetadataValidator
    cell = {"cell_type": source.cell_type, "source": source.source,
            "metadata": {"deletable": False, "nbgrader": {
                "grade": True, "grade_id": source.name, "locked": source.locked, "checksum": source.checksum,
                "cell_type": source.cell_type, "points": source.max_score, "solution": source.solution}}}
    if source.cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    if not source.solution:
        cell["metadata"]["editable"] = False
    return MetadataValidator().upgrade_cell_metadata(nbformat.from_dict(cell))


_MASTERS: dict = {}


def master_notebook(db_url: str, assignment: str, notebook: str) -> list:
    """The master notebook's nbgrader cells, in order, as the gradebook holds them: each with
    name, cell_type, source, checksum, locked, grade, solution, max_score (read once per
    grading process: it does not change while a class is graded)."""
    key = (db_url, assignment, notebook)
    if key not in _MASTERS:
        with _gradebook(db_url) as gb:
            nb = gb.find_notebook(notebook, assignment)
            grades = {c.name: float(c.max_score) for c in nb.grade_cells}
            solutions = {c.name for c in nb.solution_cells}
            _MASTERS[key] = [SimpleNamespace(name=c.name, cell_type=c.cell_type, source=c.source, checksum=c.checksum,
                                             locked=bool(c.locked), grade=c.name in grades,
                                             solution=c.name in solutions, max_score=grades.get(c.name, 0.0))
                             for c in nb.source_cells]
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
        record = nb.metadata.get(RECORD_KEY)
        record = record if isinstance(record, dict) else {}
        taken = record.get("intake") if isinstance(record.get("intake"), dict) else {}
        if taken.get("reason"):
            report = unusable_report(lab, str(taken["reason"]))
        else:
            # the cells as submitted (recorded before nbgrader's steps changed them): what
            # `nnlabs check` judges in the same file
            cells = record.get("cells")
            report = self.judge(lab, {"cells": cells, "metadata": {}} if isinstance(cells, list) else nb, material)
            report.flags[:0] = integrity.test_cell_changes(record, lab)
            notes = [str(n) for n in [*taken.get("notes", []), *integrity.restored_cells(record, lab)]
                     if str(n) not in report.notes]
            report.notes[:0] = notes
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


# -- nbgrader's convert hooks: a fresh grade for every submission, even an unreadable one ----
def _coursedir():
    """The course directory of the nbgrader command running the hook. nbgrader calls a
    convert hook with the assignment, the student and the notebooks only; its command line
    apps are traitlets Applications, and the running one (`Application.instance()`, public
    traitlets API) holds the course directory it was configured with. Run outside an app
    (a converter made in code), the course directory is what nbgrader's CourseDirectory
    defaults to: the one in the current directory, configured by its nbgrader_config.py."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Application
    app = Application.instance() if Application.initialized() else None
    coursedir = getattr(app, "coursedir", None)
    return coursedir if isinstance(coursedir, CourseDirectory) else CourseDirectory()


def _log():
    from traitlets.config import Application
    return Application.instance().log if Application.initialized() else None


def record_zero(db_url: str, assignment: str, student: str):
    """Every grade of the student's submission at zero (`zero_grades`), in its own gradebook
    connection: the pre-convert hook of plain `nbgrader autograde`."""
    with _gradebook(db_url) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")       # SQLAlchemy's autoflush notices inside nbgrader's API
        zero_grades(gb, assignment, student)
        gb.db.commit()


def zero_grades(gb, assignment: str, student: str):
    """The one place a submission's grades are zeroed, by plain nbgrader (`record_zero`) and
    by `nnlabs grade`'s writer alike: every grade of the student's submission at zero, no
    manual score, no late penalty (nbgrader fills them in again when it grades the
    notebook; when it cannot, the zero stays)."""
    gb.update_or_create_student(student)
    submission = gb.update_or_create_submission(assignment, student)
    for notebook in submission.notebooks:
        notebook.late_submission_penalty = None
        for grade in notebook.grades:
            grade.auto_score = 0.0
            grade.manual_score = None
            grade.needs_manual_grade = False


def _whose(notebooks) -> tuple:
    """(assignment, student) of the submission being converted. nbgrader passes the command
    line's patterns ("*"), so they are read off the path: <student>/<assignment>/<notebook>."""
    folder = Path(notebooks[0]).resolve().parent
    return folder.name, folder.parent.name


def before_grading(assignment=None, student=None, notebooks=(), **_):
    if not notebooks:
        return
    assignment, student = _whose(notebooks)
    coursedir = _coursedir()
    root, db_url = Path(coursedir.root), coursedir.db_url
    record_zero(db_url, assignment, student)
    taken = intake(Path(notebooks[0]).parent, assignment) if assignment in LAB_IDS else None
    if taken is not None:
        reasons = [taken.reason] if taken.reason else []
    else:
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
    if taken is not None:
        expected_name(taken, assignment, notebooks, _log())


def expected_name(taken, lab: str, notebooks: list, log=None):
    """Plain nbgrader grades only <lab>.ipynb, the name in source/: bring the notebook the
    intake took (any name) under that name, before nbgrader looks.

    nbgrader (converters/base.py, `convert_notebooks`) globs the submission folder's
    ``*.ipynb`` first, then calls this hook with that list (`notebooks`, the converter's own
    list), and only then (autograde.py, `init_assignment`) keeps the names the gradebook
    knows and converts them. So the file is copied to <lab>.ipynb and that name added to the
    list, in place. Nothing of the student's is renamed or lost: a <lab>.ipynb of theirs
    that is not the notebook taken is kept beside it (<lab>.ipynb.original), and the folder's
    ``.nnlabs-intake.json`` records both, so every door still sees the folder as submitted
    (`notebook.intake`). tests/test_intake.py fails if nbgrader changes that order."""
    if taken.file is None:
        return
    folder = Path(notebooks[0]).parent
    target = folder / f"{lab}.ipynb"
    try:
        current = target.read_bytes() if target.is_file() and not target.is_symlink() else None
    except OSError:
        current = None
    if current != taken.data:
        manifest = read_manifest(folder)
        original = manifest.get("original") if manifest else None
        if manifest is None and (target.exists() or target.is_symlink()):
            original = f"{lab}.ipynb{KEPT}"
            number = 1
            while (folder / original).exists() or (folder / original).is_symlink():
                number += 1
                original = f"{lab}.ipynb{KEPT}-{number}"
            if target.is_symlink():           # moved aside as it is: never read where it points
                os.rename(target, folder / original)
            else:
                shutil.copy2(target, folder / original)
            if log is not None:
                log.warning("nnlabs: %s is not the notebook graded; it is kept as %s", target, original)
        _write(target, taken.data, like=taken.file)
        if log is not None:
            log.info("nnlabs: %s copied to %s, the name nbgrader grades", taken.file, target)
        _write(folder / MANIFEST, json.dumps({"written": target.name, "copy_of": taken.name, "original": original,
                                              "sha256": hashlib.sha256(taken.data).hexdigest()}).encode())
    path = os.path.join(os.path.dirname(notebooks[0]), target.name)
    if isinstance(notebooks, list) and path not in notebooks:
        notebooks.append(path)
        notebooks.sort()


def _write(path: Path, data: bytes, like: Path | None = None):
    """`data` written to `path` (with the times of `like`), replacing what is there: a link
    itself, never what it points to."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".nnlabs-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if like is not None:
            stat = like.stat()
            os.utime(temporary, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def after_grading(assignment=None, student=None, notebooks=(), **_):
    if not notebooks:
        return
    assignment, student = _whose(notebooks)
    root = Path(_coursedir().root)
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
        from ..course import write_grades
        write_grades(gradebook, Path(self.to or "grades.csv"), self.assignment, self.student)
