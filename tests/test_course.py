"""The course with real nbgrader and real kernels: release, round trip, feedback."""
import csv
import shutil
import json
import re
import subprocess
import sys
import zipfile

import pytest

from autograder.judging import course_key
from autograder.labs import LAB_IDS, get_lab
from solutions import public_data, sample_class

import door_corpus
from conftest import LAB2, ROOT, instructor_files, run

NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb")) + sorted((ROOT / "release").glob("*/*.ipynb"))
LEAK = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|hidden=True|import solutions|from solutions")


def nbgrader(course, *args):
    result = run([sys.executable, "-m", "nbgrader", *args], cwd=course)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


def release(course, labs):
    """nbgrader generate_assignment of the labs, through nbgrader's API in one process of its
    own (door_corpus.release: one start of nbgrader, where the command line starts it per lab)."""
    made = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; import door_corpus; "
                           "door_corpus.release(Path(sys.argv[1]), sys.argv[2:])", str(course), *labs],
                          cwd=ROOT / "tests", env=dict(door_corpus.environment(), PYTHONPATH=str(ROOT)),
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-2000:]


def solution_lines(lab):
    """Lines of the reference answers that the master notebook shows nowhere else (the
    story and docstrings may state a formula; the answers' code must not leak)."""
    master = (ROOT / "source" / lab / f"{lab}.ipynb").read_text()
    regions = sample_class.answer_regions(lab)
    public = json.loads(master)
    public_text = "".join("".join(c["source"]) for c in public["cells"])
    for region in regions:
        public_text = public_text.replace(region, "")
    lines = set()
    for region in regions:
        for line in region.splitlines():
            line = line.strip()
            if len(line) > 12 and not line.startswith("#") and line not in public_text:
                lines.add(line)
    return lines


def scores(course, lab):
    """{student: raw score} of one assignment in nbgrader's exported grades.csv."""
    rows = csv.DictReader((course / "grades.csv").open())
    return {r["student_id"]: float(r["raw_score"]) for r in rows if r["assignment"] == lab}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_in_git_carry_no_outputs(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("lab", LAB_IDS)
def test_source_cells_follow_the_contract(lab):
    nb = json.loads((ROOT / "source" / lab / f"{lab}.ipynb").read_text())
    for cell in nb["cells"]:
        cell["source"] = "".join(cell["source"])
    meta = [c["metadata"].get("nbgrader", {}) for c in nb["cells"]]
    ids = [m["grade_id"] for m in meta if m]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    for cell, m in zip(nb["cells"], meta):
        if cell["cell_type"] == "code":
            assert m, f"code cell without nbgrader metadata: {cell['source'][:60]}"
    by_id = {m.get("grade_id"): (c, m) for c, m in zip(nb["cells"], meta) if m}
    graded = get_lab(lab)
    for function in graded.functions:
        cell, m = by_id[function]
        assert m["solution"] and cell["source"].count("def ") >= 1
        test, tm = by_id[f"test_{function}"]
        assert tm["grade"] and tm["locked"] and tm["points"] == graded.points(function)
        assert f"check({function})" in test["source"]
    assert any(m.get("grade") and m.get("solution") and c["cell_type"] == "markdown"
               for c, m in zip(nb["cells"], meta)), "a written question graded by hand"


def test_public_data_matches_the_reference():
    assert public_data.main(["--check"]) == 0


def test_stale_public_data_is_told_from_another_builds_rounding():
    stored = '{"a": [9.165280077649644, NaN, 2, "x"]}'
    assert public_data.same_data(stored, '{"a": [9.16528007764964, NaN, 2, "x"]}')      # last digits
    assert not public_data.same_data(stored, '{"a": [9.16528, NaN, 2, "x"]}')      # a changed value
    assert not public_data.same_data(stored, '{"a": [9.165280077649644, 1.0, 2, "x"]}')
    assert not public_data.same_data(stored, '{"a": [9.165280077649644, NaN, 3, "x"]}')
    assert not public_data.same_data(stored, '{"a": [9.165280077649644, NaN, 2]}')
    assert not public_data.same_data(stored, '{"b": [9.165280077649644, NaN, 2, "x"]}')


def test_release_is_what_nbgrader_makes_and_leaks_nothing(course, monkeypatch):
    monkeypatch.delenv(course_key.ENV_FILE)          # the course's own key, not the suite's
    key = course_key.load(course)          # made before the release, as `nnlabs release` makes it
    release(course, LAB_IDS)
    for lab in LAB_IDS:
        made = json.loads((course / "release" / lab / f"{lab}.ipynb").read_text())
        committed_path = ROOT / "release" / lab / f"{lab}.ipynb"
        committed = json.loads(committed_path.read_text())
        assert made == committed, f"release/{lab} is stale: run `make release`"
        text = committed_path.read_text()
        assert not LEAK.search(text)
        leaked = [line for line in solution_lines(lab) if line in text]
        assert not leaked, leaked
    released = {p.relative_to(ROOT / "release") for p in (ROOT / "release").rglob("*") if p.is_file()}
    assert all(p.suffix == ".ipynb" or p.name.startswith("nnlabs-") and p.suffix == ".whl"
               for p in released), released                      # the wheel: built by nnlabs release
    tracked = run(["git", "ls-files", "release"]).stdout.split()
    assert tracked and all(name.endswith(".ipynb") for name in tracked), tracked
    # the key that seeds the hidden checks' inputs stays with the instructor
    assert (course / ".nnlabs" / "course.key").stat().st_mode & 0o077 == 0
    released_text = "".join(p.read_text(errors="replace") for p in (course / "release").rglob("*") if p.is_file())
    assert key.hex() not in released_text
    assert run(["git", "check-ignore", ".nnlabs/course.key"]).returncode == 0


@pytest.mark.parametrize("lab", [LAB2])     # every lab's feedback: test_door_agreement.py
def test_round_trip_autograde_export_and_feedback(course, lab):
    # lab 1 released too, nothing handed in for it: grades.csv must hold no rows of zeros for it
    release(course, [lab, "lab1_linear_regression"] if lab == LAB2 else [lab])
    total = sum(get_lab(lab).points(f) for f in get_lab(lab).functions)
    sample_class.write(sample_class.solved(lab, course), course / "submitted" / "alice" / lab / f"{lab}.ipynb")
    sample_class.write(sample_class.submission(lab, {}, course), course / "submitted" / "bob" / lab / f"{lab}.ipynb")
    nbgrader(course, "autograde", lab, "--force")
    nbgrader(course, "export", "--to", "grades.csv")
    assert {r["assignment"] for r in csv.DictReader((course / "grades.csv").open())} == {lab}
    rows = scores(course, lab)
    assert rows["alice"] == total           # written answers: graded by hand later
    assert rows["bob"] == 0
    made = nbgrader(course, "generate_feedback", lab, "--force")
    assert "not recognized" not in made.stdout + made.stderr        # no warning per step per student
    for student in ("alice", "bob"):
        html = (course / "feedback" / student / lab / f"{lab}.html").read_text()
        assert "checks passed" in html
        # each test cell headed by its function; words wrap whole
        assert all(f"Checks of <code>{f}</code>" in html for f in get_lab(lab).functions)
        assert "overflow-wrap: anywhere" not in html
        assert not LEAK.search(html)
        # a table per function with ✓ / ✗, no prompts, lines that wrap
        assert html.count('class="nnlabs-checks"') == len(get_lab(lab).functions)
        assert ("✓" if student == "alice" else "✗") in html
        assert "In&nbsp;[" not in html and "Out[" not in html and "white-space: pre-wrap" in html
        assert not [line for line in solution_lines(lab) if line in html and student == "bob"]


@pytest.mark.parametrize("lab", LAB_IDS)
def test_the_self_check_under_each_function_runs_in_a_real_kernel(executed_master, lab):
    """Execute the master notebook in a kernel: every check cell shows its tables (public,
    then hidden checks), all pass, nothing is written to stderr; the demos and plots run."""
    nb = executed_master(lab)
    checked = 0
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("test_"):
            shown = [o for o in cell.outputs if o.output_type == "display_data"]
            assert len(shown) == 2, grade_id                 # public, then hidden checks
            for output in shown:
                assert "<table>" in output.data["text/html"] and "✗" not in output.data["text/plain"]
            assert not any(o.output_type in ("error", "execute_result") or o.get("name") == "stderr"
                           for o in cell.outputs)
            checked += 1
    assert checked == len(get_lab(lab).functions)


def test_the_wheel_leaves_out_solutions_and_hidden_checks(tmp_path):
    from autograder.course import student_wheel
    (ROOT / "build" / "lib" / "autograder" / "labs").mkdir(parents=True, exist_ok=True)
    stale = ROOT / "build" / "lib" / "autograder" / "labs" / "stale_module.py"   # a build folder left behind
    stale.write_text("LEFT = 'by an earlier build'\n")
    try:
        wheel = student_wheel(tmp_path)
    finally:
        shutil.rmtree(ROOT / "build", ignore_errors=True)
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("autograder/labs/data/") for n in names)
    assert not [n for n in names if "stale_module" in n]
    assert not instructor_files(names)
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/entry_points.txt")))
    assert b"[pytest11]" in entry_points and b"nnlabs.instructor" not in entry_points and b"solutions" not in entry_points
    body = b"".join(zipfile.ZipFile(wheel).read(n) for n in names)
    assert b"BEGIN SOLUTION" not in body and b"def train_logistic_regression" not in body
    assert course_key.load(ROOT).hex().encode() not in body and not [n for n in names if n.endswith(".key")]
    # a student's install: only the wheel's packages, no route to the course
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    student = tmp_path / "student"
    student.mkdir()
    notebook = sample_class.write(sample_class.solved(LAB2), student / f"{LAB2}.ipynb")
    program = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]; "
               f"sys.path.insert(0, {str(unpacked)!r}); from autograder.cli import main; sys.exit(main(sys.argv[1:]))")
    public = run([sys.executable, "-I", "-c", program, "check", str(notebook)], cwd=student)
    assert public.returncode == 0 and "points from the public checks" in public.stdout, public.stdout + public.stderr
    hidden = run([sys.executable, "-I", "-c", program, "check", str(notebook), "--hidden"], cwd=student)
    assert hidden.returncode == 2 and "instructor install" in hidden.stderr
