"""Every lab graded end to end through the isolated judge and the command line."""
import json
import re
import sys

import pytest

import catalog_batch
from autograder.judging.judge import judge_notebook
from autograder.labs import LAB_IDS, load_lab
from solutions import sample_class

from conftest import ROOT, nnlabs, run


def source(lab):
    return ROOT / "source" / lab / f"{lab}.ipynb"


def release(lab):
    return ROOT / "release" / lab / f"{lab}.ipynb"


def catalog(lab):
    return sample_class.catalog(lab)


def get_lab(lab):
    return load_lab(lab, hidden=True)


def grade(tmp_path, lab, nb):
    return judge_notebook(sample_class.write(nb, tmp_path / f"{lab}.ipynb"), hidden=True)


BUGS = [(lab, e) for lab in LAB_IDS for e in catalog(lab).bugs()]
VARIANTS = [(lab, e) for lab in LAB_IDS for e in catalog(lab).variants()]


def entry_id(item):
    lab, entry = item
    return f"{lab.split('_')[0]}-{entry.function}-{entry.name}"


@pytest.mark.parametrize("lab", LAB_IDS)
def test_the_reference_solutions_get_full_marks_public_and_hidden(tmp_path, lab):
    graded = get_lab(lab)
    for report in (judge_notebook(source(lab), hidden=True), grade(tmp_path, lab, sample_class.solved(lab))):
        assert report.score == report.max_score == sum(graded.points(f) for f in graded.functions)
    public = judge_notebook(source(lab))
    assert public.passed and public.max_score == sum(c.points for c in graded.checks(hidden=False))


