"""The student process: runs a submission's answer cells and calls its functions.

Started by ``autograder.sandbox`` as ``python -I _child.py IN_FD OUT_FD CODEC_PATH``.
It imports nothing of the course: the codec is loaded by path before any student
code runs, and whatever it sends back is plain data that the judge re-checks. No
verdict is ever formed here; student code may tamper with this process as it likes
and it only changes what numbers come back.
"""
import builtins
import importlib.util
import linecache
import os
import re
import struct
import sys
import time
import traceback

MAGIC_LINE = re.compile(r"^(\s*)[%!]")


def load_codec(path):
    spec = importlib.util.spec_from_file_location("_nnlabs_codec", path)
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

    def send(self, message):
        data = self.codec.frame(message)
        view = memoryview(data)
        while view:
            view = view[self.wout.write(view):]

    def _read(self, n):
        chunks = []
        while n:
            chunk = self.rin.read(n)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def recv(self):
        (length,) = struct.unpack(">Q", self._read(8))
        return self.codec.loads(self._read(length))


def describe_error(exc):
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith("<cell ")]
    where = ""
    if frames:
        last = frames[-1]
        where = f"{last.filename[1:-1]}, line {last.lineno}"
        if last.line:
            where += f": {last.line.strip()}"
    try:
        message = str(exc)
    except BaseException:
        message = "(the error message could not be shown)"
    return {"type": type(exc).__name__, "message": message[:500], "where": where[:300]}


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
    in_fd, out_fd, codec_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    codec = load_codec(codec_path)
    forget_course()
    sys.stdout, sys.stderr = CappedStream(sys.stdout, 1 << 20), CappedStream(sys.stderr, 1 << 20)
    channel = Channel(in_fd, out_fd, codec)
    namespace = {"__name__": "__main__", "__builtins__": builtins}

    native = codec.native

    def reference_proxy(name):
        def proxy(*args, **kwargs):
            channel.send({"op": "ref_call", "name": name,
                          "args": codec.encode(list(args)), "kwargs": codec.encode(dict(kwargs))})
            reply = channel.recv()
            if reply.get("op") == "ref_result":
                return native(codec.decode(reply["value"]))
            raise RuntimeError(reply.get("message", "the reference call failed"))
        proxy.__name__ = name
        return proxy

    while True:
        try:
            message = channel.recv()
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
            args = native(codec.decode(message["args"]))
            kwargs = native(codec.decode(message["kwargs"]))
            before = codec.dumps(codec.encode(args))
            saved = {}
            for other in message.get("reference", []):
                saved[other] = namespace.get(other)
                namespace[other] = reference_proxy(other)
            start = time.perf_counter()
            error, value = None, None
            try:
                function = namespace.get(name)
                if not callable(function):
                    raise NameError(f"name '{name}' is not defined")
                value = function(*args, **kwargs)
            except BaseException as exc:
                error = describe_error(exc)
            seconds = time.perf_counter() - start
            for other, original in saved.items():
                namespace[other] = original
            try:
                encoded = codec.encode(value)
            except BaseException as exc:
                encoded, error = None, error or describe_error(exc)
            after = codec.dumps(codec.encode(args))
            channel.send({"op": "result", "value": encoded, "error": error,
                          "modified": before != after, "seconds": seconds})


if __name__ == "__main__":
    main()
