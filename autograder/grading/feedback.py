"""Feedback for the students graded in a run, by nbgrader's own GenerateFeedback, on
every core: one nbgrader converter per student, in the local worker processes, after
the writer has finished (so they only read the gradebook)."""
from __future__ import annotations

import logging
from pathlib import Path

from .judging import Submission
from .workers import LocalWorkers

LOG = logging.getLogger("nnlabs.grading")


def stale(course: Path, lab: str, students) -> list:
    """Students whose feedback is missing or older than their autograded notebook."""
    out = []
    for student in students:
        graded = course / "autograded" / student / lab / f"{lab}.ipynb"
        html = course / "feedback" / student / lab / f"{lab}.html"
        if graded.exists() and (not html.exists() or html.stat().st_mtime < graded.stat().st_mtime):
            out.append(student)
    return out


def generate(course: Path, lab: str, config, students, jobs: int | None = None) -> list:
    """Write feedback/<student>/<lab>/ for each student; returns those that failed, with why."""
    tasks = [Submission(student, lab, b"", "") for student in students]
    problems = []
    with LocalWorkers(feedback_for, (str(course), lab, config), jobs) as pool:
        for result in pool.run(tasks):
            if not result.get("ok"):
                problems.append((result["student"], result.get("reason", "")))
    return problems


def feedback_for(context, task) -> dict:
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    course, lab, config = context
    out = {"student": task.student, "lab": lab, "fingerprint": "", "ok": True}
    try:
        coursedir = CourseDirectory(config=config, root=course)
        coursedir.assignment_id, coursedir.student_id = lab, task.student
        converter = GenerateFeedback(coursedir=coursedir, config=config, log=LOG)
        if "template_name" not in config.HTMLExporter:      # the course's own feedback page, if it has one
            converter.update_config(Config({"HTMLExporter": {"template_name": "feedback"}}))
        converter.force = True
        converter.start()
    except Exception as exc:  # one student's feedback never stops the others
        out.update(ok=False, reason=f"{type(exc).__name__}: {exc}")
    return out
