"""Spellings met while writing round 5's claims (transformers, normalisation, RNNs, VAEs, SVMs,
EM, Newton): comparisons in Unicode read as the language's, and each refusal of a LaTeX or
paper habit saying what to write (before, several got Python's "Perhaps you forgot a comma?"
or a hint about the wrong character)."""

from __future__ import annotations

import pytest

from verifier.claim import ClaimError
from verifier.claimfile import one_liner
from verifier.language import ClaimInputError
from verifier.language.phrases import plain_assumption

SYMBOLS = ("x: vector(n), y: vector(n), A: matrix(n, n), s: scalar, W: matrix(n, m), "
           "i: index(n)")


def tree(text: str):
    return one_liner(text, text, SYMBOLS).lhs.tree


@pytest.mark.parametrize("written,meant", [
    ("(x ≤ y) * x", "(x <= y) * x"),
    ("(s ≥ 0) * s", "(s >= 0) * s"),
    ("(i ≠ 0) * x[i]", "(i != 0) * x[i]"),
    ("(0 ≤ s) * (s ≤ 1)", "(0 <= s) * (s <= 1)"),
])
def test_unicode_comparisons_read_as_the_language_form(written, meant):
    assert tree(written) == tree(meant)


def test_a_column_after_a_unicode_comparison_is_the_users_column():
    with pytest.raises(ClaimInputError) as info:
        one_liner("(x ≤ y) * q", "x", SYMBOLS)
    assert (info.value.line, info.value.column) == (1, 11)  # the q, counted as written


@pytest.mark.parametrize("text,fragment,absent", [
    # LaTeX superscripts glued to a product: the transpose, not a power
    ("x^T y", "write x.T for a transpose", "for a power"),
    ("x^{T} @ y", "for a transpose write x.T", "for a power"),
    ("A^{-1} @ x", "for an inverse write inv(A)", "for a power"),
    # two terms side by side: not Python's "Perhaps you forgot a comma?"
    ("x.T y", "every product needs * or @", "comma"),
    ("2 s", "every product needs * or @", "comma"),
    # a norm squared names both the norm and the power
    ("‖x‖²", "norm(x) for ‖x‖", ""),
    # an indicator written 1{...}
    ("1{s > 0}", "write the comparison itself", ""),
    # a number or a parenthesis called as a function
    ("2(s + 1)", "write 2 * (s + 1)", ""),
    ("(s + 1)(s - 1)", "write (s + 1) * (s - 1)", ""),
    # lambda is a Python keyword
    ("lambda * s", "name the symbol lam", ""),
    # from the end of a vector
    ("x[-1]", "x[n - 1]", ""),
    # a transpose written as a power of an undeclared T
    ("A**T", "for a transpose write A.T", ""),
    # functions from NumPy and PyTorch
    ("clip(x, 0, 1)", "min(max(x, a), b)", ""),
    ("clamp(x, 0, 1)", "min(max(x, a), b)", ""),
    ("log2(s)", "log(x) / log(2)", ""),
    ("log10(s)", "log(x) / log(10)", ""),
])
def test_habits_from_latex_and_numpy_get_what_to_write(text, fragment, absent):
    with pytest.raises(ClaimInputError) as info:
        one_liner(text, "s", SYMBOLS)
    assert fragment in str(info.value)
    if absent:
        assert absent not in str(info.value)


def test_a_python_keyword_declared_as_a_symbol_says_what_to_name_it():
    with pytest.raises(ClaimInputError, match="lam"):
        one_liner("s", "s", "s: scalar, lambda: scalar")


@pytest.mark.parametrize("written,phrase", [
    ("A = A'", "A symmetric"),
    ("A' = A", "A symmetric"),
    ("A ≻ 0", "A positive definite"),
    ("x > 0 elementwise", "x positive"),
    ("x >= 0 element-wise", "x nonnegative"),
    ("A antisymmetric", "A skew-symmetric"),
    ("A is anti-symmetric", "A skew-symmetric"),
    ("A = -A.T", "A skew-symmetric"),
    ("A.T = -A", "A skew-symmetric"),
    ("A = -A^T", "A skew-symmetric"),
    ("p sums to one", "p sums to 1"),
    ("p is a probability vector", "p sums to 1"),
    ("Q.T @ Q = I", "Q orthogonal"),
    ("Q^T Q = I", "Q orthogonal"),
    ("Q @ Q.T = eye(n)", "Q orthogonal"),
])
def test_written_assumption_reads_as_the_vocabulary(written, phrase):
    assert plain_assumption(written) == phrase


@pytest.mark.parametrize("written,fragment", [
    ("A ⪰ 0", "positive semidefinite is not in the vocabulary"),
    ("sum(p) = 1", '"p sums to 1"'),
    ("s > 0.5", "s in (0.5, "),
    ("s < 1", "compares with 0"),
    ("A full rank", "A invertible"),
])
def test_assumption_without_a_word_says_what_to_write(written, fragment):
    with pytest.raises(ClaimError) as info:
        plain_assumption(written)
    assert fragment in str(info.value)


def test_a_skew_phrase_still_loads_in_a_claim():
    claim = one_liner("x.T @ A @ x", "0", SYMBOLS, assume=["A = -A.T"])
    assert [str(a) for a in claim.assumptions] == ["A skew-symmetric"]
