"""Reasons for an instructor to look at a submission: attempts to game the grader.

Flags never change a score (the judge already holds every exploit to what the honest
code earns); they tell the instructor what was tried. Each is a `Flag` record made where
the event is seen:

- here, from the answer cells' text: patching numpy, builtins, IPython or the checks;
  ending the process; reading course files; objects that claim equality; fake success
  messages; a graded function calling one that is built on it (only useful to read the
  answer off the reference);
- here, from the submitted cells, recorded before nbgrader restores them: test cells
  edited, turned into markdown or given other points; nbgrader metadata changed or
  invented (a deleted test cell is put back from the release and reported, not flagged:
  `restored_cells`);
- in the judge, from what happened when the code ran (`judge.run_check`): the process
  crashed, broke the protocol or asked the judge for too much work, or raised SystemExit.

An honest mistake (an exception, a timeout, a changed input) is not a flag.
"""
from __future__ import annotations

import ast
import re

from .result import Flag
from ..text import inert, printable

QUOTES = ("'", '"')
_DOTTED = re.compile(r"\w++(?:\.\w++)*+")                   # a maximal dotted name: np.random.seed
_ASSIGNED = re.compile(r"\s*+=(?!=)")
_SETATTR_NUMPY = re.compile(r"setattr\(\s*+(?:np|numpy)\b")
_SUCCESS = re.compile(r"(?:tests?|checks?)\s++(?:have\s++)?passed")


def _numpy_assignment(code: str) -> bool:
    r"""An assignment to a numpy attribute (``np.random.seed = ...``, ``a.numpy.x = 1``; not
    ``==``), or ``setattr(np, ...)``: what ``\b(np|numpy)(\.\w+)+\s*=(?!=)`` finds, in one
    pass. That regex starts again at every ``np`` of ``np.np.np...`` and reads the rest of
    the dotted name each time (quadratic); here each dotted name is read once."""
    if "np" not in code and "numpy" not in code:
        return False
    for name in _DOTTED.finditer(code):
        parts = name.group().split(".")
        if any(part in ("np", "numpy") for part in parts[:-1]) and _ASSIGNED.match(code, name.end()):
            return True
    return _SETATTR_NUMPY.search(code) is not None


def _fake_success(code: str) -> bool:
    r"""A string that says the tests passed: "tests passed" (or "check(s) (have) passed")
    with a quote before it on its first line and the same quote after it on its last.
    That is what ``(['"]).*(tests?|checks?)\s+(have\s+)?passed.*\1`` finds, but that
    regex tries every quote of a line against every later one (cubic in a line of
    quotes); here each character is read a bounded number of times: the text before each
    phrase only once (from the previous phrase on), the text after it up to the next
    newline and quote, which are kept until a phrase ends past them."""
    if "passed" not in code:
        return False
    end_of_text = len(code)
    last = {"\n": -1, **{q: -1 for q in QUOTES}}       # last position before the phrase read so far
    following = {"\n": -1, **{q: -1 for q in QUOTES}}  # next position at or after a phrase's end
    read_to = 0
    for phrase in _SUCCESS.finditer(code):
        start, end = phrase.span()
        for char in last:
            at = code.rfind(char, read_to, start)
            if at >= 0:
                last[char] = at
        read_to = start
        for char in following:
            if following[char] < end:
                at = code.find(char, end)
                following[char] = at if at >= 0 else end_of_text
        for q in QUOTES:
            if last[q] > last["\n"] and following[q] < following["\n"]:
                return True
    return False


def _regex(pattern, *needles):
    """`re.compile(pattern).search`, tried only on a text holding one of `needles` (literal
    pieces every match contains: a substring search is many times faster than the regex)."""
    search = re.compile(pattern).search
    return lambda code: any(needle in code for needle in needles) and search(code)


