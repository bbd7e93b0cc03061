"""‖cx‖_∞ = |c|‖x‖_∞ ran prove_at_sizes out of its budget (SymPy's Piecewise folding of
max(|cx₁|, |cx₂|, |cx₃|) − |c|max(|x₁|, |x₂|, |x₃|), a minute at n = 3) and the claim was
only checked, or timed out on a busy machine. A common factor k ≥ 0 now comes out of max and
min first (|ab| = |a||b|), and the difference cancels by expansion."""

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
