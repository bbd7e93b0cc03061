"""Round 9: spellings from users' notes that the language refused without saying what to
write, each checked by hand against the README's claim-language section."""

from __future__ import annotations

import pytest

from verifier.claim import ClaimError, parse_symbols
from verifier.claimfile import plain_assumption, plain_expectation
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
# (x_i and W_ij with i, j declared index(n) are read since round 15)
@pytest.mark.parametrize(("text", "entry"), [("x_0", "x[0]"), ("x_k", "x[k]"),
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


# ----- assumptions people write that the vocabulary has no word for -----
# Each was answered with the generic 'unknown assumption ... (accepted: ...)' list, "U unitary"
# with 'did you mean "U binary"?', and "A, B invertible" with the wrong advice
# assume = ["A", "B invertible"]; now each says what to write.

@pytest.mark.parametrize(("written", "advice"), [
    ("P stochastic", "softmax(L)"), ("P row-stochastic", "softmax(L)"),
    ("P rows sum to 1", "softmax(L)"),
    ("y in {-1, 1}", "2 * b - 1"), ("y ∈ {-1, +1}", "2 * b - 1"),
    ("w normalized", "w / norm(w)"), ("norm(w) = 1", "w / norm(w)"), ("‖w‖ = 1", "w / norm(w)"),
    ("U unitary", '"U orthogonal"'),
    ("D positive diagonal", "diag(d)"),
    ("p is a distribution", '"p sums to 1"'),
    ("A, B invertible", 'assume = ["A invertible", "B invertible"]'),
    ("x, y and z positive", 'assume = ["x positive", "y positive", "z positive"]'),
])
def test_an_unworded_assumption_says_what_to_write(written: str, advice: str) -> None:
    with pytest.raises(ClaimError) as info:
        plain_assumption(written, "c")
    assert advice in str(info.value)


@pytest.mark.parametrize(("written", "read"), [
    ("A, B commute", "A and B commute"), ("y in {0, 1}", "y in {0, 1}"),
    ("p sums to one", "p sums to 1"), ("A SPD", "A positive definite"),
])
def test_phrases_of_the_vocabulary_are_still_read(written: str, read: str) -> None:
    assert plain_assumption(written, "c") == read


# a Greek letter declared as a symbol name gets the hint an expression gives (it had none)
def test_a_greek_symbol_name_is_told_to_spell_it_out() -> None:
    with pytest.raises(ClaimError, match="spell a Greek letter out"):
        parse_symbols("γ: scalar")
