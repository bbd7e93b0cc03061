"""‖cx‖_∞ = |c|‖x‖_∞ ran prove_at_sizes out of its budget (SymPy's Piecewise folding of
max(|cx₁|, |cx₂|, |cx₃|) − |c|max(|x₁|, |x₂|, |x₃|), a minute at n = 3) and the claim was
only checked, or timed out on a busy machine. A common factor k ≥ 0 now comes out of max and
min first (|ab| = |a||b|), and the difference cancels by expansion. Likewise ‖abᵀ‖_F =
‖a‖‖b‖ was only checked: √(Σaᵢ²bⱼ²) against √(Σaᵢ²)√(Σbⱼ²), which SymPy keeps apart; roots
of radicands nonnegative by their form are now combined, √a√b = √(ab)."""

import pytest

from verifier.api import verify

SYMBOLS = "x: vector(n), c: scalar"


@pytest.mark.parametrize("lhs, rhs, assume", [
    ("max(abs(c * x))", "abs(c) * max(abs(x))", ()),
    ("max(c * x)", "c * max(x)", ("c positive",)),
])
def test_a_nonnegative_factor_comes_out_of_max_and_min(lhs, rhs, assume):
    v = verify(lhs, rhs, symbols=SYMBOLS, assume=list(assume), timeout=30).verdict
    assert (v.status, v.method) == ("proved-at-sizes", "prove_at_sizes"), v


@pytest.mark.parametrize("lhs, rhs", [
    ("max(abs(c * x))", "c * max(abs(x))"),  # c < 0
])
def test_without_a_nonnegative_factor_it_fails(lhs, rhs):
    v = verify(lhs, rhs, symbols=SYMBOLS, timeout=30).verdict
    assert v.status in ("refuted", "conditional"), v


@pytest.mark.parametrize("lhs, rhs, symbols", [
    ("norm(a @ b.T)", "norm(a) * norm(b)", "a: vector(n), b: vector(m)"),
    ("norm(kron(a, b))", "norm(a) * norm(b)", "a: vector(n), b: vector(m)"),
])
def test_roots_of_nonnegative_radicands_combine(lhs, rhs, symbols):
    v = verify(lhs, rhs, symbols=symbols, timeout=30).verdict
    assert (v.status, v.method) == ("proved-at-sizes", "prove_at_sizes"), v


def test_roots_of_radicands_of_unknown_sign_do_not():
    # √x√y = √(xy) holds where both sides are defined, but x, y < 0 is no nonnegative radicand
    v = verify("sqrt(x) * sqrt(y)", "sqrt(x * y)", symbols="x: scalar, y: scalar",
               timeout=30).verdict
    assert v.status != "proved-at-sizes", v
