"""Grading a class: plain nbgrader, `nnlabs grade --jobs 1`, `nnlabs grade` on every core,
and the floor, on the same class of N submissions in one run.

    .venv/bin/python benchmarks/grade_class.py [--students 200] [--lab lab2_binary_classification]
                                               [--skip-plain] [--feedback] [--repeat 3]

The class is built from the catalogs: correct submissions (the reference, and correct
variants written differently), plausible bugs, broken files (truncated JSON, an empty
file, corrupted nbgrader metadata) and attempts to game the grader (lab 2). Each way of
grading starts from the same freshly released course. The floor is the time to run every
student's code once, checks included, in one process: no isolation, no nbgrader, no
gradebook (an exploit's honest twin stands in for it there, as the exploit would patch the
measuring process itself; broken files have no code to run).

With --repeat N, `nnlabs grade` (both ways) and the floor are measured N times, in turn,
each time on a fresh copy of the class: the table gives each one's median, and its fastest
and slowest run (plain nbgrader, minutes long, runs once).
"""
from __future__ import annotations

import argparse
import json
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
BIN = os.path.dirname(sys.executable)
ENV = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), MPLBACKEND="Agg")

PLAIN_CONFIG = '''c = get_config()
import os
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "nnlabs"
c.KernelManager.transport_encryption = "auto"
'''
# Quick exploits only: the ones that hang or exhaust memory cost a timeout each in every
# grader and would measure the timeout, not the grader.
EXPLOITS = ("numpy_patched", "builtins_patched", "object_claims_equality", "ndarray_subclass",
            "prints_all_passed", "test_cells_markdown", "inputs_modified", "reads_solutions")


def timed(args, cwd) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise RuntimeError(" ".join(map(str, args)) + "\n" + result.stdout[-2000:] + result.stderr[-2000:])
    return seconds


