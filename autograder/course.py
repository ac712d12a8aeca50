"""Course-level commands on top of nbgrader: release the labs, grade a class, the demo.

Every score is recorded in nbgrader's gradebook through nbgrader's own steps, so plain
``nbgrader autograde`` (with the judge configured in ``nbgrader_config.py``) records the
same scores; `grading` judges the class on every core and records it with one writer.
This module orders the steps and reports the class.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from .labs import LAB_IDS, load_lab
from .judging.result import Flag
from .text import csv_cell, inert, printable

WORKING = ("submitted", "autograded", "feedback", "gradebook.db", "grades.csv", "grades_flags.csv")


def course_root(start: Path | None = None) -> Path:
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").exists() and (folder / "source").is_dir():
            return folder
    raise SystemExit("nnlabs: run this inside a course directory (one with nbgrader_config.py and source/)")


def nbgrader(args, course: Path, quiet: bool = True) -> subprocess.CompletedProcess:
    bin_dir = os.path.dirname(sys.executable)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))  # alembic from this env
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True)
    if "Exception while loading config file" in result.stdout + result.stderr:
        # nbgrader goes on with its defaults, which grade inside the student's kernel: never that
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"nnlabs: {course / 'nbgrader_config.py'} failed to load (see above); nothing was graded "
                         "with nbgrader's defaults")
    if result.returncode != 0 and not quiet:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
    return result


def labs_in(course: Path):
    return [lab for lab in LAB_IDS if (course / "source" / lab / f"{lab}.ipynb").exists()]


def release(labs=None, course: Path | None = None, wheel: bool = True) -> int:
    """nbgrader generate_assignment for each lab, then the student wheel into each
    release folder, so the folder a course hands out carries what students install."""
    course = course or course_root()
    labs = labs or labs_in(course)
    from .judging import course_key
    course_key.load(course)         # the key of the hidden checks' inputs, made once, kept out of release/
    for lab in labs:
        result = nbgrader(["generate_assignment", lab, "--force"], course, quiet=False)
        if result.returncode != 0:
            print(f"nnlabs: releasing {lab} failed")
            return 1
        print(f"released {lab} -> release/{lab}/")
    if wheel and labs:
        try:
            built = student_wheel(course / "release" / ".wheel")
        except RuntimeError as exc:
            print(f"nnlabs: the student wheel could not be built: {exc}")
            return 1
        for lab in labs:
            for old in (course / "release" / lab).glob("nnlabs-*.whl"):
                old.unlink()
            shutil.copy(built, course / "release" / lab / built.name)
        shutil.rmtree(built.parent, ignore_errors=True)
        print(f"student wheel -> release/<lab>/{built.name} (students: pip install {built.name})")
    return 0


def student_wheel(target: Path) -> Path:
    """Build the wheel students install (autograder only: setup.py leaves `solutions`
    out of every built wheel) from the source tree of this nnlabs."""
    source = Path(__file__).resolve().parent.parent
    if not (source / "pyproject.toml").exists():
        raise RuntimeError(f"no nnlabs source tree at {source} (install nnlabs from a clone with pip install -e)")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    import tempfile
    with tempfile.TemporaryDirectory(prefix="nnlabs-wheel-") as work:
        # from a copy holding only the sources: a build folder left in the tree would add
        # stale modules to the wheel, and two builds at once would share it
        copy = Path(work) / "nnlabs"
        anywhere = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", "*.whl")
        course = {"submitted", "autograded", "feedback", "reports", "demo", ".nnlabs", "gradebook.db", "gradescope"}

        def ignore(folder, names):      # the course's working folders at the top only
            return set(anywhere(folder, names)) | (course & set(names) if Path(folder) == source else set())
        shutil.copytree(source, copy, ignore=ignore)
        result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(target),
                                 str(copy)], capture_output=True, text=True)
    wheels = list(target.glob("nnlabs-*.whl"))
    if result.returncode != 0 or len(wheels) != 1:
        raise RuntimeError(result.stderr[-2000:] or "pip wheel made no wheel")
    return wheels[0]


def submissions(course: Path, lab: str) -> dict:
    """{student: their submission folder} (the notebook in it may have any name: `notebook.intake`)."""
    folder = course / "submitted"
    if not folder.is_dir():
        return {}
    return {s.name: s / lab for s in sorted(folder.iterdir()) if (s / lab).is_dir()}


def grade(lab: str, course: Path | None = None, quiet: bool = False, *, jobs: int | None = None,
          scheduler: str | None = None, force: bool = False, feedback: bool = True) -> int:
    """Grade every new or changed submission of `lab` (all of them with `force`) on every
    core, or on a Dask cluster; write feedback, grades.csv and grades_flags.csv; print
    the class. Exit 0, or 130 when interrupted (what was graded is kept)."""
    from .grading import grade_class, load_config
    from .grading import feedback as feedback_step

    course = course or course_root()
    if lab not in LAB_IDS:
        print(f"nnlabs: unknown lab {lab!r}; the labs are: {', '.join(LAB_IDS)}")
        return 2
    found = submissions(course, lab)
    if not found:
        print(f"nnlabs: no submissions for {lab} in {course / 'submitted'}")
        return 1
    summary = grade_class(course, lab, jobs=jobs, scheduler=scheduler, force=force, progress=not quiet)
    if summary["interrupted"]:
        print(f"nnlabs: interrupted: {len(summary['recorded'])} submissions recorded, {summary['left']} left; "
              f"run `nnlabs grade {lab}` again to grade the rest")
        return 130
    entries = ledger_entries(course, lab)
    if feedback:
        graded = [s for s, e in entries.items() if e.get("status") == "graded"]
        todo = feedback_step.stale(course, lab, graded)
        for student, reason in feedback_step.generate(course, lab, load_config(course), todo, jobs,
                                                      progress=not quiet):
            print(f"nnlabs: feedback for {inert(student)} failed: {printable(reason)}")
        total = sum(load_lab(lab).cell_points(f) for f in load_lab(lab).functions)
        for student, entry in entries.items():             # nbgrader writes none for these
            if entry.get("status") == "unusable":
                feedback_step.write_unusable(course, lab, student, str(entry.get("reason", "")), max_score=total)
    export_grades(course)
    rows = class_report(course, lab, entries)
    write_flags(course, lab, rows)
    if not quiet:
        print(render_class(lab, rows, summary))
    return 0


def ledger_entries(course: Path, lab: str) -> dict:
    from .grading import Ledger
    return Ledger(course, lab).entries()


def export_grades(course: Path):
    """grades.csv of every assignment: the rows and columns of nbgrader's own CSV export
    (`CsvExportPlugin`), written by `write_grades`."""
    import warnings
    from nbgrader.api import Gradebook
    from .grading import load_config

    config = load_config(course)
    from nbgrader.coursedir import CourseDirectory
    coursedir = CourseDirectory(config=config, root=str(course))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_grades(gb, course / "grades.csv")


GRADE_COLUMNS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                 "raw_score", "late_submission_penalty", "score", "max_score")


def write_grades(gb, path: Path, assignments=(), students=()):
    """What nbgrader's `CsvExportPlugin.export` writes (the same columns, rows and values), but
    through the csv module and `csv_cell`: nbgrader joins the raw values with commas, so a
    student id (a folder name under submitted/) holding a comma, a quote or a newline moves
    the columns, and one beginning with = is a formula in a spreadsheet."""
    from nbgrader.api import MissingEntry
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GRADE_COLUMNS)
        for assignment in gb.assignments:
            if assignments and assignment.name not in assignments:
                continue
            if not assignments and not assignment.submissions:     # released, never handed in: no rows of zeros
                continue
            for student in gb.students:
                if students and student.id not in students:
                    continue
                row = {"assignment": assignment.name, "duedate": assignment.duedate, "student_id": student.id,
                       "last_name": student.last_name, "first_name": student.first_name, "email": student.email,
                       "max_score": assignment.max_score}
                try:
                    submission = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
                else:
                    penalty = submission.late_submission_penalty
                    row.update(timestamp=submission.timestamp, raw_score=submission.score,
                               late_submission_penalty=penalty, score=max(0.0, submission.score - penalty))
                writer.writerow([csv_cell(row[column]) for column in GRADE_COLUMNS])


def class_report(course: Path, lab: str, entries: dict) -> list:
    """One row per submission: the score of record (nbgrader's gradebook, manual grades
    included) with the judge's notes and flags from the ledger."""
    from nbgrader.api import Gradebook, MissingEntry
    from .grading import load_config
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=load_config(course), root=str(course))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            recorded = {sub["student"]: sub for sub in gb.submission_dicts(lab)}   # a few joins, not a query per student
        except MissingEntry:
            recorded = {}
    rows = []
    for student in submissions(course, lab):
        entry, sub = entries.get(student), recorded.get(student)
        if entry is None or sub is None:
            rows.append({"student": student, "score": 0.0, "max_score": 0.0, "flags": ["not graded"],
                         "notes": []})
            continue
        rows.append({"student": student, "score": sub["code_score"], "max_score": sub["max_code_score"],
                     "written_max": sub["max_written_score"], "flags": list(entry.get("flags", [])),
                     "notes": list(entry.get("notes", []))})
    return rows


