"""Isolated execution: student code runs in a child process, never in the judge.

`StudentProcess` starts ``_child.py`` with resource limits, from a scratch folder,
without the course on its import path; loads the answer cells there; and calls the
student's functions with inputs the judge chooses. Results come back as plain data
(`codec`). While one graded function is judged, the other graded functions it calls
can be answered by the reference implementation *in the judge*: the child only sees
a proxy that asks for a value, never reference code.

`InProcessSubject` offers the same interface for the check under each function in
a student's own notebook, where the student's kernel is the only place the code is.
"""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import os
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np

from . import codec, isolation

CHILD = Path(__file__).with_name("_child.py")
CODEC = Path(__file__).with_name("codec.py")


@dataclasses.dataclass
class Limits:
    call_seconds: float = 10.0        # wall clock for one call of a student function
    notebook_seconds: float = 120.0   # wall clock for judging one whole notebook
    load_seconds: float = 30.0        # wall clock for running the answer cells
    cpu_seconds: int = 120            # CPU time of one student process
    memory_bytes: int = 2 * 2**30     # address space of one student process
    output_bytes: int = 2 * 2**20     # what the student's code may print
    reference_calls: int = 200_000    # reference answers one call may ask for
    processes: int = 16               # processes and threads one student process may run at once


@dataclasses.dataclass
class StudentError:
    type: str
    message: str
    where: str = ""

    def __str__(self):
        text = f"{self.type}: {self.message}" if self.message else self.type
        return f"{text} ({self.where})" if self.where else text


@dataclasses.dataclass
class CallResult:
    value: object = None
    error: StudentError | None = None   # the student's code raised
    failure: str | None = None          # the process died, timed out or broke the protocol
    modified_inputs: bool = False
    seconds: float = 0.0

    @property
    def ok(self):
        return self.error is None and self.failure is None


@dataclasses.dataclass
class LoadReport:
    defined: list
    cell_errors: dict            # cell id -> StudentError
    failure: str | None = None


class ProtocolError(Exception):
    pass


class ProcessCap:
    """A cap on how many processes the student code may run (a fork bomb stops there).

    A pids cgroup when the machine lets this process make one (root, as nbgrader is often
    run); otherwise RLIMIT_NPROC, which Linux applies to every user but root."""

    ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")

    def __init__(self, limit: int):
        self.limit = limit
        self.path = None
        for root in self.ROOTS:
            if os.path.exists(os.path.join(root, "cgroup.procs")) and os.access(root, os.W_OK):
                path = os.path.join(root, f"nnlabs-{os.getpid()}-{id(self)}-{time.monotonic_ns()}")
                try:
                    os.mkdir(path)
                    with open(os.path.join(path, "pids.max"), "w") as handle:
                        handle.write(str(limit))
                    self.path = path
                    break
                except OSError:
                    try:
                        os.rmdir(path)
                    except OSError:
                        pass

    def enter(self):
        """In the child, before exec."""
        if self.path:
            fd = os.open(os.path.join(self.path, "cgroup.procs"), os.O_WRONLY)
            try:
                os.write(fd, str(os.getpid()).encode())
            finally:
                os.close(fd)
        elif os.getuid() != 0:
            resource.setrlimit(resource.RLIMIT_NPROC, (self.limit, self.limit))

    def remove(self):
        if self.path:
            for _ in range(50):
                try:
                    os.rmdir(self.path)
                    break
                except OSError:
                    time.sleep(0.02)
            self.path = None


def _limit_child(limits: Limits, isolation=None, cap=None):
    def apply():
        os.setsid()
        if cap is not None:
            cap.enter()
        if isolation is not None:
            isolation.apply()
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return apply


native = codec.native


