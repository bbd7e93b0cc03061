"""Logistic regression, the perceptron and softmax classification (notes 001, 002).

Conventions: X is N × d with samples as rows, theta has length d, y (binary
targets in {0, 1}, or probabilities) has length N, labels are integer class
indices of length N, logits Z are N × C. Losses are means over samples unless a
docstring says otherwise.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._blocks import blockwise, spans
from ._compiled import between_products as run_between_products
from ._compiled import chunks, kernels, row_pass_grad
from ._validate import check_labels, check_X_y_theta, floats, require_ndim

AHEAD = 2  # rows prefetched ahead by the softmax kernel
_NO_LABELS = np.empty(0, np.int64)

__all__ = [
    "log_softmax",
    "logistic_grad",
    "logistic_loss",
    "logistic_mse_grad",
    "logistic_mse_loss",
    "perceptron_grad",
    "perceptron_loss",
    "sigmoid",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_regression_grad",
    "softmax_regression_loss",
]


# ----- Sigmoid -----


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # σ(z) = e^{min(z, 0)} / (1 + e^{−|z|}): neither exponent is positive, so nothing
    # overflows, and for very negative z the result keeps full relative precision
    # (no 1 − σ cancellation). Branch-free: masked ufuncs and np.where are ~10× slower.
    zf = np.ascontiguousarray(z).reshape(-1)
    # never z itself: with out aliasing z, LLVM's run-time overlap check sends the compiled
    # loop down its scalar path (measured 5× slower)
    out = np.empty(z.shape, z.dtype)
    of = out.reshape(-1)
    k = kernels(zf)
    if k is not None:
        k.sigmoid(zf, of)
        return out

    def kernel(lo: int, hi: int, den: np.ndarray) -> None:
        zz, o = zf[lo:hi], of[lo:hi]
        np.minimum(zz, 0, out=o)
        np.exp(o, out=o)
        np.abs(zz, out=den)
        np.negative(den, out=den)
        np.exp(den, out=den)
        den += 1
        o /= den

    blockwise(kernel, zf.size, z.dtype)
    return out


def sigmoid(z: ArrayLike) -> np.ndarray:
    """σ(z) = 1/(1 + e⁻ᶻ), elementwise; finite and in [0, 1] for any finite z.

    1 − σ(z) = σ(−z) = 1/(1 + eᶻ) (note 002, §1.1).

    Claims: classification.sigmoid_one_minus
    """
    (z,) = floats(z=z)
    return _sigmoid(z)


# ----- Logistic regression -----


def _prepare(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> list[np.ndarray]:
    X, y, theta = floats(X=X, y=y, theta=theta)
    check_X_y_theta(X, y, theta)
    return [X, y, theta]


def logistic_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.floating:
    """Mean binary cross-entropy, L = −(1/N) Σᵢ [yᵢ log σ(uᵢ) + (1 − yᵢ) log(1 − σ(uᵢ))], u = Xθ.

    Computed as (1/N) Σᵢ [log(1 + e^{uᵢ}) − yᵢuᵢ] with logaddexp, finite for any
    finite logits (no log(0)).

    Claims: classification.logistic_cross_entropy_gradient,
    classification.logistic_cross_entropy_loss
    """
    X, y, theta = _prepare(X, y, theta)
    u = X @ theta
    loss = np.logaddexp(0, u)
    loss -= y * u
    return loss.mean()


def logistic_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
    """∇θ L = (1/N) Xᵀ(σ(Xθ) − y) for the mean cross-entropy (logistic_loss).

    Note 001 derives Σᵢ (yᵢ − h(xᵢ)) xᵢ for the log-likelihood (the ascent
    direction, the negative of this times N) and then writes it, wrongly, as
    xᵀ·Σᵢ(yᵢ − h(xᵢ)).

    Claims: classification.logistic_cross_entropy_gradient
    """
    X, y, theta = _prepare(X, y, theta)
    g = row_pass_grad("LOGISTIC", X, y, theta, 1 / X.shape[0])  # one pass over X, not two
    if g is not None:
        return g
    h = _sigmoid(X @ theta)
    h -= y
    h *= 1 / X.shape[0]
    return X.T @ h


def logistic_mse_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.floating:
    """L = (1/(2N)) Σᵢ (σ(xᵢᵀθ) − yᵢ)², the mean of note 001's ½(h − y)².

    Claims: classification.logistic_mse_gradient, classification.logistic_mse_loss
    """
    X, y, theta = _prepare(X, y, theta)
    r = _sigmoid(X @ theta)
    r -= y
    return (r @ r) / (2 * X.shape[0])


def logistic_mse_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
    """∇θ L = (1/N) Xᵀ[(h − y) ⊙ h ⊙ (1 − h)], h = σ(Xθ), for L of logistic_mse_loss.

    Claims: classification.logistic_mse_gradient, activations.sigmoid_derivative
    """
    X, y, theta = _prepare(X, y, theta)
    g = row_pass_grad("LOGISTIC_MSE", X, y, theta, 1 / X.shape[0])
    if g is not None:
        return g
    h = _sigmoid(X @ theta)
    r = h - y
    r *= h
    np.subtract(1, h, out=h)
    r *= h
    r *= 1 / X.shape[0]
    return X.T @ r


# ----- Perceptron -----


def _perceptron_terms(X: np.ndarray, y: np.ndarray, theta: np.ndarray):
    u = X @ theta
    h = (u >= 0).astype(X.dtype)  # note 001: h = 1 if xᵀθ ≥ 0 else 0
    h -= y  # hᵢ − yᵢ = 1 − 2yᵢ on misclassified samples, 0 on correct ones
    return u, h


def perceptron_loss(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.floating:
    """L(θ) = Σ_{x∈M₀} xᵀθ − Σ_{x∈M₁} xᵀθ = Σᵢ (hᵢ − yᵢ) xᵢᵀθ, a *sum* over samples (note 001).

    hᵢ = 1[xᵢᵀθ ≥ 0], y ∈ {0, 1}; M₀ (M₁) are the misclassified samples of
    class 0 (1), so each term is (1 − 2yᵢ)xᵢᵀθ ≥ 0 on a misclassified sample and
    0 on a correct one. L is continuous and piecewise linear in θ.

    Claims: classification.perceptron_gradient, classification.perceptron_loss
    """
    X, y, theta = _prepare(X, y, theta)
    u, coef = _perceptron_terms(X, y, theta)
    return coef @ u


def perceptron_grad(X: ArrayLike, y: ArrayLike, theta: ArrayLike) -> np.ndarray:
    """∇θ L = Σᵢ (hᵢ − yᵢ) xᵢ = Xᵀ(h − y) = Σ_{misclassified} (1 − 2yᵢ) xᵢ (a sum, not a mean).

    The gradient of perceptron_loss wherever no xᵢᵀθ = 0 (there L has a kink).
    Note 001 also writes Σᵢ (1 − 2yᵢ) xᵢ summed over *all* samples, which is
    wrong unless every sample is misclassified.

    Claims: classification.perceptron_gradient, classification.perceptron_gradient_piecewise
    """
    X, y, theta = _prepare(X, y, theta)
    _, coef = _perceptron_terms(X, y, theta)
    return X.T @ coef


# ----- Softmax -----


def _softmax_rows(
    Z: np.ndarray,
    scale: float = 1.0,
    labels: np.ndarray | None = None,
    between_products: bool = False,
) -> np.ndarray:
    """softmax along the last axis of a C-contiguous array, divided by scale; with labels
    (one per row), minus 1/scale at each row's label. between_products: Z is a product's
    fresh result, overwritten in place, and another product follows (the compiled rows
    then run as _compiled.between_products does).

    Rows are processed in cache-sized blocks on all cores: max, shift, exp, sum
    and normalise then make one pass over memory instead of five.
    """
    out = Z if between_products else np.empty(Z.shape, Z.dtype)
    if Z.size == 0:
        return out
    c = Z.shape[-1]
    rows = Z.reshape(-1, c)
    orows = out.reshape(-1, c)
    k = kernels(rows)
    if k is not None:
        lab = _NO_LABELS if labels is None else np.ascontiguousarray(labels, np.int64)
        if not between_products:
            k.softmax_rows(rows, orows, scale, lab, chunks(rows.shape[0]), AHEAD)
            return out

        def span(_: int, lo: int, hi: int) -> None:
            span_lab = lab[lo:hi] if lab.size else lab
            k.softmax_rows(rows[lo:hi], orows[lo:hi], scale, span_lab, 1, AHEAD)

        run_between_products(k, span, spans(rows.shape[0]))
        return out

    def kernel(lo: int, hi: int) -> None:
        z, o = rows[lo:hi], orows[lo:hi]
        np.subtract(z, z.max(axis=1, keepdims=True), out=o)
        np.exp(o, out=o)
        total = o.sum(axis=1, keepdims=True)
        total *= scale
        o *= np.reciprocal(total, out=total)

    blockwise(kernel, rows.shape[0], Z.dtype, n_scratch=0, item_size=c)
    if labels is not None:
        orows[np.arange(rows.shape[0]), labels] -= 1 / scale
    return out


def softmax(Z: ArrayLike, axis: int = -1) -> np.ndarray:
    """S(z)ⱼ = e^{zⱼ} / Σₖ e^{zₖ} along axis, computed with the max subtracted.

    Claims: classification.softmax_log_likelihood_gradient, classification.softmax_shift_invariance
    """
    (Z,) = floats(Z=Z)
    if Z.ndim and axis in (-1, Z.ndim - 1) and Z.flags.c_contiguous:
        return _softmax_rows(Z)
    out = Z - Z.max(axis=axis, keepdims=True)
    np.exp(out, out=out)
    out /= out.sum(axis=axis, keepdims=True)
    return out


def log_softmax(Z: ArrayLike, axis: int = -1) -> np.ndarray:
    """log S(z)ⱼ = zⱼ − log Σₖ e^{zₖ} along axis (log-sum-exp with the max subtracted).

    Claims: classification.softmax_log_likelihood_gradient, classification.log_softmax
    """
    (Z,) = floats(Z=Z)
    out = Z - Z.max(axis=axis, keepdims=True)
    out -= np.log(np.exp(out).sum(axis=axis, keepdims=True))
    return out


def _check_logits(Z: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    (Z,) = floats(Z=Z)
    require_ndim("Z", Z, 2, "logits, N × C")
    lab = check_labels(labels, Z.shape[0], Z.shape[1], "Z")
    return Z, lab


def _cross_entropy(Z: np.ndarray, lab: np.ndarray) -> np.floating:
    m = Z.max(axis=1)
    e = Z - m[:, None]
    np.exp(e, out=e)
    lse = np.log(e.sum(axis=1))
    lse += m
    lse -= np.take_along_axis(Z, lab[:, None], axis=1)[:, 0]
    return lse.mean()


def softmax_cross_entropy(Z: ArrayLike, labels: ArrayLike) -> np.floating:
    """L = −(1/N) Σᵢ log S(zᵢ)_{yᵢ} = (1/N) Σᵢ [log Σₖ e^{zᵢₖ} − zᵢ,yᵢ]; Z is N × C.

    Claims: classification.softmax_log_likelihood_gradient, classification.softmax_cross_entropy
    """
    Z, lab = _check_logits(Z, labels)
    return _cross_entropy(Z, lab)


def _cross_entropy_grad(
    Z: np.ndarray, lab: np.ndarray, between_products: bool = False
) -> np.ndarray:
    """(softmax(Z) − Y)/N; between_products as for _softmax_rows."""
    # fold the 1/N of the mean into the normalisation: one pass fewer
    Z = np.ascontiguousarray(Z)
    return _softmax_rows(Z, float(Z.shape[0]), lab, between_products)


def softmax_cross_entropy_grad(Z: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """∂L/∂Z = (softmax(Z) − Y)/N for L of softmax_cross_entropy; Y is one-hot(labels), N × C.

    Note 001 derives, per sample, ∂ log L/∂θᵥ = Σᵢ xᵢ(1{yᵢ = v} − S(xᵢθᵥ)); this
    is minus its logit part, scaled by 1/N.

    Claims: classification.softmax_log_likelihood_gradient,
    classification.softmax_cross_entropy_logit_gradient
    """
    Z, lab = _check_logits(Z, labels)
    return _cross_entropy_grad(Z, lab)


def _check_softmax_regression(X, W, labels):
    X, W = floats(X=X, W=W)
    require_ndim("X", X, 2, "samples as rows, N × d")
    require_ndim("W", W, 2, "d × C")
    if W.shape[0] != X.shape[1]:
        raise ValueError(
            f"X has shape {X.shape} but W has shape {W.shape}; "
            f"expected W with {X.shape[1]} rows (d × C)"
        )
    lab = check_labels(labels, X.shape[0], W.shape[1], "X")
    return X, W, lab


def softmax_regression_loss(X: ArrayLike, W: ArrayLike, labels: ArrayLike) -> np.floating:
    """L(W) = softmax_cross_entropy(XW, labels); X is N × d, W is d × C.

    Claims: classification.softmax_log_likelihood_gradient, classification.softmax_regression_loss
    """
    X, W, lab = _check_softmax_regression(X, W, labels)
    return _cross_entropy(X @ W, lab)


def softmax_regression_grad(X: ArrayLike, W: ArrayLike, labels: ArrayLike) -> np.ndarray:
    """∇_W L = (1/N) Xᵀ(softmax(XW) − Y), d × C, for L of softmax_regression_loss.

    Claims: classification.softmax_log_likelihood_gradient
    """
    X, W, lab = _check_softmax_regression(X, W, labels)
    return X.T @ _cross_entropy_grad(X @ W, lab, between_products=True)
