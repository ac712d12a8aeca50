"""Reasons for an instructor to look at a submission: attempts to game the grader.

Flags never change a score (the judge already holds every exploit to what the honest
code earns); they tell the instructor what was tried. Three sources:

- the answer cells' text: patching numpy, builtins, IPython or the checks; ending the
  process; reading course files; objects that claim equality; fake success messages;
- the submitted test cells, recorded before nbgrader restores them: deleted, edited,
  turned into markdown, or given other points;
- what happened when the code ran: the process hung, died or broke the protocol, a
  cell raised SystemExit or KeyboardInterrupt, a function changed its inputs in place.
"""
from __future__ import annotations

import re

PATTERNS = [
    (r"\b(np|numpy)(\.\w+)+\s*=(?!=)|setattr\(\s*(np|numpy)\b", "patches numpy (assigns to a numpy attribute)"),
    (r"\bbuiltins\b|__builtins__", "touches Python's builtins"),
    (r"get_ipython|\bIPython\b|showtraceback|set_custom_exc", "changes how IPython reports errors"),
    (r"\bsys\.modules\b|importlib\.reload", "edits the loaded modules"),
    (r"\b(import|from)\s+(solutions|autograder|nbgrader)\b|__import__\(\s*['\"](solutions|autograder)",
     "imports the grader or the reference solutions"),
    (r"os\._exit|sys\.exit|\bexit\(|\bquit\(|SystemExit|KeyboardInterrupt|os\.kill|signal\.",
     "tries to end or interrupt the process"),
    (r"def\s+__eq__|def\s+__array_ufunc__|class\s+\w+\(\s*(np\.|numpy\.)?ndarray",
     "defines objects that decide their own equality"),
    (r"(['\"]).*(tests?|checks?)\s+(have\s+)?passed.*\1", "prints a success message of its own"),
    (r"\bctypes\b|\bsubprocess\b|\bsocket\b|os\.fork|\bmultiprocessing\b|os\.system|os\.popen",
     "uses system facilities (processes, sockets, ctypes)"),
]
COURSE_FILES = re.compile(r"solutions|source/|\.ipynb|gradebook|nbgrader_config|autograded|submitted")
READS = re.compile(r"\bopen\(|\bPath\(|os\.listdir|os\.walk|\bglob\b|scandir|read_text|read_bytes")
SELF_ENDING = ("SystemExit", "KeyboardInterrupt", "GeneratorExit")
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)   # the master's own


def scan_answers(cells) -> list:
    """Flags from the text of the cells the student wrote (comments ignored)."""
    flags = []
    for cell in cells:
        code = "\n".join(line.split("#", 1)[0] if "'" not in line and '"' not in line else line
                         for line in cell["source"].splitlines())
        for pattern, reason in PATTERNS:
            if re.search(pattern, code):
                flags.append(f"cell '{cell['id']}' {reason}")
        if READS.search(code) and COURSE_FILES.search(code):
            flags.append(f"cell '{cell['id']}' reads course files (solutions, notebooks or grades)")
    return list(dict.fromkeys(flags))


def test_cell_changes(recorded: dict | None, lab) -> list:
    """Flags from the test cells as submitted (recorded before nbgrader restored them)."""
    if not recorded:
        return []
    cells = recorded.get("test_cells", {})
    flags = []
    for function in lab.functions:
        grade_id = f"test_{function}"
        cell = cells.get(grade_id)
        if cell is None:
            flags.append(f"test cell {grade_id} was deleted")
            continue
        if cell.get("cell_type") != "code":
            flags.append(f"test cell {grade_id} was turned into {cell.get('cell_type')}")
        source = HIDDEN_TESTS.sub("", "".join(cell.get("source", ""))).strip()
        if source != f"check({function})":
            flags.append(f"test cell {grade_id} was edited")
        if float(cell.get("points", -1)) != lab.cell_points(function):
            flags.append(f"test cell {grade_id} was given {cell.get('points')} points "
                         f"instead of {lab.cell_points(function):g}")
    for grade_id, count in recorded.get("duplicates", {}).items():
        flags.append(f"cell {grade_id} appears {count} times")
    return flags


def runtime_flags(report, load) -> list:
    flags = []
    if load.failure:
        flags.append(f"running the answer cells failed: {load.failure}")
    for cell_id, error in load.cell_errors.items():
        if error.type in SELF_ENDING:
            flags.append(f"cell '{cell_id}' raised {error.type} to stop the grader")
    for check in report.checks:
        text = check.message
        if any(word in text for word in ("did not finish within", "ended the process", "malformed data",
                                         "may not have", "too many calls", "time budget")):
            flags.append(f"{check.function}: {text.splitlines()[0]}")
        elif "changed its input array in place" in text:
            flags.append(f"{check.function} changes its inputs in place")
        elif "raised MemoryError" in text:
            flags.append(f"{check.function} tried to use more memory than allowed")
    return list(dict.fromkeys(flags))


def record_test_cells(nb) -> dict:
    """What the submission's graded test cells looked like, before nbgrader restores them."""
    cells, seen = {}, {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        seen[grade_id] = seen.get(grade_id, 0) + 1
        if grade_id.startswith("test_"):
            source = cell.get("source", "")
            cells[grade_id] = {"cell_type": cell.get("cell_type"), "points": meta.get("points"),
                               "source": "".join(source) if isinstance(source, list) else source}
    return {"test_cells": cells, "duplicates": {k: v for k, v in seen.items() if v > 1}}
