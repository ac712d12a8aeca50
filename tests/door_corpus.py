"""The submissions of the door-agreement test (tests/test_door_agreement.py): one case per
student, each a submission folder of one lab, written the same way wherever it is needed
(a course's submitted/<student>/<lab>/, a Gradescope submission/ folder, a scratch folder
for the public doors).

A case's `files` are {name in the folder: notebook dict, bytes, or (content, mtime)};
`public` is the file a student checks with the public doors (the check cells in Jupyter,
`nnlabs check`, `pytest`), None when there is no notebook to check, or when the notebook is
another case's (the same bytes: lab1's is lab1_solved's, the newer of two's is solved's).
"""
from __future__ import annotations

import copy
import dataclasses
import json
import os
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __name__ == "__main__":                  # run as a script (the shared course's builder)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from solutions import sample_class  # noqa: E402

LAB1 = "lab1_linear_regression"
LAB2 = "lab2_binary_classification"
LAB3 = "lab3_multiclass_classification"
LAB4 = "lab4_hidden_layer"
LABS = (LAB1, LAB2, LAB3, LAB4)
RENAMED = f"{LAB2} (1).ipynb"
OTHER_LAB = f"this is the notebook of {LAB1}, not {LAB2}"

# A loop that never ends, without burning a core while every door waits out its 10 s call
# limit (seven doors judge it).
ENDLESS = '''def bce_dloss_dphat(y, p_hat):
    """Waits for a convergence that never comes."""
    import time
    done = False
    while not done:
        time.sleep(0.05)
    return (1 - y) / (1 - p_hat) - y / p_hat
'''
SYNTAX_ERROR = '''def sigmoid_derivative(p_hat)
    return p_hat * (1 - p_hat)
'''
RAISES = '''def predict_proba(X, W, b):
    return sigmoid(np.asarray(X) @ np.reshape(W, (1, -1)) + b)
'''


def grade_id(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def index_of(nb, grade: str) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if grade_id(c) == grade)


def stub(lab: str, function: str) -> str:
    """The release's own text of a function's answer cell (the stub a student starts from)."""
    blank = sample_class.submission(lab, {})
    return blank["cells"][index_of(blank, function)]["source"]


def copied_answer():
    """The solved notebook with the answer cell of bce_loss copied below its test cell, the
    copy then edited (a bug): the student's kernel runs the copy last. Returns the notebook
    and the numbers (from 1) of the two copies."""
    nb = sample_class.solved(LAB2)
    cells = nb["cells"]
    first, test = index_of(nb, "bce_loss"), index_of(nb, "test_bce_loss")
    pasted = copy.deepcopy(cells[first])
    if "id" in pasted:
        pasted["id"] = "pasted-bce-loss"          # Jupyter gives a pasted cell an id of its own
    entry = next(e for e in sample_class.catalog(LAB2).entries if e.name == "bce_loss_sum")
    pasted["source"] = entry.source()
    cells.insert(test + 1, pasted)
    return nb, first + 1, test + 2


def without(nb, *grade_ids):
    nb["cells"] = [c for c in nb["cells"] if grade_id(c) not in grade_ids]
    return nb


def edited(nb, grade: str, source: str):
    nb["cells"][index_of(nb, grade)]["source"] = source
    return nb


