"""Spellings of round 6's realistic claims: formulas pasted from typeset notes (PDF) carry the
minus sign U+2212 and π; both have one meaning in the language and are read as - and pi."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.language.errors import ClaimInputError


@pytest.mark.parametrize("lhs,rhs", [
    ("exp(−s) * exp(s)", "1"),  # U+2212
    ("sin(π − s)", "sin(s)"),
    ("grad(−log(sigmoid(s)), s)", "sigmoid(s) − 1"),
])
def test_typeset_minus_and_pi_are_read(lhs, rhs):
    assert verify(lhs, rhs, symbols="s: scalar").verdict.status in ("proved", "proved-at-sizes")


def test_a_typeset_minus_in_a_false_claim_is_refuted():
    # sin(π − s) = −sin(s) is the mistake (sin is symmetric about π/2, not odd about π/2)
    r = verify("sin(π − s)", "−sin(s)", symbols="s: scalar", expect="fails")
    assert r.verdict.status == "refuted"


def test_an_error_after_a_typeset_minus_points_at_the_users_column():
    with pytest.raises(ClaimInputError) as info:
        verify("s − t $", "s", symbols="s: scalar, t: scalar")
    assert info.value.column == 7  # the $, counted in the user's text


def test_a_run_of_typeset_minus_signs_is_bounded():
    with pytest.raises(ClaimInputError) as info:
        verify("s " + "−" * 80 + " s", "s", symbols="s: scalar")
    assert "signs in a row" in str(info.value)
