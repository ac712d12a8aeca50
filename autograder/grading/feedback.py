"""Feedback for the students graded in a run, by nbgrader's own GenerateFeedback, on
every core: one nbgrader converter per student, in the local worker processes, after
the writer has finished (so they only read the gradebook); and, for a submission that
could not be graded (nbgrader writes nothing for it), a page that says what was wrong."""
from __future__ import annotations

import html
import json
import logging
import os
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


def generate(course: Path, lab: str, config, students, jobs: int | None = None, progress: bool = False) -> list:
    """Write feedback/<student>/<lab>/ for each student; returns those that failed, with why.
    With `progress`, a bar (or a line every few seconds) as for grading."""
    from .progress import Progress
    tasks = [Submission(student, lab, b"", "") for student in students]
    problems = []
    bar = Progress(len(tasks), f"feedback for {lab}") if progress and tasks else None
    try:
        with LocalWorkers(feedback_for, (str(course), lab, config), jobs) as pool:
            for result in pool.run(tasks):
                if bar:
                    bar.step()
                if not result.get("ok"):
                    problems.append((result["student"], result.get("reason", "")))
    finally:
        if bar:
            bar.close()
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


def unusable_page(lab: str, student: str, reason: str, max_score: float, written: float = 0.0) -> str:
    """The feedback page of a submission that could not be graded: what was wrong with it
    (the intake's reason, which says what to submit instead), nothing generic. The score is
    given as everywhere else (`nnlabs check`, `nnlabs grade`, nbgrader's feedback page):
    automatic points out of the automatic points (`max_score`), and the `written` points,
    graded by hand, stated apart."""
    from ..faces import display
    body = (f"<h1>{html.escape(lab)}</h1>"
            f"<p>Your submission could not be graded, so it scores 0 / {display.points(max_score)} "
            f"automatic points:</p>"
            f"<pre>{html.escape(display.inert(reason))}</pre>"
            "<p>Submit again once that is put right, or ask your instructor.</p>")
    if written:
        body += f'<p class="nnlabs-hand">Written answers: {display.points(written)} points, graded by your instructor</p>'
    return display.page(f"{lab}: feedback for {student}", body)


def written_points(course, lab: str) -> float:
    """The points of the lab's answers graded by hand, from the course's student version
    (release/) or master notebook (source/); 0 when neither can be read."""
    from ..notebook import written_points as points_of
    for folder in ("release", "source"):
        path = Path(course) / folder / lab / f"{lab}.ipynb"
        try:
            return points_of(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            continue
    return 0.0


def write_unusable(course, lab: str, student: str, reason: str, max_score: float) -> Path:
    """Where nbgrader would have written the feedback: feedback/<student>/<lab>/<lab>.html."""
    path = Path(course) / "feedback" / student / lab / f"{lab}.html"
    os.makedirs(path.parent, exist_ok=True)
    path.write_text(unusable_page(lab, student, reason, max_score, written_points(course, lab)), encoding="utf-8")
    return path
