"""Claims false only at irrational points (round 14's open items): a switch whose argument
vanishes only at irrational values (x² − 2, x − π, sin x − 1) is solved exactly, and the
claim refuted at a root, audited like any counterexample (assumptions checked on the
closed-form value by certified signs, comparisons certified).  Before: undecided ("agrees at
every point tried, but x**2 - 2 = 0 at irrational values").  True neighbours stay
unrefuted; an interval that excludes the root keeps the claim true."""

import pytest
import sympy as sp

from verifier.api import as_entry, verify
from verifier.audit import audit
from verifier.domains import violated

FALSE = [  # (lhs, rhs, symbols, assumptions, the root where it fails)
    ("(x**2 > 2) + (x**2 < 2)", "1", "x: scalar", [], {sp.sqrt(2), -sp.sqrt(2)}),
    ("(sin(x) >= 1)", "0", "x: scalar", [], {sp.pi / 2, 5 * sp.pi / 2, -3 * sp.pi / 2}),
    ("(x >= pi) * (x <= pi)", "0", "x: scalar", [], {sp.pi}),
    ("(x**2 > 2) + (x**2 < 2)", "1", "x: scalar", ["x positive"], {sp.sqrt(2)}),
    ("(x**2 > 2) + (x**2 < 2)", "1", "x: scalar", ["x negative"], {-sp.sqrt(2)}),
    ("(x**2 > 2) + (x**2 < 2)", "1", "x: scalar", ["x in (0, 1.4143)"], {sp.sqrt(2)}),
]

TRUE = [
    ("(x**2 > 2) + (x**2 < 2)", "1", "x: scalar", ["x in (0, 1.414)"]),
    ("(x**2 >= 2) + (x**2 < 2)", "1", "x: scalar", []),
    ("(sin(x) > 1)", "0", "x: scalar", []),
    ("(x > pi) * (x < pi)", "0", "x: scalar", []),
]


@pytest.mark.parametrize("lhs, rhs, symbols, assume, roots", FALSE)
def test_refuted_at_an_irrational_root(lhs, rhs, symbols, assume, roots):
    v = verify(lhs, rhs, symbols=symbols, assume=assume, timeout=30).verdict
    assert v.status == "refuted", v
    cx = v.counterexample
    assert cx.exact and sp.sympify(cx.values["x"]) in roots, cx
    assert audit(as_entry(lhs, rhs, symbols=symbols, assume=assume), cx).differs


@pytest.mark.parametrize("lhs, rhs, symbols, assume", TRUE)
def test_true_neighbours_are_not_refuted(lhs, rhs, symbols, assume):
    v = verify(lhs, rhs, symbols=symbols, assume=assume, timeout=30).verdict
    assert v.status not in ("refuted", "conditional"), v


@pytest.mark.parametrize("assume, value, broken", [
    ("x positive", sp.sqrt(2), False), ("x positive", -sp.sqrt(2), True),
    ("x in (0, 1.414)", sp.sqrt(2), True), ("x in [1, 1.41422]", sp.sqrt(2), False),
    ("x in (0, 3.1415)", sp.pi, True), ("x in [3.1415, 3.1416]", sp.pi, False),
    ("x in 1..3", sp.sqrt(2), True),  # an integer range: a closed form is never taken in
])
def test_assumptions_are_checked_on_closed_form_values(assume, value, broken):
    claim = as_entry("x", "x", symbols="x: scalar", assume=[assume])
    assert bool(violated(claim, {"x": value})) is broken
