"""A student's install, for real: the wheel `nnlabs release` puts beside each lab, in a
fresh virtual environment (no system site-packages, dependencies from the package
registry), then the check cells in a real kernel (lab 2), `nnlabs check` and `pytest` on the
lab folders. No flag for the untouched release nor for an honest partly-wrong notebook."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from autograder.course import student_wheel
from autograder.labs import LAB_IDS, get_lab
from solutions import sample_class

from conftest import ROOT, instructor_files

EXECUTE = r"""
import json, sys
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
               resources={"metadata": {"path": sys.argv[2]}}).execute()
cells = {}
for cell in nb.cells:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
    if grade_id.startswith("test_"):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        html = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
        stderr = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        cells[grade_id[5:]] = {"error": [line for e in errors for line in e.traceback],
                               "table": "<table>" in html, "stderr": bool(stderr)}
print(json.dumps(cells))
"""


def honest_mistakes(lab):
    """Two plausible bugs in two functions that nothing else of the lab calls."""
    graded = get_lab(lab)
    called = {name for f in graded.functions.values() for name in f.calls}
    chosen = {}
    for entry in sample_class.catalog(lab).bugs():
        if not entry.named_by_check and entry.function not in called and entry.function not in chosen:
            chosen[entry.function] = entry.name
    return dict(list(chosen.items())[:2])


def test_the_student_wheel_in_a_fresh_environment(tmp_path, request):
    started = time.monotonic()
    wheel = student_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert not instructor_files(names)
    # only what a student runs: no nbgrader steps, class grading, class report, course commands
    # or Gradescope builder (the instructor install's)
    instructor = ("autograder/nbgrader/", "autograder/grading/", "autograder/reports/", "autograder/course.py",
                  "autograder/faces/gradescope.py")
    assert not [n for n in names if n.startswith(instructor)], names
    assert {"autograder/sandbox/jail.py", "autograder/judging/judge.py", "autograder/faces/check_cell.py",
            "autograder/faces/pytest_plugin.py", "autograder/labs/data/lab2_binary_classification.json"} <= set(names)
    top_level = next(n for n in names if n.endswith("top_level.txt"))
    assert zipfile.ZipFile(wheel).read(top_level).decode().split() == ["autograder"]
    body = b"".join(zipfile.ZipFile(wheel).read(n) for n in names)
    assert b"BEGIN SOLUTION" not in body and b"def train_logistic_regression" not in body

    # Readable by every user, as an installed Python is: the student process runs as an
    # unprivileged user and imports parts of numpy lazily (pytest's tmp_path is private).
    venv = Path(tempfile.mkdtemp(prefix="nnlabs-student-venv-", dir="/var/tmp"))
    os.chmod(venv, 0o755)
    request.addfinalizer(lambda: shutil.rmtree(venv, ignore_errors=True))
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=str(venv / "bin") + os.pathsep + "/usr/bin:/bin", MPLBACKEND="Agg")
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-compile", str(wheel),
                              "ipykernel", "nbclient"],
                             env=env, capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-3000:]
    installed = time.monotonic()

    def student(*args, cwd):
        return subprocess.run([*args], cwd=cwd, env=env, capture_output=True, text=True)

    hidden = student(python, "-c", "import autograder.labs as l; print(l.instructor_material('lab1_linear_regression'))",
                     cwd=tmp_path)
    assert hidden.stdout.strip() == "None", hidden.stdout + hidden.stderr
    grade = student(str(venv / "bin" / "nnlabs"), "grade", "lab1_linear_regression", cwd=tmp_path)
    assert grade.returncode != 0 and "an instructor command" in grade.stderr and "Traceback" not in grade.stderr, \
        grade.stderr
    for lab in LAB_IDS:
        untouched = tmp_path / lab / "untouched"
        untouched.mkdir(parents=True)
        (untouched / f"{lab}.ipynb").write_text((ROOT / "release" / lab / f"{lab}.ipynb").read_text())
        mistakes = honest_mistakes(lab)
        mine = sample_class.write(sample_class.with_entries(lab, *mistakes.values()),
                                  tmp_path / lab / "mine" / "my notebook.ipynb")
        for notebook in (untouched / f"{lab}.ipynb", mine):
            result = student(str(venv / "bin" / "nnlabs"), "check", str(notebook), "--json", cwd=notebook.parent)
            report = json.loads(result.stdout)
            assert result.returncode == 1 and report["lab"] == lab, result.stderr
            assert report.get("flags", []) == [], (lab, notebook.name, report["flags"])
        checks = json.loads(student(str(venv / "bin" / "nnlabs"), "check", str(mine), "--json",
                                    cwd=mine.parent).stdout)["checks"]
        failing = {c["function"] for c in checks if not c["passed"]}
        assert failing == set(mistakes), (lab, mistakes, [(c["id"], c["message"]) for c in checks
                                                           if not c["passed"] and c["function"] not in mistakes])
        tests = student(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(mine.parent), cwd=tmp_path)
        assert tests.returncode == 1 and " failed, " in tests.stdout and " passed" in tests.stdout, tests.stdout[-2000:]
        if lab != "lab2_binary_classification":      # one lab in a kernel keeps the test short
            continue
        cells = json.loads(student(python, "-c", EXECUTE, str(mine), str(mine.parent), cwd=mine.parent).stdout)
        assert set(cells) == set(get_lab(lab).functions)
        for function, cell in cells.items():
            assert cell["table"] and not cell["stderr"], (lab, function, cell)
            if function in mistakes:
                assert len(cell["error"]) == 1 and "public checks failed" in cell["error"][0], (lab, function, cell)
            else:
                assert cell["error"] == [], (lab, function, cell)
    print(f"\nfresh environment: install {installed - started:.0f} s, three labs checked "
          f"{time.monotonic() - installed:.0f} s")
