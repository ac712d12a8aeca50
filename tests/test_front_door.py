"""What students and instructors see first: the check cells, `nnlabs check`, pytest on a
lab folder, nbgrader validate, feedback, and the lab known from its metadata."""
import json
import sys
import time

import pytest

from autograder.faces import display
from autograder.judging.judge import judge_notebook
from autograder.labs import LAB_IDS, get_lab
from autograder.notebook import UnusableNotebook, identify_lab, read_notebook
from autograder.faces.check_cell import ChecksFailed, check_in_notebook
from solutions import sample_class

from conftest import LAB2, ROOT, nnlabs, run

LAB1 = "lab1_linear_regression"
ZERO_DB = '''def bce_gradients(X, y, W, b):
    p_hat = sigmoid(X @ W + b)
    return X.T @ (p_hat - y) / len(y), 0.0
'''
ENDLESS = '''def accuracy(y_true, y_pred):
    while True:
        pass
'''
LOUD = '''def sigmoid(z):
    print("x" * 10_000_000)
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))
'''


def kernel_namespace(nb) -> dict:
    """What a student's kernel holds after running a notebook's setup and answer cells."""
    namespace = {"__name__": "__main__"}
    exec("import numpy as np", namespace)
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
            exec("".join(cell["source"]), namespace)
    return namespace


def self_check(namespace, name, **kw):
    """(raised?, the text the check cell shows)."""
    import io
    import contextlib
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            check_in_notebook(namespace[name], **kw)
        except ChecksFailed as exc:
            return str(exc), out.getvalue()
    return None, out.getvalue()


def test_the_self_check_names_a_failing_callee_instead_of_blaming_the_caller(tmp_path):
    summed = sample_class.with_entries(LAB2, "bce_loss_sum")
    namespace = kernel_namespace(summed)
    raised, text = self_check(namespace, "bce_loss")
    assert raised and "bce_loss: 2 of 3 public checks failed" in raised
    # one number is no evidence of a cause or of a reading: the factor is said as seen, nothing read into it
    assert "Observed: every value is 4 times the expected one." in text and "(m = 4)" not in text \
        and "Likely cause" not in text
    for caller in ("bce_gradients", "train_logistic_regression"):
        raised, text = self_check(namespace, caller)
        assert raised is None, text                        # the caller's cell does not fail
        assert f"⚠ {caller}." in text and "depends on bce_loss, which fails its own checks: fix bce_loss first" in text
        assert "Likely cause" not in text and "gradient check failed" not in text
    # the same from the command line (a student process, no reference to answer calls)
    report = judge_notebook(sample_class.write(summed, tmp_path / "mine.ipynb"))
    blocked = [c for c in report.checks if c.blocked_by]
    assert {c.id for c in blocked} >= {"bce_gradients.gradient_check", "train_logistic_regression.known_trajectory"}
    assert all(c.passed or c.blocked_by == ["bce_loss"] for c in report.checks
               if c.function in ("bce_gradients", "train_logistic_regression"))

    namespace = kernel_namespace(sample_class.solved(LAB2, bce_gradients=ZERO_DB))
    raised, text = self_check(namespace, "train_logistic_regression")
    assert raised is None and "depends on bce_gradients" in text and "bias" not in text


def test_the_self_check_stops_an_endless_loop_and_survives_huge_prints(tmp_path):
    namespace = kernel_namespace(sample_class.solved(LAB2, accuracy=ENDLESS, sigmoid=LOUD))
    start = time.monotonic()
    raised, text = self_check(namespace, "accuracy", call_seconds=1.0)
    assert raised and "accuracy did not finish within 1 s" in text
    raised, text = self_check(namespace, "train_logistic_regression", call_seconds=1.0)
    assert raised is None and "depends on accuracy" in text
    assert time.monotonic() - start < 8
    raised, text = self_check(namespace, "sigmoid")
    assert raised is None and "5/5 checks passed" in text
    assert "your code printed" in text and len(text) < 20_000
    # the student process of `nnlabs check`: big prints are cut, never fatal
    notebook = sample_class.write(sample_class.solved(LAB2, sigmoid=LOUD), tmp_path / "loud.ipynb")
    report = judge_notebook(notebook)
    assert report.function_score("sigmoid")[0] == report.function_score("sigmoid")[1], \
        [c.message for c in report.checks if not c.passed]


def test_a_failing_check_fails_its_cell_with_one_line_and_shows_a_table():
    namespace = kernel_namespace(sample_class.with_entries(LAB2, "accuracy_count"))
    from autograder.faces.check_cell import ChecksFailed as Failed
    try:
        check_in_notebook(namespace["accuracy"])
    except Failed as exc:
        lines = exc._render_traceback_()
    assert len(lines) == 1 and "accuracy: 2 of 2 public checks failed" in lines[0]
    report = judge_notebook(ROOT / "source" / LAB2 / f"{LAB2}.ipynb")
    html = display.function_html(report, "sigmoid")
    assert html.count("✓") == 5 and "✗" not in html and "<caption>sigmoid: 5/5 checks passed" in html
    text = display.function_text(report, "sigmoid", colour=True)
    assert "\x1b[32m✓\x1b[0m sigmoid.known_values" in text


