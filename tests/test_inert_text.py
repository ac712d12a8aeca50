"""Student text never stalls the judge and is inert wherever people see it.

- Every scan of a submission's text (`integrity`) is linear: it runs in the judge before
  any student process or deadline exists, so a pattern that backtracks would let one
  comment hold the grader for hours.
- Text that came from a student (exception messages, cell ids, student ids, file names)
  reaches a terminal without control, bidirectional or line-breaking characters (no
  rewritten line, no fake "✓ passed" line), and a CSV file without a formula.
"""
import csv
import re
import signal
import time

import pytest

from autograder.reports import class_report
from autograder import cli
from autograder.faces import display
from autograder.judging import integrity
from autograder.course import export_grades, render_class, write_flags
from autograder.labs import get_lab
from autograder.judging.result import CheckResult, Flag, Report
from autograder.text import csv_cell, inert, printable

from conftest import LAB2

# what must never reach a terminal raw from a submission
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))]
BIDI = ["\u061c", "\u200e", "\u200f", *map(chr, range(0x202a, 0x202f)), *map(chr, range(0x2066, 0x206a))]
BREAKS = ["\n", "\r", "\v", "\f", "\x85", "\u2028", "\u2029"]
NOT_IN_A_LINE = set(CONTROLS + BIDI + BREAKS) | {"\t"}
NOT_IN_A_MESSAGE = NOT_IN_A_LINE - {"\n", "\t"}

FAKE_PASS = "\n  ✓ sigmoid.random_inputs"
EVIL = ("boom\x1b[2K\r  ada 43 / 43" + FAKE_PASS + "\u202egnp.\u2066x\u2069\u200f\u061c\u2028  ✓ sigmoid.x"
        "\x85  ✓ sigmoid.y\x1b[8m")
EVIL_IDS = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "ada\x1b[31m", "bob\rcarl",
            "eve" + FAKE_PASS, "\tzoe", "\u202eevil"]


# -- text ---------------------------------------------------------------------------

def test_inert_makes_one_visible_line_and_printable_keeps_our_lines():
    everything = "".join(sorted(NOT_IN_A_LINE)) + "tail"
    line = inert(everything)
    assert not NOT_IN_A_LINE & set(line) and line.endswith("tail")
    assert inert("a\nb\u202ec") == "a\\nb\\u202ec" and inert("\x1b[2K") == "\\x1b[2K"
    assert inert(line) == line == printable(line)                  # idempotent, and they compose
    message = printable(everything)
    assert not NOT_IN_A_MESSAGE & set(message) and "\n" in message and "\t" in message
    assert inert("x" * 50, limit=10) == "x" * 9 + "…" and inert("short", limit=10) == "short"
    assert inert("\ud800") == "\\ud800"                             # a lone surrogate cannot be printed


def test_a_csv_cell_is_inert_text_or_a_number():
    for value in ("=1+1", "+1", "-2", "@SUM(A1)"):
        assert csv_cell(value) == "'" + value, value
    assert csv_cell("\t=1") == "\\t=1" and csv_cell("\r=1") == "\\r=1"     # inert first: no tab or CR begins
    assert csv_cell("ada\nbob") == "ada\\nbob" and csv_cell("ada") == "ada" and csv_cell(None) == ""
    assert csv_cell(-1.5) == -1.5 and csv_cell(3) == 3
    assert csv_cell(csv_cell("=1")) == csv_cell("=1")


# -- A: linear scans ---------------------------------------------------------------

