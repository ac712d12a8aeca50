"""Grading time per submission: nbgrader autograde with the nnlabs judge beside plain
nbgrader (every cell executed in the student's kernel), on the same class, in one run.

    .venv/bin/python benchmarks/grading_speed.py [--students 6] [--lab lab2_binary_classification]
                                                 [--baseline GIT_REVISION] [--rounds 1]

With --baseline, the same class is also graded by the judge of an earlier revision of this
repository (checked out in a temporary git worktree), so a change to the judge - its
isolation, say - is measured against what it replaced, in the same run. --rounds repeats
the whole measurement, alternating the graders, and reports the median.
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


def nbgrader(course, *args, code=None):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
               MPLBACKEND="Agg")
    if code is not None:            # the judge of another checkout
        env["PYTHONPATH"] = str(code)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-2000:] + result.stderr[-2000:])
    return time.perf_counter() - start


def course(folder: Path, lab: str, students: int, plain: bool, code: Path = ROOT) -> Path:
    from solutions import sample_class
    folder.mkdir()
    if plain:
        (folder / "nbgrader_config.py").write_text(PLAIN_CONFIG)
    else:
        shutil.copy(code / "nbgrader_config.py", folder)
    shutil.copytree(code / "source" / lab, folder / "source" / lab)
    nbgrader(folder, "generate_assignment", lab, "--force", code=code)
    bugs = sample_class.catalog(lab).bugs()
    for index in range(students):
        nb = sample_class.with_entries(lab, bugs[index % len(bugs)].name, root=folder)
        sample_class.write(nb, folder / "submitted" / f"s{index:02d}" / lab / f"{lab}.ipynb")
    return folder


def main():
    import statistics
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--lab", default="lab2_binary_classification")
    parser.add_argument("--baseline", help="a git revision whose judge is measured too")
    parser.add_argument("--rounds", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nnlabs-speed-") as work:
        work = Path(work)
        graders = {"nnlabs judge": (course(work / "judge", options.lab, options.students, plain=False), ROOT)}
        if options.baseline:
            old = work / "baseline-code"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), options.baseline],
                           check=True, capture_output=True)
            graders[f"nnlabs judge at {options.baseline}"] = (
                course(work / "baseline", options.lab, options.students, plain=False, code=old), old)
        graders["plain nbgrader (kernel)"] = (course(work / "plain", options.lab, options.students, plain=True),
                                              ROOT)
        times = {name: [] for name in graders}
        try:
            for _ in range(options.rounds):
                for name, (folder, code) in graders.items():
                    one = nbgrader(folder, "autograde", options.lab, "--force", "--student=s00", code=code)
                    everyone = nbgrader(folder, "autograde", options.lab, "--force", code=code)
                    times[name].append((everyone, (everyone - one) / (options.students - 1)))
        finally:
            if options.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                               capture_output=True)
    print(f"{options.students} submissions of {options.lab} (per submission: the time a run of "
          f"{options.students} takes over a run of 1, divided by {options.students - 1}; median of "
          f"{options.rounds} round{'s' if options.rounds > 1 else ''})")
    rows = {name: (statistics.median(t for t, _ in runs), statistics.median(p for _, p in runs))
            for name, runs in times.items()}
    base = rows["plain nbgrader (kernel)"][1]
    judge = rows["nnlabs judge"][1]
    for name, (total, per) in rows.items():
        line = f"{name:<34} {total:6.2f} s in all, {per:5.2f} s per submission, {base / per:5.2f}x plain's speed"
        if name != "nnlabs judge":
            line += f", {per / judge:4.2f}x the judge's time"
        print(line)


if __name__ == "__main__":
    main()
