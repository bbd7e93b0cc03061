"""Fast batch and layer normalisation, x̂ recomputed from X in the backward pass.

Batch norm: the statistics in one read of X and the output in a second; backward, the sums
in one read of X and dout and dX in a second. Layer norm: each row's statistics, output and
gradient while the row is in cache (one read of X forward; one read of X and dout backward).
"""

from __future__ import annotations

import numpy as np

from ._compiled import chunks, kernels

__all__ = ["batchnorm_backward", "batchnorm_forward", "layernorm_backward", "layernorm_forward"]

# Rows of statistics read per block: about 256 KiB, so the second read of a block hits L2,
# and at most 256, so a block's float32 sums run over few terms (the merge is in float64).
BLOCK_BYTES, BLOCK_ROWS = 1 << 18, 256


def batchnorm_forward(X, gamma, beta, eps: float):
    """(out, μ rounded to X's dtype, the rest of μ, 1/√(σ² + ε)), or None without the
    kernels."""
    k = kernels(X, gamma, beta)
    if k is None:
        return None
    out = np.empty_like(X)
    block = max(1, min(BLOCK_ROWS, BLOCK_BYTES // max(1, X.shape[1] * X.itemsize)))
    mean, rest, inv_std = k.batchnorm_forward(X, gamma, beta, eps, out, chunks(len(X)), block)
    return out, mean, rest, inv_std


def batchnorm_backward(dout, X, mean, rest, gamma, inv_std):
    """(dX, dγ, dβ, each column's mean of x̂, and of x̂²), or None without the kernels."""
    k = kernels(dout, X, mean, rest, gamma, inv_std)
    if k is None:
        return None
    dX = np.empty_like(X)
    dgamma, dbeta, mean_h, mean_hh = k.batchnorm_backward(dout, X, mean, rest, gamma, inv_std,
                                                          dX, chunks(len(dX)))
    return dX, dgamma, dbeta, mean_h, mean_hh


def layernorm_forward(X, gamma, beta, eps: float):
    """(out, μ rounded to X's dtype, the rest of μ, 1/√(σ² + ε)), each statistic per row as
    (N, 1), or None without the kernels."""
    k = kernels(X, gamma, beta)
    if k is None:
        return None
    out = np.empty_like(X)
    mean, rest, inv_std = (np.empty((X.shape[0], 1), X.dtype) for _ in range(3))
    k.layernorm_forward(X, gamma, beta, eps, out, mean, rest, inv_std)
    return out, mean, rest, inv_std


def layernorm_backward(dout, X, mean, rest, gamma, inv_std):
    """(dX, dγ, dβ, each row's mean of x̂, and of x̂²), or None without the kernels."""
    k = kernels(dout, X, mean, rest, gamma, inv_std)
    if k is None:
        return None
    dX, moments = np.empty_like(X), np.empty((X.shape[0], 2))
    dgamma, dbeta = k.layernorm_backward(dout, X, mean, rest, gamma, inv_std, dX, moments,
                                         chunks(len(dX)))
    return dX, dgamma, dbeta, moments[:, 0], moments[:, 1]
