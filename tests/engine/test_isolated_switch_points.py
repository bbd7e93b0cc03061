"""A condition of one variable that holds (or fails) at isolated irrational points only:
SymPy 1.14's ``simplify`` drops such a Piecewise branch (1[(x² − 2)² ≤ 0] folds to 0), no
rational point reaches x = ±√2, and the claim was "proved" (round 14).  The zero test now
trusts ``simplify`` only with the expression shown 0 at those points."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.claimfile import one_liner
from verifier.engine import Options, decide_claim
from verifier.strategies.zero import is_zero

OPTS = Options(timeout=60, conditions=False)
x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)


@pytest.mark.parametrize("lhs", [
    "((x**2 - 2)**2 <= 0)",          # true at x = ±√2 only
    "((x**3 - x - 1)**2 <= 0)",      # at Cardano's root, where SymPy leaves 1[…] undecided
    "((exp(x) - 3)**2 <= 0)",        # at x = log 3: not a rational function, still folded
])
def test_a_switch_at_isolated_irrational_points_is_not_proved_absent(lhs):
    v = decide_claim(one_liner(lhs, "0", "x: scalar"), OPTS)
    assert v.status not in ("proved", "proved-at-sizes"), v


def test_the_zero_test_checks_the_isolated_points():
    assert not is_zero(sp.Piecewise((1, (x**2 - 2)**2 <= 0), (0, True)) * y)
    assert not is_zero(sp.Piecewise((1, (x**2 - 2)**2 > 0), (0, True)) - 1)
    # |x² − 2| ≤ 0 is x² ≥ 2 and x² ≤ 2 once written as Piecewise: the region is {±√2}
    assert not is_zero(sp.Piecewise((1, sp.Abs(x**2 - 2) <= 0), (0, True)))
    # 0 at the points themselves: still shown 0
    assert is_zero(sp.Piecewise((x**2 - 2, (x**2 - 2)**2 <= 0), (0, True)))


def test_no_condition_is_offered_that_fails_at_an_isolated_point():
    # false at x = −6 (rational); under x ≥ 0 still false at x = √2: "holds if x nonnegative
    # (proved)" was offered
    c = one_liner("((x**2 - 2)**2 <= 0) + (x < -5)", "0", "x: scalar")
    v = decide_claim(c, Options(timeout=60))
    assert v.status == "refuted" and v.condition is None, v
