"""A real power's base positive by its form at every point the assumptions allow (parser's
_positive_form): a sum or mean of positives, a positive part plus a nonnegative one (a norm,
an even power), c − x for x in an interval below c, log x for x in an interval above 1. Each is
read as exp(a·log(base)); a base that can reach 0 or below stays refused."""

from __future__ import annotations

import pytest

from verifier.api import verify
from verifier.language import ClaimInputError

SYMBOLS = {"x": "vector(n)", "p": "scalar", "a": "scalar", "y": "scalar", "s": "scalar",
           "t": "scalar"}


@pytest.mark.parametrize(("lhs", "rhs", "assume"), [
    ("mean(x ** p) ** (1 / p)", "exp(log(mean(x ** p)) / p)", ["x > 0", "p > 0"]),
    ("(sum(x ** 2) + 1) ** a", "exp(a * log(sum(x ** 2) + 1))", []),
    ("(norm(x) ** 2 + 1) ** a", "exp(a * log(norm(x) ** 2 + 1))", []),
    ("s ** a * (1 - s) ** y", "exp(a * log(s) + y * log(1 - s))", ["s in (0, 1)"]),
    ("log(s) ** a", "exp(a * log(log(s)))", ["s in (2, 5)"]),
    ("(1 - x) ** a", "exp(a * log(1 - x))", ["x in (0, 1)"]),
    ("(1 + s) ** a", "exp(a * log(1 + s))", ["s nonnegative"]),  # positive plus nonnegative
    ("(1 + x) ** a", "exp(a * log(1 + x))", ["x >= 0"]),
    ("(exp(s) + 1) ** a", "exp(a * log(exp(s) + 1))", []),
])
def test_a_power_of_a_positive_base_is_read(lhs: str, rhs: str, assume: list[str]) -> None:
    assert verify(lhs, rhs, symbols=SYMBOLS, assume=assume, timeout=10).verdict.status == "proved"


@pytest.mark.parametrize(("lhs", "assume"), [
    ("(1 - s) ** a", ["s in (0, 1]"]),  # 1 − s = 0 at s = 1
    ("log(s) ** a", ["s in (1/2, 5)"]),  # log s < 0 below 1
    ("(t - s) ** a", ["s in (0, 1)"]),  # t of any sign
    ("(norm(x) ** 2) ** a", []),  # 0 at x = 0
    ("(sum(x) + 1) ** a", []),  # sum(x) of any sign
    ("(s ** 3 + 1) ** a", []),  # an odd power
    ("(s + 0) ** a", ["s nonnegative"]),  # 0 at s = 0
    ("(1 + s) ** a", []),
])
def test_a_base_that_may_not_be_positive_stays_refused(lhs: str, assume: list[str]) -> None:
    with pytest.raises(ClaimInputError, match="exponent"):
        verify(lhs, "1", symbols=SYMBOLS, assume=assume, timeout=10)
