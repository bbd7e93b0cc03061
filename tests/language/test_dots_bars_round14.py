"""Round 14: the middle dot, ⊗ and single bars as papers write them.  x · y (x ⋅ y) of two
vectors of one length is their inner product xᵀy, beside a scalar a product; between matrices
refused (@ or *?).  A ⊗ B of matrices is kron(A, B); of two vectors refused (the outer product
uvᵀ in many ML texts, kron in others); beside @ without parentheses refused.  |s| of a scalar
is abs where the text has no ASCII || (beside ‖ a | closes only a |); |x| of a vector is
refused (the norm, or every entry?), |A| of a matrix too (its determinant in many notes);
log|s| is log(abs(s)).  Each was refused before.  ||x|| stays norm(x)."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier import verify
from verifier.claim import parse_symbols
from verifier.language import scope_of

SCOPE = scope_of(parse_symbols(
    "x: vector(n), y: vector(n), u: vector(m), A: matrix(n, n), B: matrix(m, m), "
    "s: scalar, t: scalar"))

_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    ("x · y", "x.T @ y"), ("x·y", "x.T @ y"), ("x ⋅ y", "x.T @ y"), ("s · t", "s * t"),
    ("2 · x", "2 * x"), ("(A @ x) · y", "(A @ x).T @ y"), ("s · x · y", "(s * x).T @ y"),
    ("A ⊗ B", "kron(A, B)"), ("A ⊗ B + A ⊗ B", "kron(A, B) + kron(A, B)"),
    ("(A ⊗ B) @ (A ⊗ B)", "kron(A, B) @ kron(A, B)"),
    ("|s|", "abs(s)"), ("|s - t|", "abs(s - t)"), ("|s|^2", "abs(s) ** 2"),
    ("|x · y|", "abs(x.T @ y)"),
    ("|s|²", "abs(s) ** 2"), ("log|s| + s", "log(abs(s)) + s"), ("sqrt|s|", "sqrt(abs(s))"),
    ("||x||", "norm(x)"), ("||x - y||^2", "norm(x - y) ** 2"),
    # ‖ and | together: a | closes a |, a ‖ a ‖
    ("|x · y| <= ‖x‖ * ‖y‖", "abs(x.T @ y) <= norm(x) * norm(y)"),
    ("‖x - |s| * y‖", "norm(x - abs(s) * y)"), ("|‖x‖ - ‖y‖|", "abs(norm(x) - norm(y))"),
])
def test_a_dot_a_kronecker_and_bars_are_read(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "says"), [
    ("A · A", "write A @ A for the matrix product or A * A for the element-wise one"),
    ("x · u", "two vectors of one length"),
    ("x ⊗ y", "outer product x @ y.T in many texts and the Kronecker product kron(x, y)"),
    ("A ⊗ B @ A ⊗ B", "⊗ beside @ without parentheses"),
    ("s ⊗ A", "⊗ takes two matrices"),
    ("|A|", "|A| of a matrix is its determinant in many notes"),
    ("log|A| + s", "write det(A)"),
    ("|x|_1", "|·|_1 is not read"),
    ("|x - y|", "of a vector is its norm in some texts"),
    ("A @ x · y", "· beside @ without parentheses"),
    ("||x|| + |s|", "write abs(x) for |x| and norm(x) for ‖x‖"),  # ASCII || beside |: refused
])
def test_what_cannot_be_read_one_way_is_refused(written: str, says: str) -> None:
    assert says in _refusal(written)


def test_claims_written_with_dots_and_bars_are_decided() -> None:
    sym = "x: vector(n), y: vector(n), s: scalar"
    assert verify("x · y = y · x", symbols=sym).verdict.status == "proved"
    assert verify("abs(x · y) <= norm(x) * norm(y)",
                  symbols=sym).verdict.status in ("proved", "proved-at-sizes", "checked")
    assert verify("|s| * |s| = s · s", symbols=sym).verdict.status in ("proved",
                                                                        "proved-at-sizes")
    kron = verify("(A ⊗ B)^T = A^T ⊗ B^T", symbols="A: matrix(n, n), B: matrix(m, m)")
    assert kron.verdict.status == "proved"
