"""The reference of every lab, judged with the hidden checks under many submission secrets.

The hidden checks' inputs are drawn from a secret made of the course key and the answer
cells, so every submission gets inputs of its own. A check that fails the reference on some
draws (a finite difference across a kink, a gradient so small that rounding decides its
relative error) would cost a correct student points at random. Each run adds a comment to
one answer cell (another secret, the same code) and counts the runs without full marks.

    .venv/bin/python benchmarks/reference_under_secrets.py [RUNS]
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(runs: int = 25) -> int:
    from autograder.judging.judge import judge_notebook
    from autograder.labs import LAB_IDS
    from solutions import sample_class
    failed_any = False
    for lab in LAB_IDS:
        started, failing = time.monotonic(), []
        for run in range(runs):
            nb = sample_class.solved(lab)
            cell = next(c for c in nb["cells"] if c["cell_type"] == "code"
                        and c.get("metadata", {}).get("nbgrader", {}).get("solution"))
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = source + f"\n# run {run}\n"
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"{lab}.ipynb"
                path.write_text(json.dumps(nb))
                lost = [c.id for c in judge_notebook(path, hidden=True).checks if not c.passed]
            if lost:
                failing.append((run, lost))
        failed_any |= bool(failing)
        print(f"{lab}: {runs} secrets, {runs - len(failing)} with full marks "
              f"({time.monotonic() - started:.0f} s){'; lost: ' + str(failing[:3]) if failing else ''}", flush=True)
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 25))
