"""The student program, started once per judge process and forked once per submission.

Starting Python and importing numpy costs a few tenths of a second; a class of hundreds
pays it once per judging process instead of once per submission. The zygote is a plain
``python -I child.py --zygote`` that has imported numpy and nothing of the course; for each
student process it forks a launcher that joins the submission's cgroup, makes its
namespaces and builds its jail (`child.zygote`). Only the zygote signals and reaps the
launchers (its children), on the judge's request, so no process id is reused while the
judge still refers to it.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

CHILD = Path(__file__).with_name("child.py")
CODEC = Path(__file__).with_name("codec.py")
JAIL = Path(__file__).with_name("jail.py")
ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
       "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
       "TMPDIR": "/tmp"}


# The modules the zygote imports when submissions name them, by exact name (the zygote itself
# refuses any other: `child.preload`). The zygote is not jailed - it is the judge's user and
# sees the judge's files - so each was measured to import there without writing or opening a
# file, starting a thread or a process. Testing helpers (numpy.testing, scipy's and
# scikit-learn's test utilities) are not here: they bring subprocess, sockets or pytest, and
# make folders and start processes when used. Whatever a submission names beyond this list,
# its own code imports in its jail.
PRELOADABLE = (
    "numpy", "numpy.random", "numpy.linalg", "numpy.fft", "numpy.polynomial", "numpy.ma",
    "numpy.lib.recfunctions", "numpy.lib.stride_tricks",
    "scipy", "scipy.special", "scipy.optimize", "scipy.stats", "scipy.linalg", "scipy.sparse",
    "sklearn", "sklearn.utils", "sklearn.base", "sklearn.datasets", "sklearn.metrics", "sklearn.model_selection",
    "sklearn.preprocessing", "sklearn.linear_model", "sklearn.neural_network",
)


class ZygoteError(RuntimeError):
    pass


def _die_with_parent():
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)      # PR_SET_PDEATHSIG


class _ForkedProcess:
    """A forked zygote, seen as much like a `subprocess.Popen` as `Zygote` needs."""

    def __init__(self, pid):
        self.pid, self.returncode = pid, None

    def poll(self):
        if self.returncode is None:
            try:
                done, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                done, status = self.pid, 0
            if done:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def _may_fork_here() -> bool:
    """Nothing of a lab is loaded in this process yet, and it runs on Linux (elsewhere a
    numeric library may not survive a fork: Apple's Accelerate, say)."""
    return sys.platform.startswith("linux") and not any(
        name == "autograder.labs" or name.split(".")[0] == "solutions" for name in list(sys.modules))


def _fork_zygote(control_fd: int) -> _ForkedProcess:
    # imported once, for the judge and, through the fork, the zygote (which imports both first)
    import numpy  # noqa: F401
    import numpy.random  # noqa: F401
    pid = os.fork()
    if pid:
        return _ForkedProcess(pid)
    try:
        _die_with_parent()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, control_fd)
        os.closerange(control_fd + 1, os.sysconf("SC_OPEN_MAX"))
        os.chdir("/")
        os.environ.clear()
        os.environ.update(ENV)
        # from here on, what `python -I child.py --zygote ...` runs
        import importlib.util
        spec = importlib.util.spec_from_file_location("_nnlabs_child", CHILD)
        child = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(child)
        sys.argv = [str(CHILD), "--zygote", str(control_fd), str(CODEC), str(JAIL), ",".join(PRELOADABLE)]
        child.main()
    finally:
        os._exit(0)