@dataclasses.dataclass
class Case:
    student: str
    lab: str                      # the lab it is handed in for (the course's assignment, the zip's lab)
    what: str
    files: dict
    public: str | None = None     # the file the public doors check
    unusable: str = ""            # words of the reason every door that sees it gives (score 0)
    public_unusable: str = ""     # ... and the public doors, when they cannot judge the file either
    notes: tuple = ()             # notes every door that judges the notebook gives

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in self.files.items():
            content, mtime = content if isinstance(content, tuple) else (content, None)
            path = folder / name
            if isinstance(content, dict):
                sample_class.write(content, path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            if mtime is not None:
                os.utime(path, (mtime, mtime))
        return folder


def build() -> list:
    """Every case of the corpus (made afresh each call: the notebooks are plain dicts)."""
    with_entries = sample_class.with_entries
    nb_copy, first, second = copied_answer()
    copy_note = (f"the answer cell of bce_loss appears twice (cells {first} and {second}): "
                 f"the later one, cell {second}, was graded")
    damaged = json.dumps(sample_class.solved(LAB2), indent=1).encode()[:5000]       # cut off mid-save
    cases = [
        # -- the intake cases (moved from tests/test_intake.py)
        Case("copy", LAB2, "an answer cell copied below its test cell (grade id kept), the copy edited "
             "(bce_loss_sum): the later copy is graded", {f"{LAB2}.ipynb": nb_copy}, f"{LAB2}.ipynb",
             notes=(copy_note,)),
        Case("renamed", LAB2, f"one bug (accuracy_count) in '{RENAMED}'",
             {RENAMED: with_entries(LAB2, "accuracy_count")}, RENAMED),
        Case("lab1", LAB2, "lab 1's notebook handed in for lab 2, under lab 2's file name",
             {f"{LAB2}.ipynb": sample_class.solved(LAB1)}, unusable=OTHER_LAB),   # its public doors: lab1_solved's
        Case("lab1named", LAB2, "lab 1's notebook handed in for lab 2, under its own name",
             {f"{LAB1}.ipynb": sample_class.solved(LAB1)}, unusable=OTHER_LAB),
        Case("empty", LAB2, "no notebook: a folder holding answers.py",
             {"answers.py": b"def sigmoid(z):\n    return z\n"}, unusable="no notebook was submitted"),
        Case("two", LAB2, "two notebooks of the lab: the older (sigmoid_sign) under the lab's name, the newer "
             "(correct) as 'my work.ipynb'",
             {f"{LAB2}.ipynb": (with_entries(LAB2, "sigmoid_sign"), 1_700_000_000),
              "my work.ipynb": (sample_class.solved(LAB2), 1_700_000_600)}),    # its public doors: solved's
        Case("cut", LAB2, "the answer cell of sigmoid deleted with its test cell",
             {f"{LAB2}.ipynb": without(sample_class.solved(LAB2), "sigmoid", "test_sigmoid")}, f"{LAB2}.ipynb"),
        # -- more of lab 2
        Case("solved", LAB2, f"every answer correct, in '{RENAMED}'", {RENAMED: sample_class.solved(LAB2)}, RENAMED),
        Case("variants", LAB2, "correct answers written differently (scipy, xlogy, loops, sklearn, the graded "
             "functions in the loop)",
             {f"{LAB2}.ipynb": with_entries(LAB2, "sigmoid_scipy", "bce_loss_xlogy", "grads_loops",
                                            "accuracy_sklearn", "train_with_graded_functions")}, f"{LAB2}.ipynb"),
        Case("half_wrong", LAB2, "half wrong: bce_loss_sum, dloss_sign, grads_sign, predict_ge, accuracy_percent, "
             "train_zero_init",
             {f"{LAB2}.ipynb": with_entries(LAB2, "bce_loss_sum", "dloss_sign", "grads_sign", "predict_ge",
                                            "accuracy_percent", "train_zero_init")}, f"{LAB2}.ipynb"),
        Case("cascade", LAB2, "a wrong sigmoid (sigmoid_sign) and bce_loss_sum, which every later function uses",
             {f"{LAB2}.ipynb": with_entries(LAB2, "sigmoid_sign", "bce_loss_sum")}, f"{LAB2}.ipynb"),
        Case("callee_stub", LAB2, "predict_proba left a stub; predict (correct) calls it",
             {f"{LAB2}.ipynb": sample_class.solved(LAB2, predict_proba=stub(LAB2, "predict_proba"))},
             f"{LAB2}.ipynb"),
        Case("raises", LAB2, "predict_proba raises (a shape mismatch); predict calls it",
             {f"{LAB2}.ipynb": sample_class.solved(LAB2, predict_proba=RAISES)}, f"{LAB2}.ipynb"),
        Case("endless", LAB2, "an endless loop in bce_dloss_dphat",
             {f"{LAB2}.ipynb": sample_class.solved(LAB2, bce_dloss_dphat=ENDLESS)}, f"{LAB2}.ipynb"),
        Case("syntax", LAB2, "a syntax error in the answer cell of sigmoid_derivative",
             {f"{LAB2}.ipynb": sample_class.solved(LAB2, sigmoid_derivative=SYNTAX_ERROR)}, f"{LAB2}.ipynb"),
        Case("deleted_test", LAB2, "the test cell of bce_loss deleted, bce_loss wrong (bce_loss_log2)",
             {f"{LAB2}.ipynb": without(with_entries(LAB2, "bce_loss_log2"), "test_bce_loss")}, f"{LAB2}.ipynb"),
        Case("edited_test", LAB2, "the test cell of accuracy made `assert True`, accuracy wrong (accuracy_count)",
             {f"{LAB2}.ipynb": edited(with_entries(LAB2, "accuracy_count"), "test_accuracy", "assert True")},
             f"{LAB2}.ipynb"),
        Case("damaged", LAB2, "a damaged file (the JSON cut off at 5000 bytes)", {f"{LAB2}.ipynb": damaged},
             f"{LAB2}.ipynb", unusable=f"{LAB2}.ipynb is not a Jupyter notebook: invalid JSON",
             public_unusable=f"{LAB2}.ipynb is not a Jupyter notebook: invalid JSON"),
        # -- labs 1 and 3
        Case("lab1_solved", LAB1, "lab 1, every answer correct", {f"{LAB1}.ipynb": sample_class.solved(LAB1)},
             f"{LAB1}.ipynb"),
        Case("lab1_half", LAB1, "lab 1 in 'Lab 1.ipynb': mse_sum, grads_sign, step_no_lr",
             {"Lab 1.ipynb": with_entries(LAB1, "mse_sum", "grads_sign", "step_no_lr")}, "Lab 1.ipynb"),
        Case("lab3_half", LAB3, "lab 3: softmax_unstable, ce_log2, entropy_nan_at_zero, pc_argmin",
             {f"{LAB3}.ipynb": with_entries(LAB3, "softmax_unstable", "ce_log2", "entropy_nan_at_zero",
                                            "pc_argmin")}, f"{LAB3}.ipynb"),
        Case("lab3_callee", LAB3, "lab 3 with softmax left a stub: every function that uses it is blocked",
             {f"{LAB3}.ipynb": sample_class.solved(LAB3, softmax=stub(LAB3, "softmax"))}, f"{LAB3}.ipynb"),
        Case("lab3_nothing", LAB3, "an empty folder", {}, unusable="no notebook was submitted (the folder is empty)"),
        # -- lab 4
        Case("lab4_solved", LAB4, "lab 4, every answer correct", {f"{LAB4}.ipynb": sample_class.solved(LAB4)},
             f"{LAB4}.ipynb"),
        Case("lab4_half", LAB4, "lab 4: relu_min (forward and backward use relu), init_unscaled, bw_no_relu_derivative, "
             "pm_ties_to_last, train_history_after",
             {f"{LAB4}.ipynb": with_entries(LAB4, "relu_min", "init_unscaled", "bw_no_relu_derivative",
                                            "pm_ties_to_last", "train_history_after")}, f"{LAB4}.ipynb"),
        Case("lab4_stubs", LAB4, "the blank release notebook of lab 4: every function a stub (the blank of "
             "any lab takes the same way through every door)", {f"{LAB4}.ipynb": sample_class.submission(LAB4, {})},
             f"{LAB4}.ipynb"),
    ]
    return cases


# -- the shared course: built once per test session, in a process of its own ------------------------

ROOT = Path(__file__).resolve().parent.parent
BIN = os.path.dirname(sys.executable)
GRADESCOPE_OK, COURSE_OK, FAILED = "gradescope.ok", "course.ok", "failed.txt"


def environment() -> dict:
    """This environment's bin first on PATH (nbgrader needs alembic), as tests/conftest.py `run`."""
    return dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), MPLBACKEND="Agg")


