"""The judge's side of the pipe to a student process: deadlines, size bounds, a strict schema.

Every message is a length-prefixed JSON object (`codec.frame`). Both directions have a
deadline (a student process that stops reading cannot block the judge: writes are
non-blocking and wait on select) and a size bound; every message from the student
process is checked against `SCHEMA` before the judge looks at it. Anything else is a
`ProtocolError`, which ends that student process.
"""
from __future__ import annotations

import fcntl
import os
import select
import struct
import termios
import time

from . import codec

STRING = 2000
READ = 1 << 16
ERROR = {"type": str, "message": str, "where": str, "function": str}
# op -> {field: type, or a validator}
SCHEMA = {
    "ready": {"isolated": bool, "note": str},
    "loaded": {"cells": list, "defined": list},
    "ref_call": {"name": str, "args": object, "kwargs": object},
    "result": {"value": object, "error": (dict, type(None)), "seconds": (int, float), "seq": int, "warnings": list},
}


class ProtocolError(Exception):
    """The student process broke the protocol (malformed, oversized or unexpected data)."""


class StoppedReading(ProtocolError):
    """The student process does not read what the judge sends."""


class Channel:
    def __init__(self, read_fd: int, write_fd: int, max_bytes: int):
        self.read_fd, self.write_fd, self.max_bytes = read_fd, write_fd, max_bytes
        flags = fcntl.fcntl(write_fd, fcntl.F_GETFL)
        fcntl.fcntl(write_fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
        self._buffer = bytearray()

    def send(self, message: dict, deadline: float):
        self.send_frame(codec.frame(message), deadline)

    def send_frame(self, frame: bytes, deadline: float):
        view = memoryview(frame)
        while view:
            try:
                view = view[os.write(self.write_fd, view):]
                continue
            except BlockingIOError:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StoppedReading("the student process stopped reading what the judge sent")
            select.select([], [self.write_fd], [], remaining)

    def recv(self, deadline: float) -> dict:
        """The next message, validated; TimeoutError past the deadline, EOFError if the
        process closed its end."""
        while True:
            if len(self._buffer) >= 8:
                (length,) = struct.unpack(">Q", self._buffer[:8])
                if length > self.max_bytes:
                    raise ProtocolError(f"the student process sent a message of {length} bytes "
                                        f"(at most {self.max_bytes} are allowed)")
                if len(self._buffer) >= 8 + length:
                    body = bytes(self._buffer[8:8 + length])
                    del self._buffer[:8 + length]
                    try:
                        message = codec.loads(body)
                    except codec.DecodeError as exc:
                        raise ProtocolError(f"the student process sent malformed data ({exc})") from None
                    return validate(message)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.read_fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            # A pipe holds 64 KiB: a larger read returns no more, and costs an allocation of
            # its size (an mmap) for every small message.
            chunk = os.read(self.read_fd, READ)
            if not chunk:
                raise EOFError
            self._buffer += chunk

    def unsolicited(self) -> bool:
        """Whether the student process has sent anything since its last answer (between
        calls it has nothing to say: a message now was never asked for)."""
        if self._buffer:
            return True
        ready, _, _ = select.select([self.read_fd], [], [], 0)
        if not ready:
            return False
        chunk = os.read(self.read_fd, READ)
        if not chunk:
            return False                  # it ended: the next exchange reports how
        self._buffer += chunk
        return True

    def unread(self) -> int:
        """Bytes the judge sent that the student process has not read yet."""
        try:
            return struct.unpack("i", fcntl.ioctl(self.write_fd, termios.FIONREAD, b"\0\0\0\0"))[0]
        except OSError:
            return 0

    def close(self):
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass


def validate(message) -> dict:
    if not isinstance(message, dict) or not isinstance(message.get("op"), str):
        raise ProtocolError("the student process sent something that is not a message")
    op = message["op"]
    fields = SCHEMA.get(op)
    if fields is None:
        raise ProtocolError(f"the student process sent an unknown message ({op[:40]!r})")
    if set(message) != {"op", *fields}:
        raise ProtocolError(f"the student process sent a malformed {op!r} message")
    for name, kind in fields.items():
        value = message[name]
        if kind is not object and (not isinstance(value, kind) or isinstance(value, bool) and kind is not bool):
            raise ProtocolError(f"the student process sent a malformed {op!r} message ({name})")
        if isinstance(value, str) and len(value) > STRING:
            raise ProtocolError(f"the student process sent an oversized {op!r} message ({name})")
    if op == "loaded":
        if not all(isinstance(c, dict) and set(c) == {"id", "error"} and isinstance(c["id"], str)
                   and (c["error"] is None or _is_error(c["error"])) for c in message["cells"]):
            raise ProtocolError("the student process sent a malformed report of its cells")
        if not all(isinstance(name, str) and len(name) < 200 for name in message["defined"]):
            raise ProtocolError("the student process sent a malformed list of functions")
    if op == "result" and message["error"] is not None and not _is_error(message["error"]):
        raise ProtocolError("the student process sent a malformed error")
    if op == "result" and (len(message["warnings"]) > 5 or not all(
            isinstance(w, str) and len(w) <= 300 for w in message["warnings"])):
        raise ProtocolError("the student process sent a malformed list of warnings")
    return message


def _is_error(data) -> bool:
    return (isinstance(data, dict) and set(data) == set(ERROR)
            and all(isinstance(data[k], str) and len(data[k]) <= STRING for k in ERROR))
