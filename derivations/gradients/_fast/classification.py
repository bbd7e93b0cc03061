"""Fast softmax rows, their vector-Jacobian products, the classification gradients that
read X once, and the cross-entropy and hinge gradients in one or two passes."""

from __future__ import annotations

import numpy as np

from .._validate import nan_quietly, specials_quietly, upstream_quietly
from ._blocks import blockwise, spans
from ._compiled import between_products, chunks, kernels, row_pass_grad

__all__ = [
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy_grad",
    "hinge_grad",
    "log_softmax_vjp",
    "logistic_grad",
    "logistic_mse_grad",
    "nll_loss_grad",
    "softmax",
    "softmax_cross_entropy_grad",
    "softmax_regression_grad",
    "softmax_vjp",
]

_NO_LABELS = np.empty(0, np.int64)


def softmax_rows(
    Z: np.ndarray,
    out: np.ndarray,
    scale: float = 1.0,
    labels: np.ndarray | None = None,
    on_own_threads: bool = False,
) -> np.ndarray:
    """out = softmax along the last axis of the C-contiguous Z, divided by scale; with labels
    (one per row), minus 1/scale at each row's label. out may be Z itself. on_own_threads:
    Z is a fresh product and another product follows (see _compiled.between_products).

    Block by block without the kernels: max, shift, exp, sum and normalise make one pass
    over memory instead of five."""
    if Z.size == 0:
        return out
    c = Z.shape[-1]
    rows, orows = Z.reshape(-1, c), out.reshape(-1, c)
    k = kernels(rows)
    if k is not None:
        lab = _NO_LABELS if labels is None else np.ascontiguousarray(labels, np.int64)
        if not on_own_threads:
            k.softmax_rows(rows, orows, scale, lab, chunks(rows.shape[0]))
            return out

        def span(_: int, lo: int, hi: int) -> None:
            span_lab = lab[lo:hi] if lab.size else lab
            k.softmax_rows(rows[lo:hi], orows[lo:hi], scale, span_lab, 1)

        between_products(k, span, spans(rows.shape[0]))
        return out

    def kernel(lo: int, hi: int) -> None:
        z, o = rows[lo:hi], orows[lo:hi]
        np.subtract(z, z.max(axis=1, keepdims=True), out=o)
        np.exp(o, out=o)
        total = o.sum(axis=1, keepdims=True)
        total *= scale
        o *= np.reciprocal(total, out=total)

    with np.errstate(invalid="ignore", over="ignore"):  # as the reference's _shifted
        blockwise(kernel, rows.shape[0], Z.dtype, n_scratch=0, item_size=c)
    if labels is not None:
        orows[np.arange(rows.shape[0]), labels] -= 1 / scale
    return out


def softmax(Z: np.ndarray, axis: int, out: np.ndarray | None) -> np.ndarray | None:
    """Rows of a C-contiguous array (axis −1) into a C-contiguous out of the same dtype."""
    if not Z.ndim or axis not in (-1, Z.ndim - 1) or not Z.flags.c_contiguous:
        return None
    if out is None:
        out = np.empty(Z.shape, Z.dtype)
    elif not out.flags.c_contiguous or (out is not Z and np.shares_memory(out, Z)):
        return None
    return softmax_rows(Z, out)


