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
    # (x^T y, x.T y and 2 s are read as products since round 15: juxtaposition)
    # two terms side by side that do not fit: not Python's "Perhaps you forgot a comma?"
    ("x x", "write the product with @ or *", "comma"),
    # ‖x‖² is read (round 12); a p-norm is not, and the refusal names what is
    ("‖x‖_p", "‖x‖ (or ‖x‖_2) is norm(x)", ""),
    # an indicator written 1{...}
    ("1{s > 0}", "write the comparison itself", ""),
    # a number or a parenthesis called as a function
    # (2(s + 1) and (s + 1)(s - 1) are read as products since round 15; 1/2(s + 1) is not)
    ("1/2(s + 1)", "is (s + 1) in the denominator?", ""),
    # lambda is a Python keyword
    ("lambda * s", "name the symbol lam", ""),
    # from the end of a vector
    ("x[-1]", "x[n - 1]", ""),
    # a transpose written as a power of an undeclared T
    ("A**T", "for a transpose write A.T", ""),
    # functions from NumPy and PyTorch
    ("clip(x, 0)", "clip(x, a, b): min(max(x, a), b)", ""),
    ("clamp(x, min=0)", "clamp(x, a, b): min(max(x, a), b)", ""),
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


def _load_error(tmp_path, body: str) -> str:
    from verifier.claimfile import load_claim_file

    path = tmp_path / "c.claims.toml"
    path.write_text(body, encoding="utf-8")
    entries, errors = load_claim_file(str(path))
    assert not entries and len(errors) == 1
    return str(errors[0])


def test_an_equation_written_in_lhs_is_split_into_its_sides(tmp_path):
    # refused with 'write lhs = "x.T @ x" and rhs = "sum(x**2)"' until round 14
    from verifier.claimfile import load_claim_file

    path = tmp_path / "eq.claims.toml"
    path.write_text('[[claim]]\nid = "a"\nsymbols = { x = "vector(n)" }\n'
                    'lhs = "x.T @ x = sum(x**2)"\n', encoding="utf-8")
    entries, errors = load_claim_file(str(path))
    assert not errors and (entries[0].lhs.text, entries[0].rhs.text) == ("x.T @ x", "sum(x**2)")


def test_a_comparison_in_lhs_is_not_read_as_an_equation(tmp_path):
    message = _load_error(tmp_path, '[[claim]]\nid = "a"\nsymbols = { x = "vector(n)" }\n'
                                    'lhs = "(x >= 0) * x"\n')
    assert 'a claim needs rhs = "..."' in message
    assert "write lhs" not in message


@pytest.mark.parametrize("kind,key,fragment", [
    ("claim", 'steps = ["x.T @ x", "sum(x**2)"]', "steps belong to a [[derivation]]"),
    ("derivation", 'lhs = "x.T @ x"', "lhs and rhs belong to a [[claim]]"),
])
def test_a_key_of_the_other_table_says_which_table(tmp_path, kind, key, fragment):
    message = _load_error(tmp_path, f'[[{kind}]]\nid = "a"\nsymbols = {{ x = "vector(n)" }}\n'
                                    f'{key}\n')
    assert fragment in message
    assert "did you mean" not in message


NET = "x: vector(n), W: matrix(n, n), b: vector(n), g: vector(n), s: scalar"


