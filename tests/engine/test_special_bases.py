"""Base points of the switch search that a parameter's domain used to rule out.

- The "others at 0" base kept a parameter whose domain excludes 0 (a positive diagonal
  entry, a Cholesky factor's diagonal) at its random value (≥ 1/2), so tr(D) ∈ (1/3, 1/2)
  for D diagonal positive definite switched at d₀ = 1/3 − d₁ < 0, never inside the domain:
  the claim was "checked".  Such a parameter now sits at 10⁻⁴⁰ there.
- Integer parameters of a bounded range of more than 32 values are one symbol each: each
  switch was solved for one parameter, the others drawn, so (t == 37)(s == 91) = 0 and
  t + s == 199 (true at (100, 99) alone) were "checked".  Every integer parameter at a
  switch of its own at once, and bases with every range at its top or bottom, are tried.
Each counterexample is re-checked here against the set stated by hand.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from verifier import verify

W = Fraction(1, 10**30)


def _diag_trace(values) -> Fraction:
    a = values["A"]
    assert all(Fraction(a[i][j]) == 0 for i in range(len(a)) for j in range(len(a)) if i != j)
    assert all(Fraction(a[i][i]) > 0 for i in range(len(a)))
    return sum(Fraction(a[i][i]) for i in range(len(a)))


@pytest.mark.parametrize("lhs, lo, hi", [
    ("(trace(A) > 1/3) * (trace(A) < 1/2)", Fraction(1, 3), Fraction(1, 2)),
    ("(trace(A) > 1/3) * (trace(A) < 1/3 + 1e-30)", Fraction(1, 3), Fraction(1, 3) + W),
])
def test_a_trace_window_of_a_positive_diagonal_matrix_is_entered(lhs, lo, hi):
    r = verify(lhs, "0", symbols="A: matrix(n, n)", assume=["A positive definite", "A diagonal"])
    assert r.verdict.status == "refuted", r.verdict
    assert lo < _diag_trace(r.verdict.counterexample.values) < hi


def _ints(r, *names) -> list[int]:
    assert r.verdict.status == "refuted", r.verdict
    return [int(r.verdict.counterexample.values[n]) for n in names]


def test_two_integer_switches_at_once():
    r = verify("(t == 37) * (s == 91)", "0", symbols="t: integer, s: integer",
               assume=["t in 1..100", "s in 1..100"])
    assert _ints(r, "t", "s") == [37, 91]


@pytest.mark.parametrize("lhs, names, holds", [
    ("(t + s == 199)", ("t", "s"), lambda t, s: t + s == 199),
    ("(t * s == 9991)", ("t", "s"), lambda t, s: t * s == 9991),  # 97·103 alone
])
def test_an_integer_switch_at_the_top_of_the_ranges(lhs, names, holds):
    r = verify(lhs, "0", symbols="t: integer, s: integer",
               assume=["t in 1..103", "s in 1..103"] if "9991" in lhs
               else ["t in 1..100", "s in 1..100"])
    assert holds(*_ints(r, *names))


def test_three_integers_at_the_top():
    r = verify("(t + s + u == 298)", "0", symbols="t: integer, s: integer, u: integer",
               assume=["t in 1..100", "s in 1..100", "u in 1..100"])
    assert sum(_ints(r, "t", "s", "u")) == 298


@pytest.mark.parametrize("lhs, symbols, holds", [
    # an unbounded integer past its switch, with a window in a scalar: t = 101, x inside
    ("(t > 100) * (x > 1/3) * (x < 1/3 + 1e-30)", "t: integer, x: scalar",
     lambda v: int(v["t"]) > 100 and Fraction(1, 3) < Fraction(v["x"]) < Fraction(1, 3) + W),
    ("(t > 100) * (s < 3) * (x > 1/3) * (x < 1/2)", "t: integer, s: integer, x: scalar",
     lambda v: int(v["t"]) > 100 and int(v["s"]) < 3
     and Fraction(1, 3) < Fraction(v["x"]) < Fraction(1, 2)),
])
def test_integers_beside_their_switches_with_a_window(lhs, symbols, holds):
    r = verify(lhs, "0", symbols=symbols)
    assert r.verdict.status == "refuted", r.verdict
    assert holds(r.verdict.counterexample.values)
