"""Round 15: Einstein's convention (an index repeated in a product, summed without a Σ) is
refused with the Σ to write.  The language reads a free index as every value, so before
round 15 A_{ij} x_j = (A x)_i was claimed for every i and j and refuted, where its writer
meant Σ_j A_ij x_j = (Ax)_i, which is true: a wrong verdict on a correctly meant claim.  An
index that stands once, or free on both sides, keeps its reading (for every value)."""

from __future__ import annotations

import pytest

from verifier import verify
from verifier.language import ClaimInputError

SYMBOLS = "A: matrix(n, n), x: vector(n), y: vector(n), z: vector(n), i: index(n), j: index(n)"


@pytest.mark.parametrize(("lhs", "rhs", "index"), [
    ("A_{ij} x_j", "(A x)_i", "j"), ("x_i y_i", "x^T y", "i"),
    ("x^T y", "x[i] * y[i]", "i"), ("A_{ij} A_{ij}", "‖A‖_F²", "i"),
])
def test_an_index_summed_without_a_sigma_is_refused(lhs: str, rhs: str, index: str) -> None:
    with pytest.raises(ClaimInputError) as info:
        verify(lhs, rhs, symbols=SYMBOLS)
    message = str(info.value)
    assert f"{index} is repeated in a product" in message
    assert f"sum(..., {index})" in message and f"\\sum_{index}" in message


@pytest.mark.parametrize(("lhs", "rhs", "status"), [
    ("x_i y_i", "y_i x_i", "proved"), ("x_i * x_i", "x_i ** 2", "proved"),
    (r"\sum_j A_{ij} x_j", "(A x)_i", "proved"), ("softmax(z)_i", "softmax(z)_i * 1", "proved"),
    ("x_i y_j", "y_j x_i", "proved"),
    # an index inside functions of one product is every value, as written: not Einstein's
    # (σ(z_i)(1 − σ(z_i)) ≤ 1/4 too; slower to decide)
    ("exp(z_i) exp(-z_i)", "1", "proved"),
])
def test_an_index_once_or_free_on_both_sides_keeps_its_reading(lhs: str, rhs: str,
                                                                status: str) -> None:
    assert verify(lhs, rhs, symbols=SYMBOLS, timeout=20).verdict.status == status
