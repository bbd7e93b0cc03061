"""Time limits for strategies, counted in the CPU time of the thread that decides (the main
thread only).

A claim's phases and its strategies' budgets are CPU seconds of that thread (``clock``,
``time_limit``), so a verdict does not depend on how busy the machine is: on the wall clock a
strategy that proves a claim in 3 s on a quiet machine ran out of its time at a load of 6 and
the claim ended "undecided" or "checked" instead.  The process's CPU time would not do either:
OpenBLAS and numba threads spin after a product (process time ran 1.5 times the thread's), and
a claim decided after the gradient tests was "checked" where it is refuted.  The wall clock
still bounds a claim as a whole: the worker that decides it is ended at ``--timeout``
(``verifier.pool``), and a call that waits without computing is ended there too.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time

__all__ = ["SIGNAL", "Allowance", "StrategyTimeout", "clock", "time_limit"]

clock = time.thread_time  # the calling thread's CPU time; budgets are read in the main thread
SIGNAL = signal.SIGPROF  # sent by the watcher to the main thread at the end of a budget
_POLL = 0.02  # seconds between the watcher's looks at the thread's clock (its overshoot)
_AGAIN = 0.25  # seconds between signals once the budget is spent, until the block is left


class StrategyTimeout(BaseException):
    """A strategy used up its share of the claim's time.  Not an ``Exception``: a strategy's
    ``except Exception`` (a candidate that fails is skipped) and SymPy's own would swallow it,
    and the strategy ran on without a limit (sum(softmax(x)**2) <= 1 ran > 9 min at a 30 s
    timeout, its signal caught inside an exact-zero test)."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise StrategyTimeout after ``seconds`` of the main thread's CPU time (in the main
    thread only; elsewhere no limit).  A watcher thread reads that thread's CPU clock and
    signals it when the budget is spent."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    main = threading.get_ident()
    cpu = time.pthread_getcpuclockid(main)
    end = time.clock_gettime(cpu) + seconds
    done = threading.Event()

    def watch() -> None:
        while not done.wait(_POLL):
            if time.clock_gettime(cpu) >= end:
                break
        # again and again until the block is left: a handler that catches BaseException
        # (or code that retries after it) would otherwise have taken the only signal
        while not done.is_set():
            signal.pthread_kill(main, SIGNAL)
            done.wait(_AGAIN)

    here = sys._getframe()  # this block's own frame: leaving it is never interrupted

    def _alarm(signum, frame):
        if not done.is_set() and frame is not here:
            raise StrategyTimeout()

    old = signal.signal(SIGNAL, _alarm)
    watcher = threading.Thread(target=watch, name="time_limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        while True:  # a signal inside set() or join() must not leave the watcher running
            try:
                done.set()
                watcher.join()
                break
            except StrategyTimeout:
                continue
        signal.signal(SIGNAL, old)


class Allowance:
    """A search's allowance: so many steps, with CPU seconds only as a backstop.  A thread's
    CPU seconds stretch on a busy machine too (its cores and caches shared): 0.5 s solved 96
    joint zeros on a quiet machine and fewer in CI, where a symmetric idempotent, the 74th,
    was missed and a false claim "checked".  Counted in steps, a busy machine gets the same
    points as a quiet one unless the steps are unusually slow."""

    def __init__(self, steps: int, seconds: float = float("inf"), *,
                 until: float = float("inf")) -> None:
        """``steps`` to take before ``seconds`` of CPU time from now, and before the CPU
        time ``until`` (a backstop shared with other allowances)."""
        self.left = steps
        self.end = min(clock() + seconds, until)

    @property
    def spent(self) -> bool:
        return self.left <= 0 or clock() > self.end

    def take(self) -> bool:
        """Count one step; False (and nothing counted) once the allowance is spent."""
        if self.spent:
            return False
        self.left -= 1
        return True
