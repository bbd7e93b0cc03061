"""A switch of a square root, √g = v with v > 0, is the polynomial switch g = v²: its
rational zeros are tried and it is no irrational switch.  ‖p‖ ≤ 1 on the simplex switches
at the vertices (p₁ = 0 or 1, rational) and was "undecided" as if it switched only at
irrational values; so was √(x² + 9) ≥ 5 against |x| ≥ 4 (the switch is x = ±4)."""

from __future__ import annotations

import pytest

from verifier import verify


@pytest.mark.parametrize("lhs, rhs, symbols, assume", [
    ("(norm(p) <= 1)", "1", "p: vector(n)", ["p sums to 1"]),  # Σp² ≤ (Σp)² = 1
    ("(sqrt(x**2 + 9) >= 5)", "(abs(x) >= 4)", "x: scalar", []),
])
def test_a_root_switch_at_rational_points_is_checked(lhs, rhs, symbols, assume):
    assert verify(lhs, rhs, symbols=symbols, assume=assume).verdict.status == "checked"


@pytest.mark.parametrize("lhs, rhs, symbols", [
    # 1/√(x² + 1) = 1/2 at x = ±√3: still an irrational switch
    ("(1 / sqrt(x**2 + 1) > 1/2)", "(x**2 < 3)", "x: scalar"),
    # √(x² + 2) = 2 at x² = 2: irrational on both sides (a true claim: no verdict)
    ("(sqrt(x**2 + 2) > 2)", "(x**2 > 2)", "x: scalar"),
])
def test_a_root_switch_at_irrational_points_stays_undecided(lhs, rhs, symbols):
    assert verify(lhs, rhs, symbols=symbols).verdict.status == "undecided"


# A switch of logs of exponentials vanishes where e^arg = 1: softplus(x) − x is
# log(1 + e⁻ˣ), never 0 (e^arg − 1 = e⁻ˣ), and log(1 + e²ˣ) − log(1 + eˣ) only at x = 0;
# both were "undecided" (a transcendental switch, as if at irrational points). The first is
# proved since the monotonicity rule of prove_nonnegative (log(1 + eˣ) − x decreases to 0)
@pytest.mark.parametrize("lhs, rhs, status", [
    ("(softplus(x) > x)", "1", "proved"),
    ("(log(1 + exp(2 * x)) > log(1 + exp(x)))", "(x > 0)", "checked"),
])
def test_a_log_switch_with_no_irrational_zero_is_decided(lhs, rhs, status):
    assert verify(lhs, rhs, symbols="x: scalar").verdict.status == status


# log(1 + eˣ) = 2x where e⁻ˣ + e⁻²ˣ = 1, at x = log((1 + √5)/2), irrational: > against ≥
# differ there alone (false), and no rational point shows it
def test_a_log_switch_at_an_irrational_zero_stays_undecided():
    r = verify("(softplus(x) > 2 * x)", "(softplus(x) >= 2 * x)", symbols="x: scalar")
    assert r.verdict.status == "undecided"


# cross-entropy is non-negative: −log softmax(z)_y = 0 needs Σ_{j≠y} e^{z_j} = 0, never
# (a strict xfail in tests/claims/test_engine_xfail.py before, "undecided")
def test_cross_entropy_is_non_negative_is_checked():
    r = verify("(-log_softmax(z)[y] >= 0)", "1", symbols="z: vector(C), y: index(C)")
    assert r.verdict.status == "checked"
