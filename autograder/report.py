"""The outcome of judging one notebook: per-check results, a terminal table, JSON."""
from __future__ import annotations

import dataclasses
import json

from .text import inert, printable


# How a check ended (`CheckResult.kind`): outcomes are data; messages are for people.
PASSED, FAILED, RAISED, NOT_DEFINED = "passed", "failed", "raised", "not_defined"
TIMED_OUT, CRASHED, PROTOCOL, OUT_OF_BUDGET = "timed_out", "crashed", "protocol", "out_of_budget"
CHECK_ERROR = "check_error"      # the check itself is broken: the instructor's problem, never the student's
KINDS = (PASSED, FAILED, RAISED, NOT_DEFINED, TIMED_OUT, CRASHED, PROTOCOL, OUT_OF_BUDGET, CHECK_ERROR)


@dataclasses.dataclass
class CheckResult:
    function: str
    id: str
    passed: bool
    points: float
    max_points: float
    message: str = ""
    hidden: bool = False
    kind: str = PASSED
    blocked_by: str = ""     # self-check: a graded function this one uses fails its own checks


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
        out = {"lab": self.lab, "score": self.score, "max_score": self.max_score,
               "checks": [{"function": c.function, "id": c.id, "passed": c.passed, "points": c.points,
                           "max_points": c.max_points, "message": c.message, "kind": c.kind}
                          for c in self.checks],
               "flags": [f.to_dict() for f in self.flags]}
        if self.notes:
            out["notes"] = list(self.notes)
        if not self.isolated:
            out["isolated"] = False
        return out

    @classmethod
    def from_dict(cls, data) -> "Report":
        checks = [CheckResult(c["function"], c["id"], bool(c["passed"]), float(c["points"]), float(c["max_points"]),
                              c.get("message", ""), c.get("hidden", False), c.get("kind", PASSED if c["passed"] else FAILED))
                  for c in data.get("checks", [])]
        return cls(data.get("lab", ""), checks, list(data.get("notes", [])),
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
