"""The score of record cannot be gamed, and no submission breaks a grading run."""
import csv
import fcntl
import html
import json
import subprocess
import sys
import time

import pytest

from autograder.judging import integrity
from autograder.labs import LAB_IDS, get_lab
from solutions import exploits, sample_class

from conftest import LAB2, ROOT, nnlabs, shared_temp

sys.path.insert(0, str(ROOT / "benchmarks"))
import exploits as exploit_table  # noqa: E402  (benchmarks/exploits.py)


# short call deadlines to keep the suite fast (the exploits that wait are tuned to them)
EXPLOIT_OPTIONS = ["--JudgeSubmission.call_seconds=4", "--JudgeSubmission.reference_calls=1000",
                   "--JudgeSubmission.load_seconds=9", "--JudgeSubmission.notebook_seconds=11"]
EXPLOIT_RUN = """import json, sys, traceback
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import exploits
folder = Path(sys.argv[2])
try:
    rows, summary = exploits.run(folder / "course", options=sys.argv[3:])
    (folder / "result.part").write_text(json.dumps({"rows": rows, "summary": summary}, default=sorted))
    (folder / "result.part").rename(folder / "result.json")
except BaseException:
    (folder / "failed.txt").write_text(traceback.format_exc())
"""


@pytest.fixture(scope="session", autouse=True)
def exploit_table_run(request, tmp_path_factory):
    """The exploit table (benchmarks/exploits.py) graded in a process of its own, started as
    soon as any test of this module runs, if its test was collected: most of its time is
    deadlines waited out, which the other tests fill meanwhile. Yields its folder."""
    top = shared_temp(tmp_path_factory)
    folder = top / "exploit-table"
    wanted = any(item.name.startswith("test_every_exploit_is_held") for item in request.session.items)
    process = None
    with open(top / "exploit-table.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if wanted and not folder.exists():
            (folder / "course").mkdir(parents=True)
            with open(folder / "log.txt", "w") as log:
                process = subprocess.Popen([sys.executable, "-c", EXPLOIT_RUN, str(ROOT / "benchmarks"), str(folder),
                                            *EXPLOIT_OPTIONS], stdout=log, stderr=subprocess.STDOUT)
    yield folder
    if process is not None:           # the test that reads it may run on another worker
        try:
            process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def exploit_table_result(folder, timeout=600) -> tuple:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (folder / "result.json").exists():
            result = json.loads((folder / "result.json").read_text())
            return result["rows"], result["summary"]
        if (folder / "failed.txt").exists():
            pytest.fail("the exploit table failed:\n" + (folder / "failed.txt").read_text())
        time.sleep(0.5)
    pytest.fail(f"the exploit table did not finish within {timeout} s: {(folder / 'log.txt').read_text()[-3000:]}")


def test_every_exploit_is_held_flagged_and_harms_no_classmate_under_plain_nbgrader(exploit_table_run):
    """Both rounds of exploits graded as one class with plain nbgrader autograde (in the
    background, see `exploit_table_run`): each scores at most its honest twin and is flagged
    (honest mistakes aside); the twins and a correct classmate graded after them all score
    exactly what they score alone; no student process and nothing in /dev/shm is left."""
    rows, summary = exploit_table_result(exploit_table_run)
    assert len(rows) >= 45
    for row in rows:
        assert row["score"] <= row["honest_score"], row
        if row["flag_expected"]:
            assert row["flags"], f"{row['exploit']} was not flagged"
        elif row["flag_expected"] is False:
            assert not row["flags"], row                  # an honest mistake is not a flag
    assert not any(summary["honest_flags"].values()), summary["honest_flags"]
    assert all(alone == in_class for alone, in_class in summary["unchanged"].values()), summary["unchanged"]
    total = sum(get_lab(LAB2).points(f) for f in get_lab(LAB2).functions)
    assert tuple(summary["unchanged"][exploit_table.CLASSMATE]) == (total, total)
    assert summary["survivors"] == [] and summary["left_in_dev_shm"] == []
    assert summary["keys_left"] <= 0 and summary["left_in_tmp"] == [], summary     # nothing for a later grading
    codes = {r["exploit"]: r["flag_codes"] for r in rows}
    for name in ("keyring_store", "keyring_while_judged", "signal_by_name"):
        assert "syscall_refused" in codes[name], (name, codes[name])
    for name in ("forged_reply", "huge_int_reply"):
        assert "protocol" in codes[name], (name, codes[name])
    assert "control_characters" in codes["bidi_and_newlines"]
    assert not any(code == "check_error" for r in rows for code in r["flag_codes"]), codes
    assert summary["active_html_in_feedback"] == []
    by_name = {r["exploit"]: r for r in rows}
    assert any("built on sigmoid" in f for f in by_name["oracle_predict_proba"]["flags"])
    assert any("metadata" in f for f in by_name["metadata_tampered"]["flags"])
    assert any("control characters" in f for f in by_name["control_characters"]["flags"])
    assert "out_of_budget" not in by_name["proxy_flood"]["flag_codes"]      # an endless loop looks the same


def test_honest_code_is_never_flagged():
    for lab in LAB_IDS:
        for entry in sample_class.catalog(lab).entries:
            assert integrity.scan_answers([{"id": entry.name, "source": entry.source()}]) == [], entry.name
        for grade_id, source in sample_class.solution_sources(lab).items():
            assert integrity.scan_answers([{"id": grade_id, "source": source}]) == [], grade_id


def test_nnlabs_check_flags_what_it_sees(tmp_path):
    rows = {name: nb for name, _, _, nb in exploits.exploits()}
    path = sample_class.write(rows["numpy_patched"], tmp_path / f"{LAB2}.ipynb")
    report = json.loads(nnlabs("check", path, "--hidden", "--json").stdout)
    assert any(flag["code"] == "patches_numpy" for flag in report["flags"])
    path = sample_class.write(rows["test_cells_deleted"], tmp_path / f"{LAB2}.ipynb")
    report = json.loads(nnlabs("check", path, "--json").stdout)
    # deleted test cells are put back from the release: reported as what happened, not flagged
    assert not report["flags"] and any("put back from the lab as released" in n for n in report["notes"])


def broken_files(tmp_path):
    """name -> (bytes to write, a phrase the reason must contain)"""
    old = {"nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": []}], "metadata": {}}
    # (a copied answer cell is no reason for a zero: tests/test_intake.py)
    other_lab = sample_class.solved("lab3_multiclass_classification")
    return {
        "invalid_json": (b'{"cells": [', "invalid JSON"),
        "empty": (b"", "empty"),
        "old_format": (json.dumps(old).encode(), "too old"),
        "not_utf8": ("déjà".encode("latin-1") * 10, "not UTF-8"),
        "another_lab": (json.dumps(other_lab).encode(), "lab3_multiclass_classification"),
        "not_a_notebook": (b'{"hello": "world"}', "not a Jupyter notebook"),
    }


