"""Run a function over many items in forked worker processes, each item under a time limit.

Forked workers, each given a small batch of tasks in turn: a hung SymPy call is ended at its
task's deadline, a crash (segfault, os._exit, out of memory) takes only the task it was on,
and the rest of that batch goes back to the queue.  Batches keep SymPy's caches warm across
neighbouring items (one fork per item made a run ~1.5x slower).  Workers ignore SIGINT; the
parent, on Ctrl-C, kills them, reaps them and raises ``Interrupted`` with what finished.

While it works on an item, a worker may send *progress* (``progress(value)``): the best
answer so far.  An item ended at its time limit then carries its last progress value, so a
slow proof still reports the evidence gathered before it.
"""

from __future__ import annotations

import contextvars
import multiprocessing as mp
import os
import resource
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

__all__ = ["Interrupted", "Outcome", "progress", "run_tasks"]

_PROGRESS: contextvars.ContextVar[Callable[[Any], None] | None] = contextvars.ContextVar(
    "progress", default=None
)


def progress(value: Any) -> None:
    """Inside a worker: the best answer so far for the current item (no-op elsewhere)."""
    send = _PROGRESS.get()
    if send is not None:
        send(value)


@dataclass(frozen=True)
class Outcome:
    """How one task in a worker ended: ``ok`` (with its value), ``error`` or ``timeout``
    (then ``value`` is the task's last progress, or None)."""

    index: int
    status: str
    value: Any = None
    detail: str = ""
    seconds: float = 0.0


class Interrupted(Exception):
    """Ctrl-C during a run; ``results`` holds what finished (``None`` for the rest)."""

    def __init__(self, results: list):
        super().__init__("interrupted")
        self.results = results


def _task_worker(fn: Callable[[Any], Any], items: list, memory_limit: int | None, conn) -> None:
    """Run each item in turn and send ``(status, value, detail)`` after each one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    def send_progress(value: Any) -> None:
        try:
            conn.send(("progress", value, ""))
        except Exception:  # noqa: BLE001 - progress is best effort; the answer still comes
            pass

    _PROGRESS.set(send_progress)
    for item in items:
        try:
            payload = ("ok", fn(item), "")
        except MemoryError:
            payload = ("error", None, "out of memory in the worker")
        except BaseException as exc:  # noqa: BLE001 - report, never hang the parent
            payload = ("error", None, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(payload)
        except MemoryError:
            conn.send(("error", None, "out of memory in the worker (sending the result)"))
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("error", None, f"the result could not be sent back: {exc}"))
    conn.close()
    os._exit(0)


@dataclass
class _Running:
    batch: list[int]  # task indices, in the order the worker runs them
    proc: mp.process.BaseProcess
    conn: Any
    started: float  # when the current task (batch[0]) started
    latest: Any = None  # the current task's last progress value

    @property
    def index(self) -> int:
        return self.batch[0]


def _died(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"worker died (signal {signal.Signals(-code).name})"
        except ValueError:
            pass
    return f"worker died (exit code {code})"


def run_tasks(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    jobs: int = 0,
    timeout: float = 60.0,
    memory_limit: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    batch: int = 64,
) -> list[Outcome]:
    """``fn(item)`` for every item in forked workers (``batch`` items each); outcomes in order.

    ``fn`` and the items reach the worker by fork (nothing is pickled on the way in); the
    values come back pickled.  ``timeout`` applies to each item.  Raises ``Interrupted``
    (with the outcomes so far) on Ctrl-C.
    """
    outcomes: list[Outcome | None] = [None] * len(items)
    jobs = jobs or os.cpu_count() or 1
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    ctx = mp.get_context("fork")
    running: list[_Running] = []
    queue = list(range(len(items) - 1, -1, -1))  # popped from the end: item order

    def start() -> None:
        # smaller batches towards the end keep both workers busy to the last item
        size = max(1, min(batch, len(queue) // (2 * jobs) or 1))
        indices = [queue.pop() for _ in range(min(size, len(queue)))]
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_task_worker,
                           args=(fn, [items[i] for i in indices], memory_limit, child),
                           daemon=True)
        # SIGINT is blocked across the fork: a Ctrl-C in that instant must reach the parent
        # (after the unblock), never a worker that has not yet set it to be ignored
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        child.close()
        running.append(_Running(indices, proc, parent, time.monotonic()))
        if on_start:
            on_start(indices[0])

    def record(r: _Running, status: str, value: Any, detail: str) -> None:
        """The current task of ``r`` ended; move on to its next one."""
        now = time.monotonic()
        i = r.batch.pop(0)
        out = Outcome(i, status, value, detail, now - r.started)
        outcomes[i] = out
        r.started = now
        r.latest = None
        if on_outcome:
            on_outcome(out)
        if r.batch and on_start:
            on_start(r.batch[0])

    def stop(r: _Running) -> None:
        """End a worker; tasks of its batch it never reached go back to the queue."""
        running.remove(r)
        _reap(r)
        queue.extend(reversed(r.batch))
        r.batch = []

    try:
        while queue or running:
            while queue and len(running) < jobs:
                start()
            deadline = min(r.started for r in running) + timeout
            pause = max(0.0, min(0.2, deadline - time.monotonic()))
            ready = wait([r.conn for r in running] + [r.proc.sentinel for r in running], pause)
            now = time.monotonic()
            for r in list(running):
                if r.conn in ready:
                    try:
                        while r.batch and r.conn.poll():
                            status, value, detail = r.conn.recv()
                            if status == "progress":
                                r.latest = value
                            else:
                                record(r, status, value, detail)
                    except (EOFError, OSError):
                        r.proc.join(1)
                        if r.batch:
                            record(r, "error", None, _died(r.proc.exitcode))
                        stop(r)
                        continue
                    if not r.batch:
                        stop(r)
                elif r.proc.sentinel in ready:
                    r.proc.join(1)
                    if r.batch:
                        record(r, "error", None, _died(r.proc.exitcode))
                    stop(r)
                elif now - r.started > timeout:
                    _kill(r)
                    record(r, "timeout", r.latest, f"no answer within {timeout:g} s")
                    stop(r)
    except KeyboardInterrupt:
        for r in running:
            _kill(r)
        for r in running:
            _reap(r)
        raise Interrupted(list(outcomes)) from None
    return [o for o in outcomes if o is not None]


def _kill(r: _Running) -> None:
    if r.proc.is_alive():
        r.proc.kill()
    r.proc.join(1)


def _reap(r: _Running) -> None:
    """Join the worker (no zombie) and close its end of the pipe."""
    r.proc.join(2)
    if r.proc.is_alive():
        _kill(r)
    try:
        r.conn.close()
    except OSError:
        pass

