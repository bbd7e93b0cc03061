"""Orthogonal invariance in general dimension.

An assumed orthogonal Q brings the rules QᵀQ = QQᵀ = I into the noncommutative rewriting.
Before, only a claim that also had an inverse, a determinant or a block matrix reached that
strategy: ‖Qx‖ = ‖x‖ was only "checked" (sampled), tr(QᵀAQ) = tr A and (Qx)ᵀ(Qy) = xᵀy only
proved at sizes. The false neighbours (Q on one side only, a matrix not assumed orthogonal,
Q² = I) must still be refuted or left conditional, never proved.
"""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"Q": "matrix(n,n)", "P": "matrix(m,m)", "A": "matrix(n,n)", "B": "matrix(n,m)",
           "x": "vector(n)", "y": "vector(n)"}

INVARIANT = [
    "norm(Q@x) = norm(x)",
    "norm(Q.T@x) = norm(x)",
    "norm(Q@x - Q@y) = norm(x - y)",
    "(Q@x).T@(Q@y) = x.T@y",
    "(Q@x).T@(Q@x) = x.T@x",
    "trace(Q.T@A@Q) = trace(A)",
    "trace(Q@A@Q.T) = trace(A)",
    "norm(Q@A) = norm(A)",
    "norm(Q@B) = norm(B)",
    "norm(Q@B@P) = norm(B)",
]

NOT_INVARIANT = [
    "norm(Q@x + y) = norm(x + y)",
    "(Q@x).T@y = x.T@y",
    "trace(Q@A) = trace(A)",
    "norm(A@x) = norm(x)",
    "Q@Q = eye(n)",
    "Q + Q.T = 2*eye(n)",
    "norm(B@P@B.T) = norm(B@B.T)",
]


@pytest.mark.parametrize("claim", INVARIANT)
def test_invariance_is_proved_in_general_dimension(claim: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, assume=["Q orthogonal", "P orthogonal"],
                     timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", "prove_noncommutative"), verdict


@pytest.mark.parametrize("claim", NOT_INVARIANT)
def test_false_neighbours_are_not_proved(claim: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, assume=["Q orthogonal", "P orthogonal"],
                     timeout=60).verdict
    assert verdict.status in ("refuted", "conditional"), verdict


def test_without_the_assumption_invariance_is_not_proved() -> None:
    verdict = verify("trace(Q.T@A@Q) = trace(A)", symbols=SYMBOLS, timeout=60).verdict
    assert verdict.status in ("refuted", "conditional"), verdict
