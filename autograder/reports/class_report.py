"""The class at a glance: `nnlabs report LAB` writes reports/LAB/index.html and CSVs.

Read from what `nnlabs grade` recorded (its ledger, one entry per submission, and
nbgrader's gradebook for the score of record): the score distribution, each check's
failure rate, the named mistakes with how many and which students made them,
submissions whose code is identical to another's, flags, and unusable files with their
reasons. The HTML file is self-contained (plots drawn with matplotlib, embedded as PNG);
every piece of student text in it is escaped and stripped of control characters.
"""
from __future__ import annotations

import base64
import collections
import csv
import html
import io
from pathlib import Path

from ..text import csv_cell, printable



def gather(course: Path, lab: str) -> dict:
    """Everything the report shows, as plain data."""
    from ..course import flag_text, ledger_entries
    from ..grading import load_config

    entries = ledger_entries(course, lab)
    scores = _recorded_scores(course, lab, load_config(course))
    graded = {s: e for s, e in sorted(entries.items()) if e.get("status") == "graded"}
    unusable = {s: e.get("reason", "") for s, e in sorted(entries.items()) if e.get("status") != "graded"}
    functions, checks = [], collections.OrderedDict()
    matrix = {}
    mistakes = collections.defaultdict(set)
    for student, entry in graded.items():
        row = collections.OrderedDict()
        for check in entry.get("checks", []):
            function = check["function"]
            if function not in functions:
                functions.append(function)
            row[function] = row.get(function, 0.0) + float(check["points"])
            stats = checks.setdefault(check["id"], {"function": function, "failed": 0, "total": 0})
            stats["total"] += 1
            if not check["passed"]:
                stats["failed"] += 1
                for cause in check.get("causes") or []:      # confirmed, as data (`report.CheckResult`)
                    mistakes[(function, str(cause).strip())].add(student)
        matrix[student] = row
    release = course / "release" / lab / f"{lab}.ipynb"
    blank = _code_hash(release) if release.exists() else None
    by_code = collections.defaultdict(list)
    for student, entry in graded.items():
        if entry.get("code_hash") and entry["code_hash"] != blank:
            by_code[entry["code_hash"]].append(student)
    return {
        "lab": lab,
        "scores": {s: scores.get(s, e.get("score", 0.0)) for s, e in sorted(entries.items())},
        "max_score": max((e.get("max_score") or 0.0 for e in graded.values()), default=0.0),
        "functions": functions,
        "matrix": matrix,
        "checks": checks,
        "mistakes": sorted(((f, cause, sorted(who)) for (f, cause), who in mistakes.items()),
                           key=lambda m: (-len(m[2]), m[0], m[1])),
        "identical": sorted((sorted(group) for group in by_code.values() if len(group) > 1), key=lambda g: -len(g)),
        "flags": [(s, flag_text(f)) for s, e in sorted(entries.items()) for f in e.get("flags", [])],
        "unusable": unusable,
    }


def _recorded_scores(course: Path, lab: str, config) -> dict:
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory
    coursedir = CourseDirectory(config=config, root=str(course))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            return {s.student.id: float(s.code_score) for s in gb.assignment_submissions(lab)}
        except Exception:  # no such assignment yet: the ledger's scores stand
            return {}


def _code_hash(path: Path):
    import json
    from ..grading.judging import code_hash
    return code_hash(json.loads(path.read_text(encoding="utf-8")))


# --- files -----------------------------------------------------------------------

def write(course: Path, lab: str, data: dict | None = None) -> Path:
    data = data or gather(course, lab)
    folder = course / "reports" / lab
    folder.mkdir(parents=True, exist_ok=True)
    functions = data["functions"]
    _csv(folder / "matrix.csv", ["student", *functions, "score"],
         [[s, *(_number(row.get(f, 0.0)) for f in functions), _number(data["scores"].get(s, 0.0))]
          for s, row in data["matrix"].items()])
    _csv(folder / "check_failures.csv", ["check", "function", "failed", "graded", "failure_rate"],
         [[c, v["function"], v["failed"], v["total"], f"{v['failed'] / v['total']:.3f}"]
          for c, v in _by_failures(data["checks"])])
    _csv(folder / "mistakes.csv", ["function", "mistake", "students", "count"],
         [[f, cause, " ".join(who), len(who)] for f, cause, who in data["mistakes"]])
    _csv(folder / "identical.csv", ["group", "students"],
         [[i + 1, " ".join(group)] for i, group in enumerate(data["identical"])])
    _csv(folder / "flags.csv", ["student", "flag"], data["flags"])
    _csv(folder / "unusable.csv", ["student", "reason"], sorted(data["unusable"].items()))
    path = folder / "index.html"
    path.write_text(render_html(data), encoding="utf-8")
    return path


