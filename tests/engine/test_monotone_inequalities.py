"""Inequalities in one real variable, proved by monotonicity on pieces of the variable's domain
(verifier/strategies/monotone.py, the last rule of prove_nonnegative).

Textbook bounds were undecided or only checked before (x log x ≥ x − 1, tanh x ≤ x for x ≥ 0,
eˣ ≥ 1 + x + x²/2 for x ≥ 0, softplus ≥ relu, x e⁻ˣ ≤ 1/e, log x ≤ √x); each truth here is
also sampled with mpmath, and each false neighbour must not be proved."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from verifier.api import verify
from verifier.strategies import nonnegative
from verifier.strategies.monotone import attempts, monotone

# (claim, assumptions, the interval to sample its truth on)
TRUE = [
    ("x*log(x) >= x - 1", ["x > 0"], (1e-6, 50)),
    ("tanh(x) <= x", ["x >= 0"], (0, 50)),
    ("tanh(x) < x", ["x > 0"], (1e-6, 50)),
    ("softplus(x) >= relu(x)", [], (-50, 50)),
    ("softplus(x) > relu(x)", [], (-50, 50)),
    ("log(1 + x) >= x - x**2/2", ["x >= 0"], (0, 50)),
    ("exp(x) >= 1 + x + x**2/2", ["x >= 0"], (0, 20)),
    ("log(1 + x) >= x/(1 + x)", ["x >= 0"], (0, 50)),
    ("sigmoid(x) <= 1/2 + x/4", ["x >= 0"], (0, 50)),
    ("x*exp(-x) <= exp(-1)", [], (-5, 50)),
    ("atan(x) <= x", ["x >= 0"], (0, 50)),
    ("log(x) <= sqrt(x)", ["x > 0"], (1e-6, 200)),
    ("x**3 - 3*x + 2 >= 0", ["x >= 0"], (0, 10)),
    ("exp(x) >= exp(1)*x", [], (-20, 20)),
]

# false: each fails at the point given (so the sampled truth is checked too)
FALSE = [
    ("x*log(x) > x - 1", ["x > 0"], 1),
    ("tanh(x) < x", ["x >= 0"], 0),
    ("tanh(x) <= x", [], -1),
    ("exp(x) >= 1 + x + x**2/2", [], -1),
    ("sigmoid(x) <= 1/2 + x/5", ["x >= 0"], 1),
    ("x*exp(-x) < exp(-1)", [], 1),
    ("x**3 - 3*x + 1 >= 0", ["x >= 0"], 1),
    ("exp(x) > exp(1)*x", [], 1),
    ("log(x) <= sqrt(x) - 1", ["x > 0"], 4),
]

_ENV = {"log": mpmath.log, "exp": mpmath.exp, "tanh": mpmath.tanh, "atan": mpmath.atan,
        "sqrt": mpmath.sqrt, "sigmoid": lambda t: 1 / (1 + mpmath.exp(-t)),
        "softplus": lambda t: mpmath.log(1 + mpmath.exp(t)), "relu": lambda t: max(t, 0)}


def _holds(claim: str, x: float) -> bool:
    with mpmath.workdps(50):
        return bool(eval(claim, {"__builtins__": {}}, {**_ENV, "x": mpmath.mpf(x)}))


@pytest.mark.parametrize(("claim", "assume", "span"), TRUE, ids=[c for c, _, _ in TRUE])
def test_true_bound_is_proved(claim: str, assume: list[str], span: tuple) -> None:
    lo, hi = span
    assert all(_holds(claim, lo + (hi - lo) * k / 400) for k in range(401))
    verdict = verify(claim, symbols="x: scalar", assume=assume, timeout=20).verdict
    assert verdict.status == "proved", verdict.detail


@pytest.mark.parametrize(("claim", "assume", "at"), FALSE, ids=[c for c, _, _ in FALSE])
def test_false_neighbour_is_not_proved(claim: str, assume: list[str], at: float) -> None:
    assert not _holds(claim, at)
    verdict = verify(claim, symbols="x: scalar", assume=assume, timeout=20).verdict
    assert verdict.status in ("refuted", "conditional"), verdict.detail


x_real = sp.Symbol("x", real=True)
x_pos = sp.Symbol("x", positive=True)


@pytest.mark.parametrize("gap", [
    -1 / x_real,  # increasing on each side of 0, its limit at −∞ is 0: but −1/1 < 0
    sp.log(x_real**2) + 1,  # log x² is not continuous at 0 (and < −1 near it)
    1 - 1 / (x_real**2 - 1) ** 2,  # poles at ±1
    sp.tan(x_real) + 2,  # not a function the rule takes (poles)
    x_pos - 2 * sp.sqrt(x_pos) + sp.Rational(9, 10),  # min −1/10 at x = 1
])
def test_the_rule_does_not_certify_a_false_or_discontinuous_gap(gap) -> None:
    with attempts():
        assert not monotone(gap, False, nonnegative.MAX_DEPTH, nonnegative._any_rule)


def test_a_limit_at_infinity_is_where_a_decreasing_gap_ends() -> None:
    # log(1 + eˣ) − x decreases to 0: ≥ 0 and, strictly decreasing, > 0
    gap = sp.log(1 + sp.exp(x_real)) - x_real
    with attempts():
        assert monotone(gap, True, nonnegative.MAX_DEPTH, nonnegative._any_rule)
        assert not monotone(gap - sp.Rational(1, 10**6), False, nonnegative.MAX_DEPTH,
                            nonnegative._any_rule)
