"""Progress of a grading run: a bar with counts and ETA on a terminal, plain lines when piped."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, what: str, stream=None, every: float = 5.0):
        self.total, self.what = total, what
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self.last_line = self.started
        self.every = every
        self.bar = None
        if total and getattr(self.stream, "isatty", lambda: False)():
            try:
                from tqdm import tqdm
                self.bar = tqdm(total=total, desc=what, unit="submission", file=self.stream,
                                dynamic_ncols=True, mininterval=0.2)
            except ImportError:
                self.bar = None

    def step(self, n: int = 1):
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if self.done == self.total or now - self.last_line >= self.every:
            self.last_line = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now=None) -> str:
        elapsed = (now or time.monotonic()) - self.started
        text = f"{self.what}: {self.done}/{self.total} ({elapsed:.0f} s"
        if 0 < self.done < self.total:
            text += f", about {elapsed / self.done * (self.total - self.done):.0f} s left"
        return text + ")"

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
