"""Open items of the adversarial rounds: a proof states the definedness conditions it relies on
even where SymPy cannot build the general form, and SymPy's Piecewise recursion (a ≥ b
rewritten back and forth) is no error verdict, nor a failed strategy."""

from __future__ import annotations

import sympy as sp

from verifier import ops
from verifier.audit import audit
from verifier.claimfile import one_liner
from verifier.engine import Options, decide_claim
from verifier.strategies import check_numeric, refute_exact, refute_special
from verifier.strategies.context import Context

OPTS = Options(timeout=60)


def _conditions(verdict) -> dict[str, bool]:
    return {r.condition: r.assumed for r in verdict.requires}


def test_a_gradient_through_two_inverses_states_x_invertible():
    # SymPy's matrix derivative of tr(X⁻¹X⁻¹) recurses without end, so the general build
    # fails; the proof (by the differential) must still say where X⁻¹ exists
    c = one_liner("grad(trace(inv(X) @ inv(X)), X)", "-2 * (inv(X) @ inv(X) @ inv(X)).T",
                  "X: matrix(n, n)")
    v = decide_claim(c, OPTS)
    assert v.status == "proved", v
    assert _conditions(v) == {"X invertible": False}, v.requires


def test_the_condition_is_assumed_when_the_claim_says_so():
    c = one_liner("grad(trace(inv(X) @ inv(X)), X)", "-2 * (inv(X) @ inv(X) @ inv(X)).T",
                  "X: matrix(n, n)", ["X invertible"])
    v = decide_claim(c, OPTS)
    assert v.status == "proved", v
    assert _conditions(v) == {"X invertible": True}, v.requires


def test_max_of_two_linear_forms_builds():
    # Piecewise((s, s >= t), (t, True)) recursed without end in SymPy 1.14 for these
    w1, w2 = sp.symbols("w_1 w_2", real=True)
    s, t = 10 * w1 - w2, 1 - 10 * w1 + w2
    m = ops.maximum(s, t)
    assert m.xreplace({w1: 1, w2: 0}) == 10
    assert m.xreplace({w1: 0, w2: 0}) == 1
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    m = ops.maximum(2 * x1 - 2 * x2, -2 * x1 - x2 / 2)
    assert m.xreplace({x1: 0, x2: -1}) == 2
    n = ops.minimum(s, t)
    assert n.xreplace({w1: 1, w2: 0}) == -9


def test_hinge_like_gradient_is_decided_not_an_error():
    c = one_liner("grad(max(w.T @ x, 1 - w.T @ x), w)",
                  "(w.T @ x > 1/2) * x - (w.T @ x < 1/2) * x", "w: vector(n), x: vector(n)")
    v = decide_claim(c, OPTS)
    assert v.status in ("proved", "proved-at-sizes", "checked"), v


def test_a_false_hinge_like_gradient_is_refuted():
    c = one_liner("grad(max(w.T @ x, 1 - w.T @ x), w)",
                  "(w.T @ x > 1/2) * x + (w.T @ x < 1/2) * x", "w: vector(n), x: vector(n)")
    v = decide_claim(c, OPTS)
    assert v.status == "refuted", v
    assert audit(c, v.counterexample).differs


def test_max_of_two_products_strategies_do_not_recurse():
    # a false variant, so that no proof comes first: every search strategy decides
    c = one_liner("grad(sum(max(A @ x, B @ x)), x)",
                  "2 * A.T @ (A @ x >= B @ x) + B.T @ (A @ x < B @ x)",
                  "A: matrix(n, n), B: matrix(n, n), x: vector(n)")
    for strategy in (refute_exact, refute_special, check_numeric):
        ctx = Context(c, seed=0, budget=30)
        v = strategy(ctx)
        assert not any("recursion" in n for n in ctx.notes), ctx.notes
        assert v is not None and v.status == "refuted", (strategy.__name__, v)
        assert audit(c, v.counterexample).differs


def test_max_of_two_products_true_gradient_holds():
    c = one_liner("grad(sum(max(A @ x, B @ x)), x)",
                  "A.T @ (A @ x >= B @ x) + B.T @ (A @ x < B @ x)",
                  "A: matrix(n, n), B: matrix(n, n), x: vector(n)")
    for strategy in (refute_exact, refute_special):
        assert strategy(Context(c, seed=0, budget=30)) is None
    v = check_numeric(Context(c, seed=0, budget=30))
    assert v is not None and v.status == "checked", v
