"""Grading accuracy on a fresh held-out-style set of student code (benchmarks/fresh_set/, or
any other set folder given with --set: benchmarks/fresh_set_5/, ...).

A set folder holds `__init__.py` (the entry format), `reference.py` (an independent
reference: `SOURCES`, `source(lab, function)`) and any of `lab1.py`, `lab2.py`, `lab3.py`,
`lab4.py`, each with `ENTRIES` (a set holds only the labs it has modules for). Every entry becomes a real submission: the release notebook of its lab, the entry
in its function's answer cell and the set's reference in every other answer cell. It is
judged with the hidden checks in a student process, exactly as at grading time. The reasons
are read from the judge's result as data (`CheckResult.causes`, `.observed`, `.hidden`,
`.blocked_by`), never parsed from the message text. Per graded function and in total it prints:

    caught      bugs (and partial bugs) that lost points in their own function
    public      of those, bugs that lose points on a public check (hidden == False) of their own
                function: the bugs a student's self-check alone shows
    correct ok  correct variants written differently that got full marks
    partial     partial bugs (right on part of the contract) that kept some credit
    cascades    points lost in any other function (each function counted once per entry)
    hinted      bugs whose failing checks give a reason: a confirmed cause (`causes`) or, where
                none is confirmed, an observation (`observed`)
    cause       bugs whose failing checks name at least one confirmed cause (`causes`)

and writes DIR/results.md: for every bug, its true cause beside the grader's confirmed causes
and observations, so that a reader can count causes the code does not have; for every bug
not caught, every bug with no cause and every correct variant that lost points, the failing
checks with their ids and messages.

    .venv/bin/python benchmarks/fresh_set.py [--set DIR] [--jobs N] [--lab LAB] [--entry NAME] [--json]
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
DEFAULT_SET = ROOT / "benchmarks" / "fresh_set"
LAB_MODULES = {"lab1_linear_regression": "lab1", "lab2_binary_classification": "lab2",
               "lab3_multiclass_classification": "lab3", "lab4_hidden_layer": "lab4"}


def set_dir(folder=None) -> Path:
    """The set folder, absolute (relative paths are taken from the repository root, then
    from the working directory)."""
    if folder is None:
        return DEFAULT_SET
    path = Path(folder)
    if not path.is_absolute():
        path = ROOT / path if (ROOT / path).is_dir() else Path.cwd() / path
    return path.resolve()


def package_name(folder: Path) -> str:
    """A module name of the set's own (the default set keeps its historical name)."""
    if folder == DEFAULT_SET:
        return "fresh_set_data"
    return "fresh_set_data_" + re.sub(r"\W", "_", folder.name)


def load_set(folder=None) -> dict:
    """A set folder as a package of its own (this script is called fresh_set too)."""
    folder = set_dir(folder)
    name = package_name(folder)
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    return {module: importlib.import_module(f"{name}.{module}")
            for module in ("reference", *set_modules(folder))}


def set_modules(folder=None) -> list:
    """The lab modules the set folder has (a set may hold only some labs)."""
    folder = set_dir(folder)
    return [module for module in LAB_MODULES.values() if (folder / f"{module}.py").is_file()]


def set_labs(folder=None) -> list:
    """The lab ids the set folder has entries for."""
    modules = set_modules(folder)
    return [lab for lab, module in LAB_MODULES.items() if module in modules]


def judge_checks(path: Path) -> list:
    """The one dependency on the judging API: the hidden-check results of one notebook, as
    dicts of the `CheckResult` fields this benchmark reads (the reasons as data)."""
    sys.path.insert(0, str(ROOT))
    from autograder.judging.judge import judge_notebook
    report = judge_notebook(path, hidden=True)
    return [{"function": c.function, "id": c.id, "passed": c.passed, "points": c.points,
             "max_points": c.max_points, "message": c.message, "kind": getattr(c, "kind", ""),
             "hidden": bool(getattr(c, "hidden", False)), "causes": list(getattr(c, "causes", []) or []),
             "observed": str(getattr(c, "observed", "") or ""), "text": str(getattr(c, "text", "") or ""),
             "blocked_by": list(getattr(c, "blocked_by", []) or [])} for c in report.checks]


def submission(lab: str, function: str | None, source: str | None, folder=None) -> dict:
    """The release notebook with `source` in `function`'s answer cell and the set's reference
    in every other answer cell."""
    reference = load_set(folder)["reference"]
    nb = json.loads((ROOT / "release" / lab / f"{lab}.ipynb").read_text())
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if cell["cell_type"] == "code" and meta.get("solution") and grade_id in reference.SOURCES[lab]:
            text = source if grade_id == function else reference.source(lab, grade_id)
            cell["source"] = text.splitlines(keepends=True)
    return nb


