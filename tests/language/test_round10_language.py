"""Round 10: formulas pasted from LaTeX (a side of a claim, a TOML string) and the identity of
a Kronecker product's size, each checked by hand against the README's claim-language section."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.claim import parse_symbols
from verifier.claimfile import load_claim_file, plain_assumption
from verifier.language import ClaimInputError, compile_expression, to_text

DECLS = parse_symbols("a: scalar, b: scalar, x: vector(n), y: vector(n), A: matrix(n, n)")


def _refusal(text: str) -> ClaimInputError:
    with pytest.raises(ClaimInputError) as info:
        compile_expression(text, DECLS)
    return info.value


# A pasted LaTeX command was answered "unexpected character after line continuation
# character" (Python's word for a backslash), which names neither LaTeX nor what to write
@pytest.mark.parametrize(("text", "command", "write"), [
    # (\frac{a}{b} b, x^\top y, \left( a + b \right) b are read since round 15, and
    # \sum_{i=1}^n x_i with i declared index(n))
    (r"\frac{a}{b} \foo", r"\frac", "(a) / (b)"),
    (r"x^\top y \foo", r"\top", "x.T"),
    (r"\left( a + b \right) \foo", r"\left", "plain parentheses"),
    (r"a \cdot b \cdot \foo", r"\cdot", "* (element-wise, scaling) or @"),
    (r"\sigma'(a)", r"\sigma", "sigmoid(x)"),  # \sigma(a) is sigmoid(a) since round 17
    (r"\exp(a) \foo", r"\exp", "exp(x)"),
    (r"a + \lambda * b", r"\lambda", "lam"),
    (r"\|x\|_2 \foo", r"\|", "norm(x)"),
    (r"\pdv{a}{b}", r"\pdv", "grad(f, x)"),
    (r"\frac{1}{2} \qty(a - b)^{2}", r"\frac", r"\qty( ... )"),
])
def test_latex_is_refused_with_the_languages_spelling(text: str, command: str,
                                                      write: str) -> None:
    message = str(_refusal(text))
    assert f"LaTeX is not read ({command})" in message
    assert write in message
    assert "line continuation" not in message


def test_latex_in_a_comment_is_the_users_prose() -> None:
    compile_expression("a * b  # the \\alpha of the paper, \\frac{1}{2}", DECLS)


def test_the_column_is_the_first_latex_command() -> None:
    err = _refusal(r"a + b * \alpha")
    assert err.column == 9


def test_an_unknown_latex_command_is_still_named() -> None:
    message = str(_refusal(r"a + \foo"))
    assert r"LaTeX is not read (\foo)" in message and "derivcheck claim --help" in message


# In a TOML "..." string \frac, \top, \beta and \rho arrive as a form feed, a tab, a backspace
# and a carriage return followed by the rest of the word: "\rho * a" read as the unknown name
# "ho", "x^\top y" as a syntax error suggesting x ** k
@pytest.mark.parametrize(("text", "command"), [
    ("\frac{a}{b}", r"\frac"), ("x^\top y", r"\top"), ("\beta * a", r"\beta"),
    ("\rho * a", r"\rho"), ("\nabla a", r"\nabla"),
])
def test_latex_turned_into_toml_escapes_is_named(text: str, command: str) -> None:
    message = str(_refusal(text))
    assert f"LaTeX is not read ({command})" in message
    assert "a backslash starts an escape" in message


@pytest.mark.parametrize("text", ["a +\r\nb", "a +\n\tb", "a +\nb", "(a\n\t+ b)"])
def test_line_breaks_and_tabs_of_a_side_spanning_lines_are_not_latex(text: str) -> None:
    compile_expression(text, DECLS)


def test_a_toml_unescaped_backslash_says_latex_is_not_read(tmp_path) -> None:
    path = tmp_path / "pasted.claims.toml"
    path.write_text('[[claim]]\nid = "c"\nsymbols = { a = "scalar" }\n'
                    'lhs = "\\sum_i a"\nrhs = "a"\n', encoding="utf-8")
    entries, errors = load_claim_file(str(path))
    assert not entries and len(errors) == 1
    assert "not valid TOML" in str(errors[0]) and "LaTeX is not read" in str(errors[0])


def test_a_claim_file_points_at_the_pasted_command(tmp_path) -> None:
    path = tmp_path / "pasted.claims.toml"
    path.write_text("[[claim]]\nid = \"c\"\nsymbols = { a = \"scalar\", b = \"scalar\" }\n"
                    "lhs = 'a / \\frac{a}{b} + \\sum_i b'\nrhs = \"a\"\n",  # \\frac alone: read
                    encoding="utf-8")
    _, errors = load_claim_file(str(path))
    # since round 15 a \sum over an index is read where the index is declared: this one's
    # i is not, and the error points at it
    assert len(errors) == 1 and "i is not declared index(n)" in str(errors[0])
    assert (errors[0].line, errors[0].column) == (4, 26)


# eye(n * n) beside kron(A, B) (n²×n²) was refused: "a size in eye(...) is a dimension name
# (n) or an integer from 1 to 64; got n * n", though the shapes multiply sizes already
KRON = "A: matrix(n, n), B: matrix(m, m)"


@pytest.mark.parametrize(("lhs", "rhs"), [
    ("kron(eye(n), eye(m))", "eye(n * m)"),
    ("kron(eye(n), eye(m))", "eye(m * n)"),
    ("kron(A, B) @ eye(n * m)", "kron(A, B)"),
    ("ones(n * m).T @ kron(ones(n), ones(m))", "n * m"),
])
def test_a_product_of_sizes_is_a_size(lhs: str, rhs: str) -> None:
    result = verify(lhs, rhs, symbols=KRON, sizes=[{"n": 2, "m": 3}])
    assert result.verdict.holds, result.verdict


def test_a_product_of_sizes_is_a_size_in_general_dimension() -> None:
    result = verify("trace(eye(n * m))", "n * m", symbols=KRON)
    assert result.verdict.holds, result.verdict


def test_a_product_of_sizes_keeps_shapes_apart() -> None:
    with pytest.raises(ClaimInputError, match="shapes do not fit"):
        verify("kron(A, B) + eye(n * n)", "kron(A, B)", symbols=KRON)


def test_a_false_claim_with_a_product_of_sizes_is_refuted() -> None:
    result = verify("inv(kron(A, B) + eye(n * n))", "kron(inv(A), inv(B)) + eye(n * n)",
                    symbols="A: matrix(n, n), B: matrix(n, n)", assume=["A SPD", "B SPD"],
                    sizes=[{"n": 2}], expect="fails")
    assert result.verdict.status == "refuted"


@pytest.mark.parametrize(("text", "says"), [
    ("eye(n ** 2)", "write a product of sizes with *, such as eye(n * n)"),
    ("eye(16 * 16)", "at most 64"),
    ("onehot(0, n * n)", "is a dimension name"),
])
def test_sizes_that_are_not_products_are_refused(text: str, says: str) -> None:
    assert says in str(_refusal(text))


# x.clip(-1, 1) was answered "write clip(x) for x.clip()": the method's arguments were lost
# from the function form the message gives (clip takes three); since round 14 a method is read
# as that function form, its arguments kept
@pytest.mark.parametrize(("text", "written"), [
    ("x.clip(-1, 1)", "clip(x, -1, 1)"),
    ("A.mean(axis=0)", "mean(A, axis=0)"),
    ("x.sum()", "sum(x)"),
])
def test_a_method_call_is_read_with_its_arguments_kept(text: str, written: str) -> None:
    assert to_text(compile_expression(text, DECLS).tree) == \
        to_text(compile_expression(written, DECLS).tree)


# A = A^⊤ (LaTeX's \top typeset) was an unknown assumption where A = A^T and A = Aᵀ were read
# as "A symmetric", though an expression reads ⊤ as .T
@pytest.mark.parametrize(("written", "read"), [
    ("A = A^⊤", "A symmetric"), ("A⊤ = A", "A symmetric"), ("A = A^{⊤}", "A symmetric"),
    ("Q^⊤ Q = I", "Q orthogonal"), ("Q⊤ @ Q = I", "Q orthogonal"),
    ("A = -A^⊤", "A skew-symmetric"),
    # the same in LaTeX's source, and \succ for ≻
    ("A = A^\\top", "A symmetric"), ("A^{\\top} = A", "A symmetric"),
    ("Q^\\top Q = I", "Q orthogonal"), ("A \\succ 0", "A positive definite"),
])
def test_a_typeset_top_reads_as_a_transpose_in_an_assumption(written: str, read: str) -> None:
    assert plain_assumption(written) == read


# claim = "x.T @ x = sum(x ** 2)" (the equation as one key) was answered 'write "lhs"', which
# leaves the right side where it was
@pytest.mark.parametrize("key", ["claim", "equation", "formula"])
def test_an_equation_under_one_key_is_split_into_lhs_and_rhs(tmp_path, key: str) -> None:
    path = tmp_path / "one_key.claims.toml"
    path.write_text(f'[[claim]]\nid = "c"\nsymbols = {{ x = "vector(n)" }}\n'
                    f'{key} = "x.T @ x = sum(x ** 2)"\n', encoding="utf-8")
    _, errors = load_claim_file(str(path))
    assert len(errors) == 1
    assert 'write the two sides as lhs = "x.T @ x" and rhs = "sum(x ** 2)"' in str(errors[0])


# Declarations as notes write them were refused without a hint: a probability vector as a
# kind, NumPy's shape tuple (n,) and (n, m), one kind for two names
@pytest.mark.parametrize(("symbols", "says"), [
    ('{ p = "probability vector(n)" }', 'declare "vector(n)" and assume = ["p sums to 1"]'),
    ('{ W = "(n, m)" }', 'write "matrix(n, m)"'),
    ('{ x = "vector(n,)" }', "write vector(n), matrix(n, m)"),
    ('"x, y: vector(n)"', 'give each name its own kind, e.g. "x: vector(n), y: vector(n)"'),
])
def test_declarations_from_notes_are_refused_with_what_to_write(tmp_path, symbols: str,
                                                                says: str) -> None:
    path = tmp_path / "declared.claims.toml"
    path.write_text(f'[[claim]]\nid = "c"\nsymbols = {symbols}\nlhs = "1"\nrhs = "1"\n',
                    encoding="utf-8")
    _, errors = load_claim_file(str(path))
    assert len(errors) == 1 and says in str(errors[0])
