"""General-dimension forms that were missing: kron of matrix symbols (SymPy's
KroneckerProduct, whose mixed product prove_general applies product by product) and the
Hessian in index form (the Jacobian of the gradient). Before, every kron identity and the
Hessian of log Σ exp were proved at sizes only, and so were plain products with a 1 × 1
sub-word (x xᵀx = (xᵀx)x: prove_noncommutative took only claims with an inverse, a
determinant or a block matrix); their false neighbours stay refuted."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"A": "matrix(n,n)", "B": "matrix(m,m)", "C": "matrix(n,n)", "D": "matrix(m,m)",
           "E": "matrix(n,m)", "X": "matrix(m,n)", "M": "matrix(m,n)", "x": "vector(n)",
           "y": "vector(m)", "t": "scalar"}
ASSUME = ["A invertible", "B invertible"]

PROVED = [
    ("kron(A, B)@kron(C, D) = kron(A@C, B@D)", "prove_general"),
    ("kron(A, B).T = kron(A.T, B.T)", "prove_general"),
    ("trace(kron(A, B)) = trace(A)*trace(B)", "prove_general"),
    ("inv(kron(A, B)) = kron(inv(A), inv(B))", "prove_general"),
    ("det(kron(A, B)) = det(A)**m*det(B)**n", "prove_general"),
    ("kron(A, B)@kron(x, y) = kron(A@x, B@y)", "prove_general"),
    ("kron(E, X)@kron(X, E) = kron(E@X, X@E)", "prove_general"),
    ("kron(x, y).T@kron(x, y) = (x.T@x)*(y.T@y)", "prove_general"),
    ("kron(A + C, B) = kron(A, B) + kron(C, B)", "prove_general"),
    ("kron(A, B - D) = kron(A, B) - kron(A, D)", "prove_general"),
    ("kron(A + C, B)@kron(x, y) = kron(A@x, B@y) + kron(C@x, B@y)", "prove_general"),
    ("hessian(log(sum(exp(x))), x) = diag(softmax(x)) - softmax(x)@softmax(x).T",
     "prove_index_form"),
    ("x@x.T@x = (x.T@x)*x", "prove_noncommutative"),
    ("M@x@x.T@M.T@M@x = (x.T@M.T@M@x)*M@x", "prove_noncommutative"),
]

REFUTED = [
    "kron(A, B)@kron(C, D) = kron(C@A, D@B)",
    "kron(A, B) = kron(B, A)",
    "trace(kron(A, B)) = trace(A) + trace(B)",
    "inv(kron(A, B)) = kron(inv(B), inv(A))",
    "det(kron(A, B)) = det(A)**n*det(B)**m",
    "trace(kron(E, X)) = trace(E@X)",
    "kron(A + C, B + D) = kron(A, B) + kron(C, D)",
    "kron(A + C, B) = kron(A, B) + kron(B, C)",
    "hessian(log(sum(exp(x))), x) = diag(softmax(x)) - softmax(x)@softmax(x).T + eye(n)/n",
    "hessian(sum(x**4), x) = 4*diag(x**3)",
    "x@x.T@x = (x.T@x)*x + x",
    "M@x@x.T@M.T@M@x = (x.T@x)*M@x",
]


@pytest.mark.parametrize(("claim", "method"), PROVED)
def test_proved_in_general_dimension(claim: str, method: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, assume=ASSUME, timeout=60).verdict
    assert (verdict.status, verdict.method) == ("proved", method), verdict


@pytest.mark.parametrize("claim", REFUTED)
def test_false_neighbours_refuted(claim: str) -> None:
    verdict = verify(claim, symbols=SYMBOLS, assume=ASSUME, timeout=60).verdict
    assert verdict.status == "refuted", verdict