# (finds in the answer cells' text, flag code, reason). Every find is linear in the text:
# the student chooses it, and it is scanned before any deadline exists (possessive
# quantifiers where a regex could backtrack; the two patterns no regex does in linear
# time are read by hand above).
PATTERNS = [
    (_numpy_assignment, "patches_numpy", "patches numpy (assigns to a numpy attribute)"),
    (_regex(r"\bbuiltins\b|__builtins__", "builtins"), "touches_builtins", "touches Python's builtins"),
    (_regex(r"get_ipython|\bIPython\b|showtraceback|set_custom_exc",
            "get_ipython", "IPython", "showtraceback", "set_custom_exc"),
     "patches_ipython", "changes how IPython reports errors"),
    (_regex(r"\bsys\.modules\b|importlib\.reload", "sys.modules", "importlib.reload"),
     "edits_modules", "edits the loaded modules"),
    (_regex(r"\b(?:import|from)\s++(?:solutions|autograder|nbgrader)\b"
            r"|__import__\(\s*+['\"](?:solutions|autograder)", "solutions", "autograder", "nbgrader"),
     "imports_grader", "imports the grader or the reference solutions"),
    (_regex(r"os\._exit|sys\.exit|\bexit\(|\bquit\(|SystemExit|KeyboardInterrupt|os\.kill|signal\.",
            "os._exit", "sys.exit", "exit(", "quit(", "SystemExit", "KeyboardInterrupt", "os.kill", "signal."),
     "ends_process", "tries to end or interrupt the process"),
    (_regex(r"def\s++__eq__|def\s++__array_ufunc__|class\s++\w++\(\s*+(?:np\.|numpy\.)?ndarray",
            "__eq__", "__array_ufunc__", "ndarray"),
     "claims_equality", "defines objects that decide their own equality"),
    (_fake_success, "fake_success", "prints a success message of its own"),
    (_regex(r"\bctypes\b|\bsubprocess\b|\bsocket\b|os\.fork|\bmultiprocessing\b|os\.system|os\.popen|os\.setsid",
            "ctypes", "subprocess", "socket", "os.fork", "multiprocessing", "os.system", "os.popen", "os.setsid"),
     "system_facilities", "uses system facilities (processes, sockets, ctypes)"),
    (_regex(r"['\"]/(?:proc|sys|run|dev|etc|root|home)\b", "'/", '"/'), "system_files",
     "reaches for system files (/proc, /sys, /run, /dev, /etc)"),
    (_regex(r"\bsys\.argv\b|\bos\.write\(|\bos\.dup2?\(", "sys.argv", "os.write(", "os.dup"),
     "grader_channel", "writes to the grader's channel"),
]
# Markdown that would run in a reader's browser: scripts, event handlers, javascript: links, frames
ACTIVE_HTML = re.compile(r"<\s*+(?:script|iframe|object|embed|style)\b|\son\w++\s*+=|javascript:", re.I)
# terminal control characters and bidirectional controls (not \n or \t, which honest messages hold)
COURSE_FILES = re.compile(r"solutions|source/|\.ipynb|gradebook|nbgrader_config|autograded|submitted")
READS = re.compile(r"\bopen\(|\bPath\(|os\.listdir|os\.walk|\bglob\b|scandir|read_text|read_bytes")
SELF_ENDING = ("SystemExit", "KeyboardInterrupt", "GeneratorExit")
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"     # the master's own


def without_hidden_tests(source: str) -> str:
    r"""`source` without its hidden-test blocks (BEGIN ... END, the first END after each
    BEGIN): what ``re.sub("### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", source,
    flags=re.S)`` gives, without that regex's second look through the rest of the text at
    every BEGIN that has no END (quadratic)."""
    out, at = [], 0
    while True:
        begin = source.find(HIDDEN_BEGIN, at)
        end = source.find(HIDDEN_END, begin + len(HIDDEN_BEGIN)) if begin >= 0 else -1
        if end < 0:                   # no block starts here, nor (no END after it) any later
            out.append(source[at:])
            return "".join(out)
        out.append(source[at:begin])
        at = end + len(HIDDEN_END)


def without_comments(source: str) -> str:
    """The cell's text with the comment of each line that holds no quote (a # in a line
    with a quote may be inside a string)."""
    return "\n".join(line.split("#", 1)[0] if "'" not in line and '"' not in line else line
                     for line in source.splitlines())


