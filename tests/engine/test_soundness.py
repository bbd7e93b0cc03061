"""False claims are never proved or checked; the SymPy wrong-zero traps never yield a proof."""

from __future__ import annotations

import pytest
from engine_claims import FALSE_CLAIMS, QUADRATIC_NOTE, TRAPS_TRUE, TRAPS_ZERO

from verifier.engine import Options, decide

OPTS = Options(timeout=15)


@pytest.mark.parametrize("c", FALSE_CLAIMS, ids=lambda c: c.id)
def test_false_claims_are_refuted(c):
    r = decide(c, OPTS)
    assert r.verdict.status not in ("proved", "proved-at-sizes", "checked")
    assert r.verdict.status in ("refuted", "conditional")
    assert r.verdict.counterexample is not None


@pytest.mark.parametrize("c", TRAPS_ZERO, ids=lambda c: c.id)
def test_wrong_zero_derivatives_are_refuted(c):
    # SymPy 1.14 computes these derivatives as 0 in matrix form; a claim that they are 0 must fail
    r = decide(c, OPTS)
    assert r.verdict.status == "refuted", r.verdict


@pytest.mark.parametrize("c", TRAPS_TRUE, ids=lambda c: c.id)
def test_trap_derivatives_are_decided_correctly(c):
    r = decide(c, OPTS)
    assert r.verdict.holds, r.verdict


def test_quadratic_form_is_conditional_on_symmetry():
    r = decide(QUADRATIC_NOTE, OPTS)
    assert r.verdict.status == "conditional"
    assert r.verdict.condition == "M symmetric"
    assert r.verdict.condition_evidence == "proved"
    assert r.verdict.counterexample is not None  # the general counterexample is kept
    assert r.as_expected
