"""Grading a class: parallel workers and one writer record what plain nbgrader records;
a broken submission or a dying worker costs one zero; interrupted runs resume."""
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from autograder.course import render_class
from autograder.grading import Ledger, grade_class
from autograder.grading.judging import Submission
from autograder.grading.workers import LocalWorkers
from autograder.labs import get_lab
from solutions import sample_class

from conftest import BIN, LAB2, ROOT, nnlabs, run


def nbgrader(course, *args):
    result = run([sys.executable, "-m", "nbgrader", *args], cwd=course)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


def cell_scores(course, lab) -> dict:
    """{(student, grade cell): (auto score, needs manual grade)} for every graded cell in
    the gradebook, read with nbgrader's own API."""
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnlabs") as gb:
        for submission in gb.assignment_submissions(lab):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    out[(submission.student.id, grade.name)] = (grade.auto_score, grade.needs_manual_grade)
    return out


def late_penalties(course, lab) -> dict:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnlabs") as gb:
        return {submission.student.id: [nb.late_submission_penalty for nb in submission.notebooks]
                for submission in gb.assignment_submissions(lab)}


def make_late(course, lab, student):
    """A due date for `lab`, `student`'s submission a day past it, and the course's late
    policy: a late notebook loses its whole score."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnlabs") as gb:
        gb.update_or_create_assignment(lab, duedate="2026-03-01 12:00:00")
    (course / "submitted" / student / lab / "timestamp.txt").write_text("2026-03-02 12:00:00")
    with (course / "nbgrader_config.py").open("a") as config:
        config.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')


def autograded(course, lab, student) -> dict:
    path = course / "autograded" / student / lab / f"{lab}.ipynb"
    return json.loads(path.read_text()) if path.exists() else None


@pytest.fixture(scope="module")
def released_once(tmp_path_factory):
    """A course with lab 2 released by nbgrader (generate_assignment), made once for the module."""
    course = tmp_path_factory.mktemp("released") / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    nbgrader(course, "generate_assignment", LAB2, "--force")
    return course


@pytest.fixture
def released(released_once, tmp_path):
    """A copy of that course of the test's own (its gradebook, release and key included)."""
    course = tmp_path / "course"
    shutil.copytree(released_once, course)
    return course


def test_every_cell_scores_as_under_plain_nbgrader_autograde(released):
    course = released
    roster = sample_class.build_class(course, LAB2)          # ada .. dev, and eve's damaged file
    tampered = sample_class.solved(LAB2, course)
    for cell in tampered["cells"]:                            # a test cell turned into markdown
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "test_sigmoid":
            cell["cell_type"] = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    sample_class.write(tampered, course / "submitted" / "fay" / LAB2 / f"{LAB2}.ipynb")
    students = sorted([*roster, "fay"])
    make_late(course, LAB2, "ada")
    summary = grade_class(course, LAB2, jobs=2, progress=False)          # into a fresh gradebook
    ours, our_penalties = cell_scores(course, LAB2), late_penalties(course, LAB2)
    our_notebooks = {s: autograded(course, LAB2, s) for s in students}
    assert sorted(e["student"] for e in summary["recorded"]) == students

    nbgrader(course, "autograde", LAB2, "--force", "--CourseDirectory.student_id_exclude=eve")
    plain, plain_penalties = cell_scores(course, LAB2), late_penalties(course, LAB2)
    assert {k: v for k, v in ours.items() if k[0] != "eve"} == {k: v for k, v in plain.items() if k[0] != "eve"}
    assert len(plain) >= len(students) * len(get_lab(LAB2).functions)   # every cell compared
    del our_penalties["eve"], plain_penalties["eve"]
    assert our_penalties == plain_penalties and plain_penalties["ada"][0] > 0    # the late one loses its score
    for student in students:
        if student != "eve":                                  # what nbgrader would have written
            assert our_notebooks[student] == autograded(course, LAB2, student), student
    # the damaged file: zero in every cell, with its reason and a flag
    assert any(student == "eve" for student, _ in ours)
    assert all(score == 0 for (student, _), (score, _) in ours.items() if student == "eve")
    entries = Ledger(course, LAB2).entries()
    assert "invalid JSON" in entries["eve"]["reason"] and entries["eve"]["flags"]
    assert entries["fay"]["flags"], "the edited test cell is flagged"

    # the class report: one self-contained page and its CSVs, from what was recorded
    from autograder.reports import class_report
    page = class_report.write(course, LAB2).read_text()
    assert "data:image/png;base64," in page and not re.search(r"(src|href)=[\"'](?!data:)", page)
    folder = course / "reports" / LAB2
    mistakes = list(csv.DictReader((folder / "mistakes.csv").open()))
    assert any("ben" in row["students"].split() for row in mistakes)
    assert "eve" in (folder / "unusable.csv").read_text() and "fay" in (folder / "flags.csv").read_text()
    matrix = {row["student"]: row for row in csv.DictReader((folder / "matrix.csv").open())}
    assert set(matrix) == set(students) - {"eve"} and set(get_lab(LAB2).functions) <= set(matrix["ada"])


