"""Commuting pairs whose hub has a repeated eigenvalue but is not a multiple of I.

With a structure on one side only (A symmetric, diagonal, definite or orthogonal; B free)
the pairs (A, p(A)) and (cI, B) miss a third component: A = S diag(λI₂, μ) S⁻¹ commutes
with every S diag(X, y) S⁻¹, X any 2×2 block.  Each claim below holds on the first two and
fails on the third alone, so it was "checked"; every counterexample is re-checked here
with exact SymPy arithmetic, independently of the engine.
"""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.claimfile import one_liner
from verifier.engine import Options, decide

SYMBOLS = "A: matrix(3,3), B: matrix(3,3)"
# (A − tr(A)/3 I)·(BᵀB − BBᵀ): 0 for A = cI, 0 for B = p(A) with A normal (B normal)
NORMAL = "(A - trace(A)/3*eye(3)) @ (B.T @ B - B @ B.T)"
# (A − tr(A)/3 I)·(B − diag B): 0 for A = cI, 0 for B = p(A) with A diagonal
OFF_DIAGONAL = "(A - trace(A)/3*eye(3)) @ (B - diag(diag(B)))"


def _matrix(rows) -> sp.Matrix:
    return sp.Matrix([[sp.Rational(e) for e in row] for row in rows])


def _normal_gap(a: sp.Matrix, b: sp.Matrix) -> sp.Matrix:
    return (a - a.trace() / 3 * sp.eye(3)) * (b.T * b - b * b.T)


def _off_diagonal(a: sp.Matrix, b: sp.Matrix) -> sp.Matrix:
    return (a - a.trace() / 3 * sp.eye(3)) * (b - sp.diag(*[b[i, i] for i in range(3)]))


@pytest.mark.parametrize("lhs, structure, residual", [
    (NORMAL, "A symmetric", _normal_gap),
    (NORMAL, "A positive definite", _normal_gap),
    (NORMAL, "A orthogonal", _normal_gap),
    (OFF_DIAGONAL, "A diagonal", _off_diagonal),
])
def test_repeated_eigenvalue_component_is_sampled(lhs, structure, residual):
    claim = one_liner(lhs, "zeros(3,3)", SYMBOLS, [structure, "A and B commute"])
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted", v
    a = _matrix(v.counterexample.values["A"])
    b = _matrix(v.counterexample.values["B"])
    assert a * b == b * a
    assert {"A symmetric": a == a.T, "A positive definite": a == a.T and all(
        a[:k, :k].det() > 0 for k in (1, 2, 3)), "A orthogonal": a.T * a == sp.eye(3),
        "A diagonal": a.is_diagonal()}[structure]
    assert residual(a, b) != sp.zeros(3, 3)


def test_true_claim_on_the_same_sets_still_holds():
    # A symmetric commuting with B: Bᵀ commutes with A as well, in every component
    claim = one_liner("A @ B.T", "B.T @ A", SYMBOLS, ["A symmetric", "A and B commute"])
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status in ("proved", "proved-at-sizes", "checked"), v


THREE = "A: matrix(3,3), B: matrix(3,3), C: matrix(3,3)"


@pytest.mark.parametrize("lhs, rhs, structures", [
    # A diagonal commutes with B and C: A = cI (or diag(λ, λ, μ)) frees both, BC ≠ CB
    ("B @ C", "C @ B", ["A diagonal"]),
    # A symmetric orthogonal (3×3) always has a repeated eigenvalue: B, C share its blocks
    ("(A - trace(A)/3*eye(3)) @ (B @ C - C @ B)", "zeros(3, 3)",
     ["A orthogonal", "A symmetric", "B symmetric", "C symmetric"]),
])
def test_matrix_commuting_with_two_is_the_hub(lhs, rhs, structures):
    claim = one_liner(lhs, rhs, THREE, ["A and B commute", "A and C commute", *structures])
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted", v
    a, b, c = (_matrix(v.counterexample.values[k]) for k in "ABC")
    assert a * b == b * a and a * c == c * a
    assert a.is_diagonal() if "A diagonal" in structures else (
        a.T * a == sp.eye(3) and a == a.T and b == b.T and c == c.T)
    assert (a - a.trace() / 3 * sp.eye(3)) * (b * c - c * b) != sp.zeros(3, 3) if (
        "A orthogonal" in structures) else b * c != c * b


def test_pair_without_parametrisation_is_sampled_through_a_hub():
    # B orthogonal commuting with a skew Q has no polynomial parametrisation: every drawn
    # pair failed to commute, so D = 4 (det(gQ) = g⁴ det Q) was never reached
    claim = one_liner("det(g * Q) * det(B)", "g ** 2 * det(Q) * det(B)",
                      "Q: matrix(D, D), B: matrix(D, D), g: scalar",
                      ["Q skew-symmetric", "B orthogonal", "Q and B commute"])
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted", v
    q, b = (_matrix(v.counterexample.values[k]) for k in "QB")
    g = sp.Rational(v.counterexample.values["g"])
    assert q == -q.T and b.T * b == sp.eye(4) and q * b == b * q
    assert (g * q).det() * b.det() != g**2 * q.det() * b.det()
