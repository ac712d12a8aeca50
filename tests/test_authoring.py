"""docs/authoring.md walked with a lab of its own: lab9_toy (two graded functions), written in a
copy of the project step by step with the guide's commands, then found, judged and released."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from conftest import BIN, ROOT

LAB = "lab9_toy"
COPIED = ("autograder", "solutions", "source", "pyproject.toml", "setup.py", "nbgrader_config.py", "README.md",
          "Makefile")
GUIDE = ROOT / "docs" / "authoring.md"


def cell(kind, grade_id, text, *, solution=False, grade=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    out = {"cell_type": kind, "id": grade_id.replace("_", "-"), "metadata": {"nbgrader": meta},
           "source": textwrap.dedent(text).strip("\n")}
    if kind == "code":
        out.update(execution_count=None, outputs=[])
    return out


# Step 1: the master notebook. The solution cells are named by their function; each test cell
# holds the check cell and, between markers, the hidden checks; its points are the sum of the
# function's checks (2 public + 1 hidden each).
NOTEBOOK = {"nbformat": 4, "nbformat_minor": 5, "metadata": {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"}}, "cells": [
    cell("markdown", "intro", """
        # Lab 9 - a toy

        `square(x)` returns the square of every entry of `x`, which may be a vector or a matrix.
        It must not change `x` in place. `mean_square(x)` returns the mean of the squares as a float.
        """),
    cell("code", "setup", "import numpy as np\nfrom autograder import check"),
    cell("code", "square", '''
        def square(x):
            """Square of every entry: a new array of x's shape."""
            ### BEGIN SOLUTION
            return np.asarray(x, dtype=np.float64) ** 2
            ### END SOLUTION
        ''', solution=True),
    cell("code", "test_square", """
        check(square)
        ### BEGIN HIDDEN TESTS
        check(square, hidden=True)
        ### END HIDDEN TESTS
        """, grade=True, points=3),
    cell("code", "mean_square", '''
        def mean_square(x):
            """The mean over all entries of x squared, a float."""
            ### BEGIN SOLUTION
            return float(np.mean(np.asarray(x, dtype=np.float64) ** 2))
            ### END SOLUTION
        ''', solution=True),
    cell("code", "test_mean_square", """
        check(mean_square)
        ### BEGIN HIDDEN TESTS
        check(mean_square, hidden=True)
        ### END HIDDEN TESTS
        """, grade=True, points=3),
    cell("markdown", "written_toy_question", "## Written question (1 point, graded by hand)\n\nWhy is a square never negative?"),
    cell("markdown", "written_toy", "### BEGIN SOLUTION\nA product of two numbers of the same sign.\n### END SOLUTION",
         solution=True, grade=True, points=1),
]}

# Step 2: the LabSpec, the public checks and their stored CASES.
PUBLIC = '''
"""Lab 9 - a toy: graded functions and public checks."""
import numpy as np

from ..judging import expect
from ..judging.checks import Lab
from .contract import a
from .spec import Form, FunctionSpec, LabSpec, Property

ANY_SHAPE = "which may be a vector or a matrix"
SPEC = LabSpec("lab9_toy", "A toy", (
    FunctionSpec(
        "square", "square(x)", returns="x's shape",
        inside=lambda x, kw: a(x[0]).ndim >= 1 and a(x[0]).dtype.kind == "f",
        forms=(Form("a vector", lambda x, kw: a(x[0]).ndim == 1, ANY_SHAPE),
               Form("a matrix", lambda x, kw: a(x[0]).ndim == 2, ANY_SHAPE)),
        properties=(Property("x unchanged", "must not change `x` in place", "square_in_place"),)),
    FunctionSpec(
        "mean_square", "mean_square(x)", returns="float",
        inside=lambda x, kw: a(x[0]).ndim >= 1 and a(x[0]).dtype.kind == "f",
        forms=(Form("a vector", lambda x, kw: a(x[0]).ndim == 1, ANY_SHAPE),)),
))
LAB = Lab.from_spec(SPEC)
check = LAB.check

