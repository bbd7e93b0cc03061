"""Scalars (and entries) assumed in a bounded interval: proved after writing each as
lo + (hi − lo)·a/(a + b), a, b > 0 (and each closed end as a case).  Before the patch each
"proved" below is "checked" (SymPy knew t > 0 but not 1 − t > 0)."""

from __future__ import annotations

import pytest

from verifier import verify

# log t − log(1 − t) = log(t/(1 − t)) on (0, 1): true (both logs defined, their difference
# is the log of the ratio); the same on [1/4, 1/2] (ends as cases); ± entry-wise
PROVED = [
    ("log(t) - log(1 - t)", "log(t / (1 - t))", "t: scalar", "0 < t < 1", "proved"),
    ("log(t) - log(1 - t)", "log(t / (1 - t))", "t: scalar", "1/4 <= t <= 1/2", "proved"),
    ("log(t - 1) + log(3 - t)", "log((t - 1) * (3 - t))", "t: scalar", "1 < t < 3", "proved"),
    ("log(p) - log(1 - p)", "log(p / (1 - p))", "p: vector(n)", "p in (0, 1)",
     "proved-at-sizes"),
]


@pytest.mark.parametrize(("lhs", "rhs", "symbols", "assume", "verdict"), PROVED)
def test_a_log_identity_on_an_interval_is_proved(lhs, rhs, symbols, assume, verdict):
    assert verify(lhs, rhs, symbols=symbols, assume=[assume]).verdict.status == verdict


# false only at the closed end t = 1 (1[t < 1] is 0 there): never proved
def test_a_claim_false_at_a_closed_end_is_not_proved():
    r = verify("abs(t - 1/2) * (t < 1)", "abs(t - 1/2)", symbols="t: scalar",
               assume=["0 <= t <= 1"], expect="fails")
    assert r.verdict.status == "refuted"


# false inside the interval: log(t/(1 + t)) is not the logit
def test_a_false_log_identity_on_an_interval_is_refuted():
    r = verify("log(t) - log(1 - t)", "log(t / (1 + t))", symbols="t: scalar",
               assume=["0 < t < 1"], expect="fails")
    assert r.verdict.status == "refuted"


# EXP3's floor: (1 − γ)·softmax(w) + γ/K ≥ γ/K for γ in (0, 1): true (undecided before: the
# comparison's difference (1 − γ)σ(w) was taken for a switch at irrational values); γ/K ≥ γ
# is false (refuted), and (1 − γ)·exp(x) > 0 = 0 is false everywhere
def test_exp3_mixing_floor_is_proved_at_sizes():
    r = verify("((1 - g) * softmax(w) + g / K >= g / K)", "ones(K)",
               symbols="w: vector(K), g: scalar", assume=["0 < g < 1"])
    assert r.verdict.status == "proved-at-sizes"


@pytest.mark.parametrize(("lhs", "rhs", "symbols"), [
    ("((1 - g) * softmax(w) + g / K >= g)", "ones(K)", "w: vector(K), g: scalar"),
    ("((1 - g) * exp(x) > 0)", "0", "x: scalar, g: scalar"),
])
def test_a_false_comparison_on_an_interval_is_refuted(lhs, rhs, symbols):
    r = verify(lhs, rhs, symbols=symbols, assume=["0 < g < 1"], expect="fails")
    assert r.verdict.status == "refuted"
