"""Functions notes and code call that the language now reads as its own forms (cosh, sinh,
softplus, log1p, expm1, logistic/expit, silu/swish, log_sigmoid, arcsin, arccos, clip/clamp,
NumPy's heaviside, indicator), and what it says for the rest.  Each reading was checked against
NumPy/mpmath by hand: arcsin x = 2 atan(x / (1 + √(1 − x²))) is the half-angle form,
tan(θ/2) = sin θ / (1 + cos θ), and holds on all of [−1, 1] (at ±1 it gives ±π/2)."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.claim import parse_symbols
from verifier.language import ClaimInputError, compile_expression, to_text

DECLS = parse_symbols("x: vector(n), s: scalar, a: scalar, b: scalar, h: scalar")


def _read(text: str) -> str:
    return to_text(compile_expression(text, DECLS).tree)


@pytest.mark.parametrize("alias,form", [
    ("cosh(x)", "(exp(x) + exp(-x)) / 2"),
    ("sinh(s)", "(exp(s) - exp(-s)) / 2"),
    ("softplus(x)", "log(1 + exp(x))"),
    ("log1p(s)", "log(1 + s)"),
    ("expm1(x)", "exp(x) - 1"),
    ("expit(s)", "sigmoid(s)"),
    ("logistic(x)", "sigmoid(x)"),
    ("silu(x)", "x * sigmoid(x)"),
    ("swish(s)", "s * sigmoid(s)"),
    ("log_sigmoid(x)", "log(sigmoid(x))"),
    ("arcsin(s)", "2 * atan(s / (1 + sqrt(1 - s * s)))"),
    ("arccos(s)", "pi / 2 - 2 * atan(s / (1 + sqrt(1 - s * s)))"),
    ("clip(x, a, b)", "min(max(x, a), b)"),
    ("clamp(s, 0, 1)", "min(max(s, 0), 1)"),
    ("heaviside(x, 0)", "x > 0"),
    ("heaviside(x, 1)", "x >= 0"),
    ("heaviside(s, h)", "(s > 0) + h * ((s >= 0) - (s > 0))"),
    ("indicator(x > 0) * x", "(x > 0) * x"),
])
def test_an_alias_is_read_as_the_language_form(alias, form):
    assert _read(alias) == _read(form)


@pytest.mark.parametrize("lhs,rhs,symbols,assume,truth", [
    # cosh² − sinh² = 1; softplus(s) − softplus(−s) = s; (softplus)' = σ
    ("cosh(s)**2 - sinh(s)**2", "1", "s: scalar", (), "holds"),
    ("softplus(s) - softplus(-s)", "s", "s: scalar", (), "holds"),
    ("grad(softplus(s), s)", "sigmoid(s)", "s: scalar", (), "holds"),
    # the slip: (softplus)' written as softplus itself
    ("grad(softplus(s), s)", "softplus(s)", "s: scalar", (), "fails"),
    # arcsin and arccos: their sum is π/2 on the closed interval, d arcsin = 1/√(1 − s²)
    ("arcsin(s) + arccos(s)", "pi / 2", "s: scalar", ("-1 <= s <= 1",), "holds"),
    ("grad(arcsin(s), s)", "1 / sqrt(1 - s**2)", "s: scalar", ("-1 < s < 1",), "holds"),
    # NumPy's heaviside(x, 0.5) is the mean of the two indicators
    ("heaviside(x, 0.5)", "((x > 0) + (x >= 0)) / 2", "x: vector(n)", (), "holds"),
    # clip to [0, 1] of a sigmoid changes nothing; clip to [0, 1] of s is not s
    ("clip(sigmoid(s), 0, 1)", "sigmoid(s)", "s: scalar", (), "holds"),
    ("clip(s, 0, 1)", "s", "s: scalar", (), "fails"),
])
def test_claims_with_the_new_functions_get_their_truth(lhs, rhs, symbols, assume, truth):
    result = verify(lhs, rhs, symbols=symbols, assume=list(assume), timeout=20)
    if truth == "holds":
        assert result.verdict.status in ("proved", "proved-at-sizes"), result
    else:
        assert result.verdict.status in ("refuted", "conditional"), result


@pytest.mark.parametrize("text,fragment", [
    ("heaviside(x)", "heaviside(x, h0): NumPy's step"),
    ("Heaviside(x)", "heaviside(x, h0): NumPy's step"),
    ("indicator(x)", "indicator takes a comparison"),
    ("clip(x, 0)", "clip(x, a, b): min(max(x, a), b)"),
    ("softplus(x, beta=2)", "softplus(x): log(1 + exp(x))"),
    ("sofplus(x)", 'did you mean "softplus"?'),
    ("std(x)", "torch.std's default, ddof=1"),
    ("floor(x)", "floor is not in the language"),
])
def test_what_is_still_refused_says_what_to_write(text, fragment):
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, DECLS)
    assert fragment in str(info.value)


def test_an_entry_of_a_block_matrix_of_symbolic_size_is_read():
    # block([[A, B], [Bᵀ, D]]) has n + m rows (a sum of sizes): indexing it was an
    # AttributeError ('SizeSum' object has no attribute 'names') instead of an entry
    result = verify("block([[A, B], [B.T, D]])[0, 0]", "A[0, 0]",
                    symbols="A: matrix(n, n), B: matrix(n, m), D: matrix(m, m)", timeout=20)
    assert result.verdict.status in ("proved", "proved-at-sizes"), result


def test_an_identity_of_a_sum_of_sizes_says_to_write_it_in_blocks():
    with pytest.raises(ClaimInputError) as info:
        compile_expression("eye(n + n)", DECLS)
    assert "block([[eye(n), zeros(n, m)], [zeros(m, n), eye(m)]])" in str(info.value)


@pytest.mark.parametrize("text,fragment", [
    ("kron(x, x) + x ⊗ x", "the Kronecker product kron(x, x) (a vector)"),  # A ⊗ B: read
    ("½ * s", "write a fraction as 1 / 2"),
    ("exp(-norm(x - x')**2)", "name a second point x2"),
    ("tanh'(s)", "write grad(f, x) for a derivative"),
])
def test_typeset_symbols_and_primes_say_what_to_write(text, fragment):
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, DECLS)
    assert fragment in str(info.value)
