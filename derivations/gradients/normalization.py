"""Batch normalisation (note 002, §3) and layer normalisation over a batch of feature vectors.

X is N × D (samples as rows). Batch norm takes statistics per feature (column), over the
batch; layer norm per sample (row), over the features; both with the biased variance (1/N or
1/D), as in training mode. Statistics of float32 data are accumulated in float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._fast import fast
from ._torch_names import torch_names
from ._validate import (
    as_rows,
    check_disjoint,
    floats,
    hyper,
    integer,
    nan_quietly,
    require_ndim,
    specials_quietly,
)

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


def _affine_args(X: ArrayLike, gamma: ArrayLike | None, beta: ArrayLike | None):
    """(X, γ or None, β or None, which of the two were given): X and the given ones in one
    dtype (floats). None is torch's weight=None / bias=None (affine=False,
    elementwise_affine=False): the scale 1, the shift 0, and no gradient for it."""
    given = {name: p for name, p in (("gamma", gamma), ("beta", beta)) if p is not None}
    X, *arrays = floats(X=X, **given)
    named = dict(zip(given, arrays, strict=True))
    return X, named.get("gamma"), named.get("beta"), ("gamma" in named, "beta" in named)


def _filled(gamma: np.ndarray | None, beta: np.ndarray | None, shape: tuple[int, ...],
            dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """γ and β, an absent one as torch's identity affine map: ones and zeros of shape."""
    return (np.ones(shape, dtype) if gamma is None else gamma,
            np.zeros(shape, dtype) if beta is None else beta)


def _without_absent(grads: tuple, affine: tuple[bool, bool]) -> tuple:
    """(dX, dγ, dβ) with None for a parameter the forward call did not have (torch's grad of
    an absent weight or bias)."""
    dX, dgamma, dbeta = grads
    return dX, dgamma if affine[0] else None, dbeta if affine[1] else None


