"""Reasons for an instructor to look at a submission: attempts to game the grader.

Flags never change a score (the judge already holds every exploit to what the honest
code earns); they tell the instructor what was tried. Each is a `Flag` record made where
the event is seen:

- here, from the answer cells' text: patching numpy, builtins, IPython or the checks;
  ending the process; reading course files; objects that claim equality; fake success
  messages; a graded function calling one that is built on it (only useful to read the
  answer off the reference);
- here, from the submitted cells, recorded before nbgrader restores them: test cells
  deleted, edited, turned into markdown or given other points; nbgrader metadata changed
  or invented;
- in the judge, from what happened when the code ran (`judge.run_check`): the process
  crashed, broke the protocol or asked the judge for too much work, or raised SystemExit.

An honest mistake (an exception, a timeout, a changed input) is not a flag.
"""
from __future__ import annotations

import ast
import re

from .report import Flag

PATTERNS = [
    (r"\b(np|numpy)(\.\w+)+\s*=(?!=)|setattr\(\s*(np|numpy)\b", "patches_numpy",
     "patches numpy (assigns to a numpy attribute)"),
    (r"\bbuiltins\b|__builtins__", "touches_builtins", "touches Python's builtins"),
    (r"get_ipython|\bIPython\b|showtraceback|set_custom_exc", "patches_ipython", "changes how IPython reports errors"),
    (r"\bsys\.modules\b|importlib\.reload", "edits_modules", "edits the loaded modules"),
    (r"\b(import|from)\s+(solutions|autograder|nbgrader)\b|__import__\(\s*['\"](solutions|autograder)",
     "imports_grader", "imports the grader or the reference solutions"),
    (r"os\._exit|sys\.exit|\bexit\(|\bquit\(|SystemExit|KeyboardInterrupt|os\.kill|signal\.",
     "ends_process", "tries to end or interrupt the process"),
    (r"def\s+__eq__|def\s+__array_ufunc__|class\s+\w+\(\s*(np\.|numpy\.)?ndarray",
     "claims_equality", "defines objects that decide their own equality"),
    (r"(['\"]).*(tests?|checks?)\s+(have\s+)?passed.*\1", "fake_success", "prints a success message of its own"),
    (r"\bctypes\b|\bsubprocess\b|\bsocket\b|os\.fork|\bmultiprocessing\b|os\.system|os\.popen|os\.setsid",
     "system_facilities", "uses system facilities (processes, sockets, ctypes)"),
    (r"['\"]/(proc|sys|run|dev|etc|root|home)\b", "system_files", "reaches for system files (/proc, /sys, /run, /dev, /etc)"),
    (r"\bsys\.argv\b|\bos\.write\(|\bos\.dup2?\(", "grader_channel", "writes to the grader's channel"),
]
# Markdown that would run in a reader's browser: scripts, event handlers, javascript: links, frames
ACTIVE_HTML = re.compile(r"<\s*(script|iframe|object|embed|style)\b|\son\w+\s*=|javascript:", re.I)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
COURSE_FILES = re.compile(r"solutions|source/|\.ipynb|gradebook|nbgrader_config|autograded|submitted")
READS = re.compile(r"\bopen\(|\bPath\(|os\.listdir|os\.walk|\bglob\b|scandir|read_text|read_bytes")
SELF_ENDING = ("SystemExit", "KeyboardInterrupt", "GeneratorExit")
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)   # the master's own


def scan_answers(cells, lab=None) -> list:
    """Flags from the text of the cells the student wrote (comments ignored)."""
    flags = []
    for cell in cells:
        code = "\n".join(line.split("#", 1)[0] if "'" not in line and '"' not in line else line
                         for line in cell["source"].splitlines())
        for pattern, code_name, reason in PATTERNS:
            if re.search(pattern, code):
                flags.append(Flag(code_name, f"cell '{cell['id']}' {reason}", cell=cell["id"]))
        if READS.search(code) and COURSE_FILES.search(code):
            flags.append(Flag("reads_course_files", f"cell '{cell['id']}' reads course files "
                                                    "(solutions, notebooks or grades)", cell=cell["id"]))
        if lab is not None:
            flags.extend(circular_calls(cell, lab))
    return list(dict.fromkeys(flags))


