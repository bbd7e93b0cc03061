"""Batch normalisation (note 002, §3) and layer normalisation over a batch of feature vectors.

X is N × D (samples as rows). Batch norm takes statistics per feature (column), over the
batch; layer norm per sample (row), over the features; both with the biased variance (1/N or
1/D), as in training mode. Statistics of float32 data are accumulated in float64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._fast import fast
from ._validate import floats, hyper, require_ndim, require_samples

__all__ = [
    "BatchNormCache",
    "LayerNormCache",
    "batchnorm_backward",
    "batchnorm_forward",
    "layernorm_backward",
    "layernorm_forward",
]


def _check_affine(X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, size: int) -> None:
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p.shape != (size,):
            raise ValueError(
                f"X has shape {X.shape} but {name} has shape {p.shape}; "
                f"expected {name} of shape ({size},)"
            )


def _check_dout(dout: ArrayLike, xhat: np.ndarray) -> np.ndarray:
    (dout,) = floats(dout=dout)
    if dout.shape != xhat.shape:
        raise ValueError(
            f"the forward input had shape {xhat.shape} but dout has shape {dout.shape}; "
            f"expected dout of shape {xhat.shape}"
        )
    return dout.astype(xhat.dtype, copy=False)


def _normalise(X: np.ndarray, axis: int, eps: float) -> tuple[np.ndarray, ...]:
    """(x̂, μ, 1/√(σ² + ε)) along axis, in X's dtype: μ and σ² accumulated in float64 and
    rounded to X's dtype, x̂ = (X − μ)/√(σ² + ε).

    X − μ subtracts μ in two parts, its rounding to X's dtype and the rest: near μ the first
    difference is exact, so x̂ keeps its precision when |μ| ≫ σ (float32 data around 10⁴ with
    σ = 3 would otherwise lose 1e-4 of x̂ to the rounding of μ)."""
    mean64 = X.mean(axis=axis, dtype=np.float64, keepdims=True)
    mean = mean64.astype(X.dtype)
    xhat = X - mean
    xhat -= (mean64 - mean).astype(X.dtype)
    var = np.square(xhat).mean(axis=axis, dtype=np.float64, keepdims=True)
    inv_std = (1 / np.sqrt(var + eps)).astype(X.dtype)
    xhat *= inv_std
    return xhat, mean, inv_std


# ----- Batch normalisation -----


@dataclass(frozen=True)
class BatchNormCache:
    """What batchnorm_backward needs: its own x̂ (so later changes to X do not matter)."""

    xhat: np.ndarray  # x̂ = (X − μ)/√(σ² + ε), N × D
    mean: np.ndarray  # μ, (D,)
    gamma: np.ndarray  # scale, (D,)
    inv_std: np.ndarray  # 1/√(σ² + ε), (D,)


@implements(
    "normalization.batchnorm_mean_zero",
    "normalization.batchnorm_unit_variance",
    "normalization.batchnorm_forward_columns",
)
def batchnorm_forward(
    X: ArrayLike, gamma: ArrayLike, beta: ArrayLike, eps: float = 1e-5
) -> tuple[np.ndarray, BatchNormCache]:
    """x̂ᵢ = (xᵢ − μ)/√(σ² + ε),  outᵢ = γ ⊙ x̂ᵢ + β, with μ = (1/N)Σᵢ xᵢ, σ² = (1/N)Σᵢ (xᵢ − μ)².

    Each column of x̂ has mean 0 and variance σ²/(σ² + ε) (1 as ε → 0). Returns (out, cache)
    for batchnorm_backward.
    """
    X, gamma, beta = floats(X=X, gamma=gamma, beta=beta)
    require_ndim("X", X, 2, "samples as rows, N × D")
    require_samples("X", X)
    _check_affine(X, gamma, beta, X.shape[1])
    eps = hyper("eps", eps)
    gamma, beta = gamma.astype(X.dtype, copy=False), beta.astype(X.dtype, copy=False)
    if (done := fast("batchnorm_forward", X, gamma, beta, eps)) is not None:
        out, xhat, mean, inv_std = done
        return out, BatchNormCache(xhat, mean, gamma, inv_std)
    xhat, mean, inv_std = _normalise(X, 0, eps)
    return gamma * xhat + beta, BatchNormCache(xhat, mean[0], gamma, inv_std[0])


@implements("normalization.batchnorm_input_gradient")
def batchnorm_backward(
    dout: ArrayLike, cache: BatchNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂L/∂X, ∂L/∂γ, ∂L/∂β) from dout = ∂L/∂out, by the compact formula

    ∂L/∂β = Σᵢ doutᵢ,   ∂L/∂γ = Σᵢ doutᵢ ⊙ x̂ᵢ,
    ∂L/∂xᵢ = (γ/√(σ² + ε)) ⊙ (doutᵢ − (1/N)∂L/∂β − x̂ᵢ ⊙ (1/N)∂L/∂γ),

    the sums accumulated in float64.
    """
    xhat, gamma, inv_std = cache.xhat, cache.gamma, cache.inv_std
    dout = _check_dout(dout, xhat)
    if (done := fast("batchnorm_backward", dout, xhat, gamma, inv_std)) is not None:
        return done
    n = xhat.shape[0]
    dbeta = dout.sum(axis=0, dtype=np.float64)
    dgamma = (dout * xhat).sum(axis=0, dtype=np.float64)
    dX = (gamma * inv_std) * (dout - (dbeta / n).astype(xhat.dtype)
                              - xhat * (dgamma / n).astype(xhat.dtype))
    return dX, dgamma.astype(xhat.dtype), dbeta.astype(xhat.dtype)


