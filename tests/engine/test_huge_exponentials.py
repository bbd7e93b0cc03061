"""An exponential of a number past 2⁶⁴ gives up its point (ValueError, as a point the sides
cannot be evaluated at) instead of computing ln 2 to hundreds of thousands of bits: a nested
exp at a special point made probability.gmm_responsibilities_sum_to_one spend its whole 20 s
refutation budget on a handful of values (0.2 s before the round-7 special points)."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.strategies.pointwise import mp_values

x = sp.Symbol("x")


@pytest.mark.parametrize("fn", [sp.exp, lambda a: 1 / (1 + sp.exp(-a)), sp.tanh])
@pytest.mark.parametrize("at", [10**30, -(10**30)])
def test_an_exponential_past_two_to_the_64_gives_up_the_point(fn, at):
    with pytest.raises(ValueError, match="past 2"):
        mp_values([fn(x)], {x: sp.Integer(at)})


def test_a_nested_exponential_gives_up_before_its_outer_exp():
    with pytest.raises(ValueError):
        mp_values([sp.exp(sp.exp(x))], {x: sp.Integer(100)})  # e^100 ≈ 2.7e43 > 2^64


@pytest.mark.parametrize("at", [709, -745, 40])
def test_exponentials_of_ordinary_size_are_values(at):
    with mpmath.workdps(30):
        (v,) = mp_values([sp.exp(x)], {x: sp.Integer(at)})
        assert v == mpmath.exp(at)
