"""Time limits for strategies: SIGALRM-based, main thread only."""

from __future__ import annotations

import contextlib
import signal
import threading

__all__ = ["StrategyTimeout", "time_limit"]


class StrategyTimeout(Exception):
    """A strategy used up its share of the claim's time."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise StrategyTimeout after ``seconds`` (main thread only; elsewhere no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _alarm(signum, frame):
        raise StrategyTimeout()

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
