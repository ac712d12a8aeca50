"""Grading accuracy: how the judge does on the catalog of plausible student code.

Every catalog entry becomes a submission (the entry in its function's answer cell, the
master notebook's answers elsewhere) and is graded with the hidden checks in a student
process, exactly as at grading time. Per graded function and in total it prints:

    bugs caught / bugs          the bug lost points in its own function
    variants passed / variants  a correct implementation written differently got full marks
    bugs named / bugs           the feedback names the mistake (the catalog's message, a
                                dedicated check's message, or the student's own exception)
    cascades                    points lost in a function other than the buggy one
    confirmed / bugs            the feedback has a "Likely cause" line (printed only when confirmed:
                                a known mistake reproduces the output, or what the code did pins it)
    other hints                 "Likely cause" lines that are not the entry's own message, listed
                                after the table so that a reader can count those whose cause is not
                                the code's actual mistake (the same mistake in a family's words is
                                not a wrong hint)

    .venv/bin/python benchmarks/grading_accuracy.py [--json] [--jobs N]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMED_BY_CHECK = ("Likely cause", "in place", "dtype", "single number", "shape", "should be")
HINT = "Likely cause: "


def evaluate(lab: str, entry_name: str) -> dict:
    from autograder.judging.judge import judge_notebook
    from autograder.labs import load_lab
    from solutions import sample_class

    entry = next(e for e in sample_class.catalog(lab).entries if e.name == entry_name)
    with tempfile.TemporaryDirectory() as folder:
        path = sample_class.write(sample_class.with_entries(lab, entry.name), Path(folder) / f"{lab}.ipynb")
        report = judge_notebook(path, hidden=True)
    got, total = report.function_score(entry.function)
    cascades = [f for f in load_lab(lab).functions
                if f != entry.function and report.function_score(f)[0] < report.function_score(f)[1]]
    messages = " ".join(c.message for c in report.checks if c.function == entry.function)
    if entry.correct:
        named = None
    elif entry.named_by_check:
        named = any(word in messages for word in NAMED_BY_CHECK)
    else:
        named = entry.message in messages or " raised " in messages
    hints = list(dict.fromkeys(line.split(HINT, 1)[1].strip() for c in report.checks
                               if c.function == entry.function for line in c.message.splitlines() if HINT in line))
    return {"lab": lab, "function": entry.function, "entry": entry.name, "correct": entry.correct,
            "partial": entry.partial, "score": got, "max_score": total, "caught": got < total,
            "kept_partial_credit": got > 0, "named": named, "cascades": cascades,
            "confirmed": bool(hints) and not entry.correct,
            "other_hints": [h for h in hints if h.rstrip(".") != entry.message.rstrip(".")]}


def measure(jobs: int | None = None) -> list:
    from autograder.labs import LAB_IDS
    from solutions import sample_class
    work = [(lab, e.name) for lab in LAB_IDS for e in sample_class.catalog(lab).entries]
    with ProcessPoolExecutor(max_workers=jobs or os.cpu_count()) as pool:
        return list(pool.map(evaluate, *zip(*work)))


def summarize(results: list) -> list:
    rows, keys = [], []
    for r in results:
        key = (r["lab"], r["function"])
        if key not in keys:
            keys.append(key)
    for key in keys + [("all", "total")]:
        group = [r for r in results if key == ("all", "total") or (r["lab"], r["function"]) == key]
        bugs = [r for r in group if not r["correct"]]
        variants = [r for r in group if r["correct"]]
        rows.append({"lab": key[0], "function": key[1],
                     "bugs": len(bugs), "caught": sum(r["caught"] for r in bugs),
                     "variants": len(variants), "passed": sum(not r["caught"] for r in variants),
                     "named": sum(bool(r["named"]) for r in bugs),
                     "confirmed": sum(r["confirmed"] for r in bugs),
                     "other_hints": sum(len(r["other_hints"]) for r in group),
                     "partial_kept": sum(r["kept_partial_credit"] for r in bugs if r["partial"]),
                     "partial": sum(r["partial"] for r in bugs),
                     "cascades": sum(len(r["cascades"]) for r in group)})
    return rows


def render(rows: list) -> str:
    lines = [f"{'lab':<32} {'function':<26} {'caught':>9} {'variants ok':>11} {'named':>9} {'confirmed':>9} "
             f"{'other hints':>11} {'cascades':>8}"]
    for r in rows:
        if r["lab"] == "all":
            lines.append("-" * len(lines[0]))
        lines.append(f"{r['lab']:<32} {r['function']:<26} {r['caught']:>4}/{r['bugs']:<4} "
                     f"{r['passed']:>5}/{r['variants']:<5} {r['named']:>4}/{r['bugs']:<4} "
                     f"{r['confirmed']:>4}/{r['bugs']:<4} {r['other_hints']:>11} {r['cascades']:>8}")
    total = rows[-1]
    pct = lambda a, b: 100.0 * a / b if b else 100.0  # noqa: E731
    lines.append(f"bugs caught {pct(total['caught'], total['bugs']):.1f}%, correct variants passed "
                 f"{pct(total['passed'], total['variants']):.1f}%, bugs named {pct(total['named'], total['bugs']):.1f}%, "
                 f"cascades {total['cascades']}, partial credit kept {total['partial_kept']}/{total['partial']}, "
                 f"bugs with a confirmed cause {pct(total['confirmed'], total['bugs']):.1f}%, "
                 f"'Likely cause' lines other than the entry's message {total['other_hints']} (listed below)")
    return "\n".join(lines)


def render_other_hints(results: list) -> str:
    lines = []
    for r in results:
        for hint in r["other_hints"]:
            lines.append(f"  {r['lab'].split('_')[0]} {r['function']}.{r['entry']}: {hint}")
    return "\n".join(["other hints (read each: is it the entry's mistake in other words?):"] + lines) if lines else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--jobs", type=int, default=None)
    options = parser.parse_args()
    results = measure(options.jobs)
    rows = summarize(results)
    if options.json:
        print(json.dumps({"rows": rows, "entries": results}, indent=1))
    else:
        print(render(rows))
        print(render_other_hints(results))


if __name__ == "__main__":
    main()
