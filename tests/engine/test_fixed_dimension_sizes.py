"""A fixed dimension in a symbol's shape caps a rank until a named dimension reaches it.

det(XᵀX) = 0 with X: matrix(n, 7) holds at every n < 7 (XᵀX is 7×7 of rank n) and fails
from n = 7 on; the proof sizes (n = 2, 3) and the larger sizes (up to 6) all lie below it, so
the claim was "checked".  The larger sizes now include each fixed dimension past them.  The
counterexample is re-checked here in exact arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from verifier import verify
from verifier.api import as_entry
from verifier.instantiate import larger_sizes


def test_larger_sizes_reach_a_fixed_dimension():
    sizes = larger_sizes(as_entry("det(X.T @ X)", "0", symbols="X: matrix(n, 7)"))
    assert {"n": 7} in sizes
    wide = larger_sizes(as_entry("det(X @ X.T)", "0", symbols="X: matrix(9, n)"))
    assert {"n": 9} in wide


def test_rank_capped_by_a_fixed_dimension_is_refuted_past_it():
    r = verify("det(X.T @ X)", "0", symbols="X: matrix(n, 7)", timeout=20)
    assert r.verdict.status == "refuted", r.verdict
    x = sp.Matrix([[Fraction(v) for v in row] for row in r.verdict.counterexample.values["X"]])
    assert x.shape[0] >= 7 and x.shape[1] == 7
    assert (x.T * x).det(method="berkowitz") != 0


def test_a_fixed_dimension_within_the_larger_sizes_adds_nothing():
    assert all(s["n"] <= 6 for s in larger_sizes(as_entry("sum(X)", "0",
                                                          symbols="X: matrix(n, 3)")))
