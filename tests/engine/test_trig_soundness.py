"""Soundness with sin and cos (round 6): two engine faults the claim language's new
functions exposed.  Put in tests/engine/.

1. zero.py: rewriting sin, cos in exponentials put I into a comparison; simplify then folded
   1[sin x > −0.99] − 1 to 0 ("proved"; false at x = −π/2), and max(cos x, −0.99) = cos x,
   (sin x ≥ 0)(sin x ≤ 0) = 0 (false at x = 0) likewise.
2. certify.py: an enclosure's ends were read as mpf at mpmath's working precision (53 bits):
   ``_meet`` narrowed a 128-bit enclosure to a point 1e-16 off the value, and the deep
   comparison "certified" tanh 2 ≠ (e⁴ − 1)/(e⁴ + 1), atan 2 + atan ½ ≠ π/2, sin 2 ≠
   2 sin 1 cos 1; atan x + atan(1/x) = π/2 for x > 0 was refuted by check_numeric.
"""

from __future__ import annotations

import pytest
import sympy as sp

from verifier import verify
from verifier.certify import compare


@pytest.mark.parametrize("lhs,rhs", [
    ("(sin(x) > -0.99)", "1"),  # sin(−π/2) = −1
    ("(sin(x) >= 0) * (sin(x) <= 0)", "0"),  # 1 at x = 0
    ("max(cos(x), -0.99)", "cos(x)"),  # cos π = −1
])
def test_a_periodic_comparison_is_never_proved_false(lhs, rhs):
    status = verify(lhs, rhs, symbols="x: scalar", expect="fails").verdict.status
    assert status not in ("proved", "proved-at-sizes")


@pytest.mark.parametrize("a,b", [
    (sp.tanh(sp.Integer(2)), (sp.exp(4) - 1) / (sp.exp(4) + 1)),
    (sp.atan(2) + sp.atan(sp.Rational(1, 2)), sp.pi / 2),
    (sp.sin(sp.Integer(2)), 2 * sp.sin(1) * sp.cos(1)),
    (sp.sin(sp.Integer(1)) ** 2, 1 - sp.cos(1) ** 2),
])
def test_equal_numbers_agree_in_the_deep_comparison(a, b):
    assert compare(a, b, deep=True).status == "agree"


def test_a_tiny_true_difference_is_still_certified():
    # log(1 + e^-1000) − log 1 = e^-1000 (to first order): the mean-value pairing keeps it
    assert compare(sp.log(1 + sp.exp(-1000)), sp.Integer(0), deep=True).status == "differ"


def test_atan_reciprocal_identity_is_not_refuted():
    r = verify("atan(x) + atan(1 / x)", "pi / 2", symbols="x: scalar", assume=["x > 0"])
    assert r.verdict.status not in ("refuted", "conditional")
