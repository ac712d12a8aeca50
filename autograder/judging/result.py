"""The outcome of judging one notebook, as data: the result every door renders.

A `Report` holds one `CheckResult` per check: how it ended (`kind`), its points, and why,
as fields (`text`: what is wrong; `causes`: the confirmed mistakes; `observed`: a fact seen
where no cause is confirmed; `note`: what the check compared against; `blocked_by`: the
graded functions it waits on). `message` is those fields rendered once, by `explain`, the
one place a cause is worded. `to_dict` / `from_dict` are the one serializer (versioned by
`SCHEMA`): the check cell, the terminal, pytest, nbgrader's notebook metadata, the
feedback, the class report, Gradescope and the CSVs read these fields and never the words.
"""
from __future__ import annotations

import dataclasses
import json

from ..text import inert, printable


# How a check ended (`CheckResult.kind`): outcomes are data; messages are for people.
PASSED, FAILED, RAISED, NOT_DEFINED = "passed", "failed", "raised", "not_defined"
TIMED_OUT, CRASHED, PROTOCOL, OUT_OF_BUDGET = "timed_out", "crashed", "protocol", "out_of_budget"
CHECK_ERROR = "check_error"      # the check itself is broken: the instructor's problem, never the student's
KINDS = (PASSED, FAILED, RAISED, NOT_DEFINED, TIMED_OUT, CRASHED, PROTOCOL, OUT_OF_BUDGET, CHECK_ERROR)


SCHEMA = 2      # the version of `Report.to_dict`'s form (1: no schema field, no reasons as data)

CAUSE, OBSERVED, NOTE, TEXT = "cause", "observed", "note", "text"


def explain(text: str = "", causes=(), observed: str = "", note: str = "") -> list:
    """The lines of a check's message, each with what it is (`TEXT`, `CAUSE`, `OBSERVED`,
    `NOTE`): what is wrong, then the confirmed causes, or else what was observed, then the
    check's note. The one renderer of causes: every face words a cause as this does."""
    lines = [(TEXT, line) for line in text.splitlines()] if text else []
    if causes:
        lines += [(CAUSE, f"Likely cause: {cause}") for cause in causes]
    elif observed:
        lines.append((OBSERVED, f"Observed: {observed}."))
    if note:
        lines.append((NOTE, f"({note})" if lines else note))
    return lines


@dataclasses.dataclass
class CheckResult:
    function: str
    id: str
    passed: bool
    points: float
    max_points: float
    message: str = ""        # `explain` of the fields below, as people read it
    hidden: bool = False
    kind: str = PASSED
    blocked_by: list = dataclasses.field(default_factory=list)   # graded functions it uses that fail their own checks
    text: str = ""           # what is wrong
    causes: list = dataclasses.field(default_factory=list)       # confirmed mistakes, each in its own words
    observed: str = ""       # what was seen, where no cause is confirmed
    note: str = ""           # what the check compared against (said of a verdict, passed or not)

    def lines(self) -> list:
        """(part, line) of the message, as `explain` words it."""
        return explain(self.text, self.causes, self.observed, self.note) if (self.text or self.note) \
            else [(TEXT, line) for line in self.message.splitlines()]

    def to_dict(self) -> dict:
        return {"function": self.function, "id": self.id, "passed": self.passed, "points": self.points,
                "max_points": self.max_points, "message": self.message, "kind": self.kind, "hidden": self.hidden,
                "blocked_by": list(self.blocked_by), "text": self.text, "causes": list(self.causes),
                "observed": self.observed, "note": self.note}

    @classmethod
    def from_dict(cls, c: dict) -> "CheckResult":
        blocked = c.get("blocked_by") or []
        return cls(str(c["function"]), str(c["id"]), bool(c["passed"]), float(c["points"]), float(c["max_points"]),
                   str(c.get("message", "")), bool(c.get("hidden", False)),
                   str(c.get("kind", PASSED if c["passed"] else FAILED)),
                   [blocked] if isinstance(blocked, str) else [str(b) for b in blocked],
                   str(c.get("text", "")), [str(x) for x in c.get("causes") or []], str(c.get("observed", "")),
                   str(c.get("note", "")))


