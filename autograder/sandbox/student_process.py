"""One submission's code in a student process, seen by the judge only through plain data.

`StudentProcess` starts ``child.py`` in its jail (`isolation`, ``jail.py``) under the
submission's limits (`limits`), runs the answer cells there, and calls the student's
functions with inputs the judge chooses (`protocol`). While one graded function is
judged, the graded functions it *declares* that it calls can be answered by the reference
implementation - here, in the judge: the student process only sees a proxy that asks for a
value. The judge answers only arguments no larger than those of the call being judged, and
only within a time budget; anything else is refused and the student's own function runs.
"""
from __future__ import annotations

import atexit
import contextlib
import dataclasses
import itertools
import math
import mmap
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

from . import codec, isolation
from .limits import Limits, ProcessGroup
from .protocol import Channel, ProtocolError, StoppedReading
from ..text import inert, printable
from .zygote import Zygote, ZygoteError

MAX_DIMENSIONS = 4


@dataclasses.dataclass
class StudentError:
    type: str
    message: str
    where: str = ""
    controls: bool = False      # its raw text carried control, bidi or line-breaking characters
    function: str = ""          # the function of the student's code it was raised in (its innermost frame)

    def __str__(self):
        text = f"{self.type}: {self.message}" if self.message else self.type
        return f"{text} ({self.where})" if self.where else text


# Why a call gave no value although the student's code did not raise: `CallResult.failure_kind`.
TIMED_OUT = "timed_out"          # past the call's deadline: an endless loop or far too much work
CRASHED = "crashed"              # the process exited, was killed, or ran out of memory
PROTOCOL = "protocol"            # the process sent what it may not, or stopped reading
OUT_OF_BUDGET = "out_of_budget"  # asked the judge for more reference answers than allowed, or the
                                 # notebook used up its time budget
# What the judge saw that an instructor should look at (`CallResult.flag`): flag codes.
SYSCALL_REFUSED = "syscall_refused"  # killed by the jail's seccomp filter (SIGSYS): a refused system call
CONTROL_CHARACTERS = "control_characters"   # an error message built to rewrite what a person reads
FLAGGED_KINDS = (CRASHED, PROTOCOL, OUT_OF_BUDGET)    # a timeout or an exception is an honest mistake
NO_FLAG = ""                                          # `flag`: a failure of a flagged kind that is not one


def _flag_code(flag, failure_kind):
    if flag is not None:
        return flag or None
    return failure_kind if failure_kind in FLAGGED_KINDS else None


def student_error(data: dict) -> StudentError:
    """An exception of the student's code, as the student process reported it: its text made
    inert (one line, no control or bidi characters, bounded) before anything shows it."""
    raw = (data["type"], data["message"], data["where"])
    shown = (inert(raw[0], 100), inert(raw[1], 500), inert(raw[2], 300))
    controls = any(printable(text) != text for text in raw)     # a newline alone is honest: shown, not flagged
    return StudentError(*shown, controls=controls, function=inert(data.get("function", ""), 100))


@dataclasses.dataclass
class CallResult:
    value: object = None
    error: StudentError | None = None   # the student's code raised
    failure: str | None = None          # no value, for the reason `failure_kind` names
    failure_kind: str | None = None
    modified_inputs: bool = False       # seen by the judge, in memory it shares with the student process
    seconds: float = 0.0
    warnings: list = dataclasses.field(default_factory=list)   # what the call warned ("RuntimeWarning: overflow ...")
    # with call(..., trace=True): each call the student's code made to a declared callee,
    # in order, as plain data: {"name", "args", "kwargs", "answered"} ("answered" is False
    # when the judge refused it and the student's own function ran)
    trace: list = dataclasses.field(default_factory=list)

    flag: str | None = None             # a flag code, when what the judge saw is more than a failure

    @property
    def ok(self):
        return self.error is None and self.failure is None

    @property
    def flag_code(self) -> str | None:
        """The flag this result raises for the instructor, if any."""
        return _flag_code(self.flag, self.failure_kind)

    def flag_message(self, name: str) -> str:
        if self.failure:
            return self.failure
        if self.flag == CONTROL_CHARACTERS:
            return (f"{name} raised an error whose text carries control characters (bidi, line breaks or "
                    "terminal escapes; shown escaped)")
        return f"{name} raised {self.error}"


@dataclasses.dataclass
class LoadReport:
    defined: list
    cell_errors: dict            # cell id -> StudentError
    failure: str | None = None
    failure_kind: str | None = None
    flag: str | None = None

    @property
    def flag_code(self) -> str | None:
        return _flag_code(self.flag, self.failure_kind)


