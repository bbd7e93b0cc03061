"""SymPy 1.14 differentiates some products of X and Xᵀ (‖XᵀX − I‖², tr((XXᵀ + A)²)) through
its array expressions and builds a MatMul holding an ArrayAdd, a use of Mul it has deprecated
(SymPyDeprecationWarning, 8 of them in the derive tests).  ops.grad gives the general form up
there instead of relying on it; such claims are still proved by the other strategies."""

from __future__ import annotations

import warnings

import pytest
from sympy.utilities.exceptions import SymPyDeprecationWarning

from verifier import verify


@pytest.mark.parametrize("lhs, rhs", [
    ("grad(norm(X.T @ X - eye(n))**2, X)", "4 * X @ (X.T @ X - eye(n))"),
    ("grad(trace((X @ X.T + A) @ (X @ X.T + A)), X)", "2 * (X @ X.T + A + (X @ X.T + A).T) @ X"),
])
def test_no_deprecated_sympy_form_and_still_proved(lhs, rhs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = verify(lhs, rhs, symbols="X: matrix(n, n), A: matrix(n, n)")
    assert r.verdict.status == "proved", r.verdict
    assert not [w for w in caught if issubclass(w.category, SymPyDeprecationWarning)]
