"""Six doors, one verdict. A student's notebook enters nnlabs through six doors:

1. the check cells in the student's own Jupyter kernel (`check(fn)` under each function);
2. `nnlabs check NOTEBOOK --json` (and, for the graded doors, `--hidden` as the reference);
3. `pytest NOTEBOOK` through the project's plugin (one test per public check);
4. plain `nbgrader autograde <lab>` in a course configured by the repository's nbgrader_config.py;
5. `nnlabs grade <lab>` (gradebook and ledger);
6. the Gradescope autograder (`nnlabs gradescope <lab>`, unpacked, its run_autograder run).

Over a corpus of submissions (tests/door_corpus.py), the public doors (1-3) must agree with
each other on every check's pass/fail and every function's points, and show every failing
check's message; the graded doors (4-6) must agree with `nnlabs check --hidden --json` on every
function's points, every check's message, the notes and the flags; a notebook that cannot be
used scores 0 with the same reason in every door that sees it.

What is expensive is built once per test session, for every pytest-xdist worker, in the
background (`door_corpus.build_shared`, started by the first test of this module that runs,
in a file-locked folder under pytest's base temporary folder): the Gradescope zips, and one
course holding the whole corpus, graded once by `nnlabs grade` and once by plain nbgrader (on
two copies of it: each writes the gradebook). Each case's own doors run in parametrized tests
(public doors; Gradescope; the two gradebooks), so the workers share them out; a case's
`nnlabs check --hidden` runs once, kept in the shared folder.

Where doors are found to disagree, the case is listed in DISAGREE and its test marked
xfail(strict=True) for exactly that disagreement (`DoorsDisagree`): it fails loudly once fixed.
"""
from __future__ import annotations

import copy
import csv
import fcntl
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograder.labs import get_lab
from autograder.text import printable

import door_corpus
from conftest import BIN, shared_temp
from door_corpus import COURSE_OK, FAILED, GRADESCOPE_OK, LAB1, LAB2, OTHER_LAB, RENAMED

CASES = door_corpus.build()
# the longest first: the endless loop waits out each door's call limit
CASES.sort(key=lambda case: case.student != "endless")
PUBLIC = [case for case in CASES if case.public]
WAIT = 900                     # s: the longest a test waits for the shared course


# Where the doors disagree (a bug in the doors, not in this test): {(test, case): what differs}.
DISAGREE: dict = {}


class DoorsDisagree(AssertionError):
    """The disagreement DISAGREE describes, and only it: its case's xfail expects this exception
    (any other failed assertion of that case fails the test)."""


def case_params(test, cases):
    def marks(case):
        reason = DISAGREE.get((test, case.student))
        return [pytest.mark.xfail(strict=True, raises=DoorsDisagree, reason=reason)] if reason else []
    return [pytest.param(case, id=case.student, marks=marks(case)) for case in cases]


# -- running the doors ------------------------------------------------------------------------------

