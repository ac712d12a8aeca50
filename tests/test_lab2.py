"""Lab 2 graded end to end through the isolated judge and the command line."""
import json

import pytest

from autograder.judge import judge_notebook
from autograder.labs import get_lab
from solutions import sample_class
from solutions.mistakes.lab2_binary_classification import CATALOG

from conftest import LAB2, ROOT, nnlabs

LAB = get_lab(LAB2)
SOURCE = ROOT / "source" / LAB2 / f"{LAB2}.ipynb"
RELEASE = ROOT / "release" / LAB2 / f"{LAB2}.ipynb"


def grade(tmp_path, nb):
    return judge_notebook(sample_class.write(nb, tmp_path / f"{LAB2}.ipynb"), hidden=True)


def test_the_reference_solutions_get_full_marks_public_and_hidden(tmp_path):
    for report in (judge_notebook(SOURCE, hidden=True), grade(tmp_path, sample_class.solved(LAB2))):
        assert report.score == report.max_score == sum(LAB.points(f) for f in LAB.functions)
    public = judge_notebook(SOURCE)
    assert public.passed and public.max_score == sum(c.points for c in LAB.checks(hidden=False))


def test_the_blank_release_scores_zero_with_a_message_per_function():
    result = nnlabs("check", RELEASE, "--hidden", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["score"] == 0 and report["max_score"] > 0
    for function in LAB.functions:
        messages = {c["message"] for c in report["checks"] if c["function"] == function}
        assert messages == {f"{function} is not written yet: it still raises NotImplementedError."}


def test_check_exit_codes_and_json_form(tmp_path):
    ok = nnlabs("check", SOURCE, "--hidden", "--json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    report = json.loads(ok.stdout)
    assert report["lab"] == LAB2 and report["score"] == report["max_score"]
    assert set(report["checks"][0]) == {"function", "id", "passed", "points", "max_points", "message"}
    assert any(c["id"] == "sigmoid.stable_for_large_inputs" for c in report["checks"])
    text = tmp_path / "notes.txt"
    text.write_text("not a notebook")
    bad = nnlabs("check", text)
    assert bad.returncode == 2 and "not a Jupyter notebook" in bad.stderr
    missing = nnlabs("check", tmp_path / "nowhere.ipynb")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_public_checks_only_without_hidden():
    result = nnlabs("check", SOURCE, "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert {c["id"] for c in report["checks"]} == {c.id for c in LAB.checks(hidden=False)}


@pytest.mark.parametrize("function", list(LAB.functions))
def test_the_catalog_has_three_bugs_and_a_correct_variant_per_function(function):
    assert len(CATALOG.bugs(function)) >= 3
    assert len(CATALOG.variants(function)) >= 1


@pytest.mark.parametrize("entry", CATALOG.bugs(), ids=lambda e: f"{e.function}-{e.name}")
def test_each_bug_loses_points_in_its_function_only_and_is_named(tmp_path, entry):
    report = grade(tmp_path, sample_class.with_entries(LAB2, entry.name))
    got, total = report.function_score(entry.function)
    assert got < total, f"{entry.name} was not caught"
    if entry.partial:
        assert got > 0, f"{entry.name} should keep partial credit"
    for other in LAB.functions:
        if other != entry.function:
            assert report.function_score(other)[0] == report.function_score(other)[1], \
                f"{entry.name} cost points in {other}"
    messages = " ".join(c.message for c in report.checks if c.function == entry.function)
    if entry.named_by_check:
        assert "Likely cause" in messages or "in place" in messages or "dtype" in messages or "single number" in messages
    else:
        assert entry.message in messages, messages


@pytest.mark.parametrize("entry", CATALOG.variants(), ids=lambda e: f"{e.function}-{e.name}")
def test_each_correct_variant_gets_full_marks(tmp_path, entry):
    report = grade(tmp_path, sample_class.with_entries(LAB2, entry.name))
    assert report.score == report.max_score, [c.message for c in report.checks if not c.passed]


def test_pytest_runs_the_public_checks_one_test_per_check(tmp_path):
    public = len(LAB.checks(hidden=False))
    blank = nnlabs_pytest(RELEASE.parent)
    assert f"{public} failed" in blank.stdout
    assert "sigmoid is not written yet" in blank.stdout
    folder = tmp_path / LAB2
    sample_class.write(sample_class.solved(LAB2), folder / f"{LAB2}.ipynb")
    solved = nnlabs_pytest(folder)
    assert solved.returncode == 0 and f"{public} passed" in solved.stdout
    one = nnlabs_pytest(folder, "-k", "sigmoid_derivative")
    assert f"{len(LAB.checks(hidden=False, function='sigmoid_derivative'))} passed" in one.stdout


def nnlabs_pytest(folder, *args):
    import sys
    from conftest import run
    return run([sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider", *args],
               cwd=folder.parent)