def write_flags(course: Path, lab: str, rows: list):
    """Beside grades.csv: one row per flag, for the instructor to look at."""
    path = course / "grades_flags.csv"
    existing = []
    if path.exists():
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            existing = [r for r in csv.DictReader(handle) if r.get("assignment") != lab]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["assignment", "student", "flag"])
        writer.writeheader()
        for old in existing:          # written by this function before (or by an earlier version)
            writer.writerow({key: csv_cell(old.get(key) or "") for key in ("assignment", "student", "flag")})
        for row in rows:
            for flag in row["flags"]:
                writer.writerow({"assignment": csv_cell(lab), "student": csv_cell(row["student"]),
                                 "flag": csv_cell(flag_text(flag))})


def flag_text(flag) -> str:
    """A flag (a `Flag` record, its dict, or a sentence from an earlier version) as one line."""
    if isinstance(flag, Flag):
        return flag.message
    return Flag.from_dict(flag).message


def render_class(lab: str, rows: list, summary: dict | None = None) -> str:
    """The class table for a terminal: student ids and messages each made one inert line
    (`text.inert`), and the whole table `printable` (a second line of defence)."""
    lines = [f"{lab}: {len(rows)} submissions (automatic points; written answers are graded by hand)"]
    if summary is not None:
        graded = len(summary["recorded"])
        wall = summary["seconds"].get("wall", 0.0)
        lines.append(f"  graded now: {graded}" + (f" in {wall:.1f} s" if graded else "")
                     + f"; unchanged since the last run: {summary['skipped']}")
    names = {id(row): inert(row["student"], limit=40) for row in rows}
    width = max([len("student"), *map(len, names.values())])        # whole names, up to 40 characters
    lines.append(f"  {'student':<{width}} {'score':>14}  notes")
    for row in rows:
        score = f"{row['score']:g} / {row['max_score']:g}"
        note = inert(" ".join("; ".join(map(flag_text, row["flags"] or row["notes"])).split()))
        note = textwrap.shorten(note, 110, placeholder=" …") if len(note) > 110 else note   # cut between words
        lines.append(f"  {names[id(row)]:<{width}} {score:>14}  {note}")
    return printable("\n".join(lines))


def demo() -> int:
    """Release every lab, grade a sample class in demo/ (a course folder of its own, so
    real submissions are never touched), and print the results."""
    root = course_root()
    status = release(course=root)
    if status:
        return status
    course = root / "demo"
    if course.exists():
        shutil.rmtree(course)
    course.mkdir()
    shutil.copy(root / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(root / "source", course / "source")
    for lab in labs_in(root):
        if release([lab], course, wheel=False):
            return 1
        roster = load_lab(lab, hidden=True).sample_class(course)
        print(f"\nsample class for {lab}:")
        for student, what in roster.items():
            print(f"  {student:<6} {what}")
        print()
        grade(lab, course)
    print(f"\nfeedback: {course / 'feedback'}\ngrades:   {course / 'grades.csv'}"
          f"\nflags:    {course / 'grades_flags.csv'}")
    return 0

