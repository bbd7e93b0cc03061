"""exp(k·log q) at a point stays exp when k is long: SymPy evaluates it to the integer q**k in
one C call that no time limit interrupts (a point of x ** (1/a) with a = 10⁻⁹ hung a claim
for minutes past its 20 s budget)."""

from __future__ import annotations

import sympy as sp

from verifier import ops
from verifier.api import verify


def test_a_long_power_of_a_log_is_not_evaluated():
    value = ops.exp(sp.Integer(10**6) * sp.log(3))  # 3**(10**6) evaluated before the guard
    assert isinstance(value, sp.exp)
    assert abs(sp.N(sp.log(value) / sp.log(3), 30) - 10**6) < 1e-20  # the same number


def test_a_short_one_still_is():
    assert ops.exp(2 * sp.log(3)) == 9
    assert ops.exp(sp.Rational(1, 2) * sp.log(4)) == 2


def test_a_claim_through_such_points_is_refuted_with_an_exact_counterexample():
    v = verify("exp(log(x) / a)", "x", symbols={"x": "scalar", "a": "scalar"},
               assume=["x > 0"], timeout=10).verdict
    assert v.status in ("refuted", "conditional") and v.counterexample is not None
