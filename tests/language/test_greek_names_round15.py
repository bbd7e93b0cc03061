"""Round 15: Greek letters and subscript digits as names (α, σ², β₁, Σ a covariance), Φ(x) the
standard normal CDF, and functions capitalised as papers write them (ReLU(x), Softmax(z),
Tr(A)).  Before round 15 a declaration "α: scalar" was refused ('spell a Greek letter out'),
ReLU(x) was refused ('the functions are lower case') and Φ(x) was an unknown function.

A Greek name is read as its spelling (α alpha, λ lam, ε epsilon or a declared eps), in the
declaration, the formula and the assumptions alike; undeclared, σ(z) keeps its refusal (the
logistic or a generic activation?) and α says to declare it."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier import verify
from verifier.claimfile import declare_symbols
from verifier.language import ClaimInputError, parse_expression, scope_of

SCOPE = scope_of(declare_symbols(
    "α: scalar, β₁: scalar, β_2: scalar, λ: scalar, σ: vector(n), μ: vector(n), "
    "ε: vector(n), Σ: matrix(n, n), x: vector(n), z: vector(n), s: scalar, A: matrix(n, n), "
    "eps: scalar"))

_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    ("α * x", "alpha * x"), ("β₁ * s + (1 - β₁) * s ** 2", "beta_1 * s + (1 - beta_1) * s ** 2"),
    ("β_2 * s", "beta_2 * s"), ("λ * ‖x‖²", "lam * norm(x) ** 2"),
    ("μ + σ * ε", "mu + sigma * epsilon"), ("σ²", "sigma ** 2"), ("Σ @ x", "Sigma @ x"),
    ("inv(Σ) @ (x - μ)", "inv(Sigma) @ (x - mu)"), ("x.T @ Σ⁻¹ @ x", "x.T @ inv(Sigma) @ x"),
    ("α*x + λ*x", "alpha * x + lam * x"),
    ("σ(s)", "sigma * s"),  # σ declared: no function, a product (round 15)
])
def test_a_declared_greek_name_is_read_as_its_spelling(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "plain"), [
    ("ReLU(x)", "relu(x)"), ("Softmax(z)", "softmax(z)"), ("Tanh(s)", "tanh(s)"),
    ("Sigmoid(s)", "sigmoid(s)"), ("Tr(A @ A)", "trace(A @ A)"), ("Det(A)", "det(A)"),
    ("SiLU(x)", "x * sigmoid(x)"), ("Softplus(s)", "log(1 + exp(s))"),
    ("Φ(s)", "(1 + erf(s / sqrt(2))) / 2"), ("Phi(s)", "(1 + erf(s / sqrt(2))) / 2"),
    ("s * Φ(s)", "s * ((1 + erf(s / sqrt(2))) / 2)"),
])
def test_a_capitalised_function_is_read(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "says"), [
    ("γ * x", 'unknown name "γ" (read as gamma); declare it, e.g. "γ: scalar"'),
    ("LayerNorm(x)", "write (x - mean(x)) / sqrt(var(x) + eps)"),  # parameters: refused
    ("Var(x)", "unknown function"),  # n or n - 1 in the denominator?
])
def test_what_has_no_one_reading_stays_refused(written: str, says: str) -> None:
    assert says in _refusal(written)


def test_sigma_of_z_undeclared_is_the_sigmoid() -> None:
    # round 17: σ(z) with no symbol sigma is the logistic, as papers mean it (was refused)
    scope = scope_of(declare_symbols("z: vector(n)"))
    assert read("σ(z)", scope) == "sigmoid(z)"


@pytest.mark.parametrize(("written", "plain"), [
    (r"\det(\Sigma)^{-1/2}", "det(Sigma) ** (-1 / 2)"),  # an upper-case Greek command
    (r"\hat{y} - y", "y_hat - y"), (r"\bar{x} + \tilde{x}", "x_bar + xtilde"),
])
def test_latex_greek_capitals_and_accents_are_read(written: str, plain: str) -> None:
    scope = scope_of(declare_symbols("Σ: matrix(n, n), y: scalar, y_hat: scalar, "
                                     "x_bar: scalar, xtilde: scalar"))
    assert read(written, scope) == read(plain, scope)


def test_epsilon_declared_as_eps_is_read() -> None:
    scope = scope_of(declare_symbols("x: vector(n), eps: scalar"))
    assert read("x / (1 + ε)", scope) == "x / (1 + eps)"


def test_a_phi_declared_as_a_matrix_is_the_matrix() -> None:
    scope = scope_of(declare_symbols("Φ: matrix(N, d), w: vector(d)"))
    assert read("Φ @ w", scope) == "Phi @ w"


def test_an_error_after_a_greek_letter_points_into_the_text_as_written() -> None:
    scope = scope_of(declare_symbols("α: scalar, x: vector(n)"))
    with pytest.raises(ClaimInputError) as info:
        parse_expression("α * x + q", scope)  # q: column 9 as written (13 once respelled)
    assert (info.value.line, info.value.column) == (1, 9)


def test_greek_names_in_a_claim_and_its_assumptions() -> None:
    # log σ² = 2 log σ for σ > 0: true, and needs the assumption (σ = -1: log 1 = 0 ≠ 2 log -1)
    result = verify("log(σ²)", "2 * log(σ)", symbols="σ: scalar", assume=["σ > 0"], timeout=20)
    assert result.verdict.status == "proved"
    # Adam's bias correction: m / (1 - β₁ᵗ) with m = (1 - β₁) g after one step is g
    result = verify("(1 - β₁) * g / (1 - β₁ ** 1)", "g",
                    symbols={"β₁": "scalar", "g": "vector(n)"}, assume=["0 < β₁ < 1"],
                    timeout=20)
    assert result.verdict.status == "proved"
