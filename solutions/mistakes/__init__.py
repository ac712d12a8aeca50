"""Catalogs of plausible student implementations, one module per lab (instructor only).

Each entry is a complete function with the graded function's signature (a training-loop
bug is one switch of the catalog's one correct loop, `_fit` or `_train`):
- a *bug*, with the message that names the mistake for a beginner. The judge computes
  its output on a check's own inputs and, when the student's output matches, says so.
- a *correct* variant written differently, which must get full marks.

The test suite turns every entry into a submission (the entry's source in the answer
cell of its function, the reference everywhere else) and grades it for real.
"""
from __future__ import annotations

import dataclasses
import inspect
import re
import textwrap
from typing import Callable


@dataclasses.dataclass
class Entry:
    function: str           # the graded function it implements
    name: str               # short id, unique per function
    implementation: Callable
    message: str = ""       # for bugs: the named mistake
    correct: bool = False
    partial: bool = False   # a bug that must still keep part of the credit
    named_by_check: bool = False  # named by a dedicated check (types, in-place changes), not by value

    def source(self, name: str | None = None) -> str:
        """The entry as a student would write it: `def <graded name>(...)` (or `def <name>(...)`)."""
        text = textwrap.dedent(inspect.getsource(self.implementation))
        start = re.search(r"^def \w+\(", text, flags=re.M).start()   # drop the decorator
        own = re.sub(r"^def \w+\(", f"def {name or self.function}(", text[start:], count=1)
        return "".join(helper + "\n\n" for helper in self.helpers()) + own

    def helpers(self) -> list:
        """Sources of the catalog module's private helpers the entry calls (`_fit`, ...)."""
        module = inspect.getmodule(self.implementation)
        return [textwrap.dedent(inspect.getsource(getattr(module, name)))
                for name in self.implementation.__code__.co_names
                if name.startswith("_") and inspect.isfunction(getattr(module, name, None))]


class Catalog:
    def __init__(self):
        self.entries: list[Entry] = []

    def bug(self, function, message, *, partial=False, named_by_check=False):
        def register(implementation):
            self.entries.append(Entry(function, implementation.__name__, implementation, message,
                                      partial=partial, named_by_check=named_by_check))
            return implementation
        return register

    def correct(self, function):
        def register(implementation):
            self.entries.append(Entry(function, implementation.__name__, implementation, correct=True))
            return implementation
        return register

    def bugs(self, function=None):
        return [e for e in self.entries if not e.correct and (function is None or e.function == function)]

    def variants(self, function=None):
        return [e for e in self.entries if e.correct and (function is None or e.function == function)]

    def diagnosis_catalog(self) -> dict:
        """{function: [(message, implementation)]} for the bugs recognisable by their output."""
        out: dict = {}
        for e in self.bugs():
            if not e.named_by_check:
                out.setdefault(e.function, []).append((e.message, e.implementation))
        return out
