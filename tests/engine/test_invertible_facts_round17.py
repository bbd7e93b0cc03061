"""What prove_nonnegative takes as an invertible matrix: one assumed invertible or
orthogonal, or whose det is assumed nonzero (positive, negative) — never a matrix whose
ENTRIES are assumed nonzero, positive or negative. "A positive" (every entry) was read as
"det(A) positive" (the name's function was checked only in compound assumptions), so
det(A Aᵀ) > 0 was proved with A = [[1, 1], [1, 1]] allowed (det 0), and so were the norm
certificates ‖Ax‖ > 0 with x nonzero (x = (1, −1) there). Each false claim below was
decided by hand at that A; each true one holds as det(A) ≠ 0 makes A Aᵀ positive
definite."""

from __future__ import annotations

import pytest

from verifier.api import as_entry
from verifier.strategies import prove_nonnegative
from verifier.strategies.context import Context

A = "A: matrix(n,n)"
XA = "x: vector(n); A: matrix(n,n)"

FALSE = [
    ("(det(A @ A.T) > 0)", A, ("A nonzero elementwise",)),
    ("(det(A @ A.T) > 0)", A, ("A positive",)),
    ("(det(A @ A.T) > 0)", A, ("A negative",)),
    ("(x.T @ A.T @ A @ x > 0)", XA, ("x nonzero", "A positive")),
    ("(x.T @ A.T @ A @ x > 0)", XA, ("x positive", "A nonzero elementwise")),
]

TRUE = [
    ("(det(A @ A.T) > 0)", A, ("det(A) nonzero",)),
    ("(det(A @ A.T) > 0)", A, ("det(A) positive",)),
    ("(det(A @ A.T) > 0)", A, ("A invertible",)),
    ("(x.T @ A.T @ A @ x > 0)", XA, ("x nonzero", "A invertible")),
    ("(x.T @ A.T @ A @ x > 0)", XA, ("x positive", "det(A) negative")),
]



def _proof(claim: str, symbols: str, assume: tuple[str, ...]):
    """prove_nonnegative's verdict on the claim (None: no certificate)."""
    entry = as_entry(claim, "1", symbols=symbols, assume=list(assume))
    return prove_nonnegative(Context(entry, seed=0, budget=10))


@pytest.mark.parametrize(("claim", "symbols", "assume"), FALSE)
def test_entrywise_signs_do_not_make_a_matrix_invertible(claim, symbols, assume) -> None:
    assert _proof(claim, symbols, assume) is None


@pytest.mark.parametrize(("claim", "symbols", "assume"), TRUE)
def test_invertible_by_assumption_still_proved(claim, symbols, assume) -> None:
    v = _proof(claim, symbols, assume)
    assert v is not None and v.status == "proved", v
