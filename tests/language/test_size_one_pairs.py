"""Two-argument element-wise operations of vectors at size 1 stay columns: max(w, q) and
w > q of two 1 × 1 values came back as scalars, and x / max(w, q) then failed to build at
n = 1 ('element-wise operation on a general-size matrix')."""

from __future__ import annotations

import pytest

from verifier import verify

SYMBOLS = "w: vector(n), q: vector(n), x: vector(n)"


@pytest.mark.parametrize("lhs, rhs", [
    ("x / max(w, q)", "x / max(q, w)"),
    ("x * min(w, q)", "min(q, w) * x"),
    ("(w > q) / exp(x)", "(q < w) * exp(-x)"),
])
@pytest.mark.parametrize("n", [1, 2])
def test_pairs_at_size_one_are_columns(lhs, rhs, n):
    r = verify(lhs, rhs, symbols=SYMBOLS, sizes=[{"n": n}])
    assert r.verdict.status in ("proved", "proved-at-sizes"), str(r)
