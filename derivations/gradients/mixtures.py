"""Gaussian mixture densities (note 003, "Gaussian mixture model").

X is N × d (samples as rows); a mixture of K components has weights φ (K,)
with φⱼ ≥ 0 and Σⱼ φⱼ = 1, means μ (K, d) and full covariances Σ (K, d, d),
each symmetric positive definite. Densities are evaluated in log space through
the Cholesky factor Σⱼ = LⱼLⱼᵀ and combined with log-sum-exp, so tiny
densities do not underflow to log 0.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._validate import floats, require_ndim

__all__ = ["gmm_log_likelihood", "gmm_responsibilities"]


def _check(X, weights, means, covariances):
    X, weights, means, covariances = floats(
        X=X, weights=weights, means=means, covariances=covariances
    )
    require_ndim("X", X, 2, "samples as rows, N × d")
    require_ndim("weights", weights, 1, "K mixture weights")
    d, k = X.shape[1], weights.shape[0]
    if means.shape != (k, d):
        raise ValueError(
            f"X has shape {X.shape} and weights has shape {weights.shape} but means has "
            f"shape {means.shape}; expected means of shape {(k, d)}"
        )
    if covariances.shape != (k, d, d):
        raise ValueError(
            f"X has shape {X.shape} and weights has shape {weights.shape} but covariances "
            f"has shape {covariances.shape}; expected covariances of shape {(k, d, d)}"
        )
    if np.any(weights < 0):
        raise ValueError(f"weights must be non-negative; got min {weights.min()}")
    total = weights.sum()
    tol = np.sqrt(np.finfo(weights.dtype).eps)  # room for rounding in user-made weights
    if not abs(total - 1) <= tol:
        raise ValueError(f"weights must sum to 1 (within {tol:.1e}); got sum {total}")
    return X, weights, means, covariances


def _log_joint(X, weights, means, covariances) -> tuple[np.ndarray, np.ndarray]:
    """log φⱼ + log 𝒩(xᵢ | μⱼ, Σⱼ) as (a, shift): a (N, K) plus shift (N, 1).

    shift is each row's −½ min_j Mahalanobis²; taking it out before the
    constants are added keeps far-away points accurate in float32, where the
    raw log densities (≈ −10⁶) have a spacing of 0.06.
    """
    try:
        L = np.linalg.cholesky(covariances)  # (K, d, d), batched over components
    except np.linalg.LinAlgError:
        bad = next(j for j, c in enumerate(covariances) if np.linalg.eigvalsh(c).min() <= 0)
        raise ValueError(
            f"covariances[{bad}] is not positive definite; every covariance must be "
            "symmetric positive definite"
        ) from None
    d = X.shape[1]
    diff = X[None, :, :] - means[:, None, :]  # (K, N, d)
    z = np.linalg.solve(L, diff.transpose(0, 2, 1))  # Lⱼ⁻¹(xᵢ − μⱼ): (K, d, N)
    maha = np.einsum("kdn,kdn->nk", z, z)
    closest = maha.min(axis=1, keepdims=True)
    maha -= closest
    half_logdet = np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1)  # ½ log det Σⱼ
    with np.errstate(divide="ignore"):  # φⱼ = 0 gives log 0 = −∞: that component drops out
        log_w = np.log(weights)
    const = log_w - half_logdet - 0.5 * d * math.log(2 * math.pi)  # Python float: no upcast
    return const - 0.5 * maha, -0.5 * closest


def _logsumexp_rows(a: np.ndarray) -> np.ndarray:
    m = a.max(axis=1, keepdims=True)
    return np.log(np.exp(a - m).sum(axis=1, keepdims=True)) + m


@implements(
    "probability.gmm_weights_sum_to_one",
    "probability.gmm_log_likelihood",
    "probability.gmm_total_log_likelihood",
)
def gmm_log_likelihood(
    X: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike
) -> np.floating:
    """ℓ = Σᵢ log Σⱼ φⱼ 𝒩(xᵢ | μⱼ, Σⱼ), the total (not mean) log-likelihood of the sample.

    𝒩(x | μ, Σ) = (2π)^{−d/2} det(Σ)^{−1/2} exp(−½(x − μ)ᵀΣ⁻¹(x − μ)).
    The weights must be a probability vector (φⱼ ≥ 0, Σⱼ φⱼ = 1; ValueError otherwise).
    """
    a, shift = _log_joint(*_check(X, weights, means, covariances))
    return (_logsumexp_rows(a) + shift).sum()


@implements(
    "probability.gmm_weights_sum_to_one",
    "probability.gmm_responsibilities_sum_to_one",
    "probability.gmm_responsibilities",
)
def gmm_responsibilities(
    X: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike
) -> np.ndarray:
    """γᵢⱼ = φⱼ𝒩(xᵢ | μⱼ, Σⱼ) / Σₗ φₗ𝒩(xᵢ | μₗ, Σₗ) = P(zᵢ = j | xᵢ); shape (N, K).

    Each row sums to 1. Arguments as for gmm_log_likelihood.
    """
    a, _ = _log_joint(*_check(X, weights, means, covariances))
    a -= _logsumexp_rows(a)
    return np.exp(a, out=a)
