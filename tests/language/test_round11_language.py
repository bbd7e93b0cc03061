"""Round 11: how notes write a definition after a formula ("... where z = w.T @ x") and an
expectation (E[x]), each refused with what to write instead, checked by hand against the
README's claim-language section."""

from __future__ import annotations

import pytest

from verifier.claim import parse_symbols
from verifier.language import ClaimInputError, compile_expression

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
    message = str(_refusal("x.T w"))
    assert "side by side" in message and "where" not in message


# E[x] was answered 'unknown name "E"; the claim declares: ...'
@pytest.mark.parametrize("text", ["E[x]", "E(x)", "expectation(x)"])
def test_an_expectation_is_refused_with_a_mean_or_a_weighted_sum(text: str) -> None:
    message = str(_refusal(text))
    assert "an expectation is not in the language" in message
    assert "mean(e, i)" in message and "sum(p * f)" in message


def test_a_symbol_declared_E_is_still_a_symbol() -> None:
    compile_expression("E @ x", parse_symbols("E: matrix(n, n), x: vector(n)"))
