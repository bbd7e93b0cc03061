"""A strategy's budget holds even where the code it runs swallows exceptions.

`sum(softmax(x)**2) <= 1` ran for more than 9 minutes at a 30 s timeout: the one signal
that ends a strategy's budget was raised inside an exact-zero test and caught there (an
`except Exception`), and the watcher never signalled again (the number that made the
exact-zero test slow: tests/engine/test_exact_zero_long_rationals_round17.py)."""

from __future__ import annotations

from verifier.strategies.timing import StrategyTimeout, clock, time_limit


def _spin(seconds: float) -> None:
    end = clock() + seconds
    while clock() < end:
        pass


def test_a_swallowed_timeout_is_raised_again() -> None:
    iterations = 0
    try:
        with time_limit(0.2):
            while iterations < 300:  # 3 CPU seconds if never interrupted
                iterations += 1
                try:
                    _spin(0.01)
                except Exception:  # noqa: BLE001 - the code under a budget that swallows
                    pass
    except StrategyTimeout:
        pass
    assert iterations < 300, "the budget of 0.2 s did not end a loop that catches Exception"


def test_a_timeout_caught_as_base_exception_is_raised_again() -> None:
    caught = iterations = 0
    try:
        with time_limit(0.2):
            try:
                _spin(1.0)
            except BaseException:  # noqa: BLE001 - takes the first signal, not the budget
                caught += 1
            while iterations < 300:
                iterations += 1
                _spin(0.01)
    except StrategyTimeout:
        pass
    assert caught >= 1 and iterations < 300


def test_the_limit_is_gone_after_the_block() -> None:
    try:
        with time_limit(0.05):
            _spin(1.0)
    except StrategyTimeout:
        pass
    _spin(0.6)  # two re-signal periods: no stray signal reaches code after the block
