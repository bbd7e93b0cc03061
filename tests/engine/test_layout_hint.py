"""A derivative inside an identity is built in the claim's layout (denominator by default):
when the sides' shapes are each other's transpose, the refutation says how to state the
other layout, and stated, the claim is proved."""

from __future__ import annotations

from verifier.claimfile import one_liner
from verifier.engine import Options, decide

OPTS = Options(timeout=60, conditions=False)
AX = ("jacobian(A @ x, x)", "A", "A: matrix(m, n), x: vector(n)")


def test_a_transposed_jacobian_is_refuted_with_how_to_state_the_other_layout():
    verdict = decide(one_liner(*AX), OPTS).verdict
    assert verdict.status == "refuted"
    assert 'state layout = "numerator"' in verdict.detail


def test_stated_in_numerator_layout_it_is_proved():
    assert decide(one_liner(*AX, layout="numerator"), OPTS).verdict.status == "proved"


def test_shapes_that_are_not_transposes_get_no_layout_hint():
    claim = one_liner("jacobian(A @ x, x)", "A @ A.T", "A: matrix(m, n), x: vector(n)")
    verdict = decide(claim, OPTS).verdict
    assert verdict.status == "refuted" and "layout" not in verdict.detail


def test_transposed_shapes_without_a_derivative_get_no_layout_hint():
    verdict = decide(one_liner("A", "A.T", "A: matrix(m, n)"), OPTS).verdict
    assert verdict.status == "refuted" and "layout" not in verdict.detail
