"""The student process: runs a submission's answer cells and calls its functions.

Forked, one per submission, from the zygote this program becomes when the judge starts it
as ``python -I child.py --zygote CONTROL_FD CODEC JAIL PRELOADABLE`` (`autograder.sandbox.zygote`).
It imports nothing of the course: the codec is loaded by path before any student
code runs, and whatever it sends back is plain data that the judge re-checks. No
verdict is ever formed here; student code may tamper with this process as it likes
and it only changes what numbers come back. A call's arguments lie in memory the judge
maps too (``ARGS_FD``): whether the call changed them in place, the judge sees for itself.
"""
import builtins
import importlib.util
import json
import linecache
import os
import re
import struct
import sys
import time
import traceback
import warnings

MAGIC_LINE = re.compile(r"^(\s*)[%!]")


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def forget_course():
    """Drop import routes to the course (editable-install finders and path entries),
    so `import solutions` or `import autograder` fails here."""
    def editable(finder):
        names = (getattr(finder, "__module__", ""), type(finder).__module__, repr(finder))
        return any("editable" in str(n).lower() for n in names)

    sys.meta_path[:] = [f for f in sys.meta_path if not editable(f)]
    sys.path_hooks[:] = [h for h in sys.path_hooks if "editable" not in getattr(h, "__module__", "").lower()]
    sys.path[:] = [p for p in sys.path if p and "__editable__" not in p and os.path.isdir(p)
                   and not os.path.exists(os.path.join(p, "nbgrader_config.py"))]
    for name in list(sys.modules):
        if name.split(".")[0] in ("autograder", "solutions"):
            del sys.modules[name]
    sys.path_importer_cache.clear()


def without_magics(source):
    """IPython magics and shell escapes are not Python: keep line numbers, drop them."""
    return "\n".join(MAGIC_LINE.sub(r"\1pass  # ", line) if MAGIC_LINE.match(line) else line
                     for line in source.split("\n"))


class Channel:
    def __init__(self, in_fd, out_fd, codec):
        self.rin = os.fdopen(in_fd, "rb", buffering=0)
        self.wout = os.fdopen(out_fd, "wb", buffering=0)
        self.codec = codec
        self.buffer = bytearray()

    def send(self, message):
        data = self.codec.frame(message)
        view = memoryview(data)
        while view:
            view = view[self.wout.write(view):]

    def _fill(self, n):
        while len(self.buffer) < n:           # a whole small message in one read
            chunk = self.rin.read(1 << 16)
            if not chunk:
                raise EOFError
            self.buffer += chunk

    def recv(self, shared=None):
        self._fill(8)
        (length,) = struct.unpack(">Q", self.buffer[:8])
        self._fill(8 + length)
        body = bytes(self.buffer[8:8 + length])
        del self.buffer[:8 + length]
        return self.codec.loads(body, shared)


def warning_lines(seen, most=5) -> list:
    """The warnings a call raised, as the kernel would print them: 'Category: message', each
    distinct one once, the first few."""
    lines = []
    for item in seen:
        try:
            line = f"{item.category.__name__}: {item.message}"[:300]
        except BaseException:
            continue
        if line not in lines:
            lines.append(line)
        if len(lines) >= most:
            break
    return lines


def describe_error(exc):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith("<cell ")]
    where, function = "", ""
    if frames:
        last = frames[-1]
        where = f"{last.filename[1:-1]}, line {last.lineno}"
        function = last.name if last.name != "<module>" else ""
        if last.line:
            where += f": {last.line.strip()}"
    try:
        message = str(exc)
    except BaseException:
        message = "(the error message could not be shown)"
    return {"type": type(exc).__name__[:100], "message": message[:500], "where": where[:300],
            "function": function[:100]}


def launch(plan, jail):
    """Fork PID 1 of the new PID namespace and, in it, build the jail. This process (the
    launcher, outside that namespace) only waits for it and exits the same way, so the
    judge sees the student process's end; if the launcher is killed (or told to end with
    SIGTERM), PID 1 is killed and with it every process of the namespace."""
    import signal
    pid = os.fork()
    if pid == 0:
        return
    for fd in range(3, 1024):           # the pipes belong to PID 1: let the judge see their end
        try:
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        jail.no_core_dump()     # SIGSYS (the seccomp filter's), SIGSEGV... dump core: the launcher never does
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def start(in_fd, out_fd, codec, jail, plan, args_fd):
    """From here on this process is the student process: jail it (when `plan` is given) and
    serve the judge. `args_fd` is the memory the judge writes each call's arguments into."""
    import mmap
    channel = Channel(in_fd, out_fd, codec)
    shared = memoryview(mmap.mmap(args_fd, os.fstat(args_fd).st_size))
    os.close(args_fd)
    isolated, note = False, "not isolated: the judge ran this process without namespaces"
    if plan is not None:
        launch(plan, jail)
        try:
            jail.enter(plan)
            isolated, note = True, ""
        except BaseException as exc:       # report, run nothing, and end
            channel.send({"op": "ready", "isolated": False, "note": f"{type(exc).__name__}: {exc}"[:500]})
            os._exit(70)
    forget_course()
    serve(channel, codec, isolated, note, shared)