def door_env() -> dict:
    """This environment's bin first on PATH (nbgrader needs alembic); none of this pytest's own
    variables (a door's pytest is a run of its own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(PATH=BIN + os.pathsep + os.environ.get("PATH", ""), MPLBACKEND="Agg")
    return env


def start(args, cwd=None, env=None) -> subprocess.Popen:
    return subprocess.Popen([str(a) for a in args], cwd=cwd, env=env or door_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout=300) -> subprocess.CompletedProcess:
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def nnlabs_check(path, *options) -> subprocess.Popen:
    return start([Path(BIN) / "nnlabs", "check", path, "--json", *options])


def checked(proc) -> tuple:
    """(exit status, the JSON `nnlabs check --json` printed)."""
    done = finish(proc)
    assert done.returncode in (0, 1, 2), done.stdout + done.stderr
    try:
        return done.returncode, json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"nnlabs check printed no JSON:\n{done.stdout}\n{done.stderr}") from None


def grade_id(cell) -> str:
    meta = cell.get("metadata", {}).get("nbgrader") or {}
    return str(meta.get("grade_id", ""))


def kernel_door(path: Path) -> dict:
    """Door 1: the notebook's setup cell, the given code (the lab's prelude: cells given_*),
    answer cells and check cells (and cells a student added) run in order in a real Jupyter
    kernel; the plotting and training demos are left out. A check cell run before a later copy of its answer cell (a pasted cell) is run again
    at the end, as a student does after pasting. Returns {"checks": {function: what its last
    check cell showed}, "answer_errors": {grade id: exception name}}."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(str(path), as_version=4)
    cells = [cell for cell in nb.cells if cell.cell_type == "code" and (
        grade_id(cell) == "setup" or grade_id(cell).startswith("given") or not cell.metadata.get("nbgrader")
        or cell.metadata["nbgrader"].get("solution") or cell.metadata["nbgrader"].get("grade"))]
    for index, cell in enumerate(list(cells)):
        if grade_id(cell).startswith("test_") and any(grade_id(c) == grade_id(cell)[5:] for c in cells[index + 1:]):
            cells.append(copy.deepcopy(cell))
    nb.cells = cells
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    shown, answer_errors = {}, {}
    for cell in nb.cells:
        errors = [(o["ename"], o["evalue"]) for o in cell.outputs if o["output_type"] == "error"]
        if not grade_id(cell).startswith("test_"):
            if errors:
                answer_errors[grade_id(cell)] = errors[0][0]
            continue
        tables = [o["data"]["text/plain"] for o in cell.outputs
                  if o["output_type"] == "display_data" and "text/plain" in o.get("data", {})]
        stderr = "".join(o.get("text", "") for o in cell.outputs
                         if o["output_type"] == "stream" and o.get("name") == "stderr")
        if tables or errors:
            shown[grade_id(cell)[5:]] = {"table": "\n".join(tables), "error": errors[0] if errors else None,
                                         "stderr": stderr}
    return {"checks": shown, "answer_errors": answer_errors}


TABLE_HEAD = re.compile(r"^\[public checks\] (\w+): (\d+)/(\d+) checks passed \(([^/]+)/([^ ]+) points\)")
TABLE_ROW = re.compile(r"^  ([✓✗⚠]) (\S+?)(?::| \(|$)")


def read_table(text: str) -> tuple:
    """(function, (points, max points), {check id: mark}) of a check cell's table."""
    head = TABLE_HEAD.match(text)
    assert head, text
    marks = {m.group(2): m.group(1) for m in map(TABLE_ROW.match, text.splitlines()[1:]) if m}
    return head.group(1), (float(head.group(4)), float(head.group(5))), marks


def pytest_door(path: Path, report: Path) -> subprocess.Popen:
    """Door 3: pytest on the notebook, through the plugin (its junit XML, to read)."""
    return start([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                  f"--junitxml={report}", path.name], cwd=path.parent)


def junit_results(report: Path) -> dict:
    """{test name: (passed | failed | skipped, the text pytest shows for it)}."""
    out = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        status, text = "passed", ""
        for tag in ("failure", "error", "skipped"):
            element = case.find(tag)
            if element is not None:
                status = "skipped" if tag == "skipped" else "failed"
                text = (element.get("message") or "") + "\n" + (element.text or "")
        out[case.get("name")] = (status, text)
    return out


def gradescope_env(root: Path) -> dict:
    """What Gradescope's harness gives the scripts (as tests/test_gradescope.py): nothing of
    this environment's Python or nnlabs settings (the zip's course key is the one used),
    the root standing in for /autograder; the development environment's python (the fresh
    environment setup.sh makes is tested in tests/test_gradescope.py)."""
    here = os.path.realpath(BIN)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NNLABS_", "PYTHON", "VIRTUAL_ENV", "CONDA_", "MPLBACKEND", "PYTEST_"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and os.path.realpath(p) != here)
    env.update(NNLABS_GRADESCOPE_ROOT=str(root), NNLABS_PYTHON=sys.executable)
    return env


def gradescope_door(case, shared: Path, root: Path) -> subprocess.Popen:
    """Door 6: the unpacked autograder of the case's lab under `root` (Gradescope's /autograder),
    the submission in root/submission, run_autograder run from the root."""
    root.mkdir(parents=True)
    (root / "source").symlink_to(shared / "gradescope" / case.lab, target_is_directory=True)
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")      # as Gradescope does
    case.write(root / "submission")
    return start([root / "run_autograder"], cwd=root, env=gradescope_env(root))