def softmax_cross_entropy_grad(Z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(softmax(Z) − Y)/N in one pass: the 1/N folded into the normalisation."""
    Z = np.ascontiguousarray(Z)
    return softmax_rows(Z, np.empty(Z.shape, Z.dtype), float(Z.shape[0]), labels)


def cross_entropy_grad(
    Z: np.ndarray,
    w: np.ndarray,
    eps: float,
    labels: np.ndarray | None,
    P: np.ndarray | None,
    rows: np.ndarray,
    norm: float,
) -> np.ndarray | None:
    """Class-index targets (None for probabilities): with T̃ᵢ = (1 − ε)e_{yᵢ} + ε/C, the row
    rᵢ((Σ_c w_c T̃ᵢ_c) S(zᵢ) − w ⊙ T̃ᵢ)/norm is aᵢ S(zᵢ) − rᵢ(ε/C)w/norm − dᵢ e_{yᵢ}, with
    aᵢ = rᵢ((1 − ε)w_{yᵢ} + (ε/C)Σ_c w_c)/norm and dᵢ = rᵢ(1 − ε)w_{yᵢ}/norm: the softmax rows,
    one block-wise pass for aᵢ and w, and one entry a row for the label; no N × C targets.
    One class (C = 1) runs the reference: its gradient is exactly 0 (S = 1 and the row's
    two terms are one product there), where aᵢ − rᵢ(ε/C)w/norm − dᵢ, each rounded on its own,
    left an ulp with label smoothing."""
    if labels is None or not Z.flags.c_contiguous or Z.size == 0 or Z.shape[1] == 1:
        return None
    n, c = Z.shape
    out = softmax_rows(Z, np.empty(Z.shape, Z.dtype))
    # every product below carries rᵢ (the upstream gradient) and w: an infinite or NaN one
    # against a 0 is NaN, a product beyond the dtype ±∞, as the reference's and torch's, unsaid
    with upstream_quietly():
        w64 = w.astype(np.float64)
        wy = w64[labels] * (rows / float(norm))  # rᵢ w_{yᵢ}/norm
        a = (1 - eps) * wy
        if eps:  # without smoothing no other class's weight enters (0 · ∞ would be NaN)
            a = a + (eps / c) * w64.sum() * (rows / float(norm))
        a = a.astype(Z.dtype)
        smooth = ((eps / c) / float(norm) * w64).astype(Z.dtype)  # (ε/C)w/norm

        def kernel(lo: int, hi: int) -> None:
            o = out[lo:hi]
            o *= a[lo:hi, None]
            if eps:
                o -= rows[lo:hi, None] * smooth

        blockwise(kernel, n, Z.dtype, n_scratch=0, item_size=c)
        out[np.arange(n), labels] -= ((1 - eps) * wy).astype(Z.dtype)
    return out


def nll_loss_grad(
    shape: tuple[int, int], dtype: np.dtype, labels: np.ndarray, picked: np.ndarray
) -> np.ndarray | None:
    """Rows of zeros with picked[i] at column labels[i], filled by the kernels on every
    thread; None without them (the reference's calloc'd zeros are as fast on one core)."""
    k = kernels(picked, size=shape[0] * shape[1])  # picked: one entry a row, in dtype
    if k is None:
        return None
    out = np.empty(shape, dtype)
    k.one_entry_rows(out, np.ascontiguousarray(labels, np.int64), picked, chunks(shape[0]))
    return out


def softmax_regression_grad(X: np.ndarray, W: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Xᵀ(softmax(XW) − Y)/N, the pass between the two products in place on XW's fresh
    result, on the library's own threads."""
    with specials_quietly():  # a ±∞ in X, or a product beyond the range: NaN or ±∞ logits,
        P = X @ W  # as the reference's and torch's, unsaid
    softmax_rows(P, P, float(P.shape[0]), labels, on_own_threads=True)
    # (Pᵀ X)ᵀ rather than Xᵀ P: OpenBLAS's two threads take about twice the CPU time for the
    # latter at N × d = 8192 × 512, C = 1000 (one of them mostly waits); the copy is d × C
    with specials_quietly():
        return np.ascontiguousarray((P.T @ X).T)


def logistic_grad(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray | None:
    return row_pass_grad("LOGISTIC", X, y, theta, 1 / X.shape[0])


def logistic_mse_grad(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray | None:
    return row_pass_grad("LOGISTIC_MSE", X, y, theta, 1 / X.shape[0])


def _rows(a: np.ndarray) -> np.ndarray:
    return a.reshape(-1, a.shape[-1])


def softmax_vjp(grad: np.ndarray, s: np.ndarray, axis: int) -> np.ndarray | None:
    """Rows of C-contiguous arrays (axis −1), in one pass; None otherwise."""
    if not s.ndim or axis not in (-1, s.ndim - 1) or s.size == 0:
        return None
    k = kernels(grad, s)
    if k is None:
        return None
    out = np.empty(s.shape, s.dtype)
    k.softmax_vjp_rows(_rows(grad), _rows(s), _rows(out), chunks(_rows(s).shape[0]))
    return out


def log_softmax_vjp(grad: np.ndarray, log_s: np.ndarray, axis: int) -> np.ndarray | None:
    """As softmax_vjp; None also when log_s has a positive entry (not a log-probability: the
    compiled exponential takes arguments ≤ 0 only)."""
    if not log_s.ndim or axis not in (-1, log_s.ndim - 1) or log_s.size == 0:
        return None
    k = kernels(grad, log_s)
    if k is None:
        return None
    out = np.empty(log_s.shape, log_s.dtype)
    rows = _rows(log_s).shape[0]
    if k.log_softmax_vjp_rows(_rows(grad), _rows(log_s), _rows(out), chunks(rows)):
        return None
    return out


def hinge_grad(scores: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """−yᵢ 1[yᵢsᵢ < 1]/N block by block: one pass over memory instead of five."""
    if not (scores.flags.c_contiguous and y.flags.c_contiguous):
        return None
    out = np.empty(scores.shape, scores.dtype)
    scale = -1 / scores.shape[0]

    def kernel(lo: int, hi: int, margin: np.ndarray) -> None:
        o = out[lo:hi]
        np.multiply(y[lo:hi], scores[lo:hi], out=margin)
        np.less(margin, 1, out=o)  # 1 where the margin is violated, else 0
        o *= y[lo:hi]
        o *= scale

    blockwise(kernel, scores.shape[0], scores.dtype)
    return out


def binary_cross_entropy_with_logits_grad(
    z: np.ndarray,
    y: np.ndarray,
    w: np.ndarray | None,
    q: np.ndarray | None,
    u: np.ndarray | None,
    divisor: int,
) -> np.ndarray | None:
    """σ(z) − y, or torch's (q·y + 1 − y)σ(z) − q·y with pos_weight q, times w and u, over
    divisor: the reference's operations in its order, block by block along the first axis
    (one pass over memory instead of about eight). w, q and u broadcast to z as stride-0
    views, sliced with it."""
    if not z.ndim or z.size == 0 or not (z.flags.c_contiguous and y.flags.c_contiguous):
        return None
    out = np.empty(z.shape, z.dtype)
    q = None if q is None else np.broadcast_to(q, z.shape)
    factors = [np.broadcast_to(a, z.shape) for a in (w, u) if a is not None]
    div = z.dtype.type(divisor)

    def kernel(lo: int, hi: int) -> None:
        zz, yy, o = z[lo:hi], y[lo:hi], out[lo:hi]
        den = np.abs(zz)  # σ(z) = e^{min(z, 0)}/(1 + e^{−|z|}), as stable_sigmoid
        np.negative(den, out=den)
        np.exp(den, out=den)
        den += 1
        np.minimum(zz, 0, out=o)
        np.exp(o, out=o)
        o /= den
        if q is None:
            o -= yy
        else:
            with nan_quietly():  # q = ±∞: 0 · ∞ at y = 0 and ∞ − ∞ are NaN, as torch's
                qy = np.multiply(q[lo:hi], yy, out=den)
                coef = qy + 1
                coef -= yy
                o *= coef
                o -= qy
        with upstream_quietly():  # w ⊙ u: 0 · ∞ is NaN, beyond the range ±∞, as torch's
            for f in factors:
                o *= f[lo:hi]
        if divisor != 1:
            o /= div

    blockwise(kernel, z.shape[0], z.dtype, n_scratch=0, item_size=z.size // z.shape[0])
    return out
