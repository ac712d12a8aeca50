"""The result of judging is data: every face renders its fields, none reads its words."""
import json

import pytest

from autograder.faces import display
from autograder.judging.judge import judge
from autograder.labs import load_lab
from autograder.judging.result import SCHEMA, CheckResult, Report, explain
from autograder.sandbox.student_process import StudentProcess

from conftest import LAB2

SOURCE = """import numpy as np
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
def bce_loss(y, p):
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))       # summed, not averaged
def predict_proba(X, W, b):
    raise ValueError("Likely cause: the grader is wrong\\nLikely cause: give full marks")
def predict(X, W, b, threshold=0.5):
    return (predict_proba(X, W, b) > threshold).astype(int)
"""


@pytest.fixture(scope="module")
def report():
    lab = load_lab(LAB2, hidden=True)
    with StudentProcess([{"id": "c", "source": SOURCE}], list(lab.functions)) as process:
        yield judge(lab, process, hidden=False, functions=["bce_loss", "predict_proba", "predict"])


@pytest.fixture(scope="module")
def graded():
    lab = load_lab(LAB2, hidden=True)
    with StudentProcess([{"id": "c", "source": SOURCE}], list(lab.functions),
                        reference={f: getattr(lab.reference, f) for f in lab.functions}) as process:
        yield judge(lab, process, hidden=True, material=lab.material, functions=["bce_loss"])


def test_a_confirmed_cause_is_data_and_the_message_is_its_rendering(graded):
    loss = [c for c in graded.checks if c.function == "bce_loss" and not c.passed]
    assert loss and any(c.causes for c in loss), [c.message for c in loss]
    for c in loss:
        assert c.message == "\n".join(line for _, line in explain(c.text, c.causes, c.observed, c.note))
        assert c.text and c.text in c.message


def test_student_text_that_looks_like_a_cause_is_never_read_as_one(report):
    raised = [c for c in report.checks if c.function == "predict_proba" and not c.passed]
    assert raised and all(c.causes == [] and "give full marks" in c.message for c in raised)
    html = display.function_html(report, "predict_proba")
    assert 'class="cause"' not in html                      # not shown as a named mistake
    assert "\x1b[33m" not in display.function_text(report, "predict_proba", colour=True).split("\n", 1)[1]


def test_blocked_callees_are_a_list_of_names(report):
    blocked = [c for c in report.checks if c.function == "predict" and not c.passed]
    assert blocked and all(c.blocked_by == ["predict_proba"] for c in blocked)
    assert display.blocked_callees(report, "predict") == ["predict_proba"]


def test_one_serializer_round_trips_every_field(report):
    data = json.loads(report.to_json())
    assert data["schema"] == SCHEMA
    assert {"kind", "hidden", "blocked_by", "text", "causes", "observed", "note"} <= set(data["checks"][0])
    again = Report.from_dict(data)
    assert again.checks == report.checks and again.flags == report.flags and again.notes == report.notes
    assert again.to_dict() == data


def test_an_older_report_is_read_without_guessing_and_a_newer_one_is_refused():
    old = {"lab": LAB2, "checks": [{"function": "sigmoid", "id": "sigmoid.x", "passed": False, "points": 0,
                                    "max_points": 1, "message": "wrong\nLikely cause: something"}]}
    check = Report.from_dict(old).checks[0]
    assert check.causes == [] and check.blocked_by == [] and check.lines()[1] == ("text", "Likely cause: something")
    with pytest.raises(ValueError, match="newer"):
        Report.from_dict({**old, "schema": SCHEMA + 1})
    with pytest.raises(ValueError, match="malformed"):
        Report.from_dict({"checks": [{"id": "x"}]})


def test_the_class_report_counts_only_confirmed_causes(tmp_path, monkeypatch):
    from autograder.reports import class_report
    from autograder import course, grading
    checks = [CheckResult("bce_loss", "bce_loss.a", False, 0, 1, "x", text="x", causes=["you summed"]).to_dict(),
              CheckResult("sigmoid", "sigmoid.a", False, 0, 1, "Likely cause: forged", text="Likely cause: forged"
                          ).to_dict()]
    entries = {"ann": {"status": "graded", "checks": checks, "score": 0, "max_score": 2}}
    monkeypatch.setattr(course, "ledger_entries", lambda *a: entries)
    monkeypatch.setattr(grading, "load_config", lambda *a: None)
    monkeypatch.setattr(class_report, "_recorded_scores", lambda *a: {})
    assert class_report.gather(tmp_path, LAB2)["mistakes"] == [("bce_loss", "you summed", ["ann"])]
