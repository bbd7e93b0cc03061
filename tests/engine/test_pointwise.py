"""The tree walker of the quick evaluation (``verifier.strategies.pointwise``) gives the
values that SymPy's own substitution gives: exactly for rational sides, to the working
precision otherwise; it raises where a side divides by zero, and says ``Unknown`` for a node
it does not read (the caller then compiles, as before)."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from verifier import ops
from verifier.strategies.pointwise import Unknown, fraction_values, mp_values

x, y, z = sp.symbols("x y z", real=True)
POINTS = [{x: sp.Rational(3, 7), y: sp.Integer(-2), z: sp.Rational(5, 3)},
          {x: sp.Integer(0), y: sp.Rational(1, 2), z: sp.Integer(-1)},
          {x: sp.Integer(-4), y: sp.Integer(4), z: sp.Rational(-9, 10)}]

RATIONAL = [
    x ** 2 * y - 3 * z / 7 + 1,
    (x + y) ** 3 / (z ** 2 + 1),
    sp.Abs(x - y) + sp.Max(x, z) - sp.Min(y, z, x),
    sp.Heaviside(x) * y + sp.Heaviside(z, sp.Rational(1, 3)),
    sp.sign(x * y) * z,
    sp.Piecewise((x * y, x > 0), (y, sp.And(x <= 0, y > 0)), (z, True)),
    sp.Piecewise((1, sp.Or(sp.Eq(x, 0), z < -1)), (2, True)),
    2 ** (-x.subs(x, 3)) * x,  # a constant negative power stays exact
    (1 - x) ** (2 * y + 3) / z,  # a symbolic exponent with an integer value
]


@pytest.mark.parametrize("expr", RATIONAL, ids=[str(e) for e in RATIONAL])
def test_rational_values_are_exact(expr):
    for point in POINTS:
        got = fraction_values([expr], point)[0]
        want = expr.xreplace(point)
        assert isinstance(got, int | Fraction)
        assert sp.Rational(got.numerator, got.denominator) == want, (point, got, want)


TRANSCENDENTAL = [
    sp.exp(x) / (1 + sp.exp(y)) - sp.log(z ** 2 + 1),
    ops.sigmoid(x - y) * (1 - ops.sigmoid(x - y)),
    sp.tanh(z) + sp.erf(x) + sp.pi * sp.E,
    sp.sqrt(x ** 2 + 1) + (z ** 2 + 2) ** sp.Rational(1, 3),
    (x ** 2 + 1) ** z,  # a symbolic exponent
]


@pytest.mark.parametrize("expr", TRANSCENDENTAL, ids=[str(e) for e in TRANSCENDENTAL])
def test_other_values_agree_to_the_working_precision(expr):
    for point in POINTS:
        want = sp.N(expr.xreplace(point), 60)
        with mpmath.workdps(60):
            got = mp_values([expr], point)[0]
            assert abs(got - mpmath.mpf(str(want))) < mpmath.mpf(10) ** -50, (point, got)


def test_division_by_zero_raises_as_the_compiled_form_does():
    with pytest.raises(ZeroDivisionError):
        fraction_values([1 / x], {x: sp.Integer(0)})
    with pytest.raises(ZeroDivisionError):
        mp_values([sp.exp(y) / x], {x: sp.Integer(0), y: sp.Integer(1)})


def test_a_logarithm_of_a_negative_number_is_not_real():
    with mpmath.workdps(30):
        assert not isinstance(mp_values([sp.log(x)], {x: sp.Integer(-2)})[0], mpmath.mpf)


def test_unknown_nodes_and_missing_values_say_so():
    with pytest.raises(Unknown):
        fraction_values([sp.sqrt(x)], {x: sp.Integer(2)})  # no exact rational value
    with pytest.raises(Unknown):
        fraction_values([sp.gamma(x)], {x: sp.Integer(2)})
    with pytest.raises(Unknown):
        fraction_values([x + y], {x: sp.Integer(2)})
    with pytest.raises(Unknown):  # 2^(1/2) is not rational
        fraction_values([2 ** x], {x: sp.Rational(1, 2)})
    with pytest.raises(Unknown):  # no branch holds
        fraction_values([sp.Piecewise((1, x > 0))], {x: sp.Integer(-1)})
