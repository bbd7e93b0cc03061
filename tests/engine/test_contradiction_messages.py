"""Contradictory interval assumptions are named by their intervals: x in (0, 1) and x in
[1, 2] read "no value of x satisfies every assumption on it (positive and positive)" (round 14)."""

from __future__ import annotations

from verifier.claimfile import one_liner
from verifier.engine import Options, decide_claim


def test_two_disjoint_intervals_are_named_as_intervals():
    c = one_liner("x", "x + 1", "x: scalar", assume=["x in (0, 1)", "x in [1, 2]"])
    v = decide_claim(c, Options(timeout=20, conditions=False))
    assert v.status == "undecided", v
    assert "(0, 1) and [1, 2]" in v.detail, v.detail


def test_a_half_line_keeps_its_name_and_a_negative_interval_is_shown():
    c = one_liner("x", "x + 1", "x: scalar", assume=["x positive", "x in [-2, -1]"])
    v = decide_claim(c, Options(timeout=20, conditions=False))
    assert "positive and [-2, -1]" in v.detail, v.detail