class StudentProcess:
    """One student process holding one submission's answer cells.

    `isolation`: "require" (grading: refuse to run student code unjailed), "prefer" (a
    student's own self-check: run without the jail where the machine has none, and say so
    in `note`) or "off" (tests of the protocol only)."""

    def __init__(self, cells, functions, *, prelude="", limits=None, reference=None, isolation="require",
                 spare=False):
        self.cells = [{"id": "prelude", "source": prelude}] + list(cells) if prelude else list(cells)
        self.functions = list(functions)
        self.limits = limits or Limits()
        self.reference = reference or {}
        self.isolation = isolation
        self.proc = None
        self.channel = None
        self.group = None
        self._keep = set()
        self.scratch = None
        self.load_report = None
        self.restarts = 0
        self.isolated = False
        self.note = ""
        self.jailed = None
        self.spare = spare          # once started, start the next one ahead of need (`prepare`)
        self.args_map = None        # memory shared with the student process: each call's arguments
        self.deadline = None        # the whole notebook's: loading, every call and every restart
        self.calls_made = 0         # each call's number, which its answer carries back

    # -- the notebook's one wall-clock budget --------------------------------
    def _deadline(self, seconds: float) -> float:
        """`seconds` from now, or the notebook's deadline if that comes first."""
        if self.deadline is None:
            self.deadline = time.monotonic() + self.limits.notebook_seconds
        return min(time.monotonic() + seconds, self.deadline)

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _budget_failure(self, what: str):
        """(message, kind) of a call or load stopped by the notebook's budget: reported as such;
        like any timeout, not a flag (slow code is an honest mistake)."""
        message = (f"{what}: the notebook used up its time budget ({self.limits.notebook_seconds:g} s for loading "
                   "and every call together)")
        return message, OUT_OF_BUDGET

    # -- life cycle -------------------------------------------------------
    def start(self):
        jailed, reason = self._jail_wanted()
        zygote, new_modules = self._zygote()
        adopted = self._adopt_spare(jailed, zygote, stale=bool(new_modules))
        if not adopted:
            self._spawn(jailed=jailed, zygote=zygote)
        try:
            ready = self._ready()
        except isolation.IsolationUnavailable:
            if not adopted:
                raise
            self._spawn(jailed=jailed, zygote=zygote)        # the spare did not last: start afresh
            ready = self._ready()
        if jailed and not ready["isolated"]:
            self._kill()
            if self.isolation == "require":
                raise isolation.IsolationUnavailable(f"the jail could not be built: {ready['note']}")
            reason = ready["note"]
            self._spawn(jailed=False, zygote=zygote)
            ready = self._ready()
        self.isolated = ready["isolated"]
        self.note = "" if self.isolated else f"not isolated: {reason}"
        self.load_report = self._load()
        if self.spare:
            prepare(limits=self.limits, isolation=self.isolation)
        return self.load_report

    def _jail_wanted(self) -> tuple:
        """(jail the student process?, why not)."""
        reason = isolation.unavailable_reason() if self.isolation != "off" else "isolation turned off"
        if reason and self.isolation == "require":
            raise isolation.IsolationUnavailable(reason)
        jailed = reason is None
        if jailed and isolation.real_root():
            isolation.check_readable()
        return jailed, reason

    def _zygote(self) -> tuple:
        """The zygote for these cells, with the numeric modules they import loaded, and the
        names it loaded now (`Zygote.for_cells`)."""
        try:
            return Zygote.for_cells(cell["source"] for cell in self.cells)
        except ZygoteError as exc:
            raise isolation.IsolationUnavailable(f"the student program could not start: {exc}") from None

    def _adopt_spare(self, jailed: bool, zygote, *, stale: bool) -> bool:
        """Take over the student process `prepare` started for this judge process, when it
        was started the way this one would be."""
        spare = _SPARES.pop(os.getpid(), None)
        if spare is None:
            return False
        if stale or spare.jailed != jailed or spare.limits != self.limits or spare.proc.zygote is not zygote:
            spare._kill()
            return False
        for name in ("scratch", "output_path", "group", "proc", "channel", "_keep", "jailed", "args_map"):
            setattr(self, name, getattr(spare, name))
        spare.proc = spare.channel = spare.group = spare.scratch = spare.args_map = None
        return True

    def _spawn(self, *, jailed: bool, zygote=None):
        self.scratch = tempfile.mkdtemp(prefix="nnlabs-student-")
        os.chmod(self.scratch, 0o700)
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.output_path = os.path.join(self.scratch, "output.txt")
        output_fd = os.open(self.output_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        # each call's arguments are written here, and the student process's function gets
        # views of them: an in-place change is seen in the judge's own mapping, not reported
        args_fd = os.memfd_create("nnlabs-arguments", os.MFD_CLOEXEC)
        os.ftruncate(args_fd, self.limits.message_bytes)
        self.args_map = mmap.mmap(args_fd, self.limits.message_bytes)
        root = isolation.real_root()
        self.group = ProcessGroup(self.limits) if jailed and root else None
        self._keep = set()
        whole_tree = self.group is not None and self.group.active
        plan = None
        if jailed:
            os.mkdir(os.path.join(self.scratch, "root"), 0o755)
            plan = isolation.plan(self.limits, os.path.join(self.scratch, "root"), switch_uid=root,
                                  no_fork=not whole_tree)
        self.jailed = jailed
        try:
            self.proc = (zygote or Zygote.shared()).spawn(
                in_fd=to_child_r, out_fd=from_child_w, output_fd=output_fd, args_fd=args_fd, plan=plan,
                cgroups=self.group.paths if whole_tree else [], user_namespace=jailed and not root,
                rlimits=self.limits.rlimits(no_fork=False))
        except BaseException as exc:
            for fd in (to_child_w, from_child_r):
                os.close(fd)
            self._cleanup()
            if isinstance(exc, ZygoteError):
                raise isolation.IsolationUnavailable(f"the student program could not start: {exc}") from None
            raise
        finally:
            for fd in (to_child_r, from_child_w, output_fd, args_fd):
                os.close(fd)
        self.channel = Channel(from_child_r, to_child_w, self.limits.message_bytes)

    def _ready(self) -> dict:
        """The student process's first message. No student code has run yet, so a failure
        here is the machine's or the judge's, never the student's."""
        deadline = time.monotonic() + self.limits.load_seconds      # the machine's time, not the student's
        try:
            return self._expect(self.channel.recv(deadline), "ready")
        except TimeoutError:
            reason = f"it did not start within {self.limits.load_seconds:g} s"
        except EOFError:
            reason = self._died()
        except ProtocolError as exc:
            reason = str(exc)
        self._kill()
        raise isolation.IsolationUnavailable(f"the student process could not start: {reason}")

    @staticmethod
    def _expect(message, op):
        if message["op"] != op:
            raise ProtocolError(f"the student process sent {message['op']!r} where {op!r} was expected")
        return message

    def close(self):
        if self.proc is None:
            return
        try:
            self.channel.send({"op": "exit"}, time.monotonic() + 0.5)
            self.proc.wait(timeout=1)
        except (OSError, ProtocolError, subprocess.TimeoutExpired):
            pass
        self._kill()

    def _kill(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()            # the launcher kills PID 1, reaps it, and exits
                try:
                    self.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    pass
            self.proc.kill()                     # PID 1 dies with its launcher (parent-death signal)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self.proc = None
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        self._cleanup()

    def _cleanup(self):
        if self.group is not None:
            self.group.remove()
            self.group = None
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None
        if self.args_map is not None:
            self.args_map.close()
            self.args_map = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def output(self, limit=2000):
        try:
            with open(self.output_path, "rb") as handle:
                return handle.read(limit).decode("utf-8", "replace")
        except (OSError, AttributeError):
            return ""

    def _died(self):
        out_of_memory = self.group is not None and self.group.out_of_memory()
        code = None
        if self.proc:
            try:
                code = self.proc.wait(timeout=1)     # the pipe closes a moment before the exit is seen
            except subprocess.TimeoutExpired:
                code = None
        if out_of_memory:
            return "the student process was killed: it used more memory than allowed"
        if code is None:
            return "the student process stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            if name == "SIGSYS":
                return "the student process was ended by the jail: it made a system call student code may not make"
            if name == "SIGXCPU":
                return "the student process used up its CPU time"
            if name == "SIGKILL":
                return "the student process was killed (memory or time limit)"
            return f"the student process was ended by {name}"
        return f"the student process exited (exit code {code})"

    def _load(self):
        deadline = self._deadline(self.limits.load_seconds)
        try:
            self.channel.send({"op": "load", "cells": self.cells, "functions": self.functions}, deadline)
            reply = self._expect(self.channel.recv(deadline), "loaded")
        except TimeoutError:
            self._kill()
            if self.out_of_time():
                return LoadReport([], {}, *self._budget_failure("running the answer cells stopped"), flag=NO_FLAG)
            return LoadReport([], {}, f"running the answer cells took longer than {self.limits.load_seconds:g} s",
                              TIMED_OUT)
        except EOFError:
            reason, flag = self._died(), self._death_flag()
            self._kill()
            return LoadReport([], {}, f"running the answer cells failed: {reason}", CRASHED, flag)
        except ProtocolError as exc:
            self._kill()
            return LoadReport([], {}, f"running the answer cells failed: {exc}", PROTOCOL)
        errors = {cell["id"]: student_error(cell["error"]) for cell in reply["cells"] if cell["error"]}
        defined = [f for f in reply["defined"] if f in self.functions]
        return LoadReport(defined, errors)

    # -- calls ------------------------------------------------------------
    def call(self, function, args=(), kwargs=None, *, reference=(), trace=False):
        """Call the student's `function`; the graded functions named in `reference` (those
        `function` declares) are answered by the reference implementation while it runs.
        With `trace`, the result lists those calls (what a training loop did, step by step)."""
        if self.out_of_time():
            message, kind = self._budget_failure(f"{function} was not called")
            return CallResult(failure=message, failure_kind=kind, flag=NO_FLAG)
        if self.proc is None:
            self.restarts += 1
            self.start()
            if self.load_report.failure:
                return CallResult(failure=self.load_report.failure, failure_kind=self.load_report.failure_kind,
                                  flag=self.load_report.flag)
        kwargs = dict(kwargs or {})
        allowed = {name for name in reference if name != function and name in self.reference}
        budget = _Budget(self.limits, call_size(args, kwargs))
        calls = [] if trace else None
        deadline = self._deadline(self.limits.call_seconds)
        try:
            if self.channel.unsolicited():
                raise ProtocolError("the student process sent a message nobody asked for")
            self.calls_made += 1
            message = {"op": "call", "function": function, "args": codec.encode(list(args)),
                       "kwargs": codec.encode(kwargs), "reference": sorted(allowed), "seq": self.calls_made}
            shared = memoryview(self.args_map)
            try:
                frame = codec.frame(message, shared)
                used = codec.dumps.used
                before = bytes(shared[:used])
            finally:
                shared.release()
            self.channel.send_frame(frame, deadline)
            with quiet():       # the reference answers odd arguments as numpy does
                result = self._exchange(deadline, allowed, budget, calls)
            result.modified_inputs = self.args_map[:used] != before
            return result
        except TimeoutError:
            unread = self.channel.unread()
            self._kill()
            if unread:      # the proxy always reads its answer at once: this is not slow code
                return CallResult(failure=f"calling {function} broke the judge's protocol: the student process "
                                          "stopped reading the judge's answers", failure_kind=PROTOCOL)
            if self.out_of_time():
                message, kind = self._budget_failure(f"{function} was stopped")
                return CallResult(failure=message, failure_kind=kind, flag=NO_FLAG)
            return CallResult(failure=f"{function} did not finish within {self.limits.call_seconds:g} s "
                                      "(an endless loop, or far too much work?)", failure_kind=TIMED_OUT)
        except (EOFError, BrokenPipeError):
            reason, flag = self._died(), self._death_flag()
            self._kill()
            return CallResult(failure=f"calling {function} ended the process: {reason}", failure_kind=CRASHED,
                              flag=flag)
        except _OverBudget as exc:          # an endless training loop looks just like this: not a flag
            self._kill()
            return CallResult(failure=f"{function} {exc}", failure_kind=OUT_OF_BUDGET, flag=NO_FLAG)
        except (ProtocolError, StoppedReading, codec.DecodeError) as exc:
            self._kill()
            return CallResult(failure=f"calling {function} broke the judge's protocol: {exc}", failure_kind=PROTOCOL)

    def audit(self) -> list:
        """(flag code, message) for what the student process did outside any call the judge
        made: a message sent when none was asked for (a forged reply, say)."""
        found = []
        if self.channel is not None and self.proc is not None:
            try:
                if self.channel.unsolicited():
                    found.append((PROTOCOL, "the student process sent a message nobody asked for"))
            except ProtocolError as exc:
                found.append((PROTOCOL, str(exc)))
        return found

    def _death_flag(self) -> str | None:
        """The flag code for how the student process ended, when it says more than a crash."""
        code = self.proc.returncode if self.proc is not None else None
        return SYSCALL_REFUSED if code == -signal.SIGSYS else None

    def _exchange(self, deadline, allowed, budget, calls):
        """The student process's requests for other graded functions, answered until its result."""
        while True:
            reply = self.channel.recv(deadline)
            if reply["op"] == "result":
                if reply["seq"] != self.calls_made:     # one answer per call, in turn: this one is extra
                    raise ProtocolError("the student process sent a message nobody asked for (an answer out of turn)")
                self._end_strays()
                result = self._result(reply)
                result.trace = calls or []
                return result
            self._expect(reply, "ref_call")
            if reply["name"] not in allowed:
                raise ProtocolError(f"the student process asked for {reply['name'][:40]!r}, "
                                    "which the judge does not answer here")
            self.channel.send(self._answer_reference(reply, budget, calls), deadline)

    def _answer_reference(self, request, budget, calls=None):
        name = request["name"]
        args = codec.native(codec.decode(request["args"]))
        kwargs = codec.native(codec.decode(request["kwargs"]))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise ProtocolError("malformed arguments in a call to another graded function")
        budget.count()
        if not budget.admits(args, kwargs):
            if calls is not None:
                calls.append({"name": name, "args": args, "kwargs": kwargs, "answered": False})
            return {"op": "ref_refused"}
        if calls is not None:
            calls.append({"name": name, "args": args, "kwargs": kwargs, "answered": True})
        start = time.perf_counter()
        try:
            value = self.reference[name](*args, **kwargs)
            reply = {"op": "ref_result", "value": codec.encode(value)}
            # a random generator the reference drew from: the caller's own advances the same way
            drawn = [[key, codec.encode(v)] for key, v in [*enumerate(args), *kwargs.items()]
                     if isinstance(v, np.random.Generator)]
            if drawn:
                reply["generators"] = drawn
        except Exception as exc:  # the reference rejects bad arguments like any function would
            reply = {"op": "ref_error", "message": f"{name}: {type(exc).__name__}: {exc}"[:300]}
        budget.spend(time.perf_counter() - start)
        if reply["op"] == "ref_result" and not budget.admits_answer(value):
            return {"op": "ref_refused"}
        return reply

    def _end_strays(self):
        """Processes a call started do not outlive it: everything in the submission's cgroup
        but the launcher and PID 1 is killed once the call has answered."""
        if self.group is None or self.proc is None:
            return
        found = self.group.pids()
        if found <= self._keep:          # the launcher and PID 1 alone, as after most calls
            return
        keep = {self.proc.pid}
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as handle:
                keep.update(int(pid) for pid in handle.read().split())
        except OSError:
            return
        if len(keep) == 2:
            self._keep = keep            # PID 1 is the launcher's one child for the process's life
        for pid in found - keep:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _result(self, reply):
        error = student_error(reply["error"]) if reply["error"] else None
        return CallResult(value=codec.decode(reply["value"]), error=error, seconds=float(reply["seconds"]),
                          warnings=[inert(w, 300) for w in reply["warnings"]],
                          flag=CONTROL_CHARACTERS if error and error.controls else None)


# -- a student process started ahead of need ---------------------------------------
_SPARES: dict = {}          # pid of the judge process -> a StudentProcess spawned, not yet used


def prepare(**settings):
    """Start a student process ahead of need: the next `StudentProcess` of this process with
    the same `settings` (limits, isolation) takes it over instead of starting one. Forking
    it, joining its cgroup and building its jail then overlap with the judge's own work
    (reading the next notebook, loading the lab) instead of adding to it. It runs no student
    code before it is taken; one not taken is ended when this process ends, or by
    `discard_spare`."""
    discard_spare()
    spare = StudentProcess([], [], **settings)
    try:
        spare._spawn(jailed=spare._jail_wanted()[0])
    except (isolation.IsolationUnavailable, OSError):
        return                          # the process that needs one starts it, and reports why not
    _SPARES[os.getpid()] = spare
    global _FINALIZED_IN
    if _FINALIZED_IN != os.getpid():    # a forked worker starts with no exit handlers of its own
        workers = sys.modules.get("multiprocessing.util")
        if workers is not None:         # its finalizers run at the end of a worker process, atexit's do not
            workers.Finalize(None, discard_spare, exitpriority=10)
        else:
            atexit.register(discard_spare)
        _FINALIZED_IN = os.getpid()


_FINALIZED_IN = None


def discard_spare():
    spare = _SPARES.pop(os.getpid(), None)
    if spare is not None:
        spare._kill()


@contextlib.contextmanager
def quiet():
    """numpy's warnings and floating-point notices silenced (overflows, logs of 0): code
    run on odd inputs answers as numpy does, without a word on the instructor's screen."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


class _OverBudget(Exception):
    pass


class _Budget:
    """What the judge will compute for one call's requests to other graded functions:
    arguments of the sizes the call being judged works with (each no larger than 16 times
    all its inputs together, or 10,000 numbers when that is more), a bounded number of
    requests, and bounded judge time."""

    FACTOR, FLOOR = 16, 10_000

    def __init__(self, limits: Limits, size: int):
        self.limits = limits
        self.largest = max(self.FACTOR * size, self.FLOOR)
        self.calls = 0
        self.seconds = 0.0

    def count(self):
        self.calls += 1
        if self.calls > self.limits.reference_calls:
            raise _OverBudget(f"made more than {self.limits.reference_calls} calls to other graded functions "
                              "in one call and was stopped (an endless loop, or far more steps than asked for?)")

    def spend(self, seconds):
        self.seconds += seconds
        if self.seconds > self.limits.reference_seconds:
            raise _OverBudget(f"asked for more than {self.limits.reference_seconds:g} s of work from other graded "
                              "functions in one call and was stopped (an endless loop, or far more steps than "
                              "asked for?)")

    def admits(self, args, kwargs) -> bool:
        """Whether the reference may compute on these arguments: checked before it does, on
        the largest array any operation between two of them could make - a broadcast, a
        product over one shared axis, or an array sized by a whole-number argument (one_hot's
        num_classes) - so no request can make the judge build what its inputs never needed."""
        values = [*args, *kwargs.values()]
        if not all(_elements(value) <= self.largest and _dimensions(value) <= MAX_DIMENSIONS for value in values):
            return False
        shapes = [shape for value in values for shape in _shapes(value)]
        sizes = [int(v) for value in values for v in _whole_numbers(value)]
        try:
            if shapes and math.prod(np.broadcast_shapes(*shapes)) > self.largest:
                return False
        except ValueError:
            pass                                # shapes that cannot broadcast: numpy refuses at once
        for a, b in itertools.combinations(shapes, 2):
            if _largest_between(a, b) > self.largest:
                return False
        return all(abs(n) <= self.largest and math.prod(shape) * abs(n) <= self.largest
                   for n in sizes for shape in shapes or [()])

    def admits_answer(self, value) -> bool:
        return _elements(value) <= 4 * self.largest


def _shapes(value) -> list:
    """The shapes of the arrays (and numbers) a value holds."""
    if isinstance(value, np.ndarray):
        return [value.shape]
    if isinstance(value, (list, tuple)):
        try:
            return [np.shape(value)] if value and all(isinstance(v, (int, float)) for v in value) else \
                [shape for v in value for shape in _shapes(v)]
        except ValueError:
            return []
    if isinstance(value, dict):
        return [shape for v in value.values() for shape in _shapes(v)]
    return []


def _whole_numbers(value) -> list:
    """Whole-number arguments (a size, a count): bool and floats are not sizes."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _whole_numbers(v)]
    return []


def _largest_between(a: tuple, b: tuple) -> int:
    """The largest array one operation between arrays of shapes `a` and `b` can make: their
    broadcast, or a product over any axis of equal length (a matrix product, an outer
    product over the rest)."""
    size_a, size_b = math.prod(a), math.prod(b)
    largest = max(size_a, size_b)
    try:
        largest = max(largest, math.prod(np.broadcast_shapes(a, b)))
    except ValueError:
        pass
    for i, j in itertools.product(range(len(a)), range(len(b))):
        if a[i] == b[j] and a[i]:
            largest = max(largest, (size_a // a[i]) * (size_b // b[j]))
    return largest


def _elements(value) -> int:
    if isinstance(value, np.ndarray):
        return int(value.size)
    if isinstance(value, (list, tuple)):
        return sum(_elements(v) for v in value) or len(value)
    if isinstance(value, dict):
        return sum(_elements(v) for v in value.values())
    return 1


def _dimensions(value) -> int:
    if isinstance(value, np.ndarray):
        return value.ndim
    if isinstance(value, (list, tuple)) and value:
        return 1 + max(_dimensions(v) for v in value)
    return 0


def call_size(args, kwargs) -> int:
    """How many numbers a call's arguments hold together (it bounds what the judge answers)."""
    return sum(_elements(v) for v in [*args, *kwargs.values()]) or 1
