"""Probability vectors drawn anywhere in the simplex, not only with small free entries.

The free entries of a vector assumed to sum to 1 were drawn one by one below 1/n (the last
entry 1 − their sum), and its special points are the uniform vector and the vertices; with
"p positive" too the vertices are out, so (p₀ < 9/10) = 1 at n = 3 (false near the vertex
e₀) was "checked".  Half of the random points now draw the free entries jointly, as w/Σw
with one weight often much heavier.  Each counterexample is re-checked here exactly.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from verifier import verify
from verifier.domains import spread_simplex


def test_spread_points_are_positive_probability_vectors():
    rng = random.Random(3)
    points = [spread_simplex(4, rng) for _ in range(200)]
    assert all(sum(p) == 1 and all(x > 0 for x in p) for p in points)
    assert any(max(p) > Fraction(9, 10) for p in points)  # near a vertex, too


@pytest.mark.parametrize("sizes", [[{"n": 3}], None])
def test_a_claim_false_near_a_vertex_is_refuted(sizes):
    r = verify("(p[0] < 9 / 10)", "1", symbols="p: vector(n)",
               assume=["p sums to 1", "p positive"], sizes=sizes)
    assert r.verdict.status == "refuted", r.verdict
    p = [Fraction(row[0]) for row in r.verdict.counterexample.values["p"]]
    assert sum(p) == 1 and all(x > 0 for x in p) and p[0] >= Fraction(9, 10)


@pytest.mark.parametrize("k, bound", [(0, "9 / 10"), (1, "19 / 20"), (2, "19 / 20")])
def test_every_vertex_is_approached_by_the_special_points(k, bound):
    # onehot(k, 3).T @ p is p[k]; random points reached e₁ with p₁ ≥ 19/20 only now and then
    # (the self-test's simplex_corners found three seeds where it was "checked")
    r = verify(f"(onehot({k}, 3).T @ p < {bound})", "1", symbols="p: vector(3)",
               assume=["p sums to 1", "p positive"], seed=1)
    assert r.verdict.status == "refuted", r.verdict
    p = [Fraction(row[0]) for row in r.verdict.counterexample.values["p"]]
    assert sum(p) == 1 and all(x > 0 for x in p) and p[k] >= Fraction(9, 10)
