"""Grading a class: judged on every core (or a Dask cluster), recorded by one writer.

    submitted/ --(bytes, content hash)--> workers: nbgrader's steps + the judge  (judging.py, workers.py)
               --(autograded notebook, report)--> one writer: gradebook, autograded/, ledger  (recorder.py)

`grade_class` is what `nnlabs grade` runs. Submissions whose content hash is in the
ledger are not graded again (unless `force`); Ctrl-C stops the run after what is
recorded, and the next run does the rest.
"""
from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path

from ..judging import course_key
from ..notebook import intake
from .judging import CourseSnapshot, Submission, fingerprint, judge_submission
from .progress import Progress
from .recorder import Ledger, Recorder
from .workers import DaskWorkers, LocalWorkers

__all__ = ["grade_class", "load_config", "Ledger"]


def load_config(course: Path):
    """The course's nbgrader configuration, as nbgrader loads it from the course folder."""
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(Path(course).resolve())
    return config


def grade_class(course: Path, lab: str, *, jobs: int | None = None, scheduler=None, force: bool = False,
                progress: bool = True, function=judge_submission) -> dict:
    """Grade every new or changed submission of `lab` in `course`/submitted.

    Returns a summary: the students recorded in this run, how many were already graded,
    whether the run was interrupted, and where the time went."""
    from nbgrader.api import MissingEntry

    course = Path(course).resolve()
    started = time.perf_counter()
    config = load_config(course)
    recorder = Recorder(course, lab, config)
    try:
        recorder.gradebook.find_assignment(lab)
    except MissingEntry:
        recorder.close()
        raise SystemExit(f"nnlabs: {lab} is not in the gradebook yet: run `nnlabs release {lab}` first")
    master = (course / "source" / lab / f"{lab}.ipynb").read_bytes()
    from .. import __version__
    done = {} if force else recorder.ledger.entries()
    tasks, unusable, skipped = [], [], 0
    for student, folder in _submission_folders(course, lab):
        taken = intake(folder, lab)          # the notebook of the lab, whatever its name: every door's rules
        stamp = folder / "timestamp.txt"
        about = json.dumps([taken.name, taken.file_notes, taken.reason]).encode()
        key = fingerprint(taken.data, stamp.read_bytes() if stamp.is_file() else b"", master, __version__.encode(),
                          about)
        if done.get(student, {}).get("fingerprint") == key:
            skipped += 1
        elif not taken.usable:             # no notebook, another lab's, a damaged file: zero, with why
            unusable.append((Submission(student, lab, b"", key, taken.name), taken.reason))
        else:
            tasks.append(Submission(student, lab, taken.data, key, taken.name, tuple(taken.file_notes)))
    summary = {"lab": lab, "recorded": [], "skipped": skipped, "interrupted": False, "seconds": {}}
    bar = Progress(len(tasks) + len(unusable), f"grading {lab}") if progress else None
    try:
        for task, reason in unusable:
            _recorded(summary, recorder.record({
                "student": task.student, "lab": lab, "fingerprint": task.fingerprint, "ok": False,
                "reason": reason}), bar)
        if tasks:
            snapshot = _snapshot(recorder, config)
            pool = (DaskWorkers(function, snapshot, scheduler) if scheduler
                    else LocalWorkers(function, snapshot, jobs))
            with pool:
                for result in pool.run(tasks):
                    if result.get("fatal"):
                        raise SystemExit(f"nnlabs: nothing more was graded: {result['fatal']}")
                    _recorded(summary, recorder.record(result), bar)
    except KeyboardInterrupt:
        summary["interrupted"] = True
    finally:
        recorder.close()
        if bar:
            bar.close()
    summary["left"] = len(tasks) + len(unusable) - len(summary["recorded"])
    summary["seconds"]["writer"] = round(recorder.seconds, 3)
    summary["seconds"]["wall"] = round(time.perf_counter() - started, 3)
    return summary


def _recorded(summary: dict, entry: dict, bar):
    summary["recorded"].append(entry)
    for stage, seconds in entry.get("seconds", {}).items():
        summary["seconds"][stage] = round(summary["seconds"].get(stage, 0.0) + seconds, 4)
    if bar:
        bar.step()


def _submission_folders(course: Path, lab: str):
    folder = course / "submitted"
    if folder.is_dir():
        for student in sorted(folder.iterdir()):
            if (student / lab).is_dir():
                yield student.name, student / lab


def _snapshot(recorder: Recorder, config) -> CourseSnapshot:
    """What the workers read of the gradebook (the master notebook's cells, for nbgrader's
    OverwriteCells): a copy of an SQLite file, or the URL of a database server."""
    import hashlib
    url = recorder.db_url
    if url.startswith("sqlite:///"):
        with tempfile.TemporaryDirectory(prefix="nnlabs-snapshot-") as folder:
            copy = Path(folder) / "gradebook.db"
            source, target = sqlite3.connect(url[len("sqlite:///"):]), sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            gradebook = copy.read_bytes()
        key = hashlib.sha256(gradebook).hexdigest()
    else:
        gradebook, key = url, hashlib.sha256(url.encode()).hexdigest()
    plain = _plain_config(config)
    # the course's key travels to the workers with the configuration (a Dask worker has no course folder)
    judge = plain.setdefault("JudgeSubmission", {})
    if not judge.get("course_key"):
        judge["course_key"] = course_key.load(Path(recorder.coursedir.root)).hex()
    key = hashlib.sha256((key + repr(sorted(map(str, plain.items())))).encode()).hexdigest()
    return CourseSnapshot(key=key, config=plain, gradebook=gradebook, course_id=recorder.coursedir.course_id)


def _plain_config(config) -> dict:
    """The configuration as nested dicts (traitlets Config objects pickle poorly across
    versions); the values, preprocessor classes among them, travel by reference."""
    from traitlets.config import Config
    return {key: _plain_config(value) if isinstance(value, (Config, dict)) else value
            for key, value in config.items()}

