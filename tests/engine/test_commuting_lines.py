"""Windows of a claim on commuting pairs: special points that keep the pair commuting.

A symbolic build treats a commuting pair as free, so the special points solved on it do
not commute and the audit rejects them; random commuting pairs seldom land in a window.
(tr(AB) > 1/3)(tr(AB) < 1/2) = 0 for A, B commuting with B symmetric was "checked"
(A = I, B = diag(1/5, 1/5) breaks it), and "holds if B skew-symmetric" was offered for
the 10⁻³⁰ window of tr(AB), though A = −B (tr(AB) = ‖B‖²) enters it.  Lines A₀ + sI,
sA₀ through drawn commuting pairs (``verifier.strategies.lines``) are searched now, and a
free A commuting with a skew B is drawn as p(B) (``commute_plan``), not B = p(A) = 0.
Each counterexample is re-checked here in exact rationals.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from verifier.claimfile import one_liner
from verifier.domains import commute_plan
from verifier.engine import Options, decide
from verifier.strategies.context import Context
from verifier.strategies.exact import refute_special

PAIR = "A: matrix(n, n), B: matrix(n, n)"
WINDOW = "(trace(A @ B) > 1/3) * (trace(A @ B) < 1/3 + 1e-30)"


def _m(v) -> sp.Matrix:
    return sp.Matrix([[sp.Rational(e) for e in row] for row in v])


@pytest.mark.parametrize("lhs, structure, lo, hi", [
    ("(trace(A @ B) > 1/3) * (trace(A @ B) < 1/2)", "B symmetric",
     Fraction(1, 3), Fraction(1, 2)),
    (WINDOW, "B symmetric", Fraction(1, 3), Fraction(1, 3) + Fraction(1, 10**30)),
    (WINDOW, "B skew-symmetric", Fraction(1, 3), Fraction(1, 3) + Fraction(1, 10**30)),
])
def test_a_window_on_commuting_pairs_is_entered(lhs, structure, lo, hi):
    claim = one_liner(lhs, "0", PAIR, ["A and B commute", structure])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    a, b = _m(v.counterexample.values["A"]), _m(v.counterexample.values["B"])
    assert a * b == b * a
    assert b == (b.T if structure == "B symmetric" else -b.T)
    assert lo < Fraction(str((a * b).trace())) < hi


def test_a_free_matrix_commuting_with_a_skew_one_is_its_polynomial():
    claim = one_liner(WINDOW, "0", PAIR, ["A and B commute", "B skew-symmetric"])
    plan = commute_plan(claim)
    assert not isinstance(plan, str) and plan.derived == {"A": "B"}


def test_no_wrong_condition_for_a_window_on_commuting_pairs():
    # under B skew tr(AB) is ‖B‖² for A = −B: the window is entered, no condition is right
    claim = one_liner(WINDOW, "0", PAIR, ["A and B commute"])
    v = decide(claim, Options(timeout=60)).verdict
    assert v.status in ("refuted", "conditional", "undecided"), v
    assert v.condition != "B skew-symmetric", v


THREE = "A: matrix(n, n), B: matrix(n, n), C: matrix(n, n)"


@pytest.mark.parametrize("lhs, symbols, assume, inside", [
    # a diagonal or definite hub is parametrised (its own parameters, LLᵀ): lines are
    # built from values, not from the build's parameters
    ("(sum(B) > 1/3) * (sum(B) < 1/3 + 1e-30) * (B[0, 1] > 0)", PAIR,
     ["A and B commute", "A diagonal"],
     lambda m: Fraction(1, 3) < Fraction(str(sum(m["B"]))) < Fraction(1, 3) + Fraction(1, 10**30)
     and m["B"][0, 1] > 0),
    ("(det(A @ B) > 1/3) * (det(A @ B) < 1/3 + 1e-30)", PAIR,
     ["A and B commute", "A positive definite", "B symmetric"],
     lambda m: Fraction(1, 3) < Fraction(str((m["A"] * m["B"]).det()))
     < Fraction(1, 3) + Fraction(1, 10**30)),
    # B and C commute with A but not with each other (A = cI): searched before the
    # symbolic special points of three matrices take the budget
    ("(sum((B @ C - C @ B) ** 2) > 1/3) * (sum((B @ C - C @ B) ** 2) < 1/3 + 1e-30)", THREE,
     ["A and B commute", "A and C commute", "B skew-symmetric"],
     lambda m: Fraction(1, 3) < Fraction(str(sum((m["B"] * m["C"] - m["C"] * m["B"])
                                                 .applyfunc(lambda e: e**2))))
     < Fraction(1, 3) + Fraction(1, 10**30)),
])
def test_windows_with_structured_or_shared_hubs(lhs, symbols, assume, inside):
    claim = one_liner(lhs, "0", symbols, assume)
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    m = {k: _m(x) for k, x in v.counterexample.values.items()}
    assert all(m["A"] * m[k] == m[k] * m["A"] for k in m if k != "A")
    assert inside(m), v.counterexample.values


def test_a_gradient_window_on_commuting_pairs_is_entered():
    # ∇ relu(xᵀABx − 1/3) = 1[xᵀABx > 1/3](AB + (AB)ᵀ)x, claimed with 1/3 + 10⁻³⁰: false in
    # the window, also for B symmetric ("holds if B symmetric" had been offered)
    claim = one_liner("grad(relu(x.T @ A @ B @ x - 1/3), x)",
                      "(x.T @ A @ B @ x > 1/3 + 1e-30) * (A @ B + B.T @ A.T) @ x",
                      f"{PAIR}, x: vector(n)", ["A and B commute", "B symmetric"])
    v = refute_special(Context(claim, seed=0, budget=30))
    assert v is not None and v.status == "refuted", v
    a, b, x = (_m(v.counterexample.values[k]) for k in ("A", "B", "x"))
    assert a * b == b * a and b == b.T
    q = Fraction(str((x.T * a * b * x)[0]))
    assert Fraction(1, 3) < q <= Fraction(1, 3) + Fraction(1, 10**30)
    assert not ((a * b + (a * b).T) * x).is_zero_matrix
