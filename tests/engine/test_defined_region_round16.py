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
