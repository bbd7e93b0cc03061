"""Indexing, index symbols and sums over them: shapes, errors with positions, the meaning at
fixed sizes (against values computed by hand) and the general-dimension representation."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.claim import parse_symbols
from verifier.claimfile import one_liner
from verifier.instantiate import concrete, explicit, general
from verifier.language import ClaimInputError, compile_expression, to_text
from verifier.ops import Undefined

SYMBOLS = ("x: vector(n), y: vector(n), W: matrix(n, m), v: vector(m), s: scalar, "
           "i: index(n), k: index(n), j: index(m), F: matrix(3, 2)")
DECLS = parse_symbols(SYMBOLS)


def _compile(text: str):
    return compile_expression(text, DECLS)


# (expression, its static shape)
SHAPES = [
    ("x[i]", "a scalar"),
    ("x[0]", "a scalar"),
    ("W[i, j]", "a scalar"),
    ("W[i, :]", "1×m"),
    ("W[:, j]", "n×1"),
    ("W[i, :] @ v", "1×1"),
    ("x.T[i]", "a scalar"),
    ("(W @ v)[i]", "a scalar"),
    ("x[:]", "n×1"),
    ("sum(x[i] * y[i], i)", "a scalar"),
    ("sum(W[i, :].T * x[i], i)", "m×1"),
    ("mean(x[i], i)", "a scalar"),
    ("prod(x[i], i)", "a scalar"),
    ("x[i] * sum(y[i], i)", "a scalar"),
    ("sum(sum(W[i, j], j), i)", "a scalar"),
    ("i", "a scalar"),
    ("1 - 2 * i", "a scalar"),
    ("F[2, 1]", "a scalar"),
    ("onehot(i, n)", "n×1"),
]


@pytest.mark.parametrize("text,shape", SHAPES)
def test_shape(text, shape):
    assert str(_compile(text).shape) == shape


@pytest.mark.parametrize("text", [t for t, _ in SHAPES])
def test_round_trip(text):
    tree = _compile(text).tree
    assert _compile(to_text(tree)).tree == tree


# (expression, a fragment of the message, the column it points at)
ERRORS = [
    ("x[j]", "j ranges over 0..m-1 but x has n rows; declare j: index(n)", 3),
    ("W[j, i]", "j ranges over 0..m-1 but W has n rows", 3),
    ("W[i]", "write an entry W[i, j], a row W[i, :] or a column W[:, j]", 1),
    ("x[0:2]", "only a whole row or column is sliced", 3),
    ("x[-1]", "negative indices are not in the language", 3),
    ("x[s]", "an index is an integer from 0 or a symbol declared index(n)", 3),
    ("x[n]", '"n" is a dimension (a size), not an index', 3),
    ("F[3, 0]", "index 3 is out of range: F has 3 rows (indices count from 0)", 3),
    ("F[0, 2]", "index 2 is out of range: F has 2 columns", 6),
    ("s[0]", "s is a scalar; only vectors and matrices can be indexed", 1),
    ("x[0, 0, 0]", "at most two indices", 3),
    ("sum(x, s)", "the index of sum(e, i) must be a symbol declared index(n)", 8),
    ("prod(x, i)", "prod(e, i) multiplies scalars", 1),
    ("sum(x[i], i, axis=0)", "axis= goes with sum(X, axis=k) alone", 1),
    ("x + sum(W[i, :], i)", "shapes do not fit", 3),
]


@pytest.mark.parametrize("text,fragment,column", ERRORS)
def test_error_says_what_and_where(text, fragment, column):
    with pytest.raises(ClaimInputError) as info:
        _compile(text)
    assert fragment in info.value.message
    assert info.value.column == column


def test_error_in_a_claim_file_names_file_line_and_column(tmp_path):
    from verifier.claimfile import load_claim_file

    f = tmp_path / "bad.claims.toml"
    f.write_text('[[claim]]\nid = "c"\nsymbols = { x = "vector(n)", j = "index(m)", '
                 'W = "matrix(m, m)" }\nlhs = "sum(x[j], j)"\nrhs = "0"\n')
    _, errors = load_claim_file(str(f))
    assert len(errors) == 1
    err = errors[0]
    assert (err.line, err.column) == (4, 14)  # the j inside x[j]
    assert "j ranges over 0..m-1 but x has n rows" in str(err)
    assert str(err).startswith(f"{f}:4:14")


# ----- meaning at fixed sizes, against hand-computed values -----

CLAIM = one_liner("s", "s", SYMBOLS)
SIZES = {"n": 3, "m": 2}
VALUES = {
    "x": sp.Matrix([1, 2, 3]),
    "y": sp.Matrix([4, 5, 6]),
    "W": sp.Matrix([[1, 2], [3, 4], [5, 6]]),
    "v": sp.Matrix([1, -1]),
    "s": sp.Rational(1, 2),
    "F": sp.Matrix([[1, 2], [3, 4], [5, 6]]),
}


def _value(text: str, index: dict[str, int]):
    inst, _ = concrete(CLAIM, SIZES, VALUES, index_values=index)
    return _compile(text)(inst.env)


HAND = [
    # Σᵢ xᵢyᵢ = 4 + 10 + 18
    ("sum(x[i] * y[i], i)", {}, 32),
    ("x[i]", {"i": 2}, 3),
    ("x[0]", {}, 1),
    ("W[i, j]", {"i": 2, "j": 1}, 6),
    ("W[i, :]", {"i": 1}, sp.Matrix([[3, 4]])),
    ("W[:, j]", {"j": 1}, sp.Matrix([2, 4, 6])),
    ("W[i, :] @ v", {"i": 0}, -1),
    ("(W @ v)[i]", {"i": 2}, -1),
    # Σᵢ Wᵢ,: ᵀ xᵢ = Wᵀx = (1 + 6 + 15, 2 + 8 + 18)
    ("sum(W[i, :].T * x[i], i)", {}, sp.Matrix([22, 28])),
    ("mean(x[i], i)", {}, 2),
    ("prod(x[i], i)", {}, 6),
    # a free index beside a bound one of the same name: x₁ · (4 + 5 + 6)
    ("x[i] * sum(y[i], i)", {"i": 0}, 15),
    ("sum(sum(W[i, j], j), i)", {}, 21),
    ("1 - 2 * i", {"i": 2}, -3),
    ("sum((i == k) * x[i], i)", {"k": 1}, 2),
    ("sum(sum((i == k) * x[k], k), i)", {}, 6),
    ("sum(i * x[i], i)", {}, 8),
]


@pytest.mark.parametrize("text,index,want", HAND)
def test_meaning_at_fixed_size(text, index, want):
    got = _value(text, index)
    want = sp.Matrix(want) if isinstance(want, sp.MatrixBase) else sp.sympify(want)
    if isinstance(want, sp.MatrixBase):
        assert sp.Matrix(got) == want
    else:
        assert sp.simplify(got - want) == 0


def test_a_literal_index_past_a_symbolic_size_is_undefined_there():
    claim = one_liner("x[2]", "x[2]", "x: vector(n)")
    inst = explicit(claim, {"n": 2})
    with pytest.raises(Undefined, match="out of range"):
        claim.lhs(inst.env)
    assert claim.lhs(explicit(claim, {"n": 3}).env) == sp.Symbol("x_3", real=True)


def test_explicit_entries_are_the_entry_symbols():
    claim = one_liner("s", "s", SYMBOLS)
    env = explicit(claim, {"n": 2, "m": 2}, {"i": 1, "j": 0}).env
    assert _compile("W[i, j]")(env) == sp.Symbol("W_21", real=True)
    assert _compile("sum(x[i], i)")(env) == sp.Symbol("x_1", real=True) + sp.Symbol(
        "x_2", real=True)


# ----- general dimension: the representation the index-form prover reads -----


def _general(text: str, symbols: str = SYMBOLS):
    claim = one_liner(text, text, symbols)
    inst = general(claim)
    return claim.lhs(inst.env), inst


def test_general_index_is_an_integer_symbol_with_its_range():
    _, inst = _general("x[i]")
    i = inst.env["i"]
    assert isinstance(i, sp.Symbol) and i.is_integer and i.is_nonnegative
    n = inst.env["n"]
    assert inst.index_ranges[i] == (0, n - 1)
    assert inst.index_ranges[inst.env["j"]] == (0, inst.env["m"] - 1)


def test_general_entry_is_a_matrix_element():
    e, inst = _general("W[i, j]")
    assert e == inst.env["W"][inst.env["i"], inst.env["j"]]
    assert isinstance(e, sp.matrices.expressions.matexpr.MatrixElement)
    e, inst = _general("x[i]")
    assert e == inst.env["x"][inst.env["i"], 0]


def test_general_sum_is_a_sum_over_the_declared_range():
    e, inst = _general("sum(x[i] * y[i], i)")
    i, n = inst.env["i"], inst.env["n"]
    x, y = inst.env["x"], inst.env["y"]
    assert e == sp.Sum(x[i, 0] * y[i, 0], (i, 0, n - 1))
    assert i not in e.free_symbols


def test_general_product_and_mean():
    e, inst = _general("prod(x[i], i)")
    i, n, x = inst.env["i"], inst.env["n"], inst.env["x"]
    assert e == sp.Product(x[i, 0], (i, 0, n - 1))
    e, _ = _general("mean(x[i], i)")
    assert e == sp.Sum(x[i, 0], (i, 0, n - 1)) / n


def test_general_rows_and_columns_are_matrix_slices():
    e, inst = _general("W[i, :]")
    assert isinstance(e, sp.MatrixSlice) and e.shape == (1, inst.env["m"])
    e, inst = _general("W[:, j]")
    assert isinstance(e, sp.MatrixSlice) and e.shape == (inst.env["n"], 1)


def test_general_matrix_valued_sum_is_a_function_matrix_of_sums():
    e, inst = _general("sum(W[i, :].T * x[i], i)")
    assert isinstance(e, sp.FunctionMatrix) and e.shape == (inst.env["m"], 1)
    entry = e[1, 0]
    assert isinstance(entry, sp.Sum)
    # at a fixed size its entries are those of Wᵀx
    n = inst.env["n"]
    at3 = entry.subs(n, 3).doit()
    W, x = inst.env["W"].subs(n, 3), inst.env["x"].subs(n, 3)
    assert sp.expand(at3 - sum(W[r, 1] * x[r, 0] for r in range(3))) == 0


def test_general_free_and_bound_uses_of_one_index():
    e, inst = _general("x[i] * sum(y[i], i)")
    i = inst.env["i"]
    assert i in e.free_symbols  # the free x[i]
    assert any(isinstance(a, sp.Sum) for a in sp.Mul.make_args(e))


def test_a_python_builder_with_an_index_has_no_general_form():
    # a builder may branch on a label's value (y == 0 is False for a symbol)
    from verifier.claim import make_claim
    from verifier.ops import GeneralFormUnavailable

    c = make_claim("py", symbols="y: index(2), t: scalar", title="t", source="standard",
                   lhs=lambda s: s.t if s.y == 0 else -s.t, rhs=lambda s: s.t)
    with pytest.raises(GeneralFormUnavailable):
        general(c)


def test_free_indices():
    assert _compile("sum(x[i] * y[i], i)").free_indices == frozenset()
    assert _compile("x[i] * sum(y[i], i)").free_indices == {"i"}
    assert _compile("W[i, j] + sum(W[k, j], k)").free_indices == {"i", "j"}


def test_requirements_of_index_forms_are_shown_to_hold_in_general_dimension():
    # σ(X[i, :] @ θ) > 0 and 1 − σ(...) > 0 for every real entry: always holds
    from verifier.definedness import requirements

    c = one_liner("sum(log(sigmoid(X[i, :] @ th)) + log(1 - sigmoid(X[i, :] @ th)), i)", "0",
                  "X: matrix(N, m), th: vector(m), i: index(N)")
    reqs = requirements(c)
    assert len(reqs) == 2 and all(r.assumed for r in reqs), reqs
    # y[i] itself is not known positive
    c = one_liner("sum(log(y[i]), i)", "0", "y: vector(N), i: index(N)")
    assert [r.assumed for r in requirements(c)] == [False]
