"""Differences far below any working precision: f(a) − f(b) with a − b = e^-10^6.

The enclosures of f(a) and f(b) agree to ~1350 digits, so their difference cannot show a
gap of 10^-434294; the mean-value pairing in ``verifier.certify`` (f(a) − f(b) =
f′(ξ)(a − b), a − b formed symbolically) does.  Every value printed is checked here with
mpmath, independently of the engine.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.audit import audit
from verifier.certify import compare, estimate
from verifier.claimfile import one_liner
from verifier.engine import Options, decide

X = sp.Rational(1, 3)
TINY = sp.exp(-10**6)


@pytest.mark.parametrize("a, b", [
    (sp.log(X + TINY), sp.log(X)),                 # log(1/3) is −log 3 in SymPy
    (sp.log(X**2 + TINY), 2 * sp.log(X)),          # 2·(−log 3) paired as log(1/9)
    (sp.log(1 + TINY), sp.Integer(0)),             # a lone log against log 1 = 0
    (sp.exp(X + TINY), sp.exp(X)),
    (3 * sp.exp(X + TINY), sp.exp(X + sp.log(3))),
    (sp.sqrt(4 * X + TINY), 2 * sp.sqrt(X)),       # 2·√(1/3) is (2/3)·√3 in SymPy
    ((X + sp.exp(-10**5)) ** 3, X**3),             # 1/27 paired as (1/3)³
    (sp.log(sp.log(3 + TINY)), sp.log(sp.log(3))),  # nested: the inner pair recurses
    (sp.tanh(TINY), sp.Integer(0)),
])
def test_tiny_difference_is_certified(a, b):
    c = compare(a, b, deep=True)
    assert c.status == "differ", (a, b, c)


@pytest.mark.parametrize("a, b", [
    (sp.log(2 * X), sp.log(2) + sp.log(X)),
    (sp.log(X * X), 2 * sp.log(X)),
    (sp.sqrt(4 * X), 2 * sp.sqrt(X)),
    (sp.exp(X + sp.log(3)), 3 * sp.exp(X)),
])
def test_equal_numbers_still_agree(a, b):
    assert compare(a, b, deep=True).status == "agree"


def _claim(lhs: str, rhs: str):
    return one_liner(lhs, rhs, "x: scalar", ["x positive"])


@pytest.mark.parametrize("lhs, rhs", [
    ("log(x + exp(-10**6*(1 + x**2)))", "log(x)"),
    ("log(1 + exp(-10**6 * (1 + x**2)))", "0"),
    ("exp(x + exp(-10**6))", "exp(x)"),
    ("sqrt(x + exp(-10**6))", "sqrt(x)"),
    ("log(sigmoid(10**6 * (1 + x**2)))", "0"),   # −log(1 + e^-t): σ − 1 written as −σ(−t)
])
def test_claim_false_by_e_to_minus_a_million_is_refuted(lhs, rhs):
    # false at every x > 0; was "checked" (agreement at 1350 digits)
    claim = _claim(lhs, rhs)
    v = decide(claim, Options(timeout=20, conditions=False)).verdict
    assert v.status == "refuted", v
    assert audit(claim, v.counterexample).differs


def test_complement_of_a_saturated_sigmoid_is_certified():
    from verifier.ops import _sigmoid_class

    s, t = _sigmoid_class(), 10**6 * (1 + X**2)
    for a, b in [(sp.log(s(t)), 0), (1 - s(t), 0), (sp.tanh(t), 1), (sp.tanh(-t), -1)]:
        assert compare(a, b, deep=True).status == "differ", (a, b)
    assert compare(s(X) + s(-X), 1, deep=True).status == "agree"


def test_printed_difference_is_the_true_one():
    # evalf printed 9.3e-156 for a difference of 5.4e-1640669
    claim = _claim("log(x + exp(-10**6*(1 + x**2)))", "log(x)")
    cx = decide(claim, Options(timeout=20, conditions=False)).verdict.counterexample
    x = mpmath.mpf(sp.Rational(cx.values["x"]))
    with mpmath.workdps(30):
        t = mpmath.exp(-mpmath.mpf(10) ** 6 * (1 + x**2))
        truth = t / x  # log(x + t) − log(x) = t/x (1 + O(t))
        printed = mpmath.mpf(str(cx.difference))
        assert abs(printed / truth - 1) < 1e-8


def test_estimate_gives_none_when_it_cannot_tell():
    # sin(e^10000 + 1/3): the argument is known to ~1350 digits, its sine not at all
    assert estimate(sp.sin(sp.exp(sp.Integer(10) ** 4) + X)) is None
