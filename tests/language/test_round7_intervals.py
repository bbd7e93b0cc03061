"""Interval assumptions as notes write them: ends that are ratios (0 <= p <= 1/2), π
(0 < t < π/2), dimensions or symbols (0 <= p <= 1/n, a < x < b), and half-lines (t > 1,
1 < t).  A ratio whose decimal terminates is that decimal, exactly; the rest is refused with
a reparametrisation that has the same values exactly (never a rounded end)."""

from __future__ import annotations

import pytest

from verifier.claim import ClaimError, parse_assumption
from verifier.language.phrases import plain_assumption


@pytest.mark.parametrize("written,phrase", [
    ("0 <= p <= 1/2", "p in [0, 0.5]"),
    ("-3/4 < r < 5/8", "r in (-0.75, 0.625)"),
    ("p in (0, 1/20]", "p in (0, 0.05]"),
    ("0 < p < 4 / 2", "p in (0, 2)"),
    # a decimal over an integer (was a ValueError from Fraction('1e-3/2'))
    ("0 < p < 1e-3/2", "p in (0, 0.0005)"),
    ("p in (0, 2.5/5]", "p in (0, 0.5]"),
])
def test_a_ratio_with_a_terminating_decimal_is_that_decimal(written, phrase):
    assert plain_assumption(written) == phrase


def test_a_ratio_end_is_never_rounded():
    # 1/3 has no decimal: passed on as the ratio, which parse_assumption reads exactly
    assert plain_assumption("0 <= p <= 1/3") == "p in [0, 1/3]"
    assert plain_assumption("0 <= p <= 1.5/7") == "p in [0, 3/14]"  # in lowest terms
    assert plain_assumption("0 <= p <= 1e-30/2") == "p in [0, 5e-31]"


def test_an_empty_interval_with_a_ratio_end_is_called_empty():
    # was "an end written as a fraction is not read yet" once ratios were read
    with pytest.raises(ClaimError, match="empty interval"):
        parse_assumption(plain_assumption("1/2 < p < 1/3"))


@pytest.mark.parametrize("written,fragment", [
    ("0 < t < pi/2", 'assume "u in (0, 1)" and write t as pi/2 * u'),
    ("0 <= t <= π", 'assume "u in [0, 1]" and write t as pi * u'),
    ("-pi/2 < t < pi/2", "write t as -pi/2 + (pi/2 - (-pi/2)) * u"),
    ("0 <= p <= 1/n", "p = u / n"),
    ("a < x < b", 'assume "d positive" and "u in (0, 1)"'),
    ("x in (a, b]", '"u in (0, 1]"'),
    ("t > 1", 'assume "u positive" and write t as 1 + u'),
    ("1 < t", 'assume "u positive" and write t as 1 + u'),
    ("t <= 2", 'assume "u nonnegative" and write t as 2 - u'),
])
def test_an_end_that_is_not_a_number_gets_an_exact_reparametrisation(written, fragment):
    with pytest.raises(ClaimError) as info:
        plain_assumption(written)
    assert fragment in str(info.value)


def test_an_end_divided_by_zero_is_a_claim_error():
    # was a ZeroDivisionError from Fraction(1, 0), a traceback at the command line
    with pytest.raises(ClaimError, match="divides by 0"):
        plain_assumption("0 < p < 1/0")
