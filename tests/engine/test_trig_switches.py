"""Indicators of sin, cos, atan and erf that switch at an irrational point (round 6 language
helper's finding): 1[sin x ≥ ½] and 1[sin x > ½] differ at π/6 alone, which no rational point
reaches, so sampling can never see the difference.  Before sin, cos, atan and erf counted as
transcendental in quick.irrational_switch such claims were "checked", though false; now they
are undecided, as the tanh analogue is.  True claims whose switches are solved through an
inverse (erf, atan) stay decided."""

from __future__ import annotations

import pytest

from verifier import verify

FALSE_AT_ONE_IRRATIONAL_POINT = [
    ("(sin(x) >= 0.5)", "(sin(x) > 0.5)"),
    ("(cos(x) <= 0.5)", "(cos(x) < 0.5)"),
    ("(atan(x) >= 1)", "(atan(x) > 1)"),
    ("(erf(x) >= 0.5)", "(erf(x) > 0.5)"),
]


@pytest.mark.parametrize("lhs,rhs", FALSE_AT_ONE_IRRATIONAL_POINT)
def test_a_switch_at_an_irrational_point_is_never_checked(lhs, rhs):
    verdict = verify(lhs, rhs, symbols="x: scalar", expect="fails").verdict
    assert verdict.status not in ("proved", "proved-at-sizes", "checked"), verdict


@pytest.mark.parametrize("lhs,rhs", [
    ("erf(abs(x))", "abs(erf(x))"),
    ("(atan(x) > 0)", "(x > 0)"),
])
def test_true_claims_through_an_inverse_are_not_refuted(lhs, rhs):
    verdict = verify(lhs, rhs, symbols="x: scalar").verdict
    assert verdict.status not in ("refuted", "conditional", "error"), verdict
