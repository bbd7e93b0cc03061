"""A kink counts against a derivative only in a variable differentiated by. ∂/∂w of
Σ 1[v > 0] ⊙ w is 1[v > 0], defined at v = 0 (where it is 0); the engine read every comparison
inside grad as a kink of the derivative, so the index-form prover took 1[v > 0] = 1 − 1[−v > 0]
there and proved grad(sum((v > 0) * w), w) = (v >= 0) and grad(sum(sign(v)**2 * w), w) =
ones(n), both false at v = 0 (ops.Requirement.kinked; the audit uses the same test)."""

from __future__ import annotations

import pytest

from verifier.api import verify

SYMBOLS = {"v": "vector(n)", "w": "vector(n)", "x": "scalar", "c": "scalar"}


def _verdict(lhs: str, rhs: str):
    used = {k: t for k, t in SYMBOLS.items() if k in lhs + rhs}
    return verify(lhs, rhs, symbols=used, timeout=10).verdict


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("grad(sum((v > 0) * w), w)", "(v >= 0)"),
    ("grad(sum(sign(v)**2 * w), w)", "ones(n)"),
    ("grad(sum(((v > 0) + (v < 0)) * w), w)", "ones(n)"),
    ("grad(sign(x)**2 * c, c)", "1"),
])
def test_a_comparison_in_another_variable_is_no_kink(lhs: str, rhs: str) -> None:
    v = _verdict(lhs, rhs)
    assert v.status in ("refuted", "conditional"), v.status
    point = v.counterexample.values
    zero = [["0"], ["0"]] if "v" in point else "0"
    assert point.get("v", point.get("x")) == zero  # the threshold itself


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("grad(sum((v > 0) * w), w)", "(v > 0)"),  # the true gradient
    ("grad(sum(sign(v)**2 * w), w)", "sign(v)**2"),
    # a kink in the variable differentiated by: judged where the derivative exists
    ("grad(sum(relu(v) * w), v)", "(v >= 0) * w"),
    ("grad(sum(relu(v * w)), w)", "(v * w > 0) * v"),
    ("grad(sum(max(v, w)), w)", "(w >= v)"),
])
def test_true_gradients_and_kinks_in_the_variable_stay_proved(lhs: str, rhs: str) -> None:
    assert _verdict(lhs, rhs).status == "proved"