def scan_markdown(nb) -> list:
    """Flags for text cells holding markup that would run in a reader's browser (feedback and
    formgrader show them; the feedback is sanitised, but the attempt is worth a look)."""
    flags = []
    for index, cell in enumerate(nb.get("cells", [])):
        if isinstance(cell, dict) and cell.get("cell_type") in ("markdown", "raw"):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            if ACTIVE_HTML.search(source):
                flags.append(Flag("active_html", f"text cell {index + 1} holds HTML that would run in a browser "
                                                 "(script, event handler or javascript: link)", cell=str(index + 1)))
    return flags


def control_characters(report) -> list:
    """A flag when student text in the report carries terminal control characters (they
    could rewrite what an instructor reads on a terminal; they are shown escaped)."""
    texts = [c.message for c in report.checks] + list(report.notes)
    if any(CONTROL.search(text) for text in texts):
        return [Flag("control_characters", "the submission's messages carry terminal control characters "
                                           "(shown escaped)")]
    return []


def dependents(lab, function) -> set:
    """The graded functions built on `function` (that call it, directly or not)."""
    out, changed = set(), True
    while changed:
        changed = False
        for name, graded in lab.functions.items():
            if name not in out and (function in graded.calls or out & set(graded.calls)):
                out.add(name)
                changed = True
    return out


def circular_calls(cell, lab) -> list:
    """A graded function that calls a graded function built on itself: no honest use (it
    recurses), but it would read its answer off whatever answers that call."""
    try:
        tree = ast.parse(cell["source"])
    except SyntaxError:
        return []
    flags = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in lab.functions:
            built_on_it = dependents(lab, node.name)
            called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
            for name in sorted(called & built_on_it):
                flags.append(Flag("circular_call", f"{node.name} calls {name}, which is built on {node.name}: "
                                                   "only useful to read the answer off the grader", function=node.name,
                                  cell=cell["id"]))
    return flags


def test_cell_changes(recorded: dict | None, lab) -> list:
    """Flags from the cells as submitted (recorded before nbgrader restored them)."""
    if not recorded:
        return []
    cells = recorded.get("test_cells", {})
    flags = []
    for function in lab.functions:
        grade_id = f"test_{function}"
        cell = cells.get(grade_id)
        if cell is None:
            flags.append(Flag("test_cell_deleted", f"test cell {grade_id} was deleted", function, grade_id))
            continue
        if cell.get("cell_type") != "code":
            flags.append(Flag("test_cell_changed", f"test cell {grade_id} was turned into {cell.get('cell_type')}",
                              function, grade_id))
        source = HIDDEN_TESTS.sub("", "".join(cell.get("source", ""))).strip()
        if source != f"check({function})":
            flags.append(Flag("test_cell_changed", f"test cell {grade_id} was edited", function, grade_id))
        try:
            points = float(cell.get("points", -1))
        except (TypeError, ValueError):
            points = -1.0
        if points != lab.cell_points(function):
            flags.append(Flag("test_cell_changed", f"test cell {grade_id} was given {cell.get('points')!r} points "
                                                   f"instead of {lab.cell_points(function):g}", function, grade_id))
    for grade_id, count in recorded.get("duplicates", {}).items():
        flags.append(Flag("cell_duplicated", f"cell {grade_id} appears {count} times", cell=grade_id))
    for change in recorded.get("metadata", []):
        flags.append(Flag("metadata_changed", change["message"], cell=change["cell"]))
    return flags


def record_test_cells(nb) -> dict:
    """What the submission's graded test cells looked like, before nbgrader restores them."""
    cells, seen = {}, {}
    for cell in nb.get("cells", []):
        metadata = cell.get("metadata") if isinstance(cell, dict) else None
        meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(grade_id, str) or not grade_id:
            continue
        seen[grade_id] = seen.get(grade_id, 0) + 1
        if grade_id.startswith("test_"):
            source = cell.get("source", "")
            cells[grade_id] = {"cell_type": cell.get("cell_type"), "points": meta.get("points"),
                               "source": "".join(source) if isinstance(source, list) else str(source)}
    return {"test_cells": cells, "duplicates": {k: v for k, v in seen.items() if v > 1}}
