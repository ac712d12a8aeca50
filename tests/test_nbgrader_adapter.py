"""The nbgrader adapter leans on nbgrader's public configuration and documented hooks; the
one module that re-runs nbgrader's step bodies on a held gradebook pins their source."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_nbgrader_methods_the_held_steps_copy_are_the_ones_they_were_written_from():
    from autograder.nbgrader.held import pinned_changes
    assert pinned_changes() == [], ("nbgrader changed these methods: read them again, update the held "
                                    "steps in autograder/nbgrader/held.py, then their pins")


def test_a_changed_nbgrader_method_is_caught(monkeypatch):
    from nbgrader.preprocessors import SaveAutoGrades

    from autograder.nbgrader import held as steps

    def preprocess(self, nb, resources):      # what a new nbgrader release might do
        return nb, resources
    monkeypatch.setattr(SaveAutoGrades, "preprocess", preprocess)
    assert steps.pinned_changes() == ["nbgrader.preprocessors.saveautogrades:SaveAutoGrades.preprocess"]


def test_the_package_reads_no_caller_frames_and_words_causes_in_one_place():
    found = subprocess.run(["grep", "-rn", "--include=*.py", r"_getframe\|Likely cause", str(ROOT / "autograder")],
                           capture_output=True, text=True).stdout.splitlines()
    assert [line.split(":")[0] for line in found] == [str(ROOT / "autograder" / "judging" / "result.py")], found
    assert len(found) == 1, found


def test_the_hooks_find_the_course_of_the_running_nbgrader_app(tmp_path, monkeypatch):
    from nbgrader.apps import AutogradeApp
    from traitlets.config import Application

    from autograder.nbgrader import autograde
    monkeypatch.chdir(tmp_path)
    assert Path(autograde._coursedir().root) == tmp_path          # no app: nbgrader's default
    app = AutogradeApp.instance()
    try:
        (tmp_path / "course").mkdir()
        app.initialize([f"--CourseDirectory.root={tmp_path / 'course'}"])
        assert Application.instance() is app
        assert Path(autograde._coursedir().root) == tmp_path / "course"
    finally:
        AutogradeApp.clear_instance()
