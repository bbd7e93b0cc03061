"""The exact-zero test (certify._exactly_zero) never simplifies a number whose exponent or
function argument is a rational with a long denominator: at such a point of
sum(softmax(x)**2) <= 1, exp(p/q) with q = 5·10⁵⁰ made simplify's polynomial gcd work in
exp(1/q), with exponents near 10⁵⁰; it never returned, and the signal that ends a strategy
at its budget cannot interrupt one long integer operation, so the claim ran past its
timeout (over 90 s at timeout=20)."""

from __future__ import annotations

import subprocess
import sys

import sympy as sp

from verifier.certify import _exactly_zero

LONG = "Rational(1856419598689243947829489431863849543876147304605484627, 5*10**50)"


def _answer_within(seconds: float, number: str) -> str:
    """_exactly_zero of ``number`` (SymPy text) in a fresh process ended after ``seconds``
    (one long integer operation holds the interpreter: no thread or signal ends it)."""
    code = ("from sympy import *\nfrom verifier.certify import _exactly_zero\n"
            f"print(_exactly_zero({number}))")
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=seconds, check=True)
    except subprocess.TimeoutExpired:
        return "still running"
    return done.stdout.strip()


def test_exponent_with_a_long_denominator_is_not_simplified() -> None:
    s = f"(exp(-Rational(7, 3)) + exp({LONG}) + exp(-Rational(5, 2)))**2"
    d = f"-1 + exp(-Rational(14, 3))/{s} + exp(2*{LONG})/{s} + exp(-5)/{s}"
    assert _answer_within(20, d) == "False"


def test_power_with_a_long_denominator_is_not_simplified() -> None:
    d = f"2**({LONG}) + 3**({LONG}) - 5**({LONG}) - 1"
    assert _answer_within(20, d) == "False"


def test_exact_zeros_at_short_rationals_are_still_shown() -> None:
    assert _exactly_zero(sp.atanh(sp.Rational(1, 2)) - sp.log(3) / 2) is True
    x = (sp.sqrt(5) - 1) / 2
    assert _exactly_zero(x**2 + x - 1) is True
    assert _exactly_zero(1 / (1 + sp.exp(sp.log(2))) - sp.Rational(1, 3)) is True
