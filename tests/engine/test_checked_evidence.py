"""``checked`` rests on agreement at points; two ways that agreement said nothing:

- a difference below the 1e-30 agreement bound: x/(x + e^-1000) = 1 differs by 10^-434
  at every x > 0, and was "checked"; the points behind a ``checked`` verdict are now
  confirmed at the highest precision, where that difference is certified (refuted);
- a comparison that switches only at irrational values: (x² ≥ 3) = (x² > 3) differs at
  ±√3 alone, which no rational point reaches, and was "checked"; now undecided.
"""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.audit import audit
from verifier.certify import compare
from verifier.claimfile import one_liner
from verifier.engine import Options, decide


def _verdict(lhs: str, rhs: str, symbols: str, *assume: str):
    claim = one_liner(lhs, rhs, symbols, list(assume))
    v = decide(claim, Options(timeout=60, conditions=True)).verdict
    if v.counterexample is not None and v.counterexample.values:
        assert audit(claim, v.counterexample).differs, v
    return v


def test_deep_comparison_certifies_a_tiny_difference():
    x = sp.Rational(5, 3)
    lhs, rhs = x / (x + sp.exp(-1000)), sp.Integer(1)
    assert compare(lhs, rhs).status == "agree"  # to 1e-30, as before
    assert compare(lhs, rhs, deep=True).status == "differ"
    assert compare(sp.exp(sp.Rational(1, 3)) ** 3, sp.E, deep=True).status == "agree"


@pytest.mark.parametrize("lhs, rhs, symbols, assume", [
    ("x / (x + exp(-1000))", "1", "x: scalar", ["x positive"]),
    ("sigmoid(1000 + x ** 2)", "1", "x: scalar", []),
    ("softmax(x)[0] + exp(-3000)", "softmax(x)[0]", "x: vector(n)", []),
    # 1 − σ(t) at t ≥ 10^6 is below any precision as a subtraction; over one denominator
    # it is e^(−t)/(1 + e^(−t)), certified
    ("sigmoid(10 ** 6 * (1 + x ** 2))", "1", "x: scalar", []),
])
def test_a_difference_below_the_agreement_bound_refutes(lhs, rhs, symbols, assume):
    assert _verdict(lhs, rhs, symbols, *assume).status == "refuted"


@pytest.mark.parametrize("lhs, rhs, symbols", [
    ("(x * x >= 3)", "(x * x > 3)", "x: scalar"),
    ("(x*x > 2) + (x*x < 2)", "1", "x: scalar"),
    ("(x ** 3 >= 2) * x", "(x ** 3 > 2) * x", "x: scalar"),
    ("(x * x + y * y >= 3)", "(x * x + y * y > 3)", "x: scalar, y: scalar"),
    ("(x >= pi) * 1", "(x > pi)", "x: scalar"),  # a constant puts the switch at π
    ("(x ** 3 >= exp(1)) * 1", "(x ** 3 > exp(1))", "x: scalar"),
])
def test_a_switch_at_irrational_points_only_is_not_checked(lhs, rhs, symbols):
    v = _verdict(lhs, rhs, symbols)
    assert v.status not in ("proved", "proved-at-sizes", "checked"), v


def test_true_claims_keep_their_evidence():
    v = _verdict("log(exp(x) + exp(y))", "x + log(1 + exp(y - x))", "x: scalar, y: scalar")
    assert v.status in ("proved", "checked"), v
    v = _verdict("(t * t >= 2)", "(t * t > 2)", "t: integer")  # integers: no √2 to miss
    assert v.status in ("proved", "proved-at-sizes", "checked"), v
    assert _verdict("(x.T @ x >= 2)", "(x.T @ x > 2)", "x: vector(n)").status == "refuted"
    assert _verdict("(x * pi >= pi) * 1", "(x > 1)", "x: scalar").status == "refuted"
    assert _verdict("grad(relu(x - pi), x)", "(x > pi)", "x: scalar").status == "proved"


@pytest.mark.parametrize("lhs, rhs, symbols", [
    ("(x ** 3 >= 27/8)", "(x ** 3 > 27/8)", "x: scalar"),  # only at x = 3/2
    ("(t ** 3 >= 1000000)", "(t ** 3 > 1000000)", "t: integer"),  # only at t = 100
])
def test_a_rational_switch_of_a_cubic_is_tried(lhs, rhs, symbols):
    # the special points solved kinks of degree ≤ 2 only: both were "checked"
    assert _verdict(lhs, rhs, symbols).status == "refuted"


def test_a_tiny_certified_difference_is_shown_with_its_sign():
    # evalf alone printed such a difference as "0.e-155", or as noise with the wrong sign
    v = _verdict("x / (x + exp(-1000))", "1", "x: scalar", "x positive")
    assert v.counterexample.difference.startswith("-") and "e-43" in v.counterexample.difference
    v = _verdict("sigmoid(10 ** 6 * (1 + x ** 2))", "1", "x: scalar")
    assert v.counterexample.difference.startswith("-")
