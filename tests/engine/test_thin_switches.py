"""Switches that no one-parameter slice reaches.  A comparison whose argument is a sum of
squares, (a − 2)² + (b + 3)² + (c − 5)² > 0 or ‖A²‖² > 0, is false only where every square
vanishes at once: a single point, or the nilpotent matrices.  Moving one parameter with the
others held keeps the other squares positive, so the kink search never met the set and the
false claims were "checked".  Now the squares are solved together for a rational point
(``_sos_zeros``), and a polynomial switch that no slice reaches and that is not shown to be
nonzero leaves the claim undecided (``_thin``).  cosh x ≥ 1, left undecided before (its
switch is transcendental in form), switches at x = 0 alone: a rational point, tried."""

import random

import sympy as sp

from verifier.api import as_entry, verify
from verifier.domains import ANY
from verifier.engine import Options, decide
from verifier.strategies.context import Context
from verifier.strategies.quick import _solved_in_turn, sos_bases, thin_switch

HOLDING = ("proved", "proved-at-sizes", "checked")
ABC = "a: scalar, b: scalar, c: scalar"


def test_a_single_rational_point_of_a_sum_of_squares_refutes():
    # false at (2, −3, 5) alone
    claim = as_entry("((a - 2)**2 + (b + 3)**2 + (c - 5)**2 > 0)", "1", symbols=ABC)
    verdict = decide(claim, Options(conditions=False, timeout=20)).verdict
    assert verdict.status == "refuted", verdict
    assert verdict.counterexample.values == {"a": "2", "b": "-3", "c": "5"}


def _thin_switch_of(lhs: str, symbols: str):
    built = Context(as_entry(lhs, "1", symbols=symbols), seed=0, budget=10).build(
        {}, {}, 0, partial=True)
    return thin_switch(random.Random(0), built)


def test_a_single_irrational_point_is_a_thin_switch():
    # false at (√2, √3) alone, which no rational point reaches: never "checked"
    assert _thin_switch_of("((a - sqrt(2))**2 + (b - sqrt(3))**2 > 0)", "a: scalar, b: scalar")
    # the same without squares in sight (a − b)² + (b − √2)²: a zero no slice meets
    assert _thin_switch_of("(a**2 - 2*a*b + 2*b**2 - 2*sqrt(2)*b + 2 > 0)",
                           "a: scalar, b: scalar")


def test_no_thin_switch_where_there_is_no_zero_or_one_that_is_tried():
    ab = "a: scalar, b: scalar"
    assert _thin_switch_of("(a**2 + b**2 + 1 > 0)", ab) is None  # never 0
    assert _thin_switch_of("(a**2 + (b - 1)**2 - 2*a + 3 > 0)", ab) is None  # ≥ 1 everywhere
    assert _thin_switch_of("(a**4 + b**4 > 0)", ab) is None  # one rational zero, solved for
    assert _thin_switch_of("(a**2 + b**2 < 1e-30 * 1e-30)", ab) is None  # crossed through 0


def test_the_squares_of_a_matrix_square_are_solved_together_for_a_nilpotent():
    a, b, c, d = sp.symbols("a b c d", real=True)
    square = sp.Matrix([[a, b], [c, d]]) ** 2
    bases = tuple(sp.expand(e) for e in square)
    base = {a: sp.Integer(3), b: sp.Integer(5), c: sp.Integer(2), d: sp.Integer(7)}
    points = _solved_in_turn(bases, [b, d, a, c], base, dict.fromkeys(base, ANY))
    assert points
    for p in points:
        m = sp.Matrix([[a, b], [c, d]]).xreplace(p)
        assert m ** 2 == sp.zeros(2, 2) and m != sp.zeros(2, 2)


def test_sum_of_squares_forms():
    a, b = sp.symbols("a b", real=True)
    assert set(sos_bases((a - 2) ** 2 + 3 * (b + 1) ** 4)) == {a - 2, b + 1}
    assert set(sos_bases(sp.sqrt((a - 2) ** 2 + b**2))) == {a - 2, b}
    assert sos_bases(a**2 + b**2 + 1) == []  # never 0
    assert sos_bases(a**2 - b**2) is None
    assert sos_bases(a**2 - 2 * a * b + 2) is None  # a positive constant beside a non-square


def test_cosh_is_at_least_one_is_proved():
    # cosh x − 1 = (eˣ − 1)²/(2eˣ): its only switch, x = 0, is rational (it was "checked");
    # prove_nonnegative puts the tangent lines e^{±x} ≥ 1 ± x in place
    result = verify("(cosh(x) >= 1)", "1", symbols="x: scalar")
    assert (result.verdict.status, result.verdict.method) == ("proved", "prove_nonnegative"), \
        result.verdict


def test_an_exponential_switch_at_an_irrational_point_stays_undecided():
    # eˣ = 2e⁻ˣ at x = log(2)/2 only, where ≥ and > differ
    result = verify("(exp(x) - 2 * exp(-x) >= 0)", "(exp(x) - 2 * exp(-x) > 0)",
                    symbols="x: scalar")
    assert result.verdict.status not in HOLDING, result.verdict
