"""Gradescope: `nnlabs gradescope LAB` builds the autograder zip of a lab, and the same
module, run there by `run_autograder`, writes Gradescope's results.json.

The zip holds `setup.sh`, `run_autograder`, the lab's id (`nnlabs-lab.txt`), the course's
key (`nnlabs-course.key`) and the project's source. Gradescope runs `setup.sh` once, as
root, when it builds the autograder image: it makes a virtual environment, ``venv``, and
installs the project there as the instructor install (editable, so the reference
solutions and the hidden checks come with it) with its plain dependencies - not nbgrader,
Dask or tqdm: the run path below imports none of them. For every submission Gradescope
puts the student's files in /autograder/submission and runs `run_autograder`, which judges
the notebook with that environment alone and writes /autograder/results/results.json -
whatever happens: a submission that cannot be judged gets a score of 0 and the reason.

Gradescope keeps the zip from students; what they see is results.json: one test per check,
the check's message (with the named mistake, when there is one) as its output, and hidden
checks with visibility "after_published", so they appear only once grades are published.
Flags go in `extra_data`, for the instructor. `NNLABS_GRADESCOPE_ROOT` (or --root) stands
in for /autograder, so both scripts run anywhere for testing; `NNLABS_PYTHON` names another
Python for `run_autograder` (default: the one `setup.sh` made).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
import zipfile
from pathlib import Path

from ..judging import course_key

ROOT = "/autograder"
SOURCE_PARTS = ("autograder", "solutions", "pyproject.toml", "setup.py", "README.md")
LAB_FILE, KEY_FILE = "nnlabs-lab.txt", "nnlabs-course.key"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (the zip is in
# /autograder/source). It may run again: it keeps a working environment and installs into
# it again. NNLABS_GRADESCOPE_ROOT stands in for /autograder (tests).
set -euo pipefail
ROOT="${NNLABS_GRADESCOPE_ROOT:-/autograder}"
VENV="$ROOT/venv"
if ! "$VENV/bin/python" -m pip --version > /dev/null 2>&1; then
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV" > /dev/null 2>&1; then
        # a bare image: no Python, or no venv (Debian and Ubuntu ship it apart)
        rm -rf "$VENV"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq python3 python3-venv > /dev/null
        python3 -m venv "$VENV"
    fi
fi
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "setup.sh: nnlabs needs Python 3.10 or newer, this image has $("$VENV/bin/python" -V 2>&1):" \\
         "choose Gradescope's Ubuntu 22.04 base image, or a newer one" >&2
    exit 1
fi
# the instructor install (editable: the reference solutions and the hidden checks come with
# it), without nbgrader and the other instructor extras: judging a notebook needs none of them
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT/source"
"$VENV/bin/python" -I -m autograder.faces.gradescope self-test --root "$ROOT"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission, from /autograder: judge the notebook in
# submission/ and write results/results.json. A results.json is written whatever happens.
set -uo pipefail
exec 2>&1
ROOT="${NNLABS_GRADESCOPE_ROOT:-/autograder}"
PYTHON="${NNLABS_PYTHON:-$ROOT/venv/bin/python}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"
if [ -x "$PYTHON" ]; then
    cd "$ROOT" && "$PYTHON" -I -m autograder.faces.gradescope run --root "$ROOT" --lab "$(cat "$ROOT/source/nnlabs-lab.txt")"
    status=$?
else
    echo "run_autograder: no $PYTHON: setup.sh did not run, or failed"
    status=127
fi
if [ ! -s "$RESULTS" ]; then
    echo "run_autograder: the judge wrote no results.json (exit status $status)"
    cat > "$RESULTS" <<JSON
{"score": 0.0, "output": "The autograder failed before it could judge your submission. This is not a problem with your notebook: tell your instructor.", "visibility": "visible", "stdout_visibility": "hidden", "tests": [], "extra_data": {"autograder_error": "exit status $status"}}
JSON
fi
exit 0
"""


