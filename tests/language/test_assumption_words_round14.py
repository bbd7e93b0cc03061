"""Round 14: assumptions in the words of notes and papers.  "A is a symmetric matrix", "Q is an
orthogonal matrix", "s is a positive scalar", "s strictly positive" were unknown assumptions;
"X has full column rank" (⇔ XᵀX invertible for a real X) and "p >= 0 and sum(p) = 1" (the
vocabulary's "p sums to 1": non-negative entries summing to 1) were refused."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.api import as_entry

SYMBOLS = "x: vector(n), A: matrix(n, n), Q: matrix(n, n), s: scalar, p: vector(n), " \
          "X: matrix(N, d)"


@pytest.mark.parametrize(("written", "reading"), [
    ("A is a symmetric matrix", "A symmetric"), ("A is a real symmetric matrix", "A symmetric"),
    ("Q is an orthogonal matrix", "Q orthogonal"), ("A is a diagonal matrix", "A diagonal"),
    ("A is a symmetric positive definite matrix", "A positive definite"),
    ("A is an invertible matrix", "A invertible"), ("s is a positive scalar", "s positive"),
    ("x is a positive vector", "x positive"), ("s strictly positive", "s positive"),
    ("s is strictly negative", "s negative"),
    ("X has full column rank", "X.T @ X invertible"),
    ("X is full column rank", "X.T @ X invertible"),
    ("X has full row rank", "X @ X.T invertible"),
    ("p >= 0 and sum(p) = 1", "p sums to 1"), ("p ≥ 0, sum(p) = 1", "p sums to 1"),
])
def test_an_assumption_in_words_is_read(written: str, reading: str) -> None:
    entry = as_entry("s", "s", symbols=SYMBOLS, assume=[written])
    assert [str(a) for a in entry.assumptions] == [reading]


def test_full_column_rank_makes_the_normal_equations_hold() -> None:
    # the least-squares solution satisfies the normal equations where XᵀX is invertible
    result = verify("X.T @ (X @ (inv(X.T @ X) @ X.T @ y) - y)", "zeros(d)",
                    symbols="X: matrix(N, d), y: vector(N)", assume=["X has full column rank"])
    assert result.verdict.status in ("proved", "proved-at-sizes")


def test_a_probability_vector_in_symbols_is_read() -> None:
    # Σ pᵢ(xᵢ − c) = pᵀx − c when p sums to 1
    result = verify("p @ (x - c)", "p @ x - c", symbols="p: vector(n), x: vector(n), c: scalar",
                    assume=["p >= 0 and sum(p) = 1"])
    assert result.verdict.status in ("proved", "proved-at-sizes")
