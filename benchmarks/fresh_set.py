"""Grading accuracy on a fresh held-out-style set of student code (benchmarks/fresh_set/).

Every entry becomes a real submission: the release notebook of its lab, the entry in its
function's answer cell and the independent reference (benchmarks/fresh_set/reference.py)
in every other answer cell. It is judged with the hidden checks in a student process,
exactly as at grading time. Per graded function and in total it prints:

    caught      bugs (and partial bugs) that lost points in their own function
    correct ok  correct variants written differently that got full marks
    partial     partial bugs (right on part of the contract) that kept some credit
    cascades    points lost in any other function (each function counted once per entry)
    hinted      bugs whose feedback has a "Likely cause" line
    cause       bugs with a "Likely cause" line that names a cause (not only "every value
                is 1.5 times the correct one", which is an observation)

and writes benchmarks/fresh_set/results.md: for every bug, its true cause beside the
grader's "Likely cause" lines, so that a reader can count hints that name a cause the code
does not have.

    .venv/bin/python benchmarks/fresh_set.py [--jobs N] [--lab LAB] [--json]
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "benchmarks" / "fresh_set"
RESULTS = SET_DIR / "results.md"
LAB_MODULES = {"lab1_linear_regression": "lab1", "lab2_binary_classification": "lab2",
               "lab3_multiclass_classification": "lab3"}
HINT = re.compile(r"Likely cause:?\s*(.*)")
# A "Likely cause" line that only reports a ratio names no cause: it is an observation.
OBSERVATION = re.compile(r"^every value is \S+ times the correct one\.?$")


def load_set() -> dict:
    """The benchmarks/fresh_set folder as a package (this script has the same name)."""
    if "fresh_set_data" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fresh_set_data", SET_DIR / "__init__.py",
                                                      submodule_search_locations=[str(SET_DIR)])
        package = importlib.util.module_from_spec(spec)
        sys.modules["fresh_set_data"] = package
        spec.loader.exec_module(package)
    return {name: importlib.import_module(f"fresh_set_data.{name}")
            for name in ("reference", *LAB_MODULES.values())}


def judge_checks(path: Path) -> list:
    """The one dependency on the judging API: the hidden-check results of one notebook,
    as dicts with function, id, passed, points, max_points and message."""
    sys.path.insert(0, str(ROOT))
    from autograder.judging.judge import judge_notebook
    report = judge_notebook(path, hidden=True)
    return [{"function": c.function, "id": c.id, "passed": c.passed, "points": c.points,
             "max_points": c.max_points, "message": c.message} for c in report.checks]


def submission(lab: str, function: str | None, source: str | None) -> dict:
    """The release notebook with `source` in `function`'s answer cell and the reference
    in every other answer cell."""
    reference = load_set()["reference"]
    nb = json.loads((ROOT / "release" / lab / f"{lab}.ipynb").read_text())
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if cell["cell_type"] == "code" and meta.get("solution") and grade_id in reference.SOURCES[lab]:
            text = source if grade_id == function else reference.source(lab, grade_id)
            cell["source"] = text.splitlines(keepends=True)
    return nb


def grade(lab: str, entry_name: str | None) -> dict:
    """Judge one entry (None: the reference alone) and sum its points per function."""
    fresh = load_set()
    entry = next((e for e in fresh[LAB_MODULES[lab]].ENTRIES if e.name == entry_name), None)
    nb = submission(lab, entry.function if entry else None, entry.source if entry else None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{lab}.ipynb"
        path.write_text(json.dumps(nb))
        started = time.monotonic()
        checks = judge_checks(path)
        seconds = time.monotonic() - started
    scores: dict = {}
    for c in checks:
        got, total = scores.get(c["function"], (0.0, 0.0))
        scores[c["function"]] = (got + c["points"], total + c["max_points"])
    own = [c for c in checks if entry and c["function"] == entry.function]
    hints = []
    for c in own:
        for line in c["message"].splitlines():
            match = HINT.search(line)
            if match and match.group(1).strip() not in hints:
                hints.append(match.group(1).strip())
    got, total = scores.get(entry.function, (0.0, 0.0)) if entry else (0.0, 0.0)
    return {"lab": lab, "entry": entry_name, "function": entry.function if entry else None,
            "kind": entry.kind if entry else "reference", "cause": entry.cause if entry else "",
            "score": round(got, 6), "max_score": round(total, 6),
            "lost": {f: round(s[1] - s[0], 6) for f, s in scores.items() if s[0] < s[1] - 1e-9},
            "hints": hints, "seconds": round(seconds, 2),
            "failed": [{"id": c["id"], "message": c["message"]} for c in own if not c["passed"]]}


def measure(labs, jobs: int) -> list:
    fresh = load_set()
    work = [(lab, None) for lab in labs]
    work += [(lab, e.name) for lab in labs for e in fresh[LAB_MODULES[lab]].ENTRIES]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(grade, *zip(*work)))


def outcome(r: dict) -> dict:
    caught = r["score"] < r["max_score"] - 1e-9
    return {"bug": r["kind"] != "correct", "caught": caught, "full": not caught,
            "partial": r["kind"] == "partial", "kept": r["kind"] == "partial" and r["score"] > 1e-9,
            "cascades": [f for f in r["lost"] if f != r["function"]], "hinted": bool(r["hints"]),
            "cause_named": any(not OBSERVATION.match(h) for h in r["hints"])}


def summarize(results: list) -> list:
    entries = [r for r in results if r["kind"] != "reference"]
    keys = list(dict.fromkeys((r["lab"], r["function"]) for r in entries)) + [("all", "total")]
    rows = []
    for key in keys:
        group = [outcome(r) for r in entries if key == ("all", "total") or (r["lab"], r["function"]) == key]
        bugs = [o for o in group if o["bug"]]
        rows.append({"lab": key[0], "function": key[1], "bugs": len(bugs),
                     "caught": sum(o["caught"] for o in bugs),
                     "correct": len(group) - len(bugs), "correct_full": sum(o["full"] for o in group if not o["bug"]),
                     "partial": sum(o["partial"] for o in bugs), "partial_kept": sum(o["kept"] for o in bugs),
                     "cascades": sum(len(o["cascades"]) for o in group),
                     "hinted": sum(o["hinted"] for o in bugs),
                     "cause_named": sum(o["cause_named"] for o in bugs)})
    return rows


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "-"


def render(rows: list, references: list) -> str:
    head = (f"{'lab':<31} {'function':<26} {'caught':>9} {'correct ok':>10} {'partial kept':>12} "
            f"{'cascades':>8} {'hinted':>9} {'cause':>9}")
    lines = [head]
    for r in rows:
        if r["lab"] == "all":
            lines.append("-" * len(head))
        lines.append(f"{r['lab']:<31} {r['function']:<26} {r['caught']:>4}/{r['bugs']:<4} "
                     f"{r['correct_full']:>5}/{r['correct']:<4} {r['partial_kept']:>7}/{r['partial']:<4} "
                     f"{r['cascades']:>8} {r['hinted']:>4}/{r['bugs']:<4} {r['cause_named']:>4}/{r['bugs']:<4}")
    t = rows[-1]
    lines.append(f"bugs caught {pct(t['caught'], t['bugs'])}, correct variants with full marks "
                 f"{pct(t['correct_full'], t['correct'])}, partial bugs keeping credit {t['partial_kept']}/{t['partial']}, "
                 f"cascades {t['cascades']}, bugs with a 'Likely cause' line {pct(t['hinted'], t['bugs'])}, "
                 f"naming a cause (not only a ratio) {pct(t['cause_named'], t['bugs'])}")
    for r in references:
        state = "full marks" if not r["lost"] else f"LOST POINTS in {', '.join(r['lost'])}"
        lines.append(f"reference alone, {r['lab']}: {state} ({r['seconds']} s)")
    return "\n".join(lines)


def write_results(results: list, table: str) -> None:
    out = ["# Fresh set: what the grader says about each entry", "",
           "Written by `benchmarks/fresh_set.py`. For every bug: its true cause (written with the code, "
           "before it was graded) beside the grader's \"Likely cause\" lines. A hint is wrong when it names "
           "a cause the code does not have.", "", "```", table, "```", ""]
    for lab in LAB_MODULES:
        lab_results = [r for r in results if r["lab"] == lab and r["kind"] != "reference"]
        if not lab_results:
            continue
        out += [f"## {lab}", ""]
        for function in dict.fromkeys(r["function"] for r in lab_results):
            out += [f"### {function}", ""]
            for r in (r for r in lab_results if r["function"] == function):
                o = outcome(r)
                status = ("caught" if o["caught"] else "NOT CAUGHT") if o["bug"] else \
                    ("full marks" if o["full"] else "LOST POINTS")
                out.append(f"- **{r['entry']}** ({r['kind']}, {r['score']:g}/{r['max_score']:g}, {status})"
                           + (f"; cascades into {', '.join(o['cascades'])}" if o["cascades"] else ""))
                if o["bug"]:
                    out.append(f"  - true cause: {r['cause']}")
                    for hint in r["hints"]:
                        tag = " *(a ratio: no cause named)*" if OBSERVATION.match(hint) else ""
                        out.append(f"  - Likely cause: {hint}{tag}")
                    if not r["hints"]:
                        out.append("  - no \"Likely cause\" line")
                if not o["bug"] and not o["full"] or o["bug"] and not r["hints"]:
                    for failed in r["failed"][:3]:
                        first = failed["message"].splitlines()[0] if failed["message"] else ""
                        out.append(f"  - `{failed['id']}`: {first[:220]}")
            out.append("")
    RESULTS.write_text("\n".join(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--lab", choices=list(LAB_MODULES), action="append",
                        help="only this lab (repeatable); results.md is written only for a full run")
    parser.add_argument("--json", action="store_true", help="print every entry's result as JSON")
    options = parser.parse_args()
    labs = options.lab or list(LAB_MODULES)
    started = time.monotonic()
    results = measure(labs, options.jobs)
    rows = summarize(results)
    table = render(rows, [r for r in results if r["kind"] == "reference"])
    if options.json:
        print(json.dumps({"rows": rows, "entries": results}, indent=1))
    else:
        print(table)
        print(f"{len(results)} notebooks judged in {time.monotonic() - started:.0f} s with {options.jobs} jobs")
    if not options.lab:
        write_results(results, table)
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
