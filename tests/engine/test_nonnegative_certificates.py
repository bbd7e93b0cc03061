"""prove_nonnegative: inequalities in general dimension proved by a certificate that the gap
is nonnegative. Before it, xᵀAᵀAx ≥ 0, xᵀAx ≥ 0 for a positive definite A, Cauchy–Schwarz
and the triangle inequality were undecided or only checked (xᵀA⁻¹x ≥ 0 took 50 s to be
"checked"). Each false neighbour below must not be certified: a strictness, a constant or a
structure the certificate must not assume."""

import pytest

from verifier.api import as_entry, verify
from verifier.instantiate import both_sides, general
from verifier.strategies.context import Context
from verifier.strategies.nonnegative import certify, obligations, prove_nonnegative

V2 = "x: vector(n), y: vector(n)"

# (indicator, symbols, assumptions): true in every dimension
TRUE = [
    ("(x.T @ A.T @ A @ x >= 0)", "x: vector(n), A: matrix(m, n)", ()),
    ("(x.T @ A @ x >= 0)", "x: vector(n), A: matrix(n, n)", ("A positive definite",)),
    ("(x.T @ inv(A) @ x >= 0)", "x: vector(n), A: matrix(n, n)", ("A positive definite",)),
    ("(trace(A @ A.T) >= 0)", "A: matrix(n, m)", ()),
    ("(trace(A @ A) >= 0)", "A: matrix(n, n)", ("A symmetric",)),
    ("((x.T @ y)**2 <= (x.T @ x) * (y.T @ y))", V2, ()),
    ("(x.T @ y <= norm(x) * norm(y))", V2, ()),
    ("(norm(x) * norm(y) + x.T @ y >= 0)", V2, ()),
    ("(norm(x + y) <= norm(x) + norm(y))", V2, ()),
    ("(norm(x - y) <= norm(x) + norm(y))", V2, ()),
    ("(norm(x + y) >= norm(x) - norm(y))", V2, ()),
    ("(norm(x + y)**2 <= 2 * norm(x)**2 + 2 * norm(y)**2)", V2, ()),
    ("(2 * x.T @ y <= norm(x)**2 + norm(y)**2)", V2, ()),
    ("(exp(x.T @ y) > 0)", V2, ()),
    ("(log(1 + exp(x.T @ y)) > 0)", V2, ()),
    ("(norm(x)**2 + 1 > 0)", "x: vector(n)", ()),
    ("(c * norm(x)**2 >= 0)", "x: vector(n), c: scalar", ("c positive",)),
    # Cauchy–Schwarz in the inner product of a positive definite A = SSᵀ: vectors Sᵀx, Sᵀy
    ("((x.T @ A @ y)**2 <= (x.T @ A @ x) * (y.T @ A @ y))", V2 + ", A: matrix(n, n)",
     ("A positive definite",)),
    ("((x.T @ A.T @ B @ y)**2 <= norm(A @ x)**2 * norm(B @ y)**2)",
     "x: vector(n), y: vector(k), A: matrix(m, n), B: matrix(m, k)", ()),
    ("(norm(A @ x + A @ y) <= norm(A @ x) + norm(A @ y))", V2 + ", A: matrix(m, n)", ()),
    ("(x.T @ y + y.T @ z + z.T @ x <= norm(x)**2 + norm(y)**2 + norm(z)**2)",
     V2 + ", z: vector(n)", ()),
    ("(norm(x + y + z)**2 <= 3 * (norm(x)**2 + norm(y)**2 + norm(z)**2))", V2 + ", z: vector(n)",
     ()),
    ("(abs(x.T @ y) <= norm(x) * norm(y))", V2, ()),
    ("(abs(x.T @ y) <= (norm(x)**2 + norm(y)**2) / 2)", V2, ()),
    ("(max(x.T @ y, 0) <= norm(x) * norm(y))", V2, ()),
    ("(t**2 + s**2 >= 2 * t * s)", "t: scalar, s: scalar", ()),
    ("(t * s <= (t + s)**2 / 4)", "t: scalar, s: scalar", ()),
    ("(t**2 + s**2 + u**2 >= t * s + s * u + u * t)", "t: scalar, s: scalar, u: scalar", ()),
    ("(sqrt(a * b) <= (a + b) / 2)", "a: scalar, b: scalar", ("a nonnegative", "b nonnegative")),
    # tangent lines
    ("(exp(t) >= 1 + t)", "t: scalar", ()),
    ("(exp(t) + exp(-t) >= 2)", "t: scalar", ()),
    ("(log(t) <= t - 1)", "t: scalar", ("t positive",)),
    ("(exp(x.T @ y) >= 1 + x.T @ y)", V2, ()),
    # a power of a positive definite A = SSᵀ written out: (SSᵀ)³ is S, Sᵀ, S, Sᵀ, S, Sᵀ
    # (undecided before: the power's base SSᵀ was one factor, no palindrome's half)
    ("(x.T @ A @ A @ A @ x >= 0)", "x: vector(n), A: matrix(n, n)", ("A positive definite",)),
]

