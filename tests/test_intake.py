"""One intake for every door: `nnlabs check`, `nnlabs grade` and plain `nbgrader autograde`
take a submission the same way (`autograder.notebook.intake`), whatever its file is called.

- a copied answer cell is a slip, not a zero: the notebook is judged as it runs top to bottom
  (the later copy is graded), every door says which copy counted, and nothing is flagged;
- a renamed notebook is graded, and the note names the file;
- another lab's notebook scores 0 with that reason (never a KeyError or a traceback);
- a folder with no notebook says so; of two notebooks of the lab, the newer is graded.

Every door over these cases (and more): tests/test_door_agreement.py.
"""
import copy
import json
import os

from autograder.notebook import intake
from solutions import sample_class

from conftest import LAB2

LAB1 = "lab1_linear_regression"
RENAMED = f"{LAB2} (1).ipynb"
OTHER_LAB = f"this is the notebook of {LAB1}, not {LAB2}"


def grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


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
    from autograder.judging import integrity
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
    from autograder.nbgrader.autograde import expected_name

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