@pytest.mark.parametrize("lab", LAB_IDS)
def test_the_blank_release_scores_zero_with_a_message_per_function(lab):
    result = nnlabs("check", release(lab), "--hidden", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["score"] == 0 and report["max_score"] > 0
    for function in get_lab(lab).functions:
        messages = {c["message"] for c in report["checks"] if c["function"] == function}
        assert messages == {f"{function} is not written yet: it still raises NotImplementedError."}


def test_check_exit_codes_and_json_form(tmp_path):
    lab = "lab2_binary_classification"
    ok = nnlabs("check", source(lab), "--hidden", "--json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    report = json.loads(ok.stdout)
    assert report["lab"] == lab and report["score"] == report["max_score"]
    assert set(report["checks"][0]) >= {"function", "id", "passed", "points", "max_points", "message"}
    assert {c["kind"] for c in report["checks"]} == {"passed"} and report["flags"] == []
    assert any(c["id"] == "sigmoid.stable_for_large_inputs" for c in report["checks"])
    text = tmp_path / "notes.txt"
    text.write_text("not a notebook")
    bad = nnlabs("check", text)
    assert bad.returncode == 2 and "not a Jupyter notebook" in bad.stderr
    missing = nnlabs("check", tmp_path / "nowhere.ipynb")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    human = nnlabs("check", release(lab))
    assert human.returncode == 1 and "sigmoid: 0/" in human.stdout and "FLAG" not in human.stdout


@pytest.mark.parametrize("lab", LAB_IDS)
def test_public_checks_only_without_hidden(lab):
    result = nnlabs("check", source(lab), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert {c["id"] for c in report["checks"]} == {c.id for c in get_lab(lab).checks(hidden=False)}


@pytest.mark.parametrize("lab", LAB_IDS)
def test_the_catalog_has_six_bugs_and_two_correct_variants_per_function(lab):
    for function in get_lab(lab).functions:
        assert len(catalog(lab).bugs(function)) >= 6, function
        assert len(catalog(lab).variants(function)) >= 2, function


def entry_report(lab, entry):
    """The report of the entry's function and the scores of every function in the
    submission that holds the entry (one student process per lab, see catalog_batch)."""
    batch = catalog_batch.graded(lab)
    return batch.reports[entry.name], batch.scores(get_lab(lab), entry)


@pytest.mark.parametrize("lab", LAB_IDS)
def test_the_batch_process_gives_full_marks_to_the_solved_answers_and_to_callers_of_a_broken_function(lab):
    batch = catalog_batch.graded(lab)
    graded = get_lab(lab)
    assert batch.solved.score == batch.solved.max_score == sum(graded.points(f) for f in graded.functions)
    callers = catalog_batch.users(lab)
    assert set(batch.with_broken) == {f for f in graded.functions if callers[f]}
    for function, report in batch.with_broken.items():
        assert set(report.by_function()) == callers[function]
        assert report.score == report.max_score > 0, [c.message for c in report.checks if not c.passed]
    assert set(batch.reports) == {e.name for e in catalog(lab).entries} and not batch.alone


def test_without_reference_answers_the_callers_of_a_broken_function_lose_points():
    """What the full marks above rule out: a caller judged with its callee's own code."""
    lab = get_lab("lab2_binary_classification")
    process = catalog_batch.student_process(lab.id, answered=False)
    try:
        process.start()
        report = catalog_batch.judged_with(lab, process, "sigmoid", catalog_batch.broken("sigmoid"),
                                           ["predict_proba"])
    finally:
        process.close()
    assert report.function_score("predict_proba")[0] == 0
    assert "sigmoid must not run here" in " ".join(c.message for c in report.checks)


@pytest.mark.parametrize("lab, name", [("lab1_linear_regression", "grads_sum"),
                                       ("lab2_binary_classification", "train_frozen_bias"),
                                       ("lab3_multiclass_classification", "softmax_axis0")])
def test_the_batch_process_grades_an_entry_as_its_own_submission(lab, name):
    entry = next(e for e in catalog(lab).entries if e.name == name)
    batch = catalog_batch.graded(lab)
    alone = catalog_batch.grade_alone(lab, entry)
    assert [(c.id, c.points, c.message) for c in batch.reports[name].checks] == \
        [(c.id, c.points, c.message) for c in alone.checks if c.function == entry.function]
    assert batch.scores(get_lab(lab), entry) == {f: alone.function_score(f) for f in get_lab(lab).functions}


@pytest.mark.parametrize("item", BUGS, ids=entry_id)
def test_each_bug_loses_points_in_its_function_only_and_is_named(item):
    lab, entry = item
    report, scores = entry_report(lab, entry)
    got, total = scores[entry.function]
    assert got < total, f"{entry.name} was not caught"
    if entry.partial:
        assert got > 0, f"{entry.name} should keep partial credit"
    for other, (score, most) in scores.items():
        if other != entry.function:
            assert score == most > 0, f"{entry.name} cost points in {other}"
    messages = " ".join(c.message for c in report.checks if c.function == entry.function)
    if entry.named_by_check:
        assert any(word in messages for word in ("Likely cause", "in place", "dtype", "single number", "shape"))
    else:
        assert entry.message in messages or " raised " in messages, messages


@pytest.mark.parametrize("item", VARIANTS, ids=entry_id)
def test_each_correct_variant_gets_full_marks(item):
    lab, entry = item
    report, scores = entry_report(lab, entry)
    assert all(score == most > 0 for score, most in scores.values()), \
        [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize("lab", LAB_IDS)
def test_pytest_runs_the_public_checks_one_test_per_check(tmp_path, lab):
    graded = get_lab(lab)
    public = len(graded.checks(hidden=False))
    blank = nnlabs_pytest(release(lab).parent)
    # every check fails, or is skipped because a function it uses fails too (fix that first)
    counts = re.search(r"(\d+) failed(?:, (\d+) skipped)? in", blank.stdout)
    assert counts and int(counts[1]) + int(counts[2] or 0) == public, blank.stdout[-500:]
    first = next(iter(graded.functions))
    assert f"{first} is not written yet" in blank.stdout
    folder = tmp_path / lab
    sample_class.write(sample_class.solved(lab), folder / f"{lab}.ipynb")
    solved = nnlabs_pytest(folder)
    assert solved.returncode == 0 and f"{public} passed" in solved.stdout
    last = list(graded.functions)[-1]                 # a name no other function contains
    one = nnlabs_pytest(folder, "-k", last)
    assert f"{len(graded.checks(hidden=False, function=last))} passed" in one.stdout


def nnlabs_pytest(folder, *args):
    return run([sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider", *args],
               cwd=folder.parent)


def test_every_bug_is_caught_and_every_variant_passes_whatever_the_course_key(tmp_path, monkeypatch):
    """A course's key seeds its hidden checks' inputs (autograder/judging/course_key.py): no check may
    catch a bug, or pass a correct variant, only for lucky inputs. The whole catalog is graded
    again with another key than the suite's."""
    key = tmp_path / "another.key"
    key.write_text("9b2fd965849fc7bd320d4aa2cfc92f60232b3971e1875023352ce765c64a3a2b\n")   # a draw on which an earlier check missed a bug
    monkeypatch.setenv("NNLABS_COURSE_KEY_FILE", str(key))
    for lab in LAB_IDS:
        batch = catalog_batch.graded.__wrapped__(lab)
        graded = get_lab(lab)
        for entry in catalog(lab).entries:
            scores = batch.scores(graded, entry)
            got, total = scores[entry.function]
            if entry.correct:
                assert got == total, (entry.name, [c.message for c in batch.reports[entry.name].checks if not c.passed])
            else:
                assert got < total, f"{entry.name} was not caught with another course key"
