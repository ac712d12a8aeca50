"""Where submissions are judged: long-lived local worker processes, or a Dask cluster.

Both take tasks and give back plain-data results in the order they finish. A worker
keeps what it builds for the first submission (imports, the nbgrader steps, the judge's
labs) for all the others, so start-up is paid once per worker, not once per submission.

`LocalWorkers` sends each worker one task at a time, so when a worker dies the task it
held is known: that submission is tried once more on a fresh worker and, if it kills
that one too, comes back as unusable with the reason; the other submissions go on.
"""
from __future__ import annotations

import collections
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import sys
import threading

ATTEMPTS = 2


def failed(task, reason: str) -> dict:
    return {"student": task.student, "lab": task.lab, "fingerprint": task.fingerprint, "ok": False,
            "reason": reason, "worker_died": True, "code_hash": None, "seconds": {}}


def _serve(conn, function, context, cpu=None):
    """A worker's life: answer tasks until told to stop. Ctrl-C belongs to the parent,
    which stops the workers itself; SIGTERM unwinds so the student process is closed.

    With `cpu`, the worker and the student processes it starts (they inherit it) run on
    that one CPU: the judge and a student process take turns, message by message, and a
    message that wakes a process on another CPU costs several times the message itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if cpu is not None:
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError:
            pass
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(function(context, task))


class _Worker:
    def __init__(self, ctx, function, context, cpu=None):
        self.cpu = cpu
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, function, context, cpu), daemon=True)
        self.process.start()
        child.close()
        self.task = None
        self.attempt = 0

    def stop(self, timeout=5.0):
        """An idle worker is asked to stop; a busy one (an interrupted run) is ended now,
        its student process closed as SIGTERM unwinds it."""
        if self.task is None:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
            self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()

    def death(self) -> str:
        self.process.join(1)
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                return f"the grading worker was ended by {signal.Signals(-code).name} while judging it"
            except ValueError:
                pass
        return f"the grading worker stopped while judging it (exit code {code})"


class LocalWorkers:
    """`jobs` worker processes on this machine, each calling `function(context, task)`."""

    def __init__(self, function, context, jobs: int | None = None):
        self.function, self.context = function, context
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.ctx = multiprocessing.get_context(method)
        self.workers: list = []
        cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        self.cpus = cpus if len(cpus) > 1 else []

    def _cpu(self, index):
        return self.cpus[index % len(self.cpus)] if self.cpus else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def run(self, tasks):
        """Yield one result per task, as they finish.

        The pipes to the workers are served by a thread of this process: a worker that
        finishes gets its next submission at once, while the results before it are still
        being recorded (the writer's work holds this thread up by a few milliseconds at
        most, when it runs Python code)."""
        pending = collections.deque((task, 1) for task in tasks)
        while len(self.workers) < min(self.jobs, len(pending)):
            self.workers.append(_Worker(self.ctx, self.function, self.context, self._cpu(len(self.workers))))
        results = queue.Queue()
        stop = threading.Event()
        wake_read, wake_write = os.pipe()
        thread = threading.Thread(target=self._serve_pipes, args=(pending, results, stop, wake_read),
                                  name="nnlabs-workers", daemon=True)
        switch = sys.getswitchinterval()
        sys.setswitchinterval(0.001)
        thread.start()
        try:
            while True:
                item = results.get()
                if item is _DONE:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            os.write(wake_write, b"x")
            thread.join()
            sys.setswitchinterval(switch)
            os.close(wake_read)
            os.close(wake_write)

    def _serve_pipes(self, pending, results, stop, wake):
        try:
            self._dispatch(pending, results, stop, wake)
            results.put(_DONE)
        except BaseException as exc:     # the caller raises it
            results.put(exc)

    def _dispatch(self, pending, results, stop, wake):
        while not stop.is_set() and (pending or any(w.task is not None for w in self.workers)):
            for worker in self.workers:
                if worker.task is None and pending:
                    worker.task, worker.attempt = pending.popleft()
                    worker.conn.send(worker.task)
            busy = [w for w in self.workers if w.task is not None]
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy]
                                                    + [wake])
            if stop.is_set():
                return
            for worker in busy:
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                task, result = worker.task, None
                try:
                    if worker.conn.poll():
                        result = worker.conn.recv()
                except (EOFError, OSError):
                    result = None
                if result is not None:
                    worker.task = None
                    results.put(result)
                    continue
                if worker.process.is_alive() and worker.process.sentinel not in ready:
                    continue
                reason = worker.death()
                worker.conn.close()
                self.workers[self.workers.index(worker)] = _Worker(self.ctx, self.function, self.context, worker.cpu)
                if worker.attempt < ATTEMPTS:
                    pending.appendleft((task, worker.attempt + 1))
                else:
                    results.put(failed(task, reason))


_DONE = object()


CONNECT_TIMEOUT = "10s"       # how long an unreachable scheduler may keep the instructor waiting


class DaskWorkers:
    """Judging on a Dask distributed cluster; the results come back here, to the one writer.

    Every worker needs the instructor install (nnlabs with `solutions`, and nbgrader);
    it reads nothing from the course directory."""

    def __init__(self, function, context, scheduler):
        from distributed import Client
        self.function = function
        self.client = scheduler if hasattr(scheduler, "submit") else self._connect(Client, scheduler)
        self.own_client = self.client is not scheduler
        self.context = self.client.scatter(context, broadcast=True)

    @staticmethod
    def _connect(client_class, address):
        """A client of the scheduler, or one line that says why not (never Dask's traceback)."""
        try:
            return client_class(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            raise SystemExit(f"nnlabs: the Dask scheduler at {address} cannot be reached ({reason}): start one "
                             "with `dask scheduler` (and workers with `dask worker ADDRESS --nthreads 1`), or "
                             "leave out --scheduler to grade on this machine") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.own_client:
            self.client.close()

    def run(self, tasks):
        from distributed import as_completed
        futures = {}
        for task in tasks:
            future = self.client.submit(self.function, self.context, task, pure=False,
                                        key=f"nnlabs-{task.lab}-{task.student}-{task.fingerprint[:12]}")
            futures[future] = task
        try:
            for future in as_completed(futures):
                task = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # KilledWorker and the like: this submission only
                    yield failed(task, f"the Dask worker judging it failed ({type(exc).__name__}: {exc})"[:400])
                future.release()
        finally:
            for future in futures:
                if not future.done():
                    future.cancel()
