"""A comparison of sizes that switches past every size tried (sizes go up to 64).

(n != 65)·Σx = Σx and (i != 70)·x[i] = x[i] hold at every size up to 64 and fail at 65 and
71: they were "proved-at-sizes".  Agreement at the sizes tried says nothing past the
switch, so the fixed-size proof and the numeric check stand down (undecided).
"""

from __future__ import annotations

import pytest

from verifier.claimfile import one_liner
from verifier.engine import Options, decide
from verifier.instantiate import SWITCH_SIZE, switch_beyond

SYMBOLS = "x: vector(n), i: index(n)"


@pytest.mark.parametrize("lhs, rhs, at", [
    ("(n != 65) * sum(x)", "sum(x)", 65),
    ("(i != 70) * x[i]", "x[i]", 71),        # i at its last value n − 1
    ("(n < 100) * sum(x)", "sum(x)", 100),
    ("(n * n < 5000) * sum(x)", "sum(x)", 71),
])
def test_switch_past_the_sizes_tried_is_not_evidence(lhs, rhs, at):
    claim = one_liner(lhs, rhs, SYMBOLS)
    assert switch_beyond(claim) == at > SWITCH_SIZE
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status not in ("proved", "proved-at-sizes", "checked"), v


def test_switch_within_reach_is_still_decided():
    claim = one_liner("(n * n > 50) * sum(x)", "(n > 7) * sum(x)", SYMBOLS)
    assert switch_beyond(claim) is None
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "proved-at-sizes", v


@pytest.mark.parametrize("lhs, expected", [
    ("(t != 12) * sum(x)", ("refuted",)),           # differs at T = 12, t = 12 only
    ("(t != 183) * sum(x)", ("undecided",)),        # past every size tried
])
def test_integer_range_reaches_its_switch(lhs, expected):
    # t in 1..T is at most T: its comparisons switch with the size, as an index's do
    claim = one_liner(lhs, "sum(x)", "x: vector(T), t: integer", ["t in 1..T"])
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status in expected, v
    if v.status == "refuted":
        assert v.counterexample.sizes == {"T": 12} and v.counterexample.values["t"] == "12"
