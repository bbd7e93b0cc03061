"""Spellings of round 6's realistic claims: formulas pasted from typeset notes (PDF) carry the
minus sign U+2212 and π; both have one meaning in the language and are read as - and pi."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.language.errors import ClaimInputError


@pytest.mark.parametrize("lhs,rhs", [
    ("exp(−s) * exp(s)", "1"),  # U+2212
    ("sin(π − s)", "sin(s)"),
    ("grad(−log(sigmoid(s)), s)", "sigmoid(s) − 1"),
])
def test_typeset_minus_and_pi_are_read(lhs, rhs):
    assert verify(lhs, rhs, symbols="s: scalar").verdict.status in ("proved", "proved-at-sizes")


def test_a_typeset_minus_in_a_false_claim_is_refuted():
    # sin(π − s) = −sin(s) is the mistake (sin is symmetric about π/2, not odd about π/2)
    r = verify("sin(π − s)", "−sin(s)", symbols="s: scalar", expect="fails")
    assert r.verdict.status == "refuted"


def test_an_error_after_a_typeset_minus_points_at_the_users_column():
    with pytest.raises(ClaimInputError) as info:
        verify("s − t $", "s", symbols="s: scalar, t: scalar")
    assert info.value.column == 7  # the $, counted in the user's text


def test_a_run_of_typeset_minus_signs_is_bounded():
    with pytest.raises(ClaimInputError) as info:
        verify("s " + "−" * 80 + " s", "s", symbols="s: scalar")
    assert "signs in a row" in str(info.value)


# functions people call that a fuzzy match sent to a wrong one (hinge: "did you mean inner",
# sqrtm: "did you mean sqrt", element-wise; cos_sim: "did you mean cos")
@pytest.mark.parametrize("text,fragment", [
    ("hinge(x)", "relu(1 - y * s)"),
    ("huber(x)", "(abs(r) <= d) * r**2 / 2"),
    ("sqrtm(A)", "the matrix square root is not in the language (sqrt is element-wise)"),
    ("expm(A)", "the matrix exponential is not in the language"),
    ("cos_sim(x, y)", "x.T @ y / (norm(x) * norm(y))"),
    ("cosine_similarity(x, y)", "x.T @ y / (norm(x) * norm(y))"),
    ("sgn(x)", "write sign(x)"),
    ("concat(x, y)", "block([[x], [y]])"),
    ("tril(A)", "a triangular part is not in the language"),
    ("cumsum(x)", "sum((j <= i) * x[j], j)"),
    ("svd(A)", "decompositions are not in the language"),
    ("asinh(x)", "log(x + sqrt(x**2 + 1))"),
    # each inverse hyperbolic function its own formula (atanh was given asinh's)
    ("atanh(x)", "atanh x is log((1 + x) / (1 - x)) / 2"),
    ("arccosh(x)", "acosh x is log(x + sqrt(x**2 - 1))"),
    ("logit(x)", "log(p / (1 - p))"),
    ("gamma(x)", "gamma is not in the language"),
])
def test_a_missing_function_gets_its_own_hint(text, fragment):
    with pytest.raises(ClaimInputError) as info:
        verify(text, "x", symbols="x: vector(n), y: vector(n), A: matrix(n, n)")
    assert fragment in str(info.value)


@pytest.mark.parametrize("name", ["beta", "gamma", "l1", "entropy"])
def test_an_undeclared_symbol_named_like_a_function_is_told_to_declare_it(name):
    with pytest.raises(ClaimInputError) as info:
        verify(f"{name} * x", "x", symbols="x: vector(n)")
    assert f'unknown name "{name}"; the claim declares: x, n' in str(info.value)


# an angle's range as notes write it: the vocabulary's interval ends are numbers (a rounded
# π/2 would be another interval); before: 'unknown assumption' and the whole vocabulary
@pytest.mark.parametrize("phrase,fragment", [
    ("0 < t < pi / 2", 'pi / 2 is not one; declare u: scalar, assume "u in (0, 1)" and write '
                       "t as pi / 2 * u"),
    ("t in (0, pi/2)", "pi/2 is not one"),
    ("t ∈ (0, π/2)", "π/2 is not one"),
    ("-pi < t <= pi", "-pi is not one"),
    ("0 < t < n", 'n is not one; with ends that are symbols, declare d: scalar and u'),
])
def test_an_interval_with_a_symbolic_end_says_to_write_numbers(phrase, fragment):
    from verifier.claim import ClaimError

    with pytest.raises(ClaimError) as info:
        verify("cos(t)", "cos(t)", symbols="t: scalar, v: vector(n)", assume=[phrase])
    assert fragment in str(info.value)


def test_an_interval_with_numeric_ends_is_still_read():
    r = verify("(0 < t) * (t < 1.5)", "1", symbols="t: scalar", assume=["0 < t < 1.5"])
    assert r.verdict.status in ("proved", "proved-at-sizes", "checked")


# symbol kinds as papers declare them; before: R^{n x m} was told 'write "vector(n)"', and
# matrix(n x m), index(0..n), "positive scalar", "symmetric matrix(n, n)" got no hint
@pytest.mark.parametrize("kind,fragment", [
    # (R^{n x m}, ℝ^{n×m}, R^d are read since round 15: test_declarations_round15.py)
    ("matrix(n x m)", 'write "matrix(n, m)" (dimensions are separated by a comma)'),
    ("matrix(n×m)", 'write "matrix(n, m)"'),
    ("index(0..n)", 'write "index(n)" (an integer in 0..n-1)'),
    ("positive scalar", 'declare "scalar" and state the sign in assume'),
    ("scalar > 0", 'declare "scalar" and state the sign in assume'),
    ("symmetric matrix(n, n)", 'declare "matrix(n, n)" and state the structure in assume'),
    ("matrix(n, n) symmetric", 'declare "matrix(n, n)" and state the structure in assume'),
    ("mat(n, m)", 'write "matrix(n, m)"'),
])
def test_a_kind_as_papers_write_it_says_what_to_declare(kind, fragment):
    from verifier.claim import ClaimError

    with pytest.raises((ClaimError, ClaimInputError)) as info:
        verify("x", "x", symbols={"x": kind})
    assert fragment in str(info.value)


# typeset notation pasted from PDF notes: ⊤ (LaTeX's \top) is read as .T; x^⊤, e^x, A†, a
# prime, subscript digits and accented names say what to write (before: "invalid character"
# with no hint, or "for a power write x ** k" for e^x)
def test_a_typeset_top_is_a_transpose():
    r = verify("grad(x⊤ @ A @ x, x)", "(A + A⊤) @ x", symbols="x: vector(n), A: matrix(n, n)")
    assert r.verdict.status == "proved"


@pytest.mark.parametrize("text,fragment", [
    # x^⊤, e^s, e^(-s) are read since round 14 (x.T, exp(s), exp(-s))
    ("A†", "for a real matrix the adjoint is A.T"),
    ("sigmoid′(s)", "a prime is not in the language"),
    ("x₁", "x₁ is x[0]"),
    ("ŷ - y", "write the accent as a word: y_hat"),
])
def test_typeset_notation_says_what_to_write(text, fragment):
    with pytest.raises(ClaimInputError) as info:
        verify(text, "s", symbols="s: scalar, x: vector(n), y: vector(n), A: matrix(n, n)")
    assert fragment in str(info.value)
