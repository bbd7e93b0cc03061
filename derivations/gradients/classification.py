"""Logistic regression, the perceptron, softmax classification and the classification losses
(notes 001, 002; the cross-entropy options, hinge loss and the softmax VJPs as in PyTorch).

Conventions: X is N × d with samples as rows, theta has length d, y (binary targets in {0, 1},
or probabilities) has length N, labels are integer class indices of length N, logits Z are
N × C. Losses are means over samples unless a docstring says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._claims import implements
from ._fast import fast
from ._torch_names import LEGACY_REDUCTION, SOFTMAX_DTYPE, torch_flags, torch_names
from ._validate import (
    as_array,
    as_rows,
    check_labels,
    check_X_y_theta,
    floats,
    grad_output_for,
    hyper,
    integer,
    nan_quietly,
    not_boolean,
    reduced,
    reduction_of,
    require_ndim,
    require_samples,
    specials_quietly,
    upstream_quietly,
)
from .activations import stable_sigmoid

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "hinge_grad",
    "hinge_loss",
    "log_softmax",
    "log_softmax_vjp",
    "logistic_grad",
    "logistic_loss",
    "logistic_mse_grad",
    "logistic_mse_loss",
    "nll_loss",
    "nll_loss_grad",
    "perceptron_grad",
    "perceptron_loss",
    "sigmoid",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_regression_grad",
    "softmax_regression_loss",
    "softmax_vjp",
]


# ----- Sigmoid -----


@implements("classification.sigmoid_one_minus")
def sigmoid(z: ArrayLike) -> np.ndarray:
    """σ(z) = 1/(1 + e⁻ᶻ), elementwise; finite and in [0, 1] for any finite z.

    1 − σ(z) = σ(−z) = 1/(1 + eᶻ) (note 002, §1.1). Computed as e^{min(z, 0)}/(1 + e^{−|z|}).
    """
    (z,) = floats(z=z)
    if (out := fast("sigmoid", z)) is not None:
        return out
    return as_array(stable_sigmoid(z))


# ----- Logistic regression -----


def _prepare(X: ArrayLike, y: ArrayLike, theta: ArrayLike, mean: bool = True) -> list[np.ndarray]:
    X, y, theta = floats(X=X, y=y, theta=theta)
    check_X_y_theta(X, y, theta)
    if mean:  # a mean over no samples is undefined; a sum over them is 0
        require_samples("X", X)
    return [X, y, theta]


@implements(
    "classification.logistic_cross_entropy_gradient", "classification.logistic_cross_entropy_loss"
)
def logistic_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.floating:
    """Mean binary cross-entropy, L = −(1/N) Σᵢ [yᵢ log σ(uᵢ) + (1 − yᵢ) log(1 − σ(uᵢ))], u = Xθ.

    Computed as (1/N) Σᵢ [log(1 + e^{uᵢ}) − yᵢuᵢ] with logaddexp, finite for any finite
    logits (no log(0)).
    """
    X, y, theta = _prepare(X, y, theta)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        u = X @ theta
        return np.mean(np.logaddexp(0, u) - y * u)


@implements("classification.logistic_cross_entropy_gradient")
def logistic_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
    """∇θ L = (1/N) Xᵀ(σ(Xθ) − y) for the mean cross-entropy (logistic_loss).

    Note 001 derives Σᵢ (yᵢ − h(xᵢ)) xᵢ for the log-likelihood (the ascent direction, the
    negative of this times N) and then writes it, wrongly, as xᵀ·Σᵢ(yᵢ − h(xᵢ)).
    """
    X, y, theta = _prepare(X, y, theta)
    if (out := fast("logistic_grad", X, y, theta)) is not None:
        return out
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return X.T @ (stable_sigmoid(X @ theta) - y) / X.shape[0]


@implements("classification.logistic_mse_gradient", "classification.logistic_mse_loss")
def logistic_mse_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.floating:
    """L = (1/(2N)) Σᵢ (σ(xᵢᵀθ) − yᵢ)², the mean of note 001's ½(h − y)²."""
    X, y, theta = _prepare(X, y, theta)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        r = stable_sigmoid(X @ theta) - y
        return np.mean(r * r) / 2  # a pairwise sum: r @ r is 3e-5 off in float32 at 10⁷ rows


@implements("classification.logistic_mse_gradient", "activations.sigmoid_derivative")
def logistic_mse_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
    """∇θ L = (1/N) Xᵀ[(h − y) ⊙ h ⊙ (1 − h)], h = σ(Xθ), for L of logistic_mse_loss."""
    X, y, theta = _prepare(X, y, theta)
    if (out := fast("logistic_mse_grad", X, y, theta)) is not None:
        return out
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        h = stable_sigmoid(X @ theta)
        return X.T @ ((h - y) * h * (1 - h)) / X.shape[0]


# ----- Perceptron -----


def _misclassified(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, ...]:
    """(u = Xθ, h − y) with h = 1[u ≥ 0] (note 001): 1 − 2yᵢ on misclassified samples, else 0."""
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        u = X @ theta
    return u, (u >= 0).astype(X.dtype) - y


@implements("classification.perceptron_gradient", "classification.perceptron_loss")
def perceptron_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.floating:
    """L(θ) = Σ_{x∈M₀} xᵀθ − Σ_{x∈M₁} xᵀθ = Σᵢ (hᵢ − yᵢ) xᵢᵀθ, a *sum* over samples (note 001).

    hᵢ = 1[xᵢᵀθ ≥ 0], y ∈ {0, 1}; M₀ (M₁) are the misclassified samples of class 0 (1), so
    each term is (1 − 2yᵢ)xᵢᵀθ ≥ 0 on a misclassified sample and 0 on a correct one. L is
    continuous and piecewise linear in θ; 0 for an empty batch.
    """
    X, y, theta = _prepare(X, y, theta, mean=False)
    u, coef = _misclassified(X, y, theta)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return np.sum(coef * u)  # pairwise: coef @ u is 5e-7 off in float32 at 10⁷ rows


