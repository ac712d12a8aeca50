"""One intake for every door: `nnlabs check`, `nnlabs grade` and plain `nbgrader autograde`
take a submission the same way (`autograder.notebook.intake`), whatever its file is called.

- a copied answer cell is a slip, not a zero: the notebook is judged as it runs top to bottom
  (the later copy is graded), every door says which copy counted, and nothing is flagged;
- a renamed notebook is graded, and the note names the file;
- another lab's notebook scores 0 with that reason (never a KeyError or a traceback);
- a folder with no notebook says so; of two notebooks of the lab, the newer is graded.

One course, one `nnlabs grade` run and one `nbgrader autograde` run for all the cases.
"""
import copy
import json
import os
import shutil
import sys
from pathlib import Path

from autograder.labs import get_lab
from autograder.notebook import intake
from solutions import sample_class

from conftest import LAB2, nnlabs, run

LAB1 = "lab1_linear_regression"
RENAMED = f"{LAB2} (1).ipynb"
OTHER_LAB = f"this is the notebook of {LAB1}, not {LAB2}"


def grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def copied_answer(root):
    """The solved notebook with the answer cell of bce_loss copied below its test cell, the
    copy then edited (a bug): the student's kernel runs the copy last. Returns the notebook
    and the numbers (from 1) of the two copies."""
    nb = sample_class.solved(LAB2, root)
    cells = nb["cells"]
    first = next(i for i, c in enumerate(cells) if grade_id(c) == "bce_loss")
    test = next(i for i, c in enumerate(cells) if grade_id(c) == "test_bce_loss")
    pasted = copy.deepcopy(cells[first])
    entry = next(e for e in sample_class.catalog(LAB2).entries if e.name == "bce_loss_sum")
    pasted["source"] = entry.source()
    cells.insert(test + 1, pasted)
    return nb, first + 1, test + 2


def cell_scores(course) -> dict:
    """{student: {test cell: (auto score, needs manual grade)}} from nbgrader's gradebook."""
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnlabs") as gb:
        for submission in gb.assignment_submissions(LAB2):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    out.setdefault(submission.student.id, {})[grade.name] = (grade.auto_score,
                                                                             grade.needs_manual_grade)
    return out


def check_points(report) -> dict:
    """{test cell: score} as nbgrader records it, from `nnlabs check --json`."""
    lab = get_lab(report["lab"])
    out = {}
    for function in lab.functions:
        checks = [c for c in report["checks"] if c["function"] == function]
        got, total = sum(c["points"] for c in checks), sum(c["max_points"] for c in checks)
        out[f"test_{function}"] = round(lab.cell_points(function) * got / total, 4)
    return out


def auto_points(scores: dict) -> dict:
    return {cell: round(score, 4) for cell, (score, _) in scores.items() if cell.startswith("test_")}


