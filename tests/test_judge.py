"""Outcomes are data: each check ends as one kind, flags are records set where seen, and a
broken check is the instructor's problem, never a student's zero."""
import json
import subprocess

import numpy as np

from autograder.judging import expect
from autograder.judging.checks import GradedFunction, Lab
from autograder.judging.judge import judge
from autograder.judging.result import KINDS, Report
from autograder.sandbox.student_process import StudentProcess

from conftest import BIN, ROOT


def tiny_lab():
    lab = Lab("tiny", "a lab of two functions", [GradedFunction("double", "double(x)"),
                                                  GradedFunction("twice", "twice(x)", calls=("double",))])

    @lab.check("double")
    def check_double_known_values(ctx):
        expect.values(ctx, ctx.call(np.array([1.0, 2.0])), np.array([2.0, 4.0]), what="double([1, 2])")

    @lab.check("double")
    def check_double_broken_check(ctx):
        ctx.call(np.array([1.0]))
        return {}["a key this check forgot to store"]

    @lab.check("twice")
    def check_twice_uses_double(ctx):
        expect.values(ctx, ctx.call(np.array([1.0])), np.array([200.0]), what="twice([1])")
    return lab


def judged(source, lab=None):
    lab = lab or tiny_lab()
    reference = {"double": lambda x: 100 * np.asarray(x)}
    with StudentProcess([{"id": "cell", "source": source}], list(lab.functions), reference=reference) as p:
        return judge(lab, p, hidden=False, material=(type("R", (), reference), {}))


def test_a_broken_check_is_a_check_error_not_the_students_zero():
    report = judged("import numpy as np\ndef double(x):\n    return 2 * np.asarray(x)\n"
                    "def twice(x):\n    return double(x) * 2\n")
    kinds = {c.id: c.kind for c in report.checks}
    assert kinds == {"double.known_values": "passed", "double.broken_check": "check_error",
                     "twice.uses_double": "passed"}
    assert [f.code for f in report.flags] == ["check_error"]
    assert "KeyError" in report.flags[0].message and "test_judge.py" in report.flags[0].message
    assert report.check_errors and report.check_errors[0].id == "double.broken_check"


def test_every_outcome_has_a_kind_and_honest_errors_raise_no_flag():
    report = judged("import numpy as np\ndef double(x):\n"
                    "    raise ValueError('the input may not have nan in it')\n")
    assert {c.kind for c in report.checks} <= set(KINDS)
    assert {c.id: c.kind for c in report.checks}["double.known_values"] == "raised"
    assert {c.id: c.kind for c in report.checks}["twice.uses_double"] == "not_defined"
    assert report.flags == []                      # "may not have" in a message is no longer a flag


def test_exiting_the_process_from_a_function_is_flagged_where_it_is_seen():
    report = judged("import os\ndef double(x):\n    os._exit(0)\n")
    assert {c.id: c.kind for c in report.checks}["double.known_values"] == "crashed"
    assert [f.code for f in report.flags] == ["crashed"] and report.flags[0].function == "double"


def test_reports_round_trip_through_plain_data():
    report = judged("import numpy as np\ndef double(x):\n    return 2 * np.asarray(x)\n")
    again = Report.from_dict(json.loads(report.to_json()))
    assert again.to_dict() == report.to_dict()


def test_nnlabs_check_exits_2_on_a_broken_check(tmp_path):
    """A check planted in lab 2 that raises: exit 2, an instructor-facing message, and the
    student's score for the other checks untouched."""
    script = f"""
import sys
from autograder.labs import load_lab
from autograder import cli
lab = load_lab("lab2_binary_classification", hidden=True)
planted = lab.hidden_checks()
@planted.check("sigmoid")
def check_sigmoid_planted_broken_check(ctx):
    raise IndexError("planted by the test")
lab._checks += planted.items     # into the instructor lab the command line loads
sys.exit(cli.main(["check", {str(ROOT / 'source' / 'lab2_binary_classification' / 'lab2_binary_classification.ipynb')!r},
                   "--hidden", "--json"]))
"""
    result = subprocess.run([f"{BIN}/python", "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "planted_broken_check is broken" in result.stderr and "IndexError" in result.stderr
    report = json.loads(result.stdout)
    others = [c for c in report["checks"] if c["id"] != "sigmoid.planted_broken_check"]
    assert all(c["passed"] for c in others)
    assert report["score"] == report["max_score"] - 1
    assert "check_error" in [f["code"] for f in report["flags"]]
