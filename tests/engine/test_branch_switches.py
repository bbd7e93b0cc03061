"""Switches hidden behind |·|, max, min: a kink argument that is no polynomial.

|a − b| ≥ 10⁻³⁰ against |a − b| > 0 differ on 0 < |a − b| < 10⁻³⁰ only; z₀ ≥ max(z) against
z₀ > max(z) − 10⁻³⁰ on a window of width 10⁻³⁰ below the largest entry.  The whole kink
argument is no polynomial, so its roots (and the midpoints between them) were never tried,
and each claim was "checked".  Its branches (±(a − b) − 10⁻³⁰, z₀ − z₁ + 10⁻³⁰) are
polynomials whose roots are.  Likewise |a|³ ≥ 2 against |a|³ > 2 differ only at ±2^(1/3),
irrational: never "checked".  Each truth is stated by hand, each counterexample re-checked
here in exact rationals.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from verifier.audit import audit
from verifier.claimfile import one_liner
from verifier.strategies.context import Context
from verifier.strategies.exact import refute_special
from verifier.strategies.numeric import check_numeric

TINY = Fraction(1, 10**30)


def _vec(v) -> list[Fraction]:
    return [Fraction(str(row[0])) for row in v]


def _window_abs(vals) -> bool:  # 0 < |a − b| < 10⁻³⁰
    d = abs(Fraction(vals["a"]) - Fraction(vals["b"]))
    return 0 < d < TINY


def _window_max(vals) -> bool:  # max(z) − 10⁻³⁰ < z₀ < max(z)
    z = _vec(vals["z"])
    return max(z) - TINY < z[0] < max(z)


def _window_label(vals) -> bool:
    z = _vec(vals["z"])
    y = int(vals["y"])
    return max(z) - TINY < z[y] < max(z)


def _window_range(vals) -> bool:  # 0 < max(x) − min(x) < 10⁻³⁰
    x = _vec(vals["x"])
    return 0 < max(x) - min(x) < TINY


def _window_bump(vals) -> bool:  # |a| within 10⁻³⁰ of 1/3, not at it
    a = abs(Fraction(vals["a"]))
    return abs(a - Fraction(1, 3)) < TINY


@pytest.mark.parametrize("lhs, rhs, symbols, in_window", [
    ("(abs(a - b) >= 1e-30)", "(abs(a - b) > 0)", "a: scalar, b: scalar", _window_abs),
    ("(z[0] >= max(z))", "(z[0] > max(z) - 1e-30)", "z: vector(n)", _window_max),
    ("(z[y] >= max(z))", "(z[y] > max(z) - 1e-30)", "z: vector(n), y: index(n)",
     _window_label),
    ("(max(x) - min(x) >= 1e-30)", "(max(x) - min(x) > 0)", "x: vector(n)", _window_range),
    ("relu(abs(a) - 1/3 + 1e-30) * relu(1/3 - abs(a) + 1e-30)", "0", "a: scalar",
     _window_bump),
])
def test_switch_behind_a_branch_is_found(lhs, rhs, symbols, in_window):
    claim = one_liner(lhs, rhs, symbols, [])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    assert in_window(v.counterexample.values), v.counterexample.values


@pytest.mark.parametrize("lhs, rhs", [
    ("(abs(a) ** 3 >= 2)", "(abs(a) ** 3 > 2)"),          # ±2^(1/3)
    ("(max(a, b) ** 3 >= 2)", "(max(a, b) ** 3 > 2)"),    # max(a, b) = 2^(1/3)
    ("(abs(a - 1) ** 2 * abs(a - 1) >= 3)", "(abs(a - 1) ** 3 > 3)"),
])
def test_irrational_switch_behind_a_branch_is_not_checked(lhs, rhs):
    claim = one_liner(lhs, rhs, "a: scalar, b: scalar", [])
    _refuted_at_an_irrational_point(claim, check_numeric(Context(claim, seed=0, budget=30)))


def _refuted_at_an_irrational_point(claim, v):
    """Never "checked": refuted at an exact irrational root of the switch (2^(1/3), √2),
    which the final audit confirms (since strategies.irrational; before, None)."""
    assert v is not None and v.status == "refuted", v
    assert any(not sp.sympify(x).is_Rational for x in v.counterexample.values.values()), v
    assert audit(claim, v.counterexample).differs, v


def test_midpoints_are_not_crowded_out_by_kinks():
    # 8 relus in x and y put 16 kink points before any midpoint, and the special points
    # stop at 40: the window 1/3 < x + y < 1/3 + 10⁻³⁰ was never entered ("checked")
    relus = " + ".join([f"relu(x - {k})" for k in range(1, 6)]
                       + [f"relu(y - {k})" for k in range(1, 4)])
    claim = one_liner(f"{relus} + (x + y > 1/3) * (x + y < 1/3 + 1e-30)", relus,
                      "x: scalar, y: scalar", [])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    vals = v.counterexample.values
    s = Fraction(vals["x"]) + Fraction(vals["y"])
    assert Fraction(1, 3) < s < Fraction(1, 3) + TINY, vals


RELUS = " + ".join(f"relu(x - {k})" for k in range(1, 21))


def test_a_switch_past_twelve_kinks_is_found():
    # twenty relus and the window 2/7 < x < 2/7 + 10⁻³⁰: only 12 kink arguments were
    # looked into, the window's were not among them, and the claim was "checked"
    claim = one_liner(f"{RELUS} + (x > 2/7) * (x < 2/7 + 1e-30)", RELUS, "x: scalar", [])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    x = Fraction(v.counterexample.values["x"])
    assert Fraction(2, 7) < x < Fraction(2, 7) + TINY


def test_an_irrational_switch_past_twelve_kinks_is_not_checked():
    claim = one_liner(f"{RELUS} + (x * x >= 2)", f"{RELUS} + (x * x > 2)", "x: scalar", [])
    _refuted_at_an_irrational_point(claim, check_numeric(Context(claim, seed=0, budget=30)))