def build(lab: str, output: str | None = None, project: Path | None = None) -> int:
    from ..labs import LAB_IDS
    if lab not in LAB_IDS:
        print(f"nnlabs: unknown lab {lab!r}; the labs are: {', '.join(LAB_IDS)}")
        return 2
    project = Path(project or Path(__file__).resolve().parents[2])
    if not (project / "solutions").is_dir():
        print("nnlabs gradescope: needs the instructor install (the `solutions` package)")
        return 2
    target = Path(output or Path.cwd() / "gradescope" / f"{lab}.zip")
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            zf.writestr(info, text)
        zf.writestr(LAB_FILE, lab + "\n")
        # the course's key (seeds the hidden checks' inputs): Gradescope keeps the zip from students
        zf.writestr(KEY_FILE, course_key.load(course_key.course_root() or project).hex() + "\n")
        for part in SOURCE_PARTS:
            path = project / part
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
            for file in files:
                if "__pycache__" in file.parts or file.suffix == ".pyc":
                    continue
                zf.write(file, file.relative_to(project).as_posix())
    print(f"Gradescope autograder for {lab}: {target}\n  upload it as the assignment's autograder "
          "(Ubuntu image); students submit their notebook (any file name)")
    return 0


# --- which notebook is graded ------------------------------------------------------

# --- results.json -----------------------------------------------------------------

def results(report, seconds: float, *, note: str = "", notebook: str = "", unusable: bool = False) -> dict:
    """Gradescope's results.json for one judged notebook (`unusable`: one that could not be
    judged, its report made by `unusable_report`)."""
    tests = []
    for number, check in enumerate(report.checks, 1):
        tests.append({
            "name": f"{check.function}: {check.id}",
            "number": str(number),
            "score": float(check.points),
            "max_score": float(check.max_points),
            "status": "passed" if check.passed else "failed",
            "output": check.message or "passed",
            "visibility": "after_published" if check.hidden else "visible",
            "tags": [check.function] + (["hidden"] if check.hidden else []),
        })
    if unusable:
        lines = [f"{report.lab}: 0 / {report.max_score:g} points: this submission could not be graded"]
    else:
        lines = [f"{report.lab}: {report.score:g} / {report.max_score:g} points from the checks "
                 "(hidden checks are shown once grades are published)"]
    if notebook:
        lines.append(f"{'notebook' if unusable else 'graded'}: {notebook}" + (f" ({note})" if note else ""))
    elif note:
        lines.append(note)
    lines += [f"note: {n}" for n in report.notes]
    if report.check_errors:
        lines.append(f"{len(report.check_errors)} check(s) could not run: an error in the checks, not in your "
                     "code; your instructor will review them")
    flags = [f.to_dict() if hasattr(f, "to_dict") else str(f) for f in report.flags]
    extra = {"lab": report.lab, "flags": flags}
    if notebook:
        extra["notebook"] = notebook
    if report.check_errors:
        extra["check_errors"] = [f"{c.id}: {c.message}" for c in report.check_errors]
    return {"score": float(report.score), "execution_time": int(round(seconds)), "output": "\n".join(lines),
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests, "extra_data": extra}


def _judge(root: Path, lab: str) -> dict:
    """The submission in root/submission judged: {report, note, notebook, unusable}, the
    arguments of `results`. Taken in as every door takes a submission (`notebook.intake`):
    any file name, the notebook of this lab among several, another lab's named as such."""
    from ..judging.judge import judge_notebook
    from ..labs import load_lab
    from ..notebook import UnusableNotebook, intake
    from ..judging.result import unusable_report
    from ..text import inert
    definition = load_lab(lab, hidden=True)        # NoInstructorMaterial: setup.sh did not install it
    taken = intake(root / "submission", lab)
    note = "; ".join(taken.file_notes)
    if not taken.usable:
        return dict(report=unusable_report(definition, taken.reason, "no_notebook" if taken.file is None
                                           else "unusable"), unusable=True, note=note)
    try:
        report = judge_notebook(taken.file, hidden=True, lab_id=lab)
    except UnusableNotebook as exc:
        return dict(report=unusable_report(definition, str(exc)), unusable=True, note=note)
    report.notes[:0] = [n for n in taken.notes if n not in report.notes]      # which file, and why
    return dict(report=report, notebook=inert(taken.name, 200))


