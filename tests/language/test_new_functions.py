"""Comparisons and indicators, element-wise max and min, logsumexp, softmax and log-softmax
along an axis, sums along an axis, the Jacobian in each layout and the Hessian: shapes,
errors, and values at fixed sizes against values computed by hand."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.claim import parse_symbols
from verifier.claimfile import one_liner
from verifier.instantiate import concrete, explicit, general
from verifier.language import ClaimInputError, compile_expression, to_text
from verifier.ops import GeneralFormUnavailable

SYMBOLS = ("z: vector(n), w: vector(n), Z: matrix(n, m), A: matrix(n, n), B: matrix(m, n), "
           "x: vector(n), s: scalar, t: scalar, i: index(n), k: index(n)")
DECLS = parse_symbols(SYMBOLS)
CLAIM = one_liner("s", "s", SYMBOLS)
NUMERATOR = one_liner("s", "s", SYMBOLS, layout="numerator")

VALUES = {
    "z": sp.Matrix([-1, 0, 2]),
    "w": sp.Matrix([0, 0, 5]),
    "Z": sp.Matrix([[0, 1], [3, 2], [1, 1]]),
    "A": sp.Matrix([[1, 2, 0], [0, 1, 3], [4, 0, 1]]),
    "B": sp.Matrix([[1, 0, 2], [0, 3, 1]]),
    "x": sp.Matrix([1, 2, 3]),
    "s": sp.Integer(0),
    "t": sp.Rational(1, 2),
}
SIZES = {"n": 3, "m": 2}
E = sp.exp


def _compile(text: str, layout: str = "denominator"):
    return compile_expression(text, DECLS, layout)


def _value(text: str, index: dict | None = None):
    inst, _ = concrete(CLAIM, SIZES, VALUES, index_values=index or {})
    return _compile(text)(inst.env)


SHAPES = [
    ("z > 0", "n×1"),
    ("z >= s", "n×1"),
    ("s < z", "n×1"),
    ("0 < t < 1", "a scalar"),
    ("(z > 0) * z", "n×1"),
    ("i == k", "a scalar"),
    ("i != k", "a scalar"),
    ("max(z, 0)", "n×1"),
    ("max(Z)", "a scalar"),
    ("min(s, t)", "a scalar"),
    ("logsumexp(z)", "a scalar"),
    ("logsumexp(Z, axis=0)", "1×m"),
    ("logsumexp(Z, axis=1)", "n×1"),
    ("softmax(Z, axis=0)", "n×m"),
    ("log_softmax(Z, axis=1)", "n×m"),
    ("sum(Z, axis=0)", "1×m"),
    ("mean(Z, axis=1)", "n×1"),
    ("jacobian(B @ z, z)", "n×m"),  # denominator layout: rows = inputs
    ("jacobian(t * z, t)", "1×n"),
    ("jacobian(s * t, t)", "1×1"),
    ("hessian(z.T @ A @ z, z)", "n×n"),
    ("hessian(t ** 3, t)", "1×1"),
]


@pytest.mark.parametrize("text,shape", SHAPES)
def test_shape(text, shape):
    assert str(_compile(text).shape) == shape


@pytest.mark.parametrize("text", [t for t, _ in SHAPES])
def test_round_trip(text):
    tree = _compile(text).tree
    assert _compile(to_text(tree)).tree == tree


def test_jacobian_in_numerator_layout_has_a_row_per_output():
    assert str(_compile("jacobian(B @ z, z)", "numerator").shape) == "m×n"
    assert str(_compile("jacobian(t * z, t)", "numerator").shape) == "n×1"


ERRORS = [
    ("z == w", "== compares integers", 3),
    ("s != t", "!= compares integers", 3),
    ("z > Z.T", "shapes do not fit", 3),
    ("max(z, Z)", "an element-wise max or min needs equal shapes", 1),
    ("softmax(Z, axis=2)", "axis is 0 (down each column) or 1 (along each row)", 17),
    ("softmax(Z, out=1)", "keyword arguments are not in the language (out=...)", 16),
    ("trace(A, axis=0)", "except axis= of softmax", 15),
    ("jacobian(Z, z)", "jacobian(f, x) needs a scalar or a column vector f", 10),
    ("jacobian(z, Z)", "differentiates by a scalar or a column vector", 13),
    ("jacobian(z, 2 * z)", "the variable of jacobian(f, x) must be a declared symbol", 13),
    ("hessian(z, z)", "hessian(f, x) needs a scalar-valued f", 9),
    ("z is w", '"is" is not in the language', 3),
    ("s > 0 and t > 0", "and/or; for 'both hold' multiply the indicators", 1),
]


@pytest.mark.parametrize("text,fragment,column", ERRORS)
def test_error_says_what_and_where(text, fragment, column):
    with pytest.raises(ClaimInputError) as info:
        _compile(text)
    assert fragment in info.value.message
    assert info.value.column == column


def test_integer_valued_operands_may_be_compared_for_equality():
    decls = parse_symbols("y: vector(n), t: integer, i: index(n)")
    compile_expression("t == 3", decls)
    compile_expression("(i == 0) * t", decls)
    with pytest.raises(ClaimInputError, match="== compares integers"):
        compile_expression("y[i] == 0", decls)  # y real unless assumed binary
    from verifier.claim import parse_assumption

    compile_expression("y[i] == 0", decls, assumptions=[parse_assumption("y binary")])


HAND = [
    ("z > 0", sp.Matrix([0, 0, 1])),
    ("z >= 0", sp.Matrix([0, 1, 1])),
    ("z < 0", sp.Matrix([1, 0, 0])),
    ("z <= 0", sp.Matrix([1, 1, 0])),
    ("z > w", sp.Matrix([0, 0, 0])),
    ("w >= z", sp.Matrix([1, 1, 1])),
    ("(z > 0) * z", sp.Matrix([0, 0, 2])),
    ("-1 < z <= 0", sp.Matrix([0, 1, 0])),
    ("sum(z >= 0)", 2),
    ("max(z, 0)", sp.Matrix([0, 0, 2])),
    ("max(z, w)", sp.Matrix([0, 0, 5])),
    ("min(z, 0)", sp.Matrix([-1, 0, 0])),
    ("max(z)", 2),
    ("min(z)", -1),
    ("max(s, t)", sp.Rational(1, 2)),
    ("logsumexp(z)", sp.log(E(-1) + 1 + E(2))),
    ("logsumexp(Z, axis=0)", sp.Matrix([[sp.log(1 + E(3) + E(1)), sp.log(E(1) + E(2) + E(1))]])),
    ("logsumexp(Z, axis=1)", sp.Matrix([sp.log(1 + E(1)), sp.log(E(3) + E(2)),
                                        sp.log(2 * E(1))])),
    # softmax down each column: column 0 of Z is (0, 3, 1)
    ("softmax(Z, axis=0)[1, 0]", E(3) / (1 + E(3) + E(1))),
    # along each row (the default for a matrix): row 1 of Z is (3, 2)
    ("softmax(Z)[1, 0]", E(3) / (E(3) + E(2))),
    ("softmax(Z, axis=1)[1, 0]", E(3) / (E(3) + E(2))),
    ("log_softmax(Z, axis=0)[2, 1]", 1 - sp.log(E(1) + E(2) + E(1))),
    ("softmax(z)[2]", E(2) / (E(-1) + 1 + E(2))),
    ("sum(Z, axis=0)", sp.Matrix([[4, 4]])),
    ("sum(Z, axis=1)", sp.Matrix([1, 5, 2])),
    ("mean(Z, axis=0)", sp.Matrix([[sp.Rational(4, 3), sp.Rational(4, 3)]])),
    ("mean(Z, axis=1)", sp.Matrix([sp.Rational(1, 2), sp.Rational(5, 2), 1])),
]


@pytest.mark.parametrize("text,want", HAND)
def test_meaning_at_fixed_size(text, want):
    got = _value(text)
    if isinstance(want, sp.MatrixBase):
        assert sp.simplify(sp.Matrix(got) - want) == sp.zeros(*want.shape)
    else:
        assert sp.simplify(got - sp.sympify(want)) == 0


def test_kronecker_delta_of_indices():
    assert _value("i == k", {"i": 1, "k": 1}) == 1
    assert _value("i == k", {"i": 1, "k": 2}) == 0
    assert _value("i != k", {"i": 1, "k": 2}) == 1


def test_jacobian_and_hessian_against_hand_computed_matrices():
    env = explicit(CLAIM, SIZES).env
    zs = list(env["z"])
    B = env["B"]
    # ∂(Bz)/∂z = B (m×n) in numerator layout, Bᵀ in denominator layout
    num = compile_expression("jacobian(B @ z, z)", DECLS, "numerator")(env)
    den = compile_expression("jacobian(B @ z, z)", DECLS, "denominator")(env)
    assert num == B and den == B.T
    # ∂(t z)/∂t = z, as a column in numerator layout
    t = env["t"]
    assert compile_expression("jacobian(t * z, t)", DECLS, "numerator")(env) == env["z"]
    # ∇²(zᵀAz) = A + Aᵀ
    A = env["A"]
    assert compile_expression("hessian(z.T @ A @ z, z)", DECLS)(env) == A + A.T
    # ∂²/∂zᵢ∂zⱼ of z₁²z₂ (z 0-based: z[0] = z_1)
    h = compile_expression("hessian(z[0] ** 2 * z[1], z)", DECLS)(env)
    assert h == sp.Matrix([[2 * zs[1], 2 * zs[0], 0], [2 * zs[0], 0, 0], [0, 0, 0]])
    assert compile_expression("hessian(t ** 3, t)", DECLS)(env) == 6 * t


def test_comparisons_of_reals_record_a_kink_integers_do_not():
    from verifier import ops

    env = explicit(CLAIM, SIZES, {"i": 0, "k": 1}).env
    for text, kinks in (("z > 0", 3), ("max(z, w)", 3), ("i == k", 0), ("(i < k) * s", 0)):
        log: list = []
        token = ops.REQUIREMENTS.set(log)
        try:
            _compile(text)(env)
        finally:
            ops.REQUIREMENTS.reset(token)
        assert sum(r.kind == "kink" for r in log) == kinks, text


def test_general_forms():
    inst = general(CLAIM)
    env = inst.env
    i, k = env["i"], env["k"]
    assert _compile("i == k")(env) == sp.KroneckerDelta(i, k)
    z = env["z"]
    assert _compile("z[i] > 0")(env) == sp.Piecewise((1, z[i, 0] > 0), (0, True))
    assert _compile("max(z[i], 0)")(env) == sp.Piecewise((z[i, 0], z[i, 0] >= 0), (0, True))
    n, m = env["n"], env["m"]
    Z = env["Z"]
    assert _compile("sum(Z, axis=1)")(env) == Z * sp.OneMatrix(m, 1)
    assert _compile("sum(Z, axis=0)")(env) == sp.OneMatrix(1, n) * Z
    # (element-wise functions of a general-size matrix, z > 0 among them, are the
    # index-form prover's to give a general form)
    for text in ("z > w", "jacobian(B @ z, z)", "hessian(z.T @ A @ z, z)",
                 "logsumexp(Z, axis=0)"):
        with pytest.raises(GeneralFormUnavailable):
            _compile(text)(env)
