"""A scalar side built from identity matrices alone (tr I_n = n) is proved in general
dimension: prove_general left every side without a matrix symbol to the scalar strategies,
which proved tr I = n, tr(A⁻¹A) = n (SymPy folds A⁻¹A to I) and ‖I‖_F² = n only at sizes."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"A": "matrix(n,n)", "B": "matrix(n,m)"}

PROVED = ["trace(eye(n)) = n", "trace(inv(A)@A) = n", "trace(2*eye(n)) = 2*n",
          "trace(eye(n))/n = 1", "trace(ones(n,n)) = n", "norm(eye(n))**2 = n"]
FALSE = ["trace(eye(n)) = n + 1", "trace(eye(n)) = m", "trace(eye(n)) = 2*n",
         "norm(eye(n)) = n"]


@pytest.mark.parametrize("claim", PROVED)
def test_identity_traces_are_proved_in_general_dimension(claim: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, assume=["A invertible"], timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_general"), verdict


@pytest.mark.parametrize("claim", FALSE)
def test_wrong_dimensions_are_refuted(claim: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, assume=["A invertible"], timeout=60).verdict
    assert verdict.status in ("refuted", "conditional"), verdict