@pytest.mark.parametrize("text,fragment,absent", [
    # a function capitalised as a class in PyTorch
    # (ReLU(x), Softmax(x), Tanh(x) are read since round 15: test_greek_names_round15.py)
    # layers and divergences written by name
    ("LayerNorm(x)", "(x - mean(x)) / sqrt(var(x) + eps)", ""),
    ("layer_norm(x)", "(x - mean(x)) / sqrt(var(x) + eps)", ""),
    ("RMSNorm(x)", "x / sqrt(mean(x**2) + eps)", ""),
    ("KL(x, g)", "sum(p * log(p / q))", ""),
    # the length of a vector: its dimension's name
    ("len(x)", "write the dimension's name", "ln"),
    ("x.T @ x / x.shape[0]", "write the dimension's name", ""),
    # names glued into a product, as papers write Wx
    ("tanh(xb + b)", "write x @ b", 'did you mean "x"'),  # Wx: read as W @ x (round 14)
    # (since round 14 sigmoid(x) * (1 - sigmoid(x)) @ g is read as NumPy computes it, the
    # inner product of the whole product with g: tests/language/test_numpy_torch_round14.py)
])
def test_names_from_pytorch_and_papers_get_what_to_write(text, fragment, absent):
    with pytest.raises(ClaimInputError) as info:
        one_liner(text, "x", NET)
    assert fragment in str(info.value)
    if absent:
        assert absent not in str(info.value)


@pytest.mark.parametrize("expect,fragment", [
    ("holds if x antisymmetric", "needs a square matrix"),
    ("holds if x symmetric", "needs a square matrix"),
    ("holds if A and W commute", "needs two square matrices of one size"),
    ("holds if A sums to 1", "needs a vector"),
])
def test_a_condition_that_cannot_apply_to_its_symbol_is_refused_at_load(expect, fragment):
    # as the same phrase in assume is: before, it loaded, and could never be met
    with pytest.raises(ClaimInputError) as info:
        one_liner("x.T @ x", "sum(x**2)", "x: vector(n), A: matrix(n, n), W: matrix(n, m)",
                  expect=expect)
    assert fragment in str(info.value)
    with pytest.raises(ClaimInputError) as info:
        one_liner("x.T @ x", "sum(x**2)", "x: vector(n), A: matrix(n, n), W: matrix(n, m)",
                  assume=[expect.removeprefix("holds if ")])
    assert fragment in str(info.value)


@pytest.mark.parametrize("text", ["-mean(log_softmax(Z)[i, y[i]], i)", "Z[i, y]"])
def test_a_vector_of_labels_as_an_index_says_how_to_write_per_sample_labels(text):
    # cross-entropy over a batch as PyTorch indexes it: one label per row
    with pytest.raises(ClaimInputError) as info:
        one_liner(text, "s", "Z: matrix(N, C), y: vector(N), i: index(N), s: scalar")
    assert "Y: matrix(N, C) with assume = [\"Y one-hot\"]" in str(info.value)
    assert "sum(Y * log_softmax(Z))" in str(info.value)


def test_a_step_condition_that_cannot_apply_is_refused_at_load(tmp_path):
    message = _load_error(tmp_path, '[[derivation]]\nid = "a"\n'
                                    'symbols = { x = "vector(n)", A = "matrix(n, n)" }\n'
                                    'steps = ["grad(x.T @ A @ x, x)", "(A + A.T) @ x", '
                                    '"2 * A @ x"]\nexpect = "fails"\n'
                                    'step_expect = { 2 = "holds if x symmetric" }\n')
    assert "needs a square matrix" in message


@pytest.mark.parametrize("text", ["softmax(s - inf * (1 - m))", "softmax(s + (-np.inf) * (1 - m))",
                                  "softmax(s.masked_fill(m, -1e9))"])
def test_an_attention_mask_written_with_infinity_says_how_to_mask(text):
    with pytest.raises(ClaimInputError) as info:
        one_liner(text, "s", "s: vector(n), m: vector(n)")
    assert "exp(s) * m / sum(exp(s) * m)" in str(info.value)


def test_a_chain_of_equalities_in_lhs_says_to_write_a_derivation(tmp_path):
    message = _load_error(tmp_path, '[[claim]]\nid = "a"\nsymbols = { x = "vector(n)" }\n'
                                    'lhs = "norm(x)**2 = x.T @ x = sum(x**2)"\n')
    assert 'steps = ["norm(x)**2", "x.T @ x", "sum(x**2)"]' in message