# strictly positive: ‖F…x‖² with x assumed nonzero and every F invertible
STRICT = [
    ("(x.T @ A @ x > 0)", "x: vector(n), A: matrix(n, n)", ("A positive definite", "x nonzero")),
    ("(x.T @ inv(A) @ x > 0)", "x: vector(n), A: matrix(n, n)",
     ("A positive definite", "x nonzero")),
    ("(x.T @ B.T @ B @ x > 0)", "x: vector(n), B: matrix(n, n)", ("B invertible", "x nonzero")),
    ("(norm(x)**2 > 0)", "x: vector(n)", ("x nonzero",)),
    # tr(AB) = tr(SᵀTTᵀS) = ‖SᵀT‖², SᵀT invertible (helper A's round 14 left it undecided)
    ("(trace(A @ B) > 0)", "A: matrix(n, n), B: matrix(n, n)",
     ("A positive definite", "B positive definite")),
    ("(trace(C.T @ A @ C) > 0)", "A: matrix(n, n), C: matrix(n, n)",
     ("A positive definite", "C invertible")),
    # powers: xᵀA²x = ‖SSᵀx‖², tr A³ = ‖SSᵀS‖² (undecided before)
    ("(x.T @ A @ A @ x > 0)", "x: vector(n), A: matrix(n, n)",
     ("A positive definite", "x nonzero")),
    ("(trace(A @ A @ A) > 0)", "A: matrix(n, n)", ("A positive definite",)),
]
# and their neighbours: x may be 0; B may be singular (or wide); another vector is nonzero
NOT_STRICT = [
    ("(x.T @ A @ x > 0)", "x: vector(n), A: matrix(n, n)", ("A positive definite",)),
    ("(x.T @ B.T @ B @ x > 0)", "x: vector(n), B: matrix(n, n)", ("x nonzero",)),
    ("(x.T @ B.T @ B @ x > 0)", "x: vector(n), B: matrix(m, n)", ("x nonzero",)),
    ("(y.T @ A @ y > 0)", "x: vector(n), y: vector(n), A: matrix(n, n)",
     ("A positive definite", "x nonzero")),
    ("(trace(A @ B) > 0)", "A: matrix(n, n), B: matrix(n, n)",
     ("A positive definite", "B symmetric")),
    ("(trace(C.T @ A @ C) > 0)", "A: matrix(n, n), C: matrix(n, m)", ("A positive definite",)),
]