class Zygote:
    _instances: dict = {}
    _lock = threading.Lock()

    @classmethod
    def shared(cls, *, fork: bool = False, libraries: bool = False) -> "Zygote":
        """The zygote of this process (a forked worker gets its own).

        Two may exist: the one holding numpy, and - made when a submission first imports
        scipy or scikit-learn - the one that also holds their modules. A process forked
        from a zygote that holds scikit-learn costs about twice as much to fork, start and
        end, so only the submissions that import these libraries pay for them.

        With fork=True (a one-shot judge: `nnlabs check`) the numpy zygote is forked from
        this process once numpy is imported, instead of started afresh: Python's start
        and numpy's import are paid once, by the judge and the student program together.
        That only while nothing of a lab is loaded here - no reference solution or hidden
        check can be in the memory the fork copies - and on Linux; otherwise it is started
        afresh."""
        key = (os.getpid(), libraries)
        with cls._lock:
            zygote = cls._instances.get(key)
            if zygote is None or zygote.proc.poll() is not None:
                zygote = cls._instances[key] = cls(fork=fork and not libraries and _may_fork_here())
            return zygote

    @classmethod
    def for_cells(cls, sources) -> tuple:
        """(the zygote to fork these cells' student process from, the modules it imported
        for them now: a student process forked from it before lacks them)."""
        wanted = imported_modules(sources)
        zygote = cls.shared(libraries=any(name.split(".")[0] != "numpy" for name in wanted))
        return zygote, zygote.preload(wanted)

    def __init__(self, fork: bool = False):
        self.lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        if fork:
            self.proc = _fork_zygote(theirs.fileno())
        else:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", str(CHILD), "--zygote", str(theirs.fileno()), str(CODEC), str(JAIL),
                 ",".join(PRELOADABLE)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/",
                env=dict(ENV), pass_fds=(theirs.fileno(),), preexec_fn=_die_with_parent)
        theirs.close()
        self.socket = ours
        self.socket.settimeout(60)
        self.buffer = b""
        self.preloaded = set()

    def _ask(self, message: dict, fds=()) -> dict:
        with self.lock:
            try:
                data = json.dumps(message).encode() + b"\n"
                if fds:
                    socket.send_fds(self.socket, [data], list(fds))
                else:
                    self.socket.sendall(data)
                while b"\n" not in self.buffer:
                    chunk = self.socket.recv(1 << 16)
                    if not chunk:
                        raise ZygoteError("the student program's zygote ended")
                    self.buffer += chunk
                line, self.buffer = self.buffer.split(b"\n", 1)
                return json.loads(line)
            except (OSError, ValueError) as exc:
                raise ZygoteError(f"the student program's zygote did not answer ({exc})") from None

    def preload(self, names):
        """Have the zygote import these modules of `PRELOADABLE` (each name asked once; any
        other name is not asked for): a student process then starts with them loaded. Returns
        the names it imported now (a student process forked before lacks them)."""
        wanted = [name for name in names if name in PRELOADABLE and name not in self.preloaded][:20]
        if not wanted:
            return []
        self.preloaded.update(wanted)
        loaded = self._ask({"op": "preload", "modules": wanted}).get("loaded")
        return loaded if isinstance(loaded, list) else []

    def spawn(self, *, in_fd, out_fd, output_fd, args_fd, plan, cgroups, user_namespace, rlimits) -> "Launcher":
        reply = self._ask({"op": "spawn", "plan": plan, "cgroups": list(cgroups), "user_namespace": user_namespace,
                           "uid": os.getuid(), "gid": os.getgid(), "rlimits": rlimits},
                          fds=(in_fd, out_fd, output_fd, args_fd))
        if "pid" not in reply:
            raise ZygoteError(reply.get("error", "the zygote started no student process"))
        return Launcher(self, int(reply["pid"]))


IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w., \t]+))", re.MULTILINE)


def imported_modules(sources) -> list:
    """The modules of `PRELOADABLE` that import statements in `sources` name (a hint for
    preloading: text that is not Python just names nothing). A module outside the list stands
    for the longest of its packages on it (``sklearn.metrics.pairwise``: ``sklearn.metrics``),
    which importing it imports anyway; the rest of its import is the student process's own."""
    found = []
    for source in sources:
        for match in IMPORT.finditer(source if isinstance(source, str) else ""):
            names = [match.group(1)] if match.group(1) else [part.split()[0] for part in match.group(2).split(",")
                                                             if part.split()]
            for name in names:
                parts = name.split(".")
                allowed = next((".".join(parts[:n]) for n in range(len(parts), 0, -1)
                                if ".".join(parts[:n]) in PRELOADABLE), None)
                if allowed and allowed not in found:
                    found.append(allowed)
    return found


class Launcher:
    """A student process's launcher, seen through the zygote (a `subprocess.Popen` look-alike)."""

    def __init__(self, zygote: Zygote, pid: int):
        self.zygote, self.pid, self.returncode = zygote, pid, None

    def poll(self):
        return self.wait(0, raise_on_timeout=False)

    def wait(self, timeout=None, raise_on_timeout=True):
        if self.returncode is None:
            try:
                status = self.zygote._ask({"op": "wait", "pid": self.pid, "timeout": 3600 if timeout is None
                                           else timeout})["status"]
            except ZygoteError:
                status = -signal.SIGKILL        # the zygote is gone, and its launchers with it
            self.returncode = status
        if self.returncode is None and raise_on_timeout:
            raise subprocess.TimeoutExpired("student process", timeout)
        return self.returncode

    def send_signal(self, sig):
        if self.returncode is None:
            try:
                self.zygote._ask({"op": "signal", "pid": self.pid, "signal": int(sig)})
            except ZygoteError:
                pass

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)
