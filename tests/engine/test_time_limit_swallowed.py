"""A strategy's budget holds even where the code it runs swallows exceptions.

`sum(softmax(x)**2) <= 1` ran for more than 9 minutes at a 30 s timeout: the one signal
that ends a strategy's budget was raised inside an exact-zero test and caught there (an
`except Exception`), and the watcher never signalled again."""

from __future__ import annotations

import sympy as sp

from verifier.certify import sign
from verifier.strategies.timing import StrategyTimeout, clock, time_limit


def _spin(seconds: float) -> None:
    end = clock() + seconds
    while clock() < end:
        pass


def test_a_swallowed_timeout_is_raised_again() -> None:
    iterations = 0
    try:
        with time_limit(0.2):
            for iterations in range(1, 301):  # 3 CPU seconds if never interrupted
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
            for iterations in range(1, 301):
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


def test_a_tiny_nonzero_number_with_long_rationals_is_not_simplified_for_ever() -> None:
    # Σ softmax(x)² − 1 at x = (−5/2, −7/3, 3712.8…), ≈ −10⁻¹⁶¹³: below every enclosure's
    # precision; SymPy's simplify of it (e^(−5/2), e^(−7/3) and e^(p/q) with a 50-digit q,
    # powers of one e^(1/r) to its cancel) never returned
    a = sp.Rational(1856419598689243947829489431863849543876147304605484627, 5 * 10**50)
    total = sp.exp(sp.Rational(-5, 2)) + sp.exp(sp.Rational(-7, 3)) + sp.exp(a)
    d = -1 + (sp.exp(-5) + sp.exp(sp.Rational(-14, 3)) + sp.exp(2 * a)) / total**2
    with time_limit(20):
        assert sign(d) is None  # not decided; never 0 (it is not)
