"""Switches the engine could not see: a comparison's argument of degree 7 (its rational root
never tried, its irrational root taken for a rational one), a switch at a rational and at an
irrational point, the numerator of a rational function, a comparison of sizes that is not a
polynomial (2ⁿ < 1000) or has no closed form (det(ones(n, n) − 7I)), and a condition whose
evidence at fixed sizes was kept when no time was left to try a larger size.

Each false claim was "checked" or "proved-at-sizes"; each counterexample is re-checked here
with exact SymPy arithmetic."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from verifier import verify
from verifier.claimfile import one_liner
from verifier.engine import Options, _larger_sizes, decide
from verifier.strategies.timing import clock
from verifier.verdict import Verdict

HOLDING = ("proved", "proved-at-sizes", "checked")


def _decide(lhs, rhs, symbols, assume=()):
    claim = one_liner(lhs, rhs, symbols, list(assume))
    return decide(claim, Options(timeout=60, conditions=False)).verdict


P7 = "7*x**7 - 2*x**6 + 7*x - 2"  # (7x − 2)(x⁶ + 1): one real root, 2/7


def test_a_rational_root_of_degree_seven_is_tried():
    v = _decide(f"({P7} >= 0) * ({P7} <= 0)", "0", "x: scalar")
    assert v.status == "refuted", v
    assert sp.Rational(v.counterexample.values["x"]) == sp.Rational(2, 7)


@pytest.mark.parametrize("lhs", [
    "(x**7 + x >= 3) * (x**7 + x <= 3)",  # one real root, irrational
    # (7x − 2)(x² − 2): 2/7 is tried, but 1[x > 1] makes the claim differ at √2 alone
    "(7*x**3 - 2*x**2 - 14*x + 4 >= 0) * (7*x**3 - 2*x**2 - 14*x + 4 <= 0) * (x > 1)",
])
def test_a_switch_at_an_irrational_point_is_not_checked(lhs):
    v = _decide(lhs, "0", "x: scalar")
    assert v.status not in HOLDING, v
    if "<= 0) * (x > 1)" in lhs:  # √2 in closed form: refuted there (strategies.irrational)
        assert v.status == "refuted" and v.counterexample.values["x"] == "sqrt(2)", v
    else:  # the root of x⁷ + x − 3 has no closed form: not tried
        assert v.status == "undecided", v


def test_the_switch_of_a_rational_function_is_tried():
    v = _decide("(1/x >= 3) * (1/x <= 3)", "0", "x: scalar")
    assert v.status == "refuted", v
    assert sp.Rational(v.counterexample.values["x"]) == sp.Rational(1, 3)


@pytest.mark.parametrize("lhs, first", [
    ("(2**n < 1000) * sum(x)", 10),  # 2ⁿ ≥ 1000 from n = 10
    ("sum(x[i] * (2**i < 1000), i)", 11),  # i = 10 exists from n = 11
    ("(det(ones(n, n) - (3 + 4) * eye(n))**2 > 0) * sum(x)", 7),  # (n − 7)(−7)ⁿ⁻¹ = 0
    ("min(det(ones(n, n) - (3 + 4) * eye(n))**2, 1) * sum(x)", 7),
])
def test_a_comparison_of_sizes_without_a_polynomial_is_solved(lhs, first):
    v = _decide(lhs, "sum(x)", "x: vector(n), i: index(n)")
    assert v.status == "refuted", v
    assert v.counterexample.sizes["n"] >= first


def test_a_switch_past_every_size_stands_down():
    v = _decide("(2**n < 2**60 * 2**10) * sum(x)", "sum(x)", "x: vector(n)")
    assert v.status not in HOLDING, v


def test_a_true_claim_with_a_size_comparison_still_holds():
    v = _decide("(det(eye(n) + ones(n, n)) > 0) * sum(x)", "sum(x)", "x: vector(n)")
    assert v.status in HOLDING, v


def test_condition_evidence_without_a_larger_size_is_no_evidence():
    claim = one_liner("det(g * Q) * det(B)", "g ** 2 * det(Q) * det(B)",
                      "Q: matrix(D, D), B: matrix(D, D), g: scalar",
                      ["Q skew-symmetric", "B orthogonal"])
    fixed = Verdict("proved-at-sizes", "prove_at_sizes", detail="element-wise identity")
    past = clock() - 1  # no time left for the larger sizes (deadlines are CPU time)
    assert _larger_sizes(claim, fixed, Options(), past, require_larger=True).status == \
        "undecided"
    assert _larger_sizes(claim, fixed, Options(), past).status == "proved-at-sizes"


@pytest.mark.parametrize("lhs, window", [
    ("(2**k >= 2**40) * (2**k <= 2**41) * x", (40, 41)),  # no polynomial: the integers scanned
    ("(exp(k) >= 10**20) * (exp(k) <= 10**21) * x", (47, 48)),
])
def test_a_window_of_an_integer_parameter_is_found(lhs, window):
    v = _decide(lhs, "0", "x: scalar, k: integer")
    assert v.status == "refuted", v
    k = int(v.counterexample.values["k"])
    assert window[0] <= k <= window[1]


@pytest.mark.parametrize("lhs, symbols, point", [
    ("relu(1 - 10**30 * (x - 3/7)**2)", "x: scalar", {"x": "3/7"}),  # a bump 2·10⁻¹⁵ wide
    ("(x > 3/7 - (1/10)**30) * (x < 3/7 + (1/10)**30)", "x: scalar", {"x": "3/7"}),
    ("(x > 3/7 - (1/10)**30) * (x < 3/7 + (1/10)**30) * (y > 2 - (1/10)**30) * "
     "(y < 2 + (1/10)**30)", "x: scalar, y: scalar", {"x": "3/7", "y": "2"}),
])
def test_an_interval_narrower_than_every_nudge_is_tried(lhs, symbols, point):
    # no nudge of a switch (±10⁻¹², ×(1 ± 10⁻³)) lands inside: the midpoint of two does
    v = _decide(lhs, "0", symbols)
    assert v.status == "refuted", v
    for name, value in point.items():
        assert sp.Rational(v.counterexample.values[name]) == sp.Rational(value)


def test_min_is_a_kink_as_max_is():
    # −w = min(0, −min(x₀ − 1/3, 1/2 − x₀)) is nonzero only for x₀ in (1/3, 1/2); times
    # (n − 2)(n − 3) the claim is 0 at the proof sizes and false at n = 4 on a box no random
    # point enters.  Written with max it was refuted at n = 4; with min, which one of four
    # copies of the kinked functions lacked, it was "proved at sizes" (no special points)
    r = verify("(n - 2) * (n - 3) * min(0, -min(x[0] - 1/3, 1/2 - x[0]))"
               " * min(0, -min(x[1] - 2/3, 3/4 - x[1]))", "0", symbols="x: vector(n)",
               expect="fails", timeout=30)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    x = [Fraction(row[0]) for row in r.verdict.counterexample.values["x"]]
    assert len(x) > 3 and Fraction(1, 3) < x[0] < Fraction(1, 2)
    assert Fraction(2, 3) < x[1] < Fraction(3, 4)