class StudentProcess:
    """One child process holding one submission's answer cells."""

    def __init__(self, cells, functions, *, prelude="", limits=None, reference=None, isolate=True):
        self.cells = [{"id": "prelude", "source": prelude}] + list(cells) if prelude else list(cells)
        self.functions = list(functions)
        self.limits = limits or Limits()
        self.reference = reference or {}
        self.proc = None
        self.load_report = None
        self.restarts = 0
        self.reference_calls = 0
        self.isolate = isolate
        self.isolation = None
        self.isolation_note = isolation.available() if isolate else "isolation turned off"

    # -- life cycle -------------------------------------------------------
    def start(self):
        self.scratch = tempfile.mkdtemp(prefix="nnlabs-student-")
        if self.isolate and self.isolation_note is None:
            workdir = os.path.join(self.scratch, "work")
            os.mkdir(workdir)
            self.isolation = isolation.Isolation({"_child.py": CHILD.read_bytes(), "codec.py": CODEC.read_bytes()},
                                                 workdir)
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.output_path = os.path.join(self.scratch, "output.txt")
        out = open(self.output_path, "wb")
        env = {"PATH": "/usr/bin:/bin", "HOME": self.scratch, "MPLBACKEND": "Agg",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
        self.cap = ProcessCap(self.limits.processes)
        if self.isolation is not None:
            child, codec_path = self.isolation.path("_child.py"), self.isolation.path("codec.py")
            env["HOME"] = self.isolation.workdir
        else:
            child, codec_path = str(CHILD), str(CODEC)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", child, str(to_child_r), str(from_child_w), codec_path],
                stdin=subprocess.DEVNULL, stdout=out, stderr=out, cwd=self.scratch, env=env,
                pass_fds=(to_child_r, from_child_w),
                preexec_fn=_limit_child(self.limits, self.isolation, self.cap))
        except BaseException:
            self.cap.remove()
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        finally:
            out.close()
            os.close(to_child_r)
            os.close(from_child_w)
        self.to_child = to_child_w
        self.from_child = from_child_r
        self._buffer = b""
        self.load_report = self._load()
        return self.load_report

    def close(self):
        if self.proc is None:
            return
        try:
            self._send({"op": "exit"})
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self._kill()

    def _kill(self):
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            for fd in (self.to_child, self.from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.proc = None
            self.cap.remove()
            shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def output(self, limit=2000):
        try:
            with open(self.output_path, "rb") as handle:
                return handle.read(limit).decode("utf-8", "replace")
        except OSError:
            return ""

    # -- protocol ---------------------------------------------------------
    def _send(self, message):
        data = codec.frame(message)
        view = memoryview(data)
        while view:
            view = view[os.write(self.to_child, view):]

    def _recv(self, deadline):
        while True:
            if len(self._buffer) >= 8:
                (length,) = struct.unpack(">Q", self._buffer[:8])
                if length > codec.MAX_BYTES * 2:
                    raise ProtocolError("the student process sent an oversized message")
                if len(self._buffer) >= 8 + length:
                    body, self._buffer = self._buffer[8:8 + length], self._buffer[8 + length:]
                    try:
                        message = codec.loads(body)
                    except codec.DecodeError as exc:
                        raise ProtocolError(f"the student process sent malformed data ({exc})")
                    if not isinstance(message, dict):
                        raise ProtocolError("the student process sent malformed data")
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.from_child], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise EOFError
            self._buffer += chunk

    def _died(self):
        code = None
        if self.proc:
            try:
                code = self.proc.wait(timeout=1)     # the pipe closes a moment before the exit is seen
            except subprocess.TimeoutExpired:
                code = None
        if code is None:
            return "the student process stopped answering"
        if code < 0:
            name = signal.Signals(-code).name
            if name == "SIGXCPU":
                return "the student process used up its CPU time"
            if name == "SIGKILL":
                return "the student process was killed (memory or time limit)"
            return f"the student process was ended by {name}"
        return f"the student process exited (exit code {code})"

    def _load(self):
        self._send({"op": "load", "cells": self.cells, "functions": self.functions})
        try:
            reply = self._recv(time.monotonic() + self.limits.load_seconds)
        except TimeoutError:
            self._kill()
            return LoadReport([], {}, f"running the answer cells took longer than {self.limits.load_seconds:.0f} s")
        except (EOFError, ProtocolError) as exc:
            reason = str(exc) if isinstance(exc, ProtocolError) else self._died()
            self._kill()
            return LoadReport([], {}, f"running the answer cells failed: {reason}")
        if reply.get("op") != "loaded":
            self._kill()
            return LoadReport([], {}, "the student process sent an unexpected reply")
        errors = {}
        for cell in reply.get("cells", []):
            if isinstance(cell, dict) and isinstance(cell.get("error"), dict):
                errors[str(cell.get("id"))] = _student_error(cell["error"])
        defined = [f for f in reply.get("defined", []) if f in self.functions]
        return LoadReport(defined, errors)

    def call(self, function, args=(), kwargs=None, *, reference=()):
        """Call the student's `function`; graded functions named in `reference` are
        answered by the reference implementation while it runs."""
        if self.proc is None:
            self.restarts += 1
            self.start()
            if self.load_report.failure:
                return CallResult(failure=self.load_report.failure)
        allowed = {name for name in reference if name != function and name in self.reference}
        message = {"op": "call", "function": function, "args": codec.encode(list(args)),
                   "kwargs": codec.encode(dict(kwargs or {})), "reference": sorted(allowed)}
        deadline = time.monotonic() + self.limits.call_seconds
        answered = 0
        try:
            self._send(message)
            while True:
                reply = self._recv(deadline)
                op = reply.get("op")
                if op == "result":
                    return self._result(reply)
                if op != "ref_call" or reply.get("name") not in allowed:
                    raise ProtocolError("the student process asked for something it may not have")
                answered += 1
                if answered > self.limits.reference_calls:
                    raise ProtocolError("too many calls to other graded functions")
                self._send(self._answer_reference(reply))
        except TimeoutError:
            self._kill()
            return CallResult(failure=f"{function} did not finish within {self.limits.call_seconds:g} s "
                                      "(an endless loop, or far too much work?)")
        except (EOFError, BrokenPipeError):
            reason = self._died()
            self._kill()
            return CallResult(failure=f"calling {function} ended the process: {reason}")
        except (ProtocolError, codec.DecodeError) as exc:
            self._kill()
            return CallResult(failure=str(exc))

    def _answer_reference(self, request):
        try:
            args = native(codec.decode(request.get("args")))
            kwargs = native(codec.decode(request.get("kwargs")))
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise codec.DecodeError("malformed arguments")
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                value = self.reference[request["name"]](*args, **kwargs)
            return {"op": "ref_result", "value": codec.encode(value)}
        except codec.DecodeError:
            raise
        except Exception as exc:  # the reference rejects bad arguments like any function would
            return {"op": "ref_error", "message": f"{request['name']}: {type(exc).__name__}: {exc}"[:300]}

    def _result(self, reply):
        error = reply.get("error")
        value = codec.decode(reply.get("value"))
        seconds = reply.get("seconds")
        return CallResult(value=value, error=_student_error(error) if isinstance(error, dict) else None,
                          modified_inputs=reply.get("modified") is True,
                          seconds=float(seconds) if isinstance(seconds, (int, float)) else 0.0)