def test_every_door_takes_a_submission_the_same_way(tmp_path):
    course = tmp_path / "course"
    course.mkdir()
    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "nbgrader_config.py", course)
    shutil.copytree(root / "source", course / "source")
    result = run([sys.executable, "-m", "nbgrader", "generate_assignment", LAB2, "--force"], cwd=course)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    submitted = course / "submitted"
    folder = {s: submitted / s / LAB2 for s in ("copy", "renamed", "lab1", "lab1named", "empty", "two", "cut")}

    nb, first, second = copied_answer(course)
    sample_class.write(nb, folder["copy"] / f"{LAB2}.ipynb")
    sample_class.write(sample_class.with_entries(LAB2, "accuracy_count", root=course), folder["renamed"] / RENAMED)
    sample_class.write(sample_class.solved(LAB1), folder["lab1"] / f"{LAB2}.ipynb")
    sample_class.write(sample_class.solved(LAB1), folder["lab1named"] / f"{LAB1}.ipynb")
    folder["empty"].mkdir(parents=True)
    (folder["empty"] / "answers.py").write_text("def sigmoid(z):\n    return z\n")   # not a notebook
    older = sample_class.write(sample_class.with_entries(LAB2, "sigmoid_sign", root=course),
                               folder["two"] / f"{LAB2}.ipynb")
    newer = sample_class.write(sample_class.solved(LAB2, course), folder["two"] / "my work.ipynb")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_700_000_600, 1_700_000_600))
    cut = sample_class.solved(LAB2, course)      # an answer cell and its test cell deleted
    cut["cells"] = [c for c in cut["cells"] if grade_id(c) not in ("sigmoid", "test_sigmoid")]
    sample_class.write(cut, folder["cut"] / f"{LAB2}.ipynb")
    originals = {path: path.read_bytes() for path in submitted.rglob("*") if path.is_file()}
    total = sum(get_lab(LAB2).cell_points(f) for f in get_lab(LAB2).functions)
    copy_note = (f"the answer cell of bce_loss appears twice (cells {first} and {second}): "
                 f"the later one, cell {second}, was graded")

    # -- nnlabs check --hidden --json: files and folders, any name
    checked = {}
    for name, path in (("copy", folder["copy"] / f"{LAB2}.ipynb"), ("renamed", folder["renamed"] / RENAMED),
                       ("lab1", folder["lab1"] / f"{LAB2}.ipynb"), ("two", folder["two"]),
                       ("empty", folder["empty"]), ("cut", folder["cut"] / f"{LAB2}.ipynb")):
        result = nnlabs("check", path, "--hidden", "--json")
        checked[name] = (result.returncode, json.loads(result.stdout), result.stderr)
    code, report, _ = checked["copy"]
    assert code == 1 and report["lab"] == LAB2 and copy_note in report["notes"], report.get("notes")
    assert report.get("flags", []) == [], report["flags"]          # a slip, not an attempt
    assert checked["renamed"][1]["lab"] == LAB2
    assert checked["lab1"][1]["lab"] == LAB1                      # nnlabs check names the lab it is
    assert checked["two"][1]["lab"] == LAB2
    assert any("my work.ipynb" in n for n in checked["two"][1]["notes"]), checked["two"][1]
    code, report, err = checked["empty"]
    assert code == 2 and "no notebook was submitted" in report["error"], (report, err)

    # -- nnlabs grade
    result = nnlabs("grade", LAB2, cwd=course)
    assert result.returncode == 0, result.stdout + result.stderr
    from autograder.grading import Ledger
    ledger = Ledger(course, LAB2).entries()
    ours = cell_scores(course)

    # -- plain nbgrader autograde, through the course's configuration
    result = run([sys.executable, "-m", "nbgrader", "autograde", LAB2, "--force"], cwd=course)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert "Traceback" not in log and "KeyError" not in log, log[-4000:]
    plain = cell_scores(course)

    def autograded(student) -> dict:
        path = course / "autograded" / student / LAB2 / f"{LAB2}.ipynb"
        return json.loads(path.read_text())["metadata"]["nnlabs"]

    # 1. a copied answer cell: the later copy is graded, the same points everywhere, told, not flagged
    assert auto_points(ours["copy"]) == auto_points(plain["copy"]) == check_points(checked["copy"][1])
    assert 0 < ours["copy"]["test_bce_loss"][0] < get_lab(LAB2).cell_points("bce_loss")
    assert ours["copy"]["test_sigmoid"][0] == get_lab(LAB2).cell_points("sigmoid")
    assert copy_note in ledger["copy"]["notes"] and copy_note in autograded("copy")["notes"]
    assert ledger["copy"]["flags"] == [] and autograded("copy").get("flags", []) == []

    # 2. a renamed notebook is graded, and the note names it
    assert auto_points(ours["renamed"]) == auto_points(plain["renamed"]) == check_points(checked["renamed"][1])
    assert 0 < sum(auto_points(ours["renamed"]).values()) < total
    assert any(RENAMED in n for n in ledger["renamed"]["notes"]), ledger["renamed"]["notes"]
    assert any(RENAMED in n for n in autograded("renamed")["notes"]), autograded("renamed")["notes"]

    # 3. another lab's notebook, whatever its name: 0 with that reason, never a KeyError
    for student in ("lab1", "lab1named"):
        assert not any(auto_points(ours[student]).values()) and not any(auto_points(plain[student]).values())
        assert OTHER_LAB in ledger[student]["reason"], ledger[student]
        assert any(OTHER_LAB in n for n in autograded(student)["notes"]), autograded(student)
        page = (course / "feedback" / student / LAB2 / f"{LAB2}.html").read_text()
        assert OTHER_LAB in page and "opens and runs" not in page

    # 4. no notebook: said plainly (plain nbgrader does not look at a folder without a notebook)
    assert "no notebook was submitted" in ledger["empty"]["reason"], ledger["empty"]
    assert not any(auto_points(ours["empty"]).values())
    page = (course / "feedback" / "empty" / LAB2 / f"{LAB2}.html").read_text()
    assert "no notebook was submitted" in page and "opens and runs" not in page

    # 5. two notebooks of the lab: the newer is graded, the note says so
    assert auto_points(ours["two"]) == auto_points(plain["two"]) == check_points(checked["two"][1])
    assert sum(auto_points(ours["two"]).values()) == total
    for notes in (ledger["two"]["notes"], autograded("two")["notes"]):
        assert any("my work.ipynb" in n and f"{LAB2}.ipynb" in n and "newer" in n for n in notes), notes

    # 6. an answer cell deleted with its test cell: nbgrader puts the test cell back, never a KeyError
    assert auto_points(ours["cut"]) == auto_points(plain["cut"]) == check_points(checked["cut"][1])
    assert ours["cut"]["test_sigmoid"][0] == 0 and sum(auto_points(ours["cut"]).values()) > 0

    # every door saw the same files: what nbgrader's hook added is seen through, and nothing
    # of a student's is lost (a <lab>.ipynb that is not the notebook graded is kept beside it)
    for path, data in originals.items():
        kept = path.with_name(path.name + ".original")
        assert path.read_bytes() == data or kept.read_bytes() == data, path
    assert (folder["two"] / f"{LAB2}.ipynb").read_bytes() == originals[newer]
    assert (folder["renamed"] / f"{LAB2}.ipynb").read_bytes() == originals[folder["renamed"] / RENAMED]
    for student, name in (("renamed", RENAMED), ("two", "my work.ipynb")):
        taken = intake(folder[student], LAB2)          # after nbgrader's hook: as nnlabs grade saw it
        assert taken.name == name and taken.notes and set(taken.notes) <= set(ledger[student]["notes"]), student
    taken = intake(folder["lab1named"], LAB2)
    assert taken.name == f"{LAB1}.ipynb" and taken.reason == ledger["lab1named"]["reason"]


