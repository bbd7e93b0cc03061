"""Determinants of Kronecker products: det(F₁ ⊗ F₂) = det(F₁)^m det(F₂)^n for square F₁ (n×n)
and F₂ (m×m), so det(A ⊗ A) = det(A)^(2n) ≥ 0 in general dimension (prove_nonnegative).
It was only "checked", after prove_at_sizes had spent its budget on a symbolic 9×9
determinant (77 s on a loaded machine at a 30 s timeout). False neighbours, each decided by
hand at n = m = 1 (a 1×1 Kronecker product is the product of the numbers), must not be
proved: det(A ⊗ B) = ab, det(−A ⊗ A) = −a², det(AAᵀ ⊗ B) = a²b, det(I₃ ⊗ A) = det(A)³."""

from __future__ import annotations

import pytest

from verifier.api import as_entry
from verifier.strategies import prove_nonnegative
from verifier.strategies.context import Context

ONE = "A: matrix(n,n)"
TWO = "A: matrix(n,n); B: matrix(m,m)"

PROVED = [
    ("(det(kron(A, A)) >= 0)", ONE, ()),
    ("(det(kron(A.T, A)) >= 0)", ONE, ()),
    ("(det(kron(A @ A.T, B @ B.T)) >= 0)", TWO, ()),
    ("(det(kron(A @ A.T, B @ B.T)) > 0)", TWO, ("A invertible", "B invertible")),
    # det(A)^(2n) > 0: an even power of a nonzero det
    ("(det(kron(A, A)) > 0)", ONE, ("A invertible",)),
    ("(det(kron(A.T, A)) > 0)", ONE, ("det(A) nonzero",)),
]

NOT_PROVED = [
    ("(det(kron(A, B)) >= 0)", TWO, ()),  # A = −1, B = 1
    ("(det(kron(-A, A)) >= 0)", ONE, ()),  # A = 1: −1
    ("(det(kron(A @ A.T, B)) >= 0)", TWO, ()),  # A = 1, B = −1
    ("(det(kron(A, B @ B.T)) >= 0)", TWO, ()),  # A = −1, B = 1
    ("(det(kron(A @ A.T, B @ B.T)) > 0)", TWO, ("A invertible",)),  # B singular
    ("(det(kron(A, A)) > 0)", ONE, ("A positive",)),  # A = [[1, 1], [1, 1]]: det 0
    ("(det(kron(A, B)) > 0)", TWO, ("A invertible", "B invertible")),  # A = 1, B = -1
]



def _proof(claim: str, symbols: str, assume: tuple[str, ...]):
    """prove_nonnegative's verdict on the claim (None: no certificate)."""
    entry = as_entry(claim, "1", symbols=symbols, assume=list(assume))
    return prove_nonnegative(Context(entry, seed=0, budget=10))


@pytest.mark.parametrize(("claim", "symbols", "assume"), PROVED)
def test_kronecker_determinant_proved_in_general(claim, symbols, assume) -> None:
    v = _proof(claim, symbols, assume)
    assert v is not None and v.status == "proved", v


@pytest.mark.parametrize(("claim", "symbols", "assume"), NOT_PROVED)
def test_false_kronecker_determinant_not_certified(claim, symbols, assume) -> None:
    assert _proof(claim, symbols, assume) is None
