"""Narrow parallelograms off the axes: windows 10⁻³⁰ wide in linear combinations.

(a − b > 1/3)(a − b < 1/3 + 10⁻³⁰)(b > 1/5)(b < 1/5 + 10⁻³⁰) = 0 is false on a
parallelogram that no point solved for one parameter enters; the claims below were
"checked".  The centres of the narrowest slabs, crossed as a linear system
(``verifier.strategies.slabs``), are.  Each counterexample is re-checked here in exact
rationals against the window stated by hand.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from verifier.claimfile import one_liner
from verifier.domains import Domain
from verifier.strategies.context import Context
from verifier.strategies.exact import refute_special
from verifier.strategies.numeric import check_numeric
from verifier.strategies.slabs import slab_centres

W = Fraction(1, 10**30)


def _in(v: Fraction, lo: Fraction) -> bool:
    return lo < v < lo + W


def _f(vals, name) -> Fraction:
    return Fraction(vals[name])


@pytest.mark.parametrize("lhs, symbols, inside", [
    ("(a - b > 1/3) * (a - b < 1/3 + 1e-30) * (b > 1/5) * (b < 1/5 + 1e-30)",
     "a: scalar, b: scalar",
     lambda v: _in(_f(v, "a") - _f(v, "b"), Fraction(1, 3)) and _in(_f(v, "b"), Fraction(1, 5))),
    ("(a + b > 1/3) * (a + b < 1/3 + 1e-30) * (a - b > 1/7) * (a - b < 1/7 + 1e-30)",
     "a: scalar, b: scalar",
     lambda v: _in(_f(v, "a") + _f(v, "b"), Fraction(1, 3))
     and _in(_f(v, "a") - _f(v, "b"), Fraction(1, 7))),
    ("(sum(x) > 1/3) * (sum(x) < 1/3 + 1e-30) * (x[0] > 1/5) * (x[0] < 1/5 + 1e-30)",
     "x: vector(n)",
     lambda v: _in(sum(Fraction(r[0]) for r in v["x"]), Fraction(1, 3))
     and _in(Fraction(v["x"][0][0]), Fraction(1, 5))),
])
def test_a_narrow_parallelogram_is_entered(lhs, symbols, inside):
    claim = one_liner(lhs, "0", symbols, [])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    assert inside(v.counterexample.values), v.counterexample.values


def test_slab_centres_solve_the_crossing():
    a, b, c = sp.symbols("a b c")
    t = sp.Rational(1, 10**30)
    args = [a - b - sp.Rational(1, 3), a - b - sp.Rational(1, 3) - t,
            2 * b - sp.Rational(2, 5), 2 * b - sp.Rational(2, 5) - 2 * t, c - 4]
    doms = {a: Domain(), b: Domain(), c: Domain()}
    (p,) = slab_centres(args, doms, ({a: 0, b: 0, c: 9},))
    assert p[b] == sp.Rational(1, 5) + t / 2
    assert p[a] - p[b] == sp.Rational(1, 3) + t / 2
    assert p[c] == 9  # in no slab: its base value


def test_no_point_outside_the_domain():
    a, b = sp.symbols("a b")
    args = [a - 1, a - 1 - sp.Rational(1, 10**30)]
    assert slab_centres(args, {a: Domain(lo=Fraction(2)), b: Domain()}, ({a: 3, b: 0},)) == []


@pytest.mark.parametrize("lhs, inside", [
    # curved: b enters its window, then a the one of ab
    ("(a * b > 1/3) * (a * b < 1/3 + 1e-30) * (b > 1/5) * (b < 1/5 + 1e-30)",
     lambda a, b: _in(a * b, Fraction(1, 3)) and _in(b, Fraction(1, 5))),
    ("(a * a + b > 1/3) * (a * a + b < 1/3 + 1e-30) * (a > 1/5) * (a < 1/5 + 1e-30)",
     lambda a, b: _in(a * a + b, Fraction(1, 3)) and _in(a, Fraction(1, 5))),
])
def test_a_curved_window_is_entered(lhs, inside):
    claim = one_liner(lhs, "0", "a: scalar, b: scalar", [])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    vals = v.counterexample.values
    assert inside(Fraction(vals["a"]), Fraction(vals["b"])), vals


def test_a_window_open_only_from_size_three_is_searched():
    # no symmetric 2×2 has trace 1/7 and det 1/3 (its eigenvalues would be complex); a 3×3
    # has (diag(t, t, 1/7 − 2t) with t²(1/7 − 2t) = 1/3 has a root t in (−1, 0)): special
    # points were searched at n = 2 only, and the claim was "checked"
    claim = one_liner("(det(A) > 1/3) * (det(A) < 1/3 + 1e-30) * (trace(A) > 1/7)"
                      " * (trace(A) < 1/7 + 1e-30)", "0", "A: matrix(n, n)", ["A symmetric"])
    v = refute_special(Context(claim, seed=0, budget=60))
    assert v is not None and v.status == "refuted", v
    m = sp.Matrix([[sp.Rational(e) for e in row] for row in v.counterexample.values["A"]])
    assert m == m.T and m.shape == (3, 3)
    assert _in(Fraction(str(m.det())), Fraction(1, 3))
    assert _in(Fraction(str(m.trace())), Fraction(1, 7))


def test_roots_sympy_cannot_take_are_no_error():
    # a crossing point puts 60-digit rationals into a² + b² − 10⁻⁶⁰, whose square root
    # SymPy 1.14 fails on (ValueError: "... is not a prime factor of ..."): the strategy
    # failed and the true claim was an error; the root is skipped in the search, and the
    # check (which cannot rule out an irrational switch there) stands down
    claim = one_liner("(a * a + b * b < 1e-30 * 1e-30) * (a > 1/5)", "0",
                      "a: scalar, b: scalar", [])
    for seed in (2, 3):  # seeds whose points reached the failing root
        assert refute_special(Context(claim, seed=seed, budget=30)) is None
        for s in (seed, seed + 2):
            v = check_numeric(Context(claim, seed=s, budget=30))
            assert v is None or v.status == "checked", v
