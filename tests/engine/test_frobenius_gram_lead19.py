"""Matrices met only through Frobenius inner products tr(UᵀV): Cauchy–Schwarz and its kin
proved through the Gram matrix of the matrices (verifier/strategies/nonnegative.py, rule 2),
and their false neighbours not proved."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"A": "matrix(n, m)", "B": "matrix(n, m)", "P": "matrix(m, n)",
           "C": "matrix(n, n)", "D": "matrix(n, n)"}

TRUE = [
    "trace(A.T @ B) <= norm(A, 'fro') * norm(B, 'fro')",
    "abs(trace(A @ B.T)) <= norm(A, 'fro') * norm(B, 'fro')",
    "trace(C @ D) <= norm(C, 'fro') * norm(D, 'fro')",  # ⟨Cᵀ, D⟩ beside ‖C‖ = ‖Cᵀ‖
    "trace(P @ A)**2 <= trace(P @ P.T) * trace(A @ A.T)",
    "2 * trace(C @ D) <= trace(C @ C.T) + trace(D @ D.T)",
    "trace(C @ C) <= norm(C, 'fro')**2",  # ½‖C − Cᵀ‖² ≥ 0
    "trace(C @ C) >= -norm(C, 'fro')**2",
    "trace(C)**2 <= n * trace(C.T @ C)",  # tr C = ⟨I, C⟩_F, ‖I‖²_F = n
    "abs(trace(C)) <= sqrt(n) * norm(C, 'fro')",
    "trace(C.T @ C) >= trace(C)**2 / n",  # over a squared norm: its numerator
]

FALSE = [
    "trace(A.T @ B)**2 < trace(A.T @ A) * trace(B.T @ B)",  # equality at B = A
    "trace(C @ D)**2 <= trace(C @ C) * trace(D @ D)",  # tr(C²) < 0 for a rotation
    "trace(C @ C) < norm(C, 'fro')**2",  # equality for a symmetric C
    "trace(C @ C.T) <= trace(C @ C)",
    "trace(A.T @ B)**2 <= trace(A.T @ A) * trace(B.T @ B) / 2",
    "trace(C)**2 < n * trace(C.T @ C)",  # equality at C = I
    "trace(C)**2 <= (n - 1) * trace(C.T @ C)",
    "trace(C)**2 <= n * trace(C @ C)",
    "trace(C.T @ C) >= 2 * trace(C)**2 / n",
]


@pytest.mark.parametrize("claim", TRUE)
def test_frobenius_cauchy_schwarz_is_proved(claim: str) -> None:
    v = verify(claim, symbols=SYMBOLS, timeout=10).verdict
    assert v.status == "proved", (claim, v.status, v.detail)
    assert v.method == "prove_nonnegative"


@pytest.mark.parametrize("claim", FALSE)
def test_false_neighbours_are_not_proved(claim: str) -> None:
    v = verify(claim, symbols=SYMBOLS, timeout=10).verdict
    assert v.status in ("refuted", "conditional"), (claim, v.status)
