"""Where the student process runs: namespaces of its own and a root that holds only Python.

The judge side of the jail (the student side is ``jail.py``). `plan()` lists what the
student process may see - the system folders and the Python installation, read-only. The
student process starts in a new session, joins the submission's cgroup, and enters new
mount, PID, network, IPC and UTS namespaces (plus a user namespace when the judge is not
root, as ``unshare -Ur`` does: ``jail.new_namespaces``) before its jail is built. What is not in the plan does not exist for the
student: the course (reference solutions, master notebooks, other submissions, the
gradebook), home folders, /run and its sockets, /sys, other runs' scratch folders.

As root the student code runs as ``nobody`` with no capabilities; as an ordinary user it
runs as that user inside its own user namespace, with every capability cleared. Where the
kernel refuses namespaces, the student process says so before running anything, and the
judge either refuses to grade or - for a student's own self-check - runs without
isolation and says so in the report (`IsolationUnavailable`, `StudentProcess.isolated`).
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

SYSTEM = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc")


class IsolationUnavailable(RuntimeError):
    """The student process could not be isolated on this machine (the message says why)."""


def real_root() -> bool:
    """Root of the machine, not root of a user namespace (where cgroups and uids are not ours)."""
    if os.geteuid() != 0:
        return False
    try:
        with open("/proc/self/uid_map") as handle:
            return handle.read().split() == ["0", "0", "4294967295"]
    except OSError:
        return False


def course_paths() -> list:
    """Folders students must not see even if they lie inside a folder Python needs: the
    course directory (found from the working folder) and the folder holding `solutions`."""
    roots = set()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").exists():
            roots.add(folder)
            break
    try:
        import importlib.util
        spec = importlib.util.find_spec("solutions")
        if spec and spec.submodule_search_locations:
            roots.add(Path(list(spec.submodule_search_locations)[0]).resolve().parent)
    except (ImportError, ValueError):
        pass
    return sorted(str(r) for r in roots)


@functools.lru_cache(maxsize=None)
def _python_binds() -> tuple:
    """(binds, symlinks) for the system folders and this Python installation."""
    binds, links = [], []
    for name in SYSTEM:
        path = "/" + name
        if os.path.islink(path):
            links.append((path, os.readlink(path)))
        elif os.path.isdir(path):
            binds.append(path)
    needed = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, os.path.dirname(sys.executable))}
    for path in (sys.prefix, sys.base_prefix):
        real = os.path.realpath(path)
        if real != os.path.abspath(path):
            links.append((os.path.abspath(path), real))
    for path in sorted(needed):
        if not any(path == b or path.startswith(b + "/") for b in binds):
            binds = [b for b in binds if not b.startswith(path + "/")] + [path]
    return tuple(binds), tuple(links)


def unreadable_by_others(binds) -> list:
    """Bound folders the unprivileged student user could not use (their own mode, or the
    mode of a folder inside them on the way to Python's modules)."""
    out = []
    for path in binds:
        if path in ("/etc",):
            continue
        for folder in (path, *_module_folders(path)):
            try:
                mode = os.stat(folder).st_mode
            except OSError:
                continue
            if mode & 0o005 != 0o005:
                out.append(folder)
                break
    return out


def _module_folders(path) -> list:
    lib = os.path.join(path, "lib")
    found = []
    if os.path.isdir(lib):
        for name in os.listdir(lib):
            if name.startswith("python"):
                found.append(os.path.join(lib, name))
                found.append(os.path.join(lib, name, "site-packages"))
    return [f for f in found if os.path.isdir(f)]


def plan(limits, root: str, *, switch_uid: bool, no_fork: bool) -> dict:
    """What ``jail.enter`` builds: plain data, passed to the student process."""
    binds, links = _python_binds()
    cover = [c for c in course_paths() if any(c == b or c.startswith(b + "/") for b in binds)
             and not any(b.startswith(c + "/") or b == c for b in binds)]
    return {"root": root, "binds": list(binds), "symlinks": [list(pair) for pair in links], "cover": cover,
            "root_bytes": 1 << 20, "tmp_bytes": int(limits.scratch_bytes), "shm_bytes": int(limits.scratch_bytes),
            "switch_uid": switch_uid, "rlimits": limits.rlimits(no_fork=no_fork)}


def check_readable():
    """As root the student code runs as nobody, which must be able to read Python itself;
    otherwise its first lazy import would fail and look like the student's error."""
    closed = unreadable_by_others(_python_binds()[0])
    if closed:
        raise IsolationUnavailable(
            f"{closed[0]} is not readable by other users, so the unprivileged user that runs student code "
            f"cannot use this Python installation: make it readable (chmod -R o+rX {closed[0]}) or use an "
            "environment that is")


@functools.lru_cache(maxsize=None)
def unavailable_reason() -> str | None:
    """A quick look at whether this machine can isolate at all (the real test is the
    student process itself, which reports any step that fails)."""
    if not sys.platform.startswith("linux"):
        return "process isolation needs Linux namespaces"
    if not os.path.exists("/proc/self/ns/pid"):
        return "this kernel has no PID namespaces"
    if not real_root():
        try:
            with open("/proc/sys/user/max_user_namespaces") as handle:
                if int(handle.read().strip() or 0) == 0:
                    return "user namespaces are turned off on this machine (user.max_user_namespaces = 0)"
        except (OSError, ValueError):
            pass
    return None
