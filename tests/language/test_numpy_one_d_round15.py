"""Round 15: two open items of round 14 on NumPy's 1-D arrays, each checked against NumPy.

* ``x @ x.T`` of a declared vector beside NumPy code: NumPy's ``x.T`` of a 1-D x is x, so
  ``x @ x.T`` is the inner product there (``np.eye(3) + x @ x.T`` adds a scalar to every
  entry), while in maths ``x xᵀ`` is the outer product.  Where the side is NumPy code
  (``np.``, ``torch.``, ``axis=``, a method such as ``.sum(``) it is refused with both
  spellings; written as maths it stays the outer product (round 14's reading, that 183
  claims of tests/claims use).  Before round 15 it was read as the outer product everywhere.
* ``X.mean(axis=0) == np.ones(N) @ X / N``: both are the one 1-D array of NumPy; the language
  read the first as a 1×d row and the second as a d×1 column and refuted the claim on its
  shapes.  Where a side is NumPy code the row is now read as its column (compared entry by
  entry, as NumPy does); written as maths, a row against a column stays a mismatch."""

from __future__ import annotations

import numpy as np
import pytest
from readings import read, refusal

from verifier import verify
from verifier.claimfile import declare_symbols
from verifier.language import scope_of

SCOPE = scope_of(declare_symbols("x: vector(n), y: vector(n), A: matrix(n, n)"))


def test_numpy_itself_reads_x_at_x_t_of_a_1d_x_as_the_inner_product() -> None:
    x = np.array([1.0, 2.0, 3.0])
    assert np.ndim(x @ x.T) == 0 and float(x @ x.T) == 14.0


@pytest.mark.parametrize("written", ["np.eye(n) + x @ x.T", "torch.sum(x @ y.T)",
                                     "A + x @ y.T + np.zeros((n, n))"])
def test_x_at_x_t_beside_numpy_code_is_refused(written: str) -> None:
    says = refusal(written, SCOPE)
    assert "in NumPy" in says and "the inner product" in says and "np.outer(" in says


@pytest.mark.parametrize(("written", "plain"), [
    ("A + x @ x.T", "A + x @ x.T"),  # maths: the outer product, as before
    ("np.outer(x, y)", "x @ y.T"), ("np.eye(n) + np.outer(x, x)", "eye(n) + x @ x.T"),
    ("x @ x", "x.T @ x"),
])
def test_the_other_spellings_keep_their_reading(written: str, plain: str) -> None:
    assert read(written, SCOPE) == read(plain, SCOPE)


def test_numpy_itself_compares_a_column_mean_with_ones_at_x() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 3))
    assert np.allclose(X.mean(axis=0), np.ones(4) @ X / 4)


@pytest.mark.parametrize(("lhs", "rhs", "status"), [
    ("X.mean(axis=0)", "np.ones(N) @ X / N", "proved"),
    ("X.sum(axis=0)", "X.T @ np.ones(N)", "proved"),
    ("np.sum(X, axis=0)", "2 * X.T @ np.ones(N)", "refuted"),  # the shapes agree, not values
])
def test_a_row_against_a_column_in_numpy_code_is_compared_entry_by_entry(
        lhs: str, rhs: str, status: str) -> None:
    result = verify(lhs, rhs, symbols="X: matrix(N, d)", timeout=20)
    assert result.verdict.status == status, result.verdict
    assert result.verdict.method != "check_shapes"


def test_a_row_against_a_column_written_as_maths_stays_a_mismatch() -> None:
    result = verify("ones(N).T @ X / N", "X.T @ ones(N) / N", symbols="X: matrix(N, d)",
                    timeout=20)
    assert result.verdict.status == "refuted" and result.verdict.method == "check_shapes"