def grade(folder: str, lab: str, entry_name: str | None) -> dict:
    """Judge one entry of the set in `folder` (None: the reference alone) and sum its points
    per function."""
    fresh = load_set(folder)
    entry = next((e for e in fresh[LAB_MODULES[lab]].ENTRIES if e.name == entry_name), None)
    nb = submission(lab, entry.function if entry else None, entry.source if entry else None, folder)
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
    losing = [c for c in own if c["points"] < c["max_points"] - 1e-9]
    causes, observed = [], []
    for c in own:
        causes += [x for x in c["causes"] if x not in causes]
        if c["observed"] and c["observed"] not in observed:
            observed.append(c["observed"])
    got, total = scores.get(entry.function, (0.0, 0.0)) if entry else (0.0, 0.0)
    return {"lab": lab, "entry": entry_name, "function": entry.function if entry else None,
            "kind": entry.kind if entry else "reference", "cause": entry.cause if entry else "",
            "score": round(got, 6), "max_score": round(total, 6),
            "lost": {f: round(s[1] - s[0], 6) for f, s in scores.items() if s[0] < s[1] - 1e-9},
            "causes": causes, "observed": observed,
            "public_lost": any(not c["hidden"] for c in losing), "seconds": round(seconds, 2),
            "failed": [{k: c[k] for k in ("id", "hidden", "kind", "points", "max_points", "message", "text",
                                          "causes", "observed", "blocked_by")}
                       for c in own if not c["passed"]],
            "cascade_failed": [{k: c[k] for k in ("function", "id", "hidden", "message", "blocked_by")}
                               for c in checks if entry and c["function"] != entry.function
                               and c["points"] < c["max_points"] - 1e-9]}


def measure(folder: str, labs, jobs: int, names=None) -> list:
    fresh = load_set(folder)
    work = [(folder, lab, None) for lab in labs]
    work += [(folder, lab, e.name) for lab in labs for e in fresh[LAB_MODULES[lab]].ENTRIES
             if not names or e.name in names]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(grade, *zip(*work)))


def outcome(r: dict) -> dict:
    caught = r["score"] < r["max_score"] - 1e-9
    return {"bug": r["kind"] != "correct", "caught": caught, "full": not caught,
            "partial": r["kind"] == "partial", "kept": r["kind"] == "partial" and r["score"] > 1e-9,
            "public": caught and r["public_lost"],
            "cascades": [f for f in r["lost"] if f != r["function"]],
            "hinted": bool(r["causes"] or r["observed"]), "cause_named": bool(r["causes"])}


def summarize(results: list) -> list:
    entries = [r for r in results if r["kind"] != "reference"]
    keys = list(dict.fromkeys((r["lab"], r["function"]) for r in entries)) + [("all", "total")]
    rows = []
    for key in keys:
        group = [outcome(r) for r in entries if key == ("all", "total") or (r["lab"], r["function"]) == key]
        bugs = [o for o in group if o["bug"]]
        rows.append({"lab": key[0], "function": key[1], "bugs": len(bugs),
                     "caught": sum(o["caught"] for o in bugs), "public": sum(o["public"] for o in bugs),
                     "correct": len(group) - len(bugs), "correct_full": sum(o["full"] for o in group if not o["bug"]),
                     "partial": sum(o["partial"] for o in bugs), "partial_kept": sum(o["kept"] for o in bugs),
                     "cascades": sum(len(o["cascades"]) for o in group),
                     "hinted": sum(o["hinted"] for o in bugs),
                     "cause_named": sum(o["cause_named"] for o in bugs)})
    return rows


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "-"


