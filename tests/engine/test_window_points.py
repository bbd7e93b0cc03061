"""Narrow windows between switches reached through points the crossing search had no turn,
no allowance or no way to give.

Each claim below is false, and each counterexample is re-checked here, in exact rationals or
at 60 digits, against the claim and its assumptions; each was "checked" (or undecided)
before:
- (x² + y² < 1)(xy > 0.4999)(x + y > 1.4141): the crossings of the circle with the line
  filled every place before the tangency (at x = y = 1/√2) was reached;
- (xy > 1)(yz > 1)(xz > 1)(x + y + z < 3.0001): three curved switches meet at (1, 1, 1);
  beside a crossing of two of them the third is off;
- (wxyz > 1)(w + x + y + 2z < 4.7569): SymPy's rational roots of a quadratic with 80-digit
  coefficients raised ValueError from its factor cache, which ended the special points;
- (w + x + y + z > 1)(w, x, y, z < 0.2501): a simplex of affine switches in 4 parameters;
- (exp(xy) > e)(x + y < 2.0001): a switch f(g) − c is solved as g = f⁻¹(c);
- (eˣ·y > 2)(x + y < 1.6932): the tangency of a switch that is not a polynomial."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from verifier import verify

XY = "x: scalar, y: scalar"
XYZ = "x: scalar, y: scalar, z: scalar"
WXYZ = "w: scalar, x: scalar, y: scalar, z: scalar"


def _mp(value: str) -> mpmath.mpf:
    q = Fraction(value)
    return mpmath.mpf(q.numerator) / q.denominator


CASES = [
    ("(x**2 + y**2 < 1)*(x*y > 0.4999)*(x + y > 1.4141)", XY, [],
     lambda x, y: x * x + y * y < 1 and x * y > Fraction("0.4999")
     and x + y > Fraction("1.4141")),
    ("(x*y > 1)*(y*z > 1)*(x*z > 1)*(x + y + z < 3.0001)", XYZ,
     ["x positive", "y positive", "z positive"],
     lambda x, y, z: min(x, y, z) > 0 and min(x * y, y * z, x * z) > 1
     and x + y + z < Fraction("3.0001")),
    ("(w*x*y*z > 1)*(w + x + y + 2*z < 4.7569)", WXYZ,
     ["w positive", "x positive", "y positive", "z positive"],
     lambda w, x, y, z: min(w, x, y, z) > 0 and w * x * y * z > 1
     and w + x + y + 2 * z < Fraction("4.7569")),
    ("(w + x + y + z > 1)*(w < 0.2501)*(x < 0.2501)*(y < 0.2501)*(z < 0.2501)", WXYZ, [],
     lambda w, x, y, z: w + x + y + z > 1 and max(w, x, y, z) < Fraction("0.2501")),
]


@pytest.mark.parametrize("lhs, symbols, assume, inside", CASES)
def test_a_window_between_switches_is_refuted(lhs, symbols, assume, inside):
    r = verify(lhs, "0", symbols=symbols, assume=assume, expect="fails")
    assert r.verdict.status == "refuted", r
    values = r.verdict.counterexample.values
    names = [s.split(":")[0].strip() for s in symbols.split(",")]
    assert inside(*(Fraction(str(values[n])) for n in names))  # the left side is 1 there


TRANSCENDENTAL = [
    ("(exp(x*y) > exp(1))*(x + y < 2.0001)", ["x positive", "y positive"],
     lambda x, y: x > 0 and y > 0 and mpmath.exp(x * y) > mpmath.e and x + y < _mp("2.0001")),
    ("(exp(x)*y > 2)*(x + y < 1.6932)", [],
     lambda x, y: mpmath.exp(x) * y > 2 and x + y < _mp("1.6932")),
]


@pytest.mark.parametrize("lhs, assume, inside", TRANSCENDENTAL)
def test_a_window_beside_a_transcendental_switch_is_refuted(lhs, assume, inside):
    r = verify(lhs, "0", symbols=XY, assume=assume, expect="fails")
    assert r.verdict.status == "refuted", r
    values = r.verdict.counterexample.values
    with mpmath.workdps(60):
        assert inside(_mp(str(values["x"])), _mp(str(values["y"])))


@pytest.mark.parametrize("lhs, assume", [
    ("(x*y > 1)*(x**2 + y**2 < 2)", ["x positive", "y positive"]),  # xy ≤ (x² + y²)/2
    ("(y > exp(x))*(y < 2*x + 0.6137)", []),  # eˣ − 2x ≥ 2 − 2 log 2 ≈ 0.613706
])
def test_true_neighbours_of_the_windows_are_not_refuted(lhs, assume):
    r = verify(lhs, "0", symbols=XY, assume=assume)
    assert r.verdict.status in ("checked", "undecided", "proved"), r


def _quadratic_above_one_and_sum_below_one(values: dict) -> bool:
    """xᵀAx > 1, Σx < 1, x ≥ 0 and A symmetric positive definite, in exact rationals."""
    x = [Fraction(str(row[0])) for row in values["x"]]
    a = [[Fraction(str(v)) for v in row] for row in values["A"]]
    quad = sum(x[i] * a[i][j] * x[j] for i in range(3) for j in range(3))
    minors = [a[0][0], a[0][0] * a[1][1] - a[0][1] * a[1][0],
              sum(a[0][j] * (a[1][(j + 1) % 3] * a[2][(j + 2) % 3]
                             - a[1][(j + 2) % 3] * a[2][(j + 1) % 3]) for j in range(3))]
    symmetric = all(a[i][j] == a[j][i] for i in range(3) for j in range(3))
    return quad > 1 and sum(x) < 1 and min(x) >= 0 and symmetric and min(minors) > 0


def test_crossings_seen_from_every_base_are_reached():
    # (xᵀAx > 1)(Σx < 1) = 0 with x ≥ 0 and A positive definite is false beside the crossing
    # seen from A = diag(4, 1, 1); with one crossing per pair it was "checked", and without
    # x ≥ 0 assumed "holds if x nonnegative (checked)" was offered, false under it
    r = verify("(x.T @ A @ x > 1) * (sum(x) < 1)", "0", symbols="x: vector(3), A: matrix(3, 3)",
               assume=["A positive definite", "x nonnegative"], expect="fails")
    assert r.verdict.status == "refuted", r
    assert _quadratic_above_one_and_sum_below_one(r.verdict.counterexample.values)
    r = verify("(x.T @ A @ x > 1) * (sum(x) < 1)", "0", symbols="x: vector(3), A: matrix(3, 3)",
               assume=["A positive definite"], expect="fails")
    assert r.verdict.status == "refuted" and r.verdict.condition is None, r
