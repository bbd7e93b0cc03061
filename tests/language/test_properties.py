"""Property tests: well-formed expressions are accepted and survive print → parse; arbitrary
text never raises anything but ClaimInputError."""

from __future__ import annotations

import functools

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.claim import parse_symbols
from verifier.claimfile import one_liner
from verifier.instantiate import explicit
from verifier.language import ClaimInputError, compile_expression, evaluate, to_text
from verifier.ops import Undefined

SYMBOLS = parse_symbols("x: vector(n), y: vector(n), A: matrix(n, n), B: matrix(n, n), "
                        "s: scalar, t: scalar, i: index(n)")
CLAIM = one_liner("s", "s", "x: vector(n), y: vector(n), A: matrix(n, n), B: matrix(n, n), "
                  "s: scalar, t: scalar, i: index(n)")
ENV = explicit(CLAIM, {"n": 2}).env

SETTINGS = settings(max_examples=60, deadline=None,  # 150 took 7.6 s of CI time
                    suppress_health_check=[HealthCheck.too_slow])


def _paren(s: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Sometimes wrap in redundant parentheses or spaces: the printer's form will differ."""
    return st.one_of(s, s.map(lambda t: f"({t})"), s.map(lambda t: f" {t} "))


numbers = st.one_of(
    st.integers(0, 99).map(str), st.sampled_from(["0.5", "1.25", "3.0", "2e1"])
)


SCALAR_LEAF = st.one_of(st.sampled_from(["s", "t", "n", "x[0]", "A[i, 1]", "x.T[i]",
                                          "sum(x[i] * y[i], i)", "(s > t)", "max(s, t)",
                                          "logsumexp(x)", "(i == 1)"]), numbers)
VECTOR_LEAF = st.sampled_from(["x", "y", "ones(n)", "zeros(n)", "A[:, i]", "A[i, :].T",
                               "(x >= y)", "max(x, 0)", "sum(A, axis=1)"])
MATRIX_LEAF = st.sampled_from(["A", "B", "eye(n)", "A.T", "softmax(A, axis=0)",
                               "min(A, B)"])


def _two(f, a, b):
    return st.tuples(a, b).map(lambda p: f(*p))


@functools.cache
def scalars(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return SCALAR_LEAF
    sc, ve, ma = scalars(depth - 1), vectors(depth - 1), matrices(depth - 1)
    return _paren(st.one_of(
        SCALAR_LEAF,
        _two(lambda a, b: f"{a} + {b}", _paren(sc), _paren(sc)),
        _two(lambda a, b: f"({a}) * ({b})", sc, sc),
        _two(lambda a, b: f"({a}) - ({b})", sc, sc),
        _two(lambda a, b: f"({a}).T @ ({b})", ve, ve),
        ma.map(lambda a: f"trace({a})"),
        ve.map(lambda a: f"sum({a})"),
        ve.map(lambda a: f"norm({a})"),
        sc.map(lambda a: f"sigmoid({a})"),
        sc.map(lambda a: f"-({a})"),
        _two(lambda a, k: f"({a}) ** {k}", sc, st.integers(-3, 3)),
    ))


@functools.cache
def vectors(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return VECTOR_LEAF
    sc, ve, ma = scalars(depth - 1), vectors(depth - 1), matrices(depth - 1)
    return _paren(st.one_of(
        VECTOR_LEAF,
        _two(lambda a, b: f"({a}) @ ({b})", ma, ve),
        _two(lambda a, b: f"({a}) + ({b})", ve, ve),
        _two(lambda a, b: f"({a}) * ({b})", sc, ve),
        _two(lambda a, b: f"({a}) * ({b})", ve, ve),
        _two(lambda a, b: f"({a}) / 2 - ({b})", ve, ve),
        _two(lambda a, b: f"({a}) + ({b})", ve, sc),
        ve.map(lambda a: f"relu({a})"),
        ve.map(lambda a: f"softmax({a})"),
        ma.map(lambda a: f"diag({a})"),
    ))


@functools.cache
def matrices(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return MATRIX_LEAF
    sc, ve, ma = scalars(depth - 1), vectors(depth - 1), matrices(depth - 1)
    return _paren(st.one_of(
        MATRIX_LEAF,
        _two(lambda a, b: f"({a}) @ ({b})", ma, ma),
        _two(lambda a, b: f"({a}) - ({b})", ma, ma),
        _two(lambda a, b: f"({a}) @ ({b}).T", ve, ve),
        _two(lambda a, b: f"hadamard({a}, {b})", ma, ma),
        _two(lambda a, b: f"({a}) * ({b})", sc, ma),
        ma.map(lambda a: f"({a}).T"),
        ve.map(lambda a: f"diag({a})"),
    ))


def _exprs() -> st.SearchStrategy[str]:
    return st.one_of(scalars(3), vectors(3), matrices(3))


@SETTINGS
@given(_exprs())
def test_well_formed_expressions_round_trip(text):
    first = compile_expression(text, SYMBOLS)
    printed = to_text(first.tree)
    second = compile_expression(printed, SYMBOLS)
    assert second.tree == first.tree, (text, printed)
    assert to_text(second.tree) == printed  # the printed form is a fixed point
    try:
        a = evaluate(first.tree, ENV)
    except Undefined:  # e.g. (0) ** -1: the printed form is undefined just the same
        with pytest.raises(Undefined):
            evaluate(second.tree, ENV)
        return
    b = evaluate(second.tree, ENV)
    assert sp.Matrix(a).equals(sp.Matrix(b)) if isinstance(a, sp.MatrixBase) else a == b


@SETTINGS
@given(st.text(max_size=200))
def test_random_text_only_raises_claim_input_error(text):
    try:
        compile_expression(text, SYMBOLS)
    except ClaimInputError:
        pass


LANGUAGE_CHARS = "xyABstni0123456789 .T@*/+-(),_e" + "'\"[]{}:=<>!%^&|~#\\\n"
WORDS = ["grad(", "trace(", "inv(", "eye(", "ones(", "sum(", "lambda ", "for ", " if ",
         "**", ".T", "__class__", "onehot(", "kron(", "vec(", "softmax(", "1e5", "0x1",
         "[i]", "[:, ", "axis=", " > ", " == ", "max(", "prod(", "jacobian(", "hessian("]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(list(LANGUAGE_CHARS)), st.sampled_from(WORDS)),
                max_size=40).map("".join))
def test_near_language_text_only_raises_claim_input_error(text):
    try:
        compiled = compile_expression(text, SYMBOLS)
    except ClaimInputError:
        return
    try:
        evaluate(compiled.tree, ENV)  # whatever is accepted can be built
    except Undefined:
        pass  # or is undefined at this point (x[5] at n = 2, a division by 0)


@SETTINGS
@given(st.text(max_size=300))
def test_random_toml_only_gives_input_errors(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("t") / "r.claims.toml"
    path.write_text('[[claim]]\nid = "r"\nsymbols = "x: vector(n)"\nlhs = "x"\n' + text,
                    encoding="utf-8")
    from verifier.claimfile import load_claim_files

    entries, errors = load_claim_files([str(path)])
    assert all(isinstance(e, ClaimInputError) for e in errors)
