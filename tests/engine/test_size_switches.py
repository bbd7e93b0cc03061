"""A comparison between sizes (or an index and a number) switches at one size, which may lie
past every size a verdict at fixed sizes looked at: (n == 7) · xᵀx = 0 was proved at sizes
(n = 2, 3, then 4, 5, 6, 8, 9: the sizes *past* the literal 7, never 7 itself), and so were
(n == 20), (n > 16) and (n² > 300) · xᵀx = 0.  The switch sizes are read from the claim's
comparisons and tried."""

from __future__ import annotations

import pytest

from verifier.audit import audit
from verifier.claimfile import one_liner
from verifier.engine import Options, decide
from verifier.instantiate import dimension_switches

VEC = "x: vector(n), i: index(n)"


@pytest.mark.parametrize("lhs, rhs, size", [
    ("(n == 7) * x.T @ x", "0", 7),
    ("(n == 20) * x.T @ x", "0", 20),
    ("(n > 16) * x.T @ x", "0", 17),
    ("(n * n > 300) * x.T @ x", "0", 18),
    ("sum(x[i] * (i < 20), i)", "sum(x)", 21),
    ("x[i] * (i * i < 300)", "x[i]", 19),
])
def test_false_only_past_the_usual_sizes_is_refuted(lhs, rhs, size):
    claim = one_liner(lhs, rhs, VEC, [])
    assert {"n": size} in dimension_switches(claim)
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted", v
    assert v.counterexample.sizes == {"n": size}
    assert audit(claim, v.counterexample).differs


def test_comparisons_on_two_dimensions_are_tried_together():
    claim = one_liner("(n == 1) * (m == 3) * sum(A)", "0", "A: matrix(n, m)", [])
    assert {"n": 1, "m": 3} in dimension_switches(claim)
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted" and v.counterexample.sizes == {"n": 1, "m": 3}, v


def test_no_switch_sizes_without_a_comparison_of_sizes():
    assert dimension_switches(one_liner("(x > 0) * x", "relu(x)", "x: vector(n)", [])) == []
    assert dimension_switches(one_liner("x[i] * (i >= j)", "x[i] * (j <= i)",
                                        "x: vector(n), i: index(n), j: index(n)", [])) == []


def test_a_true_claim_with_a_size_comparison_keeps_its_verdict():
    v = decide(one_liner("(n == 7) * x.T @ x", "(n == 7) * sum(x * x)", "x: vector(n)", []),
               Options(timeout=60, conditions=False)).verdict
    assert v.status in ("proved", "proved-at-sizes"), v