def run(root: Path, lab: str) -> int:
    """Judge root/submission as `nnlabs check --hidden` would and write
    root/results/results.json; a submission that cannot be judged, and an autograder that
    cannot judge, get a results.json that says why (score 0)."""
    start = time.monotonic()
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        key = root / "source" / KEY_FILE
        if not key.is_file():
            raise RuntimeError(f"the autograder has no course key ({key}): rebuild it with `nnlabs gradescope {lab}`")
        os.environ[course_key.ENV_FILE] = str(key)          # the course's key, whatever the environment says
        from ..sandbox.zygote import Zygote
        Zygote.shared(fork=True)          # as `nnlabs check`: before anything of a lab is loaded here
        from ..sandbox import student_process
        student_process.prepare(isolation="require")
        try:
            judged = _judge(root, lab)
        finally:
            student_process.discard_spare()
        data = results(seconds=time.monotonic() - start, **judged)
        code = 0
    except Exception as exc:            # the autograder's failure, never the student's: zero, and why
        traceback.print_exc(file=sys.stdout)
        data = autograder_error(lab, exc, time.monotonic() - start)
        code = 1
    temporary = out.with_name(out.name + ".tmp")
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    temporary.replace(out)
    return code


def autograder_error(lab: str, exc: Exception, seconds: float) -> dict:
    """results.json when the autograder itself cannot judge (not installed, no jail, a bug):
    zero, and the student told it is not their notebook's fault; the traceback is in the
    autograder's output, which only the instructor sees."""
    from ..text import inert
    error = inert(f"{type(exc).__name__}: {exc}", 500)
    reason = (f"the autograder could not judge this submission ({error}). This is not a problem with your "
              "notebook: tell your instructor")
    try:
        from ..labs import load_lab
        from ..judging.result import unusable_report
        data = results(unusable_report(load_lab(lab, hidden=True), reason, "autograder_error"), seconds,
                       unusable=True)
    except Exception:                   # not even the lab: no tests, the reason alone
        data = {"score": 0.0, "execution_time": int(round(seconds)), "visibility": "visible",
                "stdout_visibility": "hidden", "tests": [], "extra_data": {}}
    data["output"] = f"{inert(lab, 80)}: 0 points: {reason}"
    data["extra_data"].update(lab=lab, autograder_error=error)
    return data


def self_test(root: Path) -> int:
    """What setup.sh checks once it has installed: what `run` imports imports, and the lab,
    its hidden checks and the course key are there."""
    from ..judging import judge
    from .. import notebook  # noqa: F401
    from ..sandbox import zygote  # noqa: F401
    from ..sandbox import student_process
    from ..labs import load_lab
    lab = (root / "source" / LAB_FILE).read_text().strip()
    load_lab(lab, hidden=True)
    course_key._parse((root / "source" / KEY_FILE).read_text())
    print(f"nnlabs autograder for {lab}: ready")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.faces.gradescope")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="judge /autograder/submission and write /autograder/results/results.json")
    p.add_argument("--root", default=os.environ.get("NNLABS_GRADESCOPE_ROOT", ROOT))
    p.add_argument("--lab", required=True)
    t = sub.add_parser("self-test", help="check an installed autograder (setup.sh runs it)")
    t.add_argument("--root", default=os.environ.get("NNLABS_GRADESCOPE_ROOT", ROOT))
    options = parser.parse_args(argv)
    if options.command == "self-test":
        return self_test(Path(options.root))
    return run(Path(options.root), options.lab.strip())


if __name__ == "__main__":
    sys.exit(main())
