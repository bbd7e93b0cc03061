"""Round 14: superscripts and roots as papers and plain-text notes write them.  A⁻¹ and A^{-1}
(A^-1) of a square matrix are its inverse, s⁻¹ of a scalar 1 / s; x^2, x^{3}, s ^ 2 are
element-wise powers as x² is (of a matrix refused: the matrix power in maths); x^T, x^{T}, x^⊤
are x.T unless T is declared; √x, √(x + 1), √d_k are sqrt; e^{-s}, e^(x), e^s are exp unless e
is declared.  Each was refused before with its spelling.  Two superscripts in a row (A^{-1}^2)
are refused: ** would group them from the right."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier import verify
from verifier.claim import parse_symbols
from verifier.language import scope_of

SCOPE = scope_of(parse_symbols(
    "x: vector(n), y: vector(n), A: matrix(n, n), B: matrix(n, n), M: matrix(n, m), "
    "s: scalar, d: scalar, i: index(n)"))

_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    ("A⁻¹ @ x", "inv(A) @ x"), ("(A @ B)⁻¹", "inv(A @ B)"), ("A^{-1} @ x", "inv(A) @ x"),
    ("A^-1 @ x", "inv(A) @ x"), ("Aᵀ⁻¹", "inv(A.T)"), ("A^T^{-1}", "inv(A.T)"),
    ("s⁻¹", "s ** -1"), ("s^{-1} * x", "s ** -1 * x"),
    ("s^2", "s ** 2"), ("s^{3}", "s ** 3"), ("s ^ 2", "s ** 2"), ("x^2", "x ** 2"),
    ("(x.T @ y)^2", "(x.T @ y) ** 2"), ("-s^2", "-s ** 2"), ("s^2 / d^2", "s ** 2 / d ** 2"),
    ("x^T @ y", "x.T @ y"), ("x^{T} @ A @ x", "x.T @ A @ x"), ("x^⊤ @ y", "x.T @ y"),
    ("(A @ B)^T", "(A @ B).T"),
    ("√s", "sqrt(s)"), ("√(s + 1)", "sqrt(s + 1)"), ("x / √d", "x / sqrt(d)"),
    ("√x[i]", "sqrt(x[i])"), ("√x", "sqrt(x)"), ("√M", "sqrt(M)"),
    ("e^{x}", "exp(x)"), ("√2 * s", "sqrt(2) * s"), ("x / √n", "x / sqrt(n)"),
    ("e^{-s}", "exp(-s)"), ("1 / (1 + e^(-s))", "1 / (1 + exp(-s))"), ("e^s", "exp(s)"),
    ("e^-s", "exp(-s)"), ("s * e^{s^2 / 2}", "s * exp(s ** 2 / 2)"),
])
def test_a_superscript_or_root_is_read(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "says"), [
    ("A^2", "the matrix power in maths; write A @ A"),
    ("x⁻¹", "not square; for element-wise reciprocals write 1 / x"),
    ("M^{-1}", "not square"),
    ("A^{-1}^2", "two superscripts in a row"), ("s²³", "two superscripts in a row"),
    ("2√A", "matrix square root"),  # 2√s is read as 2 * sqrt(s) since round 15
    ("s√", "write sqrt(x) for √x"),
    # of a square matrix, √A and e^A are the matrix root and exponential in maths
    ("√A", "√A of a square matrix is its matrix square root"),
    ("√(A @ B)", "√(A @ B) of a square matrix"),
    ("e^{A}", "e^A of a square matrix is its matrix exponential"),
])
def test_a_superscript_that_cannot_be_read_is_refused(written: str, says: str) -> None:
    assert says in _refusal(written)


def test_declared_names_keep_their_meaning() -> None:
    scope = scope_of(parse_symbols("x: vector(T), K: matrix(T, d), e: scalar, s: scalar"))
    # T a declared size: ^T of a matrix is its transpose (a power of a matrix by T is not in
    # the language), of a scalar a power; of a 1×1 product refused
    assert _read("x^T @ x", scope=scope) == "x.T @ x"
    assert _read("softmax(K @ K^T / √d)", scope=scope) == "softmax(K @ K.T / sqrt(d))"
    assert _read("s^T", scope=scope) == "s ** T"
    assert "its transpose is itself, or a power by the size T" in _refusal("(x.T @ x)^T",
                                                                            scope=scope)
    # e: a declared scalar; e^s is e ** s since round 15, refused for its exponent
    assert "a symbolic exponent must be integer-valued" in _refusal("e^s", scope=scope)
    assert _read("e ** 2", scope=scope) == "e ** 2"


def test_claims_written_with_superscripts_are_decided() -> None:
    sym = "A: matrix(n, n), B: matrix(n, n)"
    assert verify("(A @ B)^{-1} = B^{-1} @ A^{-1}", symbols=sym,
                  assume=["A invertible", "B invertible"]).verdict.status == "proved"
    assert verify("(A @ B)⁻¹ = A⁻¹ @ B⁻¹", symbols=sym, assume=["A invertible", "B invertible"],
                  expect="fails").as_expected
    assert verify("e^{log(s)} = s", symbols="s: scalar",
                  assume=["s > 0"]).verdict.status == "proved"
