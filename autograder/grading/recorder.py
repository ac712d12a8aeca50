"""The one writer: what the workers judged goes into nbgrader's gradebook and folders.

For each result, in this process only, through nbgrader's own code: the student and the
submission are created or updated (nbgrader's `Autograde.init_assignment`: timestamp,
late seconds, the lab's other files copied), the gradebook steps of the course's
autograde list run on the returned notebook (SaveAutoGrades, AssignLatePenalties), and
the autograded notebook is written where and as nbgrader writes it. Formgrader, manual
grading and `nbgrader export` see what ``nbgrader autograde`` would have left.

A submission that could not be graded is recorded as zero with its reason, replacing any
earlier score, and flagged. Each recorded submission is then appended to the run's
ledger (`Ledger`), so an interrupted run loses nothing it had recorded and the next run
grades only what is new, changed or missing.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
import warnings
from pathlib import Path

from .judging import WRITER_STEPS, _name

LOG = logging.getLogger("nnlabs.grading")


class Ledger:
    """One JSON line per recorded submission (the last line of a student wins), written
    and flushed to disk after the gradebook has committed it."""

    def __init__(self, course: Path, lab: str):
        self.path = Path(course) / "autograded" / ".nnlabs" / f"{lab}.jsonl"

    def entries(self) -> dict:
        found = {}
        if not self.path.exists():
            return found
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue              # a line cut short by a crash: that submission is graded again
                if isinstance(entry, dict) and isinstance(entry.get("student"), str):
                    found[entry["student"]] = entry
        return found

    def append(self, entry: dict):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


class Recorder:
    def __init__(self, course: Path, lab: str, config):
        from nbconvert.writers import FilesWriter
        from nbgrader.api import Gradebook
        from nbgrader.converters import Autograde
        from nbgrader.coursedir import CourseDirectory

        from ..nbgrader.held import held, hold

        self.course, self.lab, self.config = Path(course), lab, config
        self.coursedir = CourseDirectory(config=config, root=str(self.course))
        self.coursedir.assignment_id = lab
        self.converter = Autograde(coursedir=self.coursedir, config=config, log=LOG)
        self.converter.writer = FilesWriter(parent=self.converter, config=config, log=LOG)
        self.steps = [step(config=config, log=LOG) for step in
                      held(s for s in self.converter.autograde_preprocessors if _name(s) in WRITER_STEPS)]
        self.gradebook = Gradebook(self.db_url, self.coursedir.course_id)    # open for the whole run
        self.session = self.gradebook.db
        # The one writer: nothing else changes the gradebook during the run, so what the
        # session has read stays true after a commit (the assignment, its notebooks and
        # cells are read once, not once per submission). Computed scores are read afresh.
        self.session().expire_on_commit = False
        self.gradebook.db = _OneCommit(self.session)     # nbgrader commits per cell: one commit per submission
        hold(self.steps, self.gradebook)
        self.ledger = Ledger(self.course, lab)
        self.seconds = 0.0

    def close(self):
        self.gradebook.db = self.session
        self.gradebook.close()

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    def submitted(self, student: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.submitted_directory, student, self.lab)) / f"{self.lab}.ipynb"

    def autograded(self, student: str) -> Path:
        return Path(self.coursedir.format_path(self.coursedir.autograded_directory, student, self.lab))

    def record(self, result: dict) -> dict:
        """Record one result; returns its ledger entry."""
        start = time.perf_counter()
        student = result["student"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")      # SQLAlchemy's notices inside nbgrader's API
            if result.get("ok"):
                try:
                    entry = self._record_graded(student, result)
                    self.session.commit()
                except Exception as exc:         # nbgrader refused it: zero with the reason
                    self.session.rollback()
                    result = dict(result, ok=False, reason=f"nbgrader could not record it: {type(exc).__name__}: {exc}")
                    entry = self._record_zero(student, result)
                    self.session.commit()
            else:
                entry = self._record_zero(student, result)
                self.session.commit()
        entry["seconds"] = dict(result.get("seconds", {}), **{"record": round(time.perf_counter() - start, 4)})
        self.ledger.append(entry)
        self.seconds += time.perf_counter() - start
        return entry

    def _prepare(self, student: str):
        """What nbgrader's `Autograde.init_destination` (with --force) and `init_assignment`
        do for one submission, on the gradebook held open: a fresh destination holding the
        submission's other files and then the lab's own files from source/, the student,
        and the submission with its timestamp."""
        from nbgrader.utils import find_all_files
        dest = self.autograded(student)
        if dest.exists():
            _writable(dest)
            shutil.rmtree(dest)
        submitted = self.submitted(student).parent
        source = Path(self.coursedir.format_path(self.coursedir.source_directory, ".", self.lab))
        keep = {str(source / name) for name in self.converter.exclude_overwriting.get(self.lab, [])}
        for folder, skip in ((submitted, set()), (source, keep)):
            for filename in find_all_files(str(folder), self.coursedir.ignore + ["*.ipynb"]):
                if filename in skip:
                    continue
                target = dest / os.path.relpath(filename, folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    target.unlink()
                shutil.copy(filename, target)
        self.gradebook.update_or_create_student(student)
        timestamp = self.coursedir.get_existing_timestamp(str(submitted))
        if timestamp:
            self.gradebook.update_or_create_submission(self.lab, student, timestamp=timestamp)
        else:
            self.gradebook.update_or_create_submission(self.lab, student)

    def _record_graded(self, student: str, result: dict) -> dict:
        import nbformat
        from ..nbgrader.autograde import METADATA_KEY
        from ..judging.result import Report
        self._prepare(student)
        self._zero(student)                       # a fresh grade: nothing of an earlier one stays
        resources = {"unique_key": self.lab, "output_extension": ".ipynb",
                     "nbgrader": {"student": student, "assignment": self.lab, "notebook": self.lab,
                                  "db_url": self.db_url},
                     METADATA_KEY: Report.from_dict(result["report"])}
        from ..nbgrader.held import held_open
        # the worker's nbconvert validated this notebook after its last step: read it back
        # without validating it again
        nb = nbformat.v4.reads(result["notebook"])
        for step in self.steps:
            if held_open(step):
                with self.gradebook.db.deferred():
                    nb, resources = step(nb, resources)
            else:
                self.session.commit()             # a step with a connection of its own must see ours
                nb, resources = step(nb, resources)
        self.converter.write_single_notebook(result["notebook"], resources)
        self.converter.set_permissions(self.lab, student)
        report = result["report"]
        return {"student": student, "fingerprint": result["fingerprint"], "status": "graded",
                "score": self._score(student), "max_score": report["max_score"],
                "judged_score": report["score"], "checks": report["checks"],
                "notes": report.get("notes", []), "flags": report.get("flags", []),
                "code_hash": result.get("code_hash"), "recorded": time.time()}

    def _record_zero(self, student: str, result: dict) -> dict:
        """Zero for every graded cell of the submission, replacing any earlier score."""
        reason = result.get("reason") or "it could not be graded"
        try:
            self._prepare(student)
        except Exception as exc:                  # e.g. an unknown assignment: say so, still no score kept
            LOG.warning("preparing %s failed: %s", student, exc)
        notebook = self.autograded(student) / f"{self.lab}.ipynb"
        if notebook.exists():
            os.chmod(notebook, 0o644)
            notebook.unlink()
        self._zero(student)
        from ..judging.result import Flag
        if result.get("worker_died"):
            flag = Flag("worker_died", f"the grading worker died: {reason}")
        else:
            flag = Flag("unusable", f"unusable submission: {reason}")
        return {"student": student, "fingerprint": result["fingerprint"], "status": "unusable",
                "score": 0.0, "max_score": None, "reason": reason, "checks": [], "notes": [reason],
                "flags": [flag.to_dict()], "code_hash": None, "recorded": time.time()}

    def _zero(self, student: str):
        """Every grade of the submission at zero, as the course's `before_grading` hook does
        under plain nbgrader (the same function); the steps that follow fill in what the judge found."""
        from ..nbgrader.autograde import PENDING, zero_grades
        zero_grades(self.gradebook, self.lab, student)
        self.gradebook.db.commit()
        (self.course / PENDING / self.lab / f"{student}.json").unlink(missing_ok=True)

    def _score(self, student: str) -> float:
        submission = self.gradebook.find_submission(self.lab, student)
        self.session.expire(submission, ["code_score"])
        return float(submission.code_score)


class _OneCommit:
    """The gradebook's session, with nbgrader's many commits for one submission turned
    into flushes: the writer commits once, when the submission is complete (so a crash
    leaves either all of it or none of it).

    Inside `deferred()` (one step of a held gradebook), even the flushes wait for the
    step's end: SaveAutoGrades commits twice per cell, and each query it makes would
    flush again. Its queries find rows by key, which pending changes do not move, and
    the rows they return are the session's own objects, changes included."""

    def __init__(self, session):
        self._session = session
        self._defer = False

    def commit(self):
        if not self._defer:
            self._session.flush()

    @contextlib.contextmanager
    def deferred(self):
        self._defer = True
        try:
            with self._session.no_autoflush:
                yield
        finally:
            self._defer = False
        self._session.flush()

    def __getattr__(self, name):
        return getattr(self._session, name)


def _writable(folder: Path):
    """nbgrader leaves its outputs read-only (444); make them removable again."""
    for dirpath, _, files in os.walk(folder):
        os.chmod(dirpath, 0o755)
        for name in files:
            os.chmod(os.path.join(dirpath, name), 0o644)
