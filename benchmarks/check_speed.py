"""Self-check speed: `nnlabs check` beside `nbgrader validate` on the same lab-2 notebook,
and beside the least a check can cost: one Python start that imports numpy.

All are timed as whole commands, alternately, in one run, after one untimed run of each
(Python's bytecode caches are written then, as `pip install` writes them for an installed
package; PYTHONDONTWRITEBYTECODE is left out of the commands' environment for that); the
script prints each median and the ratios.

    .venv/bin/python benchmarks/check_speed.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LAB = "lab2_binary_classification"


def timed(args, cwd) -> float:
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
               MPLBACKEND="Agg")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    from solutions import sample_class
    work = Path(tempfile.mkdtemp(prefix="nnlabs-bench-"))
    notebook = sample_class.write(sample_class.solved(LAB), work / LAB / f"{LAB}.ipynb")
    shutil.copy(ROOT / "nbgrader_config.py", work / "nbgrader_config.py")
    bin_dir = os.path.dirname(sys.executable)
    commands = {
        "nnlabs check (public)": [os.path.join(bin_dir, "nnlabs"), "check", str(notebook)],
        "nnlabs check --hidden": [os.path.join(bin_dir, "nnlabs"), "check", str(notebook), "--hidden"],
        "nbgrader validate": [sys.executable, "-m", "nbgrader", "validate", str(notebook)],
        "python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
    }
    times = {name: [] for name in commands}
    for args in commands.values():
        timed(args, work)
    for _ in range(options.runs):
        for name, args in commands.items():
            times[name].append(timed(args, work))
    baseline = statistics.median(times["nbgrader validate"])
    start = statistics.median(times["python -c 'import numpy'"])
    print(f"{'command':<26} {'median s':>9} {'min s':>7}  {'vs nbgrader validate':>20}  {'x python+numpy':>14}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<26} {median:9.2f} {min(values):7.2f}  {baseline / median:13.1f}x faster  "
              f"{median / start:13.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
