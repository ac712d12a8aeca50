"""The self-check's subject: the student's functions in the student's own kernel.

Only for the check under each function in a lab notebook (and the pytest plugin on a
student's machine): the student's own code judging itself is fine there, since the score
of record is computed elsewhere, by the judge, from a `StudentProcess`. Each call has a
time limit, and what it prints is captured, never fatal.
"""
from __future__ import annotations

import contextlib
import copy
import os
import io
import signal
import threading
import time
import warnings

import numpy as np

from . import codec
from .child import warning_lines
from .student_process import TIMED_OUT, CallResult, LoadReport, StudentError, student_error
from ..text import inert

NUMPY_DEFAULTS = {"over": "warn", "invalid": "warn", "divide": "warn", "under": "ignore"}


class TimeUp(BaseException):
    """Raised in the student's kernel when one call of the self-check runs too long."""


class CappedOutput(io.TextIOBase):
    """What a function prints during the self-check: the first `limit` characters are
    kept, the rest only counted, so a print in a loop is never fatal."""

    def __init__(self, limit: int):
        self.limit = limit
        self.kept = []
        self.size = 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self.limit - min(self.size, self.limit)
        if room > 0:
            self.kept.append(text[:room])
        self.size += len(text)
        return len(text)

    def text(self) -> str:
        return "".join(self.kept)


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt the code inside after `seconds` (main thread only, where the kernel runs
    cells; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class InProcessSubject:
    """The same interface over functions in this very process (a student's kernel).

    Only for the self-check under each function in a notebook: the student's own code
    judging itself is fine there, since the score of record is computed elsewhere. Each
    call has a time limit, and what it prints is captured (`output`), never fatal.
    """

    def __init__(self, namespace, functions, reference=None, *, call_seconds: float = 10.0,
                 output_chars: int = 4000):
        self.namespace = namespace
        self.reference = reference or {}
        self.functions = list(functions)
        self.call_seconds = call_seconds
        self.output = CappedOutput(output_chars)
        self.load_report = LoadReport([f for f in self.functions if callable(namespace.get(f))], {})

    def call(self, function, args=(), kwargs=None, *, reference=(), trace=False):
        fn = self.namespace.get(function)
        if not callable(fn):
            return CallResult(error=StudentError("NameError", f"name '{function}' is not defined"))
        args = copy.deepcopy(list(args))
        kwargs = copy.deepcopy(dict(kwargs or {}))
        before = codec.dumps(codec.encode(_held(args)))
        swapped = {name: self.namespace.get(name) for name in reference
                   if name != function and name in self.reference}
        calls = []
        start = time.perf_counter()
        try:
            for name in swapped:
                self.namespace[name] = self._recorded(name, calls) if trace else self.reference[name]
            # numpy's own settings, as in the student's kernel and a student process: what the
            # call warns is recorded (`CallResult.warnings`), never printed
            with warnings.catch_warnings(record=True) as seen, np.errstate(**NUMPY_DEFAULTS), \
                    contextlib.redirect_stdout(self.output), contextlib.redirect_stderr(self.output), \
                    time_limit(self.call_seconds):
                warnings.simplefilter("always")
                value = fn(*args, **kwargs)
        except TimeUp:
            return CallResult(failure=f"{function} did not finish within {self.call_seconds:g} s "
                                      "(an endless loop, or far too much work?)", failure_kind=TIMED_OUT)
        except Exception as exc:
            import traceback
            frames = self._students(traceback.extract_tb(exc.__traceback__))
            where = ""
            if frames:
                last = frames[-1]
                cell = self._cells().get(last.filename)
                where = (f"cell {cell}, " if cell else "") + f"line {last.lineno}" + (f": {last.line}" if last.line else "")
            try:
                message = str(exc)
            except Exception:  # noqa: BLE001  (an exception whose message itself raises)
                message = "(the error message could not be shown)"
            return CallResult(error=student_error({"type": type(exc).__name__, "message": message[:2000],
                                                   "where": where, "function": frames[-1].name if frames else ""}))
        finally:
            for name, original in swapped.items():
                self.namespace[name] = original
        seconds = time.perf_counter() - start
        modified = codec.dumps(codec.encode(_held(args))) != before
        return CallResult(value=codec.decode(codec.loads(codec.dumps(codec.encode(value)))),
                          modified_inputs=modified, seconds=seconds, trace=calls,
                          warnings=[inert(w, 300) for w in warning_lines(seen)])

    @staticmethod
    def _students(frames) -> list:
        """The frames of the student's own code (as a student process keeps only those of its
        cells): not this package's, not Python's or an installed library's."""
        import sysconfig
        libraries = {os.path.realpath(path) for key, path in sysconfig.get_paths().items()
                     if key in ("stdlib", "platstdlib", "purelib", "platlib")}
        libraries.add(os.path.realpath(os.path.dirname(os.path.abspath(__file__))))
        return [f for f in frames
                if not any(os.path.realpath(f.filename).startswith(folder + os.sep) for folder in libraries)]

    def _cells(self) -> dict:
        """{file the kernel compiled a cell into: the answer cell it is}: each graded function's
        answer cell is named after it, as a student process names it (its nbgrader id)."""
        cells = {}
        for name in self.functions:
            code = getattr(self.namespace.get(name), "__code__", None)
            if code is not None:
                cells.setdefault(code.co_filename, name)
        return cells

    def _recorded(self, name, calls):
        """The reference `name`, recording each call as the judge's trace does."""
        def answer(*args, **kwargs):
            calls.append({"name": name, "args": copy.deepcopy(list(args)), "kwargs": copy.deepcopy(kwargs),
                          "answered": True})
            return self.reference[name](*args, **kwargs)
        return answer

    def close(self):
        pass


def _held(args) -> list:
    """The arguments a call must leave unchanged: a random generator is there to be drawn from."""
    return [None if isinstance(a, np.random.Generator) else a for a in args]