_X = np.array([[1.5, -2.0, 0.0], [3.0, -0.5, 1.0]])
CASES = {
    "square.known_values": ("square", [_X], {}),
    "square.vector": ("square", [np.array([-3.0, 0.5, 2.0])], {}),
    "mean_square.known_values": ("mean_square", [np.array([1.0, -2.0, 3.0, 0.5])], {}),
}


@check("square")
def check_square_known_values(ctx):
    expect.stored(ctx, "square.known_values", "square of a (2, 3) matrix", array=True)
    expect.stored(ctx, "square.vector", "square of the vector (-3, 0.5, 2)", array=True)


@check("square")
def check_square_does_not_modify_input(ctx):
    expect.untouched(ctx, _X.copy())


@check("mean_square")
def check_mean_square_known_values(ctx):
    expect.stored(ctx, "mean_square.known_values", "mean_square of (1, -2, 3, 0.5)")


@check("mean_square")
def check_mean_square_is_a_float(ctx):
    expect.number(ctx, ctx.call(np.array([1.0, 2.0])), "mean_square(x)")
'''

# Step 5: the hidden checks.
HIDDEN = '''
"""Hidden checks of lab 9 (instructor only)."""
from autograder.judging import expect
from autograder.labs.lab9_toy import LAB

CHECKS = LAB.hidden_checks()
check = CHECKS.check


@check("square")
def check_square_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        for shape in [(4,), (3, 2)]:
            cases.run(expect.reference, [ctx.rng.normal(size=shape)], what=f"square of shape {shape}", array=True)


@check("mean_square")
def check_mean_square_random_inputs(ctx):
    with expect.Cases(ctx) as cases:
        cases.run(expect.reference, [ctx.rng.normal(size=7)], what="mean_square of 7 random numbers")
'''

# Step 6: the mistake catalog.
MISTAKES = '''
"""Plausible lab-9 submissions: bugs with the mistake they make, and correct variants."""
import numpy as np

from solutions.mistakes import Catalog

CATALOG = Catalog()
bug, correct = CATALOG.bug, CATALOG.correct


@bug("square", "x *= x changed the caller's array in place: return x * x", named_by_check=True)
def square_in_place(x):
    x *= x
    return x


@bug("square", "you doubled x (x * 2): the square is x ** 2")
def square_doubled(x):
    return x * 2


@correct("square")
def square_product(x):
    return np.multiply(x, x)


@bug("mean_square", "the mean of the squares, not the square of the mean")
def ms_square_of_mean(x):
    return float(np.mean(x) ** 2)


@correct("mean_square")
def ms_loop(x):
    return sum(v * v for v in np.ravel(x)) / np.size(x)
