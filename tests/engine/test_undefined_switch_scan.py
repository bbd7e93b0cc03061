"""A transcendental switch that is undefined where it is scanned is no switch, not an error.

(Σ pᵢ log(pᵢ/qᵢ) ≥ 0) = 1 with p, q probability vectors with positive entries (Gibbs'
inequality, true) was an ``error``: the special points' base with every parameter at 0 puts
q₁ = 0, the kink argument becomes p₁·log(zoo) + …, and lambdify's printer raised KeyError
('ComplexInfinity') out of refute_special.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from verifier import verify
from verifier.domains import Domain
from verifier.strategies.quick import numeric_switches


def test_an_argument_undefined_at_the_base_has_no_switches():
    s = sp.Symbol("s", positive=True)
    expr = s * sp.log(s) + (1 - s) * sp.log((1 - s) / sp.Integer(0))  # q₁ = 0
    assert expr.has(sp.zoo) and expr.free_symbols == {s}
    assert numeric_switches(expr, s, Domain(lo=Fraction(0), hi=Fraction(1))) == []


def test_gibbs_inequality_is_no_error():
    r = verify("(sum(p * log(p / q)) >= 0)", "1", symbols="p: vector(n), q: vector(n)",
               assume=["p sums to 1", "q sums to 1", "p positive", "q positive"], timeout=30)
    assert r.verdict.status not in ("error", "refuted", "conditional"), r.verdict
