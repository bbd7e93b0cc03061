"""Round 15: powers by a symbol as papers write them (β₁^t, γ^k, β^{t}, γ^{k+1}), a negative
coefficient before a sum (-1/2 Σ_j), and LaTeX's \\pi and \\ln.  Before round 15 each was
refused ('operator ^ is not in the language; for a power write x ** k', 'is ... in the
denominator?', 'LaTeX is not read (\\pi)').  x^{(i)}, the i-th sample of ML notes, is refused
(not read as a power); A^k of a square matrix stays refused (the matrix power)."""

from __future__ import annotations

from functools import partial

import pytest
from readings import read, refusal

from verifier import verify
from verifier.claimfile import declare_symbols
from verifier.language import scope_of

SCOPE = scope_of(declare_symbols(
    "β₁: scalar, γ: scalar, t: integer, r: vector(T), k: index(T), σ: vector(d), μ: vector(d), "
    "j: index(d), s: scalar, A: matrix(n, n), x: vector(n), i: index(n)"))

_read = partial(read, scope=SCOPE)
_refusal = partial(refusal, scope=SCOPE)


@pytest.mark.parametrize(("written", "plain"), [
    ("β₁^t", "beta_1 ** t"), ("1 - β₁^{t}", "1 - beta_1 ** t"), ("γ^k r_k", "gamma ** k * r[k]"),
    ("γ^{k+1}", "gamma ** (k + 1)"), (r"\sum_{k=0}^{T-1} γ^k r_k", "sum(gamma ** k * r[k], k)"),
    (r"-1/2 \sum_j (1 + \log σ_j^2 - μ_j^2 - σ_j^2)",
     "-1 / 2 * sum(1 + log(sigma[j] ** 2) - mu[j] ** 2 - sigma[j] ** 2, j)"),
    (r"\frac{1}{\sqrt{2 \pi s}}", "1 / sqrt(2 * pi * s)"), (r"\ln s", "log(s)"),
    # a parenthesised exponent, and two powers side by side (Python: p ** (t(1 - p) ** …))
    ("s^(t + 1)", "s ** (t + 1)"), ("A^(-1)", "inv(A)"), ("A^(T)", "A.T"),
    ("s^t (1 - s)^(t + 1)", "s ** t * (1 - s) ** (t + 1)"),
    ("1 - β₁ᵗ", "1 - beta_1 ** t"),  # a superscript letter naming a declared integer
])
def test_a_power_by_a_symbol_is_read(written: str, plain: str) -> None:
    assert _read(written) == _read(plain)


@pytest.mark.parametrize(("written", "says"), [
    ("x^{(i)}", "names a sample, a step or a layer in ML notes, not a power"),
    ("A^{[t]}", "names a sample, a step or a layer in ML notes, not a power"),
    ("x^i", "x^i with i an index: sample i in many notes"),
    ("A^t", "the language has no symbolic matrix power"),
    ("γᵏ", "a superscript letter is read as a power by a symbol declared integer"),
    (r"\sum_{k=1}^{T} γ^k r_k", "k counts from 1 in a paper"),  # γ^k from 1: one less here
])
def test_a_superscript_without_one_reading_is_refused(written: str, says: str) -> None:
    assert says in _refusal(written)


def test_bias_correction_written_as_adam_writes_it() -> None:
    # m̂ = m / (1 − β₁ᵗ) after one step from m = 0: (1 − β₁) g / (1 − β₁¹) = g
    result = verify("(1 - β₁) g / (1 - β₁^t)", "g",
                    symbols="β₁: scalar, g: vector(n), t: integer", assume=["0 < β₁ < 1"],
                    sizes=[{"n": 2}], timeout=20)
    assert result.verdict.status == "refuted"  # false for t = 2: (1 − β₁)/(1 − β₁²) ≠ 1
