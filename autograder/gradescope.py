"""Gradescope: `nnlabs gradescope LAB` builds the autograder zip of a lab, and the same
module, run there by `run_autograder`, writes Gradescope's results.json.

The zip holds `setup.sh` (installs this project, reference solutions included, on
Gradescope's Ubuntu image), `run_autograder`, and the project's source. Gradescope
keeps the zip from students; what they see is results.json: one test per check, the
check's message (with the named mistake, when there is one) as its output, and hidden
checks with visibility "after_published", so they appear only once grades are published.
Flags go in `extra_data`, for the instructor. `NNLABS_GRADESCOPE_ROOT` (or --root)
stands in for /autograder, so the autograder runs anywhere for testing.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zipfile
from pathlib import Path

from . import course_key

ROOT = "/autograder"
SOURCE_PARTS = ("autograder", "solutions", "pyproject.toml", "setup.py", "README.md")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when the autograder image is built.
set -euo pipefail
apt-get update -qq
apt-get install -y -qq python3 python3-pip python3-venv > /dev/null
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet /autograder/source
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: judge it, write results/results.json.
set -uo pipefail
ROOT="${NNLABS_GRADESCOPE_ROOT:-/autograder}"
PYTHON="${NNLABS_PYTHON:-$ROOT/venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
cd "$ROOT/source" && exec "$PYTHON" -m autograder.gradescope run --root "$ROOT" --lab "$(cat "$ROOT/source/nnlabs-lab.txt")"
"""


def build(lab: str, output: str | None = None, project: Path | None = None) -> int:
    from .labs import LAB_IDS
    if lab not in LAB_IDS:
        print(f"nnlabs: unknown lab {lab!r}; the labs are: {', '.join(LAB_IDS)}")
        return 2
    project = Path(project or Path(__file__).resolve().parent.parent)
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
        zf.writestr("nnlabs-lab.txt", lab + "\n")
        # the course's key (seeds the hidden checks' inputs): Gradescope keeps the zip from students
        zf.writestr("nnlabs-course.key", course_key.load(course_key.course_root() or project).hex() + "\n")
        for part in SOURCE_PARTS:
            path = project / part
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
            for file in files:
                if "__pycache__" in file.parts or file.suffix == ".pyc":
                    continue
                zf.write(file, file.relative_to(project).as_posix())
    print(f"Gradescope autograder for {lab}: {target}\n  upload it as the assignment's autograder "
          "(Ubuntu image); students submit their notebook")
    return 0


def find_notebook(folder: Path, lab: str) -> Path | None:
    named = folder / f"{lab}.ipynb"
    if named.exists():
        return named
    found = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return found[0] if found else None


def results(report, seconds: float, *, note: str = "") -> dict:
    """Gradescope's results.json for one judged notebook."""
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
    lines = [f"{report.lab}: {report.score:g} / {report.max_score:g} points from the checks "
             "(hidden checks are shown once grades are published)"]
    lines += [f"note: {n}" for n in report.notes]
    if note:
        lines.append(note)
    flags = [f.to_dict() if hasattr(f, "to_dict") else str(f) for f in report.flags]
    return {"score": float(report.score), "execution_time": int(round(seconds)), "output": "\n".join(lines),
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests,
            "extra_data": {"lab": report.lab, "flags": flags}}


def run(root: Path, lab: str) -> int:
    from .grading.judging import judge_file
    from .nbgrader_judge import unusable_report
    from .labs import get_lab
    start = time.monotonic()
    key = root / "source" / "nnlabs-course.key"
    if key.exists():
        os.environ.setdefault(course_key.ENV_FILE, str(key))
    notebook = find_notebook(root / "submission", lab)
    if notebook is None:
        report = unusable_report(get_lab(lab), f"no notebook was submitted: upload {lab}.ipynb")
    else:
        report = judge_file(notebook, lab)
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results(report, time.monotonic() - start), indent=1), encoding="utf-8")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="judge /autograder/submission and write /autograder/results/results.json")
    p.add_argument("--root", default=os.environ.get("NNLABS_GRADESCOPE_ROOT", ROOT))
    p.add_argument("--lab", required=True)
    options = parser.parse_args(argv)
    return run(Path(options.root), options.lab.strip())


if __name__ == "__main__":
    sys.exit(main())
