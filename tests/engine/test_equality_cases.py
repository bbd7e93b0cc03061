"""Strict inequalities that fail only at their equality case, a single point no random or
one-value-for-every-parameter sample reaches: the uniform probability vector (max p > 1/n,
‖p‖² > 1/n, the entropy below log n) and the identity matrix (tr(AAᵀ) > 2|det A| for a
2×2 A), every entry at the centre of its interval (Σ x(1 − x) < 3/4 on (0, 1)³).  They were
"checked"; the uniform vector is a special point of a probability vector, the identity (cI
under a structure) one of a square matrix, the centre one of a bounded interval."""

from __future__ import annotations

import pytest

from verifier.audit import audit
from verifier.claimfile import one_liner
from verifier.engine import Options, decide


@pytest.mark.parametrize("lhs, symbols, assume", [
    ("(max(p) > 1/3) * 1", "p: vector(3)", ["p sums to 1"]),
    ("(norm(p) ** 2 > 1/3) * 1", "p: vector(3)", ["p sums to 1"]),
    ("(p.T @ log(p) > -log(3)) * 1", "p: vector(3)", ["p sums to 1", "p positive"]),
    ("(trace(A @ A.T) > 2 * abs(det(A))) * 1", "A: matrix(2, 2)", ["A invertible"]),
    ("(trace(P) * trace(inv(P)) > 9) * 1", "P: matrix(3, 3)", ["P positive definite"]),
    # every entry at the centre of its interval: Σ x(1 − x) peaks at 3/4 there
    ("(sum(x * (1 - x)) < 3/4) * 1", "x: vector(3)", ["x in (0, 1)"]),
])
def test_an_equality_case_refutes_a_strict_inequality(lhs, symbols, assume):
    claim = one_liner(lhs, "1", symbols, assume)
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted", v
    assert audit(claim, v.counterexample).differs


@pytest.mark.parametrize("lhs, symbols, assume", [
    ("(max(p) >= 1/3) * 1", "p: vector(3)", ["p sums to 1"]),
    ("(trace(A @ A.T) >= 2 * abs(det(A))) * 1", "A: matrix(2, 2)", []),
])
def test_the_non_strict_inequality_still_holds(lhs, symbols, assume):
    v = decide(one_liner(lhs, "1", symbols, assume), Options(timeout=60)).verdict
    assert v.status in ("proved", "proved-at-sizes", "checked", "undecided"), v
