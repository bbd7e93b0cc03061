"""Commuting assumptions: B = p(A) is dense in the commuting pairs of free matrices, of two
symmetric or of two diagonal ones, but not in the other sets "A and B commute" defines.  A
symmetric (diagonal, positive definite, orthogonal) A, or a symbol in two commuting pairs,
adds the component A = cI, which commutes with every B: there B need not be symmetric, and
A ~ B ~ C says nothing of A and C.  A proof at sizes over B = p(A) proved such false claims."""

from __future__ import annotations

import pytest

from verifier.audit import audit, parse_values
from verifier.claimfile import one_liner
from verifier.domains import CommutePlan, commute_plan, violated
from verifier.engine import Options, decide

HOLDING = ("proved", "proved-at-sizes", "checked")
SQ2 = "A: matrix(n, n), B: matrix(n, n)"
SQ3 = "A: matrix(n, n), B: matrix(n, n), C: matrix(n, n)"


def _verdict(lhs: str, rhs: str, symbols: str, assume: list[str], conditions: bool = False):
    claim = one_liner(lhs, rhs, symbols, assume)
    v = decide(claim, Options(timeout=60, conditions=conditions)).verdict
    if v.counterexample is not None and v.counterexample.values:
        assert audit(claim, v.counterexample).differs
        assert not violated(claim, parse_values(claim, v.counterexample.values))
    return v


FALSE = [
    ("B - B.T", "zeros(n, n)", SQ2, ["A symmetric", "A and B commute"]),
    ("B - B.T", "zeros(n, n)", SQ2, ["A positive definite", "A and B commute"]),
    ("B[0, 1]", "0", SQ2, ["A diagonal", "A and B commute"]),
    ("B[0, 1]", "0", SQ2, ["A diagonal", "B symmetric", "A and B commute"]),
    ("B @ B.T", "B.T @ B", "A: matrix(2, 2), B: matrix(2, 2)",
     ["A orthogonal", "A and B commute"]),
    ("A @ C", "C @ A", SQ3, ["A and B commute", "B and C commute"]),
    ("B @ C", "C @ B", SQ3, ["A and B commute", "A and C commute"]),
]


@pytest.mark.parametrize("lhs, rhs, symbols, assume", FALSE)
def test_a_component_the_polynomials_miss_is_not_proved(lhs, rhs, symbols, assume):
    v = _verdict(lhs, rhs, symbols, assume)
    assert v.status not in HOLDING, v
    assert v.status == "refuted", v  # A = cI (B = cI for a chain) is sampled


@pytest.mark.parametrize("lhs, rhs, symbols, assume", FALSE)
def test_no_condition_that_misses_the_component(lhs, rhs, symbols, assume):
    v = _verdict(lhs, rhs, symbols, assume, conditions=True)
    if v.status == "conditional":  # only a condition that really makes it hold
        # (XY = YX holds, trivially, where X and Y commute)
        itself = [f"{lhs[0]} and {lhs[-1]} commute"] if rhs == f"{lhs[-1]} @ {lhs[0]}" else []
        assert v.condition in ("B symmetric", "B diagonal", "B skew-symmetric", *itself), v


@pytest.mark.parametrize("assume", [
    ["A and B commute"],
    ["A symmetric", "B symmetric", "A and B commute"],
    ["A diagonal", "B diagonal", "A and B commute"],
])
def test_dense_parametrisations_still_prove(assume):
    plan = commute_plan(one_liner("A @ B", "B @ A", SQ2, assume))
    assert isinstance(plan, CommutePlan) and not plan.gap
    v = _verdict("(A + B) @ (A + B)", "A @ A + 2 * A @ B + B @ B", SQ2, assume)
    assert v.status in ("proved", "proved-at-sizes"), v


def test_a_true_claim_on_a_partial_plan_is_not_refuted():
    v = _verdict("(A + B) @ (A + B)", "A @ A + 2 * A @ B + B @ B", SQ2,
                 ["A symmetric", "A and B commute"])
    assert v.status in HOLDING or v.status == "undecided", v
