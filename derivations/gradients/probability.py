"""The Kullback–Leibler divergence between rows of probability vectors (as PyTorch's kl_div)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._torch_names import LEGACY_REDUCTION, torch_flags, torch_names
from ._validate import as_array, floats, grad_output_for, require_samples, upstream_quietly

__all__ = ["kl_divergence", "kl_divergence_grad"]

KL_REDUCTIONS = ("batchmean", "sum", "mean", "none")


def _check(P: ArrayLike, log_Q: ArrayLike, reduction: str, log_target: object,
           grad_output: ArrayLike | None = None, *,
           gradient: bool = False) -> tuple[np.ndarray, ...]:
    """(P, log_Q, u or None, log_target) in one dtype, checked; P holds log-probabilities
    when log_target (any reals), else probabilities (≥ 0)."""
    if reduction not in KL_REDUCTIONS:
        raise ValueError(f"reduction must be one of {', '.join(map(repr, KL_REDUCTIONS))} (as "
                         f"torch's kl_div; 'batchmean' is the KL divergence); got {reduction!r}")
    if not isinstance(log_target, bool | np.bool_):
        raise ValueError(f"log_target must be True or False; got {log_target!r}")
    P, log_Q, *u = floats(P=P, log_Q=log_Q,
                          **({} if grad_output is None else {"grad_output": grad_output}))
    if reduction == "batchmean" and log_Q.ndim:  # a mean over no rows is undefined
        require_samples("log_Q", log_Q)
    if reduction == "mean" and log_Q.size == 0:
        raise ValueError(f"log_Q is empty (shape {log_Q.shape}); the mean is undefined")
    if P.shape != log_Q.shape:
        raise ValueError(
            f"log_Q has shape {log_Q.shape} but P has shape {P.shape}; expected P of shape "
            f"{log_Q.shape}{_broadcast_hint(P.shape, log_Q.shape)}"
        )
    if not log_target and np.any(P < 0):  # most often log-probabilities passed first
        raise ValueError(
            f"P holds probabilities and must be ≥ 0; got min {P.min()}. The order is "
            "(P, log_Q), targets first; torch's kl_div(input, target) takes (log_Q, P). "
            "Log-probabilities as P need log_target=True"
        )
    u = u[0] if u else None
    if gradient:
        grad_output_for(reduction, u, P.shape, "entry")
    return P, log_Q, u, bool(log_target)


def _broadcast_hint(P: tuple[int, ...], log_Q: tuple[int, ...]) -> str:
    """Why shapes that broadcast are refused on purpose: torch's kl_div broadcasts them
    silently, and its 'batchmean' then divides by log_Q's first axis, not by the rows of the
    broadcast result (log_Q (1, C) against P (N, C) gives N times the mean KL divergence);
    the gradient of log_Q would be a sum over the broadcast axes."""
    try:
        shape = np.broadcast_shapes(P, log_Q)
    except ValueError:
        return ""
    return (f". The two broadcast to {shape}, which torch's kl_div does silently (its "
            "'batchmean' then divides by log_Q's first axis, not by the rows of the result); "
            f"here they must match on purpose: pass np.broadcast_to(P, {shape}) and "
            f"np.broadcast_to(log_Q, {shape}) to mean it")


def _pointwise(P: np.ndarray, log_Q: np.ndarray, log_target: bool) -> np.ndarray:
    """P ⊙ (log P − log Q) entry by entry, 0 · log 0 = 0 (torch's xlogy(P, P) − P log Q); with
    log_target, P holds log P: e^{log P} ⊙ (log P − log Q), as torch's (so a log P of −∞ gives
    NaN there, 0 · −∞, where the limit is 0: torch's value, kept)."""
    # over: e^{log P}, P log P or P log Q beyond the dtype's range is ±∞, as torch's, silently
    if log_target:
        with np.errstate(invalid="ignore", over="ignore"):
            return np.exp(P) * (P - log_Q)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        plogp = np.where(P > 0, P * np.log(np.where(P > 0, P, 1)), 0)
        return plogp - P * log_Q  # 0 · −∞ and ∞ − ∞: NaN, as torch's


def _divisor(P: np.ndarray, reduction: str) -> int:
    """torch's: 'batchmean' divides by the first axis's length (none for a 0-d input), 'mean'
    by the number of entries."""
    rows = P.shape[0] if P.ndim else 1
    return {"batchmean": rows, "mean": P.size}.get(reduction, 1)


@implements("probability.kl_divergence_as_cross_entropy_minus_entropy",
            "probability.kl_divergence_mean_over_entries", "probability.kl_divergence_log_target")
@torch_names(input="log_Q", target="P")
@torch_flags(**LEGACY_REDUCTION)
def kl_divergence(P: ArrayLike, log_Q: ArrayLike, *, reduction: str = "batchmean",
                  log_target: bool = False) -> np.floating | np.ndarray:
    """KL(P ‖ Q) averaged over the N rows: (1/N) Σᵢ Σ_c Pᵢ_c (log Pᵢ_c − log Qᵢ_c), with
    0 · log 0 = 0; log_Q holds log-probabilities (e.g. log_softmax of logits), as
    torch.nn.functional.kl_div(log_Q, P, reduction="batchmean"): note torch's order, the
    other way round. P (N × C) must be ≥ 0; a negative entry (log-probabilities passed as P)
    is a ValueError unless log_target. Any shape, as torch's (entry by entry): the rows N are
    then the first axis (1 for a 0-d input).

    reduction (keyword only), as torch's kl_div: 'batchmean' (the default here: the KL
    divergence; torch's default 'mean' is not one), 'sum', 'mean' (over all N·C entries) or
    'none' (the N × C terms). log_target (keyword only): P holds log P, as torch's."""
    P, log_Q, _, log_target = _check(P, log_Q, reduction, log_target)
    terms = _pointwise(P, log_Q, log_target)
    if reduction == "none":
        return as_array(terms)
    with np.errstate(over="ignore", invalid="ignore"):  # ±∞ beyond the range, ∞ − ∞ NaN
        return terms.sum() / P.dtype.type(_divisor(P, reduction))  # between terms: as torch's


@implements("probability.kl_divergence_gradient", "probability.kl_divergence_logit_gradient",
            "probability.kl_divergence_pointwise_vjp",
            "probability.kl_divergence_log_target_gradient")
@torch_flags(**LEGACY_REDUCTION)
def kl_divergence_grad(P: ArrayLike, log_Q: ArrayLike, *, reduction: str = "batchmean",
                       log_target: bool = False,
                       grad_output: ArrayLike | None = None) -> np.ndarray:
    """∂KL/∂log_Q = −P/N (for logits Z with log_Q = log_softmax(Z), ∂KL/∂Z = (softmax(Z) − P)/N
    when each row of P sums to 1); −P for 'sum', −P/(N·C) for 'mean', and for 'none' the
    vector-Jacobian product −u ⊙ P with grad_output u (N × C, required), as loss.backward(u)
    in torch (grad_output of P's shape). With log_target, P holds log P and e^{log P} takes
    P's place. Any shape, as kl_divergence."""
    P, log_Q, u, log_target = _check(P, log_Q, reduction, log_target, grad_output,
                                     gradient=True)
    with np.errstate(over="ignore"):  # e^{log P} beyond the range: ∞, as torch's
        p = np.exp(P) if log_target else P
    if reduction == "none":
        with upstream_quietly():
            return as_array(-(u * p))
    return as_array(-p / P.dtype.type(_divisor(P, reduction)))