# false: each has a counterexample (given after the claim)
FALSE = [
    # A symmetric is not positive semidefinite: A = −I, x ≠ 0
    ("(x.T @ A @ x >= 0)", "x: vector(n), A: matrix(n, n)", ("A symmetric",)),
    ("(x.T @ A @ x >= 0)", "x: vector(n), A: matrix(n, n)", ()),
    # strict: x = 0
    ("(x.T @ A @ x > 0)", "x: vector(n), A: matrix(n, n)", ("A positive definite",)),
    ("(norm(x) > 0)", "x: vector(n)", ()),
    # A = [[0, 1], [−1, 0]]: tr A² = −2
    ("(trace(A @ A) >= 0)", "A: matrix(n, n)", ()),
    # Cauchy–Schwarz strict (y = x), without the square (x = y = e₁/2), another vector
    ("((x.T @ y)**2 < (x.T @ x) * (y.T @ y))", V2, ()),
    ("(x.T @ y <= (x.T @ x) * (y.T @ y))", V2, ()),
    ("((x.T @ y)**2 <= (x.T @ x) * (z.T @ z))", V2 + ", z: vector(n)", ()),
    # x = y: ‖2x‖² = 4‖x‖² against 2‖x‖², 3.9‖x‖², and 3xᵀx against 2‖x‖²
    ("(norm(x + y)**2 <= norm(x)**2 + norm(y)**2)", V2, ()),
    ("(norm(x + y)**2 <= 1.9 * norm(x)**2 + 2 * norm(y)**2)", V2, ()),
    ("(3 * x.T @ y <= norm(x)**2 + norm(y)**2)", V2, ()),
    # y = x: ‖2x‖ > ‖x‖; x = y: ‖x‖ < xᵀx·… at x = e₁/2
    ("(norm(x + y) <= norm(x))", V2, ()),
    ("(sqrt(x.T @ x) >= x.T @ y)", V2, ()),
    # c < 0
    ("(c * norm(x)**2 >= 0)", "x: vector(n), c: scalar", ()),
    # A symmetric (A = −I), or any A, is no inner product
    ("((x.T @ A @ y)**2 <= (x.T @ A @ x) * (y.T @ A @ y))", V2 + ", A: matrix(n, n)",
     ("A symmetric",)),
    ("((x.T @ A @ y)**2 <= (x.T @ A @ x) * (y.T @ A @ y))", V2 + ", A: matrix(n, n)", ()),
    # y large
    ("((x.T @ A.T @ B @ y)**2 <= norm(A @ x)**2 * norm(B @ x)**2)",
     V2 + ", A: matrix(m, n), B: matrix(m, n)", ()),
    # x = y = z: 3‖x‖² against 2.7‖x‖²; 9‖x‖² against 8.97‖x‖²
    ("(x.T @ y + y.T @ z + z.T @ x <= 0.9 * (norm(x)**2 + norm(y)**2 + norm(z)**2))",
     V2 + ", z: vector(n)", ()),
    ("(norm(x + y + z)**2 <= 2.99 * (norm(x)**2 + norm(y)**2 + norm(z)**2))",
     V2 + ", z: vector(n)", ()),
    # x = y = e₁: 2 against 1; max(1, 1) against ‖x‖‖y‖ = 1/4 at x = y = e₁/2
    ("(2 * abs(x.T @ y) <= norm(x) * norm(y))", V2, ()),
    ("(max(x.T @ y, 1) <= norm(x) * norm(y))", V2, ()),
    # t = s = 1; t = 1; t = 1/2; c = 2 (t = s = 1)
    ("(t**2 + s**2 >= 3 * t * s)", "t: scalar, s: scalar", ()),
    ("(t**2 + 1 >= 2.01 * t)", "t: scalar", ()),
    ("(t**2 >= t)", "t: scalar", ()),
    ("(t**2 + s**2 >= 2 * t * s * c)", "t: scalar, s: scalar, c: scalar", ()),
    ("(t**2 - 2 * t * s + s**2 > 0)", "t: scalar, s: scalar", ()),
    # t = 0 (strict), t = −1/2 (e^{−1/2} ≈ 0.607 against 0.495 + … : 1 − 0.505), t = 1, t = −1
    ("(exp(t) > 1 + t)", "t: scalar", ()),
    ("(exp(t) >= 1 + 1.01 * t)", "t: scalar", ()),
    ("(log(t) <= t - 1.01)", "t: scalar", ("t positive",)),
    ("(log(t) >= t - 1)", "t: scalar", ("t positive",)),
    ("(exp(t) - exp(-t) >= 2 * t)", "t: scalar", ()),
    # an odd power of a symmetric A (A = −I); tr A³ likewise
    ("(x.T @ A @ A @ A @ x >= 0)", "x: vector(n), A: matrix(n, n)", ("A symmetric",)),
    ("(trace(A @ A @ A) >= 0)", "A: matrix(n, n)", ("A symmetric",)),
]


def _certificate(lhs: str, symbols: str, assume: tuple) -> str | None:
    claim = as_entry(lhs, "1", symbols=symbols, assume=list(assume))
    gaps = obligations(*both_sides(general(claim), claim))
    hows = [certify(*g) for g in gaps or ()]
    return None if not gaps or None in hows else "; ".join(hows)


@pytest.mark.parametrize("lhs, symbols, assume", TRUE)
def test_true_inequalities_have_a_certificate(lhs, symbols, assume):
    assert _certificate(lhs, symbols, assume) is not None


@pytest.mark.parametrize("lhs, symbols, assume", FALSE)
def test_false_inequalities_have_none(lhs, symbols, assume):
    assert _certificate(lhs, symbols, assume) is None


@pytest.mark.parametrize("lhs, symbols, assume", [TRUE[0], TRUE[2], TRUE[5], TRUE[8]])
def test_the_engine_proves_them(lhs, symbols, assume):
    v = verify(lhs, "1", symbols=symbols, assume=list(assume), timeout=30).verdict
    assert (v.status, v.method) == ("proved", "prove_nonnegative"), v


