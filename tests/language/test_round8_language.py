"""The README's claim-language section, read against the parser: every spelling it documents is
read as it says, and every refusal it documents says where (a column) and what to write
instead.  Also a class counted from the end of a size, onehot(n - 1, n), read as x[n - 1] is.
Each reading was checked by hand against the section's text (and NumPy's meaning)."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.claim import parse_symbols
from verifier.claimfile import one_liner
from verifier.language import ClaimInputError, compile_expression, to_text

DECLS = parse_symbols(
    "x: vector(n), y: vector(n), A: matrix(n, n), B: matrix(n, n), W: matrix(n, m), "
    "X: matrix(N, n), Z: matrix(N, m), u: vector(m), s: scalar, t: scalar, a: scalar, "
    "th: vector(n), i: index(n), j: index(n), k: index(m)")


def _read(text: str) -> str:
    return to_text(compile_expression(text, DECLS).tree)


def _refusal(text: str) -> ClaimInputError:
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, DECLS)
    return info.value


# ----- spellings the section documents, and the form each is read as -----

DOCUMENTED = [
    ("A ** 2", "A ** 2"),                      # element-wise, as NumPy
    ("xᵀ @ y", "x.T @ y"), ("x⊤ @ y", "x.T @ y"),
    ("(s ≤ t) + (s ≥ t)", "(s <= t) + (s >= t)"), ("i ≠ j", "i != j"),
    ("−s + π", "-s + pi"),
    ("0 < s < 1", "(0 < s) * (s < 1)"),        # a chain is the product of its links
    ("i == j", "i == j"),
    ("X[0, :] @ th", "X[0, :] @ th"),
    ("x / n", "x / n"), ("eye(n)", "eye(n)"),
    ("X @ W + u.T", "X @ W + ones(N, 1) @ u.T"),
    ("tr(A)", "trace(A)"), ("transpose(W)", "W.T"), ("logdet(A)", "log(det(A))"),
    ("dot(x, y)", "x.T @ y"), ("dot(x.T, y)", "x.T @ y"), ("outer(x, u)", "x @ u.T"),
    ("tan(s)", "sin(s) / cos(s)"), ("arctan(s)", "atan(s)"),
    ("sign(x)", "(x > 0) - (x < 0)"),
    ("sinh(s)", "(exp(s) - exp(-s)) / 2"), ("cosh(s)", "(exp(s) + exp(-s)) / 2"),
    ("softplus(x)", "log(1 + exp(x))"), ("log1p(s)", "log(1 + s)"), ("expm1(s)", "exp(s) - 1"),
    ("logistic(s)", "sigmoid(s)"), ("expit(s)", "sigmoid(s)"),
    ("silu(x)", "x * sigmoid(x)"), ("swish(x)", "x * sigmoid(x)"),
    ("log_sigmoid(s)", "log(sigmoid(s))"), ("logsigmoid(s)", "log(sigmoid(s))"),
    ("asin(s)", "2 * atan(s / (1 + sqrt(1 - s * s)))"),
    ("acos(s)", "pi / 2 - 2 * atan(s / (1 + sqrt(1 - s * s)))"),
    ("clip(x, a, t)", "min(max(x, a), t)"), ("clamp(x, a, t)", "min(max(x, a), t)"),
    ("heaviside(x, 0)", "x > 0"), ("heaviside(x, 1)", "x >= 0"),
    ("indicator(x > 0)", "x > 0"),
    ("W[i, :]", "W[i, :]"), ("W[:, k]", "W[:, k]"), ("(A @ x)[i]", "(A @ x)[i]"),
    ("softmax(Z)[0, k]", "softmax(Z)[0, k]"), ("x[n - 1]", "x[n - 1]"),
    ("W[n - 2, :]", "W[n - 2, :]"), ("x[i] * sum(y[i], i)", "x[i] * sum(y[i], i)"),
    ("logsumexp(Z, axis=-1)", "logsumexp(Z, axis=1)"),
    ("softmax(Z, axis=-2)", "softmax(Z, axis=0)"),
    ("softmax(x, axis=-1)", "softmax(x, axis=0)"),   # a vector is NumPy's 1-D array
    ("var(Z, axis=0)", "mean((Z - ones(N, 1) @ mean(Z, axis=0)) * "
                       "(Z - ones(N, 1) @ mean(Z, axis=0)), axis=0)"),
    ("onehot(0, n)", "onehot(0, n)"), ("onehot(n - 1, n)", "onehot(n - 1, n)"),
]


@pytest.mark.parametrize("written,reading", DOCUMENTED)
def test_a_documented_spelling_is_read_as_documented(written, reading):
    assert _read(written) == reading


# ----- refusals the section documents: where, and what to write instead -----

REFUSED = [
    ("A ** -1", "inv(A)"), ("A ** 0.5", "sqrt(A)"),
    ("x + u.T", "ones(1, m)"), ("A * x", "A * x.T"),
    ("dot(A, B)", "sum(A * B)"),
    ("np.max(x, 0)", "max(x)"),  # np.exp(x), x.sum(), A.trace() are read (round 14)
    ("2 * xy", "x @ y"), ("A^{-1} ^ 2", "inv(A)"), ("1{x > 0}", "(z > 0)"),
    ("LayerNorm(x)", "mean(x)"), ("RMSNorm(x)", "mean(x**2)"),
    ("len(x)", "dimension's name"), ("x.shape", "dimension's name"),
    ("2 * (1/2(s + 1))", "(1 / 2) * (s + 1)"),
    ("lambda * s", "lam"), ("x[-1]", "x[n - 1]"),
    ("∑(x[i], i)", "sum(e, i)"), ("∏(x[i], i)", "prod(e, i)"), ("Π(x[i], i)", "prod(e, i)"),
    ("max(Z, keepdims=1)", "var"),            # every function that takes axis= is named
    ("onehot(n - 1, m)", "onehot(m - 1, m)"),  # a class from the end of another size
]


@pytest.mark.parametrize("written,fragment", REFUSED)
def test_a_documented_refusal_says_where_and_what_to_write(written, fragment):
    err = _refusal(written)
    assert fragment in str(err), str(err)
    assert err.column is not None and 1 <= err.column <= len(written), err.column


def test_a_python_keyword_is_pointed_at_not_past_the_end():
    assert _refusal("s + 2 * lambda").column == 9


# ----- assumption phrases and expectations -----

ASSUMPTIONS = [
    # x ≠ 0 of a vector is "not the zero vector" since round 13 (every entry: x ≠ 0 elementwise)
    ("x > 0 elementwise", "x positive"), ("x ≥ 0", "x nonnegative"), ("x ≠ 0", "norm(x) nonzero"),
    ("x ≠ 0 elementwise", "x nonzero"), ("s ≠ 0", "s nonzero"),
    ("s ∈ (0, 1)", "s in (0, 1)"), ("0 <= s <= 1/2", "s in [0, 0.5]"),
    ("0 < s < 1/3", "s in (0, 1/3)"), ("A SPD", "A positive definite"),
    ("A ≻ 0", "A positive definite"), ("A nonsingular", "A invertible"),
    ("A = A'", "A symmetric"), ("A = Aᵀ", "A symmetric"), ("A antisymmetric", "A skew-symmetric"),
    ("B^T B = I", "B orthogonal"), ("B.T @ B = eye(n)", "B orthogonal"),
    ("p is a probability vector", "p sums to 1"), ("A, B commute", "A and B commute"),
]

SYMBOLS = "x: vector(n), A: matrix(n, n), B: matrix(n, n), p: vector(n), s: scalar, t: scalar"


@pytest.mark.parametrize("written,reading", ASSUMPTIONS)
def test_a_documented_assumption_is_read_as_documented(written, reading):
    claim = one_liner("x", "x", SYMBOLS, assume=[written])
    assert [str(a) for a in claim.assumptions] == [reading]


REFUSED_ASSUMPTIONS = [
    # A ⪰ 0, A ≽ 0, A positive semidefinite: read by a factor now (test_semidefinite_lead18.py)
    ("x <= 0", "x negative"), ("s > 0.5", "0.5 + u"), ("t > 1", "1 + u"),
    ("0 < t < pi / 2", "pi / 2 * u"), ("sum(p) = 1", "p sums to 1"),
    ("A full rank", "A invertible"), ("A symmetric and x > 0", "one per string"),
]


@pytest.mark.parametrize("written,fragment", REFUSED_ASSUMPTIONS)
def test_a_refused_assumption_says_what_to_write(written, fragment):
    with pytest.raises(ClaimInputError) as info:
        one_liner("x", "x", SYMBOLS, assume=[written])
    assert fragment in str(info.value), str(info.value)


@pytest.mark.parametrize("written,fragment", [
    ("true", 'write "holds"'), ("refuted", 'write "fails"'),
    ("holds when A symmetric", 'write "holds if A symmetric"'),
    ("holds if C symmetric", "name one of its symbols (x, A, B, p, s, t) or declare C"),
])
def test_a_refused_expectation_says_what_to_write(written, fragment):
    with pytest.raises(ClaimInputError) as info:
        one_liner("x", "x", SYMBOLS, expect=written)
    assert fragment in str(info.value), str(info.value)


# ----- onehot(n - 1, n): a class counted from the end, as x[n - 1] is an entry -----

def test_the_last_class_is_the_last_entry():
    r = verify("onehot(n - 1, n).T @ x", "x[n - 1]", symbols="x: vector(n)")
    assert r.verdict.status == "proved"


def test_the_last_class_is_not_the_one_before():
    r = verify("onehot(n - 1, n).T @ x", "x[n - 2]", symbols="x: vector(n)", expect="fails")
    assert r.verdict.status == "refuted"


def test_a_class_past_the_start_is_undefined_not_wrapped():
    # at n = 1, onehot(n - 2, n) is class −1: undefined there, as x[n - 2] is
    r = verify("onehot(n - 2, n)", "onehot(0, n)", symbols="x: vector(n)", sizes=[{"n": 1}])
    assert r.verdict.status == "undecided"


# ----- x[n - 1 - i]: entry i counted from the end (a sum reindexed newest first) -----

REVERSED = "x: vector(n), y: vector(n), b: scalar, i: index(n), k: index(m), u: vector(m)"


@pytest.mark.parametrize("lhs,rhs,status", [
    # Σᵢ bⁱ x[n−1−i] = Σᵢ b^(n−1−i) x[i]: the same terms in the other order
    ("sum(b ** i * x[n - 1 - i], i)", "sum(b ** (n - 1 - i) * x[i], i)", "proved"),
    ("sum(b ** i * x[n - 1 - i], i)", "sum(b ** i * x[i], i)", "refuted"),
    ("x[n - i - 1] * y[i]", "y[i] * x[n - 1 - i]", "proved"),
    ("sum(x[n - 1 - i] * y[i], i)", "x.T @ y", "refuted"),
])
def test_an_entry_counted_back_from_the_end(lhs, rhs, status):
    assert verify(lhs, rhs, symbols=REVERSED).verdict.status == status


@pytest.mark.parametrize("text", ["x[n - 2 - i]", "x[n - 1 - k]"])
def test_an_entry_counted_back_out_of_range_or_of_another_size_is_refused(text):
    # n − 2 − i is −1 at i = n − 1; k ranges over m, not n
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, parse_symbols(REVERSED))
    assert "x[n - 1 - i] (i: index(n))" in str(info.value)