def _csv(path: Path, header, rows):
    """Every cell through `text.csv_cell`: student ids and messages inert, never a formula."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_cell(cell) for cell in header])
        writer.writerows([csv_cell(cell) for cell in row] for row in rows)


def _number(value):
    """A score as a number for a CSV cell, written as :g writes it (3 rather than 3.0)."""
    value = float(f"{float(value):g}")
    return int(value) if value.is_integer() else value


def _by_failures(checks: dict):
    return sorted(checks.items(), key=lambda kv: (-kv[1]["failed"] / max(kv[1]["total"], 1), kv[0]))


# --- HTML ------------------------------------------------------------------------

def _text(value) -> str:
    return html.escape(printable(value))


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt
    plt.close(figure)
    return f'<img alt="" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def _plots(data: dict) -> tuple[str, str]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    scores = list(data["scores"].values())
    top = data["max_score"] or max(scores, default=1.0) or 1.0
    ax.hist(scores, bins=min(20, max(5, int(top))), range=(0, top), color="#4c72b0", edgecolor="white")
    ax.set_xlabel("points (automatic)")
    ax.set_ylabel("submissions")
    ax.set_title("Score distribution")
    histogram = _png(fig)

    worst = [(c, v) for c, v in _by_failures(data["checks"]) if v["failed"]][:15]
    fig, ax = plt.subplots(figsize=(6.4, 0.35 * max(len(worst), 2) + 0.8))
    if worst:
        ax.barh([c for c, _ in worst][::-1], [100 * v["failed"] / v["total"] for _, v in worst][::-1], color="#dd8452")
        ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded submissions failing")
    ax.set_title("Checks failed most often")
    bars = _png(fig)
    return histogram, bars


def _table(header, rows) -> str:
    head = "".join(f"<th>{_text(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if rows else "<p>None.</p>"


STYLE = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:68em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;
vertical-align:top}th{background:#f4f4f4}.figs{display:flex;flex-wrap:wrap;gap:1em}.num{text-align:right}
.summary span{display:inline-block;margin-right:2em}"""


def render_html(data: dict) -> str:
    histogram, bars = _plots(data)
    scores = list(data["scores"].values())
    mean = sum(scores) / len(scores) if scores else 0.0
    failing = [(c, v) for c, v in _by_failures(data["checks"]) if v["failed"]]
    sections = [
        f"<h1>{_text(data['lab'])}: class report</h1>",
        '<p class="summary">'
        f"<span><b>{len(scores)}</b> submissions</span><span><b>{len(data['matrix'])}</b> graded</span>"
        f"<span><b>{len(data['unusable'])}</b> unusable</span><span>mean <b>{mean:.1f}</b> / {data['max_score']:g}</span>"
        f"<span><b>{len({s for s, _ in data['flags']})}</b> flagged</span></p>",
        f'<div class="figs">{histogram}{bars}</div>',
        "<h2>Most common named mistakes</h2>",
        _table(["function", "mistake", "students", "who"],
               [[_text(f), _text(cause), f'<span class="num">{len(who)}</span>', _text(", ".join(who))]
                for f, cause, who in data["mistakes"][:30]]),
        "<h2>Failure rate of each check</h2>",
        _table(["check", "failed", "rate"],
               [[_text(c), f"{v['failed']} / {v['total']}", f"{100 * v['failed'] / v['total']:.0f}%"]
                for c, v in failing]),
        "<h2>Identical submissions</h2>",
        _table(["students with the same code"], [[_text(", ".join(group))] for group in data["identical"]]),
        "<h2>Flags</h2>",
        _table(["student", "flag"], [[_text(s), _text(f)] for s, f in data["flags"]]),
        "<h2>Unusable files</h2>",
        _table(["student", "reason"], [[_text(s), _text(r)] for s, r in sorted(data["unusable"].items())]),
        "<p>CSV files beside this page: matrix.csv (student &times; function), check_failures.csv, "
        "mistakes.csv, identical.csv, flags.csv, unusable.csv.</p>",
    ]
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{_text(data['lab'])} class report</title><style>{STYLE}</style></head><body>"
            + "\n".join(sections) + "</body></html>\n")


def main(lab: str, course: Path | None = None) -> int:
    from ..course import course_root
    from ..labs import LAB_IDS
    course = course or course_root()
    if lab not in LAB_IDS:
        print(f"nnlabs: unknown lab {lab!r}; the labs are: {', '.join(LAB_IDS)}")
        return 2
    data = gather(course, lab)
    if not data["scores"]:
        print(f"nnlabs: nothing graded for {lab} yet: run `nnlabs grade {lab}` first")
        return 1
    path = write(course, lab, data)
    print(f"class report: {path}\n  CSVs beside it: {', '.join(sorted(p.name for p in path.parent.glob('*.csv')))}")
    return 0
