"""Round 16: the definedness report of Kronecker products.

inv(Q ⊗ P) = Qᵀ ⊗ Pᵀ for orthogonal Q, P ran for minutes past its 30 s timeout after its
verdict: listing the requirement "Q ⊗ P invertible", _positive expanded the determinant of
the Kronecker product of two parametrised orthogonal matrices.  A Kronecker product of two
factors the assumptions make invertible is now invertible by them, and an expression too
large is not expanded to show its sign (the requirement is then listed as not assumed)."""

from __future__ import annotations

import time

from verifier.api import verify


def test_kron_of_invertible_factors_is_assumed_invertible() -> None:
    verdict = verify("inv(kron(A, B))", "kron(inv(A), inv(B))",
                     symbols="A: matrix(n, n), B: matrix(m, m)",
                     assume=["A invertible", "B positive definite"], timeout=30).verdict
    assert verdict.status == "proved", verdict
    kron = [r for r in verdict.requires if r.condition == "kron(A, B) invertible"]
    assert kron and kron[0].assumed, verdict.requires


def test_kron_with_one_factor_not_assumed_is_not_assumed() -> None:
    verdict = verify("inv(kron(A, B))", "kron(inv(A), inv(B))",
                     symbols="A: matrix(n, n), B: matrix(m, m)",
                     assume=["A invertible"], timeout=30).verdict
    kron = [r for r in verdict.requires if r.condition == "kron(A, B) invertible"]
    assert kron and not kron[0].assumed, verdict.requires


def test_orthogonal_kron_inverse_ends_near_its_timeout() -> None:
    start = time.monotonic()
    verdict = verify("inv(kron(Q, P))", "kron(Q.T, P.T)",
                     symbols="Q: matrix(n, n), P: matrix(m, m)",
                     assume=["Q orthogonal", "P orthogonal"], timeout=30).verdict
    assert time.monotonic() - start < 150  # more than 4 minutes before
    assert verdict.holds, verdict
    assert all(r.assumed for r in verdict.requires), verdict.requires