def test_a_notebook_that_cannot_be_graded_replaces_an_earlier_score(released):
    course = released
    sample_class.write(sample_class.solved(LAB2, course), course / "submitted" / "ada" / LAB2 / f"{LAB2}.ipynb")
    grade_class(course, LAB2, jobs=1, progress=False)
    assert all(score > 0 for (_, cell), (score, _) in cell_scores(course, LAB2).items() if cell.startswith("test_"))
    resubmitted = course / "submitted" / "ada" / LAB2 / f"{LAB2}.ipynb"      # the resubmission is damaged
    resubmitted.write_text(resubmitted.read_text()[:5000])
    summary = grade_class(course, LAB2, jobs=1, progress=False)
    assert [e["status"] for e in summary["recorded"]] == ["unusable"]
    assert all(score == 0 for score, _ in cell_scores(course, LAB2).values())
    assert "invalid JSON" in summary["recorded"][0]["reason"] and summary["recorded"][0]["flags"]
    assert autograded(course, LAB2, "ada") is None         # no stale autograded notebook left for formgrader


def test_an_interrupted_run_loses_and_repeats_nothing(released):
    course = released
    students = [f"s{i}" for i in range(6)]
    for student in students:
        sample_class.write(sample_class.solved(LAB2, course), course / "submitted" / student / LAB2 / f"{LAB2}.ipynb")
    ledger = Ledger(course, LAB2).path
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ["PATH"], MPLBACKEND="Agg")
    proc = subprocess.Popen([os.path.join(BIN, "nnlabs"), "grade", LAB2, "--jobs", "1", "--no-feedback"],
                            cwd=course, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not ledger.exists() or len(ledger.read_text().splitlines()) < 2):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)                       # Ctrl-C on the terminal
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    first = [json.loads(line)["student"] for line in ledger.read_text().splitlines()]
    assert 2 <= len(first) < len(students) and "interrupted" in out
    again = nnlabs("grade", LAB2, "--no-feedback", cwd=course)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"graded now: {len(students) - len(first)}" in again.stdout
    assert f"unchanged since the last run: {len(first)}" in again.stdout
    recorded = [json.loads(line)["student"] for line in ledger.read_text().splitlines()]
    assert sorted(recorded) == students                      # each graded exactly once
    assert "grading lab2_binary_classification: " in again.stderr   # progress as plain lines when piped
    scores = {student: sum(s or 0 for (who, _), (s, _) in cell_scores(course, LAB2).items() if who == student)
              for student in students}
    assert len(set(scores.values())) == 1 and scores["s0"] > 0


def _judge_or_die(context, task):
    if task.student == "killer":
        os.kill(os.getpid(), signal.SIGKILL)
    return {"student": task.student, "ok": True, "pid": os.getpid(), "context": context}


