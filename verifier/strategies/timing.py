"""Time limits for strategies, counted in the process's CPU time (main thread only).

A claim's phases and its strategies' budgets are CPU seconds (``clock``, ``time_limit``), so a
verdict does not depend on how busy the machine is: on the wall clock a strategy that proves
a claim in 3 s on a quiet machine ran out of its time at a load of 6 and the claim ended
"undecided" or "checked" instead.  The wall clock still bounds a claim as a whole: the worker
that decides it is ended at ``--timeout`` (``verifier.pool``), and a call that waits without
computing is ended there too.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time

__all__ = ["SIGNAL", "StrategyTimeout", "clock", "time_limit"]

# the process's CPU time, user and system, of all its threads (ITIMER_PROF counts the same)
clock = time.process_time
SIGNAL = signal.SIGPROF


class StrategyTimeout(Exception):
    """A strategy used up its share of the claim's time."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise StrategyTimeout after ``seconds`` of CPU time (main thread only; elsewhere no
    limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _alarm(signum, frame):
        raise StrategyTimeout()

    old = signal.signal(SIGNAL, _alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(SIGNAL, old)