def test_nbgrader_validate_reports_exactly_the_wrong_functions(tmp_path):
    """Three wrong functions, one of them (bce_loss) used by two others: validate, which
    runs the notebook in a real kernel, reports exactly those three cells."""
    nb = sample_class.with_entries(LAB2, "bce_loss_sum", "accuracy_count", "proba_no_bias")
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "written_chain_rule":
            cell["source"] = "By the chain rule, dL/dz = dL/dp * dp/dz = p_hat - y."
    sample_class.write(nb, tmp_path / "my lab 2.ipynb")
    result = run([sys.executable, "-m", "nbgrader", "validate", "my lab 2.ipynb"], cwd=tmp_path)
    failed = [line.strip() for line in result.stdout.split("The following cell failed:")[1:]]
    assert "VALIDATION FAILED ON 3 CELL(S)" in result.stdout, result.stdout[-3000:]
    assert sorted(block.splitlines()[0] for block in failed) == \
        ["check(accuracy)", "check(bce_loss)", "check(predict_proba)"]
    errors = [block.split("The error was:")[1].split("=====")[0].strip().splitlines() for block in failed]
    assert all(len(error) == 1 and "public checks failed" in error[0] for error in errors), errors


def test_the_lab_is_known_by_its_metadata_whatever_the_file_is_called(tmp_path):
    for lab in LAB_IDS:
        nb = json.loads((ROOT / "release" / lab / f"{lab}.ipynb").read_text())
        assert nb["metadata"]["nnlabs"]["lab"] == lab
    release1 = read_notebook(ROOT / "release" / LAB1 / f"{LAB1}.ipynb")
    assert identify_lab(release1, "lab2.ipynb") == LAB1           # metadata beats a misleading name
    release1["metadata"].pop("nnlabs")
    assert identify_lab(release1, "lab.ipynb") == LAB1            # both labs 1 and 2 define predict
    release1["metadata"]["nnlabs"] = {"lab": "lab9_transformers"}
    with pytest.raises(UnusableNotebook, match="lab9_transformers"):
        identify_lab(release1, "lab.ipynb")
    # any file name works for nnlabs check and pytest; -k names one function
    folder = tmp_path / "my work"
    wrong = sample_class.write(sample_class.with_entries(LAB2, "accuracy_count"), folder / f"{LAB2} (1).ipynb")
    checked = nnlabs("check", wrong, "--json")
    assert checked.returncode == 1 and json.loads(checked.stdout)["lab"] == LAB2
    result = run([sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider"], cwd=tmp_path)
    public = len(get_lab(LAB2).checks(hidden=False))
    assert f"2 failed, {public - 3} passed, 1 skipped" in result.stdout, result.stdout[-2000:]
    one = run([sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider", "-k", "sigmoid"],
              cwd=tmp_path)
    assert f"{len(get_lab(LAB2).checks(hidden=False, function='sigmoid'))} passed" in one.stdout, one.stdout


def test_nnlabs_check_output_piped_plain_and_explained(tmp_path):
    notebook = sample_class.write(sample_class.with_entries(LAB2, "bce_loss_sum"), tmp_path / "mine.ipynb")
    result = run(["bash", "-c", f"'{sys.executable}' -m autograder.cli check '{notebook}' | head -3"])
    assert result.stderr == "" and len(result.stdout.splitlines()) == 3
    full = nnlabs("check", notebook)
    assert "\x1b[" not in full.stdout                           # piped: plain text
    lab = get_lab(LAB2)
    public = sum(c.points for c in lab.checks(hidden=False))
    at_grading = sum(lab.cell_points(f) for f in lab.functions)
    assert f"/ {public:g} points from the public checks" in full.stdout
    assert f"hidden checks raise the automatic total to {at_grading:g}" in full.stdout
    assert "2 more points of written answers are graded by hand" in full.stdout
    assert "FLAG" not in full.stdout


def test_a_scratch_cell_gets_a_plain_note_not_an_opaque_id(tmp_path):
    nb = sample_class.solved(LAB2)
    nb["cells"].insert(5, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                           "source": "print(X_iris.shape)"})
    report = judge_notebook(sample_class.write(nb, tmp_path / "scratch.ipynb"))
    assert report.passed
    assert report.notes == [n for n in report.notes if "cell 6 (a cell you added) raised NameError" in n]
    assert report.notes and "added-" not in report.notes[0]


def test_the_readme_shows_the_real_output():
    """The README's sample of a check cell is what the check prints for that mistake."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- sample check output -->")[1].split("```")[1]
    sample = [line[3:] for line in block.rstrip().splitlines()[1:]]          # indented in a list item
    namespace = kernel_namespace(sample_class.with_entries(LAB2, "bce_loss_sum"))
    raised, text = self_check(namespace, "bce_loss")
    shown = text.splitlines()
    assert raised and shown[:len(sample)] == sample
