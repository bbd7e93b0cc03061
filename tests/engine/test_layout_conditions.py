"""The other layout as a condition for a Jacobian of any shape.

jacobian(A @ x, x) = A with A m×n holds in numerator layout (the README's own example); in
the default layout the shapes differ and the claim was refuted with no condition (the other
layout was tried for square Jacobians only), though a user writes "holds if numerator
layout" for it (tests/claims/test_engine_xfail.py, jacobian_nonsquare_numerator).
"""

from __future__ import annotations

from verifier import verify

SYMBOLS = "A: matrix(m, n), x: vector(n)"


def test_a_non_square_jacobian_holds_in_the_other_layout():
    r = verify("jacobian(A @ x, x)", "A", symbols=SYMBOLS)
    assert (r.verdict.status, r.verdict.condition) == ("conditional", "numerator layout")
    assert r.verdict.condition_evidence == "proved"


def test_and_the_other_way_round():
    r = verify("jacobian(A @ x, x)", "A.T", symbols=SYMBOLS, layout="numerator")
    assert (r.verdict.status, r.verdict.condition) == ("conditional", "denominator layout")


def test_a_jacobian_wrong_in_both_layouts_gets_no_condition():
    r = verify("jacobian(A @ x, x)", "2 * A", symbols=SYMBOLS)
    assert r.verdict.status == "refuted" and r.verdict.condition is None, r.verdict
