"""Generated symbols must not share a name with a claim's own symbols, nor with each other:
SymPy symbols are equal by name (and flags), so a shared name ties two values together and a
claim true only under that tie is 'proved'.  Before the fix: a positive definite A was built as
S_A·S_Aᵀ, and a claim declaring its own S_A had A = S_A·S_Aᵀ proved (and
xᵀS_AᵀS_Ax > 0, S_A invertible as A's factor); a vector x's entries were x_1, x_2, so x[0] =
x_1 with a scalar x_1 was proved at n = 2; an 11×11 matrix's entries (0, 10) and (10, 0) were
both A_111, so A[0, 10] = A[10, 0] was proved at that size."""

import pytest

from verifier.api import verify

FALSE = [
    ("A", "S_A @ S_A.T", "A: matrix(n, n), S_A: matrix(n, n)", ["A positive definite"]),
    ("A", "S_A + S_A.T", "A: matrix(n, n), S_A: matrix(n, n)", ["A symmetric"]),
    ("(x.T @ S_A.T @ S_A @ x > 0)", "1", "x: vector(n), A: matrix(n, n), S_A: matrix(n, n)",
     ["A positive definite", "x nonzero"]),
    ("x[0]", "x_1", "x: vector(2), x_1: scalar", []),
    ("A[0, 0]", "A_11", "A: matrix(2, 2), A_11: scalar", []),
    ("A[1, 0]", "A_21", "A: matrix(2, 2), A_21: scalar", ["A symmetric"]),
    ("A[0, 10]", "A[10, 0]", "A: matrix(11, 11)", []),
]


@pytest.mark.parametrize("lhs, rhs, symbols, assume", FALSE)
def test_a_shared_name_does_not_tie_two_values(lhs, rhs, symbols, assume):
    v = verify(lhs, rhs, symbols=symbols, assume=assume, timeout=30).verdict
    assert v.status in ("refuted", "conditional"), v


def test_entries_past_the_ninth_are_apart_and_a_true_claim_still_holds():
    v = verify("A[0, 10] + A[10, 0]", "A[10, 0] + A[0, 10]", symbols="A: matrix(11, 11)",
               timeout=30).verdict
    assert v.status in ("proved", "proved-at-sizes"), v
