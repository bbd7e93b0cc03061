"""Each strategy on claims it must prove, must refute, and must pass on."""

from __future__ import annotations

import pytest
import sympy as sp
from engine_claims import QUADRATIC_GENERAL, QUADRATIC_NOTE, SIGMOID_GRAD, SUM_SQUARE, claim

from verifier import ops
from verifier.strategies import (
    Context,
    check_numeric,
    check_shapes,
    prove_at_sizes,
    prove_general,
    prove_indexed,
    refute_exact,
)
from verifier.strategies.exact import replay


def ctx(c):
    return Context(c, seed=0)


def substitute(c, cx):
    return replay(c, cx)


# ----- check_shapes -----

ROW_GRADIENT = claim("row_gradient", symbols="x: vector(n)", kind="gradient",
                     f=lambda s: ops.sc(s.x.T @ s.x), wrt="x", rhs=lambda s: 2 * s.x.T)


def test_check_shapes_refutes_a_layout_mismatch():
    v = check_shapes(ctx(ROW_GRADIENT))
    assert v.status == "refuted"
    assert "lhs is 2×1, rhs is 1×2" in v.counterexample.note


def test_check_shapes_passes_when_shapes_fit():
    assert check_shapes(ctx(QUADRATIC_NOTE)) is None


# ----- refute_exact -----


def test_refute_exact_gives_a_counterexample_that_substitutes_back():
    v = refute_exact(ctx(QUADRATIC_NOTE))
    assert v.status == "refuted" and v.counterexample.exact
    lhs, rhs = substitute(QUADRATIC_NOTE, v.counterexample)
    assert lhs != rhs
    diff = lhs - rhs
    want = v.counterexample.difference
    want = want if isinstance(want, list) else [[want]]
    assert [[str(diff[i, j]) for j in range(diff.shape[1])] for i in range(diff.shape[0])] == want


def test_refute_exact_shrinks_to_small_values():
    v = refute_exact(ctx(QUADRATIC_NOTE))
    entries = [x for m in v.counterexample.values.values() for row in m for x in row]
    assert set(entries) <= {"0", "1", "-1"}


def test_refute_exact_passes_on_a_true_claim():
    assert refute_exact(ctx(QUADRATIC_GENERAL)) is None


def test_refute_exact_transcendental_residual_is_high_precision():
    # eᵃ = 1 + a is false except at 0; away from 0 the residual is transcendental
    c = claim("exp_linear", symbols="a: scalar",
              lhs=lambda s: ops.exp(s.a), rhs=lambda s: 1 + s.a)
    v = refute_exact(ctx(c))
    assert v.status == "refuted" and not v.counterexample.exact
    a = sp.Rational(v.counterexample.values["a"])
    assert a == 1  # shrunk: 0 is not a counterexample, 1 is
    assert abs(sp.N(sp.exp(a) - 1 - a, 30)) > 0.7


# ----- prove_general -----


def test_prove_general_proves_in_general_dimension():
    v = prove_general(ctx(QUADRATIC_GENERAL))
    assert v.status == "proved"
    assert "re-checked element-wise" in v.detail


def test_prove_general_passes_on_element_wise_functions():
    assert prove_general(ctx(SIGMOID_GRAD)) is None


def test_prove_general_never_proves_a_false_claim():
    assert prove_general(ctx(QUADRATIC_NOTE)) is None


# ----- prove_indexed -----


def test_prove_indexed_proves_for_every_length():
    v = prove_indexed(ctx(SUM_SQUARE))
    assert v.status == "proved"


def test_prove_indexed_passes_without_sums():
    assert prove_indexed(ctx(QUADRATIC_GENERAL)) is None


# ----- prove_at_sizes -----


def test_prove_at_sizes_proves_element_wise():
    v = prove_at_sizes(ctx(SIGMOID_GRAD))
    assert v.status == "proved-at-sizes" and v.sizes


def test_prove_at_sizes_passes_on_a_false_claim():
    assert prove_at_sizes(ctx(QUADRATIC_NOTE)) is None


