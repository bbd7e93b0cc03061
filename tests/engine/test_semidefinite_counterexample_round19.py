"""A verdict on "A positive semidefinite" (read as A = F Fᵀ, language/semidefinite.py) is told
in the claim's own symbols: the counterexample gives A itself, which a reader checks for A ⪰ 0
and puts into the claim (it gave only A_factor), and no condition is stated on the factor
("A_factor orthogonal", i.e. A = I, was offered: not a condition the claim can state)."""

from __future__ import annotations

import sympy as sp

from verifier.api import verify


def _matrix(value) -> sp.Matrix:
    if isinstance(value, str):
        return sp.Matrix([[sp.Rational(value)]])
    return sp.Matrix([[sp.Rational(e) for e in row] for row in value])


def _psd(m: sp.Matrix) -> bool:
    return m == m.T and all(v >= 0 for v in m.eigenvals())


def test_the_counterexample_gives_the_semidefinite_matrix_and_no_factor_condition():
    # false: A = [[1, -1], [-1, 1]] is PSD ("A_factor skew-symmetric", A = c²I, was offered)
    v = verify("A[0, 1] >= 0", symbols={"A": "matrix(2,2)"}, assume=["A psd"],
               timeout=5).verdict
    assert v.status == "refuted" and v.condition is None
    a = _matrix(v.counterexample.values["A"])
    f = _matrix(v.counterexample.values["A_factor"])
    assert a == f * f.T and _psd(a) and a[0, 1] < 0


def test_a_one_by_one_factor_gives_its_square():
    # false for B = -1 (n = 1); B positive definite is a condition the claim can state
    v = verify("trace(A @ B) >= 0", symbols={"A": "matrix(n,n)", "B": "matrix(n,n)"},
               assume=["A psd", "B symmetric"], timeout=10).verdict
    assert v.status == "conditional" and v.condition == "B positive definite"
    a, b = (_matrix(v.counterexample.values[k]) for k in ("A", "B"))
    assert _psd(a) and (a * b).trace() < 0
