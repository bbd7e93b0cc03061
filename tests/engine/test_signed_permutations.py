"""Orthogonal matrices at signed permutations: the swaps rational Cayley parameters miss.

A symmetric orthogonal matrix is R Dₖ Rᵀ; the swap [[0, 1], [1, 0]] needs R a rotation by
π/4, whose Cayley parameter tan(π/8) is irrational, so no drawn point is a swap, and a
comparison on the entries can switch there alone.  (|Q₀₂| < 1) = 1 with Q symmetric
orthogonal 3×3 (false at the swap of 0 and 2) was "checked", and (Q₀₀² + Q₁₁² > 0) = 1 with
Q orthogonal 2×2 got "holds if Q symmetric (checked)", false at the swap.  Each
counterexample is re-checked here in exact arithmetic, with its assumptions.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy as sp

from verifier import verify
from verifier.domains import signed_permutations


def _matrix(r, name: str) -> sp.Matrix:
    return sp.Matrix([[Fraction(v) for v in row]
                      for row in r.verdict.counterexample.values[name]])


def _orthogonal(q: sp.Matrix) -> bool:
    return q.T * q == sp.eye(q.rows)


def test_a_symmetric_swap_refutes_an_entry_bound():
    r = verify("(abs(Q[0, 2]) < 1)", "1", symbols="Q: matrix(3, 3)",
               assume=["Q orthogonal", "Q symmetric"], timeout=20)
    assert r.verdict.status == "refuted", r.verdict
    q = _matrix(r, "Q")
    assert _orthogonal(q) and q == q.T and abs(q[0, 2]) == 1


def test_no_symmetric_condition_where_a_swap_breaks_it():
    r = verify("(Q[0, 0] ** 2 + Q[1, 1] ** 2 > 0)", "1", symbols="Q: matrix(2, 2)",
               assume=["Q orthogonal"], timeout=20)
    assert r.verdict.status == "refuted", r.verdict  # not 'holds if Q symmetric'
    q = _matrix(r, "Q")
    assert _orthogonal(q) and q[0, 0] == q[1, 1] == 0


@pytest.mark.parametrize("props,n", [
    (("orthogonal",), 3), (("orthogonal", "symmetric"), 4), (("orthogonal", "symmetric"), 1),
    (("orthogonal", "skew-symmetric"), 4), (("orthogonal", "skew-symmetric"), 3)])
def test_every_permutation_drawn_is_in_its_set(props, n):
    perms = signed_permutations(frozenset(props), n, random.Random(1))
    assert perms or ("skew-symmetric" in props and n % 2)
    for m in perms:
        assert _orthogonal(m) and all(abs(e) in (0, 1) for e in m)
        if "symmetric" in props:
            assert m == m.T
        if "skew-symmetric" in props:
            assert m == -m.T