def command(args, cwd) -> dict:
    started = time.monotonic()
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=environment(), capture_output=True, text=True)
    return {"args": [str(a) for a in args], "returncode": done.returncode, "stdout": done.stdout,
            "stderr": done.stderr, "seconds": round(time.monotonic() - started, 2)}


def unzip(archive: Path, target: Path):
    """As `unzip` does (Python's extractall drops the modes the zip records)."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, target))
            mode = info.external_attr >> 16
            if mode & 0o777:
                path.chmod(stat.S_IMODE(mode))


def release(course: Path, labs):
    """The labs released in `course` (nbgrader generate_assignment, through nbgrader's API, in
    this process: one start of nbgrader for every lab)."""
    sys.modules.setdefault("rfc3987_syntax", None)     # as the nnlabs command does (cli._without_iri_grammars)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    for lab in labs:
        result = api.generate_assignment(lab, force=True)
        if not result["success"]:
            raise RuntimeError(f"generate_assignment {lab} failed:\n{result.get('log', '')}\n{result.get('error', '')}")


def nnlabs_grade(lab: str) -> list:
    """`nnlabs grade <lab>`, feedback included (every lab's pages are checked:
    test_door_agreement.py, `test_every_feedback_page_is_headed_by_function_and_leaks_nothing`)."""
    return [Path(BIN) / "nnlabs", "grade", lab]


# `nbgrader autograde <lab> --force`: nbgrader's own command (the console script `nbgrader` is
# nbgrader.apps.nbgraderapp:main), started without the grammars jsonschema compiles at import
# for its "iri" string format, which no notebook or nbgrader schema uses (about a second of
# each start; the nnlabs command does the same, cli._without_iri_grammars).
NBGRADER = ("import sys; sys.modules.setdefault('rfc3987_syntax', None); "
            "from nbgrader.apps.nbgraderapp import main; sys.exit(main())")


def nbgrader_autograde(lab: str) -> list:
    return [sys.executable, "-c", NBGRADER, "autograde", lab, "--force"]


def build_shared(target: Path):
    """What the door-agreement test shares between its tests (and its pytest-xdist workers):

    - gradescope/<lab>.zip, built by `nnlabs gradescope <lab>`, unpacked in gradescope/<lab>/
      (then the marker gradescope.ok);
    - base/: a course (the repository's nbgrader_config.py and source/) with the labs released
      and every case of the corpus in submitted/<student>/<lab>/, copied to graded/ and plain/;
      graded/ graded by `nnlabs grade <lab>` and plain/ by plain `nbgrader autograde <lab>
      --force` (`nnlabs_grade`, `nbgrader_autograde`), lab after lab, the two at once;
      runs.json holds each command's exit status and output (then the marker course.ok)."""
    target.mkdir(parents=True, exist_ok=True)
    zips = target / "gradescope"
    zips.mkdir(exist_ok=True)
    with ThreadPoolExecutor(len(LABS)) as pool:
        made = list(pool.map(lambda lab: command([Path(BIN) / "nnlabs", "gradescope", lab, "-o", zips / f"{lab}.zip"],
                                                 target), LABS))
    for lab, result in zip(LABS, made):
        if result["returncode"] != 0:
            raise RuntimeError(f"nnlabs gradescope {lab} failed: {result['stdout']}{result['stderr']}")
        unzip(zips / f"{lab}.zip", zips / lab)
    (target / GRADESCOPE_OK).write_text("ok\n")

    base = target / "base"
    base.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", base)
    shutil.copytree(ROOT / "source", base / "source")
    release(base, LABS)
    for case in build():
        case.write(base / "submitted" / case.student / case.lab)
    for name in ("graded", "plain"):
        shutil.copytree(base, target / name, symlinks=True)

    def chain(name, args):
        return [command(args(lab), target / name) | {"lab": lab} for lab in LABS]

    with ThreadPoolExecutor(2) as pool:
        graded = pool.submit(chain, "graded", nnlabs_grade)
        plain = pool.submit(chain, "plain", nbgrader_autograde)
        runs = {"graded": graded.result(), "plain": plain.result()}
    (target / "runs.json").write_text(json.dumps(runs, indent=1))
    (target / COURSE_OK).write_text("ok\n")


if __name__ == "__main__":
    # python tests/door_corpus.py FOLDER: build the shared folder (see build_shared)
    folder = Path(sys.argv[1])
    try:
        build_shared(folder)
    except BaseException:
        import traceback
        (folder / FAILED).write_text(traceback.format_exc())
        raise