def zygote(control_fd, codec, jail, preloadable):
    """Started once per judge process: numpy imported, then one fork per student process.

    The judge sends one request per student process over a unix socket - its pipes and
    output file as file descriptors, the cgroups to join, the namespaces to make and the
    jail's plan - and this process forks a launcher that does exactly what a freshly
    started student program would, without paying for Python's start and numpy's import
    again. It also signals and reaps the launchers for the judge (it alone may: they are
    its children), so their process ids are never reused while the judge refers to them."""
    import socket
    import tempfile
    import time as clock
    # Nothing imported here may write anywhere: this process is root and sees the host's /tmp.
    # The student process gets back the environment the judge gave (`zygote.ENV`).
    student_environment = dict(os.environ)
    os.environ.update({name: NOWHERE for name in PRIVATE_FOLDERS})
    tempfile.tempdir = NOWHERE              # not /tmp, tempfile's fallback
    forget_course()
    import numpy  # noqa: F401
    import numpy.random  # noqa: F401  (numpy imports it on first use: every training loop's seed)
    control = socket.socket(fileno=control_fd)

    def reply(message):
        control.sendall(json.dumps(message).encode() + b"\n")

    buffer = b""
    while True:
        fds = []
        while b"\n" not in buffer:
            data, got, _, _ = socket.recv_fds(control, 1 << 20, 8)
            if not data:
                os._exit(0)                 # the judge is gone
            buffer += data
            fds += got
        line, buffer = buffer.split(b"\n", 1)
        request = json.loads(line)
        op = request["op"]
        if op != "spawn" or len(fds) != 4:
            for fd in fds:                  # handed with a request that takes none: not kept
                os.close(fd)
            if op == "spawn":
                reply({"error": f"a spawn request carries 4 descriptors, not {len(fds)}"})
                continue
        if op == "spawn":
            in_fd, out_fd, output_fd, args_fd = fds
            pid = os.fork()
            if pid == 0:
                try:
                    # first: nothing this process holds (the control socket, whatever an import
                    # opened) reaches student code - only 0, 1, 2 and what this request handed
                    close_all_but({0, 1, 2, *fds})
                    control.detach()
                    os.environ.clear()
                    os.environ.update(student_environment)
                    tempfile.tempdir = None
                    fresh_random_state()
                    jail.set_parent_death_signal()
                    os.setsid()
                    os.dup2(output_fd, 1)
                    os.dup2(output_fd, 2)
                    os.close(output_fd)
                    for path in request["cgroups"]:
                        with open(os.path.join(path, "cgroup.procs"), "w") as handle:
                            handle.write(str(os.getpid()))
                    if request["plan"] is not None:
                        jail.new_namespaces(request["user_namespace"], request["uid"], request["gid"])
                    else:
                        jail.limit_resources({"rlimits": request["rlimits"]})
                    start(in_fd, out_fd, codec, jail, request["plan"], args_fd)
                    os._exit(0)
                except BaseException:
                    os._exit(71)
            for fd in fds:
                os.close(fd)
            reply({"pid": pid})
        elif op == "signal":
            try:
                os.kill(request["pid"], request["signal"])
            except ProcessLookupError:
                pass
            reply({})
        elif op == "wait":
            reply({"status": wait_for(request["pid"], request["timeout"], clock)})
        elif op == "preload":
            reply({"loaded": preload(request["modules"], preloadable)})


MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,60}(\.[A-Za-z_][A-Za-z0-9_]{0,60}){0,4}$")
# Where the zygote's HOME, TMPDIR and caches point: below a device, so nothing - not even
# root - can make or write anything there (`zygote`).
NOWHERE = "/dev/null/nnlabs-zygote"
PRIVATE_FOLDERS = ("TMPDIR", "HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME",
                   "JOBLIB_TEMP_FOLDER", "MPLCONFIGDIR")


def close_all_but(keep):
    """Close every file descriptor but those of `keep`."""
    low = 0
    for fd in sorted(keep):
        if fd > low:            # closerange(n, n) is not empty on every Python: it may close all from n
            os.closerange(low, fd)
        low = max(low, fd + 1)
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


def preload(names, allowed):
    """Import in the zygote, once, the numeric modules that submissions import, so that each
    student process forked later has them without paying for the import again (scikit-learn
    takes most of a second). The zygote is not jailed: only the exact module names of
    `allowed` (the judge's `zygote.PRELOADABLE`, measured to import without writing a file,
    opening one, or starting a thread or a process), at most 20 names a request; a name that
    does not import is left alone. Anything else a submission names, its own code imports
    later, in its jail."""
    import importlib
    loaded = []
    for name in names[:20] if isinstance(names, list) else []:
        if isinstance(name, str) and MODULE.match(name) and name in allowed:
            try:
                importlib.import_module(name)
                loaded.append(name)
            except BaseException:
                pass
    return loaded