def gradescope_results(proc, root: Path) -> dict:
    done = finish(proc)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((root / "results" / "results.json").read_text())
    assert "autograder_error" not in result.get("extra_data", {}), done.stdout
    return result


# -- what each door says, in one form -------------------------------------------------------------

def function_points(lab_id: str, checks) -> dict:
    """{test cell: score} as nbgrader records it, from checks with function, points and
    max_points (each door's own record of them): the cell's points times got / total."""
    lab = get_lab(lab_id)
    out = {}
    for function in lab.functions:
        mine = [c for c in checks if c["function"] == function]
        got, total = sum(c["points"] for c in mine), sum(c["max_points"] for c in mine)
        out[f"test_{function}"] = round(lab.cell_points(function) * got / total, 4)
    return out


def check_points(report) -> dict:
    """{test cell: score} as nbgrader records it, from `nnlabs check --json`."""
    return function_points(report["lab"], report["checks"])


def auto_points(scores: dict) -> dict:
    return {cell: round(score, 4) for cell, (score, _) in scores.items() if cell.startswith("test_")}


def verdicts(checks) -> dict:
    """{check id: (passed, points, message)}."""
    return {c["id"]: (bool(c["passed"]), round(float(c["points"]), 6), c["message"]) for c in checks}


def gradescope_checks(result) -> list:
    """results.json's tests as checks (their output is the message, "passed" when there is none)."""
    out = []
    for test in result["tests"]:
        function, check_id = test["name"].split(": ", 1)
        passed = test["status"] == "passed"
        out.append({"function": function, "id": check_id, "passed": passed, "points": test["score"],
                    "max_points": test["max_score"],
                    "message": "" if passed and test["output"] == "passed" else test["output"]})
    return out


def gradescope_notes(result) -> list:
    return [line[len("note: "):] for line in result["output"].splitlines() if line.startswith("note: ")]


def blocked(check) -> bool:
    """Not judged in the self-check: a graded function it uses fails its own checks."""
    return not check["passed"] and check["message"].startswith(f"{check['function']} depends on ")


def shown_in(message: str, text: str) -> bool:
    """Every line of a check's message is in a door's output (each door renders it its own
    way: indented under the check's line, after the test's name, ...)."""
    return all(line.strip() in text for line in printable(message).splitlines() if line.strip())


# -- what is shared: built once per session, in the background ---------------------------------------

class Shared:
    """The folder `door_corpus.build_shared` fills, and a way to wait for each part."""

    def __init__(self, path: Path, builder=None):
        self.path, self.builder = path, builder

    def wait(self, marker: str) -> Path:
        deadline = time.monotonic() + WAIT
        while not (self.path / marker).exists():
            if (self.path / FAILED).exists():
                pytest.fail("building the shared course failed:\n" + (self.path / FAILED).read_text()[-6000:])
            if self.builder is not None and self.builder.poll() is not None and not (self.path / marker).exists():
                log = (self.path.parent / "door-agreement.log").read_text()[-6000:]
                pytest.fail(f"the builder of the shared course ended ({self.builder.returncode}):\n{log}")
            assert time.monotonic() < deadline, f"the shared course was not ready within {WAIT} s"
            time.sleep(0.1)
        return self.path


USES_SHARED = ("test_gradescope_agrees", "test_the_gradebooks_agree", "test_the_course_sees_every_submission",
               "test_every_feedback_page", "test_the_class_report")


