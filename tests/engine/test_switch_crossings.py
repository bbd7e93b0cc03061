"""Windows between a curved switch and another one, entered beside their crossing.

(xy > 1)·(x + y < 2.0001) = 0 for x, y > 0 is false on a lens about 10⁻⁴ high near (1, 1)
whose tips are the crossings of xy = 1 with x + y = 2.0001 (at x = 1.0001 ± 0.01,
irrational); no parameter moved alone from a base point enters it, and these false claims
were "checked".  Each counterexample is re-checked here in exact rationals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier import verify

POS = ["x positive", "y positive"]


def _q(values: dict, name: str) -> Fraction:
    return Fraction(str(values[name]))


@pytest.mark.parametrize("lhs, symbols, assume, inside", [
    ("(x * y > 1) * (x + y < 2.0001)", "x: scalar, y: scalar", POS,
     lambda v: v["x"] * v["y"] > 1 and v["x"] + v["y"] < Fraction("2.0001")),
    ("(x**2 + y**2 < 1) * (x + y > 1.414)", "x: scalar, y: scalar", [],
     lambda v: v["x"] ** 2 + v["y"] ** 2 < 1 and v["x"] + v["y"] > Fraction("1.414")),
    ("(abs(x) + abs(y) < 1) * (x * y > 0.2499)", "x: scalar, y: scalar", [],
     lambda v: abs(v["x"]) + abs(v["y"]) < 1 and v["x"] * v["y"] > Fraction("0.2499")),
    ("(x * y * z > 1) * (x + y + z < 3.0000001)", "x: scalar, y: scalar, z: scalar",
     [*POS, "z positive"],
     lambda v: v["x"] * v["y"] * v["z"] > 1 and v["x"] + v["y"] + v["z"] < Fraction("3.0000001")),
    # a cubic once the line is put in: (3.0001 − 2y)y² = 1 (its crossings are irrational)
    ("(x * y**2 > 1) * (x + 2*y < 3.0001)", "x: scalar, y: scalar", POS,
     lambda v: v["x"] * v["y"] ** 2 > 1 and v["x"] + 2 * v["y"] < Fraction("3.0001")),
    # windows around a tangency at an irrational point: x + 2y is least on xy = 1 at
    # (√2, 1/√2), 2√2 ≈ 2.828427; x + y + 2z on xyz = 1 at 3·2^(1/3) ≈ 3.779763
    ("(x * y > 1) * (x + 2*y < 2.8285)", "x: scalar, y: scalar", POS,
     lambda v: v["x"] * v["y"] > 1 and v["x"] + 2 * v["y"] < Fraction("2.8285")),
    ("(x * y * z > 1) * (x + y + 2*z < 3.78)", "x: scalar, y: scalar, z: scalar",
     [*POS, "z positive"],
     lambda v: v["x"] * v["y"] * v["z"] > 1 and v["x"] + v["y"] + 2 * v["z"] < Fraction("3.78")),
    # five parameters: v + w + x + y + 2z is least on vwxyz = 1 at 5·2^(1/5) ≈ 5.743492
    ("(v * w * x * y * z > 1) * (v + w + x + y + 2*z < 5.7436)",
     "v: scalar, w: scalar, x: scalar, y: scalar, z: scalar",
     [*POS, "z positive", "v positive", "w positive"],
     lambda v: v["v"] * v["w"] * v["x"] * v["y"] * v["z"] > 1
     and v["v"] + v["w"] + v["x"] + v["y"] + 2 * v["z"] < Fraction("5.7436")),
    # a simplex of affine switches 10⁻⁵ wide with rational corners: the pairwise crossings
    # are its corners, where one condition is an equality; its centre is inside
    ("(x + y > 1) * (x - y > 0.99999) * (x < 1)", "x: scalar, y: scalar", [],
     lambda v: v["x"] + v["y"] > 1 and v["x"] - v["y"] > Fraction("0.99999") and v["x"] < 1),
    ("(x + y + z > 1) * (x < 0.3334) * (y < 0.3334) * (z < 0.3334)",
     "x: scalar, y: scalar, z: scalar", [],
     lambda v: v["x"] + v["y"] + v["z"] > 1 and max(v.values()) < Fraction("0.3334")),
])
def test_a_lens_beside_a_crossing_of_switches_is_refuted(lhs, symbols, assume, inside):
    r = verify(lhs, "0", symbols=symbols, assume=assume, expect="fails")
    assert r.verdict.status == "refuted", r
    values = {k: _q(r.verdict.counterexample.values, k) for k in r.verdict.counterexample.values}
    assert inside(values)  # the point is in the window: the left side is 1 there, not 0
    assert all(v > 0 for v in values.values()) or not assume


@pytest.mark.parametrize("lhs, symbols, assume", [
    ("(x * y > 1) * (x + 2*y < 2.8284)", "x: scalar, y: scalar", POS),  # 2.8284 < 2√2
    ("(x * y**2 > 1) * (x + 2*y < 3)", "x: scalar, y: scalar", POS),  # AM-GM: x + 2y ≥ 3
])
def test_true_neighbours_of_the_lenses_are_not_refuted(lhs, symbols, assume):
    r = verify(lhs, "0", symbols=symbols, assume=assume)
    assert r.verdict.status == "checked", r  # true: no window; no proof path for it either