@pytest.mark.parametrize("lhs, symbols, assume", [FALSE[0], FALSE[2], FALSE[5], FALSE[8]])
def test_the_engine_refutes_the_false_ones(lhs, symbols, assume):
    v = verify(lhs, "1", symbols=symbols, assume=list(assume), timeout=30).verdict
    assert v.status in ("refuted", "conditional"), v


def test_an_equation_is_not_its_business():
    claim = as_entry("norm(x)**2", "x.T @ x", symbols="x: vector(n)")
    assert prove_nonnegative(Context(claim)) is None


@pytest.mark.parametrize("lhs, rhs, symbols, assume, condition", [
    ("sqrt(norm(g) ** 2 + norm(h) ** 2)", "sqrt(norm(h) ** 2 + norm(g) ** 2)",
     "g: vector(n), h: vector(m)", (), "nonnegative"),
    ("(x - mean(x)) / sqrt(mean(x * x) - mean(x) ** 2 + eps)",
     "(x - mean(x)) / sqrt(var(x) + eps)", "x: vector(2), eps: scalar", ("eps positive",),
     "nonzero"),
])
def test_a_condition_the_certificate_shows_always_holds(lhs, rhs, symbols, assume, condition):
    # before: "norm(g) ** 2 + norm(h) ** 2 nonnegative (not assumed)", and the layer norm's
    # E[x²] − E[x]² + ε "(not assumed)": the verdict was "proved where …"
    v = verify(lhs, rhs, symbols=symbols, assume=list(assume), timeout=30).verdict
    assert v.status == "proved", v
    mine = [r for r in v.requires if r.condition.endswith(condition)]
    assert mine and all(r.assumed and r.why == "always holds" for r in mine), v.requires


@pytest.mark.parametrize("lhs, symbols, assume", STRICT)
def test_a_norm_of_a_nonzero_vector_through_invertible_factors_is_positive(lhs, symbols, assume):
    v = verify(lhs, "1", symbols=symbols, assume=list(assume), timeout=30).verdict
    assert (v.status, v.method) == ("proved", "prove_nonnegative"), v


@pytest.mark.parametrize("lhs, symbols, assume", NOT_STRICT)
def test_without_those_facts_it_is_not(lhs, symbols, assume):
    v = verify(lhs, "1", symbols=symbols, assume=list(assume), timeout=30).verdict
    assert v.status in ("refuted", "conditional"), v


# the facts through an expression of the symbol: "norm(x) nonzero" (the language reads "x is a
# nonzero vector" so) and "det(A) nonzero / positive".  Before: prove_nonnegative looked the
# expression up as a symbol name and failed (AttributeError), and the true claim with
# "A invertible" beside it was an "error"; the others only checked
@pytest.mark.parametrize("lhs, symbols, assume", [
    ("(x.T @ x > 0)", "x: vector(n)", ("norm(x) nonzero",)),
    ("(x.T @ x > 0)", "x: vector(n)", ("x is a nonzero vector",)),
    ("(x.T @ A.T @ A @ x > 0)", "x: vector(n), A: matrix(n, n)",
     ("norm(x) nonzero", "A invertible")),
    ("(x.T @ A.T @ A @ x > 0)", "x: vector(n), A: matrix(n, n)",
     ("x nonzero", "det(A) nonzero")),
    ("(x.T @ A.T @ A @ x > 0)", "x: vector(n), A: matrix(n, n)",
     ("x nonzero", "det(A) positive")),
])
def test_facts_stated_through_a_norm_or_a_determinant(lhs, symbols, assume):
    v = verify(lhs, "1", symbols=symbols, assume=list(assume), timeout=30).verdict
    assert (v.status, v.method) == ("proved", "prove_nonnegative"), v


@pytest.mark.parametrize("lhs, symbols, assume", [
    ("(x.T @ A.T @ A @ x > 0)", "x: vector(n), A: matrix(n, n)",
     ("x nonzero", "det(A) nonnegative")),  # A singular
    ("(x.T @ A.T @ A @ x > 0)", "x: vector(n), A: matrix(n, n)",
     ("x nonzero", "trace(A) nonzero")),  # A = [[1, 0], [0, 0]], x = e₂
    ("(y.T @ y > 0)", "x: vector(n), y: vector(n)", ("norm(x) nonzero",)),  # y = 0
])
def test_other_facts_through_expressions_are_not_taken(lhs, symbols, assume):
    assert _certificate(lhs, symbols, assume) is None
