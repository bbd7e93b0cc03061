"""Round 9: spellings from users' notes that the language refused without saying what to
write, each checked by hand against the README's claim-language section."""

from __future__ import annotations

import pytest

from verifier.claim import parse_symbols
from verifier.claimfile import plain_expectation
from verifier.language import ClaimInputError, compile_expression

DECLS = parse_symbols("z: scalar, x: vector(n), i: index(n)")


def _refusal(text: str) -> ClaimInputError:
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, DECLS)
    return info.value


# 1[z > 0] (Iverson's bracket) was answered "1 is a scalar; only vectors and matrices can be
# indexed", which says nothing of the indicator the user meant
@pytest.mark.parametrize("text", ["1[z > 0]", "1[x[i] >= 0]"])
def test_an_iverson_bracket_is_refused_with_the_comparison_to_write(text: str) -> None:
    err = _refusal(text)
    assert "indicator" in str(err) and "write the comparison itself" in str(err)
    assert err.column == 1


def test_indexing_a_scalar_is_still_refused_as_such() -> None:
    assert "only vectors and matrices can be indexed" in str(_refusal("z[0]"))


# expect = "HOLDS IF p sums to one" was refused ('use holds, fails or "holds if <condition>"')
# although the README reads Holds and FAILS in any case: the "if" kept its capitals
@pytest.mark.parametrize("written", ["HOLDS IF p sums to one", "Holds If p sums to one",
                                     "holds IF p sums to one"])
def test_holds_if_is_read_in_any_case(written: str) -> None:
    assert plain_expectation(written) == "holds if p sums to 1"


def test_the_condition_keeps_its_case() -> None:
    assert plain_expectation("HOLDS IF A SPD") == "holds if A positive definite"


# x_i and W_ij (LaTeX's subscripts) were answered "unknown name" with the declared symbols
# listed, not with the entry to write
@pytest.mark.parametrize(("text", "entry"), [("x_i", "x[i]"), ("x_0", "x[0]"),
                                             ("W_ij", "W[i, j]"),
                                             ("W_i", "W[i, :] (a row) or W[:, i]")])
def test_a_subscripted_name_is_refused_with_the_entry_to_write(text: str, entry: str) -> None:
    decls = parse_symbols("x: vector(n), W: matrix(n, n), i: index(n), j: index(n)")
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, decls)
    assert f"for an entry write {entry}" in str(info.value)


def test_an_undeclared_subscripted_name_keeps_the_listing() -> None:
    # q is not declared: nothing to index, the usual message
    assert "the claim declares" in str(_refusal("q_i"))


# x • y (a bullet for a dot product) had no hint, as x ⋅ y has
def test_a_bullet_product_is_refused_with_the_products_to_write() -> None:
    assert "@ (matrix product)" in str(_refusal("x • x"))