def scan_answers(cells, lab=None) -> list:
    """Flags from the text of the cells the student wrote (comments ignored)."""
    flags = []
    for cell in cells:
        code = without_comments(cell["source"])
        cell_id = inert(cell["id"])
        shown = inert(cell["id"], limit=80)
        for found, code_name, reason in PATTERNS:
            if found(code):
                flags.append(Flag(code_name, f"cell '{shown}' {reason}", cell=cell_id))
        if COURSE_FILES.search(code) and READS.search(code):
            flags.append(Flag("reads_course_files", f"cell '{shown}' reads course files "
                                                    "(solutions, notebooks or grades)", cell=cell_id))
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
    could rewrite what an instructor reads on a terminal; they are shown escaped); none when
    the report has that flag already (set where the text entered the judge, `student_process`)."""
    if any(flag.code == "control_characters" for flag in report.flags):
        return []
    texts = [c.message for c in report.checks] + list(report.notes)
    if any(printable(str(text)) != str(text) for text in texts):     # one definition of unsafe: text.py
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
    except (SyntaxError, ValueError, RecursionError, MemoryError):   # not Python, or nested past the parser's limits
        return []
    flags = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in lab.functions:
            built_on_it = dependents(lab, node.name)
            called = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
            for name in sorted(called & built_on_it):
                flags.append(Flag("circular_call", f"{node.name} calls {name}, which is built on {node.name}: "
                                                   "only useful to read the answer off the grader", function=node.name,
                                  cell=inert(cell["id"])))
    return flags


def test_cell_changes(recorded: dict | None, lab) -> list:
    """Flags from the cells as submitted (recorded before nbgrader restored them). A copied
    test cell is a slip, not an attempt (nbgrader keeps one copy, from the release): only a
    copy that was changed is flagged."""
    if not recorded:
        return []
    cells = recorded.get("test_cells", {})
    flags = []
    for function in lab.functions:
        grade_id = f"test_{function}"
        copies = cells.get(grade_id)
        if isinstance(copies, dict):              # one copy (as recorded by earlier versions)
            copies = [copies]
        if not copies:          # put back from the release: a deleted cell is reported (`restored_cells`), not flagged
            continue
        for cell in copies:
            for flag in _test_cell_flags(cell, function, grade_id, lab):
                if flag not in flags:
                    flags.append(flag)
    for change in recorded.get("metadata", []):
        flags.append(Flag("metadata_changed", inert(change["message"]), cell=inert(change["cell"])))
    return flags


def restored_cells(recorded: dict | None, lab) -> list:
    """Notes for the test cells the submission lacked, which grading put back from the
    release: an honest slip (a cell deleted by mistake), reported as what it is."""
    if not recorded:
        return []
    cells = recorded.get("test_cells", {})
    missing = [f"test_{function}" for function in lab.functions if not cells.get(f"test_{function}")]
    if not missing:
        return []
    return [f"the test cell{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"{'were' if len(missing) > 1 else 'was'} missing from the notebook and "
            f"{'were' if len(missing) > 1 else 'was'} put back from the lab as released"]


def _test_cell_flags(cell: dict, function: str, grade_id: str, lab) -> list:
    flags = []
    if cell.get("cell_type") != "code":
        kind = inert(cell.get("cell_type"), limit=40)
        flags.append(Flag("test_cell_changed", f"test cell {grade_id} was turned into {kind}", function, grade_id))
    source = without_hidden_tests("".join(cell.get("source", ""))).strip()
    if source != f"check({function})":
        flags.append(Flag("test_cell_changed", f"test cell {grade_id} was edited", function, grade_id))
    try:
        points = float(cell.get("points", -1))
    except (TypeError, ValueError):
        points = -1.0
    if points != lab.cell_points(function):
        given = inert(repr(cell.get("points")), limit=40)
        flags.append(Flag("test_cell_changed", f"test cell {grade_id} was given {given} points "
                                               f"instead of {lab.cell_points(function):g}", function, grade_id))
    return flags


def record_test_cells(nb) -> dict:
    """What the submission's graded test cells looked like, before nbgrader restores them:
    {"test_cells": {grade id: [each copy of the cell, in order]}}."""
    cells = {}
    for cell in nb.get("cells", []):
        metadata = cell.get("metadata") if isinstance(cell, dict) else None
        meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        if not isinstance(grade_id, str) or not grade_id.startswith("test_"):
            continue
        source = cell.get("source", "")
        cells.setdefault(grade_id, []).append({
            "cell_type": cell.get("cell_type"), "points": meta.get("points"),
            "source": "".join(source) if isinstance(source, list) else str(source)})
    return {"test_cells": cells}
