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
import threading
import time

__all__ = ["SIGNAL", "StrategyTimeout", "clock", "time_limit"]

clock = time.thread_time  # the calling thread's CPU time; budgets are read in the main thread
SIGNAL = signal.SIGPROF  # sent by the watcher to the main thread at the end of a budget
_POLL = 0.02  # seconds between the watcher's looks at the thread's clock (its overshoot)


class StrategyTimeout(Exception):
    """A strategy used up its share of the claim's time."""


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
                signal.pthread_kill(main, SIGNAL)
                return

    def _alarm(signum, frame):
        if not done.is_set():
            raise StrategyTimeout()

    old = signal.signal(SIGNAL, _alarm)
    watcher = threading.Thread(target=watch, name="time_limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        signal.signal(SIGNAL, old)
