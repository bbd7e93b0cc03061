"""Conditions that cannot make a refuted claim hold, or hold only on a trivial set.

- A condition the assumptions already imply leaves the claim as it was: for
  (tr A > 1/3)(tr A < 1/3 + 10⁻³⁰) = 0 with A positive definite, "holds if A symmetric
  (checked)" was offered, though the counterexample itself is symmetric.  A candidate is
  now skipped when the refutation's counterexample is one of the claim under it too.
- A skew-symmetric matrix whose entries are binary (or of one sign) is 0: "holds if Y
  skew-symmetric" was offered for Y[0,0]Y[0,1]Y[1,0]Y[1,1] = 0 with Y binary.
"""

from __future__ import annotations

from verifier import verify


def test_an_implied_condition_is_not_offered():
    r = verify("(trace(A) > 1/3) * (trace(A) < 1/3 + 1e-30)", "0", symbols="A: matrix(n, n)",
               assume=["A positive definite"])
    assert r.verdict.status == "refuted", r.verdict
    assert r.verdict.condition is None


def test_a_coarse_window_under_positive_definite_has_no_condition():
    # diagonal, positive definite and trace 2/5 (diag(1/5, 1/5)) is in the window
    r = verify("(trace(A) > 1/3) * (trace(A) < 1/2)", "0", symbols="A: matrix(n, n)",
               assume=["A positive definite"])
    assert r.verdict.status == "refuted", r.verdict


def test_skew_is_not_offered_for_a_binary_matrix():
    r = verify("Y[0, 0] * Y[0, 1] * Y[1, 0] * Y[1, 1]", "0", symbols="Y: matrix(n, n)",
               assume=["Y binary"])
    assert r.verdict.status == "refuted", r.verdict
    assert r.verdict.condition != "Y skew-symmetric"


def test_skew_is_not_offered_for_a_nonnegative_matrix():
    r = verify("Y[0, 1] * Y[1, 0]", "0", symbols="Y: matrix(n, n)", assume=["Y nonnegative"])
    assert r.verdict.condition != "Y skew-symmetric", r.verdict


def test_a_right_condition_is_still_found():
    r = verify("grad(x.T @ A @ x, x)", "2 * A @ x", symbols="x: vector(n), A: matrix(n, n)")
    assert (r.verdict.status, r.verdict.condition) == ("conditional", "A symmetric")


def test_orthogonal_is_not_offered_for_a_nonnegative_matrix():
    # symmetric, nonnegative and orthogonal: the involutive permutation matrices, among them
    # [[0, 1], [1, 0]] with A₀₀ = 0; the sampler only reached I, and "holds if A orthogonal
    # (checked)" was offered
    r = verify("(A[0, 0] > 0)", "1", symbols="A: matrix(n, n)",
               assume=["A nonnegative", "A symmetric"])
    assert r.verdict.condition != "A orthogonal", r.verdict
    assert r.verdict.status in ("refuted", "conditional"), r.verdict


def test_signed_permutations_are_not_checked_from_a_few_samples():
    r = verify("(A[0, 0] > 0)", "1", symbols="A: matrix(n, n)",
               assume=["A nonnegative", "A symmetric", "A orthogonal"])
    assert r.verdict.status not in ("proved", "proved-at-sizes", "checked"), r.verdict