def test_broken_files_exit_2_with_the_reason(tmp_path):
    for name, (data, reason) in broken_files(tmp_path).items():
        path = tmp_path / name / f"{LAB2}.ipynb"
        path.parent.mkdir()
        path.write_bytes(data)
        result = nnlabs("check", path)
        if name == "another_lab":       # nnlabs check knows the lab by its metadata, not its file name
            assert result.returncode == 0 and result.stdout.startswith(reason), result.stdout[:300]
            continue                     # (grading it as lab 2 gives zero with the reason: below)
        assert result.returncode == 2, (name, result.stdout, result.stderr)
        assert reason in result.stderr, (name, result.stderr)


def test_broken_submissions_get_zero_with_a_reason_and_the_others_are_graded(course):
    assert nnlabs("release", LAB2, cwd=course).returncode == 0
    for name, (data, _) in broken_files(course).items():
        path = course / "submitted" / name / LAB2 / f"{LAB2}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
    sample_class.write(sample_class.solved(LAB2, course), course / "submitted" / "zoe" / LAB2 / f"{LAB2}.ipynb")
    result = nnlabs("grade", LAB2, cwd=course)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = csv.DictReader((course / "grades.csv").open())
    scores = {r["student_id"]: float(r["raw_score"]) for r in rows if r["assignment"] == LAB2}
    assert scores.pop("zoe") == sum(get_lab(LAB2).points(f) for f in get_lab(LAB2).functions)
    assert set(scores) == set(broken_files(course)) and not any(scores.values())
    flags = list(csv.DictReader((course / "grades_flags.csv").open()))
    flagged = {f["student"] for f in flags}
    assert flagged == set(broken_files(course))
    assert all("unusable submission" in f["flag"] for f in flags)
    for flag in flags:                                          # feedback that says why
        page = (course / "feedback" / flag["student"] / LAB2 / f"{LAB2}.html").read_text()
        reason = flag["flag"].split("unusable submission: ", 1)[1]
        assert "Your submission could not be graded" in page and html.escape(reason) in page, flag


def test_a_resubmission_nbgrader_cannot_grade_replaces_the_earlier_score(course):
    """Graded once at full marks, then resubmitted as a file nbgrader cannot read: plain
    nbgrader autograde records a fresh zero with its reason, never the earlier score; a
    resubmission with tampered metadata is graded, not skipped. (`nnlabs grade` does the
    same: tests/test_grading.py.)"""
    from autograder.nbgrader.autograde import failed_gradings
    from conftest import run

    def autograde():
        return run([sys.executable, "-m", "nbgrader", "autograde", LAB2, "--force"], cwd=course)

    def score(student):
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnlabs") as gb:
            return gb.find_submission(LAB2, student).code_score

    assert nnlabs("release", LAB2, cwd=course).returncode == 0
    total = sum(get_lab(LAB2).points(f) for f in get_lab(LAB2).functions)
    path = course / "submitted" / "sam" / LAB2 / f"{LAB2}.ipynb"
    sample_class.write(sample_class.solved(LAB2), path)
    sample_class.write(sample_class.solved(LAB2), course / "submitted" / "tia" / LAB2 / f"{LAB2}.ipynb")
    assert autograde().returncode == 0 and score("sam") == score("tia") == total
    path.write_text('{"cells": [')                         # resubmitted, unreadable
    tampered = {name: nb for name, _, _, nb in exploits.exploits()}["metadata_tampered"]
    sample_class.write(tampered, course / "submitted" / "tia" / LAB2 / f"{LAB2}.ipynb")
    autograde()
    assert score("sam") == 0 and "invalid JSON" in failed_gradings(course, LAB2)["sam"]
    assert 0 < score("tia") < total                       # graded again, not skipped
    sample_class.write(sample_class.solved(LAB2), path)   # graded again: the zero and its reason go
    assert autograde().returncode == 0 and score("sam") == total and "sam" not in failed_gradings(course, LAB2)


def test_student_text_on_a_terminal_is_inert():
    from autograder.course import render_class
    row = {"student": "eve\x1b[2K\r", "score": 37.0, "max_score": 43.0, "notes": [],
           "flags": ["accuracy raised ValueError: \x1b[2K\r  ada   43 / 43\x1b[8m"]}
    text = render_class(LAB2, [row])
    assert "\x1b" not in text and "\r" not in text
    assert "\\x1b[2K" in text and "37 / 43" in text