@pytest.fixture(scope="session")
def shared(request, tmp_path_factory):
    """The shared folder, its building started (once for every worker of the session) as soon
    as any test of this module runs, if a test that needs it was collected."""
    top = shared_temp(tmp_path_factory)
    path = top / "door-agreement"
    if not any(item.name.startswith(USES_SHARED) for item in request.session.items):
        yield Shared(path)
        return
    builder = None
    with open(top / "door-agreement.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            path.mkdir()
            log = open(top / "door-agreement.log", "w")
            builder = subprocess.Popen([sys.executable, str(Path(door_corpus.__file__)), str(path)],
                                       env=door_corpus.environment(), stdout=log, stderr=subprocess.STDOUT)
            log.close()
    yield Shared(path, builder)
    if builder is not None:               # a worker still waiting for it may be on the other core
        try:
            builder.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            builder.kill()
            builder.wait()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """Every case written as a submission folder: corpus/<student>/<lab>/."""
    folder = tmp_path_factory.mktemp("corpus")
    for case in CASES:
        case.write(folder / case.student / case.lab)
    return folder


@functools.lru_cache(maxsize=None)
def cell_scores(gradebook: Path, lab: str) -> dict:
    """{student: {grade cell: (auto score, needs manual grade)}} from nbgrader's gradebook (its
    tables read directly: nbgrader's API costs seconds of imports in every worker)."""
    import contextlib
    import sqlite3
    out = {}
    with contextlib.closing(sqlite3.connect(f"file:{gradebook}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT student.id, base_cell.name, grade.auto_score, grade.needs_manual_grade "
            "FROM grade JOIN base_cell ON grade.cell_id = base_cell.id "
            "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
            "JOIN assignment ON submitted_assignment.assignment_id = assignment.id "
            "JOIN student ON submitted_assignment.student_id = student.id WHERE assignment.name = ?", (lab,))
        for student, name, score, manual in rows:
            out.setdefault(student, {})[name] = (score, bool(manual))
    return out


@functools.lru_cache(maxsize=None)
def ledger(course: Path, lab: str) -> dict:
    from autograder.grading import Ledger
    return Ledger(course, lab).entries()


def autograded(course: Path, case):
    """metadata.nnlabs of the notebook plain nbgrader autograded, or None (none written)."""
    path = course / "autograded" / case.student / case.lab / f"{case.lab}.ipynb"
    return json.loads(path.read_text())["metadata"]["nnlabs"] if path.exists() else None


# -- the public doors: 1 the check cells in a kernel, 2 nnlabs check, 3 pytest ------------------------

@pytest.mark.parametrize("case", case_params("test_public_doors_agree", PUBLIC))
def test_public_doors_agree(case, corpus, shared, tmp_path):
    path = corpus / case.student / case.lab / case.public
    check = nnlabs_check(path)
    tests = pytest_door(path, tmp_path / "junit.xml")
    kernel = None if case.public_unusable else kernel_door(path)          # waits its own time meanwhile
    code, report = checked(check)
    ran = finish(tests)
    junit = junit_results(tmp_path / "junit.xml")

    if case.public_unusable:         # a file Jupyter cannot open: nnlabs check and pytest say why
        assert code == 2 and case.public_unusable in report["error"], report
        lab = get_lab(case.lab)
        assert set(junit) == {c.id for c in lab.checks(hidden=False)}, ran.stdout
        for status, text in junit.values():
            assert status == "failed" and f"cannot judge {path.name}: {report['error']}" in text, text
        assert ran.returncode == 1
        return

    checks = {c["id"]: c for c in report["checks"]}
    lab = get_lab(report["lab"])
    assert [c["id"] for c in report["checks"]] == [c.id for c in lab.checks(hidden=False)]
    assert code == (0 if all(c["passed"] for c in checks.values()) else 1), report
    failing = [c for c in checks.values() if not c["passed"]]

    # 3. pytest: one test per check; a failure shows the message; a blocked check is skipped, saying why
    assert set(junit) == set(checks), ran.stdout[-3000:]
    for check_id, c in checks.items():
        status, text = junit[check_id]
        assert status == ("passed" if c["passed"] else "skipped" if blocked(c) else "failed"), (check_id, text)
        if not c["passed"]:
            assert shown_in(c["message"], text), (check_id, c["message"], text)
    assert ran.returncode == (1 if any(not blocked(c) for c in failing) else 0), ran.stdout[-3000:]
    passed = {name for name, (status, _) in junit.items() if status == "passed"}
    assert function_points(lab.id, [dict(c, points=c["max_points"] if c["id"] in passed else 0.0)
                                    for c in checks.values()]) == check_points(report)

    # 1. the check cells in the student's kernel: the same marks, points and messages per function
    nb = json.loads(path.read_text())
    check_cells = {grade_id(c)[5:] for c in nb["cells"]
                   if grade_id(c).startswith("test_") and "".join(c["source"]).strip() == f"check({grade_id(c)[5:]})"}
    assert set(kernel["checks"]) == check_cells, (sorted(kernel["checks"]), sorted(check_cells))
    unshown = []            # messages the check cells do not show (asserted last)
    for function, seen in kernel["checks"].items():
        mine = [c for c in checks.values() if c["function"] == function]
        if not seen["table"]:        # the check cell never ran check(): the function is not defined
            assert seen["error"][0] == "NameError" and f"'{function}' is not defined" in seen["error"][1], seen
            assert all(not c["passed"] and c["message"].startswith(f"{function} is not defined") for c in mine)
            error = kernel["answer_errors"].get(function)
            assert error and all(error in c["message"] for c in mine), (error, mine)
            continue
        name, points, marks = read_table(seen["table"])
        assert name == function
        assert marks == {c["id"]: "✓" if c["passed"] else "⚠" if blocked(c) else "✗" for c in mine}, seen["table"]
        assert points == (sum(c["points"] for c in mine), sum(c["max_points"] for c in mine)), seen["table"]
        unshown += [(c["id"], c["message"], seen["table"]) for c in mine
                    if not c["passed"] and not shown_in(c["message"], seen["table"])]
        own = [c for c in mine if not c["passed"] and not blocked(c)]
        if own:              # the cell fails with one line that names the first failing check
            assert seen["error"] and seen["error"][0] == "ChecksFailed", seen
            assert f"{len(own)} of {len(mine)} public checks failed - {own[0]['id']}: " in seen["error"][1]
        else:
            assert seen["error"] is None, seen
        assert not seen["stderr"].strip(), seen["stderr"]        # nbgrader scores a cell with stderr as 0

    for note in case.notes:
        assert note in report.get("notes", []), report.get("notes")
    # last, so that everything else is checked in a case where this is known to fail (DISAGREE)
    unlocated = [(check_id, re.sub(r"\(cell [^,()]+, line ", "(line ", message), table)
                 for check_id, message, table in unshown]
    if unshown and all(shown_in(message, table) for _, message, table in unlocated):
        raise DoorsDisagree(f"the check cell does not say in which cell the exception was raised: {unshown}")
    assert not unshown, unshown


# -- the graded doors: 4 plain nbgrader, 5 nnlabs grade, 6 Gradescope; nnlabs check --hidden -----------

def hidden_reference(case, corpus: Path, shared: Shared) -> tuple:
    """(exit status, JSON) of `nnlabs check FOLDER --hidden --json` on the case's submission
    folder (named after the lab it is handed in for, as in nbgrader's submitted/): once per
    session, kept in the shared folder for the other tests of the case, on any worker."""
    path = shared.path / "hidden" / f"{case.student}.json"
    if path.exists():
        data = json.loads(path.read_text())
        return data["code"], data["report"]
    code, report = checked(nnlabs_check(corpus / case.student / case.lab, "--hidden"))
    path.parent.mkdir(parents=True, exist_ok=True)
    written = path.with_name(f"{path.name}.{os.getpid()}")
    written.write_text(json.dumps({"code": code, "report": report}))
    written.replace(path)
    return code, report


def assert_zero_with_reason(case, code, report) -> str:
    """The reason `nnlabs check --hidden` gives for an unusable submission (exit status 2)."""
    assert code == 2 and "checks" not in report and case.unusable in report["error"], report
    return report["error"]


@pytest.mark.parametrize("case", case_params("test_gradescope_agrees_with_nnlabs_check_hidden", CASES))
def test_gradescope_agrees_with_nnlabs_check_hidden(case, corpus, shared, tmp_path):
    """Door 6: the same points, verdict and message per check, notes and flags as
    `nnlabs check --hidden`; an unusable submission 0 with its reason in every test."""
    root = tmp_path / "autograder"
    gradescope = gradescope_door(case, shared.wait(GRADESCOPE_OK), root)
    code, report = hidden_reference(case, corpus, shared)
    result = gradescope_results(gradescope, root)
    lab = get_lab(case.lab)
    assert [t["name"] for t in result["tests"]] == [f"{c.function}: {c.id}" for c in lab.checks(hidden=True)]
    if case.unusable:
        reason = assert_zero_with_reason(case, code, report)
        assert result["score"] == 0 and all(t["status"] == "failed" and t["score"] == 0 for t in result["tests"])
        assert reason in result["output"] and all(t["output"] == reason for t in result["tests"]), result["output"]
        return
    assert code in (0, 1) and report["lab"] == case.lab, report
    assert result["score"] == pytest.approx(report["score"])
    assert function_points(case.lab, gradescope_checks(result)) == check_points(report)
    assert verdicts(gradescope_checks(result)) == verdicts(report["checks"])
    assert gradescope_notes(result) == report.get("notes", [])
    assert result["extra_data"]["flags"] == report["flags"]
    if case.student in ("renamed", "solved", "two"):           # which file was graded
        name = "my work.ipynb" if case.student == "two" else RENAMED
        assert f"graded: {name}" in result["output"] and result["extra_data"]["notebook"] == name


@pytest.mark.parametrize("case", case_params("test_the_gradebooks_agree_with_nnlabs_check_hidden", CASES))
def test_the_gradebooks_agree_with_nnlabs_check_hidden(case, corpus, shared):
    """Doors 4 and 5, from one course graded once by each: every test cell's score (cell
    points x got / total of its function), every check's verdict and message, the notes and
    the flags, as `nnlabs check --hidden` gives them; an unusable submission 0 with its reason."""
    code, report = hidden_reference(case, corpus, shared)
    course = shared.wait(COURSE_OK)
    graded, plain = course / "graded", course / "plain"
    ours = cell_scores(graded / "gradebook.db", case.lab).get(case.student)
    theirs = cell_scores(plain / "gradebook.db", case.lab).get(case.student)
    entry = ledger(graded, case.lab)[case.student]
    meta = autograded(plain, case)
    lab = get_lab(case.lab)
    cell = {f: lab.cell_points(f) for f in lab.functions}
    total = sum(cell.values())

    if case.unusable:               # 0, with the same reason, in every door that sees it
        reason = assert_zero_with_reason(case, code, report)
        # 5. nnlabs grade: zero in every cell, the reason in the ledger (and the feedback)
        assert entry["status"] == "unusable" and entry["reason"] == reason, entry
        assert ours and not any(auto_points(ours).values()), ours
        if case.lab == LAB2:
            page = (graded / "feedback" / case.student / case.lab / f"{case.lab}.html").read_text()
            assert case.unusable in page and "opens and runs" not in page
        # 4. plain nbgrader: zero in every cell, the reason in the notebook it wrote or (a file it
        # cannot read) in the record of what it could not grade; a folder without a notebook it
        # does not look at
        if not any(p.suffix == ".ipynb" for p in (corpus / case.student / case.lab).iterdir()):
            assert theirs is None and meta is None
            return
        assert theirs and not any(auto_points(theirs).values()), theirs
        if case.public_unusable:
            from autograder.nbgrader.autograde import failed_gradings
            assert meta is None and failed_gradings(plain, case.lab)[case.student] == reason
        else:
            assert meta["notes"] == [reason] and not any(c["points"] for c in meta["checks"]), meta
        if case.student == "lab1":   # nnlabs check on the file itself names the lab it is
            own_code, own = checked(nnlabs_check(corpus / "lab1" / LAB2 / f"{LAB2}.ipynb", "--hidden"))
            assert own["lab"] == LAB1 and own_code == 0, own
        return

    assert code == (0 if all(c["passed"] for c in report["checks"]) else 1) and report["lab"] == case.lab
    expected = check_points(report)
    assert auto_points(ours) == expected, "nnlabs grade"
    assert auto_points(theirs) == expected, "plain nbgrader autograde"
    assert not any(manual for scores in (ours, theirs) for name, (_, manual) in scores.items()
                   if name.startswith("test_")), "a test cell left for manual grading"
    assert entry["status"] == "graded" and entry["score"] == pytest.approx(sum(expected.values()))
    want = verdicts(report["checks"])
    assert verdicts(entry["checks"]) == want, "nnlabs grade"
    assert verdicts(meta["checks"]) == want, "plain nbgrader autograde"
    notes = report.get("notes", [])
    assert entry["notes"] == notes, "nnlabs grade"
    assert meta.get("notes", []) == notes, "plain nbgrader autograde"
    assert entry["flags"] == report["flags"], "nnlabs grade"
    assert meta.get("flags", []) == report["flags"], "plain nbgrader autograde"
    for note in case.notes:
        assert note in notes, notes

    # what each case is about
    got = sum(expected.values())
    flags = [f["code"] for f in report["flags"]]
    if case.student == "copy":       # a slip, not an attempt: the later copy graded, told, not flagged
        assert 0 < expected["test_bce_loss"] < cell["bce_loss"] and expected["test_sigmoid"] == cell["sigmoid"]
        assert flags == []
    elif case.student in ("renamed", "solved"):           # a renamed notebook is graded, and the note names it
        assert any(RENAMED in n for n in notes), notes
        assert got == total if case.student == "solved" else 0 < got < total
    elif case.student == "two":      # of two notebooks of the lab, the newer, and the note says so
        assert got == total
        assert any("my work.ipynb" in n and f"{LAB2}.ipynb" in n and "newer" in n for n in notes), notes
    elif case.student == "cut":      # nbgrader puts the deleted test cell back, never a KeyError
        assert expected["test_sigmoid"] == 0 and got > 0
    elif case.student in ("variants", "lab1_solved", "lab4_solved"):
        assert got == total and flags == []
    elif case.student == "lab4_stubs":
        assert got == 0
    elif case.student in ("callee_stub", "raises"):        # a function is judged on its own
        assert expected["test_predict"] == cell["predict"] and expected["test_predict_proba"] < cell["predict_proba"]
    elif case.student == "endless":  # an honest mistake: reported, not flagged
        assert expected["test_bce_dloss_dphat"] == 0 and got == total - cell["bce_dloss_dphat"] and flags == []
        assert any("did not finish within" in c["message"] for c in report["checks"])
    elif case.student == "syntax":
        assert expected["test_sigmoid_derivative"] == 0 and got == total - cell["sigmoid_derivative"]
        assert any("SyntaxError" in n for n in notes), notes
    elif case.student == "deleted_test":                   # put back from the release, and said
        assert any("test_bce_loss was missing" in n for n in notes) and 0 < got < total
    elif case.student == "edited_test":                    # an edited test cell is flagged
        assert flags == ["test_cell_changed"] and 0 < got < total
    else:
        assert 0 < got < total
    if case.student == "lab4_half":  # a wrong relu costs nothing in forward and backward, which use it
        assert expected["test_forward"] == cell["forward"] and expected["test_relu"] < cell["relu"]
        assert expected["test_backward"] < cell["backward"]         # (bw_no_relu_derivative: its own bug)


# -- the course as a whole ---------------------------------------------------------------------------

def log_by_student(text: str) -> dict:
    """nbgrader's log cut into the part of each submission ({student: text}); the summary of
    the failures, at the end, goes with the submission each line names."""
    parts, student = {}, ""
    for line in text.splitlines():
        found = re.search(r"Creating/updating student with ID '([^']+)'", line)
        if found:
            student = found.group(1)
        named = re.search(r"for student '([^']+)'", line)
        if named:
            student = named.group(1)
        parts[student] = parts.get(student, "") + line + "\n"
    return parts


def test_the_course_sees_every_submission_as_submitted(shared):
    """Both course doors ran through every submission; plain nbgrader failed on nothing but the
    file it cannot read; what nbgrader's hook added is seen through, and nothing of a student's
    is lost (a <lab>.ipynb that is not the notebook graded is kept beside it)."""
    from autograder.notebook import intake

    course = shared.wait(COURSE_OK)
    runs = json.loads((course / "runs.json").read_text())
    for run in runs["graded"]:
        assert run["returncode"] == 0, run["stdout"][-3000:] + run["stderr"][-3000:]
    for run in runs["plain"]:
        log = run["stdout"] + run["stderr"]
        unreadable = {c.student for c in CASES if c.lab == run["lab"] and c.public_unusable}
        assert run["returncode"] == (1 if unreadable else 0), log[-4000:]
        for student, part in log_by_student(log).items():
            if student not in unreadable:
                assert "Traceback" not in part and "KeyError" not in part and "ERROR" not in part, part[-4000:]
        failed = re.findall(r"There was an error processing assignment '[^']+' for student '([^']+)'", log)
        assert set(failed) == unreadable, failed

    base, plain, graded = course / "base", course / "plain", course / "graded"
    originals = {path.relative_to(base): path.read_bytes() for path in (base / "submitted").rglob("*")
                 if path.is_file()}
    for path, data in originals.items():
        assert (graded / path).read_bytes() == data, path                # nnlabs grade changes nothing
        kept = (plain / path).with_name(path.name + ".original")
        assert (plain / path).read_bytes() == data or kept.read_bytes() == data, path
    submitted = plain / "submitted"
    two, renamed = submitted / "two" / LAB2, submitted / "renamed" / LAB2
    assert (two / f"{LAB2}.ipynb").read_bytes() == originals[Path("submitted", "two", LAB2, "my work.ipynb")]
    assert (renamed / f"{LAB2}.ipynb").read_bytes() == originals[Path("submitted", "renamed", LAB2, RENAMED)]
    entries = ledger(graded, LAB2)
    for student, name in (("renamed", RENAMED), ("two", "my work.ipynb")):
        taken = intake(submitted / student / LAB2, LAB2)     # after nbgrader's hook: as nnlabs grade saw it
        assert taken.name == name and taken.notes and set(taken.notes) <= set(entries[student]["notes"]), student
    taken = intake(submitted / "lab1named" / LAB2, LAB2)
    assert taken.name == f"{LAB1}.ipynb" and taken.reason == entries["lab1named"]["reason"]
    assert OTHER_LAB in taken.reason


def test_every_feedback_page_is_headed_by_function_and_leaks_nothing(shared):
    """The feedback `nnlabs grade` wrote (nbgrader's GenerateFeedback, the course's
    configuration) for every graded case of every lab: a table per function headed by it,
    marks as text, no prompts, nothing of the reference or the hidden tests."""
    from test_course import LEAK, solution_lines
    graded = shared.wait(COURSE_OK) / "graded"
    seen = set()
    for case in CASES:
        page = graded / "feedback" / case.student / case.lab / f"{case.lab}.html"
        entry = ledger(graded, case.lab).get(case.student, {})
        if entry.get("status") != "graded":
            continue
        html = page.read_text()
        functions = get_lab(case.lab).functions
        assert all(f"Checks of <code>{f}</code>" in html for f in functions), case.student
        assert html.count('class="nnlabs-checks"') == len(functions), case.student
        assert "In&nbsp;[" not in html and "Out[" not in html and "white-space: pre-wrap" in html
        assert "overflow-wrap: anywhere" not in html
        assert not LEAK.search(html), case.student
        if case.student == "lab4_stubs":     # (others hold reference answers as their own)
            assert not [line for line in solution_lines(case.lab) if line in html], case.student
        seen.add(case.lab)
    assert seen == set(door_corpus.LABS)


def test_the_class_report_of_every_lab_is_what_its_gradebook_holds(shared):
    """The report door: for every lab of the course, the class report (`nnlabs report`) gives
    each student the score of the ledger nnlabs grade wrote, on its page and, function by
    function, in its CSV."""
    from autograder.reports import class_report
    graded = shared.wait(COURSE_OK) / "graded"
    for lab in door_corpus.LABS:
        entries = ledger(graded, lab)
        data = class_report.gather(graded, lab)
        assert data["scores"] == pytest.approx({s: e.get("score", 0.0) for s, e in entries.items()}), lab
        page = class_report.write(graded, lab, data).read_text()
        assert "data:image/png;base64," in page and lab in page, lab
        rows = list(csv.DictReader((graded / "reports" / lab / "matrix.csv").open()))
        graded_here = {s for s, e in entries.items() if e.get("status") == "graded"}
        assert {row["student"] for row in rows} == graded_here, lab
        for row in rows:            # per function, the points of its checks in the ledger
            points = {f: sum(c["points"] for c in entries[row["student"]]["checks"] if c["function"] == f)
                      for f in get_lab(lab).functions}
            assert {f: float(row[f]) for f in points} == pytest.approx(points), (lab, row["student"])
