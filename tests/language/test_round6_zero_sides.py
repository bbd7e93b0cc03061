"""A side written as a number against a vector or a matrix, read as NumPy broadcasts it:
(D − A)𝟏 = 0 is the zero vector, A − A = 0 the zero matrix, P𝟏 = 1 the all-ones vector.
Before, each was refuted by its shapes ("lhs is 2×1, rhs is 1×1"), a wrong verdict on a
true claim.  A nonzero number against a matrix that is not a vector stays a scalar (1 may
mean I or 𝟏𝟏ᵀ): still refuted by the shapes."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.claimfile import load_claim_file

HOLDS = ("proved", "proved-at-sizes")


@pytest.mark.parametrize("lhs,rhs,symbols", [
    # the Laplacian's rows sum to 0
    ("(diag(A @ ones(n)) - A) @ ones(n)", "0", "A: matrix(n, n)"),
    ("A - A", "0", "A: matrix(n, n)"),
    ("0", "x - x", "x: vector(n)"),
    ("kron(A, B) - kron(A, B)", "0", "A: matrix(n, n), B: matrix(m, m)"),
    # a row-stochastic matrix: P 1 = 1 (softmax along each row)
    ("softmax(Z) @ ones(m)", "1", "Z: matrix(n, m)"),
    ("x - x - ones(n)", "-1", "x: vector(n)"),
])
def test_a_number_side_is_the_constant_of_the_other_sides_shape(lhs, rhs, symbols):
    assert verify(lhs, rhs, symbols=symbols).verdict.status in HOLDS


@pytest.mark.parametrize("lhs,rhs,symbols", [
    ("A @ x", "0", "A: matrix(n, n), x: vector(n)"),  # false: refuted by values
    ("ones(n).T @ A", "1", "A: matrix(n, n)"),  # column sums, not row sums
])
def test_a_false_claim_with_a_number_side_is_refuted_by_values(lhs, rhs, symbols):
    r = verify(lhs, rhs, symbols=symbols, expect="fails")
    assert r.verdict.status == "refuted" and "shapes differ" not in (r.verdict.detail or "")


def test_a_condition_is_found_with_a_zero_side():
    r = verify("A - A.T", "0", symbols="A: matrix(n, n)", expect="holds if A symmetric")
    assert r.verdict.status == "conditional" and r.as_expected


def test_one_against_a_square_matrix_stays_a_scalar():
    r = verify("A - A", "1", symbols="A: matrix(n, n)", expect="fails")
    assert "shapes differ" in r.verdict.detail


def test_a_zero_step_and_a_toml_zero(tmp_path):
    path = tmp_path / "z.claims.toml"
    path.write_text('[[claim]]\nid = "laplacian"\nsymbols = { A = "matrix(n, n)" }\n'
                    'lhs = "(diag(A @ ones(n)) - A) @ ones(n)"\nrhs = 0\n\n'
                    '[[derivation]]\nid = "steps"\nsymbols = { A = "matrix(n, n)", '
                    'B = "matrix(n, n)" }\nsteps = ["A @ (B - B)", "A @ zeros(n, n)", "0"]\n',
                    encoding="utf-8")
    entries, errors = load_claim_file(str(path))
    assert not errors
    assert [verify(e).verdict.status in HOLDS for e in entries] == [True, True]
    derivation = verify(["A @ (B - B)", "0"], symbols="A: matrix(n, n), B: matrix(n, n)")
    assert derivation.verdict.status in HOLDS
