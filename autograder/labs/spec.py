"""A lab's contract as one piece of data: what its notebook promises of each graded function.

A `LabSpec` lists the lab's graded functions. Each `FunctionSpec` holds, as data:

- its signature and the graded functions it calls (while it is judged, and only then, those
  are answered by the reference, so a bug in one of them costs no points here);
- `inside(args, kwargs)`: whether a call is inside the contract at all;
- `forms`: each form of input the notebook promises the function handles, as a predicate on
  a call, with the notebook's own words that promise it (`Form.promise`);
- `properties`: each property the notebook asks of the function beyond its values on
  ordinary inputs (no overflow, ties to the first class, zeros that count nothing, inputs
  left unchanged ...), with the notebook's words and a catalogued mistake that breaks that
  property alone (`Property.breaks`);
- `returns`: the form of its output.

The checks, the judge and the project's tests read it; nothing restates it. The tests prove
both ways that it is the contract: every promise's words are in the student notebook, every
form is exercised by some check and every property is held by one (its breaking mistake
loses points, on the public checks where it is a common slip), and no check feeds an input
outside `inside` (tests/test_contract.py).
"""
from __future__ import annotations

import dataclasses
from typing import Callable


@dataclasses.dataclass(frozen=True)
class Form:
    """A form of input the notebook promises (a shape, a kind of value, an edge)."""
    name: str
    holds: Callable          # (args: list, kwargs: dict) -> bool
    promise: str             # the notebook's words that promise it (markdown or the stub's docstring)


@dataclasses.dataclass(frozen=True)
class Property:
    """A property the notebook asks of the function, and the mistake that breaks it alone."""
    name: str
    promise: str             # the notebook's words
    breaks: str              # a catalog entry of the function (solutions/mistakes) right in all but this
    public: bool = True      # a common slip: the public checks alone catch it


@dataclasses.dataclass(frozen=True)
class FunctionSpec:
    name: str
    signature: str
    # The graded functions its reference calls (a test keeps the two equal). While it is judged
    # (and only then), these - and no others - are answered by the reference.
    calls: tuple = ()
    # Of `calls`, those the reference does not call but a student's version plausibly does
    # (a bug there must not cost points here either: SPEC section 3).
    plausible: tuple = ()
    inside: Callable | None = None       # (args, kwargs) -> bool: a call inside the contract
    forms: tuple = ()                    # `Form`s
    properties: tuple = ()               # `Property`s
    returns: str = ""

    def __post_init__(self):
        if not set(self.plausible) <= set(self.calls):
            raise ValueError(f"{self.name}: a plausible callee must be among its calls")
        for group in ("forms", "properties"):
            names = [item.name for item in getattr(self, group)]
            if len(names) != len(set(names)):
                raise ValueError(f"{self.name}: two {group} share a name")


@dataclasses.dataclass(frozen=True)
class LabSpec:
    id: str
    title: str
    functions: tuple
    prelude: str = "import numpy as np"

    def function(self, name: str) -> FunctionSpec:
        return next(f for f in self.functions if f.name == name)

    def promises(self) -> list:
        """(function, "form" or "property", name, the notebook's words) of every promise."""
        return [(f.name, kind, item.name, item.promise) for f in self.functions
                for kind, items in (("form", f.forms), ("property", f.properties)) for item in items]
