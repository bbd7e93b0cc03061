"""Windows between a domain boundary and a switch, and values too large for mpmath.

log(x − 1/3)·1[x < 1/3 + 10⁻³⁰] = 0 is defined only for x > 1/3 and nonzero on the window
(1/3, 1/3 + 10⁻³⁰) alone: the nudges beside the switch fall outside the domain and the
claim was "checked".  The zeros of a log's or a square root's argument, of a denominator
and of a determinant to invert are now switches of their own (their midpoints with the
kinks are tried).  tanh(e^(x² + 8)) = 1 (false everywhere: tanh < 1) ended in an
OverflowError of mpmath's tanh at x = 10³⁰; it is refuted now.  Each counterexample is
re-checked here in exact rationals against the window stated by hand.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from verifier import verify
from verifier.certify import Uncertain, enclose, sign

W = Fraction(1, 10**30)
THIRD = Fraction(1, 3)


def _x(result) -> Fraction:
    return Fraction(result.verdict.counterexample.values["x"])


@pytest.mark.parametrize("lhs, inside", [
    ("log(x - 1/3) * (x < 1/3 + 1e-30)", lambda x: THIRD < x < THIRD + W),
    ("(sqrt(x - 1/3) + 1) * (x < 1/3 + 1e-30)", lambda x: THIRD <= x < THIRD + W),
    ("log(1/3 - x) * (x > 1/3 - 1e-30)", lambda x: THIRD - W < x < THIRD),
    ("(1 / (x - 1/3)) * (x < 1/3 + 1e-30) * (x > 1/3)", lambda x: THIRD < x < THIRD + W),
    ("(log(x * x - 1/9) + 1) * (x * x < 1/9 + 1e-30)",
     lambda x: Fraction(1, 9) < x * x < Fraction(1, 9) + W),
])
def test_a_window_at_a_domain_boundary_is_entered(lhs, inside):
    r = verify(lhs, "0", symbols="x: scalar", timeout=30)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    assert inside(_x(r)), r.verdict.counterexample.values


def test_a_window_at_a_boundary_of_a_vector_entry():
    r = verify("(log(x[0] - 1/3) + 1) * (x[0] < 1/3 + 1e-30)", "0", symbols="x: vector(n)",
               timeout=30)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    x0 = Fraction(r.verdict.counterexample.values["x"][0][0])
    assert THIRD < x0 < THIRD + W


def test_no_window_inside_the_domain_stays_undisturbed():
    # log(x − 1/3)·1[x < 1/3] is 0 wherever it is defined: never refuted
    r = verify("log(x - 1/3) * (x < 1/3)", "0", symbols="x: scalar", timeout=30)
    assert r.verdict.status not in ("refuted", "conditional"), r.verdict


def test_tanh_of_a_huge_argument_is_refuted_not_an_error():
    r = verify("tanh(exp(x ** 2 + 8))", "1", symbols="x: scalar", id="tanhexp", timeout=30)
    assert r.verdict.status == "refuted", r.verdict
    # tanh(y) − 1 = −2/(e^(2y) + 1) < 0 for every real y: the difference is negative
    assert r.verdict.counterexample.difference.startswith("-"), r.verdict.counterexample.difference


def test_tanh_enclosure_past_the_overflow():
    big = sp.exp(sp.Integer(10) ** 60)
    lo_hi = enclose(sp.tanh(big) - 1)  # was OverflowError from mpmath
    assert mpmath.mpf(lo_hi._mpi_[1]) <= 0 and mpmath.mpf(lo_hi._mpi_[0]) < 0
    assert sign(sp.tanh(big) + 1) == 1
    assert sign(sp.tanh(-big) - 1) == -1


def test_an_overflow_is_uncertain_not_an_error():
    with pytest.raises(Uncertain):
        enclose(sp.exp(sp.exp(sp.exp(sp.Integer(10) ** 30))))


@pytest.mark.parametrize("lhs, rhs", [
    ("sqrt(x - 1/3) + sqrt(1/3 - x)", "1"),  # defined at x = 1/3 alone, where it is 0
    ("sqrt(x - 1/3) * sqrt(1/3 - x) + x", "1/2"),
])
def test_a_claim_defined_at_one_boundary_point_is_refuted_there(lhs, rhs):
    r = verify(lhs, rhs, symbols="x: scalar", timeout=30)
    assert r.verdict.status == "refuted", r.verdict
    assert _x(r) == THIRD


def test_true_at_its_one_defined_point_is_never_refuted():
    r = verify("sqrt(x - 1/3) + sqrt(1/3 - x)", "0", symbols="x: scalar", timeout=30)
    assert r.verdict.status not in ("refuted", "conditional"), r.verdict
