"""Course-level commands on top of nbgrader: release the labs, grade a class, the demo.

Every score is recorded by nbgrader itself (``nbgrader autograde`` with the judge
configured in ``nbgrader_config.py``); this module only orders the steps, records a
zero with its reason for files nbgrader cannot read, and reports the class.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .feedback import write_unusable_feedback
from .labs import LAB_IDS, get_lab
from .report import Flag
from .text import printable
from .notebook import UnusableNotebook, answer_cells, identify_lab, read_notebook

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
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(target),
                             str(source)], capture_output=True, text=True)
    wheels = list(target.glob("nnlabs-*.whl"))
    if result.returncode != 0 or len(wheels) != 1:
        raise RuntimeError(result.stderr[-2000:] or "pip wheel made no wheel")
    return wheels[0]


def submissions(course: Path, lab: str) -> dict:
    folder = course / "submitted"
    if not folder.is_dir():
        return {}
    return {s.name: s / lab / f"{lab}.ipynb" for s in sorted(folder.iterdir()) if (s / lab).is_dir()}


def grade(lab: str, course: Path | None = None, quiet: bool = False) -> int:
    course = course or course_root()
    if lab not in LAB_IDS:
        print(f"nnlabs: unknown lab {lab!r}; the labs are: {', '.join(LAB_IDS)}")
        return 2
    found = submissions(course, lab)
    if not found:
        print(f"nnlabs: no submissions for {lab} in {course / 'submitted'}")
        return 1
    unusable = {}
    for student, path in found.items():
        try:
            nb = read_notebook(path)
            if identify_lab(nb, path) != lab:
                raise UnusableNotebook(f"{path.name} is not the {lab} notebook")
            answer_cells(nb, get_lab(lab))          # duplicated answer cells cannot be graded
        except UnusableNotebook as exc:
            unusable[student] = str(exc)
    args = ["autograde", lab, "--force"]
    if unusable:
        args.append("--CourseDirectory.student_id_exclude=" + ",".join(unusable))
    if len(unusable) < len(found):
        result = nbgrader(args, course, quiet=False)
        if result.returncode != 0:
            print("nnlabs: nbgrader autograde reported errors (see above); the other submissions were graded")
        nbgrader(["generate_feedback", lab, "--force"], course, quiet=False)
    from .nbgrader_judge import failed_gradings, record_zero
    for student in unusable:
        record_zero(f"sqlite:///{course / 'gradebook.db'}", lab, student)
    for student, reason in failed_gradings(course, lab).items():
        unusable.setdefault(student, reason)
    for student, reason in unusable.items():           # nbgrader writes no feedback for these
        write_unusable_feedback(course, lab, student, reason,
                                max_score=sum(get_lab(lab).cell_points(f) for f in get_lab(lab).functions))
    nbgrader(["export", "--to", str(course / "grades.csv")], course, quiet=False)
    rows = class_report(course, lab, unusable)
    write_flags(course, lab, rows)
    if not quiet:
        print(render_class(lab, rows))
    return 0


def class_report(course: Path, lab: str, unusable: dict) -> list:
    from nbgrader.api import Gradebook, MissingEntry
    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnlabs") as gb:
        for student in submissions(course, lab):
            try:
                sub = gb.find_submission(lab, student)
            except MissingEntry:
                rows.append({"student": student, "score": 0.0, "max_score": 0.0, "flags": ["not graded"],
                             "notes": []})
                continue
            row = {"student": student, "score": sub.code_score, "max_score": sub.max_code_score,
                   "written_max": sub.max_written_score, "flags": [], "notes": []}
            if student in unusable:
                row["notes"].append(unusable[student])
                row["flags"].append(f"unusable submission: {unusable[student]}")
            else:
                graded = course / "autograded" / student / lab / f"{lab}.ipynb"
                meta = json.loads(graded.read_text())["metadata"].get("nnlabs", {}) if graded.exists() else {}
                row["notes"] = meta.get("notes", [])
                row["flags"] = [Flag.from_dict(f).message for f in meta.get("flags", [])]
            rows.append(row)
    return rows


def write_flags(course: Path, lab: str, rows: list):
    """Beside grades.csv: one row per flag, for the instructor to look at."""
    path = course / "grades_flags.csv"
    existing = []
    if path.exists():
        with path.open() as handle:
            existing = [r for r in csv.DictReader(handle) if r.get("assignment") != lab]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["assignment", "student", "flag"])
        writer.writeheader()
        writer.writerows(existing)
        for row in rows:
            for flag in row["flags"]:
                writer.writerow({"assignment": lab, "student": row["student"], "flag": flag})


def render_class(lab: str, rows: list) -> str:
    lines = [f"{lab}: {len(rows)} submissions (automatic points; written answers are graded by hand)",
             f"  {'student':<12} {'score':>14}  notes"]
    for row in rows:
        score = f"{row['score']:g} / {row['max_score']:g}"
        note = "; ".join(row["flags"] or row["notes"])[:110]
        lines.append(f"  {row['student']:<12} {score:>14}  {note}")
    return printable("\n".join(lines))


def demo() -> int:
    """Release every lab, grade a sample class in demo/ (a course folder of its own, so
    real submissions are never touched), and print the results."""
    from solutions.sample_class import build_class

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
        roster = build_class(course, lab)
        print(f"\nsample class for {lab}:")
        for student, what in roster.items():
            print(f"  {student:<6} {what}")
        print()
        grade(lab, course)
    print(f"\nfeedback: {course / 'feedback'}\ngrades:   {course / 'grades.csv'}"
          f"\nflags:    {course / 'grades_flags.csv'}")
    return 0
