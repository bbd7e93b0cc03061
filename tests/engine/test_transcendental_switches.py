"""A switch of a transcendental argument is bracketed numerically: its root is irrational, but
the region on one side can be far from every special value (s < e^-140 on (0, 1))."""

from __future__ import annotations

import pytest

from verifier import verify


@pytest.mark.parametrize("lhs, rhs, symbols, assume", [
    # true only off s < e^-140 ≈ 1.6e-61: a positive parameter's smallest special value is 1e-40
    ("(log(s) + log(1 - s) < -140)", "0", "s: scalar", ["s in (0, 1)"]),
    ("relu(-140 - log(s) - log(1 - s))", "0", "s: scalar", ["s in (0, 1)"]),
    # x eˣ = 2 at W(2) = 0.85260550201372549134…; the 16-digit threshold misses it by 9e-17
    ("(x * exp(x) > 2)", "(x > 0.8526055020137254)", "x: scalar", []),
    # tanh(3x) = 1/3 at 0.11552453009332421824…
    ("(tanh(3 * x) > 1/3)", "(x > 0.1155245300933242)", "x: scalar", []),
])
def test_false_near_a_transcendental_switch_is_refuted(lhs, rhs, symbols, assume):
    r = verify(lhs, rhs, symbols=symbols, assume=assume, timeout=30)
    assert r.verdict.status == "refuted", r


@pytest.mark.parametrize("lhs, rhs, symbols, assume", [
    # never switches: s(1 − s) ≤ 1/4 < 1
    ("(log(s) + log(1 - s) < 0)", "1", "s: scalar", ["s in (0, 1)"]),
    # both sides switch at the same transcendental point
    ("(x * exp(x) > 2)", "(x * exp(x) - 2 > 0)", "x: scalar", []),
])
def test_true_claims_with_transcendental_switches_are_not_refuted(lhs, rhs, symbols, assume):
    r = verify(lhs, rhs, symbols=symbols, assume=assume, timeout=30)
    assert r.verdict.status not in ("refuted", "conditional"), r
