"""Signs of Gram determinants in general dimension (prove_nonnegative).

det(PPᵀ) ≥ 0 for any real P (PPᵀ is positive semidefinite), > 0 when P is a product of
square invertible factors: det(A) > 0 for a positive definite A = SSᵀ was only proved at
sizes after ~14 s, det(AAᵀ) ≥ 0 only checked. The neighbours that fail (a strict sign
without invertibility, a negative coefficient at odd n, a rotated non-square product) must
not be proved.
"""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"A": "matrix(n,n)", "B": "matrix(n,n)", "S": "matrix(n,n)", "X": "matrix(m,n)"}

PROVED = [
    ("det(S) > 0", ["S positive definite"]),
    ("det(S) >= 0", ["S positive definite"]),
    ("det(S@S) > 0", ["S positive definite"]),
    ("det(inv(S)) > 0", ["S positive definite"]),
    ("det(A@A.T) >= 0", []),
    ("det(A.T@A) >= 0", []),
    ("det(X.T@X) >= 0", []),
    ("det(X@X.T) >= 0", []),
    ("det(A@A.T) > 0", ["A invertible"]),
    ("det(A@B@B.T@A.T) > 0", ["A invertible", "B invertible"]),
    ("det(inv(A@A.T)) > 0", []),  # where defined, det(AAᵀ) ≠ 0
]

NOT_PROVED = [
    ("det(A@A.T) > 0", []),  # A = 0
    ("det(X.T@X) > 0", []),  # rank ≤ m < n possible
    ("det(-A@A.T) >= 0", []),  # n odd
    ("det(inv(A@A.T)) < 0", []),
    ("det(S) < 0", ["S positive definite"]),
]


@pytest.mark.parametrize(("claim", "assume"), PROVED)
def test_gram_determinant_sign_is_proved(claim: str, assume: list[str]) -> None:
    verdict = verify(claim, symbols=SYMBOLS, assume=assume, timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_nonnegative"), verdict


@pytest.mark.parametrize(("claim", "assume"), NOT_PROVED)
def test_wrong_sign_is_not_proved(claim: str, assume: list[str]) -> None:
    verdict = verify(claim, symbols=SYMBOLS, assume=assume, timeout=60).verdict
    assert verdict.status in ("refuted", "conditional"), verdict
