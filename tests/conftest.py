"""Shared fixtures: a scratch copy of the course for nbgrader runs, and submissions."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = os.path.dirname(sys.executable)
LAB2 = "lab2_binary_classification"
# The hidden checks' inputs are seeded with the course's key (autograder/judging/course_key.py): the
# suite uses a fixed one of its own, so every machine draws the same inputs (a course's real
# key is made at random, once, in its .nnlabs folder). Inherited by every command a test runs.
os.environ.setdefault("NNLABS_COURSE_KEY_FILE", str(ROOT / "tests" / "course.key"))


def run(args, cwd=None, **kwargs) -> subprocess.CompletedProcess:
    """Run a command with this environment's bin first on PATH (nbgrader needs alembic)."""
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), MPLBACKEND="Agg")
    return subprocess.run(args, cwd=cwd or ROOT, env=env, capture_output=True, text=True, **kwargs)


def instructor_files(names) -> list:
    """Of a wheel's file names, those of the instructor side: the `solutions` package, or a
    folder or module named for the hidden checks or the mistake catalogs (a lab's id may hold
    the word: lab4_hidden_layer)."""
    return [n for n in names if n.startswith("solutions/")
            or any(part in ("hidden", "mistakes") or part.startswith(("hidden.", "mistakes."))
                   for part in n.split("/"))]


def nnlabs(*args, cwd=None):
    return run([os.path.join(BIN, "nnlabs"), *map(str, args)], cwd=cwd)


@pytest.fixture
def course(tmp_path) -> Path:
    """A fresh course directory: the config and the master notebooks, nothing generated."""
    target = tmp_path / "course"
    target.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", target)
    shutil.copytree(ROOT / "source", target / "source")
    return target


def shared_temp(tmp_path_factory) -> Path:
    """The temporary folder every xdist worker of this session sees (a worker's own is below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def fresh_set_runner():
    """benchmarks/fresh_set.py as a module (`load_set`, `submission`): its name is its set
    folder's too, so it is loaded from its path, once."""
    import importlib.util
    if "fresh_set_runner" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fresh_set_runner", ROOT / "benchmarks" / "fresh_set.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["fresh_set_runner"] = module
        spec.loader.exec_module(module)
    return sys.modules["fresh_set_runner"]


@pytest.fixture(scope="session")
def executed_master(tmp_path_factory):
    """executed_master(lab): the lab's master notebook as a real kernel ran it top to bottom,
    run once in the whole session (every test reading it gets the same outputs)."""
    import fcntl
    folder = shared_temp(tmp_path_factory) / "executed-masters"
    folder.mkdir(exist_ok=True)

    def executed(lab):
        import nbformat
        from nbclient import NotebookClient
        path = folder / f"{lab}.ipynb"
        with open(folder / f"{lab}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                nb = nbformat.read(ROOT / "source" / lab / f"{lab}.ipynb", as_version=4)
                work = folder / lab
                work.mkdir()
                NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}}).execute()
                nbformat.write(nb, str(path))
        return nbformat.read(str(path), as_version=4)
    return executed


# The longest tests (whole classes through nbgrader, fresh environments) start first, so that
# on a few cores the run does not end with one of them alone on one core. Those that mostly
# wait (a call limit waited out, pip fetching packages) alternate with those that compute, and
# the very first starts the door-agreement test's shared course, built in the background: it
# computes while the first tests wait.
FIRST = ("test_public_doors_agree[endless]",            # waits out every door's 10 s call limit
         "test_honest_code_is_never_flagged",           # starts the exploit table in the background
         "test_every_bug_is_caught_and_every_variant_passes_whatever",
         "test_the_zip_as_gradescope_runs_it",          # pip fills a fresh environment
         "test_round_trip_autograde_export_and_feedback",
         "test_the_student_wheel_in_a_fresh_environment",
         "test_a_resubmission_nbgrader_cannot_grade", "test_release_is_what_nbgrader_makes",
         "test_the_same_scores_from_a_dask_cluster", "test_every_cell_scores_as_under_plain",
         "test_broken_submissions_get_zero", "test_a_student_runs_the_lab_in_jupyterlab",
         "test_gradescope_agrees_with_nnlabs_check_hidden[endless]")


# ... and the tests that read what is built in the background from the start (see FIRST: the
# door-agreement test's shared course, the exploit table) last: by then they find it ready
# instead of waiting idle.
LAST = ("test_gradescope_agrees_with_nnlabs_check_hidden", "test_the_gradebooks_agree_with_nnlabs_check_hidden",
        "test_the_course_sees_every_submission_as_submitted", "test_every_feedback_page_is_headed_by_function",
        "test_the_class_report_of_every_lab",
        "test_every_exploit_is_held")                  # reads the exploit table graded in the background


def pytest_collection_modifyitems(items):
    def order(item):
        first = next((i for i, name in enumerate(FIRST) if item.name.startswith(name)), None)
        if first is not None:
            return (0, first)
        return (2, 0) if item.name.startswith(LAST) else (1, 0)
    items.sort(key=order)

