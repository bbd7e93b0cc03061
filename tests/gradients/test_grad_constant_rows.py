"""A constant row (layer norm) or column (batch norm) is normalised to exactly 0, as torch's
layer_norm gives, in float64 too: its first mean rounds (7 · (1e8 + 0.1) / 7 is 1e8 + 0.1 off
by an ulp), and x − μ = ±ulp divided by √(0 + ε) gave x̂ = −4.7e-6 where torch gives 0. One
refinement of the mean by the mean of x − μ recovers the exact value."""

from __future__ import annotations

import numpy as np
import pytest

import derivations.gradients as G


@pytest.mark.parametrize("value", [1e8 + 0.1, -123456.789, 3.3, 1e15 / 3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("d", [7, 33, 1000])
def test_layernorm_of_a_constant_row_is_zero(value, dtype, d):
    X = np.full((3, d), value, dtype)
    out, cache = G.layernorm_forward(X)
    assert np.array_equal(out, np.zeros_like(X)), np.abs(out).max()
    dX, _, _ = G.layernorm_backward(np.ones_like(X), cache)
    assert np.array_equal(dX, np.zeros_like(X)), np.abs(dX).max()  # ĝ − mean ĝ = 0, x̂ = 0


def test_layernorm_of_varying_rows_is_unchanged_by_the_refinement():
    # the refinement moves the mean by rounding only: a row with spread is normalised as before
    rng = np.random.default_rng(3)
    X = 1e8 + rng.standard_normal((4, 50))
    out, _ = G.layernorm_forward(X)
    L = X.astype(np.longdouble)  # 64-bit mantissa: the reference's own rounding far below
    mu = L.mean(axis=1, keepdims=True)
    ref = (L - mu) / np.sqrt(((L - mu) ** 2).mean(axis=1, keepdims=True) + 1e-5)
    # float64 holds μ ≈ 1e8 to half an ulp (7.5e-9), so x − μ, and x̂ with σ ≈ 1, to about that
    np.testing.assert_allclose(out, ref.astype(np.float64), rtol=0, atol=2e-8)
