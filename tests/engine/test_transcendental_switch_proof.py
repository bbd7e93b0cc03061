"""A proof must not rest on SymPy's reading of a transcendental switch.

(log p + log(1 − p) < −140) = 0 with p in (0, 1) was "proved" (prove_at_sizes, an
element-wise identity): SymPy 1.14 reads the set of that condition as empty and simplify
folds the Piecewise to 0, yet p = 10⁻⁶¹ satisfies it (log 10⁻⁶¹ ≈ −140.5).  A kink that
switches on a transcendental expression is now shown zero only branch by branch.
"""

from __future__ import annotations

import sympy as sp

from verifier import verify
from verifier.strategies.zero import is_zero

HOLDING = ("proved", "proved-at-sizes", "checked")


def test_sympy_still_misreads_the_set():
    # the trap itself (if SymPy fixes it, this test says so and can go)
    p = sp.Symbol("p", positive=True)
    assert (sp.log(p) + sp.log(1 - p) < -140).as_set() == sp.EmptySet


def test_the_false_claim_is_not_proved():
    r = verify("(log(p) + log(1 - p) < -140)", "0", symbols="p: scalar",
               assume=["p in (0, 1)"])
    assert r.verdict.status not in HOLDING, r.verdict
    p = sp.Rational(1, 10**61)  # a point of (0, 1) where the indicator is 1
    assert sp.log(p) + sp.log(1 - p) < -140


def test_the_zero_test_does_not_fold_it():
    p = sp.Symbol("p", positive=True)
    assert not is_zero(sp.Piecewise((1, sp.log(p) + sp.log(1 - p) < -140), (0, True)))


def test_branches_that_are_zero_still_prove():
    p = sp.Symbol("p", positive=True)
    assert is_zero(sp.Piecewise((p - p, sp.log(p) < -140), (0, True)))
    r = verify("(log(p) + log(1 - p) < -140) * 0", "0", symbols="p: scalar",
               assume=["p in (0, 1)"])
    assert r.verdict.status in HOLDING, r.verdict


def test_a_relu_of_two_logs_is_not_proved():
    # relu(−140 − log p − log(1 − p)) is positive near 0 (p = 10⁻⁶¹); it was "proved" = 0
    r = verify("relu(-140 - log(p) - log(1 - p))", "0", symbols="p: scalar",
               assume=["p in (0, 1)"])
    assert r.verdict.status not in HOLDING, r.verdict
