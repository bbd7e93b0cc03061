"""Round 11: how notes write a definition after a formula ("... where z = w.T @ x") and an
expectation (E[x]), each refused with what to write instead, checked by hand against the
README's claim-language section."""

from __future__ import annotations

import pytest

from verifier.claim import ClaimError, parse_assumption, parse_symbols
from verifier.language import ClaimInputError, compile_expression
from verifier.language.phrases import plain_assumption

DECLS = parse_symbols("w: vector(n), x: vector(n), s: scalar")


def _refusal(text: str) -> ClaimInputError:
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, DECLS)
    return info.value


# "sigmoid(z) where z = w.T @ x" was answered "two terms stand side by side: every product
# needs * or @", which points at a product nobody wrote
@pytest.mark.parametrize(("text", "line", "column"), [
    ("sigmoid(z) where z = w.T @ x", 1, 12),
    ("sigmoid(w.T @ x), where z = w.T @ x", 1, 19),
    ("s * x with s = 2", 1, 7),
    ("sigmoid(z)\nwhere z = w.T @ x", 2, 1),
])
def test_a_where_clause_is_refused_with_the_substitution(text: str, line: int,
                                                         column: int) -> None:
    err = _refusal(text)
    assert "'where' clause is not in the language" in str(err)
    assert "write sigmoid(w.T @ x)" in str(err)
    assert "side by side" not in str(err)
    assert (err.line, err.column) == (line, column)


def test_a_product_written_without_an_operator_still_gets_its_hint() -> None:
    # x.T w is read as x.T @ w since round 15 (juxtaposition); a product of names that do
    # not fit keeps a hint, without the 'where' clause
    message = str(_refusal("x w"))
    assert "no matrix product" in message and "where" not in message


# E[x] was answered 'unknown name "E"; the claim declares: ...'
@pytest.mark.parametrize("text", ["E[x]", "E(x)", "expectation(x)"])
def test_an_expectation_is_refused_with_a_mean_or_a_weighted_sum(text: str) -> None:
    message = str(_refusal(text))
    assert "an expectation is not in the language" in message
    assert "mean(e, i)" in message and "sum(p * f)" in message


def test_a_symbol_declared_E_is_still_a_symbol() -> None:
    compile_expression("E @ x", parse_symbols("E: matrix(n, n), x: vector(n)"))


DECLS_Z = parse_symbols("x: vector(n), y: vector(n), z: vector(n), W: matrix(n, n), s: scalar")


def _refusal_z(text: str) -> ClaimInputError:
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, DECLS_Z)
    return info.value


# Each of these was answered "two terms stand side by side: every product needs * or @"
# (Python's "Perhaps you forgot a comma"), which names a product nobody wrote
@pytest.mark.parametrize(("text", "write"), [
    ("softmax(z)_i", "softmax(z)[i]"),
    ("x_{i}", "write x[i] for an entry"),
    ("W_{ij}", "W[i, j]"),
    ("sum_i x[i]", "declare i: index(n) and write sum(e, i)"),
    ("sum_{i} x[i] * y[i]", "write sum(e, i)"),
])
def test_latex_subscripts_are_refused_with_the_index_spelling(text: str, write: str) -> None:
    message = str(_refusal_z(text))
    assert write in message
    assert "side by side" not in message


def test_a_product_written_by_juxtaposition_keeps_its_hint() -> None:
    # x.T W x is read as x.T @ W @ x since round 15; two columns side by side are refused
    assert "write the product with @ or *" in str(_refusal_z("x x"))


# A formula pasted with its Markdown backticks or LaTeX dollars was answered "syntax error:
# invalid syntax" alone
@pytest.mark.parametrize("text", ["`x.T @ y`", "$x.T @ y$"])
def test_markdown_and_dollar_delimiters_are_named(text: str) -> None:
    assert "without Markdown's backticks or LaTeX's $ ... $" in str(_refusal_z(text))


# "Σexp(z)" (a sum sign glued to its summand) was answered 'did you mean "exp"?'
def test_a_sum_sign_glued_to_a_call_gets_the_sum_hint() -> None:
    message = str(_refusal_z("exp(z) / Σexp(z)"))
    assert "write sum(e, i)" in message and "did you mean" not in message


def test_identical_to_sign_is_refused_as_an_equation() -> None:
    assert "put the two sides in lhs and rhs" in str(_refusal_z("x.T @ y ≡ y.T @ x"))


# "s if s > 0 else 0" was refused without saying how to write a case split
def test_a_conditional_expression_gets_the_indicator_spelling() -> None:
    assert "(s > 0) * a + (s <= 0) * b" in str(_refusal_z("s if s > 0 else 0"))


# Assumptions as notes write them: each was "unknown assumption" (with 'did you mean "if
# symmetric"?' for the first), now read as the one phrase of the vocabulary it means
@pytest.mark.parametrize(("written", "read"), [
    ("if A symmetric", "A symmetric"),
    ("assuming x > 0.", "x positive"),
    ("Given A positive definite", "A positive definite"),
    ("A symmetric.", "A symmetric"),
    ("t in [0, 1].", "t in [0, 1]"),
    ("A @ B = B @ A", "A and B commute"),
    ("AB = BA", "A and B commute"),
])
def test_assumptions_written_in_prose_are_read(written: str, read: str) -> None:
    assert plain_assumption(written) == read
    parse_assumption(read)


@pytest.mark.parametrize("written", ["A @ B = B @ C", "AB = AB", "A @ A = A @ A"])
def test_an_equation_that_is_not_a_commutation_stays_refused(written: str) -> None:
    with pytest.raises(ClaimError):
        parse_assumption(plain_assumption(written))


DECLS_W = parse_symbols("x: vector(m), W: matrix(n, m), B: matrix(m, n)")


# W * x (a matrix-vector product written with *, as maths writes it) was answered "to add a
# column b to every row write b.T": a hint about adding, for a product
@pytest.mark.parametrize(("text", "write"), [
    ("W * x", "for the matrix product write W @ x"),
    ("W * B", "for the matrix product write W @ B"),
])
def test_a_product_written_with_a_star_gets_the_at_sign(text: str, write: str) -> None:
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, DECLS_W)
    assert write in str(info.value)
    assert "to add a column" not in str(info.value)


def test_a_row_scaling_names_the_broadcast_it_means() -> None:
    with pytest.raises(ClaimInputError) as info:
        compile_expression("W / x", DECLS_W)
    assert "to divide every row by a column b's entries (NumPy's 1-D b) write b.T" in str(
        info.value)
