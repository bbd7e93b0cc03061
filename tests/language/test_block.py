"""block([[A, B], [C, D]]): shapes, errors, printing, and its meaning at fixed and symbolic
sizes."""

from __future__ import annotations

import pytest
import sympy as sp

from verifier.claimfile import one_liner
from verifier.engine import Options, decide
from verifier.instantiate import explicit, general, side_values
from verifier.language import ClaimInputError, to_text

ABCD = "A: matrix(n, n), B: matrix(n, k), C: matrix(k, n), D: matrix(k, k)"
M = "block([[A, B], [C, D]])"


def test_the_shape_adds_the_blocks_sizes():
    c = one_liner(M, M, ABCD)
    assert str(c.lhs.tree.shape) == "(k + n)×(k + n)"
    assert str(one_liner("block([[A, B]])", "block([[A, B]])", ABCD).lhs.tree.shape) == \
        "n×(k + n)"
    # a scalar is a 1×1 block
    s = "block([[A, u], [u.T, c]])"
    assert str(one_liner(s, s, "A: matrix(n, n), u: vector(n), c: scalar").lhs.tree.shape) \
        == "(1 + n)×(1 + n)"


def test_printing_round_trips():
    c = one_liner(f"{M}.T @ {M}", M, ABCD)
    text = to_text(c.lhs.tree)
    assert text == "block([[A, B], [C, D]]).T @ block([[A, B], [C, D]])"
    assert one_liner(text, M, ABCD).lhs.tree == c.lhs.tree


@pytest.mark.parametrize("text, message", [
    ("block([[A, B], [C]])", "every row of a block matrix needs the same number of blocks"),
    ("block([[A, C], [B, D]])", "the blocks of row 1 need one height; they are n, k"),
    ("block([[A, B], [D, C]])", "the blocks of column 1 need one width; they are n, k"),
    ("block(A)", "block takes a list of rows of blocks, such as [[A, B], [C, D]]"),
    ("block([A, B])", "block takes a list of rows of blocks"),
    ("[[A, B], [C, D]]", "a list is not in the language"),
    (f"{M} @ A", "shapes do not fit"),
])
def test_bad_blocks_are_clear_errors(text, message):
    with pytest.raises(ClaimInputError) as exc:
        one_liner(text, text, ABCD)
    assert message in str(exc.value)


def test_at_fixed_sizes_it_is_the_assembled_matrix():
    c = one_liner(M, M, ABCD)
    inst = explicit(c, {"n": 2, "k": 1})
    a, b, cc, d = (inst.env[x] for x in "ABCD")
    want = sp.Matrix(sp.BlockMatrix([[a, b], [cc, d]]).as_explicit())
    assert side_values(inst, c.lhs, c) == want
    s = "block([[A, u], [u.T, c]])"
    c2 = one_liner(s, s, "A: matrix(n, n), u: vector(n), c: scalar")
    inst2 = explicit(c2, {"n": 2})
    out = side_values(inst2, c2.lhs, c2)
    assert out.shape == (3, 3) and out[2, 2] == inst2.env["c"]


def test_in_general_dimension_it_is_a_block_matrix():
    c = one_liner(M, M, ABCD)
    value = side_values(general(c), c.lhs, c)
    assert isinstance(value, sp.BlockMatrix) and value.blocks.shape == (2, 2)


def test_a_block_transpose_is_proved_and_a_wrong_one_refuted():
    right = one_liner(f"{M}.T", "block([[A.T, C.T], [B.T, D.T]])", ABCD)
    assert decide(right, Options(timeout=60)).verdict.status == "proved"
    wrong = one_liner("block([[A, B], [B.T, A]]).T", "block([[A.T, B.T], [B, A.T]])",
                      "A: matrix(n, n), B: matrix(n, n)")
    v = decide(wrong, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted"
