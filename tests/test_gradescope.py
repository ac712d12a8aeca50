"""The Gradescope autograder: built as a zip, run in an /autograder-shaped folder, its
results.json checked field by field against Gradescope's documented format."""
import json
import os
import subprocess
import sys
import zipfile

from autograder.gradescope import build
from autograder.labs import get_lab
from solutions import sample_class

from conftest import LAB2

# Gradescope's autograder specification: the fields results.json may have, and their types.
TOP = {"score": (int, float), "execution_time": int, "output": str, "output_format": str,
       "test_output_format": str, "test_name_format": str, "visibility": str, "stdout_visibility": str,
       "extra_data": dict, "tests": list, "leaderboard": list}
TEST = {"score": (int, float), "max_score": (int, float), "status": str, "name": str, "name_format": str,
        "number": str, "output": str, "output_format": str, "tags": list, "visibility": str, "extra_data": dict}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def test_run_autograder_writes_results_json_in_gradescope_format(tmp_path):
    archive = tmp_path / "autograder.zip"
    assert build(LAB2, str(archive)) == 0
    names = zipfile.ZipFile(archive).namelist()
    assert {"setup.sh", "run_autograder", "nnlabs-lab.txt"} <= set(names)
    assert any(n.startswith("solutions/") for n in names) and "autograder/judge.py" in names
    root = tmp_path / "autograder"                       # what Gradescope makes of the zip
    zipfile.ZipFile(archive).extractall(root / "source")
    submission = sample_class.with_entries(LAB2, "bce_loss_sum")
    sample_class.write(submission, root / "submission" / "my work.ipynb")
    env = dict(os.environ, NNLABS_GRADESCOPE_ROOT=str(root), NNLABS_PYTHON=sys.executable, MPLBACKEND="Agg")
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((root / "results" / "results.json").read_text())

    for key, value in result.items():
        assert key in TOP and isinstance(value, TOP[key]), key
    assert result["visibility"] in VISIBILITY and result["stdout_visibility"] in VISIBILITY
    checks = list(get_lab(LAB2).checks(hidden=True))
    assert len(result["tests"]) == len(checks)                     # one test per check
    for test, check in zip(result["tests"], checks):
        for key, value in test.items():
            assert key in TEST and isinstance(value, TEST[key]), (key, test)
        assert test["status"] in ("passed", "failed") and test["visibility"] in VISIBILITY
        assert all(isinstance(tag, str) for tag in test["tags"])
        assert 0 <= test["score"] <= test["max_score"] == check.points
        assert test["visibility"] == ("after_published" if check.hidden else "visible"), check.id
        assert test["name"] == f"{check.function}: {check.id}"
    assert abs(sum(t["score"] for t in result["tests"]) - result["score"]) < 1e-9
    assert 0 < result["score"] < sum(c.points for c in checks)
    failed = [t for t in result["tests"] if t["status"] == "failed"]
    assert failed and all(t["name"].startswith("bce_loss") for t in failed)
    assert any("Likely cause" in t["output"] for t in failed)       # the named mistake as the output
