"""Size 1 after a proof at the default sizes (2 and 3).

min(x·Iₙ) is min(x, 0) for n ≥ 2 (the matrix has a 0 entry) but x at n = 1: proved at
n = 2, 3 and then checked at n = 4, 5, 6 only, it was "proved-at-sizes" though false.
"""

from __future__ import annotations

import sympy as sp

from verifier.claimfile import one_liner
from verifier.engine import Options, decide
from verifier.instantiate import larger_sizes


def test_min_of_a_scaled_identity_fails_at_size_one():
    claim = one_liner("min(eye(n) * x)", "min(x, 0)", "x: scalar, A: matrix(n, n)")
    v = decide(claim, Options(timeout=60, conditions=False)).verdict
    assert v.status == "refuted", v
    assert v.counterexample.sizes == {"n": 1}
    x = sp.Rational(v.counterexample.values["x"])
    assert x != min(x, 0)  # at n = 1 the left side is x itself


def test_larger_sizes_include_one_for_every_dimension():
    claim = one_liner("sum(A @ B)", "sum(B.T @ A.T)", "A: matrix(n, m), B: matrix(m, k)")
    sizes = larger_sizes(claim)
    assert {"n": 1, "m": 1, "k": 1} in sizes
    for d in ("n", "m", "k"):
        assert {e: (1 if e == d else 3) for e in ("n", "m", "k")} in sizes