def test_a_submission_that_kills_its_worker_is_zero_and_the_others_are_graded():
    tasks = [Submission(name, LAB2, b"", name) for name in ("a", "killer", "b", "c", "d")]
    with LocalWorkers(_judge_or_die, "ctx", jobs=2) as pool:
        results = {r["student"]: r for r in pool.run(tasks)}
    assert set(results) == {"a", "killer", "b", "c", "d"}
    assert not results["killer"]["ok"] and "SIGKILL" in results["killer"]["reason"]
    assert all(results[s]["ok"] and results[s]["context"] == "ctx" for s in "abcd")
    assert len({results[s]["pid"] for s in "abcd"}) <= 4     # long-lived workers judge many each


def test_workers_judge_many_submissions_each():
    tasks = [Submission(f"s{i}", LAB2, b"", str(i)) for i in range(12)]
    with LocalWorkers(_judge_or_die, None, jobs=2) as pool:
        pids = {r["pid"] for r in pool.run(tasks)}
    assert len(pids) == 2


def test_the_class_table_shows_student_text_without_control_characters():
    rows = [{"student": "eve\x1b[2K", "score": 43.0, "max_score": 43.0,
             "flags": ["sigmoid raised ValueError: \x1b[1A\r\x1b[2Kada 43 / 43"], "notes": []}]
    table = render_class(LAB2, rows)
    assert "\x1b" not in table and "\r" not in table and len(table.splitlines()) == 3
    assert "eve" in table and "ada 43 / 43" in table


def test_the_class_table_shows_whole_names_and_cuts_notes_between_words():
    long_note = "the cell of bce_loss raised ValueError: shapes do not align " + "and so on " * 20
    rows = [{"student": "maximilian_alexander", "score": 30.0, "max_score": 44.0, "flags": [],
             "notes": [long_note]},
            {"student": "ada", "score": 44.0, "max_score": 44.0, "flags": [], "notes": []}]
    lines = render_class(LAB2, rows).splitlines()
    assert "maximilian_alexander" in lines[2]                      # the whole name, not 12 characters
    assert lines[2].index("30 / 44") == lines[3].index("44 / 44")  # one column for the scores
    note = lines[2].split("30 / 44", 1)[1].strip()
    assert note.endswith(" …") and note[:-2] in long_note and long_note[len(note[:-2])] == " "


def test_the_same_scores_from_a_dask_cluster(released):
    distributed = pytest.importorskip("distributed")
    course = released
    for name, bugs in (("ada", ()), ("ben", ("sigmoid_sign", "bce_loss_sum")), ("cy", ("accuracy_count",))):
        nb = sample_class.with_entries(LAB2, *bugs, root=course)
        sample_class.write(nb, course / "submitted" / name / LAB2 / f"{LAB2}.ipynb")
    grade_class(course, LAB2, jobs=1, progress=False)
    local = cell_scores(course, LAB2)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        summary = grade_class(course, LAB2, scheduler=cluster.scheduler_address, force=True, progress=False)
    assert [e["status"] for e in summary["recorded"]] == ["graded"] * 3
    assert cell_scores(course, LAB2) == local
    assert len({v for (_, cell), (v, _) in local.items() if cell.startswith("test_")}) > 1


def test_a_regraded_late_submission_loses_its_new_score(released):
    """The late penalty is computed from the grades this run records, not from the ones a
    submission had before (a resubmission, a run with --force)."""
    course = released
    path = course / "submitted" / "ada" / LAB2 / f"{LAB2}.ipynb"
    sample_class.write(sample_class.solved(LAB2, course), path)
    make_late(course, LAB2, "ada")
    grade_class(course, LAB2, jobs=1, progress=False)
    first = late_penalties(course, LAB2)["ada"][0]
    bug = sample_class.catalog(LAB2).bugs()[0]
    sample_class.write(sample_class.with_entries(LAB2, bug.name, root=course), path)   # a worse resubmission
    grade_class(course, LAB2, jobs=1, progress=False)
    scores = cell_scores(course, LAB2)
    second = late_penalties(course, LAB2)["ada"][0]
    total = sum(score or 0 for (student, _), (score, _) in scores.items() if student == "ada")
    assert 0 < total < first and second == pytest.approx(total)
