"""Taylor bounds of sin, cos, cosh and exp proved by monotonicity (round 20).

Two gaps, each filled with a sound step:
- a unit-bounded term: c + Σ cᵢ·fᵢ(u) + R ≥ 0 with fᵢ ∈ {sin, cos, tanh, erf} of a real u
  when c ≥ Σ|cᵢ| and R ≥ 0 (1 − cos t ≥ 0 had no rule, so t − sin t ≥ 0 had none);
- an anchor at 0 for the monotone rule when solveset leaves the zeros of e′ unsolved (x −
  sin x, sinh x − x, eˣ − 1 − x − x²/2: a ConditionSet) and e′(0) = 0 exactly; any anchor is
  sound (a wrong one only makes a piece unprovable).
cos x ≥ 1 − x²/2, cosh x ≥ 1 + x²/2, eˣ ≥ 1 + x + x²/2 + x³/6 (every real x: the remainder
e^ξx⁴/24 ≥ 0), sin u ≤ u and sin u ≥ u − u³/6 (u ≥ 0) were undecided; all are true (Taylor with
the remainder's sign). Their false neighbours stay unproved."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.strategies.nonnegative import certify

X = sp.Symbol("x", real=True)
U = sp.Symbol("u", nonnegative=True)


@pytest.mark.parametrize("gap", [
    sp.cos(X) - 1 + X**2 / 2,
    sp.cosh(X) - 1 - X**2 / 2,
    sp.exp(X) - 1 - X - X**2 / 2 - X**3 / 6,
    U - sp.sin(U),
    sp.sin(U) - U + U**3 / 6,
    1 - sp.cos(X),
    3 + sp.sin(X) - 2 * sp.cos(X),
])
def test_taylor_bound_certified(gap):
    assert certify(gap, False) is not None


@pytest.mark.parametrize("gap, strict", [
    (X - sp.sin(X), False),  # x = -1: -0.16
    (sp.cos(X) - 1 + X**2 / 3, False),  # x = 1: -0.13
    (sp.Rational(1, 2) - sp.cos(X), False),  # x = 0
    (1 - sp.cos(X), True),  # x = 0
    (sp.cos(X) - 1 + X**2 / 2, True),  # x = 0
    (2 + sp.sin(X) - sp.cos(X) + X, False),  # x = -3: -1.13
])
def test_false_neighbour_not_certified(gap, strict):
    assert certify(gap, strict) is None