def _centre(X: np.ndarray, mean: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """X − μ, subtracted in two parts: mean (μ rounded to X's dtype), then rest (μ − mean).
    Near μ the first difference is exact, so X − μ keeps its precision when |μ| ≫ σ (float32
    data around 10⁴ with σ = 3 would otherwise lose 1e-4 of x̂ to the rounding of μ)."""
    with nan_quietly():  # ∞ − ∞ at an infinite entry or mean: NaN, as torch's
        centred = X - mean
        centred -= rest
    return centred


def _column_sum(a: np.ndarray) -> np.ndarray:
    """Σᵢ a[i] down axis 0, in float64, pairwise: the top half of the rows added to the bottom
    half until one row is left, so the rounding error grows as log N. NumPy adds the rows of
    a column one at a time (error ∝ N): float64 batch norm of data around 1000 over 10⁵ rows
    had 2.5 times torch's error in x̂. Costs about two passes over a (a transposed copy,
    whose rows NumPy would sum pairwise, costs ten)."""
    s = a
    while s.shape[0] > 1:
        half = s.shape[0] // 2
        top = np.add(s[:half], s[half : 2 * half], dtype=np.float64)
        if s.shape[0] % 2:  # the odd row out joins the first partial sum
            top[0] += s[2 * half]
        s = top
    return s.sum(axis=0, dtype=np.float64)  # one row (or none: zeros)


def _scaled_shifted(xhat: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """γ ⊙ x̂ + β, the norms' affine step (0 · ∞ and ∞ − ∞ from an infinite entry, γ or β:
    NaN; a γ or β near the top of the range: ±∞; as torch's, silently)."""
    with specials_quietly():
        out = gamma * xhat
        out += beta
    return out


def _mean(a: np.ndarray, axis: int) -> np.ndarray:
    """The float64 mean along axis, kept as a length-1 axis: pairwise down columns too."""
    if axis == 0:
        return (_column_sum(a) / a.shape[0])[None, :]
    return a.mean(axis=axis, dtype=np.float64, keepdims=True)  # along rows NumPy is pairwise


def _normalise(X: np.ndarray, axis: int, eps: float) -> tuple[np.ndarray, ...]:
    """(x̂, μ rounded, the rest of μ, 1/√(σ² + ε)) along axis, in X's dtype: μ and σ²
    accumulated in float64 (pairwise), x̂ = (X − μ)/√(σ² + ε)."""
    with nan_quietly():  # ∞ − ∞ from an infinite entry: NaN statistics, as torch's
        mean64 = _mean(X, axis)
        if X.dtype == np.float64:  # the sum of float64 entries rounds: refined once by the
            # mean of x − μ, so a constant line's x − μ is 0, as torch's (it was ±1 ulp, which
            # over √ε made x̂ = −4.7e-6 for a row of 1e8 + 0.1)
            mean64 = mean64 + _mean(X - mean64, axis)
        mean = mean64.astype(X.dtype)
        rest = (mean64 - mean).astype(X.dtype)
        xhat = _centre(X, mean, rest)
        # squared in float64 too: a float32 (x − μ)² overflows above 1.8e19, which made σ² = ∞
        # (x̂ = 0, out = β) and the backward's check report X as changed. A float64 one
        # above 1.3e154 still does: σ² = ∞ and x̂ = 0, as torch's, silently
        with np.errstate(over="ignore"):
            var = _mean(np.square(xhat, dtype=np.float64), axis)
        with np.errstate(divide="ignore"):  # ε = 0 and a constant line: 1/0 = ∞, as torch's
            inv_std = (1 / np.sqrt(var + eps)).astype(X.dtype)
        xhat *= inv_std
    return xhat, mean, rest, inv_std


def _channels_last(X: np.ndarray) -> np.ndarray:
    """(N, C, d₁, …) as the N·d₁⋯ rows of C channels (a copy)."""
    return as_rows(np.moveaxis(X, 1, -1))


def _channels_back(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The rows of _channels_last back in shape (N, C, d₁, …), C-contiguous."""
    n, c, *d = shape
    return np.ascontiguousarray(np.moveaxis(rows.reshape(n, *d, c), -1, 1))


# ----- What the backward passes keep -----

# How far the recomputed x̂ of a row (layer norm) or a column (batch norm) may be from mean 0
# and variance σ²/(σ² + ε) before the backward takes X to have changed since the forward
# call: far above rounding (float32 keeps both within 1e-5), far below what a change shows.
_DRIFT = 1e-2


@dataclass(frozen=True)
class _SavedInput:
    """What a normalisation's backward needs, as torch keeps it: the forward input X itself
    (not a copy) with its statistics; x̂ is recomputed from them. That saves writing, keeping
    and reading back an N × D array per call.

    So X must not change in place before the backward call: the backward checks that x̂
    recomputed still has mean 0 and variance σ²/(σ² + ε) along the normalised axis, and raises
    ValueError if not. That catches a change to the values, not a permutation of them within
    a row (layer norm) or a column (batch norm)."""

    X: np.ndarray  # the forward input, N × D
    mean: np.ndarray  # μ rounded to X's dtype: (D,) per column, (N, 1) per row
    mean_rest: np.ndarray  # μ − mean, shaped as mean: X − μ is subtracted in these two parts
    gamma: np.ndarray  # scale, (D,): a copy of the forward's γ, unlike X
    inv_std: np.ndarray  # 1/√(σ² + ε), shaped as mean
    eps: float
    shape: tuple[int, ...] | None = None  # the forward input's, when it was not N × D itself
    affine_shape: tuple[int, ...] | None = None  # γ's, when it was not (D,) (layer norm)
    training: bool = True  # False: batch norm with running statistics (eval mode)
    affine: tuple[bool, bool] = (True, True)  # γ, β given (False: None, no gradient for it)

    @property
    def xhat(self) -> np.ndarray:
        """x̂ = (X − μ)/√(σ² + ε), N × D, computed as the forward computed it."""
        xhat = _centre(self.X, self.mean, self.mean_rest)
        with nan_quietly():  # 0 · ∞ (ε = 0, σ² = 0, x = μ): NaN, as torch's, silently
            xhat *= self.inv_std
        return xhat


def _require_unchanged(mean_h: np.ndarray, mean_hh: np.ndarray, cache: _SavedInput,
                       forward: str, along: str) -> None:
    """Raise unless every row (column) of x̂ recomputed has mean(x̂) = 0 and mean(x̂²) =
    σ²/(σ² + ε) = 1 − ε/(σ² + ε), as when the forward computed it, to within _DRIFT."""
    variance = 1 - cache.eps * np.square(cache.inv_std.astype(np.float64)).ravel()
    with np.errstate(invalid="ignore", over="ignore"):
        drift = np.maximum(np.abs(mean_h), np.abs(mean_hh - variance))
    changed = np.flatnonzero(drift > _DRIFT)  # NaN (from NaN or ±inf in X) passes
    if changed.size:
        raise ValueError(
            f"X changed in place after {forward}: {along} {changed[0]} ({changed.size} in all) "
            "no longer has the mean and variance it had. The cache refers to X itself, not a "
            f"copy (as torch's saved tensors do); call {forward} again after changing X, or "
            "pass it X.copy()"
        )


def _backward_start(norm: str, dout: ArrayLike, cache: _SavedInput, axis: int):
    """(dout validated, cache, the fast path's (dX, dγ, dβ) or None, x̂ for the reference
    formula or None), X checked unchanged since the forward call either way (statistics along
    axis). dout and the cache share one dtype, the promotion of dout's and X's (floats): a
    float64 dout of a float32 forward gives float64 gradients, as any two floating arguments."""
    kind = (BatchNormCache, LayerNormCache)[axis]
    if not isinstance(cache, kind):
        raise ValueError(f"cache must be the {kind.__name__} that {norm}_forward returned; got "
                         f"{type(cache).__name__}")
    dout, X = floats(dout=dout, X=cache.X)
    if cache.shape is not None:  # the forward's input was not N × D: dout as its rows
        if dout.shape != cache.shape:
            raise ValueError(f"the forward input had shape {cache.shape} but dout has shape "
                             f"{dout.shape}; expected dout of shape {cache.shape}")
        dout = dout.reshape(cache.X.shape) if axis else _channels_last(dout)
    if dout.shape != X.shape:
        raise ValueError(
            f"the forward input had shape {X.shape} but dout has shape {dout.shape}; "
            f"expected dout of shape {X.shape}"
        )
    if X.dtype != cache.X.dtype:  # a wider dout: the saved statistics in its dtype too
        cache = replace(cache, X=X, **{name: getattr(cache, name).astype(X.dtype)
                                       for name in ("mean", "mean_rest", "gamma", "inv_std")})
    if not cache.training or not X.size:  # eval mode: x̂ is X standardised by fixed
        return dout, cache, None, cache.xhat  # statistics; no entry (an empty batch, layer
        # norm over no feature): no statistics
    forward, along = f"{norm}_forward", ("column", "row")[axis]
    done = fast(f"{norm}_backward", dout, cache.X, cache.mean, cache.mean_rest, cache.gamma,
                cache.inv_std)
    if done is not None:
        *grads, mean_h, mean_hh = done
        _require_unchanged(mean_h, mean_hh, cache, forward, along)
        return dout, cache, tuple(grads), None
    xhat = cache.xhat
    with np.errstate(invalid="ignore", over="ignore"):
        mean_h = xhat.mean(axis=axis, dtype=np.float64)
        mean_hh = np.square(xhat).mean(axis=axis, dtype=np.float64)
    _require_unchanged(mean_h, mean_hh, cache, forward, along)
    return dout, cache, None, xhat


# ----- Batch normalisation -----


@dataclass(frozen=True)
class BatchNormCache(_SavedInput):
    """What batchnorm_backward needs: X, μ and 1/√(σ² + ε) per column (see _SavedInput)."""


def _momentum(momentum: object) -> float:
    """The running statistics' momentum, a number (F.batch_norm refuses None too). nn.BatchNorm's
    momentum=None is the cumulative average, which needs the count of batches seen: it is
    momentum = 1/t on the t-th batch, which the message says."""
    if momentum is None:
        raise ValueError("momentum must be a number; momentum=None (nn.BatchNorm's cumulative "
                         "average) is momentum=1/t on the t-th training batch (t = 1, 2, …): "
                         "pass that")
    return hyper("momentum", momentum)


def _training_mode(training: object, running_mean: object, running_var: object) -> bool:
    """torch's F.batch_norm default: training=False (normalise by the running statistics)
    when they are given; without them only training mode (batch statistics) exists."""
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var come together: pass both (each "
                         "updated in place in training mode) or neither")
    if training is None:
        return running_mean is None
    if not isinstance(training, bool | np.bool_):
        raise ValueError(f"training must be True or False; got {training!r}")
    if not training and running_mean is None:
        raise ValueError("training=False normalises by running_mean and running_var; pass "
                         "them (torch refuses eval mode without them too)")
    return bool(training)


def _running_stat(name: str, a: object, channels: int, training: bool) -> np.ndarray:
    """A running statistic: a floating ndarray of shape (C,), writeable in training mode
    (updated in place there; eval mode only reads it)."""
    if not isinstance(a, np.ndarray) or a.dtype.kind != "f" or a.dtype == np.float16:
        raise ValueError(f"{name} must be a float32 or float64 NumPy array of shape "
                         f"({channels},); got {type(a).__name__} "
                         f"{getattr(a, 'dtype', '')}".rstrip())
    if a.shape != (channels,):
        raise ValueError(f"{name} has shape {a.shape}; expected ({channels},), one per channel")
    if training and not a.flags.writeable:
        raise ValueError(f"{name} must be writeable (training mode updates it in place)")
    return a


def _batchnorm_eval(X: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float,
                    running_mean: np.ndarray, running_var: np.ndarray):
    """Eval mode: x̂ = (X − running_mean)/√(running_var + ε), out = γx̂ + β, a map affine in
    X (its gradient γ/√(running_var + ε) per column)."""
    mean64 = running_mean.astype(np.float64)
    mean = mean64.astype(X.dtype)
    with nan_quietly():  # an infinite running mean has no rest (∞ − ∞); x − ∞ is torch's −∞
        rest = np.where(np.isfinite(mean), mean64 - mean, 0).astype(X.dtype)
    with np.errstate(divide="ignore"):  # ε = 0 and a running variance 0: ∞, as torch's
        inv_std = (1 / np.sqrt(running_var.astype(np.float64) + eps)).astype(X.dtype)
    cache = BatchNormCache(X, mean, rest, gamma, inv_std, eps, training=False)
    return _folded_where_unbounded(_scaled_shifted(cache.xhat, gamma, beta), cache, beta), cache


def _folded_where_unbounded(out: np.ndarray, cache: BatchNormCache,
                            beta: np.ndarray) -> np.ndarray:
    """out, with torch's own form x·s + (β − μs), s = γ/√(σ² + ε), in the columns where s is
    not finite (ε = 0 over a zero variance, or an infinite γ). Where s is finite the two agree
    but for rounding (γx̂ + β keeps more digits near μ); where s = ±∞ torch's is NaN at x and μ
    of one sign (∞ − ∞) and everywhere at μ = 0 (0 · ∞), which γx̂ + β made ±∞."""
    with nan_quietly():  # 0 · ∞ (γ = 0, σ = 0): NaN, as torch's
        scale = cache.gamma * cache.inv_std
    unbounded = ~np.isfinite(scale)
    if unbounded.any():
        s, mu = scale[unbounded], cache.mean[unbounded]
        with specials_quietly():  # ∞ − ∞ and 0 · ∞: NaN, as torch's, silently
            out[:, unbounded] = cache.X[:, unbounded] * s + (beta[unbounded] - mu * s)
    return out


def _update_running(X: np.ndarray, cache: BatchNormCache, running_mean: np.ndarray,
                    running_var: np.ndarray, momentum: float) -> None:
    """torch's running statistics, in place: r ← (1 − m)r + m·s with s the batch mean, and the
    unbiased batch variance (n/(n − 1))σ² for running_var; in float64 from X itself."""
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"running_var takes the unbiased variance, which needs more than one "
                         f"value per channel; X has {n} (torch refuses it in training mode too)")
    mean64 = cache.mean.astype(np.float64) + cache.mean_rest
    var64 = _column_sum(np.square(_centre(X, cache.mean, cache.mean_rest),
                                  dtype=np.float64)) / n
    with np.errstate(over="ignore"):  # a float32 statistic past the range: ∞, as torch's
        running_mean[...] = (1 - momentum) * running_mean + momentum * mean64
        running_var[...] = (1 - momentum) * running_var + momentum * (var64 * (n / (n - 1)))


@implements(
    "normalization.batchnorm_mean_zero",
    "normalization.batchnorm_unit_variance",
    "normalization.batchnorm_forward_columns",
)
@torch_names(input="X", weight="gamma", bias="beta")
def batchnorm_forward(
    X: ArrayLike, gamma: ArrayLike | None = None, beta: ArrayLike | None = None,
    eps: float = 1e-5, *,
    running_mean: np.ndarray | None = None, running_var: np.ndarray | None = None,
    training: bool | None = None, momentum: float = 0.1,
) -> tuple[np.ndarray, BatchNormCache]:
    """x̂ᵢ = (xᵢ − μ)/√(σ² + ε),  outᵢ = γ ⊙ x̂ᵢ + β, with μ = (1/N)Σᵢ xᵢ, σ² = (1/N)Σᵢ (xᵢ − μ)².

    Each column of x̂ has mean 0 and variance σ²/(σ² + ε) (1 as ε → 0). One row (N = 1) is
    accepted: σ² = 0, x̂ = 0 and out = β, as aten's native_batch_norm, where
    torch.nn.functional.batch_norm refuses it in training mode. An empty batch (no rows, or
    no positions) gives the empty output, gradients ∂L/∂γ = ∂L/∂β = 0 and leaves the running
    statistics as they were, as torch's. Returns (out, cache)
    for batchnorm_backward. The cache refers to X: do not change X in place before
    batchnorm_backward. X of shape (N, C, d₁, …) (torch's batch_norm of images or sequences)
    has statistics per channel C over the N·d₁⋯ positions, as torch's.

    Running statistics (keywords, as torch's F.batch_norm): with running_mean and
    running_var (arrays of shape (C,)) and training=True, the batch statistics normalise X
    and both arrays are updated in place, r ← (1 − momentum)r + momentum·s, s the batch mean
    and the unbiased batch variance (n/(n − 1))σ² (n values per channel; n = 1 is refused, as
    torch refuses it). momentum is a number, as F.batch_norm's; nn.BatchNorm's momentum=None
    (the cumulative average) is momentum = 1/t on the t-th batch. training=False (torch's
    default when running statistics are given) normalises by them instead,
    x̂ = (x − running_mean)/√(running_var + ε), updates nothing, and batchnorm_backward then
    takes the gradient of that affine map, γ/√(running_var + ε).

    gamma=None or beta=None (the defaults: torch's weight=None, bias=None, BatchNorm's
    affine=False) is the scale 1 or the shift 0; batchnorm_backward then returns None for
    its gradient, as torch does. γ, β come second and third, where F.batch_norm(input,
    running_mean, running_var, weight, bias, …) has its running statistics: port by keyword
    (an array in ε's place, torch's weight, is refused saying so).
    """
    X, gamma, beta, affine = _affine_args(X, gamma, beta)
    training = _training_mode(training, running_mean, running_var)
    eps, momentum = _batchnorm_eps(eps, training), _momentum(momentum)
    if X.ndim > 2:
        out, cache = batchnorm_forward(_channels_last(X), gamma, beta, eps,
                                       running_mean=running_mean, running_var=running_var,
                                       training=training, momentum=momentum)
        return _channels_back(out, X.shape), replace(cache, shape=X.shape, affine=affine)
    require_ndim("X", X, 2, "samples as rows, N × D, or (N, C, d₁, …)")
    gamma, beta = _filled(gamma, beta, (X.shape[1],), X.dtype)
    _check_affine(X, gamma, beta, X.shape[1])
    if running_mean is not None:
        running_mean = _running_stat("running_mean", running_mean, X.shape[1], training)
        running_var = _running_stat("running_var", running_var, X.shape[1], training)
        check_disjoint(running_mean=running_mean, running_var=running_var, X=X)
    # the cache keeps its own γ (a copy: D numbers), so that a step on γ between the forward
    # and the backward call does not change the backward's gradient
    gamma, beta = gamma.astype(X.dtype), beta.astype(X.dtype, copy=False)
    if not training:
        out, cache = _batchnorm_eval(X, gamma, beta, eps, running_mean, running_var)
        return out, replace(cache, affine=affine)
    if not X.shape[0]:  # an empty batch, as torch's: an empty output, and no statistics to
        none = np.zeros(X.shape[1], X.dtype)  # take or to fold into the running ones
        return X.copy(), BatchNormCache(X, none, none, gamma, none, eps, affine=affine)
    if (done := fast("batchnorm_forward", X, gamma, beta, eps)) is not None:
        out, mean, rest, inv_std = done
        cache = BatchNormCache(X, mean, rest, gamma, inv_std, eps, affine=affine)
    else:
        xhat, mean, rest, inv_std = _normalise(X, 0, eps)
        out = _scaled_shifted(xhat, gamma, beta)
        cache = BatchNormCache(X, mean[0], rest[0], gamma, inv_std[0], eps, affine=affine)
    if running_mean is not None:
        _update_running(X, cache, running_mean, running_var, momentum)
    return _folded_where_unbounded(out, cache, beta), cache


def _batchnorm_eps(eps: object, training: bool) -> float:
    """ε, a number: > 0 in training, ≥ 0 with running statistics (NaN passes, as torch's
    checks let it), as F.batch_norm (torch 2.13:
    "batch_norm eps must be positive during training"; ε = 0 divides a constant column's
    zero deviation by σ = 0). An array there is F.batch_norm(input, running_mean,
    running_var, weight, …) ported positionally (its weight lands on ε), refused naming the
    order."""
    if isinstance(eps, np.ndarray | list | tuple) and np.ndim(eps) > 0:
        raise ValueError(
            "eps is an array: batchnorm_forward takes (X, gamma, beta, eps), where torch's "
            "F.batch_norm takes (input, running_mean, running_var, weight, bias, training, "
            "momentum, eps); port it by keyword: batchnorm_forward(x, weight, bias, eps, "
            "running_mean=rm, running_var=rv, training=...)")
    # torch checks eps <= 0 (training) and eps < 0: a NaN ε passes both and makes the output
    # NaN, as layer norm's NaN ε does here too
    value = hyper("eps", eps)
    if value < 0 or (training and value == 0):
        raise ValueError(f"eps must be {'> 0' if training else '≥ 0'}; got {value!r}")
    return value


def _batchnorm_grads(dout: np.ndarray, xhat: np.ndarray,
                     cache: BatchNormCache) -> tuple[np.ndarray, ...]:
    """(∂L/∂X, ∂L/∂γ, ∂L/∂β) of batchnorm_backward's formula (rows × channels)."""
    gamma, inv_std = cache.gamma, cache.inv_std
    n = xhat.shape[0]
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        dbeta = _column_sum(dout)
        dgamma = _column_sum(dout * xhat)
        if not np.isfinite(inv_std).all():  # eval, ε = 0 over a zero variance: torch's
            # Σ dout ⊙ (x − μ) times 1/σ = ∞, NaN only where that sum is 0 (Σ dout ⊙ x̂ is NaN
            # wherever one x = μ)
            wild = ~np.isfinite(inv_std)
            centred = _centre(cache.X[:, wild], cache.mean[wild], cache.mean_rest[wild])
            dgamma[wild] = _column_sum(dout[:, wild] * centred) * inv_std[wild]
        if cache.training and n:
            dX = (gamma * inv_std) * (dout - (dbeta / n).astype(xhat.dtype)
                                      - xhat * (dgamma / n).astype(xhat.dtype))
        else:
            dX = (gamma * inv_std) * dout
        return dX, dgamma.astype(xhat.dtype), dbeta.astype(xhat.dtype)  # ±∞ past the range


@implements("normalization.batchnorm_input_gradient", "normalization.batchnorm_eval_input_gradient")
def batchnorm_backward(
    dout: ArrayLike, cache: BatchNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂L/∂X, ∂L/∂γ, ∂L/∂β) from dout = ∂L/∂out, by the compact formula

    ∂L/∂β = Σᵢ doutᵢ,   ∂L/∂γ = Σᵢ doutᵢ ⊙ x̂ᵢ,
    ∂L/∂xᵢ = (γ/√(σ² + ε)) ⊙ (doutᵢ − (1/N)∂L/∂β − x̂ᵢ ⊙ (1/N)∂L/∂γ),

    the sums accumulated in float64. Raises ValueError when X changed in place since
    batchnorm_forward. After an eval-mode forward (training=False) the statistics are
    constants: ∂L/∂xᵢ = (γ/√(running_var + ε)) ⊙ doutᵢ, the same ∂L/∂γ and ∂L/∂β. ∂L/∂γ
    (∂L/∂β) is None when the forward call had gamma=None (beta=None), as torch's.
    """
    dout, cache, done, xhat = _backward_start("batchnorm", dout, cache, axis=0)
    if done is None:
        done = _batchnorm_grads(dout, xhat, cache)
    if cache.shape is not None:
        done = (_channels_back(done[0], cache.shape), *done[1:])
    return _without_absent(done, cache.affine)


# ----- Layer normalisation -----


@dataclass(frozen=True)
class LayerNormCache(_SavedInput):
    """What layernorm_backward needs: X, μ and 1/√(σ² + ε) per row (see _SavedInput)."""


@implements("normalization.layernorm_forward_row")
@torch_names(input="X", weight="gamma", bias="beta")
def layernorm_forward(
    X: ArrayLike, gamma: ArrayLike | None = None, beta: ArrayLike | None = None,
    eps: float = 1e-5, *, normalized_shape: int | tuple[int, ...] | None = None,
) -> tuple[np.ndarray, LayerNormCache]:
    """x̂ᵢ = (xᵢ − μᵢ)/√(σᵢ² + ε),  outᵢ = γ ⊙ x̂ᵢ + β, with μᵢ, σᵢ² the mean and biased variance
    of row i over its D features (torch.nn.functional.layer_norm over the last axis).

    The cache refers to X: do not change X in place before layernorm_backward. X of any other
    number of axes (D,) or (…, D) is normalised over its last axis, as torch's
    layer_norm(X, (D,)): its rows are the vectors along that axis. γ and β of shape
    (d₁, …, d_k) (torch's normalized_shape as a tuple) normalise over X's last k axes, which
    must be (d₁, …, d_k); the backward's ∂L/∂γ and ∂L/∂β then have that shape too.

    gamma=None or beta=None (the defaults: torch's weight=None, bias=None, LayerNorm's
    elementwise_affine=False or bias=False) is the scale 1 or the shift 0, and
    layernorm_backward returns None for its gradient, as torch does. The axes normalised
    are then given by normalized_shape (torch's argument: an int or a tuple, which γ and β,
    when given, must match), else by γ's or β's shape, else the last axis. A normalized
    shape of no entry (D = 0) gives torch's empty output, and empty gradients."""
    _refuse_shape_as_gamma(X, gamma)
    X, gamma, beta, affine = _affine_args(X, gamma, beta)
    shape = _normalized_shape(X, gamma, beta, normalized_shape)
    gamma, beta = _filled(gamma, beta, shape, X.dtype)
    out, cache = _layernorm_filled(X, gamma, beta, eps)
    return out, replace(cache, affine=affine)


def _refuse_shape_as_gamma(X: ArrayLike, gamma: object) -> None:
    """torch's layer_norm(input, normalized_shape, weight, bias, eps) takes the shape second,
    where γ is here: an int or a tuple of ints equal to X's trailing axes but not a γ of
    that shape (a γ of shape (D,) is D numbers, [2, 2] for D = 2 too) is that ported call,
    refused saying so."""
    dims = (gamma,) if isinstance(gamma, int) else gamma
    if (isinstance(gamma, bool) or not isinstance(dims, tuple | list) or not dims
            or not all(isinstance(d, int) and not isinstance(d, bool) for d in dims)):
        return
    shape, own = np.shape(X), np.shape(gamma)
    fits_as_gamma = bool(own) and own == shape[len(shape) - len(own):]
    if tuple(dims) == shape[len(shape) - len(dims):] and not fits_as_gamma:
        raise ValueError(
            f"gamma is {gamma!r}, which is X's trailing shape: layernorm_forward's second "
            "argument is gamma (torch's weight), not torch's normalized_shape; port "
            "F.layer_norm(x, shape, w, b, eps) as layernorm_forward(x, w, b, eps, "
            "normalized_shape=shape)")


def _normalized_shape(X: np.ndarray, gamma: np.ndarray | None, beta: np.ndarray | None,
                      normalized_shape: object) -> tuple[int, ...]:
    """The shape of the trailing axes layer norm normalises over: normalized_shape when
    given (γ and β must have it), else γ's or β's, else X's last axis."""
    if isinstance(normalized_shape, np.ndarray) and normalized_shape.dtype.kind in "iu" \
            and normalized_shape.ndim <= 1:  # a shape computed in NumPy, as torch takes it
        normalized_shape = normalized_shape.tolist()
    if normalized_shape is not None:
        shape = (normalized_shape,) if isinstance(normalized_shape, int | np.integer) \
            else normalized_shape
        if not isinstance(shape, tuple | list) or not shape or not all(
                integer(d) is not None for d in shape):
            raise ValueError("normalized_shape must be an int or a non-empty tuple of ints "
                             f"(torch's argument); got {normalized_shape!r}")
        shape = tuple(integer(d) for d in shape)
        for name, p in (("gamma", gamma), ("beta", beta)):
            if p is not None and p.shape != shape:
                raise ValueError(f"{name} has shape {p.shape}; expected normalized_shape "
                                 f"{shape}")
        return shape
    if gamma is not None or beta is not None:
        return (gamma if gamma is not None else beta).shape
    if X.ndim == 0:
        raise ValueError("X is 0-d; layer norm needs an axis of features (shape (…, D))")
    return X.shape[-1:]


def _layernorm_filled(X: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      eps: float) -> tuple[np.ndarray, LayerNormCache]:
    """layernorm_forward with γ and β arrays (an absent one filled in)."""
    if gamma.ndim > 1:
        return _layernorm_trailing(X, gamma, beta, eps)
    if X.ndim != 2 and X.ndim:
        rows = X.reshape(math.prod(X.shape[:-1]), X.shape[-1])  # (not -1: D may be 0)
        out, cache = _layernorm_filled(rows, gamma, beta, eps)
        return out.reshape(X.shape), replace(cache, shape=X.shape)
    require_ndim("X", X, 2, "samples as rows, N × D, or any (…, D)")
    _check_affine(X, gamma, beta, X.shape[1])
    eps = hyper("eps", eps)
    # the cache keeps its own γ (a copy: D numbers), so that a step on γ between the forward
    # and the backward call does not change the backward's gradient
    gamma, beta = gamma.astype(X.dtype), beta.astype(X.dtype, copy=False)
    if X.shape[1] == 0:  # no features: torch's empty output and gradients; no statistics
        none = np.zeros((X.shape[0], 1), X.dtype)
        return np.zeros(X.shape, X.dtype), LayerNormCache(X, none, none, gamma, none, eps)
    if (done := fast("layernorm_forward", X, gamma, beta, eps)) is not None:
        out, mean, rest, inv_std = done
        return out, LayerNormCache(X, mean, rest, gamma, inv_std, eps)
    xhat, mean, rest, inv_std = _normalise(X, 1, eps)
    return _scaled_shifted(xhat, gamma, beta), LayerNormCache(X, mean, rest, gamma, inv_std, eps)


def _layernorm_trailing(X: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                        eps: float) -> tuple[np.ndarray, LayerNormCache]:
    """Layer norm over X's last gamma.ndim axes, as rows of their product of entries."""
    k = gamma.ndim
    if beta.shape != gamma.shape or X.shape[X.ndim - k:] != gamma.shape:
        raise ValueError(f"X has shape {X.shape}, gamma {gamma.shape} and beta {beta.shape}; "
                         f"expected beta of gamma's shape and X ending in {gamma.shape} "
                         "(the normalized shape)")
    rows = X.reshape(math.prod(X.shape[:X.ndim - k]), gamma.size)  # (not -1: D may be 0)
    out, cache = _layernorm_filled(rows, gamma.ravel(), beta.ravel(), eps)
    return out.reshape(X.shape), replace(cache, shape=X.shape, affine_shape=gamma.shape)


def _layernorm_grads(dout: np.ndarray, xhat: np.ndarray,
                     cache: LayerNormCache) -> tuple[np.ndarray, ...]:
    """(∂L/∂X, ∂L/∂γ, ∂L/∂β) of layernorm_backward's formula (rows × features)."""
    gamma, inv_std = cache.gamma, cache.inv_std
    d = max(xhat.shape[1], 1)  # (D = 0: empty rows, whose means of nothing are never used)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        dout_xhat = dout * xhat
        mean_g = (dout @ gamma)[:, None] / d  # mean(ĝᵢ) = doutᵢ · γ / D
        mean_gx = (dout_xhat @ gamma)[:, None] / d  # mean(ĝᵢ ⊙ x̂ᵢ)
        dX = gamma * dout
        dX -= mean_g
        dX -= xhat * mean_gx
        dX *= inv_std
        dgamma = _column_sum(dout_xhat).astype(xhat.dtype)
        return dX, dgamma, _column_sum(dout).astype(xhat.dtype)


@implements("normalization.layernorm_input_gradient")
def layernorm_backward(
    dout: ArrayLike, cache: LayerNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂L/∂X, ∂L/∂γ, ∂L/∂β): with ĝᵢ = γ ⊙ doutᵢ (per row, means over the D features),

    ∂L/∂xᵢ = (1/√(σᵢ² + ε)) (ĝᵢ − mean(ĝᵢ) − x̂ᵢ mean(ĝᵢ ⊙ x̂ᵢ)),
    ∂L/∂γ = Σᵢ doutᵢ ⊙ x̂ᵢ,   ∂L/∂β = Σᵢ doutᵢ.

    Raises ValueError when X changed in place since layernorm_forward. ∂L/∂γ (∂L/∂β) is
    None when the forward call had gamma=None (beta=None), as torch's.
    """
    dout, cache, done, xhat = _backward_start("layernorm", dout, cache, axis=1)
    if done is None:
        done = _layernorm_grads(dout, xhat, cache)
    if cache.shape is not None:
        dX, dgamma, dbeta = done
        affine = cache.affine_shape or dgamma.shape
        done = dX.reshape(cache.shape), dgamma.reshape(affine), dbeta.reshape(affine)
    return _without_absent(done, cache.affine)
