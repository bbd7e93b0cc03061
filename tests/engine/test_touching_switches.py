"""A switch that touches 0 without changing sign.  1[x²(y − 1) > 0] = 1[y > 1] is false at
x = 0 with y > 1 only: the factor x² vanishes there without crossing, so no point beside it
differs, and the point x = 0 itself was tried with y at its drawn value alone (below 1 at
half the seeds: "checked").  Now a parameter at one of its switches is tried with each other
parameter just past its own outermost switches (``quick._others_beside``)."""

from __future__ import annotations

import pytest

from verifier.api import as_entry
from verifier.engine import Options, decide

XY = "x: scalar, y: scalar"


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("(x ** 2 * (y - 1) > 0)", "(y > 1)"),     # false at x = 0, y > 1
    ("(x ** 2 * (1 - y) >= 0)", "(y <= 1)"),   # false at x = 0, y > 1
])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_touching_factor_is_met_with_the_other_past_its_switch(lhs, rhs, seed):
    entry = as_entry(lhs, rhs, symbols=XY)
    verdict = decide(entry, Options(seed=seed, conditions=False, timeout=20)).verdict
    assert verdict.status == "refuted", verdict


def test_the_true_claim_beside_them_still_holds():
    # x² + 1 never vanishes: 1[(x² + 1)(y − 1) > 0] = 1[y > 1]
    entry = as_entry("((x ** 2 + 1) * (y - 1) > 0)", "(y > 1)", symbols=XY)
    verdict = decide(entry, Options(conditions=False, timeout=20)).verdict
    assert verdict.status in ("proved", "proved-at-sizes", "checked"), verdict
