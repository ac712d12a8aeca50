"""What Linux offers, without extra services, to keep student code away from the course.

Applied in the student process between fork and exec:

- a private mount namespace in which everything Python does not need is covered by an
  empty read-only tmpfs (files by /dev/null): the course directory (reference solutions,
  master notebooks, other students' submissions, the gradebook), other copies of it
  anywhere on the disk, home folders, /tmp, /opt, /srv, ... -- all but the system folders
  and the path to the Python environment; covering the course itself must succeed;
- a fresh tmpfs as the working folder, holding only the files the process runs from;
- the root file system bind-remounted read-only, so nothing outside can be changed;
- a network namespace with nothing in it (no network at all);
- every capability dropped from the bounding set and no_new_privs set, so the student
  process cannot undo any of this (no umount, no remount, no setuid helpers).

As root this uses plain namespaces; as an ordinary user, a user namespace first (as
``unshare -Ur`` does). Where the kernel refuses, `available()` says so and grading
goes on with resource limits only (the report notes it).
"""
from __future__ import annotations

import ctypes
import functools
import os
import subprocess
import sys
from pathlib import Path

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
LAST_CAP = 63


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def course_paths() -> list:
    """Folders whose contents students must not see: the course directory (found from
    the working folder) and the folder holding the `solutions` package."""
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
    return sorted(roots)


SYSTEM = {"usr", "lib", "lib32", "lib64", "libx32", "bin", "sbin", "etc", "dev", "proc", "sys", "run"}


def hidden_entries(roots, keep=()) -> list:
    """Every entry of each root, except those holding this Python environment or `keep`."""
    needed = _needed(keep)
    entries = []
    for root in roots:
        if root == Path("/") or not root.is_dir():
            continue
        for entry in sorted(root.iterdir()):
            resolved = entry.resolve()
            if any(resolved == n or resolved in n.parents for n in needed):
                continue
            entries.append(entry)
    return entries


def _needed(keep=()) -> list:
    return [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), *(Path(k).resolve() for k in keep)]


def outside_python(keep=()) -> list:
    """Everything on the disk that Python does not need: every top-level folder but the
    system ones, and within the folders on the way to this Python environment (and to
    `keep`), every entry off that way. Other copies of a course, wherever they lie, are
    covered too."""
    needed = _needed(keep)
    out = []

    def visit(folder: Path):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.is_symlink():
                continue                    # its target is covered where it lies
            if entry in needed:
                continue
            if any(entry in n.parents for n in needed):
                visit(entry)
            else:
                out.append(entry)

    for top in sorted(Path("/").iterdir()):
        if top.name in SYSTEM or top.is_symlink():
            continue
        if top in needed:
            continue
        if any(top in n.parents for n in needed):
            visit(top)
        else:
            out.append(top)
    return out


class Isolation:
    def __init__(self, files: dict, workdir, roots=None):
        self.files = dict(files)                 # name -> bytes, written to the fresh working folder
        self.workdir = str(workdir)
        course = [(str(p), p.is_dir() and not p.is_symlink(), True)
                  for p in hidden_entries(roots or course_paths(), keep=[workdir])]
        known = {path for path, _, _ in course}
        rest = [(str(p), p.is_dir(), False)             # best effort: entries come and go
                for p in outside_python(keep=[workdir]) if str(p) not in known]
        self.hide = course + rest
        self.uid, self.gid = os.getuid(), os.getgid()

    def path(self, name: str) -> str:
        return os.path.join(self.workdir, name)

    def apply(self):
        """Runs in the child between fork and exec."""
        libc = _libc()
        mount = libc.mount
        mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
        flags = CLONE_NEWNS | CLONE_NEWNET
        if self.uid != 0:
            flags |= CLONE_NEWUSER
        _check(libc.unshare(flags), "unshare")
        if self.uid != 0:
            for name, text in (("setgroups", "deny"), ("uid_map", f"0 {self.uid} 1"), ("gid_map", f"0 {self.gid} 1")):
                fd = os.open(f"/proc/self/{name}", os.O_WRONLY)
                try:
                    os.write(fd, text.encode())
                finally:
                    os.close(fd)
        _check(mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
        for path, is_dir, critical in self.hide:
            if is_dir:
                done = mount(b"tmpfs", path.encode(), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, b"size=4k,mode=555")
            else:
                done = mount(b"/dev/null", path.encode(), None, MS_BIND, None)
            if critical:
                _check(done, f"hide {path}")
        _check(mount(b"tmpfs", self.workdir.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=32m,mode=1777"),
               "fresh working folder")
        for name, data in self.files.items():
            fd = os.open(self.path(name), os.O_WRONLY | os.O_CREAT, 0o444)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        _check(mount(None, b"/", None, MS_REMOUNT | MS_BIND | MS_RDONLY, None), "read-only root")
        os.chdir(self.workdir)
        for cap in range(LAST_CAP + 1):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() not in (22,):
                _check(-1, f"drop capability {cap}")
        _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


@functools.lru_cache(maxsize=None)
def available() -> str | None:
    """None when isolation works on this machine, else the reason it does not."""
    if not sys.platform.startswith("linux"):
        return "process isolation needs Linux"
    import shutil
    import tempfile
    workdir = tempfile.mkdtemp(prefix="nnlabs-probe-")
    probe = Isolation({"probe.txt": b"ok"}, workdir)
    try:
        result = subprocess.run([sys.executable, "-I", "-c", "print(open('probe.txt').read())"],
                                preexec_fn=probe.apply, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"namespaces unavailable ({exc})"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if result.returncode != 0 or result.stdout.strip() != "ok":
        return f"namespaces unavailable ({result.stderr.strip()[-200:]})"
    return None