@implements(
    "classification.perceptron_gradient", "classification.perceptron_gradient_piecewise"
)
def perceptron_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
    """∇θ L = Σᵢ (hᵢ − yᵢ) xᵢ = Xᵀ(h − y) = Σ_{misclassified} (1 − 2yᵢ) xᵢ (a sum, not a mean).

    The gradient of perceptron_loss wherever no xᵢᵀθ = 0 (there L has a kink). Note 001 also
    writes Σᵢ (1 − 2yᵢ) xᵢ summed over *all* samples, which is wrong unless every sample is
    misclassified. Zeros for an empty batch.
    """
    X, y, theta = _prepare(X, y, theta, mean=False)
    _, coef = _misclassified(X, y, theta)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return X.T @ coef


# ----- Softmax and its vector-Jacobian products -----


def _check_axis(axis: int, a: np.ndarray) -> int:
    """An integer axis of a (−ndim ≤ axis < ndim; a 0-d array has the one axis 0, as torch's
    dim for a scalar tensor)."""
    n = max(a.ndim, 1)
    ax = integer(axis)
    if ax is None or not -n <= ax < n:
        raise ValueError(f"axis must be an integer in [{-n}, {n}) for an array of shape "
                         f"{a.shape}; got {axis!r}")
    return ax


def _row_max(Z: np.ndarray, axis: int) -> np.ndarray:
    """The max along axis, kept as a length-1 axis; −∞ along an empty axis (no classes), so
    that softmax of an N × 0 array is N × 0, as torch's."""
    return Z.max(axis=axis, keepdims=True, initial=-np.inf)


def _shifted(Z: np.ndarray, axis: int) -> np.ndarray:
    """Z − max along axis: ≤ 0, NaN along a row holding +∞ (∞ − ∞) or NaN, as torch's softmax;
    a difference below the dtype's range is −∞, whose exponential is the exact 0."""
    with np.errstate(invalid="ignore", over="ignore"):
        return Z - _row_max(Z, axis)


