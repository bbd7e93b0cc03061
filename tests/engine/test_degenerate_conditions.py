"""Conditions under which both sides are 0 are not offered (unless the claim says a side is 0).

The SVM dual with its labels lost, Σᵢⱼ aᵢaⱼyᵢyⱼKᵢⱼ = aᵀKa, was "conditional: holds if K
skew-symmetric": true, and useless, since both sides are 0 there whatever y is.  Such a
condition is now named in the refutation's detail and not offered.  Where one side is 0 or
a constant multiple of the other (tr A = 0, 2xᵀKx = xᵀKx, A − Aᵀ = Aᵀ − A), the claim says
"this is 0" and the condition making it so is the answer: it stays offered.
"""

from __future__ import annotations

import pytest

from verifier import verify

SVM = ("sum(sum(a[i] * a[j] * y[i] * y[j] * K[i, j], i), j)", "a.T @ K @ a",
       "a: vector(n), y: vector(n), K: matrix(n, n), i: index(n), j: index(n)")


@pytest.mark.parametrize("lhs,rhs,symbols,vanishing", [
    (*SVM, "K skew-symmetric"),
    ("(a * y).T @ K @ (a * y)", "a.T @ K @ a", "a: vector(n), y: vector(n), K: matrix(n, n)",
     "K skew-symmetric"),
    ("sum(A) - trace(A)", "sum(A @ A) - trace(A @ A)", "A: matrix(n, n)", "A diagonal"),
])
def test_a_condition_where_both_sides_vanish_is_not_offered(lhs, rhs, symbols, vanishing):
    r = verify(lhs, rhs, symbols=symbols, expect="fails", timeout=60)
    assert r.verdict.status == "refuted", r.verdict
    assert f"not offered: holds if {vanishing}, where both sides are 0" in r.verdict.detail


@pytest.mark.parametrize("lhs,rhs,symbols,condition", [
    ("trace(A)", "0", "A: matrix(n, n)", "A skew-symmetric"),
    ("2 * x.T @ K @ x", "x.T @ K @ x", "x: vector(n), K: matrix(n, n)", "K skew-symmetric"),
    ("A - A.T", "A.T - A", "A: matrix(n, n)", "A symmetric"),
])
def test_a_claim_that_a_side_vanishes_keeps_its_condition(lhs, rhs, symbols, condition):
    r = verify(lhs, rhs, symbols=symbols, expect=f"holds if {condition}", timeout=60)
    assert r.verdict.status == "conditional", r.verdict
    assert r.verdict.condition == condition