def build_class(folder: Path, lab: str, students: int) -> dict:
    """Release `lab` into a fresh course in `folder` and write N submissions; returns
    {student: (kind, the honest notebook standing in for it at the floor or None)}."""
    from solutions import exploits, sample_class
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(ROOT / "source" / lab, folder / "source" / lab)
    timed([sys.executable, "-m", "nbgrader", "generate_assignment", lab, "--force"], folder)
    from autograder.judging import course_key
    course_key.load(folder)     # one course, one key: every copy of it grades on the same hidden inputs
    catalog = sample_class.catalog(lab)
    bugs, variants = catalog.bugs(), catalog.variants()
    tricks = [row for row in exploits.exploits(folder) if row[0] in EXPLOITS] if lab == exploits.LAB else []
    manifest = {}
    for i in range(students):
        student = f"s{i:03d}"
        path = folder / "submitted" / student / lab / f"{lab}.ipynb"
        slot = i % 10
        if slot < 4:
            entries = [variants[i % len(variants)].name] if slot % 2 and variants else []
            nb, kind = sample_class.with_entries(lab, *entries, root=folder), "correct"
        elif slot < 8 or (slot == 9 and not tricks):
            picked = [bugs[(i * 7) % len(bugs)].name]
            if slot == 7:
                other = bugs[(i * 11 + 3) % len(bugs)]
                if other.function != bugs[(i * 7) % len(bugs)].function:
                    picked.append(other.name)
            nb, kind = sample_class.with_entries(lab, *picked, root=folder), "buggy"
        elif slot == 8:
            path.parent.mkdir(parents=True, exist_ok=True)
            broken = (i // 10) % 3
            if broken == 0:
                path.write_text('{"cells": [ {"cell_type": "code", "source": "def f(z):\n')
            elif broken == 1:
                path.write_text("")
            else:
                nb = sample_class.solved(lab, folder)
                for cell in nb["cells"]:
                    if cell["metadata"].get("nbgrader", {}).get("solution"):
                        cell["metadata"]["nbgrader"]["grade_id"] = ""
                        break
                sample_class.write(nb, path)
            manifest[student] = ("broken", None)
            continue
        else:
            name, _, twin, nb = tricks[(i // 10) % len(tricks)]
            twin_path = folder / "twins" / f"{student}.ipynb"
            sample_class.write(twin, twin_path)
            sample_class.write(nb, path)
            manifest[student] = (f"exploit {name}", str(twin_path))
            continue
        sample_class.write(nb, path)
        manifest[student] = (kind, str(path))
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def floor(course: Path, lab: str) -> None:
    """Run in a process of its own: every submission's code and checks, in this process."""
    start = time.perf_counter()
    import warnings
    import numpy as np
    from autograder.judging.judge import judge
    from autograder.labs import get_lab, instructor_material
    from autograder.notebook import UnusableNotebook, answer_cells, read_notebook
    from autograder.sandbox.inprocess import InProcessSubject

    lab_obj, material = get_lab(lab), instructor_material(lab)
    reference = {f: getattr(material[0], f) for f in lab_obj.functions}
    manifest = json.loads((course / "manifest.json").read_text())
    for student, (kind, path) in sorted(manifest.items()):
        if path is None:
            continue
        try:
            cells, _ = answer_cells(read_notebook(path), lab_obj)
        except UnusableNotebook:
            continue
        namespace = {"__name__": "__main__"}
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            for cell in [{"source": lab_obj.prelude}] + cells:
                try:
                    exec(compile(cell["source"], "<cell>", "exec"), namespace)
                except BaseException:  # noqa: BLE001 - a student's cell may raise anything
                    pass
            judge(lab_obj, InProcessSubject(namespace, lab_obj.functions, reference=reference),
                  hidden=True, material=material)
    print(json.dumps({"seconds": time.perf_counter() - start}))


def recorded(course: Path, lab: str, manifest: dict) -> dict:
    """{student: (status, score)} from a run's ledger, after checking that the run graded
    what it timed: every correct submission full marks, every broken file unusable (or, for
    damaged nbgrader metadata, graded and flagged), and every other one graded (a faster
    run that records errors is no faster run)."""
    path = course / "autograded" / ".nnlabs" / f"{lab}.jsonl"
    entries = {}
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        entries[entry["student"]] = (entry["status"], entry.get("score"), entry.get("max_score"),
                                     bool(entry.get("flags")))
    wrong = []
    for student, (kind, _) in sorted(manifest.items()):
        status, score, top, flagged = entries.get(student, ("missing", None, None, False))
        if kind == "broken" and not (status == "unusable" or flagged) or kind != "broken" and status != "graded" \
                or kind == "correct" and score != top:
            wrong.append(f"{student} ({kind}): {status}, {score} / {top}")
    if wrong:
        raise SystemExit(f"{course.name}: not graded as expected:\n  " + "\n  ".join(wrong[:10]))
    return {student: entry[:2] for student, entry in entries.items()}


def where_time_goes(course: Path, lab: str) -> dict:
    """Per submission, from the ledger of a run: seconds summed by stage over the class."""
    totals = {}
    path = course / "autograded" / ".nnlabs" / f"{lab}.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    for line in lines:
        for stage, seconds in json.loads(line).get("seconds", {}).items():
            totals[stage] = totals.get(stage, 0.0) + seconds
    return {stage: total / max(len(lines), 1) for stage, total in totals.items()}


def student_process_start(lab: str, samples: int = 5) -> float | None:
    """Seconds to start one isolated student process holding the lab's prelude (median)."""
    try:
        from autograder.labs import get_lab
        from autograder.sandbox.student_process import StudentProcess
    except ImportError:
        return None
    lab_obj, times = get_lab(lab), []
    for _ in range(samples):
        start = time.perf_counter()
        process = StudentProcess([], lab_obj.functions, prelude=lab_obj.prelude)
        process.start()
        process.close()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--lab", default="lab2_binary_classification")
    parser.add_argument("--skip-plain", action="store_true", help="leave out plain nbgrader (11 min for 200)")
    parser.add_argument("--feedback", action="store_true", help="also time nnlabs grade with its feedback")
    parser.add_argument("--repeat", type=int, default=1, help="measure nnlabs grade and the floor this many "
                                                              "times, in turn, and give the medians")
    parser.add_argument("--floor", nargs=2, metavar=("COURSE", "LAB"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.floor:
        return floor(Path(options.floor[0]), options.floor[1])
    lab, n = options.lab, options.students
    nnlabs = os.path.join(BIN, "nnlabs")
    with tempfile.TemporaryDirectory(prefix="nnlabs-class-") as work:
        base = Path(work) / "base"
        manifest = build_class(base, lab, n)
        kinds = {}
        for kind, _ in manifest.values():
            kinds[kind.split()[0]] = kinds.get(kind.split()[0], 0) + 1

        def fresh(name: str, plain: bool = False) -> Path:
            folder = Path(work) / name
            shutil.copytree(base, folder)
            if plain:
                (folder / "nbgrader_config.py").write_text(PLAIN_CONFIG)
            return folder

        runs = {}
        if not options.skip_plain:
            runs["plain nbgrader autograde (in-kernel)"] = [timed(
                [sys.executable, "-m", "nbgrader", "autograde", lab], fresh("plain", plain=True))]
        floor_row = "floor: every student's code and checks in one process"
        for turn in range(max(1, options.repeat)):
            one = fresh(f"one{turn}")
            runs.setdefault("nnlabs grade --jobs 1", []).append(
                timed([nnlabs, "grade", lab, "--jobs", "1", "--no-feedback"], one))
            every = fresh(f"every{turn}")
            runs.setdefault(f"nnlabs grade (all {os.cpu_count()} cores)", []).append(
                timed([nnlabs, "grade", lab, "--no-feedback"], every))
            if recorded(one, lab, manifest) != recorded(every, lab, manifest):
                raise SystemExit("nnlabs grade --jobs 1 and on every core recorded different scores")
            if options.feedback:
                runs.setdefault("nnlabs grade with feedback (all cores)", []).append(
                    timed([nnlabs, "grade", lab], fresh(f"feedback{turn}")))
            result = subprocess.run([sys.executable, __file__, "--floor", str(base), lab], env=ENV,
                                    capture_output=True, text=True, check=True)
            runs.setdefault(floor_row, []).append(json.loads(result.stdout)["seconds"])
        stages = where_time_goes(every, lab)
        start = student_process_start(lab)

    rows = {name: statistics.median(times) for name, times in runs.items()}
    floor_s = rows[floor_row]
    plain_s = rows.get("plain nbgrader autograde (in-kernel)")
    print(f"{n} submissions of {lab} ({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}), "
          f"{os.cpu_count()} cores" + (f"; medians of {options.repeat} runs" if options.repeat > 1 else ""))
    print(f"{'':<56} {'wall s':>8} {'subm./s':>8} {'s/subm.':>8} {'vs plain':>9} {'x floor':>8}"
          + ("  runs (s)" if options.repeat > 1 else ""))
    for name, seconds in rows.items():
        ratio = f"{plain_s / seconds:8.1f}x" if plain_s else f"{'-':>9}"
        spread = (f"  {min(runs[name]):.1f}-{max(runs[name]):.1f}" if len(runs[name]) > 1 else "")
        print(f"{name:<56} {seconds:8.1f} {n / seconds:8.2f} {seconds / n:8.3f} {ratio} {seconds / floor_s:7.2f}x"
              + spread)
    print("\nwhere a submission's time goes (nnlabs grade, all cores; seconds per submission, summed over workers):")
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<28} {seconds:7.3f}")
    if start is not None:
        print(f"  of which starting one isolated student process: {start:.3f}")
    print(f"  floor (student code and checks, no isolation): {floor_s / n:.3f}")
    print("checked: both nnlabs runs recorded the same scores; every correct submission full marks, "
          "every broken file unusable, every other submission graded")


if __name__ == "__main__":
    main()
