"""The `nnlabs` command.

    nnlabs check NOTEBOOK [--hidden] [--json]   judge one notebook (exit 0 / 1 / 2)
    nnlabs release [LAB ...]                    nbgrader generate_assignment --force
    nnlabs grade LAB [--jobs N] [--scheduler ADDRESS] [--force] [--no-feedback]
                                                grade submitted/ on every core (or a Dask cluster),
                                                feedback, grades.csv, grades_flags.csv
    nnlabs report LAB                           reports/LAB/index.html and CSVs: the class at a glance
    nnlabs gradescope LAB [-o ZIP]              the Gradescope autograder of a lab
    nnlabs demo                                 release, grade a bundled sample class, report
"""
from __future__ import annotations

import argparse
import re
import sys

from .text import inert, printable

EXIT_PASSED, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def cmd_check(options) -> int:
    from .sandbox.zygote import Zygote
    Zygote.shared(fork=True)     # numpy imported once, for the judge and the student program
    from .sandbox import student_process
    # the student process starts (its cgroup joined, its jail built) while the judge loads
    student_process.prepare(isolation="require" if options.hidden else "prefer")
    try:
        return _check(options)
    finally:
        student_process.discard_spare()


def _check(options) -> int:
    from .judging.judge import judge_notebook
    from .labs import load_lab
    from .notebook import UnusableNotebook, read_notebook, written_points

    try:
        report = judge_notebook(options.notebook, hidden=options.hidden)
    except UnusableNotebook as exc:
        return _unusable(options, str(exc))
    except RuntimeError as exc:
        return _unusable(options, str(exc))
    if options.json:
        print(report.to_json())         # JSON escapes every control and non-ASCII character
    else:
        lab = load_lab(report.lab, hidden=options.hidden)
        colour = _colour(sys.stdout)
        print(check_text(report, colour=colour, written=written_points(read_notebook(options.notebook)),
                         cell_points={f: lab.cell_points(f) for f in lab.functions}))
    if report.check_errors:             # the checks are broken, not the student's code
        for check in report.check_errors:
            print(f"nnlabs check: {printable(check.message)}", file=sys.stderr)
        return EXIT_UNUSABLE
    return EXIT_PASSED if report.passed else EXIT_FAILED


def check_text(report, *, colour: bool = False, written: float = 0.0, cell_points: dict | None = None) -> str:
    """What `nnlabs check` prints: `display.report_text` of a copy of the report whose text
    is made safe first (notes, flags and ids one inert line each, `text.inert`; check
    messages `printable`, their own lines kept), then the whole output `printable` again,
    the colours display paints aside. Student text was made inert where it entered the
    judge (`student_process`); this is the second line of defence, so no text of a
    submission moves the cursor, reorders a line or adds a line of its own."""
    import dataclasses
    from .faces import display
    safe = dataclasses.replace(
        report,
        checks=[dataclasses.replace(c, function=inert(c.function), id=inert(c.id), message=printable(c.message),
                                    text=printable(c.text), causes=[printable(x) for x in c.causes],
                                    observed=printable(c.observed), note=printable(c.note),
                                    blocked_by=[inert(b) for b in c.blocked_by])
                for c in report.checks],
        notes=[inert(note) for note in report.notes],
        flags=[dataclasses.replace(f, message=inert(f.message)) if dataclasses.is_dataclass(f)
               else inert(display.flag_text(f)) for f in report.flags])
    text = display.report_text(safe, colour=colour, written=written, cell_points=cell_points)
    if not colour:
        return printable(text)
    painted = "|".join(re.escape(f"\x1b[{code}m") for code in sorted({"0", *display.COLOURS.values()}))
    pieces = re.split(f"({painted})", text)          # odd pieces: display's own colour codes
    return "".join(piece if index % 2 else printable(piece) for index, piece in enumerate(pieces))


