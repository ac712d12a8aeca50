"""The Gradescope autograder, run as Gradescope runs it: the built zip unpacked into a
temporary root's source/, its setup.sh run as written (a fresh virtual environment made from
the system's python3 and filled by pip from the package registry, nothing of the development
environment), then its run_autograder once per submission, and results.json checked field by
field against Gradescope's documented format and check by check against `nnlabs check --hidden`
on the same file."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder.faces.gradescope import build
from autograder.labs import load_lab
from solutions import sample_class

from conftest import LAB2, ROOT, nnlabs
from door_corpus import unzip

# Gradescope's autograder specification: the fields results.json may have, and their types.
TOP = {"score": (int, float), "execution_time": int, "output": str, "output_format": str,
       "test_output_format": str, "test_name_format": str, "visibility": str, "stdout_visibility": str,
       "extra_data": dict, "tests": list, "leaderboard": list}
TEST = {"score": (int, float), "max_score": (int, float), "status": str, "name": str, "name_format": str,
        "number": str, "output": str, "output_format": str, "tags": list, "visibility": str, "extra_data": dict}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
LAB1 = "lab1_linear_regression"


def _scratch():
    """Where the temporary image goes: its 400 MB (numpy, scipy, scikit-learn, matplotlib)
    in memory where a tmpfs allows programs (on a disk mounted with `discard`, deleting it
    alone took 30 s), else the usual temporary folder."""
    try:
        flags = os.statvfs("/dev/shm").f_flag
    except OSError:
        return None
    return "/dev/shm" if not flags & (os.ST_NOEXEC | os.ST_RDONLY) and os.access("/dev/shm", os.W_OK) else None


SCRATCH = _scratch()


def gradescope_env(root: Path) -> dict:
    """What Gradescope's harness gives the scripts: none of this environment's Python, its
    virtual environment or its nnlabs settings (the course key among them: the zip's own
    key must be the one used), only the root standing in for /autograder."""
    here = os.path.realpath(os.path.dirname(sys.executable))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NNLABS_", "PYTHON", "VIRTUAL_ENV", "CONDA_", "MPLBACKEND"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and os.path.realpath(p) != here)
    env["NNLABS_GRADESCOPE_ROOT"] = str(root)
    return env


def registry_problem(env: dict, scratch: Path) -> str:
    """Why pip, configured as setup.sh finds it, cannot fetch a package, or "" (one short
    try, before setup.sh waits out pip's own timeouts)."""
    done = subprocess.run(["python3", "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--timeout", "15",
                           "--retries", "1", "-d", str(scratch), "iniconfig"],
                          env=env, capture_output=True, text=True, timeout=120)
    if done.returncode == 0:
        return ""
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    said = ([line for line in lines if line.startswith("ERROR")] or lines or [f"exit status {done.returncode}"])[-1]
    return f"pip cannot reach the package registry (pip download iniconfig: {said})"


@pytest.fixture(scope="module")
def gradescope():
    """(root, env): the autograder image as Gradescope builds it, in a temporary root."""
    root = Path(tempfile.mkdtemp(prefix="nnlabs-gradescope-", dir=SCRATCH))
    root.chmod(0o755)               # mkdtemp's is 0700; /autograder is readable by others
    try:
        env = gradescope_env(root)
        archive = root / "autograder.zip"
        assert build(LAB2, str(archive)) == 0
        unzip(archive, root / "source")
        why = registry_problem(env, root / "probe")
        if why:
            pytest.skip(f"setup.sh installs nnlabs' dependencies from the package registry: {why}")
        setup = subprocess.run(["bash", "./setup.sh"], cwd=root / "source", env=env, capture_output=True,
                               text=True, timeout=900)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        # Gradescope copies run_autograder to /autograder and runs it from there
        shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
        yield root, env
    finally:
        shutil.rmtree(root, ignore_errors=True)


def grade(root: Path, env: dict, files: dict) -> dict:
    """Gradescope's run of one submission: {file name: notebook dict, bytes, or (content,
    mtime)} in submission/, run_autograder from the root; its results.json."""
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    for name, content in files.items():
        content, mtime = content if isinstance(content, tuple) else (content, None)
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            sample_class.write(content, path)
        else:
            path.write_bytes(content)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    out = root / "results" / "results.json"
    assert out.exists(), "no results.json:\n" + done.stdout + done.stderr
    result = json.loads(out.read_text())
    result["_stdout"] = done.stdout + done.stderr
    assert_gradescope_format(result)
    return result


def assert_gradescope_format(result: dict):
    """results.json as Gradescope's specification has it, one test per check of the lab."""
    for key, value in result.items():
        if key != "_stdout":
            assert key in TOP and isinstance(value, TOP[key]), (key, result["_stdout"])
    assert result["visibility"] in VISIBILITY and result["stdout_visibility"] in VISIBILITY
    checks = list(load_lab(LAB2, hidden=True).checks(hidden=True))
    assert len(result["tests"]) == len(checks), result["_stdout"]          # one test per check
    for test, check in zip(result["tests"], checks):
        for key, value in test.items():
            assert key in TEST and isinstance(value, TEST[key]), (key, test)
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITY
        assert all(isinstance(tag, str) for tag in test["tags"])
        assert 0 <= test["score"] <= test["max_score"] == check.points
        assert test["visibility"] == ("after_published" if check.hidden else "visible"), check.id
        assert test["name"] == f"{check.function}: {check.id}"
    assert abs(sum(t["score"] for t in result["tests"]) - result["score"]) < 1e-9


def assert_unjudged(result: dict, *words):
    """Score 0, every check failed, and the reason (with `words` in it) said to the student."""
    assert result["score"] == 0 and all(t["status"] == "failed" and t["score"] == 0 for t in result["tests"])
    assert "autograder_error" not in result["extra_data"], result["_stdout"]
    for word in words:
        assert word in result["output"], (word, result["output"])
        assert all(word in t["output"] for t in result["tests"]), word


def test_the_zip_as_gradescope_runs_it(gradescope):
    """One test (the image is built once, on one core): setup.sh in a fresh environment, then
    run_autograder on a renamed submission, on several notebooks, on unusable ones."""
    setup_sh_builds_an_image_without_nbgrader_from_the_zip_alone(gradescope)
    renamed_submission_gets_the_points_nnlabs_check_gives(gradescope)
    of_several_notebooks_the_newer_of_the_lab_is_graded_as_every_door_does(gradescope)
    a_submission_that_cannot_be_judged_gets_zero_and_the_reason(gradescope)


def setup_sh_builds_an_image_without_nbgrader_from_the_zip_alone(gradescope):
    root, env = gradescope
    python = root / "venv" / "bin" / "python"
    # the fresh environment setup.sh made: its own Python (not this one), the project from
    # the zip, and not nbgrader, which the Gradescope run does not need
    probe = subprocess.run([str(python), "-I", "-c", "import sys, autograder, solutions; print(sys.prefix); "
                            "print(autograder.__file__); import nbgrader"], env=env, capture_output=True, text=True)
    lines = probe.stdout.split()
    assert lines[:2] == [str(root / "venv"), str(root / "source" / "autograder" / "__init__.py")], probe.stderr
    assert "No module named 'nbgrader'" in probe.stderr
    # setup.sh again (a rebuilt image, an instructor trying it): the environment is kept
    made = python.parent.stat().st_ino
    again = subprocess.run(["bash", "./setup.sh"], cwd=root / "source", env=env, capture_output=True, text=True,
                           timeout=900)
    assert again.returncode == 0, again.stdout + again.stderr
    assert python.parent.stat().st_ino == made and "ready" in again.stdout
    # the course key in the zip is the suite's (so `nnlabs check --hidden` draws the same inputs)
    assert bytes.fromhex((root / "source" / "nnlabs-course.key").read_text().strip()) == \
        bytes.fromhex((ROOT / "tests" / "course.key").read_text().strip())


def renamed_submission_gets_the_points_nnlabs_check_gives(gradescope):
    root, env = gradescope
    notebook = sample_class.with_entries(LAB2, "bce_loss_sum")
    result = grade(root, env, {"lab2 (1).ipynb": notebook})
    checks = list(load_lab(LAB2, hidden=True).checks(hidden=True))
    assert 0 < result["score"] < sum(c.points for c in checks), result["output"]
    failed = [t for t in result["tests"] if t["status"] == "failed"]
    assert failed and all(t["name"].startswith("bce_loss") for t in failed)
    assert any("Likely cause" in t["output"] for t in failed)       # the named mistake as the output
    assert "graded: lab2 (1).ipynb" in result["output"]
    assert result["extra_data"]["notebook"] == "lab2 (1).ipynb"

    # the same file judged by `nnlabs check --hidden` in the development environment, with the
    # suite's key (conftest), which is also the zip's: the same points, check by check
    done = nnlabs("check", root / "submission" / "lab2 (1).ipynb", "--hidden", "--json")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    report = json.loads(done.stdout)
    expected = {f"{c['function']}: {c['id']}": c["points"] for c in report["checks"]}
    assert {t["name"]: t["score"] for t in result["tests"]} == expected
    assert result["score"] == pytest.approx(report["score"])


def of_several_notebooks_the_newer_of_the_lab_is_graded_as_every_door_does(gradescope):
    """Gradescope takes a submission in as every door does (`notebook.intake`): of two
    notebooks of the lab, the newer (last saved, not first by name); another lab's is not
    graded; what editors and archivers leave beside them is not a notebook."""
    root, env = gradescope
    solved = sample_class.solved(LAB2)
    stray = sample_class.with_entries(LAB2, "bce_loss_sum")
    del stray["metadata"]["nnlabs"]                  # an untitled copy: first by name, and saved earlier
    result = grade(root, env, {"b.ipynb": (solved, 1_700_000_100),
                               "a.ipynb": (stray, 1_700_000_000),
                               "lab1.ipynb": (sample_class.solved(LAB1), 1_700_000_200),
                               ".ipynb_checkpoints/Untitled-checkpoint.ipynb": stray,
                               "__MACOSX/._Untitled.ipynb": b"\x00\x05\x16\x07"})
    assert result["score"] == sum(t["max_score"] for t in result["tests"]), result["output"]
    assert "graded: b.ipynb" in result["output"] and "'b.ipynb', was graded" in result["output"]
    assert "'lab1.ipynb' was not graded" in result["output"], result["output"]


def a_submission_that_cannot_be_judged_gets_zero_and_the_reason(gradescope):
    root, env = gradescope
    damaged = json.dumps(sample_class.solved(LAB2)).encode()[:5000]
    assert_unjudged(grade(root, env, {"lab2 (1).ipynb": damaged}), "lab2 (1).ipynb is not a Jupyter notebook")
    assert_unjudged(grade(root, env, {"lab.ipynb": sample_class.solved(LAB1)}),
                    f"this is the notebook of {LAB1}, not {LAB2}")
    assert_unjudged(grade(root, env, {"answers.py": b"def sigmoid(z): ...\n"}),
                    "no notebook was submitted", "answers.py")
