"""Round 14: products written by juxtaposition, as papers write them, where a declared matrix is
among the factors: Wx is W @ x, AB is A @ B, ‖Ax − b‖² is norm(A @ x - b) ** 2, xᵀAx (and
x^TAx) is x.T @ A @ x, xᵀy is x.T @ y (the ᵀ says a product follows).  Each was refused before
with what to write.  Names glued from vectors or scalars alone (xy, ab) stay refused: they
could be one undeclared name."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier import verify
from verifier.claim import parse_symbols
from verifier.language import scope_of

SCOPE = scope_of(parse_symbols(
    "x: vector(n), y: vector(n), b: vector(n), A: matrix(n, n), B: matrix(n, n), "
    "M: matrix(n, m), s: scalar, t: scalar"))

_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    ("Ax", "A @ x"), ("AB", "A @ B"), ("ABx", "A @ B @ x"), ("Ax + b", "A @ x + b"),
    ("‖Ax − b‖²", "norm(A @ x - b) ** 2"), ("tanh(Ax + b)", "tanh(A @ x + b)"),
    ("sA", "s * A"), ("(AB)ᵀ", "(A @ B).T"),
    ("xᵀAx", "x.T @ A @ x"), ("xᵀy", "x.T @ y"), ("Aᵀx", "A.T @ x"), ("x^TAx", "x.T @ A @ x"),
    ("xᵀAy + s", "x.T @ A @ y + s"),
])
def test_a_glued_product_with_a_matrix_is_read(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "says"), [
    ("xy", 'unknown name "xy"; write x @ y'),  # vectors alone: maybe one name
    ("st", 'unknown name "st"; write s @ t'),
    ("MM", "shapes do not fit: M is n×m, M is n×m in MM"),
    ("xᵀsx", "write x.T @ s @ x"),
    # a postfix binds to the last factor in maths, to the whole product in the parse
    ("ABᵀ", "with parentheses for what follows it: A @ (B…) or (A @ B)…"),
    ("BᵀAᵀ", "write B.T @ A"),
    ("Ax²", 'unknown name "Ax"; write A @ x'), ("Ax[0]", 'unknown name "Ax"'),
    ("sA⁻¹", 'unknown name "sA"'), ("xᵀAx ** 2", "write x.T @ A @ x"),
])
def test_a_glued_name_without_a_matrix_or_that_does_not_fit_is_refused(written: str,
                                                                       says: str) -> None:
    assert says in _refusal(written)


def test_claims_written_by_juxtaposition_are_decided() -> None:
    sym = "x: vector(n), A: matrix(n, n), B: matrix(n, n)"
    assert verify("(AB)ᵀ = Bᵀ @ Aᵀ", symbols=sym).verdict.status == "proved"
    assert verify("grad(xᵀAx, x) = (A + Aᵀ) @ x", symbols=sym).verdict.status == "proved"
    wrong = verify("grad(xᵀAx, x) = 2 * Ax", symbols=sym,
                   expect="holds if A symmetric")
    assert wrong.verdict.status == "conditional" and wrong.as_expected