def _student_error(data):
    return StudentError(type=str(data.get("type", "Error"))[:100], message=str(data.get("message", ""))[:500],
                        where=str(data.get("where", ""))[:300])


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

    def call(self, function, args=(), kwargs=None, *, reference=()):
        fn = self.namespace.get(function)
        if not callable(fn):
            return CallResult(error=StudentError("NameError", f"name '{function}' is not defined"))
        args = copy.deepcopy(list(args))
        kwargs = copy.deepcopy(dict(kwargs or {}))
        before = codec.dumps(codec.encode(args))
        swapped = {name: self.namespace.get(name) for name in reference
                   if name != function and name in self.reference}
        start = time.perf_counter()
        try:
            for name in swapped:
                self.namespace[name] = self.reference[name]
            with warnings.catch_warnings(), np.errstate(all="ignore"), \
                    contextlib.redirect_stdout(self.output), contextlib.redirect_stderr(self.output), \
                    time_limit(self.call_seconds):
                warnings.simplefilter("ignore")
                value = fn(*args, **kwargs)
        except TimeUp:
            return CallResult(failure=f"{function} did not finish within {self.call_seconds:g} s "
                                      "(an endless loop, or far too much work?)")
        except Exception as exc:
            import traceback
            frames = traceback.extract_tb(exc.__traceback__)
            where = f"line {frames[-1].lineno}: {frames[-1].line}" if len(frames) > 1 else ""
            return CallResult(error=StudentError(type(exc).__name__, str(exc)[:500], where))
        finally:
            for name, original in swapped.items():
                self.namespace[name] = original
        seconds = time.perf_counter() - start
        modified = codec.dumps(codec.encode(args)) != before
        return CallResult(value=codec.decode(codec.loads(codec.dumps(codec.encode(value)))),
                          modified_inputs=modified, seconds=seconds)

    def close(self):
        pass
