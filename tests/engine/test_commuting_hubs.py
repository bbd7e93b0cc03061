"""Commuting pairs beyond B = p(A), cI and one repeated eigenvalue: hubs whose eigenspaces
split the space in any number of parts (distinct eigenvalues, three or more eigenspaces),
hubs with Jordan blocks, and claims that are not continuous.

Each claim below agreed at every point the sampler drew before (so it was "checked") and is
false; every counterexample is re-checked here with exact SymPy arithmetic."""

from __future__ import annotations

import random

import pytest
import sympy as sp

from verifier.claimfile import one_liner
from verifier.domains import CommutePlan, commute_plan, sample_values, violated
from verifier.engine import Options, decide


def _matrix(rows) -> sp.Matrix:
    return sp.Matrix([[sp.Rational(e) for e in row] for row in rows])


def _hankel3(m: str, p0: str) -> str:
    """det of the 3×3 Hankel matrix of the power sums tr(Mᵏ): Σ over triples of eigenvalues
    of their squared Vandermonde; 0 exactly where M has at most two distinct eigenvalues
    (M diagonalisable)."""
    p = {k: f"trace({' @ '.join([m] * k)})" for k in range(1, 5)}
    return (f"({p0}*({p[2]}*{p[4]} - {p[3]}**2) - {p[1]}*({p[1]}*{p[4]} - {p[2]}*{p[3]})"
            f" + {p[2]}*({p[1]}*{p[3]} - {p[2]}**2))")


def _hankel3_value(m: sp.Matrix, p0) -> sp.Expr:
    p = [(m ** k).trace() if k else p0 for k in range(5)]
    return sp.Matrix(3, 3, lambda i, j: p[i + j]).det()


def _decide(lhs, rhs, symbols, assume, conditions=False):
    claim = one_liner(lhs, rhs, symbols, assume)
    return claim, decide(claim, Options(timeout=60, conditions=conditions)).verdict


def test_generic_pair_with_one_side_symmetric_is_sampled():
    # B symmetric, A free: every point had A = cI or B = cI or a repeated eigenvalue, so
    # H(A)·H(B) (each 0 exactly at a repeated eigenvalue) was 0 at every point: "checked".
    # A = B = diag(1, 2, 3) commute and give 4 · 4.
    h_a, h_b = _hankel3("A", "3"), _hankel3("B", "3")
    claim, v = _decide(f"{h_a} * {h_b}", "0", "A: matrix(3, 3), B: matrix(3, 3)",
                       ["A and B commute", "B symmetric"])
    assert v.status == "refuted", v
    a, b = (_matrix(v.counterexample.values[k]) for k in "AB")
    assert a * b == b * a and b == b.T
    assert _hankel3_value(a, 3) * _hankel3_value(b, 3) != 0
    assert not violated(claim, {"A": a, "B": b})


def test_three_eigenspaces_are_sampled():
    # G₃(B)·(A − Aᵀ): 0 where B has at most two distinct eigenvalues, and where A = p(B) is
    # symmetric; nonzero where B has exactly three (n ≥ 4: diag(λI₂, μ, ν), A = diag(X, y, z)
    # with X not symmetric).  True at n = 1, 2, 3, false from n = 4.
    g3 = _hankel3("B", "n")
    claim, v = _decide(f"{g3} * (A - A.T)", "zeros(n, n)", "A: matrix(n, n), B: matrix(n, n)",
                       ["A and B commute", "B symmetric"])
    assert v.status == "refuted", v
    a, b = (_matrix(v.counterexample.values[k]) for k in "AB")
    n = a.shape[0]
    assert n >= 4
    assert a * b == b * a and b == b.T
    assert _hankel3_value(b, n) * (a - a.T) != sp.zeros(n, n)


def test_a_discontinuous_claim_on_a_free_pair_is_sampled_off_the_polynomials():
    # B[0, 1]·1[A = cI]: 0 wherever B = p(A) (A = cI gives B = p(cI) scalar), B[0, 1] at
    # A = cI with any B.  B = p(A) is dense in the commuting pairs, but this claim is not
    # continuous, so density proves nothing of it: it was "checked"
    claim, v = _decide("B[0, 1] * (A[0, 1]**2 + A[1, 0]**2 + (A[0, 0] - A[1, 1])**2 <= 0)", "0",
                       "A: matrix(2, 2), B: matrix(2, 2)", ["A and B commute"])
    assert v.status == "refuted", v
    a, b = (_matrix(v.counterexample.values[k]) for k in "AB")
    assert a * b == b * a
    assert a == a[0, 0] * sp.eye(2) and b[0, 1] != 0


def test_a_discontinuous_claim_gets_no_proof_over_the_polynomials():
    plan = commute_plan(one_liner("(A[0, 0] > 0) * B", "B", "A: matrix(n, n), B: matrix(n, n)",
                                  ["A and B commute"]))
    assert isinstance(plan, CommutePlan) and "comparison" in plan.gap
    smooth = commute_plan(one_liner("A @ B", "B @ A", "A: matrix(n, n), B: matrix(n, n)",
                                    ["A and B commute"]))
    assert isinstance(smooth, CommutePlan) and not smooth.gap


def test_continuous_commuting_claims_still_hold():
    _, v = _decide("A @ B.T", "B.T @ A", "A: matrix(n, n), B: matrix(n, n)",
                   ["A symmetric", "A and B commute"])
    assert v.status in ("proved", "proved-at-sizes", "checked"), v
    _, v = _decide("A @ B @ A", "A @ A @ B", "A: matrix(n, n), B: matrix(n, n)",
                   ["A and B commute"])
    assert v.status in ("proved", "proved-at-sizes"), v


def _minimal_degree(m: sp.Matrix) -> int:
    n = m.shape[0]
    powers = [sp.eye(n)]
    for k in range(1, n + 1):
        powers.append(powers[-1] * m)
        if sp.Matrix([list(p) for p in powers]).rank() < len(powers):
            return k
    return n


@pytest.mark.parametrize("assume", [["B symmetric"], []])
def test_sampler_draws_jordan_hubs_and_three_eigenspaces(assume):
    lhs = "(A[0, 0] > 0) * trace(B)"  # not continuous: the free pair gets hubs too
    claim = one_liner(lhs, "0", "A: matrix(4, 4), B: matrix(4, 4)",
                      ["A and B commute", *assume])
    rng = random.Random(3)
    jordan = three = 0
    for _ in range(200):
        v = sample_values(claim, {}, {}, rng)
        a, b = v["A"], v["B"]
        assert a * b == b * a and not violated(claim, v)
        if jordan and three:  # both kinds seen: the rest only checked to commute (cheap)
            continue
        x = sp.Symbol("x")
        for m in (a, b):
            distinct = int(sp.degree(sp.sqf_part(m.charpoly(x).as_expr()), x))
            deg = _minimal_degree(m)
            jordan += deg > distinct
            three += distinct == 3 and deg == 3
    assert jordan and three