def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# inputs that make a backtracking pattern quadratic or worse: name -> text of a given size
ADVERSARIAL = {
    "quotes, then tests passed": lambda n: _repeat("'", n - 13) + " tests passed",
    "a quote, then only phrases": lambda n: "'" + _repeat(" tests passed", n - 1),
    "np. repeated": lambda n: _repeat("np.", n),
    "parentheses": lambda n: _repeat("(", n),
    "single quotes": lambda n: _repeat("'", n),
    "spaces": lambda n: _repeat(" ", n),
    "backslashes": lambda n: _repeat("\\", n),
    "lines of quotes and hashes": lambda n: _repeat("x = '#' # '\n", n),
    "<, then spaces, and handler-like words": lambda n: "<" + _repeat(" ", n // 2) + _repeat(" onx", n - 1 - n // 2),
    "hidden-test blocks that never end": lambda n: _repeat("### BEGIN HIDDEN TESTS\n", n),
    "a sum nested past the parser's depth": lambda n: "x" + _repeat("+x", n - 1),
    "a mix of all": lambda n: _repeat("'\"np.np.(\\ checks have passed class x < onx ### BEGIN HIDDEN TESTS\n", n),
    "class, then one long name": lambda n: "class " + _repeat("x", n - 6),
}
SMALL, LARGE = 100_000, 1_000_000


class _Stalled(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Stalled


def _seconds(scan, text, repeat: int, budget: float = 10.0) -> float:
    """The fastest of `repeat` runs, in CPU seconds of this process (what other processes do on
    a busy machine does not count); a run past `budget` seconds of real time fails the test
    there (a backtracking pattern would take hours)."""
    best = float("inf")
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        for _ in range(repeat):
            signal.setitimer(signal.ITIMER_REAL, budget)
            start = time.process_time()
            try:
                scan(text)
            except _Stalled:
                pytest.fail(f"a scan of {len(text):,} characters did not finish within {budget:g} s")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            best = min(best, time.process_time() - start)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return best


def test_every_scan_of_student_text_is_linear():
    """For each adversarial text, scanning 1 MB takes less than 20 times what scanning
    100 KB takes (10 times the text: linear is 10x, quadratic 100x, cubic 1000x) and less
    than 5 s: answer cells (with a lab, so the AST is read too), markdown cells and the
    submitted test cells. (Times under a millisecond count as one: the timer's noise.)"""
    lab = get_lab(LAB2)
    scans = {
        "scan_answers": lambda text: integrity.scan_answers([{"id": "cell", "source": text}], lab),
        "scan_markdown": lambda text: integrity.scan_markdown({"cells": [{"cell_type": "markdown", "source": text},
                                                                         {"cell_type": "raw", "source": [text]}]}),
        "test_cell_changes": lambda text: integrity.test_cell_changes(
            {"test_cells": {"test_sigmoid": {"cell_type": "code", "points": 1, "source": text}}}, lab),
    }
    slow = []
    for name, make in ADVERSARIAL.items():
        small, large = make(SMALL), make(LARGE)
        assert len(small) == SMALL and len(large) == LARGE, name
        for scan_name, scan in scans.items():
            short, long = max(_seconds(scan, small, 3), 1e-3), _seconds(scan, large, 2)
            if long >= 30 * short:                      # measured again (a busy machine) before calling it slow
                short, long = max(short, _seconds(scan, small, 7)), min(long, _seconds(scan, large, 5))
            # 10 times the text: linear is ~10x, quadratic ~100x, cubic ~1000x
            if long >= 30 * short or long >= 5.0:
                slow.append(f"{scan_name} on {name}: {short * 1e3:.1f} ms for 100 KB, {long * 1e3:.1f} ms for 1 MB")
    assert not slow, "\n".join(slow)


# the backtracking patterns the linear finds replace (fine on a few characters)
OLD = {"fake_success": re.compile(r"(['\"]).*(tests?|checks?)\s+(have\s+)?passed.*\1"),
       "patches_numpy": re.compile(r"\b(np|numpy)(\.\w+)+\s*=(?!=)|setattr\(\s*(np|numpy)\b")}


def test_the_linear_scans_flag_what_the_patterns_flagged():
    """The rewritten finds flag the texts the old patterns flagged, and only those."""
    def codes(source):
        return {flag.code for flag in integrity.scan_answers([{"id": "c", "source": source}])}

    samples = {
        "print('all tests passed!')": {"fake_success"},
        'print("checks\n have passed")': {"fake_success"},       # a quote on the phrase's first and last line
        'x = "a"\ntests passed\ny = "b"': set(),                 # the quotes are on other lines
        'x = "a"\nprint("tests have passed", x)': {"fake_success"},
        "'tests passed": set(), "tests passed'": set(), "'tests passed\"": set(),
        "latest passed = '1'": set(), "s = '' + 'contests passed'": {"fake_success"},
        "np.random.seed = 0": {"patches_numpy"}, "self.np.linalg.norm = f": {"patches_numpy"},
        "np.x == 1\nnumpy.y <= 2\nnpx.y = 3\nz.np = 4\nnp.x += 1": set(),
        "numpy.random .seed = 1": set(), "a..numpy.e\t= 1": {"patches_numpy"},
        "setattr( numpy, 'x', 1)": {"patches_numpy"},
        "class A(  np.ndarray): pass": {"claims_equality"},
        "from   autograder import checks": {"imports_grader"},
        "x = 1  # tests passed, np.x = 1, import solutions": set(),
    }
    for source, expected in samples.items():
        assert codes(source) == expected, source
        for code, pattern in OLD.items():
            assert (code in expected) == bool(pattern.search(integrity.without_comments(source))), source
    assert integrity.scan_markdown({"cells": [{"cell_type": "markdown", "source": "<img src=x onerror =alert(1)>"}]})
    assert not integrity.scan_markdown({"cells": [{"cell_type": "markdown", "source": "one = two, on =3"}]})
    source = "check(sigmoid)\n### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS\n### BEGIN HIDDEN TESTS\ny"
    assert integrity.without_hidden_tests(source) == "check(sigmoid)\n\n### BEGIN HIDDEN TESTS\ny"
    assert integrity.without_hidden_tests(source) == re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "",
                                                            source, flags=re.S)


def test_flags_show_a_cell_id_of_the_submission_inert():
    flags = integrity.scan_answers([{"id": "evil" + FAKE_PASS + "\u202e", "source": "import ctypes"}])
    assert flags and all(not NOT_IN_A_LINE & set(flag.message + flag.cell) for flag in flags)


# -- B: terminals ------------------------------------------------------------------

def _report() -> Report:
    """A judged notebook whose student text tries every trick: the exception message as the
    judge holds it (made inert where it entered, `student_process`), and the same text raw
    wherever a renderer has to catch it itself: check messages, notes, flags, cell ids."""
    checks = [
        CheckResult("sigmoid", "sigmoid.basic", True, 1.0, 1.0),
        CheckResult("sigmoid", "sigmoid.random_inputs", False, 0.0, 2.0,
                    f"your sigmoid raised ValueError: {inert(EVIL, 500)}\nLikely cause: an exception in your code",
                    kind="raised"),
        CheckResult("sigmoid", "sigmoid.large_inputs", False, 0.0, 2.0,
                    "expected 1.0, got " + EVIL.replace("\n", " ") + "\nLikely cause: overflow", kind="failed"),
    ]
    flags = [Flag("ends_process", f"cell 'x{FAKE_PASS}' raised {EVIL}", cell="x" + FAKE_PASS),
             *integrity.scan_answers([{"id": "evil" + EVIL, "source": "import ctypes\nprint('tests passed')"}])]
    return Report(LAB2, checks, notes=[f"cell 'added-0' raised {EVIL}"], flags=flags)


def _fake_passes(text: str, passed=("sigmoid.basic",)) -> list:
    """Lines that look like a passed check but are not one of `passed`."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return [line for line in plain.split("\n")
            if line.strip().startswith("✓") and line.strip() not in {f"✓ {p}" for p in passed}]


def test_nnlabs_check_shows_student_text_inert():
    report = _report()
    text = cli.check_text(report, colour=False, cell_points={"sigmoid": 5.0})
    assert not NOT_IN_A_MESSAGE & set(text), sorted(NOT_IN_A_MESSAGE & set(text))
    assert _fake_passes(text) == [] and "  ✓ sigmoid.basic" in text.split("\n")
    assert "\\x1b[2K" in text and "\\u202e" in text and "\\r" in text          # shown, not obeyed
    assert "      Likely cause: overflow" in text.split("\n")                  # our own lines kept
    coloured = cli.check_text(report, colour=True, cell_points={"sigmoid": 5.0})
    painted = re.compile("|".join(re.escape(f"\x1b[{code}m") for code in {"0", *display.COLOURS.values()}))
    assert painted.search(coloured)                                              # our colours stay
    rest = painted.sub("", coloured)
    assert not NOT_IN_A_MESSAGE & set(rest) and _fake_passes(coloured) == []
    assert rest.split("\n") == text.split("\n")


def test_the_class_table_shows_student_text_inert():
    rows = [{"student": student, "score": 1.0, "max_score": 43.0, "notes": [],
             "flags": [Flag("ends_process", f"sigmoid raised {EVIL}")]} for student in EVIL_IDS]
    rows.append({"student": "ann", "score": 0.0, "max_score": 43.0, "flags": [], "notes": [EVIL]})
    table = render_class(LAB2, rows, {"recorded": [{}], "skipped": 0, "seconds": {"wall": 1.0}})
    assert not NOT_IN_A_MESSAGE & set(table), sorted(NOT_IN_A_MESSAGE & set(table))
    lines = table.split("\n")
    assert len(lines) == 3 + len(rows) and _fake_passes(table, passed=()) == []
    assert "\\x1b[31m" in table and "\\u202e" in table


# -- B: CSV files -------------------------------------------------------------------

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _neutral(path) -> list:
    """Every cell of a CSV file, read back with the csv module, after checking each is
    inert and begins no formula."""
    with open(path, newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    for cell in cells:
        assert not cell.startswith(FORMULA), (path.name, cell)
        assert not NOT_IN_A_LINE & set(cell), (path.name, cell)
    return cells


def test_every_csv_writer_neutralises_student_ids_and_messages(course):
    from nbgrader.api import Gradebook

    # grades.csv: nbgrader's export joins raw values with commas; ours is written with csv
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "nnlabs") as gb:
        gb.add_assignment(LAB2)
        for student in EVIL_IDS:
            gb.add_student(student, first_name="=cmd|' /C calc'!A0", last_name="-1", email="@x")
        gb.add_student("zed,99", first_name="a\nb")
        gb.add_submission(LAB2, EVIL_IDS[0])      # an assignment nobody handed in has no rows
    export_grades(course)
    cells = _neutral(course / "grades.csv")
    for student in EVIL_IDS + ["zed,99"]:
        assert csv_cell(student) in cells, student
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(EVIL_IDS) + 1 and all(float(r["raw_score"]) == 0.0 for r in rows)
    assert {r["first_name"] for r in rows} == {"'=cmd|' /C calc'!A0", "a\\nb"}

    # grades_flags.csv
    rows = [{"student": s, "flags": [Flag("ends_process", "=1+1" + EVIL)], "notes": []} for s in EVIL_IDS]
    write_flags(course, LAB2, rows)
    write_flags(course, "lab3_multiclass_classification", rows[:1])   # the earlier rows written again
    cells = _neutral(course / "grades_flags.csv")
    assert all(csv_cell(s) in cells for s in EVIL_IDS) and "'=1+1boom\\x1b[2K\\r  ada 43 / 43\\n" in "".join(cells)

    # the class report's CSVs
    data = {
        "lab": LAB2, "max_score": 4.0, "functions": ["sigmoid", "=accuracy"],
        "scores": {s: float(i) for i, s in enumerate(EVIL_IDS)},
        "matrix": {s: {"sigmoid": 1.0, "=accuracy": 0.5} for s in EVIL_IDS},
        "checks": {"sigmoid.basic": {"function": "sigmoid", "failed": 1, "total": 2},
                   "-check": {"function": "=accuracy", "failed": 2, "total": 2}},
        "mistakes": [("sigmoid", "=sign" + EVIL, sorted(EVIL_IDS))],
        "identical": [sorted(EVIL_IDS)],
        "flags": [(s, "@flag" + EVIL) for s in EVIL_IDS],
        "unusable": {s: "-reason" + EVIL for s in EVIL_IDS},
    }
    folder = class_report.write(course, LAB2, data).parent
    written = sorted(p.name for p in folder.glob("*.csv"))
    assert written == ["check_failures.csv", "flags.csv", "identical.csv", "matrix.csv", "mistakes.csv",
                       "unusable.csv"]
    for name in written:
        cells = _neutral(folder / name)
        if name in ("matrix.csv", "flags.csv", "unusable.csv"):
            assert all(csv_cell(s) in cells for s in EVIL_IDS), name
    with open(folder / "matrix.csv", newline="", encoding="utf-8") as handle:
        matrix = list(csv.reader(handle))
    assert matrix[0] == ["student", "sigmoid", "'=accuracy", "score"]
    assert [row[1:] for row in matrix[1:3]] == [["1", "0.5", "0"], ["1", "0.5", "1"]]   # numbers stay numbers