def fresh_random_state():
    """numpy's global random state was seeded once, in the zygote: a student process
    draws its own numbers, as a process started afresh would."""
    module = sys.modules.get("numpy.random")
    if module is not None:
        module.seed()


def wait_for(pid, timeout, clock):
    """The exit status of child `pid` (negative: the signal that ended it), or None if it
    is still running after `timeout` seconds. The wait ends the moment it exits: a pidfd
    becomes readable then (polled every 5 ms where the kernel has no pidfd)."""
    import select
    deadline = clock.monotonic() + timeout
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):
        handle = None
    try:
        while True:
            try:
                done, raw = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, raw = pid, 0
            if done:
                return -os.WTERMSIG(raw) if os.WIFSIGNALED(raw) else os.WEXITSTATUS(raw)
            remaining = deadline - clock.monotonic()
            if remaining <= 0:
                return None
            if handle is None:
                clock.sleep(min(0.005, remaining))
            else:
                select.select([handle], [], [], remaining)
    finally:
        if handle is not None:
            os.close(handle)


class CappedStream:
    """stdout / stderr for student code: past `limit` characters a print is dropped, never
    an error (the output file's size limit would otherwise fail the print itself)."""

    def __init__(self, stream, limit):
        self.stream, self.room = stream, limit

    def write(self, text):
        if self.room > 0:
            try:
                self.stream.write(text[:self.room])
            except OSError:
                self.room = 0
            self.room -= len(text)
        return len(text)

    def flush(self):
        try:
            self.stream.flush()
        except OSError:
            pass

    def __getattr__(self, name):
        return getattr(self.stream, name)


def main():
    codec = load_module("_nnlabs_codec", sys.argv[3])
    jail = load_module("_nnlabs_jail", sys.argv[4])
    zygote(int(sys.argv[2]), codec, jail, sys.argv[5].split(","))


def serve(channel, codec, isolated, note, shared):
    import numpy  # noqa: F401  (imported once here, not in the student's first call)
    channel.send({"op": "ready", "isolated": isolated, "note": note})
    sys.stdout, sys.stderr = CappedStream(sys.stdout, 1 << 20), CappedStream(sys.stderr, 1 << 20)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    native = codec.native

    def reference_proxy(name, own):
        def proxy(*args, **kwargs):
            channel.send({"op": "ref_call", "name": name,
                          "args": codec.encode(list(args)), "kwargs": codec.encode(dict(kwargs))})
            reply = channel.recv()
            if reply.get("op") == "ref_result":
                for key, state in reply.get("generators", []):       # the draws the reference made
                    own_rng = args[key] if isinstance(key, int) else kwargs[key]
                    own_rng.bit_generator.state = codec.decode(state).bit_generator.state
                return native(codec.decode(reply["value"]))
            if reply.get("op") == "ref_refused":     # outside what the judge answers: your own code runs
                if not callable(own):
                    raise NameError(f"name '{name}' is not defined")
                return own(*args, **kwargs)
            raise RuntimeError(reply.get("message", "the reference call failed"))
        proxy.__name__ = name
        return proxy

    while True:
        try:
            message = channel.recv(shared)
        except EOFError:
            return
        op = message.get("op")
        if op == "exit":
            return
        if op == "load":
            reports = []
            for cell in message["cells"]:
                filename = f"<cell {cell['id']}>"
                source = without_magics(cell["source"])
                linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
                try:
                    exec(compile(source, filename, "exec"), namespace)
                    reports.append({"id": cell["id"], "error": None})
                except BaseException as exc:  # a cell may raise anything, SystemExit included
                    reports.append({"id": cell["id"], "error": describe_error(exc)})
            defined = [name for name in message.get("functions", []) if callable(namespace.get(name))]
            channel.send({"op": "loaded", "cells": reports, "defined": defined})
        elif op == "call":
            name = message["function"]
            args = native(codec.decode(message["args"], copy=False))
            kwargs = native(codec.decode(message["kwargs"], copy=False))
            saved = {}
            for other in message.get("reference", []):
                saved[other] = namespace.get(other)
                namespace[other] = reference_proxy(other, saved[other])
            start = time.perf_counter()
            error, value = None, None
            with warnings.catch_warnings(record=True) as seen:     # what the student's kernel would show
                warnings.simplefilter("always")
                try:
                    function = namespace.get(name)
                    if not callable(function):
                        raise NameError(f"name '{name}' is not defined")
                    value = function(*args, **kwargs)
                except BaseException as exc:
                    error = describe_error(exc)
            seconds = time.perf_counter() - start
            shown = warning_lines(seen)
            for other, original in saved.items():
                namespace[other] = original
            try:
                encoded = codec.encode(value)
            except BaseException as exc:
                encoded, error = None, error or describe_error(exc)
            del args, kwargs
            channel.send({"op": "result", "value": encoded, "error": error, "seconds": seconds,
                          "seq": message.get("seq", 0), "warnings": shown})


if __name__ == "__main__":
    main()
