"""Batch normalisation: the claimed statistics, a loop reference, dtypes, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import derivations.gradients as G
from derivations.gradients._fast import normalization


@pytest.mark.parametrize("n,d", [(2, 1), (5, 3), (16, 4)])
def test_forward_matches_loops_and_claims(n, d, rng):
    X = rng.standard_normal((n, d)) * 3 + 2
    gamma, beta = rng.standard_normal(d), rng.standard_normal(d)
    out, cache = G.batchnorm_forward(X, gamma, beta, eps=1e-5)
    for j in range(d):
        col = [X[i, j] for i in range(n)]
        mu = sum(col) / n
        var = sum((v - mu) ** 2 for v in col) / n
        for i in range(n):
            xhat = (col[i] - mu) / math.sqrt(var + 1e-5)
            assert np.isclose(cache.xhat[i, j], xhat, rtol=1e-12, atol=1e-14)
            assert np.isclose(out[i, j], gamma[j] * xhat + beta[j], rtol=1e-12, atol=1e-14)
        # x̂ has mean 0 and variance σ²/(σ² + ε)
        assert abs(cache.xhat[:, j].mean()) < 1e-12
        assert np.isclose(cache.xhat[:, j].var(), var / (var + 1e-5), rtol=1e-12)


def test_statistics_of_many_blocks_are_stable(rng, monkeypatch):
    # The compiled forward reads each block of rows once and merges the blocks' moments
    # (Chan et al.); a 3-row block gives many blocks per chunk and a short last one. A
    # float32 column at 10⁴ ± 1 defeats the one-pass E[x²] − μ² (it would be pure rounding).
    monkeypatch.setattr(normalization, "BLOCK_BYTES", 3 * 5 * 4)
    X = (rng.standard_normal((101, 5)) + 1e4).astype(np.float32)
    _, cache = G.batchnorm_forward(X, np.ones(5, np.float32), np.zeros(5, np.float32))
    X64 = X.astype(np.float64)
    np.testing.assert_allclose(cache.mean, X64.mean(0), rtol=1e-6)
    np.testing.assert_allclose(cache.inv_std, 1 / np.sqrt(X64.var(0) + 1e-5), rtol=1e-4)


def test_statistics_of_a_long_narrow_batch_are_accurate(rng):
    # One float32 column of 2²¹ rows: the compiled forward sums at most 256 rows per block in
    # float32 and merges the blocks in float64 (measured: at most 6e-8 relative error of the mean;
    # 9e-7 with a block of 256 KiB, 65 536 rows of one column; 6e-6 summing in float32).
    X = (1 + 0.1 * rng.standard_normal((1 << 21, 1))).astype(np.float32)
    _, cache = G.batchnorm_forward(X, np.ones(1, np.float32), np.zeros(1, np.float32))
    X64 = X.astype(np.float64)
    np.testing.assert_allclose(cache.mean, X64.mean(0), rtol=2e-7)
    np.testing.assert_allclose(cache.inv_std, 1 / np.sqrt(X64.var(0) + 1e-5), rtol=1e-5)


def test_backward_matches_unsimplified_chain_rule(rng):
    # ∂L/∂x through μ and σ² separately (the long form) equals the compact formula
    n, d, eps = 6, 3, 1e-5
    X, gamma, up = rng.standard_normal((n, d)), rng.standard_normal(d), rng.standard_normal((n, d))
    _, cache = G.batchnorm_forward(X, gamma, np.zeros(d), eps)
    dX, dgamma, dbeta = G.batchnorm_backward(up, cache)
    mu, var = X.mean(0), X.var(0)
    dxhat = up * gamma
    dvar = np.sum(dxhat * (X - mu), 0) * -0.5 * (var + eps) ** -1.5
    dmu = np.sum(-dxhat / np.sqrt(var + eps), 0) + dvar * np.mean(-2 * (X - mu), 0)
    ref = dxhat / np.sqrt(var + eps) + dvar * 2 * (X - mu) / n + dmu / n
    np.testing.assert_allclose(dX, ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dbeta, up.sum(0))
    np.testing.assert_allclose(dgamma, (up * cache.xhat).sum(0))
    np.testing.assert_allclose(dX.sum(0), 0, atol=1e-12)  # shifting x does not change out


def test_float32_stays_float32(rng):
    X = rng.standard_normal((8, 3)).astype(np.float32)
    g, b = np.ones(3, np.float32), np.zeros(3, np.float32)
    out, cache = G.batchnorm_forward(X, g, b)
    stats = (cache.xhat, cache.mean, cache.gamma, cache.inv_std)
    assert out.dtype == np.float32 and all(a.dtype == np.float32 for a in stats)
    assert all(a.dtype == np.float32 for a in G.batchnorm_backward(X, cache))


def test_constant_column_is_finite():
    X = np.full((4, 2), 1000.0, np.float32)
    out, cache = G.batchnorm_forward(X, np.ones(2), np.zeros(2))
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(G.batchnorm_backward(out, cache)[0]))


def test_errors():
    with pytest.raises(ValueError, match=r"X has shape \(4, 3\) but gamma has shape \(2,\)"):
        G.batchnorm_forward(np.ones((4, 3)), np.ones(2), np.ones(3))
    _, cache = G.batchnorm_forward(np.arange(12.0).reshape(4, 3), np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"dout has shape \(3, 3\); expected dout of shape"):
        G.batchnorm_backward(np.ones((3, 3)), cache)
