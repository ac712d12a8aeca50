"""The outcome of judging one notebook: per-check results, a terminal table, JSON."""
from __future__ import annotations

import dataclasses
import json


@dataclasses.dataclass
class CheckResult:
    function: str
    id: str
    passed: bool
    points: float
    max_points: float
    message: str = ""
    hidden: bool = False
    blocked_by: str = ""     # self-check: a graded function this one uses fails its own checks


@dataclasses.dataclass
class Report:
    lab: str
    checks: list
    notes: list = dataclasses.field(default_factory=list)    # problems with the notebook itself
    flags: list = dataclasses.field(default_factory=list)    # reasons for an instructor to look

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
                           "max_points": c.max_points, "message": c.message} for c in self.checks]}
        if self.notes:
            out["notes"] = list(self.notes)
        if self.flags:
            out["flags"] = list(self.flags)
        return out

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
    return "\n".join(lines)


def render(report: Report) -> str:
    lines = [f"{report.lab}: {report.score:g} / {report.max_score:g} points"]
    for note in report.notes:
        lines.append(f"! {note}")
    for function in report.by_function():
        lines.append("")
        lines.append(function_summary(report, function))
    for flag in report.flags:
        lines.append(f"FLAG: {flag}")
    return "\n".join(lines)
