"""An integer parameter whose comparison switches far out: log t > 100 from t = e¹⁰⁰.

The integers were scanned up to 2⁶⁰ and a switch through log was not solved: the claims
below were "checked".  Now the switch is solved through the inverse (log t − 100 at
t = e¹⁰⁰, a root given to all its 44 digits: 40 digits put it 1118 integers early), the
scan goes on to 2⁴⁰⁰ (√t > 10²⁰ from t = 10⁴⁰), and a switch still transcendental in an
unbounded integer, or past 10¹²⁰⁰ where no point is evaluated (log log t > 10), leaves the
claim undecided.  The truth of each claim is stated by hand and checked here with mpmath.
"""

from __future__ import annotations

import mpmath
import pytest

from verifier.claimfile import one_liner
from verifier.strategies.context import Context
from verifier.strategies.exact import refute_special
from verifier.strategies.numeric import check_numeric


def _past_log(t: int) -> bool:
    with mpmath.workdps(80):
        return mpmath.log(t) > 100


@pytest.mark.parametrize("lhs, past", [
    ("(log(t) > 100)", _past_log),
    ("(sqrt(t) > 1e20)", lambda t: t > 10**40),
])
def test_a_far_integer_switch_is_found(lhs, past):
    claim = one_liner(lhs, "0", "t: integer", [])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    assert past(int(v.counterexample.values["t"]))


def test_a_switch_past_every_evaluated_integer_is_not_checked():
    # log log (t + 2) > 10 from t ≈ e^(e^10) ≈ 10^9565: no point there is evaluated
    claim = one_liner("(log(log(t + 2)) > 10)", "0", "t: integer", [])
    assert check_numeric(Context(claim, seed=0, budget=30)) is None


def test_a_power_of_a_number_is_solved_not_taken_as_far():
    # 3ᵗ ∈ (2000, 2100) for no integer t (3⁶ = 729, 3⁷ = 2187): bᵗ = v is solved at
    # t = log v / log b, so the claim is still checked, and 2ᵗ ∈ (1000, 1100) at t = 10 found
    claim = one_liner("(3 ** t > 2000) * (3 ** t < 2100)", "0", "t: integer", [])
    v = check_numeric(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "checked", v
    claim = one_liner("(2 ** t > 1000) * (2 ** t < 1100)", "0", "t: integer", [])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.counterexample.values["t"] == "10", v
