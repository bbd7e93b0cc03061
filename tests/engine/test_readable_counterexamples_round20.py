"""Counterexamples a reader can re-check in double precision (round 20).

- The numeric scan of a transcendental switch of one parameter tried only ±10^k (and the
  ends of an interval): sin(x)/x ≥ −1/5 fails only on (4.1, 4.9) up to sign, x·log x ≥ −0.36
  only on (0.30, 0.44), both between two powers of ten, and both were "undecided". The scan
  now has a plain grid of the first units too.
- A point found at a root of a switch (within 10⁻⁵⁰ of it) differs there by as little: the
  sinc claim was refuted at x = −4.90629515…(55 digits), where |sin(x)/x + 1/5| < 10⁻⁵⁰, so
  that any check in floats sees the claim hold. The shrink now also tries a long rational's
  roundings (integers beside it, then 1, 2, … significant digits), keeping the coarsest
  that still differs (audited, as every shrink step).
Each counterexample is re-checked here at 50 digits against the claim and its assumption."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy as sp

from verifier import verify
from verifier.claimfile import one_liner
from verifier.domains import ANY
from verifier.strategies.context import Context
from verifier.strategies.exact import refute_special, rounded


def _mp(value: str) -> mpmath.mpf:
    q = Fraction(value)
    return mpmath.mpf(q.numerator) / q.denominator


def test_roundings_coarsest_first():
    v = sp.Rational(-1884681502577, 10**12)
    out = rounded(v, ANY)
    assert out[:4] == [-2, -1, sp.Rational(-19, 10), sp.Rational(-18, 10)]
    assert all(c != v for c in out)
    assert rounded(sp.Rational(3, 7), ANY) == []  # short already: kept as it is


def test_sinc_window_refuted_at_a_visible_point():
    claim = one_liner("(sin(x)/x >= -1/5)", "1", "x: scalar", ["x nonzero"])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    x = Fraction(v.counterexample.values["x"])
    assert x != 0 and x.denominator <= 10**4, x
    with mpmath.workdps(50):
        gap = mpmath.sin(_mp(str(x))) / _mp(str(x)) + mpmath.mpf(1) / 5
        assert gap < -1e-6, gap  # a failure a double-precision check sees


def test_xlogx_window_refuted():
    v = verify("(x*log(x) >= -36/100)", "1", symbols="x: scalar", assume=["x positive"],
               timeout=10).verdict
    assert v.status == "refuted", v
    x = Fraction(v.counterexample.values["x"])
    assert x > 0 and x.denominator <= 10**4, x
    with mpmath.workdps(50):
        assert _mp(str(x)) * mpmath.log(_mp(str(x))) + mpmath.mpf(36) / 100 < -1e-6


def test_singular_matrix_without_zero_entries():
    """‖Bx‖² > 0 for x ≠ 0 and B with no zero entry is false at a singular B with x in its
    kernel (B = [[1, −1], [1, −1]], x = (1, 1)): random entries are singular with probability
    0, the identity is not singular, B = 0 breaks the assumption. It was undecided; the special
    points now put square matrices at 𝟏vᵀ (v = (1, …, 1 − n)) and vectors at 𝟏."""
    claim = one_liner("(x.T @ B.T @ B @ x > 0)", "1", "x: vector(n), B: matrix(n, n)",
                      ["x nonzero", "B nonzero elementwise"])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    vals = v.counterexample.values
    b = sp.Matrix([[Fraction(e) for e in row] for row in vals["B"]])
    x = sp.Matrix([Fraction(row[0]) for row in vals["x"]])
    assert all(e != 0 for e in b) and any(e != 0 for e in x)  # the assumptions
    assert (x.T * b.T * b * x)[0, 0] == 0  # the claim's 0 > 0