def test_prove_at_sizes_enumerates_index_cases():
    c = claim("onehot_sum", symbols="y: index(C)",
              lhs=lambda s: ops.sum_(ops.onehot(s.y, s.C)), rhs=lambda s: 1, sizes=[{"C": 3}])
    v = prove_at_sizes(ctx(c))
    assert v.status == "proved-at-sizes" and "3 index case(s)" in v.detail


# ----- check_numeric: checks or refutes, never proves -----


def test_check_numeric_checks_at_certified_points():
    v = check_numeric(ctx(SIGMOID_GRAD))
    assert v.status == "checked"
    assert "certified points" in v.detail and "special values" in v.detail
    assert v.sizes  # the sizes it rests on are named


def test_check_numeric_refutes_a_false_gradient_exactly():
    # the points are rational: a polynomial gradient's difference is exact
    v = check_numeric(ctx(QUADRATIC_NOTE))
    assert v.status == "refuted" and v.counterexample.exact


def test_check_numeric_never_says_proved():
    for c in (SIGMOID_GRAD, QUADRATIC_GENERAL, SUM_SQUARE):
        v = check_numeric(ctx(c))
        assert v is None or v.status in ("checked", "refuted")


# relu(t) − relu(−t) = t: a Piecewise identity, proved region by region (t > 0, t < 0, t = 0)
RELU_ODD = claim("relu_odd", symbols="t: scalar",
                 lhs=lambda s: ops.relu(s.t) - ops.relu(-s.t), rhs=lambda s: s.t)
RELU_WRONG = claim("relu_wrong", symbols="t: scalar",
                   lhs=lambda s: ops.relu(s.t) + ops.relu(-s.t), rhs=lambda s: s.t)


def test_prove_at_sizes_proves_a_piecewise_identity_by_regions():
    v = prove_at_sizes(ctx(RELU_ODD))
    assert v is not None and v.status == "proved"


def test_a_false_piecewise_identity_is_not_proved():
    assert prove_at_sizes(ctx(RELU_WRONG)) is None
    assert refute_exact(ctx(RELU_WRONG)).status == "refuted"


@pytest.mark.parametrize("lhs, rhs, holds", [
    ("(A + B) @ (A + B)", "A @ A + A @ B + B @ A + B @ B", True),
    ("(A - B) @ (A + B)", "A @ A - B @ B + A @ B - B @ A", True),
    ("(A + B) @ (A + B) @ (A + B)", "A @ A @ A + A @ A @ B + A @ B @ A + A @ B @ B "
     "+ B @ A @ A + B @ A @ B + B @ B @ A + B @ B @ B", True),
    ("(A + B) @ (A + B)", "A @ A + 2 * A @ B + B @ B", False),  # needs AB = BA
])
def test_products_of_sums_are_multiplied_out_in_general_dimension(lhs, rhs, holds):
    # SymPy keeps (A + B)² as a power of a sum; prove_general multiplies it out
    from verifier.claimfile import one_liner
    from verifier.strategies import prove_general
    from verifier.strategies.context import Context

    v = prove_general(Context(one_liner(lhs, rhs, "A: matrix(n, n), B: matrix(n, n)")))
    assert (v is not None and v.status == "proved") == holds, v


@pytest.mark.parametrize("lhs, rhs, symbols", [
    # prove_general recursed without end on a row picked by a label, and the error was the
    # verdict; the index prover proves both
    ("grad(W[c, :] @ x, W)", "onehot(c, C) @ x.T", "W: matrix(C, d), x: vector(d), c: index(C)"),
    ("grad(trace(block([[X, X], [X, X]])), X)", "2 * eye(n)", "X: matrix(n, n)"),
])
def test_a_strategy_that_fails_leaves_the_claim_to_the_next(lhs, rhs, symbols):
    from verifier.claimfile import one_liner
    from verifier.engine import Options, decide

    v = decide(one_liner(lhs, rhs, symbols), Options(timeout=60)).verdict
    assert v.status == "proved", v
