"""Limits on one submission's student code, and the cgroup that holds them for its whole tree.

`Limits` is the single source of the defaults: nbgrader's `JudgeSubmission` traits, the
command line and the tests all start from it.

Memory and the number of processes are limits of the *submission*, not of a process: every
process the student code starts lives in one cgroup (v1 ``memory`` + ``pids`` controllers,
or one v2 group) that the judge creates for it and removes afterwards. Where no cgroup can
be made (an ordinary user without a delegated cgroup), the student process may not start any
process or thread at all (``RLIMIT_NPROC`` counted in its own user namespace), so the
per-process address-space limit is again a limit of the whole submission.
"""
from __future__ import annotations

import dataclasses
import os
import signal
import time


@dataclasses.dataclass(frozen=True)
class Limits:
    call_seconds: float = 10.0          # wall clock for one call of a student function
    notebook_seconds: float = 120.0     # wall clock for judging one whole notebook
    load_seconds: float = 30.0          # wall clock for running the answer cells
    cpu_seconds: int = 120              # CPU time of one student process
    memory_bytes: int = 2 * 2**30       # memory of the submission's whole process tree
    output_bytes: int = 2 * 2**20       # what the student's code may print
    processes: int = 16                 # processes and threads of the whole tree at once
    scratch_bytes: int = 32 * 2**20     # each writable place: /tmp and /dev/shm
    open_files: int = 256
    message_bytes: int = 64 * 2**20     # one message between the judge and the student process
    reference_calls: int = 20_000       # calls to other graded functions one call may make (honest: < 200)
    reference_seconds: float = 2.0      # judge time spent answering them, per call (honest: < 0.02 s)

    def rlimits(self, *, no_fork: bool) -> dict:
        """Per-process resource limits, by the name of their `resource` constant."""
        out = {"RLIMIT_CORE": 0, "RLIMIT_CPU": int(self.cpu_seconds), "RLIMIT_AS": int(self.memory_bytes),
               "RLIMIT_FSIZE": int(self.output_bytes), "RLIMIT_NOFILE": int(self.open_files)}
        if no_fork:
            out["RLIMIT_NPROC"] = 1
        return out


class ProcessGroup:
    """One cgroup per submission: memory and process count of the whole tree.

    Made by the judge (which needs to be root, or own a delegated v2 group); the student
    process joins it between fork and exec, before it can run anything."""

    V1 = ("/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids")
    V2 = "/sys/fs/cgroup"

    def __init__(self, limits: Limits):
        self.paths = []
        name = f"nnlabs-{os.getpid()}-{time.monotonic_ns()}"
        try:
            if os.path.exists(os.path.join(self.V2, "cgroup.controllers")):
                self._make_v2(name, limits)
            elif all(os.access(p, os.W_OK) for p in self.V1):
                self._make_v1(name, limits)
        except OSError:
            self.remove()
            self.paths = []

    @property
    def active(self) -> bool:
        return bool(self.paths)

    def _make_v1(self, name, limits):
        memory, pids = (os.path.join(root, name) for root in self.V1)
        for path in (memory, pids):
            os.mkdir(path)
            self.paths.append(path)
        _write(os.path.join(memory, "memory.limit_in_bytes"), limits.memory_bytes)
        swap = os.path.join(memory, "memory.memsw.limit_in_bytes")
        if os.path.exists(swap):
            _write(swap, limits.memory_bytes)
        _write(os.path.join(pids, "pids.max"), limits.processes)

    def _make_v2(self, name, limits):
        with open(os.path.join(self.V2, "cgroup.subtree_control")) as handle:
            enabled = handle.read().split()
        if "memory" not in enabled or "pids" not in enabled:
            raise OSError("memory and pids controllers are not delegated")
        path = os.path.join(self.V2, name)
        os.mkdir(path)
        self.paths.append(path)
        _write(os.path.join(path, "memory.max"), limits.memory_bytes)
        swap = os.path.join(path, "memory.swap.max")
        if os.path.exists(swap):
            _write(swap, 0)
        _write(os.path.join(path, "pids.max"), limits.processes)

    def enter(self):
        """In the student process, between fork and exec (so: no allocation-heavy work)."""
        for path in self.paths:
            fd = os.open(os.path.join(path, "cgroup.procs"), os.O_WRONLY)
            try:
                os.write(fd, str(os.getpid()).encode())
            finally:
                os.close(fd)

    def pids(self) -> set:
        found = set()
        for path in self.paths:           # read after every call: plain reads, no text layer
            try:
                fd = os.open(os.path.join(path, "cgroup.procs"), os.O_RDONLY)
            except OSError:
                continue
            try:
                data = b""
                while chunk := os.read(fd, 1 << 16):
                    data += chunk
            except OSError:
                pass
            finally:
                os.close(fd)
            found.update(int(word) for word in data.split())
        return found

    def out_of_memory(self) -> bool:
        for path in self.paths:
            for name, marker in (("memory.failcnt", None), ("memory.events", "oom_kill")):
                try:
                    with open(os.path.join(path, name)) as handle:
                        text = handle.read()
                except OSError:
                    continue
                if marker is None and text.strip() not in ("", "0"):
                    return True
                if marker and any(line.split()[:1] == [marker] and line.split()[1] != "0"
                                  for line in text.splitlines() if line.strip()):
                    return True
        return False

    def kill_all(self):
        """Every process still in the group (the PID namespace's end kills them too; this
        also covers a process caught between fork and its namespace)."""
        for _ in range(200):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def remove(self):
        self.kill_all()
        for path in list(self.paths):
            for _ in range(100):
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)
        self.paths = []


def _write(path, value):
    with open(path, "w") as handle:
        handle.write(str(value))