def test_nbgrader_globs_then_calls_the_hook_with_the_list_it_grades(tmp_path):
    """What `nbgrader_judge.expected_name` relies on, in nbgrader's converters (base.py,
    autograde.py): a submission folder's ``*.ipynb`` are globbed whatever their names, then
    the pre-convert hook is called with the converter's own list, before the notebooks the
    gradebook knows are picked from that list (`init_assignment`) and converted. If nbgrader
    changes any of it, this fails (and plain `nbgrader autograde` would skip renamed notebooks)."""
    import inspect

    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    folder = tmp_path / "submitted" / "ann" / LAB2
    folder.mkdir(parents=True)
    (folder / RENAMED).write_text("{}")
    (tmp_path / "submitted" / "bob" / LAB2).mkdir(parents=True)       # no notebook: never reaches the hook
    expected = os.path.join(str(folder), f"{LAB2}.ipynb")
    seen = {}

    def hook(assignment, student, notebooks):
        seen.setdefault("hook", []).append(list(notebooks))
        notebooks.append(expected)

    class Probe(Autograde):
        def init_destination(self, assignment_id, student_id):
            return True

        def init_assignment(self, assignment_id, student_id):
            seen["init_assignment"] = list(self.notebooks)

        def convert_single_notebook(self, notebook_filename):
            seen.setdefault("converted", []).append(notebook_filename)

        def set_permissions(self, assignment_id, student_id):
            pass

    coursedir = CourseDirectory(root=str(tmp_path))
    coursedir.assignment_id = LAB2
    probe = Probe(coursedir=coursedir, pre_convert_hook=hook)
    probe.init_notebooks()
    probe.convert_notebooks()
    assert seen["hook"] == [[os.path.join(str(folder), RENAMED)]]
    assert seen["init_assignment"] == seen["converted"] == [os.path.join(str(folder), RENAMED), expected]
    # the real init_assignment picks the known notebooks from that same list, then converts them
    source = inspect.getsource(Autograde.init_assignment)
    assert "for notebook in self.notebooks:" in source and "self.notebooks = notebooks" in source


def notebook_of(lab, path, mtime=None, **overrides):
    path = sample_class.write(sample_class.solved(lab, **overrides), path)
    if mtime:
        os.utime(path, (mtime, mtime))
    return path