def render(rows: list, references: list) -> str:
    head = (f"{'lab':<31} {'function':<26} {'caught':>9} {'public':>9} {'correct ok':>10} {'partial kept':>12} "
            f"{'cascades':>8} {'hinted':>9} {'cause':>9}")
    lines = [head]
    for r in rows:
        if r["lab"] == "all":
            lines.append("-" * len(head))
        lines.append(f"{r['lab']:<31} {r['function']:<26} {r['caught']:>4}/{r['bugs']:<4} "
                     f"{r['public']:>4}/{r['bugs']:<4} "
                     f"{r['correct_full']:>5}/{r['correct']:<4} {r['partial_kept']:>7}/{r['partial']:<4} "
                     f"{r['cascades']:>8} {r['hinted']:>4}/{r['bugs']:<4} {r['cause_named']:>4}/{r['bugs']:<4}")
    t = rows[-1]
    lines.append(f"bugs caught {pct(t['caught'], t['bugs'])}, caught by the public checks alone "
                 f"{pct(t['public'], t['bugs'])}, correct variants with full marks "
                 f"{pct(t['correct_full'], t['correct'])}, partial bugs keeping credit {t['partial_kept']}/{t['partial']}, "
                 f"cascades {t['cascades']}, bugs given a reason (cause or observation) {pct(t['hinted'], t['bugs'])}, "
                 f"naming a confirmed cause {pct(t['cause_named'], t['bugs'])}")
    for r in references:
        state = "full marks" if not r["lost"] else f"LOST POINTS in {', '.join(r['lost'])}"
        lines.append(f"reference alone, {r['lab']}: {state} ({r['seconds']} s)")
    return "\n".join(lines)


def first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def write_results(folder: Path, results: list, table: str) -> Path:
    try:
        shown = folder.relative_to(ROOT)
    except ValueError:
        shown = folder
    out = [f"# Fresh set `{shown}`: what the grader says about each entry", "",
           f"Written by `benchmarks/fresh_set.py --set {shown}`. For every bug: its true cause (written with "
           "the code, before it was graded) beside the grader's confirmed causes (`causes`) and, where no "
           "cause is confirmed, what it observed (`observed`), read from the judge's result as data. A "
           "cause is wrong when it names a mistake the code does not have. `[public]` / `[hidden]` tell "
           "which kind of check failed.", "", "```", table, "```", ""]
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
                    for cause in r["causes"]:
                        out.append(f"  - cause: {cause}")
                    for seen in r["observed"]:
                        out.append(f"  - observed: {seen}")
                    if not r["causes"]:
                        out.append("  - no confirmed cause" + ("" if r["observed"] else ", no observation"))
                    if o["caught"] and not o["public"]:
                        out.append("  - caught by hidden checks only")
                if not o["bug"] and not o["full"] or o["bug"] and (not o["caught"] or not r["causes"]):
                    for failed in r["failed"][:4]:
                        where = "hidden" if failed["hidden"] else "public"
                        blocked = f" (blocked by {', '.join(failed['blocked_by'])})" if failed["blocked_by"] else ""
                        message = first_line(failed["text"]) or first_line(failed["message"])
                        out.append(f"  - `{failed['id']}` [{where}]{blocked}: {message[:300]}")
                for failed in r["cascade_failed"][:3]:
                    out.append(f"  - cascade `{failed['id']}` [{'hidden' if failed['hidden'] else 'public'}]: "
                               f"{first_line(failed['message'])[:200]}")
            out.append("")
    path = folder / "results.md"
    path.write_text("\n".join(out))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="folder", default=None, metavar="DIR",
                        help="the set folder (default: benchmarks/fresh_set); results go to DIR/results.md")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--lab", choices=list(LAB_MODULES), action="append",
                        help="only this lab (repeatable); results.md is written only for a full run")
    parser.add_argument("--entry", action="append", metavar="NAME",
                        help="only this entry (repeatable); results.md is written only for a full run")
    parser.add_argument("--json", action="store_true", help="print every entry's result as JSON")
    options = parser.parse_args()
    folder = set_dir(options.folder)
    if not (folder / "__init__.py").is_file():
        parser.error(f"{folder} is not a set folder (no __init__.py)")
    labs = options.lab or set_labs(folder)
    missing = [lab for lab in labs if lab not in set_labs(folder)]
    if missing:
        parser.error(f"{folder} has no entries for {', '.join(missing)}")
    if options.entry:
        known = {e.name for lab in labs for e in load_set(folder)[LAB_MODULES[lab]].ENTRIES}
        unknown = sorted(set(options.entry) - known)
        if unknown:
            parser.error(f"no entry named {', '.join(unknown)} in {folder} ({', '.join(labs)})")
    started = time.monotonic()
    results = measure(str(folder), labs, options.jobs, options.entry)
    rows = summarize(results)
    table = render(rows, [r for r in results if r["kind"] == "reference"])
    if options.json:
        print(json.dumps({"rows": rows, "entries": results}, indent=1))
    else:
        print(table)
        print(f"{len(results)} notebooks judged in {time.monotonic() - started:.0f} s with {options.jobs} jobs")
    if not options.lab and not options.entry:
        path = write_results(folder, results, table)
        try:
            print(f"wrote {path.relative_to(ROOT)}")
        except ValueError:
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