@dataclasses.dataclass(frozen=True)
class Flag:
    """A reason for an instructor to look at a submission, recorded where it was seen.

    `code` is stable (for code and spreadsheets); `message` is for people."""
    code: str
    message: str
    function: str = ""
    cell: str = ""

    def __str__(self):
        return self.message

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data) -> "Flag":
        if isinstance(data, str):        # written by an earlier version
            return cls("flag", data)
        return cls(str(data.get("code", "flag")), str(data.get("message", "")), str(data.get("function", "")),
                   str(data.get("cell", "")))


@dataclasses.dataclass
class Report:
    lab: str
    checks: list
    notes: list = dataclasses.field(default_factory=list)    # problems with the notebook itself
    flags: list = dataclasses.field(default_factory=list)    # `Flag`s: reasons for an instructor to look
    isolated: bool = True                                    # the student code ran in the jail

    @property
    def check_errors(self) -> list:
        return [c for c in self.checks if c.kind == CHECK_ERROR]

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.checks), 6)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def by_function(self) -> dict:
        out: dict = {}
        for c in self.checks:
            out.setdefault(c.function, []).append(c)
        return out

    def function_score(self, function: str) -> tuple[float, float]:
        checks = self.by_function().get(function, [])
        return (round(sum(c.points for c in checks), 6), round(sum(c.max_points for c in checks), 6))

    def to_dict(self) -> dict:
        out = {"schema": SCHEMA, "lab": self.lab, "score": self.score, "max_score": self.max_score,
               "checks": [c.to_dict() for c in self.checks],
               "flags": [f.to_dict() for f in self.flags], "notes": list(self.notes)}
        if not self.isolated:
            out["isolated"] = False
        return out

    @classmethod
    def from_dict(cls, data) -> "Report":
        """The report `to_dict` wrote (any schema so far; what an older one did not record is
        left empty, never guessed from its words). Raises ValueError on data of another form."""
        if not isinstance(data, dict) or not isinstance(data.get("checks", []), list):
            raise ValueError("not an nnlabs report")
        if int(data.get("schema", 1)) > SCHEMA:
            raise ValueError(f"an nnlabs report of schema {data['schema']}, newer than this nnlabs "
                             f"({SCHEMA}): upgrade nnlabs")
        try:
            checks = [CheckResult.from_dict(c) for c in data.get("checks", [])]
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"a malformed nnlabs report ({type(exc).__name__}: {exc})") from None
        return cls(str(data.get("lab", "")), checks, [str(n) for n in data.get("notes", [])],
                   [Flag.from_dict(f) for f in data.get("flags", [])], bool(data.get("isolated", True)))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def function_summary(report: Report, function: str) -> str:
    """What the check under one function shows: score, then each failure once."""
    checks = report.by_function().get(function, [])
    got, total = report.function_score(function)
    failed = [c for c in checks if not c.passed]
    lines = [f"{function}: {len(checks) - len(failed)}/{len(checks)} checks passed ({got:g}/{total:g} points)"]
    if not failed:
        lines[0] += " - well done!"
    seen = set()
    for c in failed:
        if c.message in seen:
            lines.append(f"  ✗ {c.id}: (same problem as above)")
            continue
        seen.add(c.message)
        body = c.message.replace("\n", "\n      ")
        lines.append(f"  ✗ {c.id}: {body}")
    return printable("\n".join(lines))


def render(report: Report) -> str:
    """The report for a terminal: notes and flags one inert line each (`text.inert`; they
    carry student text: cell ids, file names, exception messages), the whole `printable`."""
    lines = [f"{report.lab}: {report.score:g} / {report.max_score:g} points"]
    for note in report.notes:
        lines.append(f"! {inert(note)}")
    for function in report.by_function():
        lines.append("")
        lines.append(function_summary(report, function))
    for flag in report.flags:
        lines.append(f"FLAG: {inert(flag.message)}")
    for check in report.check_errors:
        lines.append(f"CHECK ERROR (for the instructor): {check.message}")
    return printable("\n".join(lines))


def unusable_report(lab, reason: str, code: str = "unusable") -> Report:
    """The report of a submission that cannot be judged: every check failed with the reason
    (one for every door: nbgrader, `nnlabs grade`, Gradescope)."""
    checks = [CheckResult(c.function, c.id, False, 0.0, c.points, reason, c.hidden, NOT_DEFINED)
              for c in lab.checks(hidden=True)]
    return Report(lab.id, checks, notes=[reason], flags=[Flag(code, f"unusable submission: {reason}")])