def _softmax(Z: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(_shifted(Z, axis))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def _log_softmax(Z: np.ndarray, axis: int) -> np.ndarray:
    shifted = _shifted(Z, axis)
    with np.errstate(divide="ignore"):  # log 0 only along an empty axis, where nothing uses it
        return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@implements(
    "classification.softmax_log_likelihood_gradient", "classification.softmax_shift_invariance"
)
@torch_names(input="Z", dim="axis")
@torch_flags(dtype=SOFTMAX_DTYPE)
def softmax(Z: ArrayLike, axis: int = -1, out: np.ndarray | None = None) -> np.ndarray:
    """S(z)ⱼ = e^{zⱼ} / Σₖ e^{zₖ} along axis, computed with the max subtracted.

    out: an array of Z's shape and dtype to write into (Z itself for in place); by default a
    new array, and Z is never modified.
    """
    (Z,) = floats(Z=not_boolean("Z", Z, "softmax"))
    axis = _check_axis(axis, Z)
    if out is not None and (not isinstance(out, np.ndarray) or out.shape != Z.shape
                            or out.dtype != Z.dtype or not out.flags.writeable):
        raise ValueError(f"out must be a writeable {Z.dtype} array of shape {Z.shape}")
    if (fast_out := fast("softmax", Z, axis, out)) is not None:
        return fast_out
    if out is None:
        return as_array(_softmax(Z, axis))
    out[...] = _softmax(Z, axis)
    return out


@implements("classification.softmax_log_likelihood_gradient", "classification.log_softmax")
@torch_names(input="Z", dim="axis")
@torch_flags(dtype=SOFTMAX_DTYPE)
def log_softmax(Z: ArrayLike, axis: int = -1) -> np.ndarray:
    """log S(z)ⱼ = zⱼ − log Σₖ e^{zₖ} along axis (log-sum-exp with the max subtracted)."""
    (Z,) = floats(Z=not_boolean("Z", Z, "log_softmax"))
    return as_array(_log_softmax(Z, _check_axis(axis, Z)))


def _check_vjp(grad: ArrayLike, y: ArrayLike, y_name: str) -> tuple[np.ndarray, np.ndarray]:
    grad, y = floats(grad=grad, **{y_name: y})
    if grad.shape != y.shape:
        raise ValueError(
            f"{y_name} has shape {y.shape} but grad has shape {grad.shape}; "
            f"expected grad of shape {y.shape}"
        )
    return grad, y


@implements("classification.softmax_vjp")
@torch_names(dim="axis")
def softmax_vjp(grad: ArrayLike, s: ArrayLike, axis: int = -1) -> np.ndarray:
    """gᵀ ∂S/∂z = s ⊙ (g − ⟨g, s⟩) along axis, for s = softmax(z) (the forward's output) and an
    upstream gradient g = ∂L/∂s: the backward pass of softmax (∂S/∂z = diag(s) − s sᵀ)."""
    grad, s = _check_vjp(grad, s, "s")
    axis = _check_axis(axis, s)
    if (out := fast("softmax_vjp", grad, s, axis)) is not None:
        return out
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        out = grad - (grad * s).sum(axis=axis, keepdims=True)
        out *= s
    return as_array(out)


@implements("classification.log_softmax_vjp")
@torch_names(dim="axis")
def log_softmax_vjp(grad: ArrayLike, log_s: ArrayLike, axis: int = -1) -> np.ndarray:
    """gᵀ ∂(log S)/∂z = g − e^{log s} Σⱼ gⱼ along axis, for log_s = log_softmax(z) and an
    upstream gradient g (∂ log Sᵢ/∂zⱼ = δᵢⱼ − sⱼ)."""
    grad, log_s = _check_vjp(grad, log_s, "log_s")
    axis = _check_axis(axis, log_s)
    if (out := fast("log_softmax_vjp", grad, log_s, axis)) is not None:
        return out
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return as_array(grad - np.exp(log_s) * grad.sum(axis=axis, keepdims=True))


# ----- Softmax cross-entropy -----


def _check_logits(Z: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    (Z,) = floats(Z=Z)
    require_ndim("Z", Z, 2, "logits, N × C")
    require_samples("Z", Z)
    lab = check_labels(labels, Z.shape[0], Z.shape[1], "Z")
    return Z, lab


def _one_hot(labels: np.ndarray, n_classes: int, dtype: np.dtype) -> np.ndarray:
    return (labels[:, None] == np.arange(n_classes)).astype(dtype)


@implements(
    "classification.softmax_log_likelihood_gradient", "classification.softmax_cross_entropy"
)
def softmax_cross_entropy(Z: ArrayLike, labels: ArrayLike) -> np.floating:
    """L = −(1/N) Σᵢ log S(zᵢ)_{yᵢ} = (1/N) Σᵢ [log Σₖ e^{zᵢₖ} − zᵢ,yᵢ]; Z is N × C."""
    Z, lab = _check_logits(Z, labels)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return -np.mean(np.take_along_axis(_log_softmax(Z, 1), lab[:, None], axis=1))


@implements(
    "classification.softmax_log_likelihood_gradient",
    "classification.softmax_cross_entropy_logit_gradient",
)
def softmax_cross_entropy_grad(Z: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """∂L/∂Z = (softmax(Z) − Y)/N for L of softmax_cross_entropy; Y is one-hot(labels), N × C.

    Note 001 derives, per sample, ∂ log L/∂θᵥ = Σᵢ xᵢ(1{yᵢ = v} − S(xᵢθᵥ)); this is minus
    its logit part, scaled by 1/N.
    """
    Z, lab = _check_logits(Z, labels)
    if (out := fast("softmax_cross_entropy_grad", Z, lab)) is not None:
        return out
    return (_softmax(Z, 1) - _one_hot(lab, Z.shape[1], Z.dtype)) / Z.shape[0]


def _check_softmax_regression(X, W, labels):
    X, W = floats(X=X, W=W)
    require_ndim("X", X, 2, "samples as rows, N × d")
    require_ndim("W", W, 2, "d × C")
    require_samples("X", X)
    if W.shape[0] != X.shape[1]:
        raise ValueError(
            f"X has shape {X.shape} but W has shape {W.shape}; "
            f"expected W with {X.shape[1]} rows (d × C)"
        )
    lab = check_labels(labels, X.shape[0], W.shape[1], "X")
    return X, W, lab


@implements(
    "classification.softmax_log_likelihood_gradient", "classification.softmax_regression_loss"
)
def softmax_regression_loss(X: ArrayLike, W: ArrayLike, labels: ArrayLike) -> np.floating:
    """L(W) = softmax_cross_entropy(XW, labels); X is N × d, W is d × C."""
    X, W, lab = _check_softmax_regression(X, W, labels)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return -np.mean(np.take_along_axis(_log_softmax(X @ W, 1), lab[:, None], axis=1))


@implements("classification.softmax_log_likelihood_gradient")
def softmax_regression_grad(X: ArrayLike, W: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """∇_W L = (1/N) Xᵀ(softmax(XW) − Y), d × C, for L of softmax_regression_loss."""
    X, W, lab = _check_softmax_regression(X, W, labels)
    if (out := fast("softmax_regression_grad", X, W, lab)) is not None:
        return out
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return X.T @ (_softmax(X @ W, 1) - _one_hot(lab, W.shape[1], X.dtype)) / X.shape[0]


# ----- Cross-entropy with PyTorch's options -----


def _check_cross_entropy(Z, target, weight, ignore_index, label_smoothing, reduction="mean",
                         grad_output=None, *, gradient=False):
    """Validated (Z, w, ε, labels, P, rows, norm) of the general cross-entropy
    L = Σᵢ rᵢ (−Σ_c w_c T̃ᵢ_c log S(zᵢ)_c) / norm, T̃ = (1 − ε)T + ε/C.

    Class-index targets give labels (ignore_index rows mapped to class 0, rᵢ = 0 there) and
    P = None, norm = Σᵢ rᵢ w_{yᵢ}; probability targets give P (N × C) and labels = None,
    rᵢ = 1, norm = N. w: the class weights, ones by default. Z, w and P share one dtype,
    the promotion of the floating ones (floats). reduction 'sum' or 'none' has norm = 1;
    with 'none', rᵢ is also multiplied by grad_output's uᵢ (the gradient's upstream, which
    gradient=True requires then; 0 on an ignored row whatever uᵢ is)."""
    reduction = reduction_of(reduction)
    u = None if grad_output is None else np.asarray(grad_output)
    if u is not None and u.dtype.kind not in "fiu":
        raise ValueError(f"grad_output must be a real numeric array; got dtype {u.dtype}")
    t = np.asarray(target)
    if t.dtype.kind not in "iuf":  # torch refuses a bool target in either form too
        raise ValueError(
            f"target must be integer class indices (N,) or floating probabilities (N × C); "
            f"got dtype {t.dtype} (convert it: .astype(int) or .astype(float))"
        )
    indices = t.dtype.kind in "iu"  # class indices; floating targets hold probabilities
    if not indices and t.ndim == 1:  # torch: "expected target dtype to be Long"
        raise ValueError(
            f"target has shape {t.shape} and dtype {t.dtype}: class indices must be an "
            "integer array (e.g. target.astype(int)); probabilities must be N × C"
        )
    Z, *rest = floats(Z=Z, **({} if indices else {"target": t}),
                      **({} if weight is None else {"weight": weight}),
                      **({} if u is None else {"grad_output": u}))
    P = None if indices else rest.pop(0)
    u = None if u is None else rest.pop()
    require_ndim("Z", Z, 2, "logits, N × C")
    if reduction == "mean":  # a sum over no rows is 0, losses per row are empty
        require_samples("Z", Z)
    n, c = Z.shape
    if gradient:
        grad_output_for(reduction, u, (n,), "row")
    eps = hyper("label_smoothing", label_smoothing)
    if not 0 <= eps <= 1:  # torch refuses ε > 1 and silently ignores ε < 0 or NaN (no
        # smoothing at all): a clear refusal here, not a smoothing that quietly is not there
        raise ValueError(f"label_smoothing must lie in [0, 1]; got {eps} (torch's cross_entropy "
                         "takes a negative or NaN label_smoothing and ignores it, smoothing "
                         "nothing: pass 0 for that)")
    if weight is None:
        w = np.ones(c, Z.dtype)
    else:
        (w,) = rest
        if w.shape != (c,):
            raise ValueError(f"Z has {c} classes but weight has shape {w.shape}; expected ({c},)")
    if integer(ignore_index) is None:
        raise ValueError(f"ignore_index must be an integer class index; got {ignore_index!r}")
    if indices:  # ignore_index rows drop out
        if t.ndim != 1 or t.shape[0] != n:
            raise ValueError(f"Z has {n} rows but target has shape {t.shape}; expected ({n},)")
        keep = t != ignore_index
        lab = check_labels(np.where(keep, t, 0), n, c, "Z", name="target")
        rows = keep.astype(Z.dtype) if u is None else np.where(keep, u, 0).astype(Z.dtype)
        if reduction != "mean":
            return Z, w, eps, lab, None, rows, 1
        # Σᵢ w_{yᵢ} over the rows kept, as torch's mean: an ignored row's stand-in label 0
        # adds nothing, not 0 · w₀ (NaN at an infinite or NaN w₀); past the range ∞, as torch's
        with np.errstate(over="ignore"):
            norm = w[lab[keep]].sum()
        if norm == 0:
            raise ValueError(
                "no row counts: every target is ignore_index (or the weights of the targets' "
                "classes sum to 0), so the mean is undefined"
            )
        return Z, w, eps, lab, None, rows, norm
    if P.shape != Z.shape:
        raise ValueError(
            f"Z has shape {Z.shape} but target has shape {P.shape}; expected class indices "
            f"of shape ({n},) or probabilities of shape {Z.shape}"
        )
    if ignore_index >= 0:  # torch: "ignore_index is not supported for floating point target"
        raise ValueError(
            f"ignore_index = {ignore_index} names a class to ignore, but target holds "
            "probabilities (no row has a class); leave ignore_index at its default (as torch)"
        )
    if c == 0 and reduction == "mean":  # torch: NaN, its mean divides by numel/C = 0/0
        raise ValueError(f"Z has shape {Z.shape}: no class, so the mean over its probability "
                         "targets is undefined (torch's is NaN); 'sum' and 'none' give 0")
    rows = np.ones(n, Z.dtype) if u is None else u
    return Z, w, eps, None, P, rows, n if reduction == "mean" else 1


def _one_row(Z, target, grad_output):
    """torch's unbatched call, logits Z of shape (C,) with a 0-d class index or C probabilities
    (and, for reduction='none', a 0-d grad_output), as one row: (Z, target, grad_output,
    True); any other call unchanged, with False (the checks then judge it)."""
    z, t = np.asarray(Z), np.asarray(target)
    if z.ndim != 1 or not (t.ndim == 0 or (t.ndim == 1 and t.dtype.kind == "f")):
        return Z, target, grad_output, False
    if grad_output is not None and np.ndim(grad_output) != 0:
        raise ValueError(f"Z of shape {z.shape} is one unbatched row, so its loss is 0-d and "
                         f"grad_output must be 0-d too; got shape {np.shape(grad_output)}")
    u = None if grad_output is None else np.asarray(grad_output)[None]
    return z[None], t[None], u, True


@dataclass(frozen=True)
class _Spatial:
    """torch's K-dimensional call, logits Z of shape (N, C, d₁, …, d_K), K ≥ 1, taken as the
    N·d₁⋯d_K rows of C logits along axis 1 (what torch's mean, weights and ignore_index
    count too); `shape` is Z's, None for any other call."""

    shape: tuple[int, ...] | None

    def losses(self, per_row: np.ndarray) -> np.ndarray:
        """The rows' losses (reduction 'none') in the shape (N, d₁, …, d_K); as they are when
        the call was not K-dimensional."""
        return per_row if self.shape is None else per_row.reshape(self.shape[:1] + self.shape[2:])

    def gradient(self, rows: np.ndarray) -> np.ndarray:
        """The rows' gradient (N·d₁⋯d_K, C) back in Z's shape, C-contiguous as torch's; as it
        is when the call was not K-dimensional."""
        if self.shape is None:
            return rows
        n, c, *d = self.shape
        return np.ascontiguousarray(np.moveaxis(rows.reshape(n, *d, c), -1, 1))


def _spatial_rows(Z, target, grad_output):
    """(Z, target, grad_output, spatial) with a K-dimensional call's logits as rows (N·d₁⋯d_K,
    C), its class indices (N, d₁, …, d_K) or probabilities (Z's shape) and grad_output
    (N, d₁, …, d_K) flattened to match; any other call unchanged (the checks then judge it)."""
    z = np.asarray(Z)
    if z.ndim < 3:
        return Z, target, grad_output, _Spatial(None)
    t = np.asarray(target)
    n, c, *d = z.shape
    spots = (n, *d)
    if t.dtype.kind == "f" and t.shape == z.shape:  # probabilities, class axis 1 as Z's
        t = as_rows(np.moveaxis(t, 1, -1))
    elif t.shape == spots and t.dtype.kind != "f":  # class indices (the checks judge a bool)
        t = t.reshape(-1)
    else:
        raise ValueError(f"Z has shape {z.shape} (N, C, d₁, …) but target has shape "
                         f"{t.shape} ({t.dtype}); expected integer class indices of shape "
                         f"{spots} or probabilities of shape {z.shape}")
    u = grad_output
    if u is not None:
        u = np.asarray(u)
        if u.shape != spots:
            raise ValueError(f"grad_output has shape {u.shape}; expected {spots}, one entry "
                             "per loss of Z (N, C, d₁, …) with reduction='none'")
        u = u.reshape(-1)
    return as_rows(np.moveaxis(z, 1, -1)), t, u, _Spatial(z.shape)


def _kept(target: np.ndarray, ignore_index: int) -> np.ndarray:
    """Which rows of class-index targets count (their target is not ignore_index)."""
    return np.asarray(target) != ignore_index


def _weighted_targets(Z, w, lab, P, eps, keep, scale):
    """sᵢ w ⊙ T̃ᵢ (T̃ = (1 − ε)T + ε/C, sᵢ a row's scale) with the terms torch forms.
    Probabilities P: every term. Class indices: (1 − ε)w_y sᵢ at a kept row's label y and,
    when ε > 0, (ε/C)w sᵢ along the row; 0 elsewhere, never 0 · w_c or 0 · sᵢ, so the
    infinite or NaN weight of a class a row does not target, or an infinite upstream
    gradient, reaches only the terms torch's nll_loss forms (w_y alone without smoothing).
    An ignored row holds 0, or with ε > 0 the 0 · w of torch's masked smoothing term (NaN at
    a weight that is not finite)."""
    if P is not None:
        return w * _smoothed_targets(Z, lab, P, eps) * scale[:, None]
    n, c = Z.shape
    wT = np.zeros(Z.shape, Z.dtype)
    if eps:
        wT[...] = np.where(keep[:, None], (eps / c) * w * scale[:, None], 0 * w)
    wT[np.arange(n), lab] += np.where(keep, (1 - eps) * w[lab] * scale, 0)
    return wT


def _smoothed_targets(Z, labels, P, eps):
    """T̃ = (1 − ε)T + ε/C, T one-hot(labels) or the probabilities P."""
    c = Z.shape[1]
    T = _one_hot(labels, c, Z.dtype) if P is None else P
    return (1 - eps) * T + (eps / c if c else 0)  # (no class: T is empty)


@implements("classification.cross_entropy_weighted_smoothed_loss")
@torch_names(input="Z")
@torch_flags(**LEGACY_REDUCTION)
def cross_entropy(
    Z: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
) -> np.floating | np.ndarray:
    """Cross-entropy of logits Z (N × C), as torch.nn.functional.cross_entropy (mean):

    L = Σᵢ rᵢ (−Σ_c w_c T̃ᵢ_c log S(zᵢ)_c) / norm, T̃ = (1 − ε)T + ε/C.

    target: class indices (N,) — T one-hot, rows with ignore_index dropped (rᵢ = 0),
    norm = Σᵢ rᵢ w_{yᵢ} — or probabilities (N × C) — rᵢ = 1, norm = N, and ignore_index must
    stay negative (torch refuses a class to ignore there). weight: class weights w (C,),
    default 1; ε = label_smoothing. Integer targets are class indices, floating ones
    probabilities; a boolean target, or a floating one of shape (N,), is a ValueError (as
    torch refuses both). Class indices of any integer dtype are read as the indices they hold
    (a deliberate leniency: torch takes int64 and uint8 only, and refuses int8/16/32 targets).

    reduction, as torch's: 'mean' (above), 'sum' (norm = 1: Σᵢ rᵢ ℓᵢ, 0 when every row is
    ignored or there is none) or 'none' (the N losses ℓᵢ = −Σ_c w_c T̃ᵢ_c log S(zᵢ)_c, 0 on an
    ignored row).

    Unbatched, as torch: Z of shape (C,) with a 0-d class index or C probabilities is one row
    (the losses of 'none' are then 0-d). K-dimensional, as torch: Z of shape (N, C, d₁, …, d_K)
    with class indices (N, d₁, …, d_K) or probabilities of Z's shape is N·d₁⋯d_K rows of C
    logits (along axis 1), each counted as a row above; 'none' gives losses (N, d₁, …, d_K).
    """
    Z, target, _, one_row = _one_row(Z, target, None)
    Z, target, _, spatial = _spatial_rows(Z, target, None)
    Z, w, eps, lab, P, rows, norm = _check_cross_entropy(
        Z, target, weight, ignore_index, label_smoothing, reduction
    )
    log_s = _log_softmax(Z, 1)
    if P is None:  # Σ_c w_c T̃ᵢ_c log S_c with T one-hot, without its zero terms: a class at
        # −∞ other than the label adds nothing (0 · −∞ would be NaN), as torch's nll_loss
        picked = np.take_along_axis(log_s, lab[:, None], axis=1)[:, 0]
        with specials_quietly():  # a weight times a loss past the range: ±∞, as torch's
            per_row = -(1 - eps) * w[lab] * picked
            if eps:
                per_row -= (eps / Z.shape[1]) * (w * log_s).sum(axis=1)
    else:
        with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
            per_row = -(_smoothed_targets(Z, lab, P, eps) * w * log_s).sum(axis=1)
    if reduction == "none":
        losses = np.where(rows > 0, per_row, Z.dtype.type(0))  # ignored rows 0, not NaN × 0
        return losses.reshape(()) if one_row else spatial.losses(losses)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return per_row[rows > 0].sum() / Z.dtype.type(norm)  # ignored rows left out, not × 0


@implements(
    "classification.cross_entropy_weighted_smoothed_gradient",
    "classification.cross_entropy_soft_target_gradient",
)
@torch_flags(**LEGACY_REDUCTION)
def cross_entropy_grad(
    Z: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    label_smoothing: float = 0.0,
    reduction: str = "mean",
    grad_output: ArrayLike | None = None,
) -> np.ndarray:
    """∂L/∂zᵢ = rᵢ((Σ_c w_c T̃ᵢ_c) S(zᵢ) − w ⊙ T̃ᵢ)/norm for L of cross_entropy (same arguments);
    with one-hot T and no weights or smoothing, (S(Z) − Y)/N. reduction='none' gives N
    losses, whose gradient is a vector-Jacobian product: grad_output u (N,) is then required
    and row i is uᵢ ∂ℓᵢ/∂zᵢ (0 on an ignored row), as loss.backward(u) in torch. An unbatched
    Z of shape (C,) gives a gradient of shape (C,) (a 0-d grad_output with 'none'); a
    K-dimensional Z (N, C, d₁, …, d_K) one of its shape (grad_output (N, d₁, …, d_K))."""
    Z, target, grad_output, one_row = _one_row(Z, target, grad_output)
    Z, target, grad_output, spatial = _spatial_rows(Z, target, grad_output)
    Z, w, eps, lab, P, rows, norm = _check_cross_entropy(
        Z, target, weight, ignore_index, label_smoothing, reduction, grad_output, gradient=True
    )
    grad = fast("cross_entropy_grad", Z, w, eps, lab, P, rows, norm)
    if grad is None:
        keep = None if P is not None else _kept(target, ignore_index)
        # 0 · ∞ and ∞ − ∞ from an infinite target, weight or upstream gradient: NaN, as torch's
        with nan_quietly(), np.errstate(over="ignore"):
            scale = rows / Z.dtype.type(norm)
            if keep is not None:  # an ignored row is not scaled: 0/NaN (a NaN weight's mean)
                scale = np.where(keep, scale, 0)  # would make it NaN, torch's is 0
            # G = −s w ⊙ T̃ is nll_loss's gradient, which log_softmax's VJP maps to S ΣG − G
            # (as torch's backward: an infinite sᵢ gives NaN at the target, ∞ − ∞, not −∞)
            wT = _weighted_targets(Z, w, lab, P, eps, keep, scale)
            grad = _softmax(Z, 1)
            grad *= wT.sum(axis=1, keepdims=True)
            grad -= wT
    return grad[0] if one_row else spatial.gradient(grad)


# ----- Hinge loss -----


def _check_scores(scores: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    scores, y = floats(scores=scores, y=y)
    require_ndim("scores", scores, 1, "one score per sample")
    require_samples("scores", scores)
    if y.shape != scores.shape:
        raise ValueError(
            f"scores has shape {scores.shape} but y has shape {y.shape}; expected y of shape "
            f"{scores.shape}"
        )
    if not np.all(np.abs(y) == 1):
        raise ValueError("y must hold labels −1 or +1")
    return scores, y


@implements("classification.hinge_loss_via_abs")
def hinge_loss(scores: ArrayLike, y: ArrayLike) -> np.floating:
    """L = (1/N) Σᵢ max(0, 1 − yᵢsᵢ), labels yᵢ ∈ {−1, +1} (the SVM loss)."""
    scores, y = _check_scores(scores, y)
    return np.mean(np.maximum(0, 1 - y * scores))


@implements("classification.hinge_loss_subgradient")
def hinge_grad(scores: ArrayLike, y: ArrayLike) -> np.ndarray:
    """∂L/∂sᵢ = −yᵢ 1[yᵢsᵢ < 1] / N (0 at the kink yᵢsᵢ = 1, the subgradient torch's relu
    uses; 0 at a NaN score, where torch's relu(1 − y s) passes −yᵢ/N)."""
    scores, y = _check_scores(scores, y)
    if (out := fast("hinge_grad", scores, y)) is not None:
        return out
    return -y * (y * scores < 1) / scores.shape[0]


# ----- Binary cross-entropy of logits (as in PyTorch) -----


def _broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False


def _check_bce(z, target, weight, pos_weight, reduction, grad_output=None, *, gradient=False):
    """(z, y, w or None, q or None, u or None, reduction) in one dtype, the promotion of the
    floating ones; y of z's shape, w and q broadcastable to it (torch broadcasts them too)."""
    reduction = reduction_of(reduction)
    named = {"z": z, "target": target,
             **({} if weight is None else {"weight": weight}),
             **({} if pos_weight is None else {"pos_weight": pos_weight}),
             **({} if grad_output is None else {"grad_output": grad_output})}
    arrays = dict(zip(named, floats(**named), strict=True))
    z, y = arrays["z"], arrays["target"]
    if y.shape != z.shape:
        raise ValueError(f"z has shape {z.shape} but target has shape {y.shape}; expected "
                         f"target of shape {z.shape}")
    for name in ("weight", "pos_weight"):
        if name in arrays and not _broadcasts_to(arrays[name].shape, z.shape):
            raise ValueError(f"{name} has shape {arrays[name].shape}, which does not broadcast "
                             f"to z's shape {z.shape}")
    if z.size == 0 and reduction == "mean":
        raise ValueError(f"z is empty (shape {z.shape}); the mean is undefined")
    u = arrays.get("grad_output")
    if gradient:
        grad_output_for(reduction, u, z.shape, "entry")
    return z, y, arrays.get("weight"), arrays.get("pos_weight"), u, reduction


@implements("classification.bce_with_logits_stable_form")
@torch_names(input="z")
@torch_flags(**LEGACY_REDUCTION)
def binary_cross_entropy_with_logits(
    z: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    *,
    reduction: str = "mean",
    pos_weight: ArrayLike | None = None,
) -> np.floating | np.ndarray:
    """ℓ = −w[q·y log σ(z) + (1 − y) log(1 − σ(z))] per entry, computed as torch's
    binary_cross_entropy_with_logits computes it: w[(1 − y)z + (1 + (q − 1)y)(log(1 + e^{−|z|})
    + max(−z, 0))], finite at any finite logit. target y (probabilities, z's shape), weight
    w and pos_weight q (the weight of the positive term, torch's pos_weight) broadcast to z's
    shape, 1 by default. reduction as torch's: 'mean' over the entries, 'sum' or 'none'. An
    infinite logit gives NaN unless its target makes the loss 0 there, as torch's (∞ − ∞)."""
    z, y, w, q, _, reduction = _check_bce(z, target, weight, pos_weight, reduction)
    softplus_neg = np.log1p(np.exp(-np.abs(z))) + np.maximum(-z, 0)  # −log σ(z)
    with specials_quietly():  # q = ±∞ times y = 0: NaN, as torch's
        coef = 1 if q is None else 1 + (q - 1) * y
    with specials_quietly():  # ∞ − ∞ at an infinite logit: NaN; past the range ±∞, as torch's
        losses = (1 - y) * z + coef * softplus_neg
        if w is not None:
            losses = losses * w
    return reduced(losses, reduction)


@implements("classification.bce_with_logits_gradient")
@torch_flags(**LEGACY_REDUCTION)
def binary_cross_entropy_with_logits_grad(
    z: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    *,
    reduction: str = "mean",
    pos_weight: ArrayLike | None = None,
    grad_output: ArrayLike | None = None,
) -> np.ndarray:
    """∂ℓ/∂z = w[(q·y + 1 − y)σ(z) − q·y] per entry (σ(z) − y with w = q = 1), over n for
    'mean'; for 'none', the vector-Jacobian product with grad_output u (z's shape, required):
    u ⊙ ∂ℓ/∂z, as loss.backward(u) in torch. Same arguments as
    binary_cross_entropy_with_logits."""
    z, y, w, q, u, reduction = _check_bce(z, target, weight, pos_weight, reduction,
                                          grad_output, gradient=True)
    divisor = z.size if reduction == "mean" else 1
    if (out := fast("binary_cross_entropy_with_logits_grad", z, y, w, q, u,
                    divisor)) is not None:
        return out
    s = as_array(stable_sigmoid(z))  # a new array: updated in place below
    if q is None:
        s -= y
        grad = s
    else:  # torch's order: t = q·y, (t + 1 − y)σ(z) − t, each pass in place on one new array
        with specials_quietly():  # q = ±∞: 0 · ∞ at y = 0 and ∞ − ∞ (NaN), as torch's
            qy = q * y
            grad = qy + 1
            grad -= y
            grad *= s
            grad -= qy
    if w is not None:
        with specials_quietly():  # a product past the range: ±∞, as torch's
            grad *= w  # w broadcasts to z's shape (checked)
    if reduction == "none":
        with upstream_quietly():
            grad *= u
    elif divisor != 1:
        grad /= z.dtype.type(divisor)
    return grad


# ----- Negative log-likelihood of log-probabilities (as in PyTorch) -----


def _check_nll(Z, target, weight, ignore_index, reduction, grad_output=None, *, gradient=False):
    """cross_entropy's checks for class-index targets only (torch's nll_loss takes no
    probabilities): (Z, w, labels, rows, norm)."""
    t = np.asarray(target)
    if t.dtype.kind not in "iu":  # torch: "expected scalar type Long"
        raise ValueError(f"target must be integer class indices of shape (N,); got dtype "
                         f"{t.dtype} (nll_loss takes no probabilities; see cross_entropy)")
    Z, w, _, lab, _, rows, norm = _check_cross_entropy(
        Z, t, weight, ignore_index, 0.0, reduction, grad_output, gradient=gradient)
    return Z, w, lab, rows, norm


@implements("classification.nll_loss_weighted_ignored")
@torch_names(input="Z")
@torch_flags(**LEGACY_REDUCTION)
def nll_loss(
    Z: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> np.floating | np.ndarray:
    """L = Σᵢ rᵢ(−w_{yᵢ} Zᵢ,yᵢ) / Σᵢ rᵢ w_{yᵢ}, as torch.nn.functional.nll_loss(Z, target,
    weight, ignore_index=..., reduction=...) in its argument order after target: Z (N × C) holds
    log-probabilities (log_softmax of logits: nll_loss(log_softmax(Z), y) is cross_entropy(Z,
    y)), target class indices (N,), rᵢ = 0 on the rows whose target is ignore_index, weight w
    (C,) 1 by default. reduction 'sum' (norm 1) and 'none' (the N terms, 0 on an ignored row) as
    cross_entropy's; a mean over no counted row is a ValueError. Unbatched, as torch: Z of
    shape (C,) with a 0-d target is one row; K-dimensional, Z (N, C, d₁, …, d_K) with target
    (N, d₁, …, d_K) is N·d₁⋯d_K rows, as cross_entropy's. Targets of any integer dtype, as
    cross_entropy's (torch refuses int8/16/32)."""
    Z, target, _, one_row = _one_row(Z, target, None)
    Z, target, _, spatial = _spatial_rows(Z, target, None)
    Z, w, lab, rows, norm = _check_nll(Z, target, weight, ignore_index, reduction)
    with specials_quietly():  # a weight times a loss past the range: ±∞, as torch's
        per_row = -w[lab] * np.take_along_axis(Z, lab[:, None], axis=1)[:, 0]
    if reduction == "none":
        losses = np.where(rows > 0, per_row, Z.dtype.type(0))  # ignored rows 0, not NaN × 0
        return losses.reshape(()) if one_row else spatial.losses(losses)
    with specials_quietly():  # ∞ − ∞, 0 · ∞ (NaN) and overflow (±∞), as torch's
        return per_row[rows > 0].sum() / Z.dtype.type(norm)  # ignored rows left out, not × 0


@implements("classification.nll_loss_gradient")
@torch_flags(**LEGACY_REDUCTION)
def nll_loss_grad(
    Z: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    grad_output: ArrayLike | None = None,
) -> np.ndarray:
    """∂L/∂Zᵢ,c = −rᵢ w_{yᵢ}/norm where c = yᵢ, 0 elsewhere (nll_loss's arguments); for
    reduction='none' the vector-Jacobian product with grad_output u (N,), required: row i is
    uᵢ ∂ℓᵢ/∂zᵢ (0 on an ignored row), as loss.backward(u) in torch; unbatched (Z of shape
    (C,)) and K-dimensional (Z of shape (N, C, d₁, …, d_K)) as nll_loss."""
    Z, target, grad_output, one_row = _one_row(Z, target, grad_output)
    Z, target, grad_output, spatial = _spatial_rows(Z, target, grad_output)
    Z, w, lab, rows, norm = _check_nll(Z, target, weight, ignore_index, reduction, grad_output,
                                       gradient=True)
    # an ignored row takes 0, not its stand-in label 0's 0 · w₀/norm (NaN at w₀ = ±∞ or at a
    # NaN norm); 0 · ∞ at a kept row is NaN, as torch's
    with nan_quietly():
        picked = np.where(_kept(target, ignore_index), -(rows * w[lab]) / Z.dtype.type(norm),
                          0).astype(Z.dtype)
    grad = fast("nll_loss_grad", Z.shape, Z.dtype, lab, picked)
    if grad is None:
        grad = np.zeros(Z.shape, Z.dtype)  # calloc'd: zero pages on first touch
        np.put_along_axis(grad, lab[:, None], picked[:, None], axis=1)
    return grad[0] if one_row else spatial.gradient(grad)


# ----- Binary cross-entropy of probabilities (as in PyTorch) -----

_LOG_FLOOR = -100.0  # torch clamps each log at −100, so p = 0 or 1 gives a finite loss
# torch's floor on p(1 − p) in the gradient's denominator, a C++ float 1e-12f (9.99999996e-13
# in float64 too)
_BCE_EPS = float(np.float32(1e-12))


def _check_bce_probabilities(p, target, weight, reduction, grad_output=None, *, gradient=False):
    p, y, w, _, u, reduction = _check_bce(p, target, weight, None, reduction, grad_output,
                                          gradient=gradient)
    inside = (p >= 0) & (p <= 1)
    if not inside.all():  # torch: "all elements of input should be between 0 and 1" (NaN too)
        bad = p[~inside].ravel()[0]
        raise ValueError(f"p holds probabilities and must lie in [0, 1] (NaN neither); got "
                         f"{bad!r}. For logits use binary_cross_entropy_with_logits")
    inside = (y >= 0) & (y <= 1)
    if not inside.all():  # torch: "all elements of target should be between 0 and 1"
        bad = y[~inside].ravel()[0]
        raise ValueError(f"target holds probabilities and must lie in [0, 1] (NaN neither); "
                         f"got {bad!r}")
    return p, y, w, u, reduction


@implements("classification.bce_probabilities_loss")
@torch_names(input="p")
@torch_flags(**LEGACY_REDUCTION)
def binary_cross_entropy(
    p: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    *,
    reduction: str = "mean",
) -> np.floating | np.ndarray:
    """ℓ = −w[y max(log p, −100) + (1 − y) max(log(1 − p), −100)] per entry, as
    torch.nn.functional.binary_cross_entropy(p, target, weight, reduction=...): p in [0, 1]
    (a ValueError otherwise, NaN included, as torch), target y of p's shape, weight w
    broadcast to it. reduction as torch's: 'mean', 'sum' or 'none'."""
    p, y, w, _, reduction = _check_bce_probabilities(p, target, weight, reduction)
    with np.errstate(divide="ignore"):  # log 0 = −∞, clamped to −100 below
        log_p = np.maximum(np.log(p), _LOG_FLOOR)
        log_1p = np.maximum(np.log1p(-p), _LOG_FLOOR)
    losses = -(y * log_p + (1 - y) * log_1p)
    if w is not None:
        losses = losses * w
    return reduced(losses, reduction)


@implements("classification.bce_probabilities_gradient")
@torch_flags(**LEGACY_REDUCTION)
def binary_cross_entropy_grad(
    p: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    *,
    reduction: str = "mean",
    grad_output: ArrayLike | None = None,
) -> np.ndarray:
    """∂ℓ/∂p = w(p − y)/max(p(1 − p), 10⁻¹²) per entry (torch's floor keeps p = 0 or 1
    finite), over n for 'mean'; for 'none' the vector-Jacobian product with grad_output u
    (p's shape, required), as loss.backward(u) in torch. Arguments as binary_cross_entropy."""
    p, y, w, u, reduction = _check_bce_probabilities(p, target, weight, reduction, grad_output,
                                                     gradient=True)
    grad = (p - y) / np.maximum((1 - p) * p, p.dtype.type(_BCE_EPS))
    if w is not None:
        grad = grad * w
    if reduction == "mean":
        grad = grad / p.dtype.type(p.size)
    elif reduction == "none":
        with upstream_quietly():
            grad = grad * u
    return as_array(grad)
