"""A second, independent fresh held-out-style set of student code for lab 4 (one hidden layer).

Written without reading the first lab-4 set's entries, the solutions or the checks.
`reference.py` is a verbatim copy of the first set's independent reference of the seven
graded functions (written from SPEC.md section 2 alone); `lab4.py` holds other plausible
first-attempt student submissions, one graded function each, labelled against that reference.
`benchmarks/fresh_set.py --set benchmarks/fresh_set_lab4b` grades every entry as a real submission.
"""
from __future__ import annotations

import dataclasses
import textwrap

KINDS = ("bug", "partial", "correct")


@dataclasses.dataclass(frozen=True)
class Entry:
    function: str     # the graded function whose answer cell holds the source
    name: str         # short and unique within its lab
    kind: str         # bug, partial (a bug that should keep part of the credit) or correct
    cause: str        # the true mistake, in a teacher's words ("" for correct code)
    source: str       # the cell as a student would write it

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind {self.kind!r} is not one of {KINDS}")
        if (self.kind == "correct") != (not self.cause):
            raise ValueError(f"{self.name}: a bug needs a cause, a correct variant none")
        object.__setattr__(self, "source", textwrap.dedent(self.source).strip() + "\n")

    @property
    def is_bug(self) -> bool:
        return self.kind != "correct"


def correct(function: str, name: str, source: str) -> Entry:
    return Entry(function, name, "correct", "", source)


def bug(function: str, name: str, cause: str, source: str) -> Entry:
    return Entry(function, name, "bug", cause, source)


def partial(function: str, name: str, cause: str, source: str) -> Entry:
    return Entry(function, name, "partial", cause, source)
