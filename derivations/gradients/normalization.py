"""Batch normalisation over a batch of feature vectors (note 002, §3).

X is N × D (samples as rows); statistics are per feature (column), over the
batch, with the biased variance (1/N), as in training mode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._compiled import chunks, kernels
from ._validate import floats, require_ndim

__all__ = ["BatchNormCache", "batchnorm_backward", "batchnorm_forward"]


# Rows of statistics read per block: about 256 KiB, so the second read of a block hits L2,
# and at most 256, so a block's float32 sums run over few terms (the merge is in float64).
_BLOCK_BYTES, _BLOCK_ROWS = 1 << 18, 256


@dataclass(frozen=True)
class BatchNormCache:
    """What batchnorm_backward needs. It holds the forward's input X itself, not a copy (as
    PyTorch's autograd does): x̂ is recomputed from X as the backward reads it, which saves
    writing and reading an N × D array. Do not modify X in place before the backward."""

    x: np.ndarray  # the forward's input, N × D
    mean: np.ndarray  # μ, (D,)
    gamma: np.ndarray  # scale, (D,)
    inv_std: np.ndarray  # 1/√(σ² + ε), (D,)

    @property
    def xhat(self) -> np.ndarray:
        """x̂ = (X − μ)/√(σ² + ε), N × D (a new array each time)."""
        xhat = self.x - self.mean
        xhat *= self.inv_std
        return xhat


def batchnorm_forward(
    X: ArrayLike, gamma: ArrayLike, beta: ArrayLike, eps: float = 1e-5
) -> tuple[np.ndarray, BatchNormCache]:
    """x̂ᵢ = (xᵢ − μ)/√(σ² + ε),  outᵢ = γ ⊙ x̂ᵢ + β, with μ = (1/N)Σᵢ xᵢ, σ² = (1/N)Σᵢ (xᵢ − μ)².

    Each column of x̂ has mean 0 and variance σ²/(σ² + ε) (1 as ε → 0).
    Returns (out, cache) for batchnorm_backward; the cache holds X itself, not a copy, so
    X must not be modified in place before the backward (cache.xhat gives x̂).

    Claims: normalization.batchnorm_mean_zero, normalization.batchnorm_unit_variance,
    normalization.batchnorm_forward_columns
    """
    X, gamma, beta = floats(X=X, gamma=gamma, beta=beta)
    require_ndim("X", X, 2, "samples as rows, N × D")
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (X.shape[1],):
            raise ValueError(
                f"X has shape {X.shape} but {name} has shape {p.shape}; "
                f"expected {name} of shape ({X.shape[1]},)"
            )
    k = kernels(X, gamma, beta)
    if k is not None:  # the statistics in one read of X, the output in another, on all cores
        out = np.empty_like(X)
        block = max(1, min(_BLOCK_ROWS, _BLOCK_BYTES // (X.shape[1] * X.itemsize)))
        mean, inv_std = k.batchnorm_forward(X, gamma, beta, eps, out, chunks(X.shape[0]), block)
        return out, BatchNormCache(X, mean, gamma, inv_std)
    n = X.shape[0]
    mean = X.mean(axis=0)
    xhat = X - mean
    var = np.einsum("ij,ij->j", xhat, xhat)  # Σ(x − μ)² without an N × D temporary
    var *= 1 / n
    var += eps
    inv_std = np.sqrt(var, out=var)
    np.reciprocal(inv_std, out=inv_std)
    xhat *= inv_std
    out = xhat * gamma
    out += beta
    return out, BatchNormCache(X, mean, gamma, inv_std)


def batchnorm_backward(
    dout: ArrayLike, cache: BatchNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂L/∂X, ∂L/∂γ, ∂L/∂β) from dout = ∂L/∂out, by the compact formula

    ∂L/∂β = Σᵢ doutᵢ,   ∂L/∂γ = Σᵢ doutᵢ ⊙ x̂ᵢ,
    ∂L/∂xᵢ = (γ/√(σ² + ε)) ⊙ (doutᵢ − (1/N)∂L/∂β − x̂ᵢ ⊙ (1/N)∂L/∂γ).

    Claims: normalization.batchnorm_input_gradient
    """
    X, gamma, inv_std = cache.x, cache.gamma, cache.inv_std
    (dout,) = floats(dout=dout)
    if dout.shape != X.shape:
        raise ValueError(
            f"the forward input had shape {X.shape} but dout has shape {dout.shape}; "
            f"expected dout of shape {X.shape}"
        )
    dout = dout.astype(X.dtype, copy=False)
    k = kernels(dout, X, cache.mean, gamma, inv_std)
    if k is not None:  # x̂ recomputed from X in both passes
        dX = np.empty_like(X)
        dgamma, dbeta = k.batchnorm_backward(
            dout, X, cache.mean, gamma, inv_std, dX, chunks(len(dX))
        )
        return dX, dgamma, dbeta
    xhat = cache.xhat
    n = xhat.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = np.einsum("ij,ij->j", dout, xhat)
    dX = xhat * (dgamma * (-1 / n))
    dX += dout
    dX -= dbeta * (1 / n)
    dX *= gamma * inv_std
    return dX, dgamma, dbeta
