"""Several switches past at once: an integer with a real parameter, and affine orthants.

(t > 40)·(b > 3) added to bᵗ·b = bᵗ⁺¹ (t integer, b real) needs t = 41 and b just past 3 at
once: the integer boxes took a real parameter only at the midpoint of two of its switches,
and b has one.  (x > 3)·(y < −5)·(z > 7) = 0 and (x − y > 10⁶)·(y − z > 10⁶) = 0 need every
comparison on at once, and each switch was tried with the other parameters at a base point.
(x³ > 1000)·(y < −1000) = 0 likewise, a switch curved.  All four were "checked".
Each counterexample is re-checked here in exact arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

from verifier import verify


def _values(r) -> dict[str, Fraction]:
    return {k: Fraction(v) for k, v in r.verdict.counterexample.values.items()}


def test_an_integer_switch_with_a_real_one():
    r = verify("b ** t * b", "b ** (t + 1) + (t > 40) * (b > 3)",
               symbols="b: scalar, t: integer", expect="fails", timeout=60)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    v = _values(r)
    assert v["t"] > 40 and v["b"] > 3


def test_three_half_spaces_at_once():
    r = verify("(x > 3) * (y < -5) * (z > 7)", "0", symbols="x: scalar, y: scalar, z: scalar",
               expect="fails", timeout=60)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    v = _values(r)
    assert v["x"] > 3 and v["y"] < -5 and v["z"] > 7


def test_a_chain_of_affine_switches():
    r = verify("(x - y > 1e6) * (y - z > 1e6)", "0", symbols="x: scalar, y: scalar, z: scalar",
               expect="fails", timeout=60)
    assert r.verdict.status == "refuted", r.verdict
    v = _values(r)
    assert v["x"] - v["y"] > 10**6 and v["y"] - v["z"] > 10**6


def test_two_curved_switches_at_once():
    # x³ > 1000 from x = 10 on; each switch was tried with the other parameter drawn
    r = verify("(x ** 3 > 1000) * (y < -1000)", "0", symbols="x: scalar, y: scalar",
               expect="fails", timeout=60)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    v = _values(r)
    assert v["x"] ** 3 > 1000 and v["y"] < -1000


def test_an_empty_intersection_is_not_refuted():
    # x + y > 1 and x − y > 1 give x > 1
    r = verify("(x + y > 1) * (x - y > 1) * (x < 1)", "0", symbols="x: scalar, y: scalar",
               timeout=60)
    assert r.verdict.status in ("checked", "proved", "proved-at-sizes"), r.verdict
