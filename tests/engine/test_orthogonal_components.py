"""Orthogonal matrices D·C(K) with every diagonal sign matrix D, not only I and diag(−1, 1, …).

The Cayley transform C(K) = (I − K)(I + K)⁻¹ of a skew K never has the eigenvalue −1, so
D·C(K) with D = I or diag(−1, 1, …) is dense in each component of O(n) but misses −I (n = 2)
and every rotation by π.  Dense is enough for a continuous claim, not for a comparison:
(tr Q > −2) = 1 with Q orthogonal 2×2 (false at −I alone) was "proved-at-sizes", and
(|det(Q + I)| > 0) = 1 for rotations (false at every rotation by π) was "checked".  With
every D the parametrisation is onto (Liebeck & Osborne 1991).  Each counterexample is
re-checked here in exact arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from verifier import verify
from verifier.api import as_entry
from verifier.domains import structure_for
from verifier.instantiate import component_count


def _matrix(r, name: str) -> sp.Matrix:
    return sp.Matrix([[Fraction(v) for v in row]
                      for row in r.verdict.counterexample.values[name]])


def _orthogonal(q: sp.Matrix) -> bool:
    return q.T * q == sp.eye(q.rows)


def test_minus_identity_is_reached():
    r = verify("(trace(Q) > -2)", "1", symbols="Q: matrix(n, n)", assume=["Q orthogonal"],
               sizes=[{"n": 2}], timeout=30)
    assert r.verdict.status == "refuted", r.verdict
    q = _matrix(r, "Q")
    assert _orthogonal(q) and q.trace() == -2


@pytest.mark.parametrize("n", [2, 3])
def test_rotations_by_pi_are_reached(n):
    r = verify("(abs(det(Q + eye(n))) > 0)", "1", symbols="Q: matrix(n, n)",
               assume=["Q orthogonal", "det(Q) positive"], sizes=[{"n": n}],
               timeout=20)
    assert r.verdict.status == "refuted", r.verdict
    q = _matrix(r, "Q")
    assert _orthogonal(q) and q.det() == 1 and (q + sp.eye(n)).det() == 0


def test_a_continuous_claim_is_proved_over_the_dense_components_only():
    smooth = as_entry("norm(Q @ x)", "norm(x)", symbols="Q: matrix(n, n), x: vector(n)",
                      assume=["Q orthogonal"])
    kinked = as_entry("(trace(Q) > -2)", "1", symbols="Q: matrix(n, n)",
                      assume=["Q orthogonal"])
    assert component_count(smooth, {"n": 3}) == 2
    assert component_count(kinked, {"n": 3}) == 8


@pytest.mark.parametrize("props", [("orthogonal",), ("orthogonal", "symmetric"),
                                   ("orthogonal", "skew-symmetric")])
def test_every_component_has_the_structure(props):
    s = structure_for(frozenset(props))
    n = 2
    for c in range(s.components(n)):
        q, params = s.symbolic("t", n, c)
        at = {p: sp.Rational(k + 2, 3) for k, p in enumerate(params)}
        m = q.xreplace(at)
        assert _orthogonal(m)
        if "symmetric" in props:
            assert m == m.T
        if "skew-symmetric" in props:
            assert m == -m.T
