"""Vertices of a box: vectors and matrices whose entries lie in a closed bounded interval.

A multilinear claim takes its extremes at the vertices of the box and in general nowhere
else.  (det A > −1) = 1 for A 2×2 with entries in [0, 1] fails at the swap [[0, 1], [1, 0]]
alone, (det A < 2) = 1 for 3×3 at three of the 512 vertices (det = 2), (det A < 2) = 1 with
entries in [−1, 1] at [[1, −1], [1, 1]]; each was "checked", the special points putting
every entry at one value at once.  Past enumeration a coordinate ascent over the vertices
finds the one where an alternating sum of 12 entries (or a 4×4 checkerboard) is largest.
Each counterexample is re-checked here in exact arithmetic, with its assumption.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy as sp

from verifier import verify
from verifier.domains import RANDOM_CORNERS, Domain, box_corners


def _matrix(r, name: str) -> sp.Matrix:
    return sp.Matrix([[Fraction(v) for v in row]
                      for row in r.verdict.counterexample.values[name]])


@pytest.mark.parametrize("n,lhs,box,det", [
    (2, "(det(A) > -1)", (0, 1), -1),
    (3, "(det(A) < 2)", (0, 1), 2),
    (2, "(det(A) < 2)", (-1, 1), 2),
])
def test_a_vertex_refutes_a_determinant_bound(n, lhs, box, det):
    r = verify(lhs, "1", symbols=f"A: matrix({n}, {n})", assume=[f"A in [{box[0]}, {box[1]}]"],
               expect="fails", timeout=60)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    a = _matrix(r, "A")
    assert all(box[0] <= e <= box[1] for e in a) and a.det() == det


@pytest.mark.parametrize("lhs,symbols,box,top", [
    ("(sum(x[i] * (-1) ** i, i) < 12)", "x: vector(12), i: index(12)", (-1, 1), 12),
    ("(sum(sum(A[i, j] * (-1) ** (i + j), i), j) < 8)",
     "A: matrix(4, 4), i: index(4), j: index(4)", (0, 1), 8),
])
def test_an_ascent_reaches_the_one_vertex_of_a_large_box(lhs, symbols, box, top):
    # one vertex of 4096 (of 65536): past enumeration, and random vertices miss it
    name = symbols[0]
    r = verify(lhs, "1", symbols=symbols, assume=[f"{name} in [{box[0]}, {box[1]}]"],
               expect="fails", timeout=60)
    assert r.verdict.status in ("refuted", "conditional"), r.verdict
    v = _matrix(r, name)
    signs = sp.Matrix(v.rows, v.cols, lambda i, j: (-1) ** (i + j))
    assert all(box[0] <= e <= box[1] for e in v)
    assert sum(a * b for a, b in zip(v, signs, strict=True)) == top


def test_the_bound_itself_is_not_refuted():
    r = verify("(det(A) >= -1)", "1", symbols="A: matrix(2, 2)", assume=["A in [0, 1]"],
               timeout=60)
    assert r.verdict.status in ("checked", "proved", "proved-at-sizes"), r.verdict


def test_corners_of_a_small_box_are_all_tried_and_open_ends_have_none():
    closed = Domain(Fraction(0), Fraction(1), open_lo=False, open_hi=False)
    corners = box_corners(closed, 4, random.Random(0))
    assert len({tuple(c) for c in corners}) == 16
    assert len({tuple(c) for c in box_corners(closed, 9, random.Random(0))}) == 512
    assert len(box_corners(closed, 16, random.Random(0))) == RANDOM_CORNERS
    assert box_corners(Domain(Fraction(0), Fraction(1), open_lo=True, open_hi=False), 4,
                       random.Random(0)) == []
