"""The judge's sampler reaches commuting pairs whose hub has a repeated eigenvalue.

A symmetric A commuting with a free B: besides B = p(A) and A = cI, A = P diag(λ, λ, μ) Pᵀ
commutes with every P diag(X, y) Pᵀ.  (A − tr(A)/3·I)(BᵀB − BBᵀ) vanishes on the first two
families and not on the third, so a judge that never samples it would accept a condition
or a "holds" that is false there.
"""

from __future__ import annotations

import random

import sympy as sp

from verifier.claimfile import one_liner
from verifier.selftest.admissible import sample


def _sym(m) -> sp.Matrix:
    return sp.Matrix([[sp.Rational(x) for x in row] for row in m.rows])


def test_repeated_eigenvalue_hub_is_sampled():
    claim = one_liner("(A - trace(A)/3*eye(3)) @ (B.T @ B - B @ B.T)", "zeros(3, 3)",
                      "A: matrix(3, 3), B: matrix(3, 3)", ["A symmetric", "A and B commute"])
    rng = random.Random(0)
    reached = 0
    for _ in range(40):
        point = sample(claim.symbols, claim.assumptions, {}, rng)
        a, b = _sym(point.values["A"]), _sym(point.values["B"])
        assert a * b == b * a and a == a.T
        reached += not ((a - a.trace() / 3 * sp.eye(3)) * (b.T * b - b * b.T)).is_zero_matrix
    assert reached > 0


def test_diagonal_hub_stays_diagonal():
    claim = one_liner("B", "B", "A: matrix(3, 3), B: matrix(3, 3)",
                      ["A diagonal", "A and B commute"])
    rng = random.Random(1)
    off_diagonal = 0
    for _ in range(40):
        point = sample(claim.symbols, claim.assumptions, {}, rng)
        a, b = _sym(point.values["A"]), _sym(point.values["B"])
        assert a.is_diagonal() and a * b == b * a
        off_diagonal += not b.is_diagonal()
    assert off_diagonal > 0  # A = cI or a repeated entry frees B's blocks
