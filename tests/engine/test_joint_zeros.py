"""Points where two or three polynomial switches hold at once: nilpotent, idempotent and
involutive 2×2 matrices.

(tr A == 0)(det A == 0)(A₀₁ > 1/3) = 0 (written with ≥ and ≤) is false at [[0, 1], [0, 0]],
and its idempotent (tr A = 1) and involutive (tr A = 0, det A = −1, A₀₁ > 2) variants at
points of a variety of codimension two: each switch solved alone, the others at a base
point, never met the rest, and all three were "checked".  Under "A symmetric" the
idempotent one is false at [[1/2, 1/2], [1/2, 1/2]], a quadratic's rational root, and the
condition must not be offered.  Each counterexample is re-checked in exact arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from verifier import verify

GATE = "(trace(A) >= {t}) * (trace(A) <= {t}) * (det(A) >= {d}) * (det(A) <= {d}) * (A[0, 1] > {c})"


@pytest.mark.parametrize("t,d,c", [(0, 0, "1/3"), (1, 0, "1/3"), (0, -1, 2)])
def test_a_matrix_on_two_switches_at_once_refutes(t, d, c):
    r = verify(GATE.format(t=t, d=d, c=c), "0", symbols="A: matrix(2, 2)", expect="fails",
               timeout=20)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    a = sp.Matrix([[Fraction(v) for v in row] for row in r.verdict.counterexample.values["A"]])
    assert a.trace() == t and a.det() == d and a[0, 1] > sp.Rational(c)
    # no condition it breaks: a symmetric idempotent reaches A₀₁ = 1/2
    assert r.verdict.condition != "A symmetric" or (t, d) != (1, 0)
