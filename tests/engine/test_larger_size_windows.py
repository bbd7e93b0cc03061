"""A window that opens only past the proof sizes.

(x₀ ∈ (1/3, 1/2))·1[n > 3] = 0 is 0 at the proof sizes n = 2, 3 (an element-wise identity
there) and false from n = 4, on a window no random point at n = 4 enters: it was
"proved-at-sizes".  A kinked claim's special points (switches, midpoints, nudges) are now
tried at the larger sizes too.  Each counterexample is re-checked here by hand.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier import verify

W = Fraction(1, 10**30)
THIRD = Fraction(1, 3)


def _x(r) -> list[Fraction]:
    return [Fraction(row[0]) for row in r.verdict.counterexample.values["x"]]


@pytest.mark.parametrize("lhs, top, inside", [
    ("(x[0] > 1/3) * (x[0] < 1/2) * (n > 3)", 3, lambda x: THIRD < x[0] < Fraction(1, 2)),
    ("(x[0] > 1/3) * (x[0] < 1/3 + 1e-30) * (n > 3)", 3, lambda x: THIRD < x[0] < THIRD + W),
    ("(sum(x) > 1/3) * (sum(x) < 1/3 + 1e-30) * (n > 4)", 4,
     lambda x: THIRD < sum(x) < THIRD + W),
    ("(x[0] > 1/3) * (x[0] < 1/3 + 1e-30) * (n > 9)", 9, lambda x: THIRD < x[0] < THIRD + W),
])
def test_a_window_past_the_proof_sizes_is_entered(lhs, top, inside):
    r = verify(lhs, "0", symbols="x: vector(n)")
    assert r.verdict.status == "refuted", r.verdict
    x = _x(r)
    assert len(x) > top and inside(x)


def test_a_definite_matrix_window_past_the_proof_sizes():
    r = verify("(trace(A) > 1/3) * (trace(A) < 1/2) * (n > 3)", "0", symbols="A: matrix(n, n)",
               assume=["A positive definite"])
    assert r.verdict.status == "refuted", r.verdict
    a = r.verdict.counterexample.values["A"]
    assert len(a) > 3 and THIRD < sum(Fraction(a[i][i]) for i in range(len(a))) < Fraction(1, 2)


@pytest.mark.parametrize("lhs, lo, hi, past", [
    ("(x[i] > 1/3) * (x[i] < 1/3 + 1e-30) * (i > 5)", THIRD, THIRD + W, 5),
    ("(x[i] > 1/3) * (x[i] < 1/2) * (i > 3)", THIRD, Fraction(1, 2), 3),
])
def test_a_window_at_an_index_past_the_proof_sizes(lhs, lo, hi, past):
    # the free index at its last value, the one a smaller size lacks
    r = verify(lhs, "0", symbols="x: vector(n), i: index(n)")
    assert r.verdict.status == "refuted", r.verdict
    i = int(r.verdict.counterexample.values["i"])
    assert i > past and lo < _x(r)[i] < hi


@pytest.mark.parametrize("lhs, lo, hi", [
    ("(x[0] > 1/3) * (x[0] < 1/2) * (n < 2)", THIRD, Fraction(1, 2)),
    ("(x[0] > 1/3) * (x[0] < 1/3 + 1e-30) * (n < 2)", THIRD, THIRD + W),
])
def test_a_window_below_the_proof_sizes(lhs, lo, hi):
    # false at n = 1 alone, on a window
    r = verify(lhs, "0", symbols="x: vector(n)")
    assert r.verdict.status == "refuted", r.verdict
    x = Fraction(r.verdict.counterexample.values["x"])  # a 1×1 value reads as a scalar
    assert lo < x < hi


def test_one_coincidence_at_a_larger_size_is_not_evidence():
    # det(βM) = β² det M for M skew holds at n ≤ 3 only; under "β nonnegative" the one point
    # drawn at n = 4 had Pfaffian 0 (small rationals), so the condition was offered
    # (found by the self-test, seed 0)
    r = verify("det(beta * M)", "beta ** 2 * det(M)", symbols="M: matrix(L, L), beta: scalar",
               assume=["M skew-symmetric"], id="selftest.sizes.determinant_scaling.15")
    assert r.verdict.status == "refuted" and r.verdict.condition is None, r.verdict
