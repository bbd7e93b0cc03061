"""Assumptions with no member at a size the claim fixes.

An orthogonal skew-symmetric matrix exists at even sizes only (an odd skew matrix is
singular).  At a fixed odd size the claim built its parametrisation R J Rᵀ anyway, J indexed
past its end, and the claim was an ``error`` ("Index out of range"); the set is empty there,
so nothing can be evidence: ``undecided``, saying why.  At a symbolic size the even sizes
still decide.
"""

from __future__ import annotations

from verifier import verify

BOTH = ["A orthogonal", "A skew-symmetric"]


def test_an_empty_set_at_a_fixed_odd_size_is_undecided_not_an_error():
    r = verify("A", "eye(3)", symbols="A: matrix(3, 3)", assume=BOTH)
    assert r.verdict.status == "undecided", r.verdict
    assert "orthogonal and skew-symmetric" in r.verdict.detail


def test_even_sizes_still_decide_a_symbolic_size():
    assert verify("A", "eye(n)", symbols="A: matrix(n, n)", assume=BOTH).verdict.status \
        == "refuted"
    # A^T = -A and A^T A = I give A² = -I at every even size
    r = verify("A @ A", "-eye(n)", symbols="A: matrix(n, n)", assume=BOTH)
    assert r.verdict.status == "proved-at-sizes", r.verdict
