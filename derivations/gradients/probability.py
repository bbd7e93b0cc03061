"""The Kullback–Leibler divergence between rows of probability vectors (as PyTorch's kl_div)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._validate import floats, require_ndim, require_samples

__all__ = ["kl_divergence", "kl_divergence_grad"]


def _check(P: ArrayLike, log_Q: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    P, log_Q = floats(P=P, log_Q=log_Q)
    require_ndim("log_Q", log_Q, 2, "log-probabilities, N × C")
    require_samples("log_Q", log_Q)
    if P.shape != log_Q.shape:
        raise ValueError(
            f"log_Q has shape {log_Q.shape} but P has shape {P.shape}; expected P of shape "
            f"{log_Q.shape}"
        )
    if np.any(P < 0):  # most often log-probabilities passed first, in torch's kl_div order
        raise ValueError(
            f"P holds probabilities and must be ≥ 0; got min {P.min()}. The order is "
            "(P, log_Q), targets first; torch's kl_div(input, target) takes (log_Q, P)"
        )
    return P, log_Q


@implements("probability.kl_divergence_as_cross_entropy_minus_entropy")
def kl_divergence(P: ArrayLike, log_Q: ArrayLike) -> np.floating:
    """KL(P ‖ Q) averaged over the N rows: (1/N) Σᵢ Σ_c Pᵢ_c (log Pᵢ_c − log Qᵢ_c), with
    0 · log 0 = 0; log_Q holds log-probabilities (e.g. log_softmax of logits), as
    torch.nn.functional.kl_div(log_Q, P, reduction="batchmean"): note torch's order, the
    other way round. P (N × C) must be ≥ 0; a negative entry (log-probabilities passed as P)
    is a ValueError."""
    P, log_Q = _check(P, log_Q)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log(np.where(P > 0, P, 1)), 0)
    return (plogp - P * log_Q).sum() / P.shape[0]


@implements("probability.kl_divergence_gradient", "probability.kl_divergence_logit_gradient")
def kl_divergence_grad(P: ArrayLike, log_Q: ArrayLike) -> np.ndarray:
    """∂KL/∂log_Q = −P/N (for logits Z with log_Q = log_softmax(Z), ∂KL/∂Z = (softmax(Z) − P)/N
    when each row of P sums to 1)."""
    P, log_Q = _check(P, log_Q)
    return -P / P.shape[0]
