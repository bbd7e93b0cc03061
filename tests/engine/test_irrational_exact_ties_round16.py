"""Claims false only at an irrational switch point whose comparisons tie exactly there, round 16.

At the golden root x = (√5 − 1)/2, x² + x − 1 is 0 but written as (−1/2 + √5/2)² + √5/2 − 3/2,
and an interval never excludes 0 from it; the same for tanh(log 3 / 2) − 1/2, σ(−log 2) − 1/3
and −tan 1 + sin 1 / cos 1. Each comparison there was "unknown", so the claims below were
undecided although they fail at that point (a non-strict comparison against a strict one).
Now such a difference is shown exactly 0 (an algebraic number by its minimal polynomial,
another by simplification), sigmoid is solved as exp, and atanh and tan have enclosures.
Their strict neighbours hold and are never refuted."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.api import verify
from verifier.certify import sign

S = {"x": "scalar"}

FALSE_AT_AN_IRRATIONAL_TIE = [
    ("(x**2 + x - 1 >= 0)", "(x > (sqrt(5) - 1)/2) + (x < -(sqrt(5) + 1)/2)",
     "-1/2 + sqrt(5)/2"),
    ("(tanh(x) >= 1/2)", "(x > log(3)/2)", "log(3)/2"),
    ("(sigmoid(x) >= 1/3)", "(x > -log(2))", "-log(2)"),
    ("(atan(x) >= 1)", "(x > tan(1))", "tan(1)"),
]

TRUE_NEIGHBOURS = [
    ("(x**2 + x - 1 > 0)", "(x > (sqrt(5) - 1)/2) + (x < -(sqrt(5) + 1)/2)"),
    ("(tanh(x) > 1/2)", "(x > log(3)/2)"),
    ("(sigmoid(x) > 1/3)", "(x > -log(2))"),
    ("(atan(x) > 1)", "(x > tan(1))"),
]


@pytest.mark.parametrize(("lhs", "rhs", "point"), FALSE_AT_AN_IRRATIONAL_TIE)
def test_refuted_at_the_tie(lhs: str, rhs: str, point: str) -> None:
    verdict = verify(lhs, rhs, symbols=S, timeout=30).verdict
    assert verdict.status in ("refuted", "conditional"), verdict
    assert verdict.counterexample is not None
    value = sp.sympify(verdict.counterexample.values["x"])
    assert sp.simplify((value - sp.sympify(point)).rewrite(sp.log)) == 0, value


@pytest.mark.parametrize(("lhs", "rhs"), TRUE_NEIGHBOURS)
def test_strict_neighbours_not_refuted(lhs: str, rhs: str) -> None:
    verdict = verify(lhs, rhs, symbols=S, timeout=30).verdict
    assert verdict.status not in ("refuted", "conditional"), verdict


def test_exact_zeros_have_sign_zero_and_near_misses_do_not() -> None:
    r = -sp.Rational(1, 2) + sp.sqrt(5) / 2
    assert sign(sp.Add(r**2, r, -1, evaluate=False)) == 0
    assert sign(sp.atanh(sp.Rational(1, 2)) - sp.log(3) / 2) == 0
    # 10⁻¹⁰⁰ away from 0 (below the narrow enclosure threshold at the first precision)
    assert sign(sp.sqrt(2) - sp.Rational(int(sp.sqrt(2) * 10**100), 10**100)) == 1
    assert sign(sp.log(3) / 2 - sp.atanh(sp.Rational(1, 2)) + sp.Rational(1, 10**200)) == 1


def test_a_float_is_never_shown_exactly_zero() -> None:
    """SymPy adds Floats at their own precision: 1.0 + 10⁻³⁰ − 1.0 simplifies to 0 there."""
    from verifier.certify import _exactly_zero

    d = sp.Add(sp.Float(1.0), sp.Float("1e-30"), sp.Float(-1.0), evaluate=False)
    assert sp.simplify(d) == 0  # the trap
    assert not _exactly_zero(d)
    assert sign(d) == 1