# ----- Layer normalisation -----


@dataclass(frozen=True)
class LayerNormCache:
    """What layernorm_backward needs."""

    xhat: np.ndarray  # x̂ = (X − μ)/√(σ² + ε) per row, N × D
    gamma: np.ndarray  # scale, (D,)
    inv_std: np.ndarray  # 1/√(σ² + ε) per row, (N, 1)


@implements("normalization.layernorm_forward_row")
def layernorm_forward(
    X: ArrayLike, gamma: ArrayLike, beta: ArrayLike, eps: float = 1e-5
) -> tuple[np.ndarray, LayerNormCache]:
    """x̂ᵢ = (xᵢ − μᵢ)/√(σᵢ² + ε),  outᵢ = γ ⊙ x̂ᵢ + β, with μᵢ, σᵢ² the mean and biased variance
    of row i over its D features (torch.nn.functional.layer_norm over the last axis)."""
    X, gamma, beta = floats(X=X, gamma=gamma, beta=beta)
    require_ndim("X", X, 2, "samples as rows, N × D")
    _check_affine(X, gamma, beta, X.shape[1])
    if X.shape[1] == 0:
        raise ValueError(f"X has no features (shape {X.shape}); a row needs at least one")
    eps = hyper("eps", eps)
    gamma, beta = gamma.astype(X.dtype, copy=False), beta.astype(X.dtype, copy=False)
    if (done := fast("layernorm_forward", X, gamma, beta, eps)) is not None:
        out, xhat, inv_std = done
        return out, LayerNormCache(xhat, gamma, inv_std)
    xhat, _, inv_std = _normalise(X, 1, eps)
    out = gamma * xhat
    out += beta
    return out, LayerNormCache(xhat, gamma, inv_std)


@implements("normalization.layernorm_input_gradient")
def layernorm_backward(
    dout: ArrayLike, cache: LayerNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂L/∂X, ∂L/∂γ, ∂L/∂β): with ĝᵢ = γ ⊙ doutᵢ (per row, means over the D features),

    ∂L/∂xᵢ = (1/√(σᵢ² + ε)) (ĝᵢ − mean(ĝᵢ) − x̂ᵢ mean(ĝᵢ ⊙ x̂ᵢ)),
    ∂L/∂γ = Σᵢ doutᵢ ⊙ x̂ᵢ,   ∂L/∂β = Σᵢ doutᵢ.
    """
    xhat, gamma, inv_std = cache.xhat, cache.gamma, cache.inv_std
    dout = _check_dout(dout, xhat)
    if (done := fast("layernorm_backward", dout, xhat, gamma, inv_std)) is not None:
        return done
    d = xhat.shape[1]
    dout_xhat = dout * xhat
    mean_g = (dout @ gamma)[:, None] / d  # mean(ĝᵢ) = doutᵢ · γ / D
    mean_gx = (dout_xhat @ gamma)[:, None] / d  # mean(ĝᵢ ⊙ x̂ᵢ)
    dX = gamma * dout
    dX -= mean_g
    dX -= xhat * mean_gx
    dX *= inv_std
    dgamma = dout_xhat.sum(axis=0, dtype=np.float64).astype(xhat.dtype)
    return dX, dgamma, dout.sum(axis=0, dtype=np.float64).astype(xhat.dtype)
