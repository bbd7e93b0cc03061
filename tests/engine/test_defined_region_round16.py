"""prove_where_defined, round 16: a requirement turned into a sign must be necessary.

x^(2k−2) > 0 says x ≠ 0 only where the exponent is not 0: at k = 1 the power is 1 for every
x, x = 0 included, so log(x^(2k−2)) is defined at x = 0 and a claim that differs only there
(|sign x| against 1) is false (x = 0, k = 1: 0 against 1). Before the fix it was proved where
defined with x ≠ 0."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"x": "scalar", "k": "integer"}

FALSE_AT_A_ZERO_EXPONENT = [
    "log(x**(2*k-2)) + abs(sign(x)) = log(x**(2*k-2)) + 1",
    "log(x**(2*k-2)) + sign(x)**2 = log(x**(2*k-2)) + 1",
]


@pytest.mark.parametrize("claim", FALSE_AT_A_ZERO_EXPONENT)
def test_an_even_power_that_may_be_one_gives_no_sign(claim: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, timeout=30).verdict
    assert verdict.status in ("refuted", "conditional"), verdict
    assert verdict.counterexample is not None
    assert verdict.counterexample.values == {"x": "0", "k": "1"}, verdict.counterexample


@pytest.mark.parametrize("claim", [
    "log(x**(2*k)) = 2*k*log(abs(x))",  # k ≥ 1: the exponent is never 0
    "log(x**4) = 4*log(abs(x))",
    "log(x**(-2)) = -2*log(abs(x))",
])
def test_an_even_power_that_is_never_one_still_says_nonzero(claim: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_where_defined"), verdict


# Conditions on a linear function of one symbol bound it (1 − p > 0: p < 1; −x ≥ 0: x ≤ 0):
# these held wherever defined but were only checked by sampling (round 15's open item
# log(p/(1 − p)) = log p − log(1 − p) among them)
PROVED_ON_AN_INTERVAL = [
    ("log(p/(1-p)) = log(p) - log(1-p)", "p in (0, 1)"),
    ("log(1 - p) + log(p) = log(p - p**2)", "p in (0, 1)"),
    ("log(p/(1-p)) + sign(1 - p) = log(p) - log(1-p) + 1", "p in (0, 1)"),
    ("log(-x) + sign(x) = log(abs(x)) - 1", "x in (-oo, 0)"),
    ("sqrt(-x)**2 = abs(x)", "x in (-oo, 0]"),
    ("log(x - 1) + sign(x) = log(x - 1) + 1", "x in (1, oo)"),
    ("sqrt(3 - 2*x) * sqrt(2*x + 1) = sqrt(3 + 4*x - 4*x**2)", "x in [-1/2, 3/2]"),
]


@pytest.mark.parametrize(("claim", "interval"), PROVED_ON_AN_INTERVAL)
def test_proved_on_the_interval_definedness_requires(claim: str, interval: str) -> None:
    verdict = verify(claim, symbols={"x": "scalar", "p": "scalar"}, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_where_defined"), verdict
    assert interval in verdict.detail, verdict.detail


# false only at a closed end of the interval, or on it everywhere: never proved
FALSE_ON_THE_INTERVAL = [
    "sqrt(x) * sqrt(1 - x) + (x > 0) = sqrt(x - x**2) + 1",  # x = 0
    "sqrt(x) * sqrt(1 - x) + (x < 1) = sqrt(x - x**2) + 1",  # x = 1
    "sqrt(3 - 2*x) * sqrt(2*x + 1) + (x < 3/2) = sqrt(3 + 4*x - 4*x**2) + 1",  # x = 3/2
    "log(1 - x) + sign(x) = log(1 - x) + 1",  # x = 0, inside (−∞, 1)
    "log(-x) + sign(x) = log(abs(x)) + 1",  # everywhere on (−∞, 0)
    "sqrt(x - 1) + sqrt(1 - x) + sign(x) = 0",  # defined at x = 1 alone: 1 against 0
]


@pytest.mark.parametrize("claim", FALSE_ON_THE_INTERVAL)
def test_false_on_the_interval_is_refuted(claim: str) -> None:
    verdict = verify(claim, symbols={"x": "scalar"}, timeout=30).verdict
    assert verdict.status in ("refuted", "conditional"), verdict


def test_a_closed_end_is_substituted_besides_the_open_interval() -> None:
    """x in [0, 1] is covered by lo + (hi − lo)·u/(1 + u), u > 0, and by 0 and 1 themselves:
    a residual 0 inside but not at an end is not proved."""
    import sympy as sp

    from verifier.strategies.defined_region import _cover, _End, _Interval

    x = sp.Symbol("x", real=True)
    cover = _cover(x, _Interval(_End(sp.Integer(0), False), _End(sp.Integer(1), False),
                                frozenset()))
    assert cover is not None and 0 in cover and 1 in cover and len(cover) == 3
    assert _cover(x, _Interval(_End(sp.Integer(1), True), _End(sp.Integer(1), False),
                               frozenset())) is None  # (1, 1]: empty
    assert _cover(x, _Interval(_End(sp.Integer(1), False), _End(sp.Integer(1), False),
                               frozenset())) == [1]


# the drawn points can miss a narrow region; a point inside the intervals shows the claim is
# defined somewhere (these were undecided: "no point was found where both sides are defined")
@pytest.mark.parametrize("claim", [
    "log(p/(1-p)) + sign(p) = log(p) - log(1-p) + 1",  # p in (0, 1)
    "sqrt(x - 1) + sqrt(1 - x) + sign(x) = 1",  # defined at x = 1 alone
    "sqrt(x - 1/2) + sqrt(1/2 - x) + x = 1/2",  # at x = 1/2 alone
])
def test_a_point_inside_the_intervals_witnesses_definedness(claim: str) -> None:
    symbols = {"p": "scalar"} if "p" in claim else {"x": "scalar"}
    verdict = verify(claim, symbols=symbols, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_where_defined"), verdict


@pytest.mark.parametrize("claim", [
    "sqrt(x - 1/2) + sqrt(1/2 - x) + x = 1/3",
    "log(x - 1) + log(-x) = 0",  # defined nowhere: never proved
])
def test_single_point_or_empty_regions_are_not_proved(claim: str) -> None:
    verdict = verify(claim, symbols={"x": "scalar"}, timeout=30).verdict
    assert verdict.status in ("refuted", "undecided"), verdict


# one excluded point c ≠ 0 and no bound: s = c + u for a real u ≠ 0 (these were checked only)
@pytest.mark.parametrize("claim", [
    "1/(x - 1) + sign(x - 1)**2 = 1/(x - 1) + 1",
    "log(abs(x - 1)) + sign(x - 1)**2 = log(abs(x - 1)) + 1",
    "log(x*x - 2*x + 1) + sign(x - 1)**2 = log((x - 1)**2) + 1",
])
def test_one_excluded_point_off_zero(claim: str) -> None:
    verdict = verify(claim, symbols={"x": "scalar"}, timeout=30).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_where_defined"), verdict


@pytest.mark.parametrize("claim", [
    "1/(x - 1) + sign(x)**2 = 1/(x - 1) + 1",  # x = 0
    "log(abs(x - 1)) + sign(x)**2 = log(abs(x - 1)) + 1",  # x = 0
])
def test_a_difference_away_from_the_excluded_point_is_refuted(claim: str) -> None:
    verdict = verify(claim, symbols={"x": "scalar"}, timeout=30).verdict
    assert verdict.status in ("refuted", "conditional"), verdict
    assert verdict.counterexample is not None and verdict.counterexample.values == {"x": "0"}