def test_the_intake_of_a_folder(tmp_path):
    """Any file name; files that are not notebooks, hidden folders and links ignored; the
    notebook of the lab taken over another lab's or a damaged one, each named in a note."""
    from autograder.grading.judging import judge_file

    folder = tmp_path / "upload"
    notebook_of(LAB2, folder / "work" / "mine.ipynb", 1_700_000_000)
    notebook_of(LAB1, folder / "lab1.ipynb", 1_700_000_900)                    # newer, but another lab's
    (folder / "broken.ipynb").write_text('{"cells": [')
    notebook_of(LAB2, folder / ".ipynb_checkpoints" / "mine-checkpoint.ipynb", 1_800_000_000)
    (folder / "notes.txt").write_text("hello")
    (folder / "link.ipynb").symlink_to(tmp_path / "elsewhere.ipynb")
    notebook_of(LAB2, tmp_path / "elsewhere.ipynb", 1_900_000_000)
    taken = intake(folder, LAB2)
    assert taken.usable and taken.name == "work/mine.ipynb" and taken.lab == LAB2
    assert taken.notes[0].startswith("the notebook graded is 'work/mine.ipynb'")
    assert taken.notes[1].startswith("'broken.ipynb' was not graded: broken.ipynb is not a Jupyter notebook: "
                                     "invalid JSON")
    assert taken.notes[2].startswith(f"'lab1.ipynb' was not graded: {OTHER_LAB}") and len(taken.notes) == 3
    (folder / "work" / "mine.ipynb").unlink()
    taken = intake(folder, LAB2)
    assert not taken.usable and taken.reason.startswith("none of the 2 notebooks submitted can be graded: ")
    assert OTHER_LAB in taken.reason and "invalid JSON" in taken.reason
    assert intake(folder / "lab1.ipynb").lab == LAB1 and intake(folder / "lab1.ipynb").usable   # for itself
    report = judge_file(folder, LAB2)                      # Gradescope's door: zero, with the reason
    assert report.score == 0 and report.notes == [taken.reason]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert intake(empty, LAB2).reason.startswith("no notebook was submitted (the folder is empty)")


def test_copied_cells_are_told_not_flagged():
    """The notebook runs top to bottom: of three copies, the last that defines the function
    is graded; a copied test cell is no flag, an edited copy is."""
    from autograder import integrity
    from autograder.labs import load_lab
    from autograder.notebook import answer_cells, take_in

    nb = sample_class.solved(LAB2)
    cells = nb["cells"]
    at = next(i for i, c in enumerate(cells) if grade_id(c) == "accuracy")
    test = next(i for i, c in enumerate(cells) if grade_id(c) == "test_accuracy")
    empty_copy = dict(copy.deepcopy(cells[at]), source="# nothing here yet\n")
    cells[test + 1:test + 1] = [copy.deepcopy(cells[at]), empty_copy, copy.deepcopy(cells[test])]
    taken = take_in(json.dumps(nb).encode(), "x.ipynb", LAB2)
    numbers = (at + 1, test + 2, test + 3)
    assert taken.usable and taken.notes == [
        f"the answer cell of accuracy appears 3 times (cells {numbers[0]}, {numbers[1]} and {numbers[2]}): "
        f"the last one that defines accuracy, cell {numbers[1]}, was graded"]
    lab = load_lab(LAB2)
    run, notes = answer_cells(taken.nb, lab)
    ids = [c["id"] for c in run if "accuracy" in c["id"]]
    assert ids == [f"copy-{numbers[0]}-of-accuracy", f"copy-{numbers[1]}-of-accuracy", "accuracy"]
    assert notes == taken.notes
    assert integrity.test_cell_changes(integrity.record_test_cells(taken.nb), lab) == []
    cells[test + 3]["source"] = "pass"
    flags = integrity.test_cell_changes(integrity.record_test_cells(nb), lab)
    assert [f.code for f in flags] == ["test_cell_changed"] and "test_accuracy was edited" in flags[0].message


def test_nbgraders_name_for_a_renamed_notebook_is_seen_through(tmp_path):
    """`expected_name` (plain nbgrader's hook) copies the notebook taken to <lab>.ipynb and
    keeps a <lab>.ipynb of the student's that is not it; the intake still sees the folder as
    submitted, and doing it again changes nothing."""
    from autograder.nbgrader_judge import expected_name

    folder = tmp_path / "submitted" / "ann" / LAB2
    older = notebook_of(LAB2, folder / f"{LAB2}.ipynb", 1_700_000_000, sigmoid="def sigmoid(z):\n    return z\n")
    newer = notebook_of(LAB2, folder / "final.ipynb", 1_700_000_100)
    before = intake(folder, LAB2)
    listed = [str(older), str(newer)]
    for _ in range(2):
        expected_name(intake(folder, LAB2), LAB2, listed)
        after = intake(folder, LAB2)
        assert (after.name, after.notes, after.data) == (before.name, before.notes, before.data) == \
            ("final.ipynb", before.notes, newer.read_bytes())
        assert older.read_bytes() == newer.read_bytes() and listed == [str(older), str(newer)]
        kept = sorted(p.name for p in folder.iterdir())
        assert kept == [".nnlabs-intake.json", "final.ipynb", f"{LAB2}.ipynb", f"{LAB2}.ipynb.original"], kept
    newer.unlink()                                   # the student's own file is the one left
    expected_name(intake(folder, LAB2), LAB2, listed)
    assert intake(folder, LAB2).name == f"{LAB2}.ipynb" and "return z" in older.read_text()
