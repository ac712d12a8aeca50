"""Judging one submission: a pure function from plain data to plain data.

`judge_submission(course, task)` runs nbgrader's own sanitize and autograde steps on one
submitted notebook, as ``nbgrader autograde`` configured by the course would, the nnlabs
judge among them, and returns the autograded notebook's text with the judge's report.
The steps that write to the gradebook (SaveAutoGrades, AssignLatePenalties) are left
to the one writer (`recorder.py`); OverwriteCells, which only reads the gradebook's
copy of the master notebook, reads a snapshot of it taken when the run starts. Nothing
here touches the course directory, so a local worker process and a Dask worker on
another machine run the same function; both keep what they build once (the nbgrader
steps, the judge's imports) for every later submission.

This module is the one place the grading of a class reaches into the judge and nbgrader.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing.util
import os
import re
import tempfile
import time
import traceback
import warnings

# Steps of nbgrader's autograde that write to the gradebook: the writer runs them, in
# their configured order, on the notebook the worker returns (with the judge's report in
# the resources, as nbgrader hands it on). They do not change the notebook and the steps
# after them do not read the gradebook, so splitting the list this way gives what one
# pass would.
WRITER_STEPS = ("SaveAutoGrades", "ReviewCheckErrors", "AssignLatePenalties")


@dataclasses.dataclass(frozen=True)
class CourseSnapshot:
    """What every worker needs to know about the course, the same for a whole run."""
    key: str                      # content hash: workers build their steps once per key
    config: dict                  # the course's nbgrader configuration (traitlets Config)
    gradebook: bytes | str        # a copy of an SQLite gradebook, or a database URL workers reach
    course_id: str


@dataclasses.dataclass(frozen=True)
class Submission:
    student: str
    lab: str
    notebook: bytes               # the submitted notebook file, as bytes
    fingerprint: str              # content hash: a submission graded once is not graded again
    file: str = ""                # its name in the submission folder (any name: `notebook.intake`)
    notes: tuple = ()             # the intake's notes about that file (which one, and why)


def fingerprint(notebook: bytes, *extra: bytes) -> str:
    digest = hashlib.sha256(notebook)
    for part in extra:
        digest.update(b"\0" + part)
    return digest.hexdigest()


# --- the pure function ------------------------------------------------------------

def judge_submission(course: CourseSnapshot, task: Submission) -> dict:
    """The autograded notebook and the report of one submission, as plain data.

    Never raises for a bad submission: a notebook that nbgrader or the judge cannot
    grade comes back with ``ok: False`` and the reason, to be recorded as zero."""
    started = time.perf_counter()
    out = {"student": task.student, "lab": task.lab, "fingerprint": task.fingerprint,
           "code_hash": None, "seconds": {}}
    try:
        with warnings.catch_warnings():
            # nbformat's notices about a student's file (cells without ids, say) would
            # scroll past the instructor's progress bar; what matters is in the report
            warnings.simplefilter("ignore")
            steps = _prepared(course)
            out["seconds"]["worker set-up"] = round(time.perf_counter() - started, 4)
            out.update(steps.run(task, out["seconds"]))
    except Exception as exc:  # one broken submission is zero with its reason, never a stopped run
        out.update(ok=False, reason=unusable_reason(task, exc),
                   trace=traceback.format_exc(limit=8)[-3000:])
        if type(exc).__name__ == "IsolationUnavailable":
            out["fatal"] = f"this machine cannot isolate student code: {exc}"   # never a class of zeros
    out["seconds"]["total"] = round(time.perf_counter() - started, 4)
    return out


def judge_file(path, lab_id: str):
    """The report of a submission (a notebook file, or a folder holding it under any name)
    judged with the hidden checks as a notebook of `lab_id`, outside nbgrader (Gradescope):
    taken in as every door takes it (`notebook.intake`), then judged as `nnlabs check
    --hidden` judges it. A submission that cannot be judged (no notebook, another lab's,
    a damaged file) gives a report of failed checks that says why."""
    from ..judging.judge import judge_notebook
    from ..labs import get_lab
    from ..notebook import UnusableNotebook, intake
    from ..judging.result import unusable_report
    taken = intake(path, lab_id)
    try:
        if taken.usable:
            report = judge_notebook(taken.file, hidden=True, lab_id=lab_id)
            report.notes[:0] = [note for note in taken.file_notes if note not in report.notes]
            return report
    except UnusableNotebook as exc:
        taken.reason = str(exc)
    return unusable_report(get_lab(lab_id), taken.reason)


def unusable_reason(task: Submission, exc: Exception) -> str:
    from ..text import inert
    name = inert(task.file or f"{task.lab}.ipynb", 120)
    try:
        text = task.notebook.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"{name} is not UTF-8 text (byte {error.start}): it is not a Jupyter notebook, or it was damaged"
    if not text.strip():
        return f"{name} is empty: it is not a notebook"
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return (f"{name} is not a Jupyter notebook: invalid JSON at line {error.lineno}, "
                f"column {error.colno} ({error.msg})")
    message = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
    kind = type(exc).__name__
    if kind in ("ValidationError", "NotJSONError", "SchemaTooOldError", "SchemaTooNewError"):
        return f"{name} cannot be graded: its notebook or nbgrader metadata is malformed ({message or kind})"
    return f"{name} could not be graded: {kind}: {message}"


# --- what a worker builds once per course ------------------------------------------

_PREPARED: dict = {}


def _prepared(course: CourseSnapshot) -> "_Steps":
    steps = _PREPARED.get(course.key)
    if steps is None:
        _PREPARED.clear()
        steps = _PREPARED[course.key] = _Steps(course)
    return steps


class _Steps:
    """nbgrader's sanitize and autograde steps as the course configures them, with
    the gradebook writes taken out."""

    def __init__(self, course: CourseSnapshot):
        from nbconvert.exporters import Exporter, NotebookExporter
        from nbgrader.api import Gradebook
        from nbgrader.converters import Autograde
        from traitlets.config import Config

        from ..nbgrader.held import ReadOnce, register

        config = Config(course.config)
        # nbconvert validates the whole notebook after every step unless told to validate
        # once, after the last: the same check of the same notebook, paid once.
        config.merge(Config({"Exporter": {"default_preprocessors": [], "optimistic_validation": True}}))
        converter = Autograde(coursedir=None, config=config)
        self.db_url = _readable_gradebook(course.gradebook)
        self.gradebook = Gradebook(self.db_url, course.course_id)   # read only, open for the worker's life
        snapshot = ReadOnce(self.gradebook)
        # the sanitized notebook goes on to the autograde steps as it is: nbgrader writes it
        # to disk and parses it back, which this worker need not (the autograded notebook is
        # written once, as text, and validated then)
        self.sanitize = Exporter(config=config)
        register(self.sanitize, converter.sanitize_preprocessors, snapshot)
        self.autograde = NotebookExporter(config=config)
        register(self.autograde, [s for s in converter.autograde_preprocessors if _name(s) not in WRITER_STEPS],
                 snapshot)

    def resources(self, task: Submission) -> dict:
        """What nbgrader's converter hands its steps for one notebook, and what the intake
        found in the submission folder (which file, and why: `RepairSubmission` reads it)."""
        from ..nbgrader.autograde import INTAKE_KEY
        return {"unique_key": task.lab, "output_files_dir": f"{task.lab}_files",
                "metadata": {"name": task.lab, "path": ""},
                "nbgrader": {"student": task.student, "assignment": task.lab, "notebook": task.lab,
                             "db_url": self.db_url},
                INTAKE_KEY: {"file": task.file or f"{task.lab}.ipynb", "notes": list(task.notes)}}

    def run(self, task: Submission, seconds: dict) -> dict:
        import nbformat
        from nbgrader.utils import setenv

        from ..nbgrader.held import OwnedNotebook

        start = time.perf_counter()
        nb = OwnedNotebook(nbformat.reads(task.notebook.decode("utf-8"), as_version=4))
        nb, _ = self.sanitize.from_notebook_node(nb, resources=self.resources(task))
        seconds["nbgrader sanitize"] = round(time.perf_counter() - start, 4)
        start = time.perf_counter()
        with setenv(NBGRADER_EXECUTION="autograde"):
            autograded, resources = self.autograde.from_notebook_node(nb, resources=self.resources(task))
        seconds["nbgrader steps and judge"] = round(time.perf_counter() - start, 4)
        report = resources.get("nnlabs")
        if report is None:
            raise RuntimeError("the course's nbgrader configuration does not run the nnlabs judge "
                               "(JudgeSubmission) in Autograde.autograde_preprocessors")
        return {"ok": True, "notebook": autograded, "report": report.to_dict(), "code_hash": code_hash(nb)}


def code_hash(nb) -> str:
    """A hash of the code the student wrote (answer cells and added code cells, comments
    and blank lines left out), to find submissions identical to another's."""
    lines = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or (meta and not meta.get("solution")):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for line in source.splitlines():
            line = re.sub(r"#.*$", "", line).rstrip()
            if line.strip():
                lines.append(line)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _name(step) -> str:
    return step if isinstance(step, str) else getattr(step, "__name__", type(step).__name__)


def _readable_gradebook(gradebook) -> str:
    """A database URL this process can read: the URL itself, or a file holding the copy
    (in memory where the machine has /dev/shm: nbgrader's steps open it for every notebook)."""
    if isinstance(gradebook, str):
        return gradebook
    memory = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    handle, path = tempfile.mkstemp(prefix="nnlabs-gradebook-", suffix=".db", dir=memory)
    with os.fdopen(handle, "wb") as out:
        out.write(gradebook)
    # run at the exit of this process, a worker's too (multiprocessing runs these, not atexit)
    multiprocessing.util.Finalize(None, _remove, args=(path,), exitpriority=0)
    return f"sqlite:///{path}"


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass
