"""A sign on every entry of a plain vector, searched as a condition (last).

√(x²) = x for a vector x was refuted with no condition: signs were searched for scalars
only, because a sign on a structured matrix can leave a trivial set (skew and nonnegative:
0).  A vector assumed nothing has no structure, so "x nonnegative" / "x positive" are tried
after every other candidate (tests/claims/test_engine_xfail.py, sqrt_square_nonnegative).
"""

from __future__ import annotations

from verifier import verify


def test_sqrt_of_the_square_holds_for_a_nonnegative_vector():
    r = verify("sqrt(x**2)", "x", symbols="x: vector(n)")
    assert (r.verdict.status, r.verdict.condition) == ("conditional", "x nonnegative")


def test_the_weaker_sign_first_and_positive_where_zero_fails():
    assert verify("relu(x)", "x", symbols="x: vector(n)").verdict.condition == "x nonnegative"
    assert verify("(x > 0)", "ones(n, 1)", symbols="x: vector(n)").verdict.condition \
        == "x positive"


def test_no_sign_condition_where_none_helps():
    r = verify("abs(x)", "x + 1", symbols="x: vector(n)")
    assert r.verdict.status == "refuted" and r.verdict.condition is None, r.verdict
