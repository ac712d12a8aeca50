"""Grading time per submission: nbgrader autograde with the nnlabs judge beside plain
nbgrader (every cell executed in the student's kernel), on the same class, in one run.

    .venv/bin/python benchmarks/grading_speed.py [--students 6] [--lab lab2_binary_classification]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLAIN_CONFIG = '''c = get_config()
import os
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
from autograder import COURSE_ID
c.CourseDirectory.course_id = COURSE_ID
c.KernelManager.transport_encryption = "auto"
'''


def nbgrader(course, *args):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
               MPLBACKEND="Agg")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-2000:] + result.stderr[-2000:])
    return time.perf_counter() - start


def course(folder: Path, lab: str, students: int, plain: bool) -> Path:
    from solutions import sample_class
    folder.mkdir()
    if plain:
        (folder / "nbgrader_config.py").write_text(PLAIN_CONFIG)
    else:
        shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(ROOT / "source" / lab, folder / "source" / lab)
    nbgrader(folder, "generate_assignment", lab, "--force")
    bugs = sample_class.catalog(lab).bugs()
    for index in range(students):
        nb = sample_class.with_entries(lab, bugs[index % len(bugs)].name, root=folder)
        sample_class.write(nb, folder / "submitted" / f"s{index:02d}" / lab / f"{lab}.ipynb")
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--lab", default="lab2_binary_classification")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nnlabs-speed-") as work:
        judged = course(Path(work) / "judge", options.lab, options.students, plain=False)
        plain = course(Path(work) / "plain", options.lab, options.students, plain=True)
        rows = {}
        for name, folder in (("nnlabs judge", judged), ("plain nbgrader (kernel)", plain)):
            one = nbgrader(folder, "autograde", options.lab, "--force", "--student=s00")
            everyone = nbgrader(folder, "autograde", options.lab, "--force")
            rows[name] = (everyone, (everyone - one) / (options.students - 1))
    print(f"{options.students} submissions of {options.lab} (per submission: the time a run of "
          f"{options.students} takes over a run of 1, divided by {options.students - 1})")
    base = rows["plain nbgrader (kernel)"][1]
    for name, (total, per) in rows.items():
        print(f"{name:<26} {total:6.2f} s in all, {per:5.2f} s per submission, {base / per:4.2f}x plain's speed")


if __name__ == "__main__":
    main()