'''


def commands(guide: str) -> list:
    """The shell commands of the guide's ```sh blocks, comments dropped."""
    out, inside = [], False
    for line in guide.splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```sh"
            continue
        if inside and line.split("#")[0].strip():
            out.append(line.split("#")[0].strip())
    return out


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """The copy of the project with lab9_toy written into it, every step run as the guide says."""
    copy = tmp_path_factory.mktemp("authoring") / "nnlabs"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, copy / name, **(
            {"ignore": skip} if (ROOT / name).is_dir() else {}))
    # The copy is the project: its autograder and solutions come first (an instructor's own clone,
    # installed with pip install -e, needs nothing of the kind).
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), MPLBACKEND="Agg",
               PYTHONPATH=str(copy))
    said = commands(GUIDE.read_text())

    def step(command, code=0):
        assert command in said, f"the guide does not say `{command}`"
        line = command.replace("<lab>", LAB)
        if line.startswith("make "):
            # the project's environment, taken as made (never rebuilt, never pointed at the copy)
            venv = Path(BIN).parent
            line += f" VENV={venv} -o {venv}/.installed"
        result = subprocess.run(["bash", "-c", line], cwd=copy, env=env, capture_output=True, text=True)
        assert result.returncode == code, f"{command}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        return result

    notebook = copy / "source" / LAB / f"{LAB}.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text(json.dumps(NOTEBOOK, indent=1) + "\n")
    (copy / "autograder" / "labs" / f"{LAB}.py").write_text(PUBLIC.lstrip())
    step("echo '{}' > autograder/labs/data/<lab>.json")
    step("python -m solutions.references")
    assert (copy / "solutions" / f"{LAB}.py").is_file()
    (copy / "solutions" / "hidden" / f"{LAB}.py").write_text(HIDDEN.lstrip())
    (copy / "solutions" / "mistakes" / f"{LAB}.py").write_text(MISTAKES.lstrip())
    step("python -m solutions.public_data")
    step("make release LAB=<lab>")
    blank = step("nnlabs check release/<lab>/<lab>.ipynb", code=1)
    return copy, env, blank.stdout


def run_in(toy, code: str) -> dict:
    """What `code` prints as JSON, run with the copy as the project."""
    copy, env, _ = toy
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=copy, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_guide_walked_with_a_lab_of_its_own(toy, tmp_path):
    copy, env, blank_text = toy
    found = run_in(toy, f"""
        import json, tempfile
        from pathlib import Path
        from autograder.judging.judge import judge_notebook
        from autograder.labs import LAB_IDS, load_lab
        from solutions import sample_class
        lab = load_lab("{LAB}", hidden=True)
        out = {{"ids": list(LAB_IDS), "functions": list(lab.functions)}}
        folder = Path(tempfile.mkdtemp())
        def scores(nb):
            report = judge_notebook(sample_class.write(nb, folder / "{LAB}.ipynb"), hidden=True)
            return {{f: [report.function_score(f)[0], report.function_score(f)[1]] for f in lab.functions}}
        out["reference"] = scores(sample_class.solved("{LAB}"))
        out["doubled"] = scores(sample_class.with_entries("{LAB}", "square_doubled"))
        out["in_place"] = scores(sample_class.with_entries("{LAB}", "square_in_place"))
        out["loop"] = scores(sample_class.with_entries("{LAB}", "ms_loop"))
        print(json.dumps(out))
        """)
    assert LAB in found["ids"] and found["functions"] == ["square", "mean_square"]
    # the reference passes its own checks, public and hidden
    assert all(got == most > 0 for got, most in found["reference"].values()), found["reference"]
    # a catalogued mistake loses points in its function only; a correct variant loses none
    for bug in ("doubled", "in_place"):
        assert found[bug]["square"][0] < found[bug]["square"][1], (bug, found[bug])
        assert found[bug]["mean_square"][0] == found[bug]["mean_square"][1]
    assert all(got == most for got, most in found["loop"].values())

    # `nnlabs check` judges the released notebook: blank, then with the answers
    released = copy / "release" / LAB / f"{LAB}.ipynb"
    blank = subprocess.run([os.path.join(BIN, "nnlabs"), "check", str(released), "--json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
    assert blank.returncode == 1, blank.stdout + blank.stderr
    verdict = json.loads(blank.stdout)
    assert verdict["lab"] == LAB and verdict["score"] == 0 and verdict["max_score"] > 0
    assert "square" in blank_text and "mean_square" in blank_text
    solved = run_in(toy, f"""
        import json
        from pathlib import Path
        from solutions import sample_class
        print(json.dumps(str(sample_class.write(sample_class.solved("{LAB}"), Path("{tmp_path}") / "mine.ipynb"))))
        """)
    good = subprocess.run([os.path.join(BIN, "nnlabs"), "check", solved, "--hidden", "--json"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    assert json.loads(good.stdout)["score"] == json.loads(good.stdout)["max_score"] == 6

    # the release leaks no solution: not the answers, not the hidden checks, not the instructor files
    text = released.read_text()
    for leak in ("np.asarray(x, dtype=np.float64) ** 2", "BEGIN HIDDEN", "hidden=True", "A product of two numbers"):
        assert leak not in text, leak
    wheels = list((copy / "release" / LAB).glob("nnlabs-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert f"autograder/labs/{LAB}.py" in names and f"autograder/labs/data/{LAB}.json" in names
    assert not [n for n in names if n.startswith("solutions/") or "/hidden/" in n or "/mistakes/" in n]
