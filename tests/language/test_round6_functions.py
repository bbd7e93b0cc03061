"""sin, cos, atan and erf in the claim language, and the spellings read as them (tan, arctan,
sign): positional encodings, rotary embeddings, Fourier features, GELU.  Each claim's truth
is decided by hand (and re-checked numerically in float64 with torch autograd)."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.language.errors import ClaimInputError

ROTATION = "block([[cos({a}), -sin({a})], [sin({a}), cos({a})]])"


def _verdict(lhs: str, rhs: str, symbols: str, **kw) -> str:
    return verify(lhs, rhs, symbols=symbols, **kw).verdict.status


# ----- true identities are proved -----


@pytest.mark.parametrize("lhs,rhs,symbols", [
    # sin² + cos² = 1, entry by entry
    ("sin(x)**2 + cos(x)**2", "ones(n)", "x: vector(n)"),
    # sin 2x = 2 sin x cos x
    ("sin(2 * x)", "2 * sin(x) * cos(x)", "x: scalar"),
    # R(a) R(b) = R(a + b)
    (f"{ROTATION.format(a='a')} @ {ROTATION.format(a='b')}", ROTATION.format(a="a + b"),
     "a: scalar, b: scalar"),
    # ∂ vᵀ sin(Wx) / ∂W = (v ∘ cos(Wx)) xᵀ
    ("grad(v.T @ sin(W @ x), W)", "(v * cos(W @ x)) @ x.T",
     "W: matrix(m, n), x: vector(n), v: vector(m)"),
    # d atan / dx = 1 / (1 + x²)
    ("grad(sum(atan(x)), x)", "1 / (1 + x**2)", "x: vector(n)"),
    # GELU′(x) = Φ(x) + x φ(x)
    ("grad(x * (1 + erf(x / sqrt(2))) / 2, x)",
     "(1 + erf(x / sqrt(2))) / 2 + x * exp(-x**2 / 2) / sqrt(2 * pi)", "x: scalar"),
])
def test_true_trigonometric_identities_are_proved(lhs, rhs, symbols):
    assert _verdict(lhs, rhs, symbols) in ("proved", "proved-at-sizes")


# ----- the mistakes people make are refuted -----


@pytest.mark.parametrize("lhs,rhs,symbols", [
    ("sin(2 * x)", "2 * sin(x)", "x: scalar"),  # sin is not linear
    ("cos(a + b)", "cos(a) * cos(b) + sin(a) * sin(b)", "a: scalar, b: scalar"),  # sign
    ("grad(v.T @ sin(W @ x), W)", "cos(W @ x) @ x.T",  # v lost by the chain rule
     "W: matrix(m, n), x: vector(n), v: vector(m)"),
    ("grad(sum(cos(W @ x)), x)", "W.T @ sin(W @ x)", "W: matrix(m, n), x: vector(n)"),
    ("cos(-x)", "-cos(x)", "x: scalar"),  # cos is even
    # (sin x > 0) is not the indicator of (0, π): sin 1000 > 0
    ("(sin(x) > 0)", "(0 < x < pi)", "x: scalar"),
])
def test_mistaken_variants_are_refuted(lhs, rhs, symbols):
    assert _verdict(lhs, rhs, symbols, expect="fails") in ("refuted", "conditional")


# ----- spellings read as the language's own form -----


@pytest.mark.parametrize("lhs,rhs,symbols", [
    ("tan(x)", "sin(x) / cos(x)", "x: scalar"),
    ("arctan(x)", "atan(x)", "x: vector(n)"),
    ("sign(x)", "(x > 0) - (x < 0)", "x: vector(n)"),
    ("sign(x) * abs(x)", "x", "x: scalar"),
])
def test_aliases_are_read_as_the_language_form(lhs, rhs, symbols):
    assert _verdict(lhs, rhs, symbols) in ("proved", "proved-at-sizes")


def test_tan_is_undefined_where_cos_vanishes():
    result = verify("tan(x) * cos(x)", "sin(x)", symbols="x: scalar")
    assert result.verdict.status in ("proved", "proved-at-sizes")
    assert any("cos(x) nonzero" in r.condition for r in result.verdict.requires)


@pytest.mark.parametrize("text,fragment", [
    ("atan2(x, x)", "for x > 0, atan2(y, x) is atan(y / x)"),
    ("sinh(x, 2)", "sinh(x): (exp(x) - exp(-x)) / 2"),
    ("gelu(x)", "write x * (1 + erf(x / sqrt(2))) / 2"),
    ("sign(x, 1)", "sign takes 1 argument(s) and no keyword"),
])
def test_missing_trigonometric_functions_say_what_to_write(text, fragment):
    with pytest.raises(ClaimInputError) as info:
        verify(text, "x", symbols="x: scalar")
    assert fragment in str(info.value)
