"""Round 18 (adversarial claims against the monotonicity rule and its neighbours).

A constant that SymPy evaluates to oo at 15 digits (atanh(1 − 10⁻³⁰), the peeled switch of
tanh(x) < 1 − 10⁻³⁰) made refute_special raise "Cannot convert complex to int" while it
rounded the constant for its candidate points: the false claim got the verdict "error"
(seen before the fix in quick.py's _rational_near; after it, refuted at x = 37)."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from verifier import verify
from verifier.claimfile import one_liner
from verifier.strategies.quick import _rational_near

ONE_MINUS_TINY = 1 - sp.Rational(1, 10**30)


def test_a_constant_sympy_rounds_to_infinity_is_rounded_from_more_digits():
    # = log(2·10³⁰ − 1)/2 = 34.885…; SymPy's own 40 digits of it are 12 good ones: the point
    # is a candidate, whose claim is decided exactly afterwards
    r = _rational_near(sp.atanh(ONE_MINUS_TINY))
    assert r.is_Rational
    with mpmath.workdps(80):
        exact = mpmath.atanh(1 - mpmath.mpf(10) ** -30)
        assert abs(mpmath.mpf(r.p) / r.q - exact) < mpmath.mpf(10) ** -10
    assert _rational_near(sp.Integer(0)) == 0  # N keeps 0 an Integer


def test_tanh_below_one_minus_a_tiny_gap_is_refuted():
    v = verify("(tanh(x) < 1 - 10**(-30))", "1", symbols="x: scalar", expect="fails",
               timeout=10).verdict
    assert v.status in ("refuted", "conditional"), v
    x = Fraction(v.counterexample.values["x"])
    with mpmath.workdps(120):  # the claim really fails there: 1 − tanh x ≤ 10⁻³⁰
        assert 1 - mpmath.tanh(mpmath.mpf(x.numerator) / x.denominator) <= mpmath.mpf(10) ** -30


def test_the_look_for_a_failing_point_keeps_to_the_assumptions():
    """fails_somewhere skips certificates that cannot exist; a point outside a variable's
    assumptions would skip a true one (k² ≥ k at integers fails at k = 1/2; t > 0 at t = 0)."""
    from verifier.strategies.failing_point import fails_somewhere

    t, x = sp.Dummy("t", positive=True), sp.Symbol("x", real=True)
    k = sp.Symbol("k", integer=True, positive=True)
    assert not fails_somewhere(t, True) and not fails_somewhere(k**2 - k, False)
    assert fails_somewhere(k**2 - k, True)  # k = 1
    assert fails_somewhere(-sp.tanh(x) ** 2, True) and fails_somewhere(sp.tanh(x) ** 2, True)
    assert not fails_somewhere(sp.tanh(x) ** 2, False)
    assert fails_somewhere(sp.log(x) - 1, False)  # x = 1: −1 (x ≤ 0: no value, skipped)
    assert not fails_somewhere(sp.sqrt(x) + 1, False)  # x < 0: complex, says nothing


@pytest.mark.parametrize("assume,text,kind,shown", [
    ("0 < p < 1 elementwise", "1 - p", "positive", True),  # seen "not assumed" before
    ("p in (0, 1)", "1 - p", "positive", True),
    ("p in (0, 1)", "2 - 3 * p", "positive", False),  # 2 − 3p reaches −1
    ("p in (0, 2)", "1 - p", "nonzero", False),  # p = 1
    ("p in (0, 1)", "2*p - 2", "nonzero", True),  # in (−2, 0)
    ("p positive", "1 - p", "positive", False),
    ("p positive", "1 + p", "positive", True),
    ("p nonnegative", "1 - sigmoid(p)", "positive", False),  # not affine: not this rule's
])
def test_a_vector_in_an_interval_discharges_its_affine_requirements(assume, text, kind, shown):
    """A vector (or scalar) assumed in (0, 1) makes 1 − p positive entry by entry: the
    requirement of log(1 − p) was "not assumed" for a vector (scalars did discharge it)."""
    from verifier.definedness import _assumed_by

    claim = one_liner("sum(log(1 - p))", "sum(log(1 - p))", "p: vector(n)", [assume])
    assert bool(_assumed_by(claim, kind, text)) is shown