def _colour(stream) -> bool:
    """Colour on a terminal only, and never when NO_COLOR is set (no-color.org)."""
    import os
    return hasattr(stream, "isatty") and stream.isatty() and "NO_COLOR" not in os.environ \
        and os.environ.get("TERM") != "dumb"


def _unusable(options, reason: str) -> int:
    if options.json:
        import json
        print(json.dumps({"error": reason}))
    # the file's name and the reason (which may quote the notebook's metadata): one inert line
    print(f"nnlabs check: cannot judge {inert(options.notebook)}: {inert(reason)}", file=sys.stderr)
    return EXIT_UNUSABLE


def _instructor(module: str, name: str):
    """A function of the instructor side, which the student wheel does not carry."""
    import importlib
    try:
        return getattr(importlib.import_module(module, __package__), name)
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith(("autograder", "solutions", "nbgrader", "dask", "tqdm")):
            raise
        command = sys.argv[1] if len(sys.argv) > 1 else "this command"
        raise SystemExit(f"nnlabs {command}: an instructor command; this install is the student one "
                         f"(it has no {exc.name}). Instructors install nnlabs from the course repository: "
                         "pip install -e '.[instructor]'") from None


def cmd_release(options) -> int:
    return _instructor(".course", "release")(options.labs or None)


def cmd_grade(options) -> int:
    return _instructor(".course", "grade")(options.lab, jobs=options.jobs, scheduler=options.scheduler,
                                           force=options.force, feedback=not options.no_feedback)


def cmd_report(options) -> int:
    return _instructor(".reports.class_report", "main")(options.lab)


def cmd_gradescope(options) -> int:
    return _instructor(".faces.gradescope", "build")(options.lab, options.output)


def cmd_demo(options) -> int:
    return _instructor(".course", "demo")()


def _without_iri_grammars():
    """nbgrader imports nbformat, which imports jsonschema, which imports rfc3987-syntax when
    it is installed (jupyter-events asks for it) to check the "iri" string format: that
    module compiles 38 grammars at import, about 0.9 s of every command's start here. No
    notebook or nbgrader schema uses that format, so this process does without it."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="nnlabs", description="Autograded neural-network labs")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="judge one lab notebook")
    p.add_argument("notebook")
    p.add_argument("--hidden", action="store_true", help="add the hidden checks (instructor install)")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(run=cmd_check)
    p = sub.add_parser("release", help="generate the student versions of the labs with nbgrader")
    p.add_argument("labs", nargs="*")
    p.set_defaults(run=cmd_release)
    p = sub.add_parser("grade", help="grade every submission of a lab in submitted/")
    p.add_argument("lab")
    p.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: every core)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="judge on this Dask scheduler (tcp://host:8786)")
    p.add_argument("--force", action="store_true", help="grade again the submissions already graded")
    p.add_argument("--no-feedback", action="store_true", help="leave feedback/ as it is")
    p.set_defaults(run=cmd_grade)
    p = sub.add_parser("report", help="the class report of a lab: reports/LAB/index.html and CSVs")
    p.add_argument("lab")
    p.set_defaults(run=cmd_report)
    p = sub.add_parser("gradescope", help="build the Gradescope autograder zip of a lab")
    p.add_argument("lab")
    p.add_argument("--output", "-o", default=None, help="where to write the zip (default: gradescope/LAB.zip)")
    p.set_defaults(run=cmd_gradescope)
    p = sub.add_parser("demo", help="release, grade a bundled sample class, print the results")
    p.set_defaults(run=cmd_demo)
    options = parser.parse_args(argv)
    _without_iri_grammars()
    try:
        status = options.run(options)
        if options.run is cmd_check and argv is None:
            # The command line's check is over: its student process is closed and its files
            # removed. Tearing down the interpreter (numpy's modules, the judge's) costs a
            # few hundredths of a second more than the check itself has left to do.
            sys.stdout.flush()
            sys.stderr.flush()
            import os
            os._exit(status)
        return status
    except BrokenPipeError:
        # `nnlabs check ... | head`: the reader left; stop quietly, like other tools do
        import os
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
