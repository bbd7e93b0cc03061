"""Comparisons that switch where no sampled point lands.

- A transcendental switch (eˣ ≥ 2, log x ≥ 1, σ(x) ≥ 1/3) is at an irrational point; a
  claim that differs only there agrees at every rational point, so it is never "checked"
  (undecided), and a condition that leaves such a switch is never offered.
- A switch on a curve through rational points (x² + y² = 25 at (±3, ±4), (5, 0)) that
  random points miss: the kink is also solved with the other parameters at 0.

The truth of each claim is stated by hand: ``>`` and ``>=`` differ exactly on the switch.
"""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.claimfile import one_liner
from verifier.engine import Options, decide

HOLDING = ("proved", "proved-at-sizes", "checked")


def _verdict(lhs, rhs, symbols, assume=(), conditions=False):
    claim = one_liner(lhs, rhs, symbols, list(assume))
    return decide(claim, Options(timeout=60, conditions=conditions)).verdict


@pytest.mark.parametrize("lhs, rhs, assume", [
    ("(exp(x) > 2) * 1", "(exp(x) >= 2) * 1", ()),            # differ at x = log 2
    ("(log(x) > 1) * 1", "(log(x) >= 1) * 1", ("x positive",)),  # at x = e
    ("(sigmoid(x) > 1/3) * 1", "(sigmoid(x) >= 1/3) * 1", ()),  # at x = −log 2
    ("(exp(x) + exp(y) > 2) * 1", "(exp(x) + exp(y) >= 2) * 1", ("x positive",)),
])
def test_transcendental_switch_is_not_checked(lhs, rhs, assume):
    v = _verdict(lhs, rhs, "x: scalar, y: scalar", assume)
    assert v.status not in HOLDING, v


def test_no_condition_leaves_a_transcendental_switch():
    # false at (0, 0); "holds if x positive" was offered, yet eˣ + eʸ = 2 has points with
    # x > 0 (x = 1/10, y = log(2 − e^(1/10)))
    v = _verdict("(exp(x) + exp(y) > 2) * 1", "(exp(x) + exp(y) >= 2) * 1",
                 "x: scalar, y: scalar", conditions=True)
    assert v.status in ("refuted", "undecided") and v.condition is None, v


@pytest.mark.parametrize("lhs, rhs", [
    ("(exp(x) > 1) * x", "relu(x)"),              # switch at 0: rational, still checked
    ("(sigmoid(x) > 1/2) * x", "relu(x)"),
    ("(x * exp(y) > 0) * 1", "(x > 0) * 1"),      # eʸ never vanishes: switch at x = 0
])
def test_rational_switch_through_an_invertible_function_still_holds(lhs, rhs):
    v = _verdict(lhs, rhs, "x: scalar, y: scalar")
    assert v.status in HOLDING, v


def test_switch_on_a_circle_is_reached_at_a_rational_point():
    v = _verdict("(x**2 + y**2 > 25) * 1", "(x**2 + y**2 >= 25) * 1", "x: scalar, y: scalar")
    assert v.status == "refuted", v
    x, y = (sp.Rational(v.counterexample.values[k]) for k in "xy")
    assert x**2 + y**2 == 25
