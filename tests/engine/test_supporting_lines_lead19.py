"""Inequalities over sums proved through a supporting line at the vectors' means
(verifier/strategies/index_inequality.py, certificate 3): Gibbs' inequality, entropy bounds
and Jensen's inequality in general dimension, and their false neighbours not proved. The
coefficient of a tangent may be a positive expression (nonnegative.py, rule 6)."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.api import verify
from verifier.strategies.nonnegative import certify

SYMBOLS = {"p": "vector(n)", "q": "vector(n)", "x": "vector(n)", "a": "scalar"}
P, Q = "p is a probability vector", "q is a probability vector"

TRUE = [
    ("sum(p * log(p / q)) >= 0", [P, Q, "p > 0", "q > 0"]),  # KL(p‖q) ≥ 0
    ("-sum(p * log(q)) >= -sum(p * log(p))", [P, Q, "p > 0", "q > 0"]),  # H(p, q) ≥ H(p)
    ("-sum(p * log(p)) <= log(n)", [P, "p > 0"]),
    ("mean(exp(x)) >= exp(mean(x))", []),
    ("sum(exp(x - a)) >= n * exp(mean(x) - a)", []),
    ("mean(log(x)) <= log(mean(x))", ["x > 0"]),
    ("mean(x * log(x)) >= mean(x) * log(mean(x))", ["x > 0"]),
    ("mean(x ** 3) >= mean(x) ** 3", ["x >= 0"]),  # (x − m)²(x + 2m), m ≥ 0 as the entries
    ("sum(1 / x) >= n ** 2 / sum(x)", ["x > 0"]),  # (x − m)²/(x m²) once factored
    ("sum(p ** 3) >= 1 / n ** 2", [P]),
]

FALSE = [
    ("sum(p * log(p / q)) >= 0", [P, "p > 0", "q > 0"]),  # q not a probability vector
    ("sum(p * log(p / q)) >= 0", [Q, "p > 0", "q > 0"]),  # p not one
    ("sum(q * log(p / q)) >= 0", [P, Q, "p > 0", "q > 0"]),
    ("-sum(p * log(p)) < log(n)", [P, "p > 0"]),  # equality at the uniform p
    ("-sum(p * log(p)) <= log(n) - 1/100", [P, "p > 0"]),
    ("mean(exp(x)) <= exp(mean(x))", []),
    ("mean(exp(x)) > exp(mean(x))", []),
    ("mean(log(x)) >= log(mean(x))", ["x > 0"]),
    ("mean(x**3) >= mean(x)**3", []),  # convex only for x ≥ 0
    ("mean(sigmoid(x)) >= sigmoid(mean(x))", []),
    ("sum(exp(x)) >= n + 2 * sum(x)", []),
    ("sum(1 / x) > n ** 2 / sum(x)", ["x > 0"]),
    ("sum(p ** 3) >= 1 / n", [P]),
]


@pytest.mark.parametrize(("claim", "assume"), TRUE)
def test_inequality_through_the_means_is_proved(claim: str, assume: list[str]) -> None:
    v = verify(claim, symbols=SYMBOLS, assume=assume, timeout=10).verdict
    assert v.status == "proved", (claim, v.status, v.detail)


@pytest.mark.parametrize(("claim", "assume"), FALSE)
def test_false_neighbours_are_not_proved(claim: str, assume: list[str]) -> None:
    v = verify(claim, symbols=SYMBOLS, assume=assume, timeout=10).verdict
    assert v.status in ("refuted", "conditional"), (claim, v.status)


def test_a_tangent_with_a_positive_coefficient_of_its_form() -> None:
    p, q = sp.symbols("p q", positive=True)
    assert certify(-p * sp.log(q / p) - p + q, False) is not None  # −p·log(q/p) ≥ q − p
    assert certify(-p * sp.log(q / p) - p + q - sp.Rational(1, 100), False) is None
    r = sp.Symbol("r", real=True)
    assert certify(-r * sp.log(q / p) - p + q, False) is None  # r of unknown sign
