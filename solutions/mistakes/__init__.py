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

import numpy as np


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
        """Sources of the catalogs' helpers the entry uses (`_fit`, `epoch_batches`, ...),
        each once, a helper's own helpers before it."""
        found: dict = {}

        def visit(function):
            for name in global_names(function.__code__):
                helper = function.__globals__.get(name)
                if (inspect.isfunction(helper) and helper.__module__.startswith(__name__)
                        and helper is not self.implementation and name not in found):
                    found[name] = None                  # visiting: no cycles
                    visit(helper)
                    del found[name]                     # after its own helpers
                    found[name] = textwrap.dedent(inspect.getsource(helper))
        visit(self.implementation)
        return list(found.values())


def global_names(code) -> list:
    """The global names a function's code (nested functions included) refers to, in order."""
    names = list(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names += [n for n in global_names(const) if n not in names]
    return names


# Drawing the permutation once before the loop and re-creating the rng every epoch give the
# same output (the first order, every epoch): one message names both.
SAME_ORDER_EVERY_EPOCH = ("the samples are visited in the same order every epoch: make ONE rng = "
                          "np.random.default_rng(seed) before the loop and draw a new rng.permutation(m) at the "
                          "start of every epoch")


def epoch_batches(rng, seed, m, epochs, batch_size, *, same_order=False, permute_once=False, rng_per_epoch=False,
                  drop_last=False):
    """The batches of sample indices of each epoch, as the labs' contract draws them (one
    permutation per epoch from `rng`, consecutive batches, the last one smaller); each
    switch is a known mistake of the training loops of labs 1 and 3."""
    order = rng.permutation(m) if permute_once else None
    for _ in range(epochs):
        if batch_size is None:
            yield [np.arange(m)]
            continue
        if rng_per_epoch:
            rng = np.random.default_rng(seed)
        if not permute_once:
            order = np.arange(m) if same_order else rng.permutation(m)
        stop = m - m % batch_size if drop_last else m
        yield [order[start:start + batch_size] for start in range(0, stop, batch_size)]


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
